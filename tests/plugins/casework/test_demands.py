"""Scheduler input and output: demands, apply(plan), history; the report."""
from datetime import datetime, timedelta

from eih import clock
from eih.declines import record_decline
from eih.extensions import db
from eih.models import Expert
from eih.plugins import Period, Plugin
from eih.plugins.casework import plugin, rules
from eih.plugins.casework.models import Request
from eih.scheduler import Assignment, Contract, Instance, Plan, Settings, instance_from_dict, instance_to_dict
from eih.scheduler import Expert as SExpert
from tests.dates import every_date

from .helpers import expert, make_ready, new_request, region, running, talk


def week() -> Period:
    """The seven days from today (read when a test runs, so a travelled clock counts)."""
    return Period(clock.today(), clock.today() + timedelta(days=6))


def _by_id(demands):
    return {d.id: d for d in demands}


def _instance(reg, demands):
    experts = db.session.query(Expert).filter_by(region_id=reg.id, active=True).all()
    return Instance(week().start, week().end, Settings(), [
        SExpert(id=e.code, name=e.name, region=reg.slug, gender=e.gender, perspectives=e.tags("perspectives"),
                cultures=e.tags("cultures"), languages=e.tags("languages"), specialties=e.tags("specialties"),
                contract=Contract(e.min_hours, e.max_hours, e.overtime_hours)) for e in experts], demands)


def _plan(*pairs):
    return Plan(status="optimal", assignments=[Assignment(demand=d, experts=list(e)) for d, e in pairs],
                unassigned=[], experts=[], objective={})


def test_demands_pass_the_schedulers_own_reader(app):
    with app.app_context():
        reg = region()
        demands = plugin.demands(reg, week())
        assert demands and all(d.id.startswith("casework:req-") for d in demands)
        back = instance_from_dict(instance_to_dict(_instance(reg, demands)))
        assert [d.id for d in back.demands] == [d.id for d in demands]


def test_waiting_request_maps_to_a_capacity_demand(app):
    with app.app_context():
        thv = new_request(kind="thv", client_gender="female", client_perspective="victim", client_languages="nl,ar",
                          client_culture="moroccan", violence_type="honour-related")
        regular = new_request(hours_estimate=3)
        demand = _by_id(plugin.demands(region(), week()))
        d = demand[f"casework:req-{thv.id}"]
        assert d.slot is None and d.hours == 4 and d.load == 4 and d.priority == 3 and d.kind == "casework"
        assert d.require.gender == "female" and d.require.perspective == "victim"
        assert d.prefer.languages == ["ar"] and d.prefer.cultures == ["moroccan"]
        assert d.prefer.specialties == ["honour-related"] and d.region == "rotterdam-rijnmond"
        assert thv.code in d.label and "SECRET" not in d.label and "X.Q." not in d.label
        # the title goes into schedules and calendar apps: case code and kind, nothing more
        assert d.label == f"{thv.code} · THV" and demand[f"casework:req-{regular.id}"].label == regular.code
        assert demand[f"casework:req-{regular.id}"].hours == 3 and demand[f"casework:req-{regular.id}"].priority == 1


def test_running_case_keeps_its_expert(app):
    with app.app_context():
        req = running(new_request(), expert("amal"))
        d = _by_id(plugin.demands(region(), week()))[req.demand_key]
        assert d.continuity == [expert("amal").code] and d.experts_needed == 1
        closed = new_request()
        rules.close(closed, reason="niet nodig")
        assert closed.demand_key not in _by_id(plugin.demands(region(), week()))


def test_declines_and_linked_cases_become_exclusions(app):
    with app.app_context():
        amal, yvonne = expert("amal"), expert("yvonne")
        victim = running(new_request(), amal)
        partner = new_request()
        rules.link_cases(victim, partner)
        record_decline(yvonne, partner.demand_key, "conflict", "", None)
        d = _by_id(plugin.demands(region(), week()))[partner.demand_key]
        assert set(d.exclude) == {amal.code, yvonne.code}
        assert amal.code not in _by_id(plugin.demands(region(), week()))[victim.demand_key].exclude


