"""The validator accepts every solver plan and rejects a plan broken in any single way."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eih.scheduler import (
    Demand,
    Requirements,
    Unavailable,
    greedy,
    solve,
    validate,
    validate_assignments,
)
from eih.scheduler.eligibility import availability_reasons, requirement_reasons
from eih.scheduler.facts import overlaps

from .conftest import at, expert, instance, slot, tiny_instance

VICTIM = Requirements(gender="female", perspective="victim")
PERPETRATOR = Requirements(gender="male", perspective="perpetrator")


@pytest.fixture
def team_week():
    """A week of a small team with a valid hand-made plan that touches every rule."""
    experts = [
        expert("amal"), expert("bea"),
        expert("carlos", gender="male", perspectives=["perpetrator"]),
        expert("dirk", gender="male", perspectives=["perpetrator"],
               unavailable=[Unavailable(at(1, 0), at(2, 0), "leave")]),
    ]
    demands = [
        Demand("case", "casework", hours=4, load=2, require=VICTIM),
        Demand("men", "supportgroup", slot=slot(1, 19, 2), load=3, require=PERPETRATOR),
        Demand("women", "supportgroup", slot=slot(3, 10, 2), load=3, experts_needed=2, require=VICTIM),
        Demand("iv", "intervision", slot=slot(2, 13, 2.5), all_experts=True),
        Demand("info", "information", slot=slot(0, 10, 2), load=1, pinned=["amal"]),
        Demand("info2", "information", slot=slot(0, 11, 2), load=0),
        Demand("big", "casework", hours=22, load=1),
        Demand("early", "casework", slot=slot(2, 7, 1), load=3, require=PERPETRATOR),
        Demand("fri-am", "casework", slot=slot(4, 7, 1), load=3, require=PERPETRATOR),
        Demand("fri-pm", "casework", slot=slot(4, 21, 1), load=3, require=PERPETRATOR),
        Demand("sat", "casework", slot=slot(5, 10, 1), load=4, require=VICTIM),
    ]
    inst = instance(experts, demands, max_load_per_week=8)
    plan = {"case": ["bea"], "men": ["carlos"], "women": ["amal", "bea"],
            "iv": ["amal", "bea", "carlos", "dirk"], "info": ["amal"], "info2": ["bea"],
            "fri-am": ["dirk"], "sat": ["amal"]}
    return inst, plan


MUTATIONS = {
    "eligibility": lambda p: p.update(case=["carlos"]),
    "availability": lambda p: p.update(men=["dirk"]),
    "double-booking": lambda p: p.update(info2=["amal"]),
    "contract-hours": lambda p: p.update(big=["bea"]),
    "recovery": lambda p: p.update(early=["carlos"]),
    "heavy-per-day": lambda p: p.update({"fri-pm": ["dirk"]}),
    "weekly-load": lambda p: p.update(sat=["bea"]),
    "staffing": lambda p: p.update(women=["amal"]),
    "pins": lambda p: p.update(info=["bea"], info2=["carlos"]),
    "intervision": lambda p: p.update(iv=["amal", "bea", "carlos"]),
}


def test_hand_made_plan_is_valid(team_week):
    inst, plan = team_week
    assert validate_assignments(inst, plan) == []


@pytest.mark.parametrize("rule", sorted(MUTATIONS))
def test_validator_rejects_each_single_break(team_week, rule):
    inst, plan = team_week
    broken = copy.deepcopy(plan)
    MUTATIONS[rule](broken)
    violations = validate_assignments(inst, broken)
    assert {v.rule for v in violations} == {rule}, violations
    assert all(v.message for v in violations)


def test_buffer_counts_as_double_booking(team_week):
    inst, plan = team_week
    inst.demands.append(Demand("after", "policy", slot=slot(0, 12.25, 1)))
    plan["after"] = ["amal"]  # info ends 12:00, 15 minutes later
    assert validate_assignments(inst, plan) == []
    inst.settings.buffer_minutes = 30
    assert {v.rule for v in validate_assignments(inst, plan)} == {"double-booking"}


def test_leave_shrinks_the_contract_week(team_week):
    inst, plan = team_week
    bea = inst.expert("bea")  # case 4 h + women 2 h + iv 2.5 h + info2 2 h = 10.5 h
    bea.contract.max_hours = 24
    bea.unavailable = [Unavailable(at(4, 0), at(7, 0), "leave")]  # Fri-Sun: 4/7 of 24 = 13.7 h
    assert validate_assignments(inst, plan) == []
    bea.unavailable = [Unavailable(at(3, 12), at(7, 0), "leave")]  # Thu afternoon is not a whole day
    assert not [v for v in validate_assignments(inst, plan) if v.rule == "contract-hours"]
    bea.unavailable = [Unavailable(at(1, 0), at(2, 0)), Unavailable(at(4, 0), at(7, 0))]  # 4 days: 10.29 h
    assert [v.rule for v in validate_assignments(inst, plan)] == ["contract-hours"]


def test_recovery_counts_from_history(team_week):
    inst, plan = team_week
    inst.expert("carlos").history.last_heavy_end = at(1, 8)  # men's group Tue 19:00 is 11 h later
    assert [v.rule for v in validate_assignments(inst, plan)] == ["recovery"]


# ------------------------------------------------------------------ properties on generated instances


@given(st.integers(0, 10**6))
def test_every_solver_plan_passes_the_validator(seed):
    inst = tiny_instance(seed)
    assert validate(inst, solve(inst, time_limit=20, seed=0)) == []
    assert validate(inst, greedy(inst)) == []


def _experts_not_in(inst, ids):
    return [e for e in inst.experts if e.id not in ids]


def generic_mutations(inst, mapping):
    """(rule, broken mapping, instance) for every family that applies to this plan."""
    out = []
    demands = {d.id: d for d in inst.demands}
    for did, eids in mapping.items():
        d = demands[did]
        if not d.all_experts and (others := _experts_not_in(inst, eids)):
            out.append(("staffing", {**mapping, did: eids + [others[0].id]}, inst))
        if d.all_experts and len(eids) >= 2:
            out.append(("intervision", {**mapping, did: eids[1:]}, inst))
        pinned = copy.deepcopy(inst)
        if others := _experts_not_in(inst, eids):
            pinned.demand(did).pinned = [others[0].id]
            out.append(("pins", mapping, pinned))
        for e in inst.experts:
            if e.id in eids or d.all_experts:
                continue
            swapped = {**mapping, did: [e.id] + eids[1:]}
            if requirement_reasons(e, d):
                out.append(("eligibility", swapped, inst))
            if availability_reasons(e, d):
                out.append(("availability", swapped, inst))
            if d.slot and any(overlaps(d.slot.start, d.slot.end, o.slot.start, o.slot.end,
                                       timedelta(minutes=inst.settings.buffer_minutes))
                              for oid, oe in mapping.items() if e.id in oe and oid != did
                              for o in [demands[oid]] if o.slot):
                out.append(("double-booking", swapped, inst))
        tight = copy.deepcopy(inst)
        for e in tight.experts:
            if e.id in eids:
                e.contract.max_hours, e.contract.overtime_hours, e.contract.min_hours = 0.01, 0, 0
        if demands[did].effective_hours > 0.01:
            out.append(("contract-hours", mapping, tight))
        if d.load > 0:
            capped = copy.deepcopy(inst)
            for e in capped.experts:
                e.max_load = d.load / 2
            out.append(("weekly-load", mapping, capped))
    return out


@given(st.integers(0, 10**6))
def test_validator_rejects_generated_plans_broken_in_one_way(seed):
    inst = tiny_instance(seed, n_demands=5)
    mapping = solve(inst, time_limit=20, seed=0).mapping()
    for rule, broken, inst2 in generic_mutations(inst, mapping):
        rules = {v.rule for v in validate_assignments(inst2, broken)}
        assert rule in rules, (rule, broken)


@given(st.integers(2, 6), st.integers(0, 10**6))
def test_plans_for_generated_team_weeks_pass_the_validator(experts, seed):
    from eih.scheduler import generate

    inst = generate(experts, weeks=1, seed=seed)
    plan = solve(inst, time_limit=20, seed=0)
    assert plan.status in ("optimal", "feasible")
    assert validate(inst, plan) == []
    assert validate(inst, greedy(inst)) == []
