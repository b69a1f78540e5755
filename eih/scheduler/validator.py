"""Independent check of every hard constraint of a plan.

This does not look at the solver's model: it recomputes each rule from the
instance and the demand -> experts mapping, so it also checks plans the project
lead edited by hand, and plans from the greedy baseline. Rule names (``rule``):

``unknown``, ``eligibility`` (1), ``availability`` (2), ``double-booking`` (3),
``contract-hours`` (4), ``recovery`` / ``heavy-per-day`` / ``weekly-load`` (5),
``staffing`` (6), ``pins`` (7), ``intervision`` (8). Each violation's message is
English with a key and fields (:mod:`eih.scheduler.reasons`), so the web app can
say it in the user's language.

A demand with an empty expert list counts as unassigned. A demand with
``all_experts`` that is staffed must include every expert of its region who
meets its requirements and is available in its slot (rule 8); like any demand
it may instead stay unassigned as a whole (rule 6: "all or none").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction

from . import facts
from .eligibility import availability_reasons, eligible_and_available, requirement_reasons
from .model import Instance, Plan
from .reasons import Wording


@dataclass
class Violation:
    """A broken rule: ``rule`` (the names above), ``message`` (English; a
    :class:`~eih.scheduler.reasons.Reason`, so it has a ``key`` and ``fields`` too)
    and the demand and expert it is about, when there is one."""

    rule: str
    message: str
    demand: str | None = None
    expert: str | None = None

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"

    @property
    def key(self) -> str | None:
        return getattr(self.message, "key", None)

    @property
    def fields(self) -> dict:
        return getattr(self.message, "fields", {})

    def data(self) -> dict:
        """As stored with a published plan: rule, key, fields, English message, demand, expert."""
        return {"rule": self.rule, "key": self.key, "fields": self.fields, "message": str(self.message),
                "demand": self.demand, "expert": self.expert}


def _say(instance: Instance):
    return Wording(demands={d.id: d for d in instance.demands}).say


def validate(instance: Instance, plan: Plan) -> list[Violation]:
    """Every broken hard constraint of ``plan``; an empty list means the plan is valid."""
    say = _say(instance)
    out = []
    assigned = {u.demand for u in plan.unassigned}
    seen = set()
    for a in plan.assignments:
        if a.demand in seen:
            out.append(Violation("unknown", say("listed_twice", demand=a.demand), a.demand))
        seen.add(a.demand)
        if a.experts and a.demand in assigned:
            out.append(Violation("unknown", say("assigned_and_unassigned", demand=a.demand), a.demand))
    return out + validate_assignments(instance, plan.mapping())


def validate_assignments(instance: Instance, mapping: dict[str, list[str]]) -> list[Violation]:
    """Check a demand id -> expert ids mapping (what the web app has after a hand edit)."""
    experts = {e.id: e for e in instance.experts}
    demands = {d.id: d for d in instance.demands}
    say = _say(instance)
    out: list[Violation] = []
    clean: dict[str, list[str]] = {}
    for did, eids in mapping.items():
        if did not in demands:
            out.append(Violation("unknown", say("unknown_demand", demand=did), did))
            continue
        good = []
        for eid in eids:
            if eid not in experts:
                out.append(Violation("unknown", say("unknown_expert", demand=did, expert=eid), did, eid))
            elif eid in good:
                out.append(Violation("staffing", say("expert_twice", expert=eid, demand=did), did, eid))
            else:
                good.append(eid)
        if good:
            clean[did] = good
    for check in (check_eligibility, check_availability, check_double_booking, check_contract_hours,
                  check_recovery, check_heavy_per_day, check_weekly_load, check_staffing, check_pins,
                  check_intervision):
        out.extend(check(instance, clean))
    return out


def _pairs(instance: Instance, mapping: dict[str, list[str]]):
    experts = {e.id: e for e in instance.experts}
    for d in instance.demands:
        for eid in mapping.get(d.id, []):
            yield d, experts[eid]


def _by_expert(instance: Instance, mapping):
    per = defaultdict(list)
    for d, e in _pairs(instance, mapping):
        per[e.id].append(d)
    return per


def check_eligibility(instance, mapping):
    say = _say(instance)
    return [Violation("eligibility", say("cannot_serve", expert=e.id, demand=d.id, reasons=r), d.id, e.id)
            for d, e in _pairs(instance, mapping) if (r := requirement_reasons(e, d))]


def check_availability(instance, mapping):
    say = _say(instance)
    return [Violation("availability", say("unavailable_assigned", expert=e.id, reason=r[0], demand=d.id), d.id, e.id)
            for d, e in _pairs(instance, mapping) if (r := availability_reasons(e, d))]


def _pairwise(instance, mapping, keep, gap: timedelta, rule: str, key: str, **fields):
    say = _say(instance)
    out = []
    for eid, ds in sorted(_by_expert(instance, mapping).items()):
        slots = sorted((d for d in ds if d.slot is not None and keep(d)), key=lambda d: (d.slot.start, d.id))
        for i, a in enumerate(slots):
            for b in slots[i + 1:]:
                if b.slot.start >= a.slot.end + gap:
                    break  # sorted by start: later slots are further away still
                if facts.overlaps(a.slot.start, a.slot.end, b.slot.start, b.slot.end, gap):
                    out.append(Violation(rule, say(key, expert=eid, first=a.id, second=b.id, **fields), b.id, eid))
    return out


def check_double_booking(instance, mapping):
    minutes = instance.settings.buffer_minutes
    gap = timedelta(minutes=minutes)
    if gap:
        return _pairwise(instance, mapping, lambda d: True, gap, "double-booking", "overlap_travel", minutes=minutes)
    return _pairwise(instance, mapping, lambda d: True, gap, "double-booking", "overlap")


def check_recovery(instance, mapping):
    s = instance.settings
    gap = timedelta(hours=s.recovery_hours)
    heavy = lambda d: d.slot is not None and d.load >= s.heavy_load  # noqa: E731
    out = _pairwise(instance, mapping, heavy, gap, "recovery", "recovery_pair", hours=s.recovery_hours)
    say = _say(instance)
    experts = {e.id: e for e in instance.experts}
    for eid, ds in sorted(_by_expert(instance, mapping).items()):
        last = experts[eid].history.last_heavy_end
        for d in ds:
            if last is not None and heavy(d) and d.slot.start < last + gap:
                out.append(Violation("recovery", say("recovery_after_history", expert=eid, demand=d.id,
                                                     hours=s.recovery_hours, until=last), d.id, eid))
    return out


def check_heavy_per_day(instance, mapping):
    say = _say(instance)
    s = instance.settings
    out = []
    for eid, ds in sorted(_by_expert(instance, mapping).items()):
        per_day = defaultdict(list)
        for d in ds:
            if d.slot is not None and d.load >= s.heavy_load:
                per_day[d.slot.start.date()].append(d.id)
        for day, ids in sorted(per_day.items()):
            if len(ids) > s.max_heavy_per_day:
                out.append(Violation("heavy-per-day", say("heavy_per_day", expert=eid, count=len(ids), day=day,
                                                          max=s.max_heavy_per_day), ids[-1], eid))
    return out


def _week_sums(instance, mapping, value):
    """expert id -> week -> sum of value(d) over its demands counting in that week."""
    sums = defaultdict(lambda: defaultdict(Fraction))
    for d, e in _pairs(instance, mapping):
        for w in facts.demand_weeks(instance, d):
            sums[e.id][w] += value(d)
    return sums


def check_contract_hours(instance, mapping):
    say = _say(instance)
    out = []
    experts = {e.id: e for e in instance.experts}
    sums = _week_sums(instance, mapping, lambda d: Fraction(facts.demand_minutes(d), 60))
    for eid, weeks in sorted(sums.items()):
        e = experts[eid]
        for w, hours in sorted(weeks.items()):
            share = Fraction(7 - facts.leave_days(e, w), 7)
            limit = (Fraction(facts.minutes(e.contract.max_hours), 60)
                     + Fraction(facts.minutes(e.contract.overtime_hours), 60)) * share
            if hours > limit:
                out.append(Violation("contract-hours", say("contract_hours", expert=eid, hours=hours,
                                                           week=f"{w[0]}-W{w[1]:02d}", limit=limit), None, eid))
    return out


def check_weekly_load(instance, mapping):
    say = _say(instance)
    out = []
    experts = {e.id: e for e in instance.experts}
    sums = _week_sums(instance, mapping, lambda d: Fraction(facts.centi(d.load), 100))
    for eid, weeks in sorted(sums.items()):
        e = experts[eid]
        cap = e.max_load if e.max_load is not None else instance.settings.max_load_per_week
        if cap is None:
            continue
        cap = Fraction(facts.centi(cap), 100)
        for w, load in sorted(weeks.items()):
            if load > cap:
                out.append(Violation("weekly-load", say("weekly_load", expert=eid, load=load, week=f"{w[0]}-W{w[1]:02d}",
                                                        cap=cap), None, eid))
    return out


def check_staffing(instance, mapping):
    say = _say(instance)
    out = []
    for d in instance.demands:
        got = len(mapping.get(d.id, []))
        if got and not d.all_experts and got != d.experts_needed:
            out.append(Violation("staffing", say("staffing", demand=d.id, needed=d.experts_needed, count=got), d.id))
    return out


def check_pins(instance, mapping):
    say = _say(instance)
    out = []
    for d in instance.demands:
        for eid in d.pinned:
            if eid not in mapping.get(d.id, []):
                out.append(Violation("pins", say("pin_missing", expert=eid, demand=d.id), d.id, eid))
    return out


def check_intervision(instance, mapping):
    say = _say(instance)
    out = []
    for d in instance.demands:
        if not d.all_experts or not mapping.get(d.id):
            continue
        got = set(mapping[d.id])
        for e in instance.experts:
            if e.id in got or not eligible_and_available(e, d):
                continue
            out.append(Violation("intervision", say("not_attending", expert=e.id, demand=d.id), d.id, e.id))
    return out
