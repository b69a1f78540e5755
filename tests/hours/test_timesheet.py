"""The weekly timesheet: the expert adds other work and submits; the lead approves or
returns it with a comment; an approved week is locked, and a later change by the lead
is written to the access log. Bad input changes nothing."""
from __future__ import annotations

from datetime import timedelta

import pytest

from eih.extensions import db
from eih.hours.models import Entry, Timesheet
from eih.models import AuditEvent, Municipality
from tests.dates import every_date
from tests.hours.helpers import at, contact, expert, new_expert, region, this_monday


def _week(monday) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def _setup(app):
    """Tess, with one contact form last Tuesday."""
    with app.app_context():
        tess = new_expert()
        monday = this_monday() - timedelta(weeks=1)
        contact(tess, at(monday + timedelta(days=1), 10), minutes=60, heaviness=3)
        db.session.commit()
        return tess.id, monday


def _entry(app, expert_id, origin="own") -> int:
    """The id of the one row of ``origin`` on the expert's timesheets."""
    with app.app_context():
        return db.session.execute(db.select(Entry.id).join(Timesheet).where(
            Timesheet.expert_id == expert_id, Entry.origin == origin)).scalar_one()


def _add(client, expert_id, monday, **fields):
    data = {"day": (monday + timedelta(days=2)).isoformat(), "hours": "1,5", "activity": "travel",
            "label": "Reis naar Schiedam", **fields}
    return client.post(f"/admin/hours/week/row?expert={expert_id}&week={_week(monday)}", data=data)


def _sheet(app, expert_id, monday):
    with app.app_context():
        sheet = db.session.execute(db.select(Timesheet).filter_by(expert_id=expert_id, week_start=monday)
                                   ).scalar_one_or_none()
        return None if sheet is None else (sheet.status, sorted((e.origin, e.activity, e.hours) for e in sheet.entries),
                                           sheet.comment)


@every_date
def test_the_expert_adds_other_work_and_submits_and_the_records_are_kept_with_the_week(app, client, auth):
    tess, monday = _setup(app)
    auth.login("tess@test.example")
    page = client.get(f"/admin/hours/week?week={_week(monday)}").get_data(as_text=True)
    assert "casuïstiek" in page and "1 u" in page and "Deze week indienen" in page
    assert _add(client, tess, monday).status_code == 302
    assert client.post(f"/admin/hours/week/submit?week={_week(monday)}").status_code == 302
    status, entries, _comment = _sheet(app, tess, monday)
    assert status == "submitted"
    assert entries == [("own", "travel", 1.5), ("record", "casework", 1.0)]
    page = client.get(f"/admin/hours/week?week={_week(monday)}").get_data(as_text=True)
    assert "ingediend" in page and "Overig werk toevoegen" not in page


def test_the_lead_returns_a_week_with_a_comment_and_the_expert_can_change_it_again(app, client, auth):
    tess, monday = _setup(app)
    auth.login("tess@test.example")
    _add(client, tess, monday)
    client.post(f"/admin/hours/week/submit?week={_week(monday)}")
    auth.logout()
    auth.login("lead")
    url = f"/admin/hours/week/decide?expert={tess}&week={_week(monday)}"
    client.post(url, data={"action": "return", "comment": ""})
    assert _sheet(app, tess, monday)[0] == "submitted"  # a return needs a comment: nothing changed
    client.post(url, data={"action": "return", "comment": "De reistijd klopt niet."})
    status, entries, comment = _sheet(app, tess, monday)
    assert (status, entries, comment) == ("returned", [("own", "travel", 1.5)], "De reistijd klopt niet.")
    auth.logout()
    auth.login("tess@test.example")
    page = client.get(f"/admin/hours/week?week={_week(monday)}").get_data(as_text=True)
    assert "De reistijd klopt niet." in page and "Teruggestuurd" in page
    assert client.post(f"/admin/hours/row/{_entry(app, tess)}/delete").status_code == 302
    assert _sheet(app, tess, monday)[1] == []


def test_an_approved_week_is_locked_for_the_expert(app, client, auth):
    tess, monday = _setup(app)
    auth.login("tess@test.example")
    _add(client, tess, monday)
    client.post(f"/admin/hours/week/submit?week={_week(monday)}")
    auth.logout()
    auth.login("lead")
    client.post(f"/admin/hours/week/decide?expert={tess}&week={_week(monday)}", data={"action": "approve"})
    assert _sheet(app, tess, monday)[0] == "approved"
    auth.logout()
    auth.login("tess@test.example")
    before = _sheet(app, tess, monday)
    _add(client, tess, monday, hours="3")
    client.post(f"/admin/hours/row/{_entry(app, tess)}/delete")
    client.post(f"/admin/hours/week/submit?week={_week(monday)}")
    assert _sheet(app, tess, monday) == before


