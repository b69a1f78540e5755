"""The CP-SAT model of an instance: variables, one function per hard rule, one per
objective level, in the order of the contract (docs/SCHEDULER.md).

Each ``rule_*`` function adds one hard rule of the contract and mirrors the
validator's check of the same name (:mod:`eih.scheduler.validator`); each
``level_*`` function builds one objective level as a linear expression (a
:class:`Lin`), which the search (:mod:`eih.scheduler.solver`) optimises and then
holds while it optimises the next. Nothing here decides how time is spent.

Variables
---------
A variable ``x[d, e]`` exists only for pairs that survive pruning (rule 1, rule 2
and the limits one demand breaks on its own, see
:func:`eih.scheduler.eligibility.prune_candidates`); ``staffed[d]`` says whether a
demand is staffed at all. A demand with ``all_experts`` has no ``x`` of its own:
each attendance literal is its ``staffed`` literal (rule 8).

Exact numbers
-------------
Minutes for hours, hundredths for loads, sevenths of a minute for leave-shrunk
week limits (:mod:`eih.scheduler.facts`). Relative load L_e / M_e (L in
hundredths, M in minutes) is scaled by D, the least common multiple of the
contracts' minutes (14400 for 16, 20 and 24 h), so ``L_e * (D / M_e)`` is an exact
integer: the min-max (level 6) and the spread (level 9, ``sum |n q_e - sum q|``)
are exact. Should D exceed :data:`EXACT_SCALE_LIMIT` (unusual contracts), level 6
uses ``S * L_e <= Z * M_e`` with ``S > max(M)^2``, still exact since two different
ratios differ by at least 1 / (M M'), and the spread uses a grid of 1/1000.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from ortools.sat.python import cp_model

from . import facts
from .eligibility import Candidates
from .model import Instance

EXACT_SCALE_LIMIT = 10**7  # common multiple of contract minutes up to which loads are exact
SPREAD_GRID = 100  # spread level: relative loads on a grid of 1/1000 (fallback)
REACHABLE_LIMIT = 200_000  # spread level: longest list of reachable loads given to an expert's variable


# --------------------------------------------------------------------------- variables


class Lin:
    """A linear expression kept as terms, so it can be evaluated on a stored solution."""

    def __init__(self, const: int = 0):
        self.terms: list[tuple[cp_model.IntVar, int]] = []
        self.const = const

    def add(self, var, coef: int = 1) -> None:
        if coef:
            self.terms.append((var, coef))

    def expr(self):
        if not self.terms:
            return self.const
        return cp_model.LinearExpr.weighted_sum([v for v, _ in self.terms], [c for _, c in self.terms]) + self.const

    def value(self, values: dict[int, int]) -> int:
        return self.const + sum(c * values[v.index] for v, c in self.terms)

    def max_value(self) -> int:
        """Upper bound when every variable is a 0/1 literal with positive coefficient."""
        return self.const + sum(c for _, c in self.terms if c > 0)


class SchedulingModel:
    """The CP-SAT model of one instance; ``rule_*`` add hard rules, ``level_*`` build objectives."""

    def __init__(self, instance: Instance, cands: Candidates, soft_pins: bool = False, scale=None,
                 model: cp_model.CpModel | None = None):
        self.inst = instance
        self.cands = cands
        self.soft_pins = soft_pins
        self.scale = scale or relative_scale(instance.experts)
        self.m = model if model is not None else cp_model.CpModel()
        self.vars: list[cp_model.IntVar] = []
        # variables whose value follows from the others (the spread's), with how to compute it
        self.derived: list[tuple[cp_model.IntVar, object]] = []
        self.demands = {d.id: d for d in instance.demands}
        self.experts = {e.id: e for e in instance.experts}
        self.weeks = facts.period_weeks(instance)
        self.staffed: dict[str, cp_model.IntVar] = {}
        self.x: dict[tuple[str, str], cp_model.IntVar] = {}
        self.by_expert: dict[str, list[str]] = defaultdict(list)  # expert -> candidate demand ids
        self.pin_pairs: list[tuple[str, str]] = []
        self.hours7: dict[tuple[str, facts.Week], Lin] = {}
        self.create_variables()
        rule_intervision_attendance(self)
        rule_staffing(self)
        rule_no_double_booking(self)
        rule_contract_hours(self)
        rule_recovery_time(self)
        rule_heavy_per_day(self)
        rule_weekly_load(self)
        rule_pins(self)

    def new_bool(self, name: str):
        v = self.m.new_bool_var(name)
        self.vars.append(v)
        return v

    def new_int(self, lo: int, hi: int, name: str):
        v = self.m.new_int_var(lo, hi, name)
        self.vars.append(v)
        return v

    def create_variables(self) -> None:
        for d in self.inst.demands:
            if d.id not in self.cands.by_demand:
                continue
            self.staffed[d.id] = self.new_bool(f"staffed[{d.id}]")
            for eid in self.cands.by_demand[d.id]:
                if not d.all_experts:
                    self.x[d.id, eid] = self.new_bool(f"x[{d.id},{eid}]")
                self.by_expert[eid].append(d.id)

    def week_hours7(self, eid: str, week) -> Lin:
        """Assigned time of an expert in a week, in sevenths of a minute."""
        key = (eid, week)
        if key not in self.hours7:
            lin = Lin()
            for did in self.by_expert[eid]:
                d = self.demands[did]
                if week in facts.demand_weeks(self.inst, d):
                    lin.add(self.x[did, eid], 7 * facts.demand_minutes(d))
            self.hours7[key] = lin
        return self.hours7[key]


# --------------------------------------------------------------------------- hard rules (contract rules 1-8)


def rule_intervision_attendance(sm: SchedulingModel) -> None:
    """Rule 8: an all-experts demand is attended by all its candidates, or by nobody.

    Pruning already made it staffable only when every eligible, available expert is a
    candidate, so each attendance literal simply *is* the demand's staffed literal."""
    for did, eids in sm.cands.by_demand.items():
        if sm.demands[did].all_experts:
            for eid in eids:
                sm.x[did, eid] = sm.staffed[did]


