"""Who may serve a demand: hard rule 1 (eligibility), rule 2 (availability) and the
limits a single demand already breaks on its own (contract hours of its week,
weekly load cap, recovery after the heavy work before the period).

:func:`prune_candidates` keeps the pairs without a reason (the solver creates no
variable for the others, the greedy baseline offers only these), the validator
checks with the same rules, and the web app offers :func:`eligible_experts` as the
"swap to" list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import chain

from . import facts
from .model import Demand, Expert, Instance
from .reasons import Reason, say

Problem = tuple[str, dict]  # a reason's key and fields, before it is worded


def _requirement_problems(expert: Expert, demand: Demand) -> Iterator[Problem]:
    r = demand.require
    if demand.region is not None and expert.region != demand.region:
        yield ("region", {"have": expert.region, "want": demand.region}) if expert.region \
            else ("region_none", {"want": demand.region})
    if r.gender is not None and expert.gender != r.gender:
        yield ("gender", {"have": expert.gender, "want": r.gender}) if expert.gender \
            else ("gender_unknown", {"want": r.gender})
    if r.perspective is not None and r.perspective not in expert.perspectives:
        yield "perspective", {"want": r.perspective}
    for lang in r.languages:
        if lang not in expert.languages:
            yield "language", {"want": lang}
    for spec in r.specialties:
        if spec not in expert.specialties:
            yield "specialty", {"want": spec}
    if expert.id in demand.exclude:
        why = demand.exclude_reasons.get(expert.id)
        yield ("excluded_because", {"why": why}) if why else ("excluded", {})


def _availability_problems(expert: Expert, demand: Demand) -> Iterator[Problem]:
    if demand.slot is None:
        return
    s = demand.slot
    for u in expert.unavailable:
        if u.start < s.end and s.start < u.end or (s.start == s.end and u.start <= s.start < u.end):
            span = {"start": u.start, "end": u.end}
            yield ("unavailable_because", {"when": span, "absence": u.reason}) if u.reason \
                else ("unavailable", {"when": span})


def _limit_problems(instance: Instance, expert: Expert, demand: Demand) -> Iterator[Problem]:
    mins7 = 7 * facts.demand_minutes(demand)
    for week in facts.demand_weeks(instance, demand):
        _, _, hard = facts.week_limits7(expert, week)
        if mins7 > hard:
            if hard == 0 and facts.leave_days(expert, week) == 7:
                yield "week_off", {"week": _week_label(week)}
            else:
                yield "contract_single", {"limit": hard / 420, "week": _week_label(week),
                                          "hours": facts.demand_minutes(demand) / 60}
            break
    cap = facts.load_cap_centi(instance, expert)
    if cap is not None and facts.centi(demand.load) > cap:
        yield "load_single", {"cap": cap / 100, "load": demand.load}
    last = expert.history.last_heavy_end
    if last is not None and facts.is_heavy(instance, demand):
        until = last + timedelta(hours=instance.settings.recovery_hours)
        if demand.slot.start < until:
            yield "recovery_history", {"until": until}


def _say_all(problems: Iterator[Problem]) -> list[Reason]:
    return [say(key, **fields) for key, fields in problems]


def requirement_reasons(expert: Expert, demand: Demand) -> list[Reason]:
    """Rule 1: require fields, exclude and region. Empty list = eligible."""
    return _say_all(_requirement_problems(expert, demand))


def availability_reasons(expert: Expert, demand: Demand) -> list[Reason]:
    """Rule 2: the slot overlaps no unavailable period (touching ends are fine)."""
    return _say_all(_availability_problems(expert, demand))


def limit_reasons(instance: Instance, expert: Expert, demand: Demand) -> list[Reason]:
    """Limits one demand breaks on its own (rules 4 and 5), whatever else is assigned."""
    return _say_all(_limit_problems(instance, expert, demand))


def is_candidate(instance: Instance, expert: Expert, demand: Demand) -> bool:
    """No reason at all rules the pair out (:func:`candidate_reasons` is empty); stops at
    the first one and words none, which is what pruning thousands of pairs needs."""
    return next(chain(_requirement_problems(expert, demand), _availability_problems(expert, demand),
                      _limit_problems(instance, expert, demand)), None) is None


def eligible_and_available(expert: Expert, demand: Demand) -> bool:
    """Rules 1 and 2: who must attend an all-experts demand (rule 8)."""
    return next(chain(_requirement_problems(expert, demand), _availability_problems(expert, demand)), None) is None


def _week_label(week: facts.Week) -> str:
    return f"{week[0]}-W{week[1]:02d}"


def eligible(instance: Instance, expert: Expert, demand: Demand) -> bool:
    """Rule 1 only: requirements, exclude and region."""
    return next(_requirement_problems(expert, demand), None) is None


def available(instance: Instance, expert: Expert, demand: Demand) -> bool:
    """Rule 2 only: the slot overlaps none of the expert's unavailable periods."""
    return next(_availability_problems(expert, demand), None) is None


def candidate_reasons(instance: Instance, expert: Expert, demand: Demand) -> list[Reason]:
    """Everything that rules the pair out before looking at other assignments."""
    return requirement_reasons(expert, demand) + availability_reasons(expert, demand) + \
        limit_reasons(instance, expert, demand)


def ineligibility_reasons(instance: Instance, expert: Expert | str, demand: Demand | str) -> list[Reason]:
    """Plain-word reasons why ``expert`` cannot serve ``demand`` (ids or objects); empty if it can.
    Each is a :class:`~eih.scheduler.reasons.Reason`: English, with a key and fields."""
    if isinstance(expert, str):
        expert = instance.expert(expert)
    if isinstance(demand, str):
        demand = instance.demand(demand)
    return candidate_reasons(instance, expert, demand)


def eligible_experts(instance: Instance, demand_id: str) -> list[str]:
    """Ids of experts who meet the demand's requirements, are available in its slot and
    are not ruled out by a limit the demand breaks on its own (in instance order)."""
    demand = instance.demand(demand_id)
    return [e.id for e in instance.experts if is_candidate(instance, e, demand)]


# --------------------------------------------------------------------------- pruning


@dataclass
class Candidates:
    """Pairs that survive pruning, and demands that cannot be staffed at all."""

    by_demand: dict[str, list[str]] = field(default_factory=dict)  # staffable demands only
    blocked: set[str] = field(default_factory=set)  # demands that cannot be staffed
    bad_pins: dict[str, list[str]] = field(default_factory=dict)  # demand -> pinned experts left out


def prune_candidates(instance: Instance) -> Candidates:
    """Rules 1 and 2 and single-demand limits, applied before any variable exists."""
    by_region: dict[str | None, list] = defaultdict(list)
    for e in instance.experts:
        by_region[e.region].append(e)
    out = Candidates()
    for d in instance.demands:
        pool = by_region.get(d.region, []) if d.region is not None else instance.experts
        ok = [e.id for e in pool if is_candidate(instance, e, d)]
        if d.all_experts:
            # Rule 8: every eligible, available expert attends; one blocked member blocks all.
            must = [e.id for e in pool if eligible_and_available(e, d)]
            staffable = bool(must) and set(must) == set(ok)
        else:
            staffable = len(ok) >= d.experts_needed
        bad = [p for p in d.pinned if p not in ok or not staffable]
        if not d.all_experts and len(d.pinned) > d.experts_needed:
            bad = list(d.pinned)
        if bad:
            out.bad_pins[d.id] = bad
        if staffable:
            out.by_demand[d.id] = ok
        else:
            out.blocked.add(d.id)
    return out
