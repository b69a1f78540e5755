"""My schedule, availability, and the personal calendar feed."""
from __future__ import annotations

import re
from datetime import datetime, time, timedelta, timezone

import time_machine
from icalendar import Calendar

from eih import clock
from eih.extensions import db
from eih.models import Unavailability
from eih.planning.build import iso_week
from eih.planning.models import CalendarToken
from eih.planning.schedule import WeekLoad, recovery_warnings
from tests.dates import every_date
from tests.planning.conftest import expert_by_name, next_week, this_week, wait


def _publish_two_weeks(app, client, auth):
    auth.login("lead")
    for period in (this_week(), next_week()):
        response = client.post("/admin/planning/solve", data={"week": iso_week(period)})
        run_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
        wait(app, run_id)
        assert client.post(f"/admin/planning/run/{run_id}/publish").status_code == 302
    auth.logout()


def _feed_url(client) -> str:
    page = client.post("/admin/my-schedule/calendar", data={"action": "new"}).get_data(as_text=True)
    match = re.search(r'value="(http[^"]+\.ics)"', page)
    assert match, "the new calendar link is shown once"
    return match.group(1).replace("http://localhost", "")


@every_date
def test_feed_is_valid_icalendar_with_only_own_items_and_no_client_details(app, client, auth):
    _publish_two_weeks(app, client, auth)
    auth.login("marco@eih.example")
    url = _feed_url(client)
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    cal = Calendar.from_ical(response.data)
    events = list(cal.walk("VEVENT"))
    assert events, "Marco has published work"
    assert any(c.name == "VTIMEZONE" and str(c["TZID"]) == "Europe/Amsterdam" for c in cal.walk("VTIMEZONE"))
    with app.app_context():
        marco = expert_by_name("Marco")
        from eih.planning.schedule import items_for
        own = {i.uid for i in items_for(marco, clock.today() - timedelta(weeks=4), clock.today() + timedelta(weeks=12))}
    uids = {str(e["UID"]) for e in events}
    assert uids == {f"{uid}/{marco.code}@eih" for uid in own}
    for event in events:
        summary = str(event["SUMMARY"])
        assert "EIH-TEST-001" not in summary  # a women's case is not Marco's
        if event.get("DTSTART").dt.__class__.__name__ == "datetime":
            assert str(event["DTSTART"].params.get("TZID")) == "Europe/Amsterdam"
    # UIDs are stable: the same feed twice gives the same UIDs
    assert {str(e["UID"]) for e in Calendar.from_ical(client.get(url).data).walk("VEVENT")} == uids


def test_a_revoked_or_guessed_token_gets_404(app, client, auth):
    _publish_two_weeks(app, client, auth)
    auth.login("marco@eih.example")
    url = _feed_url(client)
    assert client.post("/admin/my-schedule/calendar", data={"action": "revoke"}).status_code == 302
    assert client.get(url).status_code == 404
    assert client.get("/calendar/guessed-token.ics").status_code == 404
    new_url = _feed_url(client)
    assert new_url != url and client.get(new_url).status_code == 200
    with app.app_context():
        # only a hash is stored: the secret itself is nowhere in the database
        token = new_url.rsplit("/", 1)[1][:-4]
        assert all(token not in row.token_hash for row in db.session.query(CalendarToken))


def test_renewing_the_link_switches_the_old_one_off(app, client, auth):
    _publish_two_weeks(app, client, auth)
    auth.login("marco@eih.example")
    first = _feed_url(client)
    second = _feed_url(client)
    assert client.get(first).status_code == 404 and client.get(second).status_code == 200


def test_an_expert_cannot_open_another_experts_schedule(app, client, auth):
    with app.app_context():
        marco_id = expert_by_name("Marco").id
        amal_id = expert_by_name("Amal").id
    auth.login("amal@eih.example")
    assert client.get(f"/admin/my-schedule/?expert={marco_id}").status_code == 403
    assert client.get(f"/admin/my-schedule/?expert={amal_id}").status_code == 200
    assert client.get("/admin/load/").status_code == 403
    assert client.get("/admin/planning/").status_code == 403


def test_lead_and_coordinator_see_schedules_of_their_region_only(app, client, auth):
    with app.app_context():
        marco_id = expert_by_name("Marco").id
        noor_id = expert_by_name("Noor").id
    for who in ("lead", "coordinator"):
        auth.login(who)
        assert "Marco" in client.get(f"/admin/schedules/?expert={marco_id}").get_data(as_text=True)
        assert client.get(f"/admin/schedules/?expert={noor_id}").status_code == 404
        assert client.get("/admin/my-schedule/").status_code == 403
        # looking is not acting: only the expert declines or changes their own absence
        assert client.post("/admin/schedules/decline", data={"demand": "testwork:men", "reason": "unsafe"}).status_code == 403
        assert client.post("/admin/schedules/calendar", data={"action": "new"}).status_code == 403
        auth.logout()