def rule_staffing(sm: SchedulingModel) -> None:
    """Rule 6: exactly ``experts_needed`` experts, or none."""
    for did, eids in sm.cands.by_demand.items():
        d = sm.demands[did]
        if not d.all_experts:
            sm.m.add(sum(sm.x[did, e] for e in eids) == d.experts_needed * sm.staffed[did])


def _cliques(items: list[tuple], gap) -> list[list]:
    """Maximal groups of pairwise-conflicting items (start, end, literal) for the interval
    graph where two items conflict when they come closer than ``gap``."""
    spans = sorted(((s, e + gap, lit) for s, e, lit in items if e + gap > s), key=lambda t: (t[0], t[1]))
    out = []
    for i, (s, _, _) in enumerate(spans):
        clique = [t for t in spans[: i + 1] if t[1] > s]
        nxt = spans[i + 1][0] if i + 1 < len(spans) else None
        if len(clique) >= 2 and (nxt is None or min(t[1] for t in clique) <= nxt):
            out.append([t[2] for t in clique])
    return out


def _add_at_most_one_per_clique(sm: SchedulingModel, keep, gap) -> None:
    for eid, dids in sm.by_expert.items():
        items = [(d.slot.start, d.slot.end, sm.x[d.id, eid]) for d in (sm.demands[i] for i in dids)
                 if d.slot is not None and keep(d)]
        for clique in _cliques(items, gap):
            sm.m.add_at_most_one(clique)


def rule_no_double_booking(sm: SchedulingModel) -> None:
    """Rule 3: an expert's slots do not overlap, counting the travel buffer."""
    _add_at_most_one_per_clique(sm, lambda d: True, timedelta(minutes=sm.inst.settings.buffer_minutes))


def rule_contract_hours(sm: SchedulingModel) -> None:
    """Rule 4: per ISO week, hours <= (max + overtime) * (7 - leave days) / 7."""
    for eid in sm.by_expert:
        e = sm.experts[eid]
        for w in sm.weeks:
            lin = sm.week_hours7(eid, w)
            _, _, hard = facts.week_limits7(e, w)
            if lin.max_value() > hard:
                sm.m.add(lin.expr() <= hard)


