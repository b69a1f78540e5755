"""Yearly calendar agreements put recurring sessions into the calendar, once each."""
from __future__ import annotations

from datetime import date, time, timedelta

from eih import clock
from eih.extensions import db
from eih.plugins.outreach import rules
from eih.plugins.outreach.models import OutreachAgreement, OutreachSession

from .helpers import menu_item, refused, region


def test_agreement_dates_follow_the_rhythm_from_the_first_date_and_skip_what_is_there():
    first = date(2027, 1, 7)
    assert rules.agreement_dates(first, date(2027, 3, 31), 4, [], first) == [
        date(2027, 1, 7), date(2027, 2, 4), date(2027, 3, 4)]
    # from a later day on only; a session within half an interval (any status) takes a date's place
    assert rules.agreement_dates(first, date(2027, 3, 31), 4, [date(2027, 3, 5)], date(2027, 1, 20)) == [
        date(2027, 2, 4)]
    assert rules.agreement_dates(first, date(2027, 1, 1), 4, [], first) == []
    assert rules.agreement_dates(first, date(2027, 3, 31), 0, [], first) == []


def _agreement(today: date, **fields) -> OutreachAgreement:
    values = dict(region_id=region().id, organisation="Zorginstelling Test", offer=menu_item(), first_date=today,
                  interval_weeks=4, start_time=time(9, 30), place="Hoofdkantoor", active=True)
    values.update(fields)
    made = OutreachAgreement(**values)
    db.session.add(made)
    db.session.flush()
    return made


def test_generating_an_agreement_twice_puts_each_session_in_the_calendar_once(app):
    with app.app_context():
        today = clock.today()
        made = _agreement(today, last_date=today + timedelta(weeks=20))
        created = rules.generate_agreement_sessions(made, today)
        assert [s.starts_at.date() for s in created] == [today + timedelta(weeks=4 * k) for k in range(6)]
        first = created[0]
        assert (first.starts_at.time(), first.ends_at - first.starts_at, first.place, first.status, first.offer) == (
            time(9, 30), timedelta(minutes=90), "Hoofdkantoor", "planned", made.offer)
        assert rules.generate_agreement_sessions(made, today) == []
        assert db.session.execute(db.select(db.func.count(OutreachSession.id)).filter_by(
            agreement_id=made.id)).scalar_one() == 6


def test_a_moved_or_cancelled_agreement_session_is_not_planned_again(app):
    with app.app_context():
        today = clock.today()
        made = _agreement(today, last_date=today + timedelta(weeks=12))
        first, second, third, fourth = rules.generate_agreement_sessions(made, today)
        second.starts_at += timedelta(days=3)
        second.ends_at += timedelta(days=3)
        rules.cancel_session(third, "Geen nieuwe medewerkers deze keer")
        assert rules.generate_agreement_sessions(made, today) == []


def test_only_sessions_from_today_on_go_into_the_calendar(app):
    with app.app_context():
        today = clock.today()
        made = _agreement(today - timedelta(weeks=10), last_date=today + timedelta(weeks=10))
        days = [s.starts_at.date() for s in rules.generate_agreement_sessions(made, today)]
        assert days == [today + timedelta(weeks=2), today + timedelta(weeks=6), today + timedelta(weeks=10)]


def test_the_last_date_defaults_to_the_end_of_the_first_dates_year(app):
    with app.app_context():
        made = _agreement(date(2031, 10, 1), interval_weeks=13)
        days = [s.starts_at.date() for s in rules.generate_agreement_sessions(made, date(2031, 1, 1))]
        assert days == [date(2031, 10, 1), date(2031, 12, 31)]


def test_an_agreement_covers_at_most_a_year_in_a_sensible_rhythm(app):
    with app.app_context():
        today = clock.today()
        with refused("comes before the first"):
            rules.check_agreement(_agreement(today, last_date=today - timedelta(days=1)))
        with refused("at most a year"):
            rules.check_agreement(_agreement(today, last_date=today + timedelta(days=400)))
        with refused("between 1 and 52 weeks"):
            rules.check_agreement(_agreement(today, interval_weeks=0))
        with refused("not active"):
            rules.generate_agreement_sessions(_agreement(today, active=False), today)


def test_the_lead_puts_an_agreement_in_the_calendar_from_the_overview(app, client, auth):
    with app.app_context():
        today = clock.today()
        agreement_id = _agreement(today, last_date=today + timedelta(weeks=8)).id
        db.session.commit()
    auth.login("lead")
    first = client.post(f"/admin/outreach/agreement/{agreement_id}/generate", follow_redirects=True)
    assert "3 sessie(s) in de agenda gezet." in first.get_data(as_text=True)
    again = client.post(f"/admin/outreach/agreement/{agreement_id}/generate", follow_redirects=True)
    assert "0 sessie(s) in de agenda gezet." in again.get_data(as_text=True)
    auth.logout()
    auth.login("coordinator")
    assert client.post(f"/admin/outreach/agreement/{agreement_id}/generate").status_code == 403


def test_the_command_line_generates_every_active_agreement_once(app, runner):
    with app.app_context():
        today = clock.today()
        _agreement(today, last_date=today + timedelta(weeks=8))
        db.session.commit()
    first = runner.invoke(args=["outreach", "generate", "--region", "rotterdam-rijnmond"])
    assert first.exit_code == 0 and first.output.startswith("planned 3 sessions from 2 calendar agreements")
    again = runner.invoke(args=["outreach", "generate", "--region", "rotterdam-rijnmond"])
    assert again.output.startswith("planned 0 sessions")
    for slug in ("nergens", "haaglanden"):
        bad = runner.invoke(args=["outreach", "generate", "--region", slug])
        assert bad.exit_code == 2 and len(bad.output.strip().splitlines()) == 1 and "Traceback" not in bad.output
