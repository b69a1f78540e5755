"""The public request form for professionals: the whole flow, its switch per region,
CSRF, the rate limit per address, and hostile input (nothing stored on rejection)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from eih import clock
from eih.extensions import db
from eih.models import AuditEvent, Municipality, Partner, PluginState
from eih.plugins.casework.models import Request
from tests.conftest import csrf_token
from tests.plugins.casework.helpers import expert, region

FORM = "/aanvraag/rotterdam-rijnmond"


def _ids(app):
    with app.app_context():
        reg = region()
        partner = db.session.execute(db.select(Partner).filter_by(region_id=reg.id, name="Politie")).scalar_one()
        town = db.session.execute(db.select(Municipality).filter_by(region_id=reg.id, name="Schiedam")).scalar_one()
        return str(partner.id), str(town.id)


def valid(app, **changes) -> dict:
    partner, town = _ids(app)
    data = dict(partner=partner, partner_other="", professional_name="Sanne Bakker",
                professional_function="wijkagent", professional_phone="010-2223344",
                professional_email="s.bakker@politie.example", municipality=town, kind="regular",
                restraining_order_until="", client_gender="female", client_perspective="victim",
                intake_why_expert="Cliënte wil praten met iemand die het zelf heeft meegemaakt.",
                intake_role="Steun en herkenning", intake_expectations="Meer grip op de situatie",
                intake_client_wishes="Iemand die Arabisch spreekt", intake_safety="Ex-partner is dreigend",
                requested_expert_name="")
    data.update(changes)
    return data


def count_requests(app) -> int:
    with app.app_context():
        return db.session.query(Request).count()


def test_a_professional_sends_a_request_that_arrives_registered_with_everything_filled_in(app, client, auth):
    before = count_requests(app)
    page = client.get(FORM)
    assert page.status_code == 200 and "Ervaring" in page.get_data(as_text=True)
    response = client.post(FORM, data=valid(app, requested_expert_name="amal"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/aanvraag/rotterdam-rijnmond/ontvangen")
    confirmation = client.get(response.headers["Location"]).get_data(as_text=True)
    assert count_requests(app) == before + 1
    with app.app_context():
        req = db.session.execute(db.select(Request).order_by(Request.id.desc()).limit(1)).scalar_one()
        assert req.code in confirmation  # the reference
        assert (req.status, req.source, req.kind) == ("registered", "form", "regular")
        assert req.professional_function == "wijkagent" and req.partner.name == "Politie"
        assert req.intake_why_expert.startswith("Cliënte wil praten") and req.intake_safety == "Ex-partner is dreigend"
        assert req.requested_expert == expert("amal")  # the name matches an expert of the region
        assert req.events[0].action == "register"
        assert db.session.query(AuditEvent).filter_by(object_type="Request", object_id=str(req.id),
                                                      action="create").count() == 1
        req_id = req.id
    # the reference is shown once, right after sending
    assert client.get("/aanvraag/rotterdam-rijnmond/ontvangen").status_code == 302
    auth.login("lead")
    lead_page = client.get(f"/admin/casework/case/{req_id}").get_data(as_text=True)
    assert "Steun en herkenning" in lead_page and "wijkagent" in lead_page


def test_a_thv_request_carries_the_end_of_the_restraining_order(app, client):
    until = clock.today() + timedelta(days=9)
    response = client.post(FORM, data=valid(app, kind="thv", restraining_order_until=until.isoformat()))
    assert response.status_code == 302
    with app.app_context():
        req = db.session.execute(db.select(Request).order_by(Request.id.desc()).limit(1)).scalar_one()
        assert req.kind == "thv" and req.restraining_order_until == until and req.days_left() == 9


def test_another_organisation_is_kept_for_the_lead_to_confirm(app, client):
    response = client.post(FORM, data=valid(app, partner="other", partner_other="Buurtteam Noord"))
    assert response.status_code == 302
    with app.app_context():
        req = db.session.execute(db.select(Request).order_by(Request.id.desc()).limit(1)).scalar_one()
        assert req.partner is None and req.partner_other == "Buurtteam Noord"


def test_the_form_is_off_by_default_and_in_a_region_without_the_switch(app, client):
    assert client.get("/aanvraag/haaglanden").status_code == 404
    assert client.get("/aanvraag/atlantis").status_code == 404
    with app.app_context():
        state = db.session.execute(db.select(PluginState).filter_by(region_id=region().id,
                                                                    plugin="casework")).scalar_one()
        state.settings = {**state.settings, "public_form": False}
        db.session.commit()
    assert client.get(FORM).status_code == 404
    assert client.post(FORM, data=valid(app)).status_code == 404


@pytest.mark.parametrize("field, value", [
    ("professional_email", "not-an-address"),
    ("professional_email", "a@b.example\r\nBcc: everyone@example.org"),
    ("professional_name", "Sanne\nBakker"),
    ("professional_name", "x" * 121),
    ("professional_phone", "<script>alert(1)</script>"),
    ("intake_why_expert", "zero\x00byte"),
    ("intake_role", "y" * 2001),
    ("intake_why_expert", ""),
    ("client_gender", "alien"),
    ("client_perspective", ""),
    ("kind", "direct"),  # direct contact is not switched on in the demo region
    ("kind", "thv"),  # without the end date of the restraining order
    ("partner", "other"),  # without the organisation's name
    ("partner", "999999"),
    ("municipality", "999999"),
])
def test_hostile_or_incomplete_input_is_refused_and_nothing_is_stored(app, client, field, value):
    before = count_requests(app)
    response = client.post(FORM, data=valid(app, **{field: value}))
    assert response.status_code == 400
    assert count_requests(app) == before
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


def test_a_partner_of_another_region_is_refused(app, client):
    with app.app_context():
        other = db.session.execute(db.select(Partner).join(Partner.region).filter_by(slug="haaglanden")
                                   .limit(1)).scalar_one()
        other_id = str(other.id)
    before = count_requests(app)
    assert client.post(FORM, data=valid(app, partner=other_id)).status_code == 400
    assert count_requests(app) == before


def test_a_thv_end_date_far_away_is_refused(app, client):
    far = clock.today() + timedelta(days=60)
    before = count_requests(app)
    response = client.post(FORM, data=valid(app, kind="thv", restraining_order_until=far.isoformat()))
    assert response.status_code == 400 and count_requests(app) == before


def test_script_in_a_request_is_shown_as_text_to_the_lead(app, client, auth):
    script = "<script>alert('x')</script>"
    assert client.post(FORM, data=valid(app, intake_client_wishes=script)).status_code == 302
    with app.app_context():
        req_id = db.session.execute(db.select(Request.id).order_by(Request.id.desc()).limit(1)).scalar_one()
    auth.login("lead")
    page = client.get(f"/admin/casework/case/{req_id}").get_data(as_text=True)
    assert script not in page and "&lt;script&gt;" in page


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_a_post_without_the_forms_csrf_token_is_refused(app, client):
    before = count_requests(app)
    assert client.post(FORM, data=valid(app)).status_code == 400
    assert count_requests(app) == before
    token = csrf_token(client.get(FORM).get_data(as_text=True))
    assert client.post(FORM, data={**valid(app), "csrf_token": token}).status_code == 302


@pytest.mark.app_config(REQUEST_FORM_RATE_LIMIT="2 per hour")
def test_one_address_may_send_only_a_few_requests_an_hour(app, client):
    before = count_requests(app)
    assert client.post(FORM, data=valid(app)).status_code == 302
    assert client.post(FORM, data=valid(app)).status_code == 302
    refused = client.post(FORM, data=valid(app))
    assert refused.status_code == 429 and "probeer het dan opnieuw" in refused.get_data(as_text=True)
    assert count_requests(app) == before + 2
    # another address is not affected; reading the form is never limited
    assert client.get(FORM).status_code == 200
    assert client.post(FORM, data=valid(app), environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 302


def test_the_lead_hears_of_a_request_from_the_form_by_mail_with_the_case_code_only(app, client, smtp):
    assert client.post(FORM, data=valid(app)).status_code == 302
    mails = smtp.to("lead@eih.example")
    assert len(mails) == 1
    with app.app_context():
        code = db.session.execute(db.select(Request.code).order_by(Request.id.desc()).limit(1)).scalar_one()
    assert code in mails[0].subject and "/admin/casework/case/" in mails[0].body
    for detail in ("Sanne", "wijkagent", "Arabisch", "Ex-partner", "Schiedam", "Politie"):
        assert detail not in mails[0].body + mails[0].subject
    assert smtp.to("lead.haaglanden@eih.example") == []  # only the region's lead


def test_the_lead_asks_the_professional_for_more_information_by_mail_and_it_is_audited(app, client, auth, smtp):
    assert client.post(FORM, data=valid(app)).status_code == 302
    with app.app_context():
        req_id = db.session.execute(db.select(Request.id).order_by(Request.id.desc()).limit(1)).scalar_one()
    auth.login("lead")
    response = client.post(f"/admin/casework/case/{req_id}/ask", data={"message": "Spreekt cliënte Nederlands?"})
    assert response.status_code == 302
    mails = smtp.to("s.bakker@politie.example")
    assert len(mails) == 1 and "Spreekt cliënte Nederlands?" in mails[0].body
    with app.app_context():
        req = db.session.get(Request, req_id)
        assert req.events[-1].action == "ask_information"
        assert db.session.query(AuditEvent).filter(AuditEvent.object_type == "Request",
                                                   AuditEvent.object_id == str(req_id),
                                                   AuditEvent.detail.like("%more information%")).count() == 1
    # an empty question is refused and nothing is sent
    smtp.clear()
    client.post(f"/admin/casework/case/{req_id}/ask", data={"message": "  "})
    assert smtp.mails == []


def test_the_form_and_the_new_parts_of_the_case_page_are_in_dutch(app, client, auth):
    form = client.get(FORM).get_data(as_text=True)
    for english in ("Request an expert", "Your organisation", "Why an expert by experience", "Send the request"):
        assert english not in form
    assert "Waarom een ervaringsdeskundige?" in form and "Aanvraag versturen" in form
    assert client.post(FORM, data=valid(app)).status_code == 302
    with app.app_context():
        req_id = db.session.execute(db.select(Request.id).order_by(Request.id.desc()).limit(1)).scalar_one()
    auth.login("lead")
    page = client.get(f"/admin/casework/case/{req_id}").get_data(as_text=True)
    for english in ("Save intake", "Safety flags", "Eligible", "Report a safety incident", "the request form",
                    "Not eligible", "__None"):
        assert english not in page
    assert "Intake opslaan" in page and "het aanvraagformulier" in page


def test_the_form_is_switched_per_region_from_the_command_line(app, runner, client):
    assert client.get("/aanvraag/haaglanden").status_code == 404
    result = runner.invoke(args=["casework", "public-form", "on", "--region", "haaglanden"])
    assert result.exit_code == 0, result.output
    assert client.get("/aanvraag/haaglanden").status_code == 200
    runner.invoke(args=["casework", "public-form", "off", "--region", "haaglanden"])
    assert client.get("/aanvraag/haaglanden").status_code == 404


def test_switching_the_form_of_an_unknown_region_says_so_in_one_line(runner):
    result = runner.invoke(args=["casework", "public-form", "on", "--region", "atlantis"])
    assert result.exit_code == 2 and "unknown region" in result.output
    assert len(result.output.strip().splitlines()) == 1