def rule_recovery_time(sm: SchedulingModel) -> None:
    """Rule 5a: heavy slots of one expert lie ``recovery_hours`` apart (history is pruned)."""
    s = sm.inst.settings
    _add_at_most_one_per_clique(sm, lambda d: facts.is_heavy(sm.inst, d), timedelta(hours=s.recovery_hours))


def rule_heavy_per_day(sm: SchedulingModel) -> None:
    """Rule 5b: at most ``max_heavy_per_day`` heavy slots starting on one calendar day."""
    k = sm.inst.settings.max_heavy_per_day
    for eid, dids in sm.by_expert.items():
        per_day = defaultdict(list)
        for did in dids:
            d = sm.demands[did]
            if facts.is_heavy(sm.inst, d):
                per_day[d.slot.start.date()].append(sm.x[did, eid])
        for lits in per_day.values():
            if len(lits) > k:
                sm.m.add(sum(lits) <= k)


def rule_weekly_load(sm: SchedulingModel) -> None:
    """Rule 5c: an expert's load per week stays within ``max_load`` or the setting."""
    for eid, dids in sm.by_expert.items():
        cap = facts.load_cap_centi(sm.inst, sm.experts[eid])
        if cap is None:
            continue
        for w in sm.weeks:
            lin = Lin()
            for did in dids:
                d = sm.demands[did]
                if w in facts.demand_weeks(sm.inst, d):
                    lin.add(sm.x[did, eid], facts.centi(d.load))
            if lin.max_value() > cap:
                sm.m.add(lin.expr() <= cap)


def rule_pins(sm: SchedulingModel) -> None:
    """Rule 7: pinned experts serve their demand. Pins already known to break a rule are
    left out; with ``soft_pins`` the rest become level 0 (honour as many as possible)."""
    for d in sm.inst.demands:
        bad = set(sm.cands.bad_pins.get(d.id, ()))
        for eid in d.pinned:
            if eid in bad or (d.id, eid) not in sm.x:
                continue
            sm.pin_pairs.append((d.id, eid))
            if not sm.soft_pins:
                sm.m.add(sm.x[d.id, eid] == 1)


# --------------------------------------------------------------------------- objective levels


def level_pins(sm):
    lin = Lin()
    for pair in sm.pin_pairs:
        lin.add(sm.x[pair])
    return lin


def level_coverage(sm):
    lin = Lin()
    for did, v in sm.staffed.items():
        lin.add(v, sm.demands[did].priority)
    return lin


def level_continuity(sm):
    lin = Lin()
    for (did, eid), v in sm.x.items():
        if eid in sm.demands[did].continuity:
            lin.add(v)
    return lin


def level_changes(sm):
    """Pairs of the published plan that the new plan drops (constant for pruned pairs)."""
    lin = Lin()
    for did, eids in sm.inst.previous.items():
        for eid in eids:
            lin.const += 1
            if (did, eid) in sm.x:
                lin.add(sm.x[did, eid], -1)
    return lin


def level_intervision_overdue(sm):
    lin = Lin()
    for e in sm.inst.experts:
        if facts.intervision_ok_by_history(sm.inst, e):
            continue
        lits = [sm.x[did, e.id] for did in sm.by_expert.get(e.id, [])
                if facts.intervision_counts(sm.inst, sm.demands[did])]
        if not lits:
            lin.const += 1
            continue
        overdue = sm.new_bool(f"overdue[{e.id}]")
        sm.m.add_bool_or(lits + [overdue])
        lin.add(overdue)
    return lin


def _excess(sm, name, lin: Lin, limit: int, above: bool) -> Lin:
    """max(0, lin - limit) if above else max(0, limit - lin), as a variable (or constant)."""
    if not lin.terms:
        return Lin(max(0, lin.const - limit) if above else max(0, limit - lin.const))
    hi = lin.max_value()
    if above:
        if hi <= limit:
            return Lin()
        v = sm.new_int(0, hi - limit, name)
        sm.m.add(v >= lin.expr() - limit)
    else:
        if limit <= lin.const:
            return Lin()
        v = sm.new_int(0, limit - lin.const, name)
        sm.m.add(v >= limit - lin.expr())
    out = Lin()
    out.add(v)
    return out


