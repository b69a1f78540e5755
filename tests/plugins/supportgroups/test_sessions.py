"""Sessions from the cadence: weekly, every two weeks, custom dates, skipped dates."""
from datetime import date, datetime, time

import pytest

from eih import clock
from eih.extensions import db
from eih.plugins.supportgroups.models import NoSessionDate, Session
from eih.plugins.supportgroups.rules import RuleError, cadence_dates, generate_sessions, mark_no_session

from .helpers import group


def test_weekly_group_meets_every_tuesday_except_skipped_dates(app):
    with app.app_context():
        g = group(weekday=1, start_time=time(19, 30), duration_minutes=90)  # 2024-01-02 is a Tuesday
        db.session.add(NoSessionDate(group=g, date=date(2024, 1, 16), reason="venue closed"))
        created = generate_sessions(g, date(2024, 1, 1), date(2024, 1, 31))
        assert [s.starts_at for s in created] == [datetime(2024, 1, d, 19, 30) for d in (2, 9, 23, 30)]
        assert all(s.status == "planned" and (s.ends_at - s.starts_at).seconds == 90 * 60 for s in created)


def test_biweekly_rhythm_counts_from_the_groups_start_not_from_the_period(app):
    with app.app_context():
        g = group(cadence="biweekly", weekday=3, active_from=date(2024, 1, 1))  # first Thursday: 4 Jan
        db.session.add(NoSessionDate(group=g, date=date(2024, 2, 1)))
        created = generate_sessions(g, date(2024, 1, 10), date(2024, 2, 29))
        assert [s.date for s in created] == [date(2024, 1, 18), date(2024, 2, 15), date(2024, 2, 29)]


def test_generating_twice_plans_each_date_once(app):
    with app.app_context():
        g = group()
        generate_sessions(g, date(2024, 1, 1), date(2024, 1, 31))
        assert generate_sessions(g, date(2024, 1, 1), date(2024, 2, 7)) and \
            db.session.query(Session).filter_by(group_id=g.id).count() == 6


def test_series_ends_on_active_until(app):
    with app.app_context():
        g = group(active_until=date(2024, 1, 10))
        assert cadence_dates(g, date(2024, 1, 1), date(2024, 3, 1)) == [date(2024, 1, 2), date(2024, 1, 9)]


def test_custom_dates_are_used_as_given(app):
    with app.app_context():
        g = group(cadence="custom", custom_dates="2024-02-05, 2024-01-08,2024-03-04")
        assert cadence_dates(g, date(2024, 1, 1), date(2024, 2, 29), {date(2024, 2, 5)}) == [date(2024, 1, 8)]


def test_period_ending_before_it_starts_is_refused(app):
    with app.app_context():
        with pytest.raises(RuleError):
            generate_sessions(group(), date(2024, 2, 1), date(2024, 1, 1))


def test_marking_a_no_session_date_cancels_the_planned_session_with_its_reason(app):
    with app.app_context():
        g = group()
        generate_sessions(g, date(2024, 1, 1), date(2024, 1, 31))
        mark_no_session(g, date(2024, 1, 9), "kerstvakantie")
        session = next(s for s in g.sessions if s.date == date(2024, 1, 9))
        assert (session.status, session.cancel_reason) == ("cancelled", "kerstvakantie")


def test_generate_page_plans_sessions_and_refuses_a_bad_period(app, client, auth):
    auth.login("coordinator")
    with app.app_context():
        g = group(active_from=clock.today())
        db.session.commit()
        gid = g.id
    start = clock.today().isoformat()
    response = client.post(f"/admin/supportgroups/group/{gid}/generate", data={"start": start, "end": "nonsense"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.query(Session).filter_by(group_id=gid).count() == 0
    client.post(f"/admin/supportgroups/group/{gid}/generate",
                data={"start": start, "end": date.fromordinal(clock.today().toordinal() + 27).isoformat()})
    with app.app_context():
        assert db.session.query(Session).filter_by(group_id=gid).count() == 4
