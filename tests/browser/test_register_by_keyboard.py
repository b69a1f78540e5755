"""The attendance register works from the keyboard alone, in a real browser."""
from __future__ import annotations

from eih import clock
from eih.extensions import db
from eih.plugins.supportgroups.models import Attendance, Group, Session


def _last_held_session(app):
    with app.app_context():
        group = db.session.execute(db.select(Group).filter_by(name="Mannengroep")).scalar_one()
        session = db.session.execute(
            db.select(Session).where(Session.group_id == group.id, Session.status == "held",
                                     Session.starts_at < clock.now()).order_by(Session.starts_at.desc()).limit(1)
        ).scalar_one()
        return session.id


def _states(app, session_id):
    with app.app_context():
        return sorted(a.status for a in db.session.query(Attendance).filter_by(session_id=session_id))


def test_coordinator_marks_all_present_then_one_absent_without_a_mouse(app, login, live_server):
    session_id = _last_held_session(app)
    page = login("coordinator")
    register = f"{live_server}/admin/supportgroups/session/{session_id}/register"
    page.goto(register)
    # the first member's first choice has the focus; one step back is "All present"
    page.keyboard.press("Shift+Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    states = _states(app, session_id)
    assert states and set(states) == {"present"}

    page.goto(register)
    page.locator("input[type=radio][autofocus]").focus()
    page.keyboard.press("ArrowRight")  # the next choice of the same member: absent with notice
    with page.expect_navigation():
        page.keyboard.press("Enter")  # Enter saves what is marked; it never means "all present"
    after = _states(app, session_id)
    assert after.count("absent-notice") == 1 and after.count("present") == len(states) - 1