def test_a_change_by_the_lead_after_approval_is_written_to_the_access_log(app, client, auth):
    tess, monday = _setup(app)
    auth.login("tess@test.example")
    client.post(f"/admin/hours/week/submit?week={_week(monday)}")
    auth.logout()
    auth.login("lead")
    client.post(f"/admin/hours/week/decide?expert={tess}&week={_week(monday)}", data={"action": "approve"})
    assert _add(client, tess, monday, activity="training", hours="2").status_code == 302
    client.post(f"/admin/hours/row/{_entry(app, tess, 'record')}/delete")
    status, entries, _comment = _sheet(app, tess, monday)
    assert status == "approved" and entries == [("own", "training", 2.0)]
    with app.app_context():
        details = [e.detail for e in db.session.execute(db.select(AuditEvent).filter_by(
            object_type="TimesheetEntry", user_id=_lead_id())).scalars()]
    assert f"add row after approval of {_week(monday)}" in details
    assert f"delete row after approval of {_week(monday)}" in details


def _lead_id() -> int:
    from eih.models import User
    return db.session.execute(db.select(User.id).filter_by(email="lead@eih.example")).scalar_one()


@pytest.mark.parametrize("fields, message", [
    ({"hours": "anderhalf"}, "Vul de uren in als getal"),
    ({"hours": "0"}, "boven 0"),
    ({"hours": "25"}, "ten hoogste 24"),
    ({"activity": "casework"}, "Soort werk: Ongeldige keuze"),
    ({"day": "2001-01-01"}, "Dag: Ongeldige keuze"),
    ({"label": "x" * 201}, "200"),
])
def test_bad_input_on_a_timesheet_gives_a_dutch_message_and_changes_nothing(app, client, auth, fields, message):
    tess, monday = _setup(app)
    auth.login("tess@test.example")
    response = _add(client, tess, monday, **fields)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert message in page
    assert _sheet(app, tess, monday) is None


def test_a_municipality_of_another_region_is_refused(app, client, auth):
    tess, monday = _setup(app)
    with app.app_context():
        other = db.session.execute(db.select(Municipality).where(Municipality.region_id != region().id)).scalars().first()
    auth.login("tess@test.example")
    _add(client, tess, monday, municipality=str(other.id))
    assert _sheet(app, tess, monday) is None


def test_a_day_holds_at_most_24_hours(app, client, auth):
    tess, monday = _setup(app)
    auth.login("tess@test.example")
    day = (monday + timedelta(days=1)).isoformat()  # the day of the one-hour contact
    _add(client, tess, monday, day=day, hours="20")
    response = _add(client, tess, monday, day=day, hours="3,5")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "meer dan 24 uur" in page
    assert _sheet(app, tess, monday)[1] == [("own", "travel", 20.0)]


def test_a_week_that_has_not_begun_cannot_be_submitted(app, client, auth):
    tess, _monday = _setup(app)
    auth.login("tess@test.example")
    later = this_monday() + timedelta(weeks=1)
    response = client.post(f"/admin/hours/week/submit?week={_week(later)}")
    assert "zodra die begonnen is" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert _sheet(app, tess, later) is None


def test_an_expert_never_sees_or_changes_another_experts_hours(app, client, auth):
    tess, monday = _setup(app)
    with app.app_context():
        amal = expert("amal").id
    auth.login("tess@test.example")
    _add(client, tess, monday)
    auth.logout()
    auth.login("amal@eih.example")
    assert client.get(f"/admin/hours/week?expert={tess}&week={_week(monday)}").status_code == 403
    assert _add(client, tess, monday).status_code == 403
    assert client.post(f"/admin/hours/row/{_entry(app, tess)}/delete").status_code == 404
    assert client.get(f"/admin/hours/month.csv?expert={amal}&month=2026-11").status_code == 403
    assert _sheet(app, tess, monday)[1] == [("own", "travel", 1.5)]


def test_the_lead_sees_the_regions_timesheets_and_another_regions_lead_does_not(app, client, auth):
    tess, monday = _setup(app)
    auth.login("lead")
    page = client.get(f"/admin/hours/?week={_week(monday)}").get_data(as_text=True)
    assert "Tess" in page and "Amal" in page and "Noor" not in page
    assert "Tess" in client.get(f"/admin/hours/week?expert={tess}&week={_week(monday)}").get_data(as_text=True)
    auth.logout()
    auth.login("lead_b")
    assert client.get(f"/admin/hours/week?expert={tess}&week={_week(monday)}").status_code == 404
    assert _add(client, tess, monday).status_code == 404


def test_the_coordinator_reads_timesheets_but_changes_nothing(app, client, auth):
    tess, monday = _setup(app)
    auth.login("coordinator")
    assert "Tess" in client.get(f"/admin/hours/week?expert={tess}&week={_week(monday)}").get_data(as_text=True)
    assert _add(client, tess, monday).status_code == 403
    assert client.post(f"/admin/hours/week/decide?expert={tess}&week={_week(monday)}",
                       data={"action": "approve"}).status_code == 403
    assert _sheet(app, tess, monday) is None
