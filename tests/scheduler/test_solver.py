"""Business rules as the optimiser applies them: priorities, pins, intervision, determinism."""

from __future__ import annotations

from eih.scheduler import (
    Demand,
    Preferences,
    Requirements,
    Unavailable,
    dumps,
    generate,
    greedy,
    plan_to_dict,
    solve,
    validate,
)

from .conftest import at, expert, instance, slot

VICTIM = Requirements(gender="female", perspective="victim")
# the objective levels above the spread, in priority order
HIGHER_LEVELS = ("coverage", "continuity", "changes", "intervision_overdue", "overtime", "max_relative_load",
                 "below_min", "preferences")


def test_coverage_is_never_traded_for_load_balance():
    """Staffing one more demand (coverage +1) wins over a far lower maximum relative load."""
    amal = expert("amal", languages=["ar"], max_hours=16)
    bea = expert("bea", max_hours=16)
    heavy_case = Demand("arabic-case", "casework", hours=8, load=40,
                        require=Requirements(gender="female", languages=["ar"]))
    inst = instance([amal, bea], [heavy_case])
    plan = solve(inst)
    assert plan.mapping() == {"arabic-case": ["amal"]}
    assert plan.objective["max_relative_load"] == 2.5  # 40 / 16, although 0 was possible
    assert plan.status == "optimal"


def test_continuity_is_never_traded_for_preferences():
    amal = expert("amal")
    bea = expert("bea", cultures=["moroccan", "turkish"], languages=["ar", "tr"], specialties=["stalking"])
    case = Demand("case", "casework", hours=3, continuity=["amal"], require=VICTIM,
                  prefer=Preferences(cultures=["moroccan", "turkish"], languages=["ar", "tr"],
                                     specialties=["stalking"]))
    plan = solve(instance([amal, bea], [case]))
    assert plan.mapping() == {"case": ["amal"]}
    assert plan.objective["preferences"] == 0  # 5 matches given up for 1 unit of continuity


def test_stability_is_never_traded_for_overtime():
    """Keeping the published assignment costs 4 h overtime; it is still kept."""
    amal = expert("amal", max_hours=16, overtime=8)
    bea = expert("bea", max_hours=16)
    own = Demand("own", "casework", hours=16, pinned=["amal"])
    kept = Demand("kept", "casework", hours=4)
    inst = instance([amal, bea], [own, kept], previous={"kept": ["amal"]})
    plan = solve(inst)
    assert plan.mapping()["kept"] == ["amal"]
    assert plan.objective["changes"] == 0 and plan.objective["overtime"] == 4


def test_urgent_case_wins_a_conflict():
    amal = expert("amal")
    thv = Demand("thv", "casework", slot=slot(1, 10, 2), priority=3, require=VICTIM)
    intake = Demand("intake", "casework", slot=slot(1, 11, 2), priority=1, require=VICTIM,
                    continuity=["amal"])
    inst = instance([amal], [intake, thv])
    assert solve(inst).mapping() == {"thv": ["amal"]}
    assert greedy(inst).mapping() == {"thv": ["amal"]}


def test_intervision_is_attended_by_everyone_available():
    team = [expert("amal"), expert("bea"), expert("carlos", gender="male"),
            expert("dirk", gender="male", unavailable=[Unavailable(at(2, 0), at(3, 0), "sick")])]
    iv = Demand("iv", "intervision", slot=slot(2, 13, 2.5), all_experts=True)
    inst = instance(team, [iv])
    plan = solve(inst)
    assert plan.mapping() == {"iv": ["amal", "bea", "carlos"]}
    assert validate(inst, plan) == []


def test_overdue_intervision_is_avoided():
    from datetime import timedelta

    from .conftest import MONDAY

    amal = expert("amal")
    amal.history.last_intervision = MONDAY - timedelta(days=60)
    iv = Demand("iv", "intervision", slot=slot(2, 13, 2))
    case = Demand("case", "casework", slot=slot(2, 13, 2))
    plan = solve(instance([amal], [case, iv]))
    assert plan.mapping() == {"iv": ["amal"]}
    assert plan.objective["intervision_overdue"] == 0


