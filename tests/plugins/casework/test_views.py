"""Pages: need-to-know for experts, the lead's request page, access log, Dutch texts."""
from datetime import datetime, timedelta, timezone

import pytest
import time_machine

from eih import clock
from eih.extensions import db
from eih.models import AuditEvent, Decline
from eih.plugins.casework import rules
from eih.plugins.casework.models import Request
from tests.conftest import csrf_token

from .helpers import expert, new_request, running, talk


def _shared_case(app):
    """A case served by Amal and Yvonne; Yvonne logged a conversation."""
    with app.app_context():
        req = running(new_request(), expert("amal"), expert("yvonne"))
        rules.log_contact(req, expert("yvonne"), datetime(2026, 1, 5, 10), 60, "phone", False,
                          "YVONNE-SUMMARY", "YVONNE-INTERNAL", 2)
        rules.log_contact(req, expert("amal"), datetime(2026, 1, 6, 10), 60, "phone", False,
                          "AMAL-SUMMARY", "AMAL-INTERNAL", 2)
        db.session.commit()
        return req.id, req.code


def _solo_case(app, name="yvonne"):
    with app.app_context():
        req = running(new_request(), expert(name))
        db.session.commit()
        return req.id


def test_expert_sees_only_need_to_know(app, client, auth):
    req_id, code = _shared_case(app)
    auth.login("expert")
    page = client.get(f"/admin/casework/mine/{req_id}").get_data(as_text=True)
    assert code in page and "P. Jansen" in page and "010-7654321" in page and "Steun bij veiligheid" in page
    assert "AMAL-SUMMARY" in page and "AMAL-INTERNAL" in page
    for secret in ("SECRET-QUESTION", "SECRET-NOTES", "X.Q.", "YVONNE-SUMMARY", "YVONNE-INTERNAL"):
        assert secret not in page
    listing = client.get("/admin/casework/mine/").get_data(as_text=True)
    assert code in listing and "SECRET-QUESTION" not in listing


def test_expert_cannot_open_another_experts_case_by_url(app, client, auth):
    other = _solo_case(app, "yvonne")
    auth.login("expert")
    assert client.get(f"/admin/casework/mine/{other}").status_code == 404
    assert client.post(f"/admin/casework/mine/{other}/contact", data={}).status_code == 404
    assert client.get(f"/admin/casework/case/{other}").status_code == 403
    assert client.get(f"/admin/casework/requests/edit/?id={other}").status_code == 403
    assert client.get("/admin/casework/requests/").status_code == 403


def test_admin_and_other_region_see_no_casework(app, client, auth):
    req_id = _solo_case(app)
    auth.login("admin")
    assert client.get(f"/admin/casework/case/{req_id}").status_code == 403
    assert client.get("/admin/casework/requests/").status_code == 403
    auth.logout()
    auth.login("lead_b")
    assert client.get(f"/admin/casework/case/{req_id}").status_code == 404
    assert client.get(f"/admin/casework/requests/edit/?id={req_id}").status_code == 404
    listing = client.get("/admin/casework/requests/").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Request, req_id).code not in listing


def test_coordinator_overview_is_read_only_without_content(app, client, auth):
    req_id, code = _shared_case(app)
    auth.login("coordinator")
    page = client.get("/admin/casework/overview/").get_data(as_text=True)
    assert code in page and "SECRET-QUESTION" not in page and "YVONNE-SUMMARY" not in page
    assert client.get(f"/admin/casework/case/{req_id}").status_code == 403
    assert client.post(f"/admin/casework/case/{req_id}/start_intake").status_code == 403


def test_request_page_shows_timeline_and_allowed_steps_in_dutch(app, client, auth):
    with app.app_context():
        req = new_request()
        db.session.commit()
        req_id = req.id
    auth.login("lead")
    page = client.get(f"/admin/casework/case/{req_id}").get_data(as_text=True)
    assert "Tijdlijn" in page and "Intake starten" in page and "SECRET-QUESTION" in page
    assert "Evaluatie starten" not in page
    assert "toestemming van de cliënt" in page  # what is missing before a deployment