def level_overtime(sm):
    """Sevenths of a minute above the leave-shrunk ``max_hours``, over experts and weeks."""
    total = Lin()
    for e in sm.inst.experts:
        for w in sm.weeks:
            _, hi, _ = facts.week_limits7(e, w)
            part = _excess(sm, f"ot[{e.id},{w}]", sm.week_hours7(e.id, w), hi, above=True)
            total.terms += part.terms
            total.const += part.const
    return total


def level_below_min(sm):
    total = Lin()
    for e in sm.inst.experts:
        for w in sm.weeks:
            lo, _, _ = facts.week_limits7(e, w)
            part = _excess(sm, f"below[{e.id},{w}]", sm.week_hours7(e.id, w), lo, above=False)
            total.terms += part.terms
            total.const += part.const
    return total


def period_load(sm, eid: str) -> Lin:
    """Recent plus period load of an expert, in hundredths."""
    e = sm.experts[eid]
    lin = Lin(facts.centi(e.history.load_recent))
    n_weeks = len(sm.weeks)
    for did in sm.by_expert.get(eid, []):
        d = sm.demands[did]
        lin.add(sm.x[did, eid], facts.centi(d.load) * (1 if d.slot else n_weeks))
    return lin


@dataclass
class RelScale:
    """Relative load of e = L_e * k[e] / d with L in hundredths (exact), or, when the common
    multiple of the contracts' minutes is too large (d == 0), by ceiling on S / M_e."""

    d: int
    k: dict[str, int]
    minutes: dict[str, int]
    s: int

    def scaled(self, eid: str, load: "Lin") -> "Lin":
        out = Lin(load.const * self.k[eid])
        out.terms = [(v, c * self.k[eid]) for v, c in load.terms]
        return out


