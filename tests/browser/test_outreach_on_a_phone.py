"""The pages partner organisations and experts use on a phone fit a 375 px wide screen."""
from __future__ import annotations

from datetime import timedelta

from eih import clock
from eih.extensions import db
from eih.models import Expert, User
from eih.plugins.outreach import rules
from eih.plugins.outreach.models import OutreachOffer, OutreachSession
from eih.plugins.policy.models import PolicyMeeting, meeting_expert
from tests.conftest import DEMO_PASSWORD

PHONE = {"width": 375, "height": 740}


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _amals_pages(app):
    with app.app_context():
        amal = db.session.execute(db.select(Expert).join(User).where(User.email == "amal@eih.example")).scalar_one()
        lunch = db.session.execute(db.select(OutreachOffer).filter_by(title="Themalunch stalking")).scalar_one()
        order = rules.receive_order(amal.region, lunch, organisation="Wijkteam Schiedam-Zuid", contact_name="Lies",
                                    contact_email="lies@example.org", source="lead", today=clock.today())
        rules.record_talk(order, clock.today(), "Stalking eerder herkennen bij meldingen in de wijk.", "",
                          clock.today())
        start = clock.now().replace(tzinfo=None, minute=0, second=0, microsecond=0) + timedelta(days=3)
        session = rules.plan_session(order, start, start + timedelta(hours=1), "Wijkcentrum De Ark, Schiedam")
        db.session.flush()
        rules.set_session_experts(session, [amal])
        db.session.commit()
        meeting = db.session.execute(db.select(PolicyMeeting.id).join(
            meeting_expert, meeting_expert.c.meeting_id == PolicyMeeting.id).where(
            meeting_expert.c.expert_id == amal.id)).scalars().first()
        return session.id, meeting


def test_the_order_form_and_an_experts_outreach_pages_fit_a_phone(app, browser, live_server):
    session_id, meeting_id = _amals_pages(app)
    context = browser.new_context(locale="nl-NL", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(30000)
    for path in ("/voorlichting/rotterdam-rijnmond/menukaart", "/voorlichting/rotterdam-rijnmond/bestellen"):
        assert page.goto(live_server + path).ok, path
        assert _fits(page), path
    page.goto(live_server + "/login")
    page.fill("input[name=email]", "amal@eih.example")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server + "/admin/")
    for path in (f"/admin/outreach/session/{session_id}/", "/admin/outreach_myboundary/",
                 "/admin/outreach_myboundary/new/", f"/admin/policy/meeting/{meeting_id}/", "/admin/"):
        assert page.goto(live_server + path).ok, path
        assert _fits(page), path
    context.close()
    with app.app_context():
        assert db.session.get(OutreachSession, session_id).experts
