"""Scheduler input (one slot demand per planned session) and output (the experts set by the plan)."""
from __future__ import annotations

from datetime import timedelta

from eih import clock
from eih.declines import record_decline
from eih.extensions import db
from eih.models import PluginState
from eih.plugins import Period, get_plugin
from eih.plugins.outreach.models import OutreachSession
from eih.scheduler import (
    Assignment,
    Contract,
    Instance,
    Plan,
    Settings,
    Unassigned,
    eligible_experts,
    instance_from_dict,
    instance_to_dict,
    solve,
)
from eih.scheduler import Expert as SchedExpert
from tests.dates import every_date

from .helpers import boundary, expert, menu_item, order, region, session_for, topic


def weeks() -> Period:
    return Period(clock.today(), clock.today() + timedelta(weeks=4))


def _demands():
    return get_plugin("outreach").demands(region(), weeks())


def _scheduler_experts():
    return [SchedExpert(id=e.code, name=e.name, region=region().slug, gender=e.gender,
                        perspectives=e.tags("perspectives"), specialties=e.tags("specialties"),
                        contract=Contract(min_hours=0, max_hours=e.max_hours))
            for e in (expert(n) for n in ("amal", "yvonne", "sevda", "youssef", "marco", "kwame"))]


def _sessions_demand(item):
    return next(d for d in _demands() if d.id == f"outreach:session-{item.id}")


def test_every_planned_session_is_a_demand_that_passes_the_schedulers_reader(app):
    with app.app_context():
        demands = _demands()
        assert len(demands) >= 3  # the demo's order, webinar and agreement sessions in the coming weeks
        instance = Instance(weeks().start, weeks().end, Settings(), _scheduler_experts(), demands)
        again = instance_from_dict(instance_to_dict(instance))
        assert [(d.id, d.kind, d.slot, d.hours, d.require, d.prefer, d.exclude) for d in again.demands] == [
            (d.id, d.kind, d.slot, d.hours, d.require, d.prefer, d.exclude) for d in demands]
        assert all(d.id.startswith("outreach:session-") and d.kind == "information" for d in demands)


def test_hours_include_preparation_and_the_load_is_one_unless_the_region_sets_another(app):
    with app.app_context():
        made = order(menu_item(duration_minutes=90, preparation_hours=2.5))
        item = session_for(made, clock.today() + timedelta(days=2), length=90)
        demand = _sessions_demand(item)
        assert (demand.hours, demand.load, demand.slot.end - demand.slot.start) == (4.0, 1.0, timedelta(minutes=90))
        assert demand.label == f"Testworkshop · {made.organisation}"
        db.session.execute(db.select(PluginState).filter_by(region_id=region().id, plugin="outreach")).scalar_one() \
            .settings = {"load": 2}
        assert _sessions_demand(item).load == 2.0


def test_requirements_come_from_the_topic_and_preferences_from_its_specialties(app):
    with app.app_context():
        honour = topic(name="Eer en schaamte", perspective="victim", required_specialties="honour-related",
                       preferred_specialties="partner")
        item = session_for(order(menu_item("Gastles eer", form="guest_lecture", topic_obj=honour, experts_needed=2)),
                           clock.today() + timedelta(days=2))
        demand = _sessions_demand(item)
        assert (demand.require.perspective, demand.require.specialties, demand.prefer.specialties,
                demand.experts_needed) == ("victim", ["honour-related"], ["partner"], 2)
        instance = Instance(weeks().start, weeks().end, Settings(), _scheduler_experts(), [demand])
        fits = eligible_experts(instance, demand.id)
        assert sorted(fits) == sorted([expert("amal").code, expert("sevda").code])


