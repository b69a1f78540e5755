"""Casework's second round inside the office: the structured intake, the three-way
conversation, the requested expert as a preference, THV days left and priority, the
eligible experts for assigning by hand, summaries to the professional, the safety flags,
contact after closing and the outcome recorded later."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from eih import clock
from eih.extensions import db
from eih.models import AuditEvent
from eih.plugins import Period
from eih.plugins.casework import demands as casework_demands
from eih.plugins.casework import plugin, rules
from eih.plugins.casework.models import Feedback, Request
from eih.rules import RuleError
from eih.scheduler import Contract, solve
from tests.dates import every_date

from .helpers import expert, new_request, region, running, talk


def week() -> Period:
    monday = clock.today() - timedelta(days=clock.today().weekday())
    return Period(monday, monday + timedelta(days=6))


def demand_of(req: Request):
    return next(d for d in plugin.demands(region(), week()) if d.id == req.demand_key)


# -- intake -----------------------------------------------------------------------------

def test_the_lead_records_the_intake_questions_and_what_was_agreed_on_the_case_page(app, client, auth):
    with app.app_context():
        req = new_request()
        db.session.commit()
        req_id = req.id
    auth.login("lead")
    response = client.post(f"/admin/casework/case/{req_id}/intake", data={
        "intake_why_expert": "Herkenning", "intake_role": "Maatje", "intake_expectations": "Rust",
        "intake_client_wishes": "Een vrouw", "intake_safety": "Geen", "agreed_role": "Steun bij gesprekken",
        "agreed_expectations": "Vijf gesprekken", "goal": "Meer grip", "requested_expert": "0",
        "feedback_channel": "print"})
    assert response.status_code == 302
    with app.app_context():
        req = db.session.get(Request, req_id)
        assert (req.intake_why_expert, req.agreed_role, req.goal, req.feedback_channel) == (
            "Herkenning", "Steun bij gesprekken", "Meer grip", "print")
        assert req.events[-1].action == "record_intake"
        logged = db.session.query(AuditEvent).filter_by(object_type="Request", object_id=str(req_id),
                                                        action="update").all()
        assert any("intake_why_expert" in e.detail and "Herkenning" not in e.detail for e in logged)
    page = client.get(f"/admin/casework/case/{req_id}").get_data(as_text=True)
    assert "Steun bij gesprekken" in page and "Vijf gesprekken" in page


def test_the_first_conversation_is_recorded_as_a_three_way_talk(app, client, auth):
    with app.app_context():
        req = running(new_request(), expert("amal"))
        db.session.commit()
        req_id = req.id
    auth.login("amal@eih.example")
    page = client.get(f"/admin/casework/mine/{req_id}").get_data(as_text=True)
    tag = re.search(r'<input[^>]*id="three_way"[^>]*>', page).group(0)
    assert "checked" in tag  # proposed for the first conversation
    held = (clock.now() - timedelta(days=1)).replace(second=0, microsecond=0)
    client.post(f"/admin/casework/mine/{req_id}/contact", data={
        "held_at": held.strftime("%Y-%m-%dT%H:%M"), "duration_minutes": "60", "mode": "in-person",
        "summary": "Kennismaking", "internal_note": "", "heaviness": "3", "three_way": "y"})
    with app.app_context():
        contact = db.session.get(Request, req_id).contacts[0]
        assert contact.three_way and contact.with_professional


# -- the requested expert ----------------------------------------------------------------------

def test_a_requested_expert_is_a_preference_in_the_planning_round_and_shown_on_the_plan(app):
    with app.app_context():
        req = new_request(kind="regular", client_languages="nl,ar")
        rules.start_intake(req)
        rules.set_requested_expert(req, expert("sevda"))
        db.session.commit()
        demand = demand_of(req)
        assert demand.continuity == [expert("sevda").code] and demand.pinned == []
        assert "★ Sevda" in demand.label


def test_a_requested_expert_who_declined_is_no_longer_preferred(app):
    from eih.declines import record_decline
    with app.app_context():
        req = new_request()
        rules.set_requested_expert(req, expert("sevda"))
        record_decline(expert("sevda"), req.demand_key, "capacity")
        db.session.commit()
        assert demand_of(req).continuity == []


def test_a_requested_expert_must_be_able_to_serve(app):
    with app.app_context():
        req = new_request()
        rules.link_cases(req, new_request())
        other = rules.linked_requests(req)[0]
        rules.propose_expert(other, expert("sevda"))
        with pytest.raises(RuleError):
            rules.set_requested_expert(req, expert("sevda"))


# -- THV deadline ----------------------------------------------------------------------------------

@every_date
def test_a_thv_ending_sooner_gets_a_higher_priority_in_the_planning_round(app):
    with app.app_context():
        soon = new_request(kind="thv", received_on=clock.today(), restraining_order_until=clock.today() + timedelta(days=2))
        later = new_request(kind="thv", received_on=clock.today(), restraining_order_until=clock.today() + timedelta(days=9))
        regular = new_request(kind="regular")
        db.session.commit()
        start = week().start
        assert soon.days_left(start) < later.days_left(start)
        assert demand_of(soon).priority > demand_of(later).priority > demand_of(regular).priority


def test_with_room_for_one_thv_the_solver_staffs_the_one_that_ends_first(app):
    from dataclasses import replace

    from eih.plugins import planning_instance
    with app.app_context():
        soon = new_request(kind="thv", received_on=clock.today(), restraining_order_until=clock.today() + timedelta(days=3))
        later = new_request(kind="thv", received_on=clock.today(), restraining_order_until=clock.today() + timedelta(days=10))
        db.session.commit()
        instance = planning_instance(region(), week())
        ours = [d for d in instance.demands if d.id in (soon.demand_key, later.demand_key)]
        sevda = next(e for e in instance.experts if e.id == expert("sevda").code)
        room_for_one = Contract(min_hours=0, max_hours=4, overtime_hours=0)
        only_one = replace(instance, demands=ours, experts=[replace(sevda, unavailable=[], contract=room_for_one)],
                           previous={})
        plan = solve(only_one)
        assert plan.mapping() == {soon.demand_key: [sevda.id]}


def test_the_case_list_and_the_leads_home_show_the_days_left(app, client, auth):
    with app.app_context():
        req = new_request(kind="thv", received_on=clock.today(), restraining_order_until=clock.today() + timedelta(days=4))
        db.session.commit()
        code = req.code
    auth.login("lead")
    home = client.get("/admin/").get_data(as_text=True)
    assert f"{code}: 0 dagen aan het wachten (THV, nog 4 dagen)" in home or f"{code}" in home and "nog 4 dagen" in home
    listing = client.get("/admin/casework/requests/").get_data(as_text=True)
    assert code in listing and "THV: dagen over" in listing


def test_the_daily_run_tells_the_lead_of_a_thv_deadline_once(app, runner, smtp):
    with app.app_context():
        req = new_request(kind="thv", received_on=clock.today(), restraining_order_until=clock.today() + timedelta(days=2))
        far = new_request(kind="thv", received_on=clock.today(), restraining_order_until=clock.today() + timedelta(days=9))
        db.session.commit()
        code, far_code = req.code, far.code
    result = runner.invoke(args=["casework", "notify-due"])
    assert result.exit_code == 0, result.output
    mails = smtp.to("lead@eih.example")
    assert [m for m in mails if code in m.subject] and not [m for m in mails if far_code in m.subject]
    assert all("/admin/casework/case/" in m.body for m in mails)
    smtp.clear()
    runner.invoke(args=["casework", "notify-due"])
    assert not [m for m in smtp.mails if code in m.subject]  # once per request and end date


# -- assigning by hand ------------------------------------------------------------------------

def test_the_assign_list_offers_only_eligible_experts_with_their_week_and_load(app, client, auth):
    from eih.declines import record_decline
    with app.app_context():
        req = new_request(client_gender="female", client_perspective="victim")
        record_decline(expert("yvonne"), req.demand_key, "unsafe")
        db.session.commit()
        eligible, others = casework_demands.assignment_candidates(req)
        names = {c.expert.name for c in eligible}
        reasons = {c.expert.name: " ".join(map(str, c.reasons)) for c in others}
        assert "Amal" in names and "Sevda" in names
        assert {"Youssef", "Marco", "Kwame", "Priya", "Yvonne"} <= set(reasons)  # men, on leave, declined
        assert "female" in reasons["Youssef"]
        assert "leave" in reasons["Priya"]
        amal = next(c for c in eligible if c.expert.name == "Amal")
        assert amal.hours_week >= 2 and amal.max_hours > 0  # her running case counts this week
        req_id, youssef = req.id, expert("youssef").id
    auth.login("lead")
    page = client.get(f"/admin/casework/case/{req_id}").get_data(as_text=True)
    choices = page.split('id="expert"')[1].split("</select>")[0]
    assert "Amal" in choices and "Youssef" not in choices and "Yvonne" not in choices
    assert "heeft dit verzoek geweigerd" in page  # the reason for Yvonne, in Dutch
    client.post(f"/admin/casework/case/{req_id}/assign", data={"expert": str(youssef)})
    with app.app_context():
        assert db.session.get(Request, req_id).deployments == []


# -- feedback to the professional -------------------------------------------------------------

def test_a_summary_is_mailed_to_the_professional_audited_and_shown_on_the_case(app, client, auth, smtp):
    with app.app_context():
        req = running(new_request(professional_email="p.jansen@partner.example"), expert("amal"))
        talk(req, expert("amal"))
        db.session.commit()
        req_id, contact_id = req.id, req.contacts[0].id
    auth.login("lead")
    assert client.post(f"/admin/casework/case/{req_id}/feedback", data={"contact": contact_id}).status_code == 302
    mails = smtp.to("p.jansen@partner.example")
    assert len(mails) == 1 and "summary Amal 0" in mails[0].body
    assert "internal Amal" not in mails[0].body and "SECRET" not in mails[0].body and "X.Q." not in mails[0].body
    with app.app_context():
        sent = db.session.query(Feedback).filter_by(request_id=req_id).one()
        assert (sent.channel, sent.sent_to) == ("email", "p.jansen@partner.example")
        assert db.session.query(AuditEvent).filter_by(action="export", object_type="Feedback",
                                                      object_id=str(sent.id)).count() == 1
    page = client.get(f"/admin/casework/case/{req_id}").get_data(as_text=True)
    assert 'id="feedback-sent"' in page and "p.jansen@partner.example" in page


def test_a_printable_summary_holds_the_summary_and_never_the_internal_note(app, client, auth):
    with app.app_context():
        req = running(new_request(), expert("amal"))
        talk(req, expert("amal"))
        rules.set_feedback_channel(req, "print")
        db.session.commit()
        req_id, contact_id = req.id, req.contacts[0].id
    auth.login("lead")
    response = client.post(f"/admin/casework/case/{req_id}/feedback", data={"contact": contact_id})
    assert response.headers["Location"].endswith(f"/summary/{contact_id}")
    printable = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "summary Amal 0" in printable and "internal Amal" not in printable and "SECRET" not in printable
    with app.app_context():
        assert db.session.query(Feedback).filter_by(request_id=req_id, channel="print").count() == 1


def test_a_summary_of_another_cases_contact_or_without_text_is_refused(app):
    with app.app_context():
        req = running(new_request(), expert("amal"))
        other = running(new_request(), expert("sevda"))
        talk(other, expert("sevda"))
        with pytest.raises(RuleError):
            rules.record_feedback(req, other.contacts[0], "email")
        talk(req, expert("amal"))
        req.contacts[0].summary = ""
        with pytest.raises(RuleError):
            rules.record_feedback(req, req.contacts[0], "email")


# -- safety flags -------------------------------------------------------------------------------

def test_never_alone_gives_a_two_expert_demand(app):
    with app.app_context():
        req = new_request()
        rules.start_intake(req)
        assert demand_of(req).experts_needed == 1
        rules.set_safety_flags(req, ["never-alone"])
        db.session.commit()
        assert demand_of(req).experts_needed == 2


def test_a_running_never_alone_case_gets_its_second_expert_from_the_plan(app):
    from eih.scheduler import Assignment, Plan
    with app.app_context():
        req = running(new_request(), expert("amal"))
        rules.set_safety_flags(req, ["never-alone"])
        plan = Plan("optimal", [Assignment(req.demand_key, [expert("amal").code, expert("sevda").code])], [], [], {})
        assert plugin.apply(region(), plan) == []
        assert {d.expert.name for d in req.active_deployments} == {"Amal", "Sevda"}


def test_the_expert_sees_the_safety_flags_before_each_contact(app, client, auth):
    with app.app_context():
        req = running(new_request(), expert("amal"))
        rules.set_safety_flags(req, ["no-home-visits", "address-confidential"])
        db.session.commit()
        req_id = req.id
    auth.login("amal@eih.example")
    page = client.get(f"/admin/casework/mine/{req_id}").get_data(as_text=True)
    flags = page.index('id="safety-flags"')
    assert flags < page.index("Nieuw contactformulier")
    assert "geen huisbezoeken" in page.lower() and "adres geheim" in page.lower()


def test_an_unknown_safety_flag_is_refused(app):
    with app.app_context():
        with pytest.raises(RuleError):
            rules.set_safety_flags(new_request(), ["bring-a-dog"])


# -- after closing --------------------------------------------------------------------------------

def _closed(days_ago: int = 10) -> Request:
    req = running(new_request(received_on=clock.today() - timedelta(days=days_ago + 50)), expert("amal"))
    rules.start_evaluation(req)
    rules.close(req, reason="Doel bereikt", closed_on=clock.today() - timedelta(days=days_ago))
    return req


def test_contact_after_closing_is_recorded_without_reopening_the_case(app, client, auth):
    with app.app_context():
        req = _closed()
        db.session.commit()
        req_id = req.id
    auth.login("amal@eih.example")
    assert "Gesloten zaken waaraan ik werkte" in client.get("/admin/casework/mine/").get_data(as_text=True)
    response = client.post(f"/admin/casework/mine/closed/{req_id}", data={
        "held_on": clock.today().isoformat(), "mode": "phone", "note": "Cliënte belde, gaat goed."})
    assert response.status_code == 302
    with app.app_context():
        req = db.session.get(Request, req_id)
        assert req.status == "closed" and len(req.after_contacts) == 1 and req.conversation_count == 0
        assert req.after_contacts[0].expert == expert("amal")


def test_only_an_expert_who_served_a_closed_case_may_record_contact_after_closing(app, client, auth):
    with app.app_context():
        req = _closed()
        db.session.commit()
        req_id = req.id
    auth.login("yvonne@eih.example")
    assert client.get(f"/admin/casework/mine/closed/{req_id}").status_code == 404


def test_contact_after_closing_needs_a_closed_case_and_a_date_after_closing(app):
    with app.app_context():
        open_case = running(new_request(), expert("amal"))
        with pytest.raises(RuleError):
            rules.record_after_contact(open_case, expert("amal"), clock.today(), "phone", "")
        closed = _closed(days_ago=5)
        with pytest.raises(RuleError):
            rules.record_after_contact(closed, expert("amal"), clock.today() - timedelta(days=9), "phone", "")


def test_a_new_report_within_six_months_is_recorded_later_on_a_closed_case(app, client, auth):
    with app.app_context():
        open_case = new_request()
        with pytest.raises(RuleError):
            rules.record_new_report(open_case, "yes")
        req = _closed(days_ago=100)
        db.session.commit()
        req_id = req.id
    auth.login("lead")
    assert client.post(f"/admin/casework/case/{req_id}/new_report", data={"new_report": "yes"}).status_code == 302
    with app.app_context():
        req = db.session.get(Request, req_id)
        assert (req.new_report, req.new_report_recorded_on) == ("yes", clock.today())
        assert req.status == "closed"
    page = client.get(f"/admin/casework/case/{req_id}").get_data(as_text=True)
    assert "nieuwe melding" in page.split('id="new-report"')[1][:200].lower()
    client.post(f"/admin/casework/case/{req_id}/new_report", data={"new_report": "maybe"})
    with app.app_context():
        assert db.session.get(Request, req_id).new_report == "yes"


def test_the_reports_count_new_reports_within_six_months(app):
    with app.app_context():
        req = _closed(days_ago=30)
        rules.record_new_report(req, "yes")
        db.session.commit()
        figures = plugin.report(region(), Period(clock.today() - timedelta(days=365), clock.today()))
        assert figures["new_reports_within_six_months"] >= 1
