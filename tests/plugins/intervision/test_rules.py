"""The rhythm and overdue rules on hand-made histories with known answers."""
from datetime import date, datetime, timedelta
from types import SimpleNamespace as NS

from eih.plugins.intervision import rules

WED = 2
CYCLE = NS(interval_weeks=6, weekday=WED)


def session(day, status="held"):
    return NS(start=datetime.combine(day, datetime.min.time()).replace(hour=13), status=status)


def leave(start, days):
    begin = datetime.combine(start, datetime.min.time())
    return NS(start=begin, end=begin + timedelta(days=days))


def test_sessions_are_generated_every_six_weeks_on_the_cycle_weekday():
    dates = rules.rhythm_dates([], date(2026, 1, 1), date(2026, 6, 30), 6, WED)
    assert dates == [date(2026, 1, 7), date(2026, 2, 18), date(2026, 4, 1), date(2026, 5, 13), date(2026, 6, 24)]
    assert all((b - a).days == 42 for a, b in zip(dates, dates[1:]))


def test_generation_continues_the_chain_from_the_latest_session_before_the_period():
    dates = rules.rhythm_dates([date(2026, 1, 14)], date(2026, 2, 1), date(2026, 4, 30), 6, WED)
    assert dates == [date(2026, 2, 25), date(2026, 4, 8)]


def test_generation_does_not_plan_twice_nor_replan_a_cancelled_date():
    existing = [date(2026, 1, 7), date(2026, 2, 18)]  # the second may be cancelled: still not planned again
    assert rules.rhythm_dates(existing, date(2026, 1, 1), date(2026, 3, 1), 6, WED) == []
    # a manual session a few days off the rhythm takes the place of the generated one
    assert rules.rhythm_dates([date(2026, 2, 20)], date(2026, 2, 1), date(2026, 4, 5), 6, WED) == [date(2026, 4, 1)]


def test_next_session_is_computed_from_the_last_held_one_not_from_the_calendar():
    held = [session(date(2026, 1, 7)), session(date(2026, 2, 18))]
    assert rules.next_session_date(CYCLE, held) == date(2026, 4, 1)
    moved = [session(date(2026, 1, 7)), session(date(2026, 2, 25))]  # the second moved a week later
    assert rules.next_session_date(CYCLE, moved) == date(2026, 4, 8)
    cancelled = held + [session(date(2026, 4, 1), "cancelled")]
    assert rules.next_session_date(CYCLE, cancelled) == date(2026, 4, 1)  # still due: the gap stays visible
    assert rules.next_session_date(CYCLE, [session(date(2026, 1, 7), "planned")]) is None


def test_a_session_moved_to_another_weekday_keeps_the_gap_within_the_interval():
    assert rules.step(date(2026, 2, 19), 6, WED) == date(2026, 4, 1)  # Thursday + 6 weeks -> the Wednesday before


def test_realigned_starts_follow_the_moved_session_and_keep_their_time():
    anchor = datetime(2026, 2, 25, 13, 0)
    following = [datetime(2026, 4, 1, 13, 0), datetime(2026, 5, 13, 10, 0)]
    assert rules.realigned_starts(anchor, following, 6) == [datetime(2026, 4, 8, 13, 0), datetime(2026, 5, 20, 10, 0)]


def test_overdue_after_more_than_42_days():
    today = date(2026, 3, 1)
    assert not rules.is_overdue(today - timedelta(days=42), today, 42, False)
    assert rules.is_overdue(today - timedelta(days=43), today, 42, False)
    assert rules.is_overdue(None, today, 42, False)  # never attended
    assert not rules.is_overdue(today - timedelta(days=43), today, 60, False)  # configurable


def test_expert_on_long_leave_is_shown_on_leave_not_overdue():
    today = date(2026, 3, 1)
    assert not rules.is_overdue(today - timedelta(days=90), today, 42, True)
    assert rules.rhythm_state(today - timedelta(days=90), today, 42, True) == "on_leave"
    assert rules.rhythm_state(today - timedelta(days=90), today, 42, False) == "overdue"
    assert rules.rhythm_state(today - timedelta(days=10), today, 42, False) == "ok"


def test_long_leave_covers_today_and_lasts_long_enough():
    today = date(2026, 3, 1)
    assert rules.is_on_long_leave([leave(date(2026, 2, 20), 21)], today, 14)
    assert rules.is_on_long_leave([leave(date(2026, 2, 16), 14)], today, 14)  # exactly 14 days
    assert not rules.is_on_long_leave([leave(date(2026, 2, 27), 3)], today, 14)  # short leave
    assert not rules.is_on_long_leave([leave(date(2026, 1, 1), 30)], today, 14)  # over already
    assert not rules.is_on_long_leave([leave(date(2026, 3, 2), 30)], today, 14)  # not started yet


def test_themes_that_look_like_client_data_are_recognised():
    assert rules.client_data_hints("Grenzen stellen; zelfzorg na een crisisinzet") == []
    assert rules.client_data_hints("bel 06-12345678") == ["phone number"]
    assert rules.client_data_hints("woont op 3011 AB") == ["postcode"]
    assert rules.client_data_hints("mail j.jansen@example.nl") == ["e-mail address"]
    assert rules.client_data_hints("in 2024 en daarna") == []


def test_supervision_goes_forward_from_requested_to_done():
    assert rules.supervision_step_allowed("requested", "approved")
    assert rules.supervision_step_allowed("approved", "planned")
    assert rules.supervision_step_allowed("planned", "done")
    assert not rules.supervision_step_allowed("requested", "done")
    assert not rules.supervision_step_allowed("done", "requested")
