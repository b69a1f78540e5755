"""The greedy baseline: how a project lead would plan by hand.

Pinned demands first, then the most urgent (highest priority; earlier slots first,
capacity demands after slot demands of the same priority). Each demand gets the
eligible experts who still fit (every hard rule checked against what is already
planned), preferring the expert with the most contract hours left in the demand's
week(s). No look-ahead, no continuity or load balancing: the benchmark uses it to
show what the optimiser adds. Its plans are always valid (status ``feasible``),
except that pins breaking a rule are left out, exactly as the solver does.
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import timedelta

from . import facts
from .eligibility import prune_candidates
from .explain import explain
from .metrics import evaluate
from .model import STATUS_FEASIBLE, STATUS_INVALID_INPUT, Assignment, Instance, Plan, Unassigned


class _Ledger:
    """What each expert already has, to check whether one more demand fits."""

    def __init__(self, instance: Instance):
        self.inst = instance
        self.experts = {e.id: e for e in instance.experts}
        self.used7 = defaultdict(int)  # (expert, week) -> sevenths of a minute
        self.load = defaultdict(int)  # (expert, week) -> hundredths
        self.slots = defaultdict(list)  # expert -> demands with a slot
        self.heavy_day = defaultdict(int)  # (expert, date) -> count
        s = instance.settings
        self.buffer = timedelta(minutes=s.buffer_minutes)
        self.recovery = timedelta(hours=s.recovery_hours)

    def hours_left7(self, eid: str, d) -> int:
        e = self.experts[eid]
        return min(facts.week_limits7(e, w)[2] - self.used7[eid, w] for w in facts.demand_weeks(self.inst, d))

    def fits(self, eid: str, d) -> bool:
        e = self.experts[eid]
        mins7 = 7 * facts.demand_minutes(d)
        cap = facts.load_cap_centi(self.inst, e)
        for w in facts.demand_weeks(self.inst, d):
            if self.used7[eid, w] + mins7 > facts.week_limits7(e, w)[2]:
                return False
            if cap is not None and self.load[eid, w] + facts.centi(d.load) > cap:
                return False
        if d.slot is None:
            return True
        heavy = facts.is_heavy(self.inst, d)
        if heavy and self.heavy_day[eid, d.slot.start.date()] >= self.inst.settings.max_heavy_per_day:
            return False
        for o in self.slots[eid]:
            if facts.overlaps(d.slot.start, d.slot.end, o.slot.start, o.slot.end, self.buffer):
                return False
            if heavy and facts.is_heavy(self.inst, o) and \
                    facts.overlaps(d.slot.start, d.slot.end, o.slot.start, o.slot.end, self.recovery):
                return False
        return True

    def book(self, eid: str, d) -> None:
        for w in facts.demand_weeks(self.inst, d):
            self.used7[eid, w] += 7 * facts.demand_minutes(d)
            self.load[eid, w] += facts.centi(d.load)
        if d.slot is not None:
            self.slots[eid].append(d)
            if facts.is_heavy(self.inst, d):
                self.heavy_day[eid, d.slot.start.date()] += 1


def greedy_mapping(instance: Instance, cands=None, keep_people: bool = False) -> dict[str, list[str]]:
    """Demand id -> expert ids of the greedy plan (``cands``: pruned candidates, if known).

    ``keep_people`` (used for the solver's first hint, not for the baseline) tries the
    continuity and previously published experts first."""
    cands = cands or prune_candidates(instance)
    ledger = _Ledger(instance)
    order = sorted(
        (d for d in instance.demands if d.id in cands.by_demand),
        key=lambda d: (not _good_pins(d, cands), -d.priority, d.slot is None,
                       d.slot.start if d.slot else instance.period_start_dt, d.id),
    )
    out: dict[str, list[str]] = {}
    for d in order:
        pool = cands.by_demand[d.id]
        if d.all_experts:
            chosen = pool if all(ledger.fits(e, d) for e in pool) else []
        else:
            pins = _good_pins(d, cands)
            if not all(ledger.fits(e, d) for e in pins):
                continue
            chosen = list(pins)
            prev = instance.previous.get(d.id, ())
            rest = sorted((e for e in pool if e not in pins),
                          key=lambda e: (keep_people and e not in d.continuity, keep_people and e not in prev,
                                         -ledger.hours_left7(e, d), e))
            for eid in rest:
                if len(chosen) == d.experts_needed:
                    break
                if ledger.fits(eid, d):
                    chosen.append(eid)
            if len(chosen) < d.experts_needed:
                chosen = []
        for eid in chosen:
            ledger.book(eid, d)
        if chosen:
            out[d.id] = list(chosen)
    return {d.id: out[d.id] for d in instance.demands if d.id in out}


def _good_pins(d, cands) -> list[str]:
    bad = set(cands.bad_pins.get(d.id, ()))
    return [p for p in d.pinned if p not in bad]


def greedy(instance: Instance) -> Plan:
    """The greedy plan, with objective values and explanations like a solver plan."""
    t0 = time.monotonic()
    cands = prune_candidates(instance)
    mapping = greedy_mapping(instance, cands)
    objective, summaries = evaluate(instance, mapping)
    dropped = bool(cands.bad_pins) or any(p not in mapping.get(d.id, []) for d in instance.demands for p in d.pinned)
    plan = Plan(STATUS_INVALID_INPUT if dropped else STATUS_FEASIBLE,
                [Assignment(d.id, mapping[d.id]) for d in instance.demands if d.id in mapping],
                [Unassigned(d.id) for d in instance.demands if d.id not in mapping], summaries, objective)
    plan = explain(instance, plan)
    plan.solve_seconds = time.monotonic() - t0
    return plan
