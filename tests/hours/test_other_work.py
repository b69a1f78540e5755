"""Blocked hours and light weeks: who may set them, for which weeks, and bad input."""
from __future__ import annotations

from datetime import timedelta

import pytest

from eih.extensions import db
from eih.hours import rules
from eih.hours.models import Block, LightWeek
from eih.models import AuditEvent
from eih.rules import RuleError
from tests.dates import every_date
from tests.hours.helpers import expert, new_expert, this_monday


def _week(monday) -> str:
    return f"{monday:%G-W%V}"


def _ids(app):
    with app.app_context():
        tess = new_expert()
        db.session.commit()
        return tess.id, expert("amal").id


def _blocks(app):
    with app.app_context():
        return sorted((b.expert.name, b.hours, b.description) for b in db.session.query(Block))


def _light(app):
    with app.app_context():
        return sorted((lw.expert.name, lw.week_start) for lw in db.session.query(LightWeek))


def _block(client, expert_id, monday, **fields):
    data = {"block-expert": str(expert_id), "block-week": _week(monday), "block-hours": "4",
            "block-description": "Presentatie bij Arosa", **fields}
    return client.post("/admin/other-work/block", data=data)


def _mark(client, expert_id, monday, note=""):
    return client.post("/admin/other-work/light", data={"light-expert": str(expert_id), "light-week": _week(monday),
                                                        "light-note": note})


def test_an_expert_keeps_hours_free_for_themselves_and_never_for_someone_else(app, client, auth):
    tess, amal = _ids(app)
    auth.login("tess@test.example")
    next_monday = this_monday() + timedelta(weeks=1)
    assert _block(client, tess, next_monday, **{"block-hours": "3,5"}).status_code == 302
    assert _block(client, amal, next_monday).status_code == 403
    assert _blocks(app) == [("Tess", 3.5, "Presentatie bij Arosa")]
    page = client.get("/admin/other-work/").get_data(as_text=True)
    assert "Presentatie bij Arosa" in page and "3,5 u" in page


def test_the_lead_keeps_hours_free_for_an_expert_and_the_coordinator_may_not(app, client, auth):
    tess, _amal = _ids(app)
    auth.login("coordinator")
    assert _block(client, tess, this_monday()).status_code == 403
    auth.logout()
    auth.login("lead")
    assert _block(client, tess, this_monday()).status_code == 302
    assert _blocks(app) == [("Tess", 4.0, "Presentatie bij Arosa")]
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(object_type="HoursBlock", action="create").count() == 1


@pytest.mark.parametrize("fields", [{"block-hours": "0"}, {"block-hours": "41"}, {"block-hours": "veel"},
                                    {"block-description": ""}, {"block-week": "2001-W01"}])
def test_bad_blocked_hours_are_refused_and_change_nothing(app, client, auth, fields):
    tess, _amal = _ids(app)
    auth.login("lead")
    response = _block(client, tess, this_monday(), **fields)
    assert response.status_code == 302 and _blocks(app) == []
    assert "alert-danger" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_past_cannot_be_blocked_or_lightened(app):
    with app.app_context():
        tess = new_expert()
        last = this_monday() - timedelta(weeks=1)
        with pytest.raises(RuleError):
            rules.add_block(tess, last, 4, "te laat")
        with pytest.raises(RuleError):
            rules.mark_light_week(tess, last)


@every_date
def test_an_expert_or_the_coordinator_marks_a_light_week_once(app, client, auth):
    tess, amal = _ids(app)
    next_monday = this_monday() + timedelta(weeks=1)
    auth.login("tess@test.example")
    assert _mark(client, tess, next_monday, "rustiger aan").status_code == 302
    assert _mark(client, amal, next_monday).status_code == 403
    auth.logout()
    auth.login("coordinator")
    response = _mark(client, tess, next_monday)
    assert "al een lichte week" in client.get(response.headers["Location"]).get_data(as_text=True)
    _mark(client, amal, next_monday)
    assert _light(app) == [("Amal", next_monday), ("Tess", next_monday)]


def test_an_expert_removes_only_their_own_light_weeks_and_blocks(app, client, auth):
    tess, amal = _ids(app)
    with app.app_context():
        theirs = rules.add_block(db.session.get(type(expert("amal")), amal), this_monday(), 2, "Training").id
        light = rules.mark_light_week(db.session.get(type(expert("amal")), amal), this_monday()).id
        db.session.commit()
    auth.login("tess@test.example")
    assert client.post(f"/admin/other-work/block/{theirs}/delete").status_code == 404
    assert client.post(f"/admin/other-work/light/{light}/delete").status_code == 404
    auth.logout()
    auth.login("amal@eih.example")
    assert client.post(f"/admin/other-work/block/{theirs}/delete").status_code == 302
    assert client.post(f"/admin/other-work/light/{light}/delete").status_code == 302
    assert _blocks(app) == [] and _light(app) == []
