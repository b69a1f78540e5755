"""The basic rules and the lifecycle, each refused when its condition is missing."""
from datetime import timedelta

import pytest

from eih import clock
from eih.declines import record_decline
from eih.extensions import db
from eih.plugins.casework import rules
from tests.dates import every_date

from .helpers import expert, make_ready, new_request, region, running, talk


@every_date
def test_new_request_gets_a_pseudonymous_code(app):
    with app.app_context():
        first, second = new_request(), new_request()  # received four days ago: last year in early January
        year = first.received_on.year
        assert year == (clock.today() - timedelta(days=4)).year
        assert first.code.startswith(f"EIH-{year}-") and second.code != first.code
        assert int(second.code.rsplit("-", 1)[1]) == int(first.code.rsplit("-", 1)[1]) + 1
        assert first.status == "registered" and first.events[0].action == "register"


@pytest.mark.parametrize("missing", ["consent", "goal", "professional"])
def test_deployment_needs_consent_professional_and_goal(app, missing):
    with app.app_context():
        req = new_request()
        rules.start_intake(req)
        make_ready(req)
        if missing == "consent":
            req.consent_on = None
        elif missing == "goal":
            req.goal = ""
        else:
            req.responsible_professional = ""
        with pytest.raises(rules.RuleError, match="kan niet starten zonder"):
            rules.start_deployment(req, experts=[expert("amal")])
        assert req.status == "intake" and not req.active_deployments


def test_deployment_starts_when_the_rules_are_met(app):
    with app.app_context():
        req = running(new_request(), expert("amal"))
        assert req.status == "active"
        assert [d.expert.name for d in req.active_deployments] == ["Amal"]


def test_thv_skips_intake_but_not_consent(app):
    with app.app_context():
        thv = new_request(kind="thv")
        thv.goal = "Advies binnen de termijn"
        with pytest.raises(rules.RuleError, match="toestemming"):
            rules.start_deployment(thv, experts=[expert("amal")])
        rules.record_consent(thv, clock.today(), "phone", "P. Jansen")
        rules.start_deployment(thv, experts=[expert("amal")])
        assert thv.status == "active"
        assert "start_intake" not in [e.action for e in thv.events]


def test_regular_request_cannot_skip_intake(app):
    with app.app_context():
        req = make_ready(new_request())
        with pytest.raises(rules.RuleError, match="THV"):
            rules.start_deployment(req, experts=[expert("amal")])
        assert req.status == "registered"


@pytest.mark.parametrize("step", ["start_evaluation", "resume", "extend", "transfer"])
def test_illegal_transitions_are_refused(app, step):
    with app.app_context():
        req = new_request()
        with pytest.raises(rules.RuleError, match="Niet toegestaan"):
            getattr(rules, step)(req)
        assert req.status == "registered"


def test_closed_request_cannot_be_reopened(app):
    with app.app_context():
        req = new_request()
        rules.close(req, reason="Geen inzet nodig")
        for step in ("start_intake", "start_evaluation", "resume"):
            with pytest.raises(rules.RuleError):
                getattr(rules, step)(req)
        assert req.status == "closed"


def test_active_case_is_evaluated_before_closing(app):
    with app.app_context():
        req = running(new_request(), expert("amal"))
        with pytest.raises(rules.RuleError):
            rules.close(req, reason="klaar")
        rules.start_evaluation(req)
        rules.close(req, reason="klaar", help_accepted="yes", follow_up_agreed=True)
        assert req.status == "closed" and all(d.state == "ended" for d in req.deployments)


def test_sixth_conversation_needs_evaluation(app):
    with app.app_context():
        amal = expert("amal")
        req = running(new_request(), amal)
        talk(req, amal, 5)
        with pytest.raises(rules.RuleError, match="geëvalueerd"):
            talk(req, amal, 1)
        assert req.conversation_count == 5
        rules.start_evaluation(req)
        with pytest.raises(rules.RuleError, match="hulpverlener"):
            rules.record_evaluation(req, clock.today(), "Goed bezig", True, 8, False)
        with pytest.raises(rules.RuleError, match="maximum"):
            rules.record_evaluation(req, clock.today(), "Goed bezig", True, None, True)
        rules.record_evaluation(req, clock.today(), "Goed bezig", True, 8, True)
        rules.extend(req)
        rules.resume(req)
        talk(req, amal, 3)
        assert req.conversation_count == 8 and req.conversation_limit == 8
        with pytest.raises(rules.RuleError):
            talk(req, amal, 1)


