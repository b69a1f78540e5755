"""Scheduler input (one slot demand per planned meeting) and output (the experts set by the plan)."""
from __future__ import annotations

from datetime import timedelta

from eih import clock
from eih.declines import record_decline
from eih.extensions import db
from eih.models import PluginState
from eih.plugins import Period, get_plugin
from eih.scheduler import Assignment, Instance, Plan, Settings, Unassigned, instance_from_dict, instance_to_dict
from eih.scheduler import Expert as SchedExpert
from tests.dates import every_date

from .helpers import expert, meeting, region, table


def weeks() -> Period:
    return Period(clock.today(), clock.today() + timedelta(weeks=3))


def _demands():
    return get_plugin("policy").demands(region(), weeks())


def _demand(made):
    return next(d for d in _demands() if d.id == f"policy:meeting-{made.id}")


def test_every_planned_meeting_is_a_demand_that_passes_the_schedulers_reader(app):
    with app.app_context():
        demands = _demands()
        assert len(demands) == 3  # the demo's platform, working group and critical friends
        experts = [SchedExpert(id=e.code, name=e.name, region=region().slug, gender=e.gender,
                               perspectives=e.tags("perspectives"))
                   for e in (expert(n) for n in ("amal", "yvonne", "sevda", "priya", "youssef", "marco", "kwame"))]
        again = instance_from_dict(instance_to_dict(Instance(weeks().start, weeks().end, Settings(), experts, demands)))
        assert [(d.id, d.kind, d.slot, d.hours, d.require, d.prefer, d.continuity) for d in again.demands] == [
            (d.id, d.kind, d.slot, d.hours, d.require, d.prefer, d.continuity) for d in demands]
        assert all(d.id.startswith("policy:meeting-") and d.kind == "policy" for d in demands)


def test_hours_include_the_preparation_and_the_load_is_one_unless_the_region_sets_another(app):
    with app.app_context():
        made = table(preparation_hours=1.5, experts_needed=2, perspective="victim", preferred_specialties="Stalking")
        soon = meeting(made, clock.today() + timedelta(days=2), minutes=90)
        demand = _demand(soon)
        assert (demand.hours, demand.load, demand.experts_needed, demand.require.perspective,
                demand.prefer.specialties) == (3.0, 1.0, 2, "victim", ["stalking"])
        assert demand.label == "Testtafel · Gemeente"
        soon.preparation_hours = 0.5
        assert _demand(soon).hours == 2.0
        db.session.execute(db.select(PluginState).filter_by(region_id=region().id, plugin="policy")).scalar_one() \
            .settings = {"load": 2}
        assert _demand(soon).load == 2.0


def test_an_inactive_tables_meetings_ask_for_no_one(app):
    with app.app_context():
        made = table()
        soon = meeting(made, clock.today() + timedelta(days=2))
        made.active = False
        assert f"policy:meeting-{soon.id}" not in {d.id for d in _demands()}


def test_apply_sets_the_experts_is_idempotent_and_an_unassigned_meeting_loses_them(app):
    with app.app_context():
        soon = meeting(table(), clock.today() + timedelta(days=2))
        key = f"policy:meeting-{soon.id}"
        plugin = get_plugin("policy")
        plan = Plan("optimal", [Assignment(key, [expert("yvonne").code]), Assignment("outreach:session-1", ["ed-1"])],
                    [], [], {})
        assert plugin.apply(region(), plan) == [] and plugin.apply(region(), plan) == []
        assert [e.name for e in soon.experts] == ["Yvonne"]
        plugin.apply(region(), Plan("optimal", [], [Unassigned(key, [])], [], {}))
        assert soon.experts == []


def test_apply_reports_an_expert_without_the_tables_perspective_and_changes_nothing(app):
    with app.app_context():
        soon = meeting(table(perspective="perpetrator"), clock.today() + timedelta(days=2))
        key = f"policy:meeting-{soon.id}"
        problems = get_plugin("policy").apply(region(), Plan("optimal", [Assignment(key, [expert("amal").code])],
                                                              [], [], {}))
        assert [p.demand for p in problems] == [key] and "perspective" in problems[0].message
        assert soon.experts == []


def test_a_declining_expert_is_excluded_and_taken_off_the_meeting(app):
    with app.app_context():
        from eih.plugins.policy import rules
        soon = meeting(table(), clock.today() + timedelta(days=2))
        rules.set_meeting_experts(soon, [expert("sevda")])
        record_decline(expert("sevda"), f"policy:meeting-{soon.id}", "conflict")
        assert soon.experts == [] and expert("sevda").code in _demand(soon).exclude


@every_date
def test_the_demo_has_policy_meetings_in_the_coming_weeks_for_rotterdam_only(app, travel):
    from eih.planning.build import build_instance
    with app.app_context():
        today = clock.today()
        period = Period(today, today + timedelta(weeks=2))
        ids = [d.id for d in build_instance(region(), period).demands if d.id.startswith("policy:")]
        assert len(ids) == 3
        assert not [d for d in build_instance(region("haaglanden"), period).demands if d.id.startswith("policy:")]


def test_switched_off_for_the_region_its_pages_answer_404_and_the_planning_asks_nothing(app, client, auth):
    from eih.planning.build import build_instance
    from eih.plugins import set_enabled
    with app.app_context():
        set_enabled(region().id, "policy", False)
        db.session.commit()
        assert not [d for d in build_instance(region(), weeks()).demands if d.id.startswith("policy:")]
    auth.login("lead")
    for url in ("/admin/policy/", "/admin/policy_meeting/", "/admin/policy_table/", "/admin/policy_contribution/"):
        assert client.get(url).status_code == 404, url
