"""Forms, the attendance register, supervision handling, home panels, CLI and demo."""
from datetime import date, datetime, timedelta, timezone

import pytest
import time_machine

from eih import clock
from eih.extensions import db
from eih.plugins import Period
from eih.plugins.intervision import plugin
from eih.plugins.intervision.models import (
    Cycle,
    IntervisionAttendance,
    IntervisionSession,
    SupervisionRequest,
    TeamMeeting,
)
from tests.conftest import DEMO_PASSWORD, csrf_token
from tests.dates import every_date

from .conftest import add_session, expert, region


def _new_session(app, days_from_today, status="planned"):
    with app.app_context():
        s = add_session(region().id, clock.today() + timedelta(days=days_from_today), status=status)
        db.session.commit()
        return s.id


def test_coordinator_registers_attendance_with_absence_reasons(app, client, auth):
    session_id = _new_session(app, -2)
    with app.app_context():
        amal, marco = expert("Amal").id, expert("Marco").id
    auth.login("coordinator")
    response = client.post(f"/admin/intervision/rhythm/register/session/{session_id}",
                           data={f"status-{amal}": "present", f"status-{marco}": "absent", f"reason-{marco}": "sickness"})
    assert response.status_code == 302
    with app.app_context():
        rows = {a.expert_id: (a.status, a.reason) for a in db.session.get(IntervisionSession, session_id).attendance}
        assert rows == {amal: ("present", ""), marco: ("absent", "sickness")}
        assert db.session.get(IntervisionSession, session_id).status == "held"


def test_absence_without_a_reason_is_refused_and_nothing_changes(app, client, auth):
    session_id = _new_session(app, -2)
    with app.app_context():
        amal, marco = expert("Amal").id, expert("Marco").id
    auth.login("coordinator")
    response = client.post(f"/admin/intervision/rhythm/register/session/{session_id}",
                           data={f"status-{amal}": "present", f"status-{marco}": "absent"})
    assert response.status_code == 400
    assert "reden" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(IntervisionAttendance).filter_by(session_id=session_id).count() == 0
        assert db.session.get(IntervisionSession, session_id).status == "planned"