def test_impossible_pin_is_reported_not_dropped_silently():
    amal = expert("amal", unavailable=[Unavailable(at(1, 0), at(2, 0), "sick")])
    bea = expert("bea")
    group = Demand("group", "supportgroup", slot=slot(1, 10, 2), pinned=["amal"], require=VICTIM)
    inst = instance([amal, bea], [group])
    plan = solve(inst)
    assert plan.status == "invalid-input"
    text = " ".join(plan.assignments[0].why if plan.assignments else plan.unassigned[0].reasons)
    assert "pin not honoured: amal is unavailable" in text
    assert [v.rule for v in validate(inst, plan)] == ["pins"]


def test_pins_that_cannot_hold_together_are_reported():
    amal = expert("amal")
    a = Demand("a", "information", slot=slot(0, 10, 2), pinned=["amal"])
    b = Demand("b", "information", slot=slot(0, 11, 2), pinned=["amal"], priority=2)
    inst = instance([amal], [a, b])
    plan = solve(inst)
    assert plan.status == "invalid-input"
    assert plan.mapping() == {"b": ["amal"]}
    assert any("cannot all be served together" in r for r in plan.unassigned[0].reasons)


def test_feasible_pins_are_honoured():
    team = [expert("amal"), expert("bea")]
    case = Demand("case", "casework", hours=4, pinned=["bea"], continuity=["amal"], require=VICTIM)
    plan = solve(instance(team, [case]))
    assert plan.status == "optimal" and plan.mapping() == {"case": ["bea"]}


def test_same_instance_and_seed_give_the_same_plan_byte_for_byte():
    inst = generate(12, weeks=1, seed=3)
    first = dumps(plan_to_dict(solve(inst, seed=5), include_time=False))
    second = dumps(plan_to_dict(solve(inst, seed=5), include_time=False))
    assert first == second


def test_progress_reports_every_level():
    messages = []
    solve(generate(7, seed=1), progress=messages.append)
    for level in HIGHER_LEVELS + ("spread",):
        assert any(m.startswith(level) for m in messages), level


def test_time_limit_gives_a_valid_feasible_plan():
    inst = generate(120, weeks=1, seed=2, regions=2)
    plan = solve(inst, time_limit=1)
    assert plan.status == "feasible"
    assert validate(inst, plan) == []
    assert plan.objective["coverage"] > 0


def test_spread_search_after_a_short_probe_keeps_every_higher_level(monkeypatch):
    """When the first try at the spread does not prove it (large weeks), the neighbourhood
    search and the final solve take over: never at the cost of levels 1-8, always valid."""
    from eih.scheduler import solver

    inst = generate(15, weeks=1, seed=2)
    reference = solve(inst, seed=1)
    assert reference.status == "optimal"
    monkeypatch.setattr(solver, "SPREAD_PROBE_DTIME", 0.0001)
    monkeypatch.setattr(solver, "SPREAD_LNS_STEP_DTIME", 0.05)
    plan = solve(inst, seed=1)
    assert validate(inst, plan) == []
    for level in HIGHER_LEVELS:
        assert plan.objective[level] == reference.objective[level], level
    assert plan.objective["spread"] == reference.objective["spread"]  # the final solve proves it
    assert plan.status == "optimal"


def test_unusual_contracts_use_the_grid_and_keep_every_higher_level(monkeypatch):
    """When the contracts' common multiple is too large for exact relative loads, the
    max level and the spread fall back to a separating scale and a 1/1000 grid: the
    plan is still valid, levels 1-8 are the same, and so is the spread's optimum here."""
    from eih.scheduler import cpmodel, solver

    inst = generate(12, weeks=1, seed=4)
    reference = solve(inst, seed=1)
    assert reference.status == "optimal"
    monkeypatch.setattr(cpmodel, "EXACT_SCALE_LIMIT", 1)
    assert solver.relative_scale(inst.experts).d == 0
    monkeypatch.setattr(solver, "SPREAD_PROBE_DTIME", 0.0001)  # through the neighbourhood search too
    monkeypatch.setattr(solver, "SPREAD_LNS_STEP_DTIME", 0.05)
    plan = solve(inst, seed=1)
    assert validate(inst, plan) == []
    for level in HIGHER_LEVELS:
        assert plan.objective[level] == reference.objective[level], level
    assert abs(plan.objective["spread"] - reference.objective["spread"]) <= 0.05