def test_the_perpetrator_workshop_goes_to_an_expert_with_the_perpetrator_perspective(app):
    with app.app_context():
        workshop = session_for(order(menu_item("Workshop plegerperspectief")), clock.today() + timedelta(days=2))
        demand = _sessions_demand(workshop)
        assert demand.require.perspective == "perpetrator"
        plan = solve(Instance(weeks().start, weeks().end, Settings(time_limit_s=5), _scheduler_experts(), [demand]))
        chosen = plan.assignments[0].experts
        assert len(chosen) == 1 and chosen[0] in {expert(n).code for n in ("youssef", "marco", "kwame")}


def test_an_expert_whose_story_boundary_rules_out_the_setting_is_excluded(app):
    with app.app_context():
        webinar = db.session.execute(db.select(OutreachSession).join(OutreachSession.offer).where(
            OutreachSession.status == "planned", OutreachSession.offer.has(form="podcast_webinar"))).scalars().first()
        demand = _sessions_demand(webinar)
        assert {expert("amal").code, expert("sevda").code} <= set(demand.exclude)
        assert expert("youssef").code not in demand.exclude  # "partial": he shares part of his story


def test_a_declining_expert_is_excluded_and_taken_off_the_session(app):
    with app.app_context():
        item = session_for(order(menu_item()), clock.today() + timedelta(days=2))
        from eih.plugins.outreach import rules
        rules.set_session_experts(item, [expert("yvonne")])
        assert _sessions_demand(item).continuity == [expert("yvonne").code]
        record_decline(expert("yvonne"), f"outreach:session-{item.id}", "capacity")
        assert item.experts == []
        assert expert("yvonne").code in _sessions_demand(item).exclude


def test_apply_sets_the_experts_is_idempotent_and_an_unassigned_session_loses_them(app):
    with app.app_context():
        item = session_for(order(menu_item(experts_needed=2)), clock.today() + timedelta(days=2))
        key = f"outreach:session-{item.id}"
        plugin = get_plugin("outreach")
        plan = Plan("optimal", [Assignment(key, [expert("amal").code, expert("yvonne").code]),
                                Assignment("casework:req-1", ["ed-1"])], [], [], {})
        assert plugin.apply(region(), plan) == []
        assert plugin.apply(region(), plan) == []
        assert [e.name for e in item.experts] == ["Amal", "Yvonne"]
        plugin.apply(region(), Plan("optimal", [], [Unassigned(key, [])], [], {}))
        assert item.experts == []


def test_apply_leaves_a_session_alone_and_reports_an_expert_who_does_not_fit(app):
    with app.app_context():
        workshop = session_for(order(menu_item("Workshop plegerperspectief")), clock.today() + timedelta(days=2))
        boundary(expert("marco"), "small_group", "none")
        key = f"outreach:session-{workshop.id}"
        plugin = get_plugin("outreach")
        for name, part in (("amal", "perspective"), ("marco", "does not share")):
            problems = plugin.apply(region(), Plan("optimal", [Assignment(key, [expert(name).code])], [], [], {}))
            assert [p.demand for p in problems] == [key] and part in problems[0].message
            assert workshop.experts == []


@every_date
def test_the_demo_has_outreach_sessions_in_the_coming_weeks_for_rotterdam_only(app, travel):
    from eih.planning.build import build_instance
    with app.app_context():
        today = clock.today()
        period = Period(today, today + timedelta(weeks=3))
        ids = [d.id for d in build_instance(region(), period).demands if d.id.startswith("outreach:")]
        assert len(ids) >= 2
        assert not [d for d in build_instance(region("haaglanden"), period).demands if d.id.startswith("outreach:")]


def test_switched_off_for_the_region_its_pages_answer_404_and_the_planning_asks_nothing(app, client, auth):
    from eih.planning.build import build_instance
    from eih.plugins import set_enabled
    with app.app_context():
        set_enabled(region().id, "outreach", False)
        db.session.commit()
        assert not [d for d in build_instance(region(), weeks()).demands if d.id.startswith("outreach:")]
    auth.login("lead")
    for url in ("/admin/outreach/", "/admin/outreach_order/", "/admin/outreach_session/", "/admin/outreach_offer/"):
        assert client.get(url).status_code == 404, url
