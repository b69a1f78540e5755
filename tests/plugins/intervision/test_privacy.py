"""Themes stay within the team of the region; supervision details stay with the expert and the lead."""
from datetime import timedelta

import pytest
from flask import url_for

from eih import clock
from eih.extensions import db
from eih.plugins import set_enabled
from eih.plugins.intervision.models import SupervisionRequest

from .conftest import add_session, expert, region

THEMES = "THEMA-ALLEEN-VOOR-HET-TEAM"


def _session_with_themes(app):
    with app.app_context():
        hl = region("haaglanden")
        set_enabled(hl.id, "intervision", True)  # so the other region's users reach the pages at all
        s = add_session(region().id, clock.today() - timedelta(days=7), present=[expert("Amal")], themes=THEMES)
        db.session.commit()
        return s.id


def _every_intervision_page(app, session_id):
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith("intervision") or "GET" not in rule.methods:
                continue
            args = {"export_type": "csv"} if "export_type" in rule.arguments else {}
            if "item_id" in rule.arguments:
                args = {"kind": "session", "item_id": session_id}
            urls.append(url_for(rule.endpoint, **args))
            if rule.endpoint.endswith(("details_view", "edit_view")):
                urls.append(url_for(rule.endpoint, id=session_id))
    return urls + ["/admin/"]


@pytest.mark.parametrize("who", ["admin", "lead_b", "noor.haaglanden@eih.example", "dennis.haaglanden@eih.example"])
def test_themes_never_shown_outside_the_team_of_the_region(app, client, auth, who):
    session_id = _session_with_themes(app)
    auth.login(who)
    for url in _every_intervision_page(app, session_id):
        response = client.get(url)
        assert THEMES not in response.get_data(as_text=True), url
    assert client.get(f"/admin/intervision_session/details/?id={session_id}").status_code in (403, 404)


def test_the_team_of_the_region_reads_the_themes(app, client, auth):
    session_id = _session_with_themes(app)
    for who in ("lead", "coordinator", "expert", "yvonne@eih.example"):
        auth.login(who)
        response = client.get(f"/admin/intervision_session/details/?id={session_id}")
        assert response.status_code == 200 and THEMES in response.get_data(as_text=True), who
        assert THEMES not in client.get("/admin/intervision_session/").get_data(as_text=True)  # list: no themes
        auth.logout()


def test_admin_is_not_the_team(app, client, auth):
    auth.login("admin")
    assert client.get("/admin/intervision_session/").status_code == 403
    assert client.get("/admin/intervision/rhythm/").status_code == 403


def _request_of(app, name, details):
    with app.app_context():
        e = expert(name)
        r = SupervisionRequest(region_id=e.region_id, expert_id=e.id, reason="specific_case", details=details)
        db.session.add(r)
        db.session.commit()
        return r.id


def test_an_expert_cannot_see_another_experts_supervision_requests(app, client, auth):
    yvonne_request = _request_of(app, "Yvonne", "PRIVE-YVONNE")
    auth.login("expert")  # Amal
    listing = client.get("/admin/intervision_mysupervision/").get_data(as_text=True)
    assert "PRIVE-YVONNE" not in listing
    assert client.get(f"/admin/intervision_mysupervision/details/?id={yvonne_request}").status_code == 404
    assert client.get(f"/admin/intervision_mysupervision/edit/?id={yvonne_request}").status_code == 404
    assert client.get("/admin/intervision_supervision/").status_code == 403  # the lead's queue
    with app.app_context():
        amal_requests = db.session.query(SupervisionRequest).filter_by(expert_id=expert("Amal").id).count()
    assert listing.count("/admin/intervision_mysupervision/details/") == amal_requests


def test_supervision_details_are_for_the_expert_and_the_lead_only(app, client, auth):
    request_id = _request_of(app, "Amal", "PRIVE-AMAL")
    auth.login("expert")
    assert "PRIVE-AMAL" in client.get(f"/admin/intervision_mysupervision/details/?id={request_id}").get_data(as_text=True)
    auth.logout()
    auth.login("lead")
    assert "PRIVE-AMAL" not in client.get("/admin/intervision_supervision/").get_data(as_text=True)
    assert "PRIVE-AMAL" in client.get(f"/admin/intervision_supervision/details/?id={request_id}").get_data(as_text=True)
    auth.logout()
    auth.login("coordinator")
    assert client.get(f"/admin/intervision_supervision/details/?id={request_id}").status_code == 403
    assert "PRIVE-AMAL" not in client.get("/admin/").get_data(as_text=True)


def test_an_expert_asks_for_supervision_for_themselves(app, client, auth):
    auth.login("expert")
    response = client.post("/admin/intervision_mysupervision/new/", data={"reason": "emotional_load", "details": ""})
    assert response.status_code == 302
    with app.app_context():
        newest = db.session.query(SupervisionRequest).order_by(SupervisionRequest.id.desc()).first()
        assert (newest.expert_id, newest.status, newest.reason) == (expert("Amal").id, "requested", "emotional_load")
