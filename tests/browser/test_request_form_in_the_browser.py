"""A professional sends a request through the public form on a phone, in a real browser."""
from __future__ import annotations

from eih.extensions import db
from eih.plugins.casework.models import Request


def test_a_professional_requests_an_expert_on_a_phone_and_gets_a_reference(app, browser, live_server):
    context = browser.new_context(locale="nl-NL", viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.set_default_timeout(30000)
    page.goto(live_server + "/aanvraag/rotterdam-rijnmond")
    assert page.locator("h1").inner_text() == "Een ervaringsdeskundige aanvragen"
    # nothing wider than the phone's screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.select_option("select[name=partner]", label="Politie")
    page.fill("input[name=professional_name]", "Sanne Bakker")
    page.fill("input[name=professional_function]", "wijkagent")
    page.fill("input[name=professional_phone]", "010-2223344")
    page.fill("input[name=professional_email]", "s.bakker@politie.example")
    page.select_option("select[name=municipality]", label="Schiedam")
    page.select_option("select[name=client_gender]", "female")
    page.select_option("select[name=client_perspective]", "victim")
    page.fill("textarea[name=intake_why_expert]", "Herkenning")
    page.fill("textarea[name=intake_role]", "Steun")
    page.fill("textarea[name=intake_expectations]", "Meer grip")
    page.fill("textarea[name=intake_client_wishes]", "Een vrouw")
    with page.expect_navigation():
        page.click("button[type=submit]")
    reference = page.locator("#reference").inner_text()
    assert reference.startswith("EIH-")
    with app.app_context():
        req = db.session.execute(db.select(Request).filter_by(code=reference)).scalar_one()
        assert (req.source, req.status, req.professional_name) == ("form", "registered", "Sanne Bakker")
    context.close()


def test_a_missing_answer_is_marked_in_dutch_and_nothing_is_sent(app, browser, live_server):
    context = browser.new_context(locale="nl-NL", viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.set_default_timeout(30000)
    with app.app_context():
        before = db.session.query(Request).count()
    page.goto(live_server + "/aanvraag/rotterdam-rijnmond")
    page.fill("input[name=professional_name]", "Sanne Bakker")
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert "Verbeter de gemarkeerde velden" in page.content()
    assert page.locator(".is-invalid").count() >= 5
    with app.app_context():
        assert db.session.query(Request).count() == before
    context.close()
