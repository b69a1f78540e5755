"""The attendance register: three states, all present, late corrections audited."""
from datetime import date, datetime, timedelta

import pytest

from eih import clock
from eih.extensions import db
from eih.models import AuditEvent
from eih.plugins.supportgroups.models import Attendance, Session
from eih.plugins.supportgroups.rules import RuleError, record_attendance
from tests.conftest import csrf_token

from .helpers import by_slug, expert, group, person


def _yesterday_session(slug="vrouwengroep", **fields):
    g = by_slug(slug)
    start = datetime.combine(clock.today() - timedelta(days=1), datetime.min.time()).replace(hour=10)
    session = Session(group=g, starts_at=start, ends_at=start + timedelta(hours=2), status="planned", **fields)
    db.session.add(session)
    db.session.commit()
    return session


def _members(session):
    return sorted((p for p in session.group.participants if p.status == "member"), key=lambda p: p.id)


def test_register_records_the_three_states_and_the_session_counts_as_held(app, client, auth):
    with app.app_context():
        session = _yesterday_session()
        sid = session.id
        a, b, c = _members(session)[:3]
        rest = _members(session)[3:]
        form = {f"p-{a.id}": "present", f"p-{b.id}": "absent-notice", f"p-{c.id}": "absent",
                **{f"p-{p.id}": "present" for p in rest}}
        ids = (a.id, b.id, c.id)
    auth.login("expert")  # Amal leads the women's group
    page = client.get(f"/admin/supportgroups/session/{sid}/register").get_data(as_text=True)
    assert 'accesskey="a"' in page and 'type="radio"' in page
    assert client.post(f"/admin/supportgroups/session/{sid}/register", data=form).status_code == 302
    with app.app_context():
        marks = {x.participant_id: x.status for x in db.session.query(Attendance).filter_by(session_id=sid)}
        assert [marks[i] for i in ids] == ["present", "absent-notice", "absent"]
        assert db.session.get(Session, sid).status == "held"


def test_all_present_in_one_click(app, client, auth):
    with app.app_context():
        session = _yesterday_session()
        sid, n = session.id, len(_members(session))
    auth.login("coordinator")
    client.post(f"/admin/supportgroups/session/{sid}/register", data={"all_present": "1"})
    with app.app_context():
        statuses = [x.status for x in db.session.query(Attendance).filter_by(session_id=sid)]
        assert statuses == ["present"] * n


def test_register_with_someone_unmarked_saves_nothing(app, client, auth):
    with app.app_context():
        session = _yesterday_session()
        sid, first = session.id, _members(session)[0].id
    auth.login("coordinator")
    response = client.post(f"/admin/supportgroups/session/{sid}/register", data={f"p-{first}": "present"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.query(Attendance).filter_by(session_id=sid).count() == 0


def test_unknown_state_is_refused(app):
    with app.app_context():
        session = _yesterday_session()
        with pytest.raises(RuleError, match="Onbekende presentie"):
            record_attendance(session, {_members(session)[0].id: "late"})


def test_change_after_the_first_save_is_audited_as_late_correction(app, client, auth):
    with app.app_context():
        session = _yesterday_session()
        sid, first = session.id, _members(session)[0].id
    auth.login("coordinator")
    client.post(f"/admin/supportgroups/session/{sid}/register", data={"all_present": "1"})
    with app.app_context():
        others = {f"p-{p.id}": "present" for p in _members(db.session.get(Session, sid))}
        assert db.session.query(AuditEvent).filter_by(detail="late correction").count() == 0
    client.post(f"/admin/supportgroups/session/{sid}/register", data={**others, f"p-{first}": "absent-notice"})
    with app.app_context():
        event = db.session.query(AuditEvent).filter_by(detail="late correction").one()
        assert (event.action, event.object_id) == ("update", str(sid))
        assert db.session.query(Attendance).filter_by(session_id=sid, participant_id=first).one().status == "absent-notice"


def test_first_save_of_an_old_session_is_a_late_correction(app):
    with app.app_context():
        g = group(intro_required=False)
        p = person(g, "Oud")
        start = datetime(2024, 1, 2, 19)
        session = Session(group=g, starts_at=start, ends_at=start + timedelta(hours=2))
        db.session.add(session)
        record_attendance(session, {p.id: "present"}, today=date(2024, 1, 20))
        assert db.session.query(AuditEvent).filter_by(detail="late correction", action="update").count() == 1


def test_future_and_cancelled_sessions_have_no_register(app):
    with app.app_context():
        g = group(intro_required=False)
        p = person(g, "Nu")
        start = datetime.combine(clock.today() + timedelta(days=2), datetime.min.time())
        future = Session(group=g, starts_at=start, ends_at=start + timedelta(hours=2))
        cancelled = Session(group=g, starts_at=start - timedelta(days=7), ends_at=start, status="cancelled",
                            cancel_reason="ziek")
        db.session.add_all([future, cancelled])
        with pytest.raises(RuleError, match="nog niet plaatsgevonden"):
            record_attendance(future, {p.id: "present"})
        with pytest.raises(RuleError, match="afgelast"):
            record_attendance(cancelled, {p.id: "present"})


def test_expert_who_does_not_lead_the_group_cannot_fill_in_its_register(app, client, auth):
    with app.app_context():
        sid = _yesterday_session("mannengroep").id
    auth.login("expert")
    assert client.get(f"/admin/supportgroups/session/{sid}/register").status_code == 403
    assert client.post(f"/admin/supportgroups/session/{sid}/register", data={"all_present": "1"}).status_code == 403


def test_stand_in_facilitator_may_fill_in_the_register_of_their_session(app, client, auth):
    with app.app_context():
        session = _yesterday_session("mannengroep")
        session.facilitators = [expert("amal")]
        db.session.commit()
        sid = session.id
    auth.login("expert")
    assert client.get(f"/admin/supportgroups/session/{sid}/register").status_code == 200


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_register_refuses_a_post_without_csrf_token(app, client, auth):
    with app.app_context():
        sid = _yesterday_session().id
    auth_page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"email": "coordinator@eih.example", "password": "demo-password-for-tests",
                                "csrf_token": csrf_token(auth_page)})
    assert client.post(f"/admin/supportgroups/session/{sid}/register", data={"all_present": "1"}).status_code == 400
    page = client.get(f"/admin/supportgroups/session/{sid}/register").get_data(as_text=True)
    client.post(f"/admin/supportgroups/session/{sid}/register", data={"all_present": "1", "csrf_token": csrf_token(page)})
    with app.app_context():
        assert db.session.query(Attendance).filter_by(session_id=sid).count() > 0


def test_cancelling_needs_a_reason(app, client, auth):
    with app.app_context():
        sid = _yesterday_session().id
    auth.login("coordinator")
    client.post(f"/admin/supportgroups/session/{sid}/cancel", data={"reason": ""})
    with app.app_context():
        assert db.session.get(Session, sid).status == "planned"
    client.post(f"/admin/supportgroups/session/{sid}/cancel", data={"reason": "zorgtaken"})
    with app.app_context():
        assert (db.session.get(Session, sid).status, db.session.get(Session, sid).cancel_reason) == ("cancelled", "zorgtaken")


def test_the_demos_registers_are_stamped_in_utc_when_their_session_began(app):
    with app.app_context():
        held = [s for s in by_slug("mannengroep").sessions if s.status == "held"]
        assert held and all(clock.local(s.register_saved_at) == s.starts_at for s in held)
