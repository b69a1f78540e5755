"""The app's one clock: Amsterdam's date and time, UTC record stamps, and the date matrix itself."""
from datetime import date, datetime, timedelta, timezone

import time_machine

from eih import clock
from eih.extensions import db
from eih.models import Expert, Unavailability, User
from tests.dates import DATES, every_date


def test_just_after_midnight_in_amsterdam_it_is_already_the_next_day_though_utc_is_not():
    with time_machine.travel(datetime(2026, 11, 29, 23, 30, tzinfo=timezone.utc), tick=False):
        assert clock.today() == date(2026, 11, 30)  # a Monday in Amsterdam
        assert clock.now() == datetime(2026, 11, 30, 0, 30)
        assert clock.utcnow() == datetime(2026, 11, 29, 23, 30)


def test_summer_time_is_two_hours_ahead_of_utc_and_winter_time_one():
    with time_machine.travel(datetime(2027, 7, 1, 21, 45, tzinfo=timezone.utc), tick=False):
        assert clock.now() == datetime(2027, 7, 1, 23, 45)
    with time_machine.travel(datetime(2027, 1, 1, 21, 45, tzinfo=timezone.utc), tick=False):
        assert clock.now() == datetime(2027, 1, 1, 22, 45)


def test_the_night_of_the_spring_change_skips_an_hour_and_the_autumn_one_repeats_it():
    with time_machine.travel(datetime(2027, 3, 28, 0, 59, tzinfo=timezone.utc), tick=False):
        assert clock.now() == datetime(2027, 3, 28, 1, 59)
    with time_machine.travel(datetime(2027, 3, 28, 1, 0, tzinfo=timezone.utc), tick=False):
        assert clock.now() == datetime(2027, 3, 28, 3, 0)
    first, second = datetime(2027, 10, 31, 0, 30), datetime(2027, 10, 31, 1, 30)  # UTC
    assert clock.local(first) == clock.local(second) == datetime(2027, 10, 31, 2, 30)


def test_local_and_utc_convert_record_stamps_both_ways():
    assert clock.local(datetime(2027, 1, 15, 8, 5)) == datetime(2027, 1, 15, 9, 5)
    assert clock.utc(datetime(2027, 1, 15, 9, 5)) == datetime(2027, 1, 15, 8, 5)
    assert clock.utc(datetime(2027, 7, 1, 0, 30)) == datetime(2027, 6, 30, 22, 30)


def test_the_matrix_has_each_weekday_a_week_53_a_leap_day_and_both_dst_nights():
    moments = [p.values[0] for p in DATES]
    local = [m.astimezone(clock.ZONE) for m in moments]
    assert {m.weekday() for m in local} == set(range(7))
    assert any(m.date() == date(2026, 12, 31) and m.isocalendar()[1] == 53 for m in local)
    assert any((m.month, m.day) == (1, 1) for m in local)
    assert any((m.month, m.day) == (2, 29) for m in local)
    assert {(m.year, m.month, m.day) for m in local} >= {(2027, 3, 28), (2027, 10, 31)}


@every_date
def test_a_travelling_test_gets_the_demo_loaded_on_its_own_date(app, travel):
    assert clock.now() - travel.astimezone(clock.ZONE).replace(tzinfo=None) < timedelta(minutes=5)
    monday = clock.today() - timedelta(days=clock.today().weekday())
    with app.app_context():
        priya = db.session.execute(db.select(Expert).join(User).where(User.name == "Priya")).scalar_one()
        leave = db.session.execute(db.select(Unavailability).filter_by(expert_id=priya.id)).scalar_one()
        assert leave.start == datetime.combine(monday, datetime.min.time())  # the demo: on leave from this Monday
