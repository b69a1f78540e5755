"""The lead's weekly round and the expert's decline, clicked through in Chromium."""
from __future__ import annotations

import re

from eih.extensions import db
from eih.models import Decline
from eih.planning.models import PlanVersion


def test_lead_makes_and_publishes_a_plan_and_the_expert_declines_one_item(app, login, live_server):
    lead = login("lead")
    lead.get_by_role("link", name="Planning").first.click()
    lead.get_by_role("link", name="Weekplanning").click()
    lead.get_by_role("button", name=re.compile("Maak een planning voor")).click()
    # the page refreshes itself until the background solve is done
    lead.get_by_role("button", name="Publiceren").wait_for(timeout=120000)
    assert lead.get_by_text("Toewijzingen").is_visible()
    lead.get_by_role("button", name="Publiceren").click()
    lead.get_by_text(re.compile("Versie 1 is gepubliceerd")).wait_for()
    with app.app_context():
        version = db.session.query(PlanVersion).one()
        import json
        mapping = {a["demand"]: a["experts"] for a in json.loads(version.plan_json)["assignments"]}
        from eih.models import Expert, User
        amal = db.session.execute(db.select(Expert).join(User).where(User.email == "amal@eih.example")).scalar_one()
        amal_work = sorted(d for d, codes in mapping.items() if amal.code in codes)
    assert amal_work, "Amal has work in the published plan"

    expert = login("amal@eih.example")
    expert.get_by_role("link", name="Mijn rooster").click()
    decline = expert.locator("details").first
    decline.locator("summary").click()
    decline.locator("select[name=reason]").select_option("unsafe")
    decline.get_by_role("button", name="Dit werk weigeren").click()
    expert.get_by_text(re.compile("Je hebt dit werk geweigerd")).wait_for()
    with app.app_context():
        row = db.session.query(Decline).one()
        assert row.reason == "unsafe" and row.demand_key in amal_work