def test_evaluation_without_extension_does_not_raise_the_limit(app):
    with app.app_context():
        amal = expert("amal")
        req = running(new_request(), amal)
        talk(req, amal, 5)
        rules.start_evaluation(req)
        rules.record_evaluation(req, clock.today(), "Afronden", False, None, True)
        with pytest.raises(rules.RuleError):
            rules.extend(req)
        with pytest.raises(rules.RuleError):
            talk(req, amal, 1)


def test_only_a_deployed_expert_logs_conversations(app):
    with app.app_context():
        req = running(new_request(), expert("amal"))
        with pytest.raises(rules.RuleError, match="ingezet"):
            talk(req, expert("yvonne"))


def test_withdrawn_consent_ends_the_deployment(app):
    with app.app_context():
        amal = expert("amal")
        req = running(new_request(), amal)
        talk(req, amal, 2)
        rules.withdraw_consent(req)
        assert req.status == "closed" and req.consent_withdrawn_on == clock.today()
        assert all(d.state == "ended" and d.ended_reason == "consent-withdrawn" for d in req.deployments)
        with pytest.raises(rules.RuleError):
            talk(req, amal)


def test_transfer_is_a_reconsideration_moment(app):
    with app.app_context():
        amal = expert("amal")
        follow = running(new_request(), amal)
        rules.transfer(follow, "verhuisd")
        assert follow.status == "transferred"
        with pytest.raises(rules.RuleError):
            talk(follow, amal)
        rules.reconsider(follow, "follow")
        assert follow.status == "active" and follow.transfer_decision == "follow" and follow.active_deployments
        renew = running(new_request(), expert("yvonne"))
        rules.transfer(renew, "andere organisatie")
        rules.reconsider(renew, "new-role")
        assert renew.status == "intake" and not renew.active_deployments
        stop = running(new_request(), expert("sevda"))
        rules.transfer(stop)
        with pytest.raises(rules.RuleError, match="reden"):
            rules.reconsider(stop, "close")
        rules.reconsider(stop, "close", reason="cliënt elders geholpen")
        assert stop.status == "closed"


def test_linked_cases_never_share_an_expert(app):
    with app.app_context():
        amal = expert("amal")
        victim = running(new_request(), amal)
        partner = new_request(client_gender="female")
        rules.link_cases(victim, partner)
        with pytest.raises(rules.RuleError, match="gekoppelde casus"):
            rules.propose_expert(partner, amal)
        rules.start_intake(partner)
        make_ready(partner)
        with pytest.raises(rules.RuleError, match="gekoppelde casus"):
            rules.start_deployment(partner, experts=[amal])
        assert not partner.deployments


def test_cases_with_a_shared_expert_cannot_be_linked(app):
    with app.app_context():
        amal = expert("amal")
        a, b = running(new_request(), amal), running(new_request(), amal)
        with pytest.raises(rules.RuleError, match="in beide werkt"):
            rules.link_cases(a, b)


def test_a_decline_excludes_that_expert(app):
    with app.app_context():
        amal = expert("amal")
        req = running(new_request(), amal)
        record_decline(amal, req.demand_key, "unsafe", "niet veilig", None)
        assert req.waiting_for_expert and req.deployments[0].state == "ended"
        with pytest.raises(rules.RuleError, match="geweigerd"):
            rules.assign_expert(req, amal)
        rules.assign_expert(req, expert("yvonne"))
        assert [d.expert.name for d in req.active_deployments] == ["Yvonne"]


def test_direct_contact_is_off_by_default_and_switchable_per_region(app):
    with app.app_context():
        with pytest.raises(rules.RuleError, match="Direct contact zonder hulpverlener"):
            new_request(kind="direct")
        from eih.models import PluginState
        state = db.session.execute(db.select(PluginState).filter_by(region_id=region().id, plugin="casework")).scalar_one()
        state.settings = {"direct_contact": True}
        db.session.flush()
        assert new_request(kind="direct").kind == "direct"
        with pytest.raises(rules.RuleError):
            new_request(kind="direct", slug="haaglanden", town="Delft")


def test_rules_write_the_audit_log(app):
    from eih.models import AuditEvent
    with app.app_context():
        before = db.session.query(AuditEvent).count()
        amal = expert("amal")
        req = running(new_request(), amal)
        talk(req, amal)
        actions = [(e.action, e.object_type) for e in db.session.query(AuditEvent).order_by(AuditEvent.id).all()[before:]]
        assert ("update", "Request") in actions and ("create", "ContactForm") in actions
        assert ("create", "Deployment") in actions