def test_apply_proposes_when_the_rules_are_not_met_yet(app):
    with app.app_context():
        req = new_request()
        plan = _plan((req.demand_key, ["ed-%d" % expert("amal").id]))
        plugin.apply(region(), plan)
        plugin.apply(region(), plan)  # published twice: nothing new
        assert [(d.expert.name, d.state) for d in req.deployments] == [("Amal", "proposed")]
        assert req.status == "registered"


def test_apply_starts_a_ready_thv_and_is_idempotent(app):
    with app.app_context():
        thv = make_ready(new_request(kind="thv"))
        plan = _plan((thv.demand_key, [expert("sevda").code]))
        plugin.apply(region(), plan)
        plugin.apply(region(), plan)
        assert thv.status == "active"
        assert [(d.expert.name, d.state) for d in thv.deployments] == [("Sevda", "active")]


def test_apply_never_bypasses_a_linked_case_or_another_region(app):
    with app.app_context():
        amal = expert("amal")
        victim = running(new_request(), amal)
        partner = new_request()
        rules.link_cases(victim, partner)
        plugin.apply(region(), _plan((partner.demand_key, [amal.code])))
        assert not partner.deployments
        plugin.apply(region("haaglanden"), _plan((partner.demand_key, [expert("yvonne").code])))
        assert not partner.deployments


def test_a_replan_replaces_an_earlier_proposal(app):
    with app.app_context():
        req = new_request()
        plugin.apply(region(), _plan((req.demand_key, [expert("amal").code])))
        plugin.apply(region(), _plan((req.demand_key, [expert("yvonne").code])))
        assert [(d.expert.name, d.state) for d in req.deployments] == [("Yvonne", "proposed")]


def test_worked_lists_the_experts_own_contacts_in_the_period_with_their_heaviness(app):
    with app.app_context():
        amal, yvonne = expert("amal"), expert("yvonne")
        req = running(new_request(), amal, yvonne)
        start = clock.today() + timedelta(days=7)
        day = datetime.combine(start, datetime.min.time())
        talk(req, amal, 1, heaviness=4, start=day + timedelta(hours=10))
        talk(req, yvonne, 1, heaviness=2, start=day + timedelta(hours=12))
        talk(req, amal, 1, heaviness=5, start=day + timedelta(days=8))  # after the period
        items = plugin.worked(region(), amal, Period(start, start + timedelta(days=6)))
        assert [(i.day, i.hours, i.label, i.load) for i in items] == [(start, 1.0, req.code, 4.0)]
        assert items[0].heavy_until == day + timedelta(hours=11)
        assert type(plugin).expert_history is Plugin.expert_history  # its load reaches the round through worked()


@every_date
def test_report_counts_municipalities_partners_kinds_without_withdrawn_consent(app):
    with app.app_context():
        reg = region()
        period = Period(clock.today() - timedelta(days=10), clock.today())
        base = plugin.report(reg, period)
        new_request(town="Rotterdam")
        new_request(kind="thv", town="Schiedam")
        withdrawn = running(new_request(town="Vlaardingen"), expert("amal"))
        rules.withdraw_consent(withdrawn)
        figures = plugin.report(reg, period)
        assert figures["requests"] == base["requests"] + 2
        assert figures["consent_withdrawn"] == base["consent_withdrawn"] + 1
        assert figures["funder_municipalities"] == base["funder_municipalities"] + 1
        assert figures["by_kind"].get("thv", 0) == base["by_kind"].get("thv", 0) + 1
        assert figures["by_municipality"].get("Vlaardingen", 0) == base["by_municipality"].get("Vlaardingen", 0)


def test_demo_is_idempotent(app):
    with app.app_context():
        reg = region()
        count = db.session.query(Request).filter_by(region_id=reg.id).count()
        assert count >= 8
        plugin.demo(reg, clock.today())
        assert db.session.query(Request).filter_by(region_id=reg.id).count() == count
        assert db.session.query(Request).filter_by(region_id=reg.id, kind="thv").count() >= 2