def test_presence_cannot_be_recorded_before_the_session(app, client, auth):
    session_id = _new_session(app, 5)
    with app.app_context():
        amal = expert("Amal").id
    auth.login("lead")
    response = client.post(f"/admin/intervision/rhythm/register/session/{session_id}", data={f"status-{amal}": "present"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.query(IntervisionAttendance).filter_by(session_id=session_id).count() == 0


def test_register_of_another_regions_meeting_is_not_found(app, client, auth):
    session_id = _new_session(app, -2)
    auth.login("lead_b")
    assert client.get(f"/admin/intervision/rhythm/register/session/{session_id}").status_code == 404  # plugin off there
    with app.app_context():
        from eih.plugins import set_enabled
        set_enabled(region("haaglanden").id, "intervision", True)
        db.session.commit()
    assert client.get(f"/admin/intervision/rhythm/register/session/{session_id}").status_code == 404
    assert client.get(f"/admin/intervision/rhythm/register/other/{session_id}").status_code == 404


def test_themes_with_client_data_are_refused(app, client, auth):
    session_id = _new_session(app, -2, status="held")
    with app.app_context():
        s = db.session.get(IntervisionSession, session_id)
        start, end = f"{s.start:%Y-%m-%d %H:%M:%S}", f"{s.end:%Y-%m-%d %H:%M:%S}"
    auth.login("lead")
    response = client.post(f"/admin/intervision_session/edit/?id={session_id}", data={
        "start": start, "end": end, "location": "Rotterdam", "status": "held",
        "themes": "Casus van mevrouw, bereikbaar op 06-12345678"})
    assert response.status_code == 200 and "telefoonnummer" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(IntervisionSession, session_id).themes == ""


def test_the_themes_field_says_no_client_data(app, client, auth):
    auth.login("lead")
    assert "geen cliëntgegevens" in client.get("/admin/intervision_session/new/").get_data(as_text=True)


def test_lead_approves_plans_and_completes_supervision(app, client, auth):
    with app.app_context():
        amal = expert("Amal")
        r = SupervisionRequest(region_id=amal.region_id, expert_id=amal.id, reason="emotional_load")
        db.session.add(r)
        db.session.commit()
        request_id = r.id
    auth.login("lead")
    url = f"/admin/intervision_supervision/edit/?id={request_id}"
    assert client.post(url, data={"status": "done", "supervisor_name": "", "planned_for": ""}).status_code == 200
    assert client.post(url, data={"status": "approved", "supervisor_name": "", "planned_for": ""}).status_code == 302
    refused = client.post(url, data={"status": "planned", "supervisor_name": "", "planned_for": ""})
    assert refused.status_code == 200 and "supervisor" in refused.get_data(as_text=True).lower()
    assert client.post(url, data={"status": "planned", "supervisor_name": "Peter Jansen (extern)", "external": "y",
                                  "planned_for": "2030-01-10 15:00:00"}).status_code == 302
    assert client.post(url, data={"status": "done", "supervisor_name": "Peter Jansen (extern)",
                                  "planned_for": "2030-01-10 15:00:00", "external": "y"}).status_code == 302
    with app.app_context():
        r = db.session.get(SupervisionRequest, request_id)
        assert (r.status, r.supervisor_name, r.external) == ("done", "Peter Jansen (extern)", True)


def test_expert_cannot_change_a_request_the_lead_handles(app, client, auth):
    with app.app_context():
        amal = expert("Amal")
        r = SupervisionRequest(region_id=amal.region_id, expert_id=amal.id, reason="other", status="approved")
        db.session.add(r)
        db.session.commit()
        request_id = r.id
    auth.login("expert")
    response = client.post(f"/admin/intervision_mysupervision/edit/?id={request_id}",
                           data={"reason": "personal", "details": "x"})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.get(SupervisionRequest, request_id).reason == "other"


def test_one_cycle_per_region_and_thresholds_are_editable(app, client, auth):
    auth.login("coordinator")
    response = client.post("/admin/intervision_cycle/new/", data={
        "interval_weeks": "6", "weekday": "2", "start_time": "13:00", "duration_minutes": "150",
        "meeting_interval_weeks": "2", "meeting_weekday": "0", "meeting_time": "10:00", "meeting_minutes": "60",
        "meeting_mode": "online", "overdue_days": "42", "long_leave_days": "14"})
    assert response.status_code == 200  # the demo region has its cycle already
    with app.app_context():
        assert db.session.query(Cycle).count() == 1
        cycle_id = db.session.query(Cycle.id).scalar()
    response = client.post(f"/admin/intervision_cycle/edit/?id={cycle_id}", data={
        "interval_weeks": "6", "facilitator_name": "Marieke de Wit (extern)", "weekday": "2", "start_time": "13:00",
        "duration_minutes": "150", "meeting_interval_weeks": "2", "meeting_weekday": "0", "meeting_time": "10:00",
        "meeting_minutes": "60", "meeting_mode": "online", "overdue_days": "56", "long_leave_days": "21"})
    assert response.status_code == 302
    with app.app_context():
        assert (db.session.get(Cycle, cycle_id).overdue_days, db.session.get(Cycle, cycle_id).long_leave_days) == (56, 21)


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_generate_from_the_dashboard_needs_the_csrf_token(empty, client):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"email": "lead@eih.example", "password": DEMO_PASSWORD, "csrf_token": token})
    page = client.get("/admin/intervision/rhythm/").get_data(as_text=True)
    data = {"start": "2030-01-01", "end": "2030-03-31", "meetings": "y"}
    assert client.post("/admin/intervision/rhythm/generate", data=data).status_code == 400
    with empty.app_context():
        assert db.session.query(IntervisionSession).count() == 0
    response = client.post("/admin/intervision/rhythm/generate", data={**data, "csrf_token": csrf_token(page)})
    assert response.status_code == 302
    with empty.app_context():
        assert db.session.query(IntervisionSession).count() == 3
        assert db.session.query(TeamMeeting).count() == 6  # Mondays 7 Jan .. 18 Mar


def test_generate_refuses_a_bad_period(empty, client, auth):
    auth.login("lead")
    assert client.post("/admin/intervision/rhythm/generate", data={"start": "2030-05-01", "end": "2030-01-01"}).status_code == 400
    assert client.post("/admin/intervision/rhythm/generate", data={"start": "morgen", "end": "2030-01-01"}).status_code == 400
    with empty.app_context():
        assert db.session.query(IntervisionSession).count() == 0


