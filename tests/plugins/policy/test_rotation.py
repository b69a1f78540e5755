"""Rotation at the policy tables: the planning avoids whoever went last time when another expert fits."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from eih import clock
from eih.extensions import db
from eih.plugins import Period, get_plugin
from eih.plugins.policy import rules
from eih.plugins.policy.models import PolicyMeeting, PolicyTable
from eih.scheduler import Contract, Instance, Settings, Unavailable, instance_from_dict, instance_to_dict, solve
from eih.scheduler import Expert as SchedExpert

from .helpers import expert, meeting, region, table


def _demand(made: PolicyMeeting):
    day = made.starts_at.date()
    return next(d for d in get_plugin("policy").demands(region(), Period(day, day))
                if d.id == f"policy:meeting-{made.id}")


def _instance(demand, names, away=()):
    experts = []
    for name in names:
        e = expert(name)
        unavailable = [Unavailable(demand.slot.start - timedelta(hours=1), demand.slot.end + timedelta(hours=1),
                                   "leave")]
        experts.append(SchedExpert(id=e.code, name=e.name, region=region().slug, gender=e.gender,
                                   perspectives=e.tags("perspectives"), specialties=e.tags("specialties"),
                                   contract=Contract(min_hours=0, max_hours=24),
                                   unavailable=unavailable if name in away else []))
    known = {e.id for e in experts}
    # as the planning round does (eih.planning.build): only experts of the instance
    demand = replace(demand, continuity=[c for c in demand.continuity if c in known],
                     exclude=[c for c in demand.exclude if c in known])
    day = demand.slot.start.date()
    instance = Instance(day, day, Settings(time_limit_s=5), experts, [demand])
    return instance_from_dict(instance_to_dict(instance))  # what the scheduler reads


def test_a_table_in_rotation_asks_for_anyone_but_last_times_expert(app):
    with app.app_context():
        platform = db.session.execute(db.select(PolicyTable).filter_by(name="Tactisch platform huiselijk geweld")) \
            .scalar_one()
        soon = next(m for m in platform.meetings if m.status == "planned")
        demand = _demand(soon)
        assert [e.name for e in rules.went_last_time(soon)] == ["Amal"]
        assert expert("amal").code not in demand.continuity
        assert {expert(n).code for n in ("yvonne", "sevda", "youssef", "marco", "kwame")} <= set(demand.continuity)


def test_the_solver_sends_someone_else_when_another_expert_fits(app):
    with app.app_context():
        today = clock.today()
        made = table()
        meeting(made, today - timedelta(weeks=6), held_by=["amal"])
        nxt = meeting(made, today + timedelta(days=3))
        plan = solve(_instance(_demand(nxt), ["amal", "yvonne"]))
        assert plan.assignments[0].experts == [expert("yvonne").code]
        # without rotation the table keeps whoever the meeting has: Amal stays
        made.rotation = False
        rules.set_meeting_experts(nxt, [expert("amal")])
        plan = solve(_instance(_demand(nxt), ["amal", "yvonne"]))
        assert plan.assignments[0].experts == [expert("amal").code]


def test_last_times_expert_still_goes_when_nobody_else_fits(app):
    with app.app_context():
        today = clock.today()
        made = table("Werkgroep daders (test)", perspective="perpetrator")
        meeting(made, today - timedelta(weeks=4), held_by=["youssef"])
        nxt = meeting(made, today + timedelta(days=3))
        demand = _demand(nxt)
        assert demand.require.perspective == "perpetrator" and expert("youssef").code not in demand.continuity
        plan = solve(_instance(demand, ["youssef", "marco", "kwame", "amal"], away=("marco", "kwame")))
        assert plan.assignments[0].experts == [expert("youssef").code]


def test_rotation_looks_at_the_last_meeting_that_had_experts(app):
    with app.app_context():
        today = clock.today()
        made = table()
        meeting(made, today - timedelta(weeks=8), held_by=["sevda"])
        cancelled = meeting(made, today - timedelta(weeks=4))
        rules.cancel_meeting(cancelled, "Geen agenda")
        nxt = meeting(made, today + timedelta(days=3))
        assert [e.name for e in rules.went_last_time(nxt)] == ["Sevda"]
        # a planned meeting before it, already staffed, is "last time" for the one after
        between = meeting(made, today + timedelta(days=1))
        rules.set_meeting_experts(between, [expert("kwame")])
        assert [e.name for e in rules.went_last_time(nxt)] == ["Kwame"]
        assert expert("kwame").code not in _demand(nxt).continuity
        assert expert("sevda").code in _demand(nxt).continuity


def test_the_first_meeting_of_a_table_keeps_the_experts_it_has(app):
    with app.app_context():
        made = table()
        first = meeting(made, clock.today() + timedelta(days=2))
        assert _demand(first).continuity == []
        rules.set_meeting_experts(first, [expert("priya")])
        assert _demand(first).continuity == [expert("priya").code]


def test_the_meeting_page_shows_who_went_last_time(app, client, auth):
    with app.app_context():
        platform = db.session.execute(db.select(PolicyTable).filter_by(name="Tactisch platform huiselijk geweld")) \
            .scalar_one()
        soon = next(m for m in platform.meetings if m.status == "planned").id
    auth.login("lead")
    html = client.get(f"/admin/policy/meeting/{soon}/").get_data(as_text=True)
    assert "ging de vorige keer" in html and "rouleren: de planning kiest liever iemand anders" in html
