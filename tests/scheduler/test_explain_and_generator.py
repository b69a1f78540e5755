"""Explanations in plain words, and the shape of generated instances."""

from __future__ import annotations

from collections import Counter

from eih.scheduler import (
    Demand,
    History,
    Preferences,
    Requirements,
    Unavailable,
    eligible_experts,
    explain_text,
    generate,
    greedy,
    ineligibility_reasons,
    instance_from_dict,
    instance_to_dict,
    solve,
    validate,
)

from .conftest import at, expert, instance, slot


def reasons(plan, demand_id):
    return " ".join(next(u.reasons for u in plan.unassigned if u.demand == demand_id))


def test_nobody_matches_names_the_requirement_and_the_unavailable():
    team = [expert("amal"), expert("youssef", gender="male", perspectives=["perpetrator"],
                                   unavailable=[Unavailable(at(1, 0), at(2, 0), "leave")])]
    group = Demand("men", "supportgroup", slot=slot(1, 19, 2),
                   require=Requirements(gender="male", perspective="perpetrator"))
    plan = solve(instance(team, [group]))
    text = reasons(plan, "men")
    assert "no expert matches" in text and "gender=male" in text and "perspective=perpetrator" in text
    assert "1 expert(s) match" in text and "unavailable Tue 01 Dec 19:00-21:00" in text


def test_contract_limit_and_recovery_are_named():
    amal = expert("amal", max_hours=4)
    amal.history = History(last_heavy_end=at(0, 22))
    big = Demand("big", "casework", hours=6)
    early = Demand("early", "casework", slot=slot(1, 8, 1), load=4)
    plan = solve(instance([amal], [big, early]))
    assert "4 h limit" in reasons(plan, "big")
    assert "recovery" in reasons(plan, "early")


def test_busy_expert_is_named_with_the_other_demand():
    amal = expert("amal")
    a = Demand("a", "casework", slot=slot(0, 10, 2), priority=3, label="THV Schiedam")
    b = Demand("b", "casework", slot=slot(0, 11, 2))
    plan = solve(instance([amal], [a, b]))
    assert "amal is busy with THV Schiedam" in reasons(plan, "b")


def test_assignment_says_why_this_expert():
    amal = expert("amal", cultures=["moroccan"])
    case = Demand("case", "casework", hours=2, continuity=["amal"],
                  require=Requirements(gender="female"), prefer=Preferences(cultures=["moroccan"]))
    plan = solve(instance([amal], [case]))
    why = " ".join(plan.assignments[0].why)
    assert "gender=female" in why and "continuity" in why and "culture match: moroccan" in why
    assert "relative load" in why


def test_explain_text_covers_every_demand():
    inst = generate(7, seed=3)
    text = explain_text(inst, greedy(inst))
    for d in inst.demands:
        assert d.id in text


def test_eligible_experts_for_the_swap_list():
    team = [expert("amal"), expert("bea", unavailable=[Unavailable(at(0, 0), at(1, 0))]),
            expert("carlos", gender="male")]
    inst = instance(team, [Demand("d", "casework", slot=slot(0, 10, 1), require=Requirements(gender="female"))])
    assert eligible_experts(inst, "d") == ["amal"]
    assert any("unavailable" in r for r in ineligibility_reasons(inst, "bea", "d"))
    assert any("gender=female" in r for r in ineligibility_reasons(inst, "carlos", "d"))


def test_generated_week_looks_like_the_team():
    inst = generate(7, weeks=1, seed=0)
    kinds = Counter(d.kind for d in inst.demands)
    assert 20 <= len(inst.demands) <= 40
    assert {"casework", "supportgroup", "information", "policy", "intervision"} <= set(kinds)
    men = [d for d in inst.demands if d.label == "Men's group"]
    women = [d for d in inst.demands if d.label == "Women's group"]
    assert men and all(d.experts_needed == 1 and d.require.gender == "male" for d in men)
    assert women and all(d.experts_needed == 2 and d.require.gender == "female" for d in women)
    assert {e.gender for e in inst.experts} == {"female", "male"}
    assert all(16 <= e.contract.max_hours <= 24 for e in inst.experts)
    assert any(d.slot is None and d.continuity for d in inst.demands)  # running cases
    assert any(d.all_experts for d in inst.demands)
    assert instance_from_dict(instance_to_dict(inst)) == inst


def test_six_weeks_and_regions():
    inst = generate(30, weeks=6, seed=1, regions=3)
    assert (inst.period_end - inst.period_start).days == 41
    assert len({e.region for e in inst.experts}) == 3
    men = [d for d in inst.demands if d.label == "Men's group"]
    women = [d for d in inst.demands if d.label == "Women's group"]
    assert len(men) == 3 * 6 and len(women) == 3 * 3  # weekly and biweekly per region
    assert sum(d.all_experts for d in inst.demands) == 3  # intervision every six weeks per region
    assert generate(30, weeks=6, seed=1, regions=3) == inst


def test_greedy_plans_are_valid_on_generated_weeks():
    for seed in range(3):
        inst = generate(15, weeks=2, seed=seed, regions=2)
        assert validate(inst, greedy(inst)) == []