def relative_scale(experts) -> RelScale:
    """Exact when the common multiple D of the contracts' minutes is small (16, 20 and 24 h
    give 14400), else max(M)^2 + 1 separates any two different ratios (see module docstring)."""
    minutes = {e.id: facts.relative_denominator_minutes(e) for e in experts}
    d = 1
    for m in sorted(set(minutes.values())):
        d = d * m // math.gcd(d, m)
        if d > EXACT_SCALE_LIMIT:
            return RelScale(0, {}, minutes, max(minutes.values()) ** 2 + 1)
    return RelScale(d, {eid: d // m for eid, m in minutes.items()}, minutes, 0)


def relative_bound(scale: RelScale, eid: str, load_hundredths: int) -> int:
    """The max level's unit for a constant load (idle experts)."""
    if scale.d:
        return load_hundredths * scale.k[eid]
    return -(-scale.s * load_hundredths // scale.minutes[eid])


def level_max_relative_load(sm):
    """Min-max of the relative loads, exactly (see the module docstring)."""
    if not sm.inst.experts:
        return Lin()
    sc = sm.scale
    loads = {e.id: period_load(sm, e.id) for e in sm.inst.experts}
    lower = max(relative_bound(sc, eid, lin.const) for eid, lin in loads.items())
    upper = max(relative_bound(sc, eid, lin.max_value()) for eid, lin in loads.items())
    if upper == lower:
        return Lin(lower)
    z = sm.new_int(lower, upper, "max_relative_load")
    for eid, lin in loads.items():
        if lin.terms:
            if sc.d:
                sm.m.add(sc.k[eid] * lin.expr() <= z)
            else:
                sm.m.add(sc.s * lin.expr() <= z * sc.minutes[eid])
    out = Lin()
    out.add(z)
    return out


def level_preferences(sm):
    lin = Lin()
    for (did, eid), v in sm.x.items():
        lin.add(v, facts.preference_matches(sm.demands[did], sm.experts[eid]))
    return lin


def level_spread(sm):
    return spread_over(sm, [(sm, e) for e in sm.inst.experts], [])


def reachable_values(const: int, coefs: list[int], cap: int) -> list[int] | None:
    """Every value ``const + sum of a subset of coefs`` up to ``cap`` (coefficients are
    positive), or None when the list would be too long to help."""
    g = 0
    for c in coefs:
        g = math.gcd(g, c)
    g = g or 1
    steps = (cap - const) // g
    if steps < 0 or steps > REACHABLE_LIMIT:
        return None
    mask = (1 << (steps + 1)) - 1
    reach = 1  # bit k: const + k * g is reachable
    for c in coefs:
        reach |= (reach << (c // g)) & mask
    return [const + g * k for k in range(steps + 1) if reach >> k & 1]


def spread_over(host, members, idle, cap: int | None = None):
    """Sum over experts of |relative load - mean| times n * D: exact when D is small, else
    relative loads on a grid of 1/1000. ``members``: (model, expert) pairs sharing one
    CpModel; ``idle``: experts without candidates (constant load); ``cap``: the level-6
    maximum in the same units, when it is fixed (exact scale only).

    Each expert's scaled relative load is a variable on the values its candidate demands
    can reach, and each term an absolute value: measured on generated weeks of 60 experts
    this found better plans in the same time than ``2 * sum max(0, n q_e - T)``, which
    has the same value."""
    n = len(members) + len(idle)
    if n == 0:
        return Lin()
    sc = host.scale
    terms, bounds = [], []  # each scaled relative load (a constant or a variable) and its (low, high)
    derived = host.derived = []  # (new variable, its value from the other variables' values), in order
    loads = [(e, period_load(owner, e.id)) for owner, e in members]
    loads += [(e, Lin(facts.centi(e.history.load_recent))) for e in idle]
    for e, lin in loads:
        if sc.d:
            scaled = sc.scaled(e.id, lin)
            lo, hi = scaled.const, scaled.max_value()
            if cap is not None:
                hi = max(lo, min(hi, cap))
            if not scaled.terms:
                terms.append(lo)
            else:
                values = reachable_values(lo, [c for _, c in scaled.terms], hi)
                if values is None:
                    r = host.new_int(lo, hi, f"r[{e.id}]")
                else:
                    r = host.m.new_int_var_from_domain(cp_model.Domain.from_values(values), f"r[{e.id}]")
                    host.vars.append(r)
                    lo, hi = values[0], values[-1]
                host.m.add(r == scaled.expr())
                derived.append((r, scaled.value))
                terms.append(r)
        else:
            num_coef, den = 60 * SPREAD_GRID, 100 * sc.minutes[e.id]
            lo, hi = num_coef * lin.const // den, num_coef * lin.max_value() // den
            if not lin.terms:
                terms.append(lo)
            else:
                r = host.new_int(lo, hi, f"r[{e.id}]")
                host.m.add(den * r <= num_coef * lin.expr())
                host.m.add(num_coef * lin.expr() <= den * r + den - 1)
                derived.append((r, lambda values, lin=lin: num_coef * lin.value(values) // den))
                terms.append(r)
        bounds.append((lo, hi))
    if all(isinstance(t, int) for t in terms):
        return Lin(sum(abs(n * c - sum(terms)) for c in terms))
    hi = max(b[1] for b in bounds)
    lo = min(b[0] for b in bounds)
    total = host.new_int(n * lo, n * hi, "spread_total")  # n times the mean
    host.m.add(total == sum(terms))

    def value(values, t):
        return t if isinstance(t, int) else values[t.index]

    derived.append((total, lambda values: sum(value(values, t) for t in terms)))
    out = Lin()
    for i, t in enumerate(terms):
        dev = host.new_int(0, n * (hi - lo), f"deviation[{i}]")
        host.m.add_abs_equality(dev, n * t - total)
        derived.append((dev, lambda values, t=t: abs(n * value(values, t) - values[total.index])))
        out.add(dev)
    return out


LEVELS = (
    ("coverage", "max", level_coverage),
    ("continuity", "max", level_continuity),
    ("changes", "min", level_changes),
    ("intervision_overdue", "min", level_intervision_overdue),
    ("overtime", "min", level_overtime),
    ("max_relative_load", "min", level_max_relative_load),
    ("below_min", "min", level_below_min),
    ("preferences", "max", level_preferences),
    ("spread", "min", level_spread),
)