def test_the_timeline_shows_when_things_happened_in_amsterdam_time(app, client, auth):
    with app.app_context():
        with time_machine.travel(datetime(2027, 1, 15, 8, 5, tzinfo=timezone.utc), tick=False):  # 09:05 in winter
            req = new_request()
            db.session.commit()
        req_id = req.id
    auth.login("lead")
    page = client.get(f"/admin/casework/case/{req_id}").get_data(as_text=True)
    assert "2027-01-15 09:05" in page and "08:05" not in page


def test_lead_moves_a_request_through_allowed_steps_only(app, client, auth):
    with app.app_context():
        req_id = new_request().id
        db.session.commit()
    auth.login("lead")
    response = client.post(f"/admin/casework/case/{req_id}/start_evaluation", follow_redirects=True)
    assert "Niet toegestaan" in response.get_data(as_text=True)
    client.post(f"/admin/casework/case/{req_id}/start_intake")
    response = client.post(f"/admin/casework/case/{req_id}/start_deployment", data={"start_on": "2026-01-10"},
                           follow_redirects=True)
    assert "kan niet starten zonder" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Request, req_id).status == "intake"


def test_opening_a_request_page_is_in_the_access_log(app, client, auth):
    req_id = _solo_case(app, "amal")
    auth.login("lead")
    client.get(f"/admin/casework/case/{req_id}")
    client.get(f"/admin/casework/requests/edit/?id={req_id}")
    auth.logout()
    auth.login("expert")
    client.get(f"/admin/casework/mine/{req_id}")
    with app.app_context():
        views = db.session.query(AuditEvent).filter_by(action="view", object_type="Request", object_id=str(req_id)).count()
        assert views == 3


def test_the_forms_propose_amsterdams_date_just_after_midnight(app, client, auth):
    with app.app_context():
        req_id = new_request().id
        db.session.commit()
    # 00:30 on Monday in Amsterdam is still Sunday evening in UTC
    with time_machine.travel(datetime(2026, 11, 29, 23, 30, tzinfo=timezone.utc), tick=False):
        auth.login("lead")
        new_form = client.get("/admin/casework/requests/new/").get_data(as_text=True)
        case_page = client.get(f"/admin/casework/case/{req_id}").get_data(as_text=True)
    assert 'value="2026-11-30"' in new_form and "2026-11-29" not in new_form
    assert 'value="2026-11-30"' in case_page and 'value="2026-11-29"' not in case_page


def test_lead_registers_and_edits_a_request_with_audit(app, client, auth):
    auth.login("lead")
    with app.app_context():
        from eih.models import Municipality, Partner
        town = db.session.query(Municipality).filter_by(name="Vlaardingen").one().id
        partner = db.session.query(Partner).filter_by(name="Arosa").first().id
    form = dict(received_on="2026-03-02", kind="thv", urgency="urgent", partner=str(partner),
                professional_name="A. Bakker", professional_phone="010", professional_email="a@b.example",
                municipality=str(town), client_gender="female", client_perspective="victim", client_languages="nl",
                violence_type="partner", question="vraag", goal="")
    response = client.post("/admin/casework/requests/new/", data=form)
    assert response.status_code == 302
    with app.app_context():
        req = db.session.query(Request).filter_by(professional_name="A. Bakker").one()
        assert req.code.startswith("EIH-2026-") and req.status == "registered"
        assert req.responsible_professional == "A. Bakker"
        req_id = req.id
    client.post(f"/admin/casework/requests/edit/?id={req_id}", data={**form, "goal": "Veiligheid"})
    with app.app_context():
        actions = {e.action for e in db.session.query(AuditEvent).filter_by(object_type="Request",
                                                                           object_id=str(req_id))}
        assert {"create", "update"} <= actions
        assert db.session.get(Request, req_id).goal == "Veiligheid"


def test_registering_direct_contact_is_refused_when_switched_off(app, client, auth):
    auth.login("lead")
    response = client.post("/admin/casework/requests/new/", data=dict(
        received_on="2026-03-02", kind="direct", urgency="normal", professional_name="Z. Zee", client_languages="nl"),
        follow_redirects=True)
    assert "Direct contact zonder hulpverlener staat voor deze regio niet aan" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Request).filter_by(professional_name="Z. Zee").count() == 0


