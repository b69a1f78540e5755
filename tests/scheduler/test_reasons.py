"""Explanations, violations and progress lines carry a key and fields beside the English,
in the plan file too, so another language can say the same; old plans still read."""

from __future__ import annotations

import copy
import json

import pytest

from eih.scheduler import (
    Demand,
    InputError,
    Requirements,
    Unavailable,
    generate,
    greedy,
    plan_from_dict,
    plan_to_dict,
    read_instance,
    solve,
    validate_assignments,
)
from eih.scheduler.reasons import TEMPLATES, Reason, Wording
from eih.scheduler.validator import Violation

from .conftest import at, expert, instance, slot
from .test_validator import MUTATIONS, team_week  # noqa: F401  (the fixture)


def _sentences(plan):
    return [w for a in plan.assignments for w in a.why] + [r for u in plan.unassigned for r in u.reasons]


def _nested(data):
    """Every reason inside a reason's data (itself included)."""
    yield data
    for value in data["fields"].values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict) and "key" in item:
                yield from _nested(item)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_explanation_is_its_key_and_fields_said_in_english(seed):
    inst = generate(7, weeks=1, seed=seed)
    wording = Wording(demands={d.id: d for d in inst.demands})
    for plan in (solve(inst), greedy(inst)):
        sentences = _sentences(plan)
        assert sentences and all(isinstance(s, Reason) for s in sentences)
        for s in sentences:
            data = json.loads(json.dumps(s.data()))  # plain JSON, nested reasons included
            assert all(d["key"] in TEMPLATES for d in _nested(data))
            assert wording.text(data) == s


def test_experts_and_demands_stay_ids_in_the_fields():
    amal = expert("amal")
    a = Demand("a", "casework", slot=slot(0, 10, 2), priority=3, label="THV Schiedam")
    b = Demand("b", "casework", slot=slot(0, 11, 2))
    plan = solve(instance([amal], [a, b]))
    reason = next(u.reasons for u in plan.unassigned if u.demand == "b")[0]
    assert "amal is busy with THV Schiedam" in reason
    busy = reason.fields["details"][0]
    assert busy == {"key": "expert_reason", "fields": {
        "expert": "amal", "reason": {"key": "double_booked", "fields": {"other": "a"}}}}


def test_the_plan_file_keeps_the_english_and_puts_keys_beside_it(example_path):
    inst = read_instance(example_path)
    data = plan_to_dict(solve(inst))
    for a in data["assignments"]:
        assert all(isinstance(w, str) for w in a["why"])
        assert [k["key"] for k in a["why_keys"]] and len(a["why_keys"]) == len(a["why"])
    again = plan_from_dict(json.loads(json.dumps(data)), inst)
    assert plan_to_dict(again) == data
    assert again.assignments[0].why[0].key == data["assignments"][0]["why_keys"][0]["key"]


def test_a_plan_without_keys_still_reads_and_writes_as_before(example_path):
    inst = read_instance(example_path)
    old = plan_to_dict(solve(inst))
    for a in old["assignments"]:
        del a["why_keys"]
    for u in old["unassigned"]:
        u.pop("reason_keys", None)
    plan = plan_from_dict(old, inst)
    assert all(not isinstance(w, Reason) for w in _sentences(plan))
    assert plan_to_dict(plan) == old


@pytest.mark.parametrize("keys, words", [
    ("not a list", ['"why_keys"', 'as long as "why"']),
    ([], ['"why_keys"', "of 0"]),
    ([{"fields": {}}], ['"why_keys[0].key"', "missing"]),
    ([{"key": ""}], ['"why_keys[0].key"', "empty"]),
    ([{"key": "why_pinned", "fields": []}], ['"why_keys[0].fields"', "object"]),
    ([{"key": "why_pinned", "text": "x"}], ['"why_keys[0].text"', "unknown"]),
])
def test_malformed_keys_in_a_plan_name_the_field(example_path, keys, words):
    inst = read_instance(example_path)
    data = {"format": "eih-plan/1", "assignments": [
        {"demand": "case-2026-041", "experts": ["ed-amal"], "why": ["pinned by the project lead"], "why_keys": keys}]}
    with pytest.raises(InputError) as info:
        plan_from_dict(copy.deepcopy(data), inst)
    for word in words:
        assert word in str(info.value), str(info.value)


def test_a_key_this_version_does_not_know_is_shown_as_its_english():
    text = Reason("kept because the lead said so", "lead_said_so", {"expert": "amal"})
    assert Wording().text(text) == "kept because the lead said so"
    assert Wording({"why_pinned": "vastgezet"}).text(Reason("pinned by the project lead", "why_pinned")) == "vastgezet"


@pytest.mark.parametrize("rule", sorted(MUTATIONS))
def test_each_violation_has_a_key_and_fields_that_say_its_message(team_week, rule):  # noqa: F811
    inst, plan = team_week
    broken = copy.deepcopy(plan)
    MUTATIONS[rule](broken)
    wording = Wording(demands={d.id: d for d in inst.demands})
    for v in validate_assignments(inst, broken):
        assert v.key in TEMPLATES and v.fields
        assert wording.text({"key": v.key, "fields": v.fields}) == v.message
        stored = json.loads(json.dumps(v.data()))
        assert stored["rule"] == rule and stored["message"] == v.message and stored["key"] == v.key


def test_violation_names_the_expert_and_the_demand_by_id():
    team = [expert("amal"), expert("carlos", gender="male")]
    inst = instance(team, [Demand("case", "casework", hours=2, label="THV Schiedam",
                                  require=Requirements(gender="female"))])
    (v,) = validate_assignments(inst, {"case": ["carlos"]})
    assert isinstance(v, Violation) and v.key == "cannot_serve"
    assert v.fields["expert"] == "carlos" and v.fields["demand"] == "case"
    assert v.fields["reasons"] == [{"key": "gender", "fields": {"have": "male", "want": "female"}}]
    assert v.message == 'expert "carlos" cannot serve demand "case" (THV Schiedam): is male, requires gender=female'


def test_progress_lines_are_keys_with_the_level_and_its_value():
    lines = []
    solve(generate(7, seed=1), progress=lines.append)
    assert lines and all(isinstance(line, Reason) for line in lines)
    assert {line.key for line in lines} <= {"level_optimal", "level_best_so_far", "level_best"}
    spread = lines[-1]
    assert spread.fields["level"] == "spread" and isinstance(spread.fields["value"], (int, float))
    assert spread == f"spread: {spread.fields['value']} (optimal)"


def test_times_in_fields_are_iso_and_read_in_english():
    amal = expert("amal", unavailable=[Unavailable(at(1, 0), at(2, 0), "sick")])
    group = Demand("group", "supportgroup", slot=slot(1, 10, 2), pinned=["amal"])
    plan = solve(instance([amal], [group]))
    reason = plan.unassigned[0].reasons[0]
    assert reason.key == "pin_conflict"
    assert reason.fields["problem"] == {"key": "unavailable_because", "fields": {
        "when": {"start": "2026-12-01T00:00", "end": "2026-12-02T00:00"}, "absence": "sick"}}
    assert reason == "pin not honoured: amal is unavailable Tue 01 Dec 00:00 to Wed 02 Dec 00:00 (sick)"
