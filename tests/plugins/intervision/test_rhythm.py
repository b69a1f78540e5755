"""The rhythm dashboard and generation on hand-made histories with known answers."""
from datetime import date, datetime, timedelta

from eih.extensions import db
from eih.models import Unavailability
from eih.plugins.intervision import rules
from eih.plugins.intervision.models import Cycle, IntervisionSession
from tests.dates import every_date

from .conftest import add_session, expert, region

TODAY = date(2030, 3, 6)  # a Wednesday, far from the demo's dates


def _states(rows):
    return {r["expert"].name: (r["last"], r["days_since"], r["state"]) for r in rows}


def test_overdue_flags_on_a_hand_made_history(empty):
    with empty.app_context():
        rr = region()
        amal, marco, priya, kwame = (expert(n) for n in ("Amal", "Marco", "Priya", "Kwame"))
        everyone = [amal, marco, priya, kwame]
        add_session(rr.id, date(2030, 1, 1), present=everyone)
        add_session(rr.id, date(2030, 1, 23), present=[amal, priya], absent=[marco, kwame])
        add_session(rr.id, date(2030, 2, 13), status="cancelled")
        # Priya: long leave covering today; Kwame: a short leave, so no exception
        db.session.add(Unavailability(expert=priya, reason="sickness", start=datetime(2030, 2, 20),
                                      end=datetime(2030, 3, 20)))
        db.session.add(Unavailability(expert=kwame, reason="leave", start=datetime(2030, 3, 5),
                                      end=datetime(2030, 3, 8)))
        db.session.commit()
        states = _states(rules.rhythm_rows(rr, TODAY))
        assert states["Amal"] == (date(2030, 1, 23), 42, "ok")
        assert states["Marco"] == (date(2030, 1, 1), 64, "overdue")
        assert states["Priya"][2] == "on_leave"
        assert states["Kwame"] == (date(2030, 1, 1), 64, "overdue")
        assert states["Yvonne"] == (None, None, "overdue")  # never attended
        assert _states(rules.rhythm_rows(rr, TODAY + timedelta(days=1)))["Amal"][2] == "overdue"


def test_overdue_limit_and_leave_length_come_from_the_cycle(empty):
    with empty.app_context():
        rr = region()
        amal, priya = expert("Amal"), expert("Priya")
        add_session(rr.id, date(2030, 1, 1), present=[amal, priya])
        db.session.add(Unavailability(expert=priya, reason="leave", start=datetime(2030, 3, 2),
                                      end=datetime(2030, 3, 12)))  # ten days
        db.session.add(Cycle(region_id=rr.id, overdue_days=70, long_leave_days=7))
        db.session.commit()
        states = _states(rules.rhythm_rows(rr, TODAY))
        assert states["Amal"][2] == "ok"
        assert states["Priya"][2] == "on_leave"


def test_generation_plans_every_six_weeks_and_team_meetings_every_two(empty):
    with empty.app_context():
        rr = region()
        sessions, meetings = rules.generate(rr, date(2030, 1, 1), date(2030, 6, 30))
        db.session.commit()
        days = [s.start.date() for s in sessions]
        assert days == [date(2030, 1, 2), date(2030, 2, 13), date(2030, 3, 27), date(2030, 5, 8), date(2030, 6, 19)]
        assert all(s.start.hour == 13 and s.end - s.start == timedelta(minutes=150) for s in sessions)
        gaps = {(b.start - a.start).days for a, b in zip(meetings, meetings[1:])}
        assert gaps == {14} and meetings[0].start.weekday() == 0
        again, again_meetings = rules.generate(rr, date(2030, 1, 1), date(2030, 6, 30))
        assert again == [] and again_meetings == []  # idempotent


def test_generation_refuses_a_backwards_period(empty):
    with empty.test_request_context():
        rr = region()
        try:
            rules.generate(rr, date(2030, 6, 1), date(2030, 1, 1))
        except rules.RuleError as exc:
            assert "period" in str(exc) or "periode" in str(exc)
        else:
            raise AssertionError("a backwards period was accepted")
        assert db.session.query(IntervisionSession).count() == 0


def test_moving_a_session_recomputes_the_rhythm_of_the_later_ones(empty, client, auth):
    with empty.app_context():
        rr = region()
        rules.generate(rr, date(2030, 1, 1), date(2030, 4, 30), meetings=False)
        db.session.commit()
        first, second, third = db.session.query(IntervisionSession).order_by(IntervisionSession.start).all()
        second_id, third_id = second.id, third.id
        assert (second.start.date(), third.start.date()) == (date(2030, 2, 13), date(2030, 3, 27))
    auth.login("coordinator")
    response = client.post(f"/admin/intervision_session/edit/?id={second_id}", data={
        "start": "2030-02-20 13:00:00", "end": "2030-02-13 15:30:00", "location": "Rotterdam",
        "facilitator_name": "", "status": "planned", "themes": "", "keep_rhythm": "y"})
    assert response.status_code == 302
    with empty.app_context():
        second, third = db.session.get(IntervisionSession, second_id), db.session.get(IntervisionSession, third_id)
        assert second.start == datetime(2030, 2, 20, 13) and second.end == datetime(2030, 2, 20, 15, 30)
        assert second.moved_from == datetime(2030, 2, 13, 13)
        assert third.start == datetime(2030, 4, 3, 13) and third.moved_from == datetime(2030, 3, 27, 13)
        second.status = "held"
        db.session.commit()
        summary = rules.rhythm_summary(region(), date(2030, 3, 1))
        assert summary["last_held"] == date(2030, 2, 20) and summary["next_due"] == date(2030, 4, 3)


def test_cancelling_keeps_the_due_date_from_the_last_held_session(empty):
    with empty.app_context():
        rr = region()
        db.session.add(Cycle(region_id=rr.id))
        add_session(rr.id, date(2030, 1, 2))
        add_session(rr.id, date(2030, 2, 13), status="cancelled")
        db.session.commit()
        summary = rules.rhythm_summary(rr, date(2030, 2, 20))
        assert summary["next_due"] == date(2030, 2, 13) and summary["next_planned"] is None
        assert rules.generate(rr, date(2030, 2, 1), date(2030, 3, 1))[0] == []  # not replanned on the cancelled date


@every_date
def test_dashboard_shows_overdue_and_on_leave(app, client, auth):
    auth.login("lead")
    html = client.get("/admin/intervision/rhythm/").get_data(as_text=True)
    assert 'data-state="overdue"' in html  # the demo: one expert missed the last session
    assert 'data-state="on_leave"' in html  # Priya: two weeks of leave