def test_expert_logs_a_contact_form_and_the_sixth_is_refused(app, client, auth):
    with app.app_context():
        amal = expert("amal")
        req = running(new_request(), amal)
        talk(req, amal, 4)
        db.session.commit()
        req_id = req.id
    auth.login("expert")
    data = dict(held_at="2026-02-01T10:00", duration_minutes="45", mode="video", summary="vijfde", heaviness="4")
    assert client.post(f"/admin/casework/mine/{req_id}/contact", data=data).status_code == 302
    response = client.post(f"/admin/casework/mine/{req_id}/contact", data=data, follow_redirects=True)
    assert "eerst geëvalueerd" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Request, req_id).conversation_count == 5


def test_expert_declines_and_the_lead_sees_it(app, client, auth):
    req_id = _solo_case(app, "amal")
    auth.login("expert")
    response = client.post(f"/admin/casework/mine/{req_id}/decline", data={"reason": "unsafe", "note": "te dichtbij"})
    assert response.status_code == 302
    assert client.get(f"/admin/casework/mine/{req_id}").status_code == 404
    with app.app_context():
        req = db.session.get(Request, req_id)
        assert req.waiting_for_expert
        assert db.session.query(Decline).filter_by(demand_key=req.demand_key).count() == 1
    auth.logout()
    auth.login("lead")
    home = client.get("/admin/").get_data(as_text=True)
    assert "weigerde" in home
    client.get(f"/admin/casework/case/{req_id}")
    with app.app_context():
        assert db.session.query(Decline).filter_by(demand_key=f"casework:req-{req_id}").one().seen_at is not None


def test_expert_home_shows_the_conversation_limit(app, client, auth):
    auth.login("expert")
    home = client.get("/admin/").get_data(as_text=True)
    assert "van 5 gesprekken" in home


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_steps_need_the_csrf_token(app, client, auth):
    with app.app_context():
        req_id = new_request().id
        db.session.commit()
    auth_response = client.get("/login")
    token = csrf_token(auth_response.get_data(as_text=True))
    from tests.conftest import DEMO_PASSWORD
    client.post("/login", data={"email": "lead@eih.example", "password": DEMO_PASSWORD, "csrf_token": token})
    assert client.post(f"/admin/casework/case/{req_id}/start_intake").status_code in (302, 400)
    with app.app_context():
        assert db.session.get(Request, req_id).status == "registered"
    page = client.get(f"/admin/casework/case/{req_id}").get_data(as_text=True)
    client.post(f"/admin/casework/case/{req_id}/start_intake", data={"csrf_token": csrf_token(page)})
    with app.app_context():
        assert db.session.get(Request, req_id).status == "intake"


def test_lead_filters_requests_by_expert_and_waiting_time(app, client, auth):
    with app.app_context():
        served = running(new_request(), expert("kwame"))
        old = new_request(received_on=clock.today() - timedelta(days=40))
        fresh = new_request(received_on=clock.today())
        db.session.commit()
        kwame_id, codes = expert("kwame").id, (served.code, old.code, fresh.code)
    auth.login("lead")
    by_expert = client.get(f"/admin/casework/requests/?flt0_4={kwame_id}").get_data(as_text=True)
    assert codes[0] in by_expert and codes[1] not in by_expert
    waiting = client.get("/admin/casework/requests/?flt0_5=30").get_data(as_text=True)
    assert codes[1] in waiting and codes[2] not in waiting and codes[0] not in waiting


def test_every_demo_request_page_renders_for_the_lead(app, client, auth):
    with app.app_context():
        reg_id = db.session.query(Request.region_id).join(Request.region).filter_by(slug="rotterdam-rijnmond").first()[0]
        ids = [r.id for r in db.session.query(Request).filter_by(region_id=reg_id)]
        statuses = {r.status for r in db.session.query(Request).filter_by(region_id=reg_id)}
    assert {"registered", "intake", "active", "extended", "closed", "transferred"} <= statuses
    auth.login("lead")
    for req_id in ids:
        assert client.get(f"/admin/casework/case/{req_id}").status_code == 200
    assert client.get("/admin/casework/requests/").status_code == 200
    assert client.get("/admin/casework/requests/new/").status_code == 200
