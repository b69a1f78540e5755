"""Strict reading and writing of the instance and plan files."""

from __future__ import annotations

import copy
import json

import pytest

from eih.scheduler import (
    InputError,
    dumps,
    generate,
    instance_from_dict,
    instance_to_dict,
    plan_from_dict,
    plan_to_dict,
    read_instance,
    solve,
)


def example(path) -> dict:
    return json.loads(path.read_text())


def test_example_round_trips(example_path):
    inst = read_instance(example_path)
    again = instance_from_dict(instance_to_dict(inst))
    assert again == inst
    assert instance_to_dict(again) == instance_to_dict(inst)


def test_generated_instance_round_trips():
    inst = generate(12, weeks=2, seed=4, regions=2)
    assert instance_from_dict(json.loads(dumps(instance_to_dict(inst)))) == inst


def test_defaults_are_the_contracts(example_path):
    d = example(example_path)
    del d["settings"]
    inst = instance_from_dict(d)
    s = inst.settings
    assert (s.heavy_load, s.recovery_hours, s.max_heavy_per_day, s.max_load_per_week, s.buffer_minutes,
            s.intervision_days, s.time_limit_s, s.seed) == (3, 12, 1, None, 0, 42, 10, 0)
    group = inst.demand("sg-men-2026-12-01")
    assert group.priority == 1 and group.experts_needed == 1 and group.exclude == []


def test_plan_round_trips(example_path):
    inst = read_instance(example_path)
    plan = solve(inst)
    again = plan_from_dict(json.loads(dumps(plan_to_dict(plan))), inst)
    assert plan_to_dict(again) == plan_to_dict(plan)


def _mutate(d: dict, path: str, value) -> dict:
    """Set (or with value=KeyError, delete) a dotted path like demands.1.slot.end."""
    d = copy.deepcopy(d)
    *parents, last = path.split(".")
    node = d
    for p in parents:
        node = node[int(p)] if isinstance(node, list) else node[p]
    if value is KeyError:
        del node[last]
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return d


BAD = [
    # (path, value, words the message must contain)
    ("format", "eih-instance/2", ['field "format"', "eih-instance/1"]),
    ("colour", "blue", ['field "colour"', "unknown"]),
    ("settings.heavy", 3, ["settings", 'field "heavy"', "unknown"]),
    ("settings.buffer_minutes", "30", ["settings", 'field "buffer_minutes"', "whole number"]),
    ("experts.0.nickname", "A", ['expert "ed-amal"', 'field "nickname"', "unknown"]),
    ("experts.0.contract.max_hours", "24", ['expert "ed-amal"', 'field "contract.max_hours"', "number"]),
    ("experts.0.languages", "nl", ['expert "ed-amal"', 'field "languages"', "list"]),
    ("experts.0.unavailable.0.end", "2026-12-02T00:00", ['expert "ed-amal"', "unavailable[0].end", "before"]),
    ("experts.0.history.last_intervision", "26-10-2026", ['expert "ed-amal"', "history.last_intervision", "date"]),
    ("demands.0.priority", 2.5, ['demand "case-2026-041"', 'field "priority"', "whole number"]),
    ("demands.0.hours", True, ['demand "case-2026-041"', 'field "hours"', "number"]),
    ("demands.0.require.gendre", "female", ['demand "case-2026-041"', "require.gendre", "unknown"]),
    ("demands.1.slot.end", "2026-12-01T18:00", ['demand "sg-men-2026-12-01"', "slot.end", "before"]),
    ("demands.1.slot.start", "2026-12-01 19:00", ['demand "sg-men-2026-12-01"', "slot.start", "local time"]),
    ("demands.1.continuity", ["ed-nobody"], ['demand "sg-men-2026-12-01"', 'field "continuity"', "ed-nobody"]),
    ("demands.0.pinned", ["ed-nobody"], ['demand "case-2026-041"', 'field "pinned"', "ed-nobody"]),
    ("demands.0.exclude", ["ed-nobody"], ['demand "case-2026-041"', 'field "exclude"', "ed-nobody"]),
    ("previous.sg-men-2026-12-01", ["ed-nobody"], ['demand "sg-men-2026-12-01"', 'field "previous"', "ed-nobody"]),
    ("previous.sg-unknown", ["ed-amal"], ["previous", "sg-unknown", "unknown demand"]),
    ("period.end", "2026-11-01", ['field "period.end"', "before"]),
    ("demands.0.hours", KeyError, ['demand "case-2026-041"', 'field "hours"', "missing"]),
    ("demands.0.kind", KeyError, ['demand "case-2026-041"', 'field "kind"', "missing"]),
    ("demands.0.experts_needed", 0, ['demand "case-2026-041"', 'field "experts_needed"', "at least 1"]),
    ("demands.1.id", "case-2026-041", ['demand "case-2026-041"', 'field "id"', "twice"]),
    ("demands.1.slot.start", "2026-11-20T19:00", ['demand "sg-men-2026-12-01"', "slot.start", "outside the period"]),
]


@pytest.mark.parametrize("path,value,words", BAD, ids=[b[0] for b in BAD])
def test_each_malformed_case_names_field_and_object(example_path, path, value, words):
    d = _mutate(example(example_path), path, value)
    with pytest.raises(InputError) as info:
        instance_from_dict(d)
    message = str(info.value)
    assert "\n" not in message
    for word in words:
        assert word in message, message


def test_plan_reader_rejects_unknown_demand_and_expert(example_path):
    inst = read_instance(example_path)
    good = plan_to_dict(solve(inst))
    bad = copy.deepcopy(good)
    bad["assignments"][0]["experts"] = ["ed-nobody"]
    with pytest.raises(InputError, match='unknown expert "ed-nobody"'):
        plan_from_dict(bad, inst)
    bad = copy.deepcopy(good)
    bad["assignments"][0]["demand"] = "case-nobody"
    with pytest.raises(InputError, match='unknown demand "case-nobody"'):
        plan_from_dict(bad, inst)
    bad = copy.deepcopy(good)
    bad["format"] = "eih-instance/1"
    with pytest.raises(InputError, match='field "format"'):
        plan_from_dict(bad, inst)


def test_writer_leaves_time_out_on_request(example_path):
    plan = solve(read_instance(example_path))
    assert "solve_seconds" in plan_to_dict(plan)
    assert "solve_seconds" not in plan_to_dict(plan, include_time=False)