def _day(days_from_today: int) -> str:
    """Midnight in Amsterdam, days from today, as the form's datetime-local field sends it."""
    return f"{clock.today() + timedelta(days=days_from_today):%Y-%m-%d}T00:00"


@every_date
def test_expert_enters_leave_and_bad_input_changes_nothing(app, client, auth):
    auth.login("amal@eih.example")
    with app.app_context():
        before = db.session.query(Unavailability).count()
    response = client.post("/admin/my-schedule/availability", data={
        "reason": "leave", "start": _day(40), "end": _day(35)}, follow_redirects=True)
    assert response.status_code == 200
    with app.app_context():
        assert db.session.query(Unavailability).count() == before
    response = client.post("/admin/my-schedule/availability", data={
        "reason": "leave", "start": _day(34), "end": _day(39), "note": "vakantie"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.query(Unavailability).count() == before + 1
        row = db.session.query(Unavailability).order_by(Unavailability.id.desc()).first()
        assert row.expert.user.email == "amal@eih.example"
        row_id = row.id
    assert client.post(f"/admin/my-schedule/availability/{row_id}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(Unavailability, row_id) is None


def test_an_absence_that_has_begun_in_amsterdam_is_not_removed_while_utc_is_still_the_day_before(app, client, auth):
    # 00:30 in Amsterdam: 23:30 (winter) or 22:30 (summer) UTC the evening before
    just_after_midnight = datetime.combine(clock.today() + timedelta(days=1), time(0, 30), tzinfo=clock.ZONE)
    with time_machine.travel(just_after_midnight.astimezone(timezone.utc), tick=False):  # the server keeps UTC
        auth.login("amal@eih.example")
        assert client.post("/admin/my-schedule/availability", data={
            "reason": "leave", "start": _day(0), "end": _day(3)}).status_code == 302
        with app.app_context():
            row_id = db.session.query(Unavailability).order_by(Unavailability.id.desc()).first().id
        page = client.post(f"/admin/my-schedule/availability/{row_id}/delete", follow_redirects=True)
    assert "al begonnen is, kan alleen de projectleider wijzigen" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Unavailability, row_id) is not None


def test_an_expert_cannot_remove_someone_elses_absence(app, client, auth):
    with app.app_context():
        priya_leave = expert_by_name("Priya").unavailability[0].id
    auth.login("amal@eih.example")
    assert client.post(f"/admin/my-schedule/availability/{priya_leave}/delete").status_code == 404
    with app.app_context():
        assert db.session.get(Unavailability, priya_leave) is not None


def test_three_heavy_weeks_in_a_row_ask_for_recovery():
    from datetime import date, timedelta
    monday = date(2026, 10, 5)
    heavy = [False, True, True, True, False, True, True]
    weeks = [WeekLoad(monday + timedelta(weeks=i), 20, 12 if h else 2, 0.6 if h else 0.1, h) for i, h in enumerate(heavy)]
    assert recovery_warnings(weeks) == [monday + timedelta(weeks=3)]


@every_date
def test_load_overview_shows_published_hours(app, client, auth):
    _publish_two_weeks(app, client, auth)
    auth.login("coordinator")
    page = client.get("/admin/load/").get_data(as_text=True)
    assert "Marco" in page and "<svg" in page


def test_planning_pages_speak_dutch_by_default(app, client, auth):
    auth.login("lead")
    page = client.get("/admin/planning/").get_data(as_text=True)
    assert "Weekplanning" in page and "Maak een planning voor" in page
    auth.logout()
    auth.login("amal@eih.example")
    assert "Mijn rooster" in client.get("/admin/my-schedule/").get_data(as_text=True)


def test_every_scheduler_explanation_has_a_dutch_wording(app):
    from eih.planning.wording import TRANSLATED
    from eih.planning.wording import reason as translate
    from eih.scheduler.reasons import TEMPLATES, say
    assert set(TEMPLATES) <= set(TRANSLATED), "a new scheduler reason needs a translation"
    with app.test_request_context():
        assert translate(say("why_continuity")) == "continuïteit: werkt al met deze cliënt of groep"
        assert translate(say("at_contract", limit=24, week="2026-W49")) == "zit aan de grens van 24 u in week 2026-W49"
        assert translate("something the scheduler never says") == "something the scheduler never says"
