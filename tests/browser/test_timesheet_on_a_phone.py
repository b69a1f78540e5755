"""Experts fill in their hours on the phone: the timesheet pages fit a 375 px wide screen
(no sideways scrolling) and work there, in a real Chromium."""
from __future__ import annotations

from eih.extensions import db
from eih.hours.models import Entry, Timesheet
from eih.models import Expert, User
from tests.conftest import DEMO_PASSWORD

PHONE = {"width": 375, "height": 740}


def _wider_than_the_screen(page) -> int:
    """How many pixels the page sticks out to the right (0: nothing to scroll sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_an_expert_adds_travel_and_submits_the_week_on_a_375_px_phone(app, browser, live_server):
    context = browser.new_context(locale="nl-NL", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(30000)
    page.goto(live_server + "/login")
    page.fill("input[name=email]", "amal@eih.example")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server + "/admin/")

    for path in ("/admin/hours/", "/admin/other-work/", "/admin/my-schedule/"):
        page.goto(live_server + path)
        assert _wider_than_the_screen(page) == 0, path

    page.goto(live_server + "/admin/hours/week")
    assert _wider_than_the_screen(page) == 0
    page.get_by_text("Overig werk toevoegen").click()
    page.select_option("select[name=activity]", "travel")
    page.fill("input[name=hours]", "1,5")
    page.fill("input[name=label]", "Reis naar Vlaardingen")
    assert _wider_than_the_screen(page) == 0  # the open form fits as well
    page.get_by_role("button", name="Toevoegen").click()
    page.get_by_text("Regel toegevoegd.").wait_for()
    assert page.get_by_text("Reis naar Vlaardingen").is_visible()
    assert _wider_than_the_screen(page) == 0
    page.get_by_role("button", name="Deze week indienen").click()
    page.get_by_text("Je week is ingediend").wait_for()
    assert _wider_than_the_screen(page) == 0
    context.close()

    with app.app_context():
        amal = db.session.execute(db.select(Expert).join(User, Expert.user_id == User.id)
                                  .where(User.email == "amal@eih.example")).scalar_one()
        sheet = db.session.execute(db.select(Timesheet).filter_by(expert_id=amal.id)
                                   .order_by(Timesheet.week_start.desc()).limit(1)).scalar_one()
        assert sheet.status == "submitted"
        assert [(e.activity, e.hours, e.label) for e in sheet.entries if e.origin == "own"] == [
            ("travel", 1.5, "Reis naar Vlaardingen")]
        assert db.session.query(Entry).filter_by(timesheet_id=sheet.id).count() >= 1