def test_cli_plans_sessions_and_refuses_bad_input(empty, runner):
    result = runner.invoke(args=["intervision", "plan", "--region", "rotterdam-rijnmond", "--from", "2030-01-01",
                                 "--to", "2030-03-31"])
    assert result.exit_code == 0 and "3 intervision sessions" in result.output
    for args in (["--region", "nowhere", "--from", "2030-01-01", "--to", "2030-02-01"],
                 ["--region", "rotterdam-rijnmond", "--from", "1-1-2030", "--to", "2030-02-01"],
                 ["--region", "rotterdam-rijnmond", "--from", "2030-03-01", "--to", "2030-02-01"],
                 ["--region", "haaglanden", "--from", "2030-01-01", "--to", "2030-02-01"]):
        result = runner.invoke(args=["intervision", "plan", *args])
        assert result.exit_code == 2 and "Traceback" not in result.output, args
    with empty.app_context():
        assert db.session.query(IntervisionSession).count() == 3


def test_demo_is_idempotent(app):
    with app.app_context():
        before = (db.session.query(IntervisionSession).count(), db.session.query(SupervisionRequest).count())
        plugin.demo(region(), clock.today())
        db.session.commit()
        assert (db.session.query(IntervisionSession).count(), db.session.query(SupervisionRequest).count()) == before
        assert before[0] >= 4 and db.session.query(TeamMeeting).count() >= 10


@every_date
def test_home_panels_show_overdue_for_staff_and_own_dates_for_experts(app, client, auth):
    auth.login("lead")
    html = client.get("/admin/").get_data(as_text=True)
    assert "Marco" in html  # missed the last session in the demo
    auth.logout()
    auth.login("expert")
    html = client.get("/admin/").get_data(as_text=True)
    assert "Volgende intervisie" in html and "Marco" not in html


@every_date
def test_report_counts_without_content(app):
    with app.app_context():
        figures = plugin.report(region(), Period(clock.today() - timedelta(days=150), clock.today()))
        assert figures["intervision_sessions_held"] >= 3
        assert figures["experts_overdue_at_end"] >= 1
        assert "themes" not in str(figures)


def test_a_session_with_attendance_is_cancelled_not_deleted(app, client, auth):
    with app.app_context():
        held = add_session(region().id, clock.today() - timedelta(days=3), present=[expert("Amal")]).id
        empty_one = add_session(region().id, clock.today() + timedelta(days=30), status="planned").id
        db.session.commit()
    auth.login("coordinator")
    assert client.post("/admin/intervision_session/delete/", data={"id": held}).status_code == 302
    assert client.post("/admin/intervision_session/delete/", data={"id": empty_one}).status_code == 302
    with app.app_context():
        assert db.session.get(IntervisionSession, held) is not None
        assert db.session.get(IntervisionSession, empty_one) is None


def test_supervision_requests_count_in_the_period_of_their_day_in_amsterdam(empty):
    with empty.app_context():
        rr, amal = region(), expert("Amal")
        monday = date(2027, 3, 1)
        # 00:30 in Amsterdam on the Monday is 23:30 UTC on the Sunday: the request belongs to Monday's week
        with time_machine.travel(datetime(2027, 2, 28, 23, 30, tzinfo=timezone.utc), tick=False):
            db.session.add(SupervisionRequest(region_id=rr.id, expert_id=amal.id, reason="emotional_load"))
            db.session.commit()
        week = plugin.report(rr, Period(monday, monday + timedelta(days=6)))
        week_before = plugin.report(rr, Period(monday - timedelta(days=7), monday - timedelta(days=1)))
        assert week["supervision_requests"] == {"requested": 1}
        assert week_before["supervision_requests"] == {}


def test_the_lead_reads_when_a_supervision_request_was_made_in_amsterdam_time(app, client, auth):
    with app.app_context():
        amal = expert("Amal")
        with time_machine.travel(datetime(2027, 7, 1, 8, 15, tzinfo=timezone.utc), tick=False):  # 10:15 in summer
            db.session.add(SupervisionRequest(region_id=amal.region_id, expert_id=amal.id, reason="emotional_load"))
            db.session.commit()
    auth.login("lead")
    page = client.get("/admin/intervision_supervision/").get_data(as_text=True)
    assert "2027-07-01 10:15" in page and "08:15" not in page
