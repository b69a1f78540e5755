"""The optimiser: OR-Tools CP-SAT, one function per rule, objective levels solved in turn.

How it works
------------
1. **Prune.** A variable ``x[d, e]`` exists only for pairs that pass rule 1
   (requirements, exclude, region), rule 2 (availability) and the limits one demand
   breaks on its own (see :mod:`eih.scheduler.eligibility`). A demand with fewer
   candidates than it needs gets no variables at all.
2. **Hard rules**, one ``rule_*`` function each, mirror the validator's checks.
3. **Levels.** The nine objective levels of the contract are optimised one after
   another: solve level k, add "level k is at least as good as the value reached",
   hint the solution to level k + 1. A level is never traded for a lower one because
   every later solve is constrained to keep it. The contract floor and the
   preferences are first optimised for a short deterministic time; when that leaves
   a gap, a solution whose value equals the proven bound is sought as a feasibility
   problem (found: proven optimal; see ``_Run._optimise``). On generated weeks their
   bound is their optimum, and the bound as a hard limit finds it in about two
   seconds where the optimising search often ran out of a 20 s limit. The spread
   (level 9) is optimised briefly; when that does not prove it (its LP bound lies a
   few per cent below the optimum from about 30 experts on), a large-neighbourhood
   search re-plans a few experts at a time with every other level held, and a last
   optimisation from the best plan uses what time is left (see ``_spread_search``).
4. **Parts.** Experts and demands that share no candidate pair (different regions,
   mostly) never interact through a hard rule, and every level except the maximum
   relative load (6) and the spread (9) is a sum over parts. So each part is solved
   on its own model for levels 1-5 and the minimum of its maximum relative load; the
   largest of those minima (and of the idle experts' loads) then bounds every part,
   which is exactly the joint optimum of level 6; levels 7-8 follow per part; the
   spread is solved on one model holding all parts with every level fixed. The
   exactness tests compare this with brute force across regions.
5. **Exact numbers.** Minutes for hours, hundredths for loads, sevenths of a minute
   for leave-shrunk week limits (:mod:`eih.scheduler.facts`). Relative load
   L_e / M_e (L in hundredths, M in minutes) is scaled by D, the least common
   multiple of the contracts' minutes (14400 for 16, 20 and 24 h), so
   ``L_e * (D / M_e)`` is an exact integer: the min-max (level 6) and the spread
   (level 9, ``sum |n q_e - sum q|``) are exact. Should D exceed 10^7 (unusual
   contracts), level 6 uses ``S * L_e <= Z * M_e`` with ``S > max(M)^2``, still exact
   since two different ratios differ by at least 1 / (M M'), and the spread uses a
   grid of 1/1000.
6. **Time.** ``time_limit`` (default ``settings.time_limit_s``) bounds the whole
   solve: 15 % is kept for the spread, the rest is shared by the parts in proportion
   to their number of candidate pairs, and inside a part each level may use what is
   left minus a 4 % reserve per later level. Unused time rolls over. A level cut
   short keeps its best solution and is fixed at the value reached (never at a value
   not reached), and the plan is ``feasible``; ``optimal`` means every level proven.
   The greedy baseline's plan is the first hint, so a valid plan exists from the start.
7. **Determinism.** One search worker with a fixed seed: the same instance and seed
   give the same plan whenever every level finishes within the time limit (a level
   cut by the wall clock may differ between runs on a loaded machine).
8. **Pins** are hard. A pin that breaks a hard rule on its own (the expert is not
   eligible, unavailable, over a limit, or more experts are pinned than needed) or
   pins that cannot all hold together are left out, every such pin is named in the
   plan's explanations and the plan's status is ``invalid-input``: the rest of the
   plan is the best possible, but it breaks rule 7 until the project lead decides.
"""

from __future__ import annotations

import math
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from ortools.sat.python import cp_model

from . import facts
from .eligibility import availability_reasons, candidate_reasons, requirement_reasons
from .model import STATUS_FEASIBLE, STATUS_INVALID_INPUT, STATUS_OPTIMAL, Assignment, Instance, Plan, Unassigned

SPREAD_GRID = 100  # spread level: relative loads on a grid of 1/1000 (fallback)
REACHABLE_LIMIT = 200_000  # spread level: longest list of reachable loads given to an expert's variable
RESERVE_SHARE = 0.04  # of a part's time, kept for each later level
EXACT_SCALE_LIMIT = 10**7  # common multiple of contract minutes up to which loads are exact
PROBE_DTIME = 0.3  # deterministic seconds of plain optimisation before aiming at the bound
FEASIBILITY_DTIME = 1.0  # deterministic seconds for the search of a solution at the bound
FEASIBILITY_SHARE = 0.6  # of a level's remaining time, at most, for that search
# Levels whose LP bound is usually their optimum (generated weeks of 30-60 experts):
# the contract floor and the preferences. The spread's bound is not (a few per cent
# below), so aiming at it only cost time there; it is optimised in one go.
AIM_AT_BOUND = frozenset({"below_min", "preferences"})
# The spread (level 9): a plain optimisation for SPREAD_PROBE_DTIME proves it on small
# weeks; otherwise a large-neighbourhood search improves the plan (see _spread_search).
SPREAD_PROBE_DTIME = 0.5
SPREAD_CLOSE_GAP = 0.1  # after the probe, a gap up to this share of the value: optimise on
SPREAD_LNS_SHARE = 0.95  # of the time left after the probe
SPREAD_LNS_DTIME = 0.5  # per second of the time limit: the search's deterministic budget
SPREAD_LNS_STEP_DTIME = 0.3  # for one neighbourhood
SPREAD_LNS_EXPERTS = 12  # experts freed in the first neighbourhood (adapts as it goes)


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
        ok = [e.id for e in pool if not candidate_reasons(instance, e, d)]
        if d.all_experts:
            # Rule 8: every eligible, available expert attends; one blocked member blocks all.
            must = [e.id for e in pool if not requirement_reasons(e, d) and not availability_reasons(e, d)]
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


# --------------------------------------------------------------------------- model


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


# --------------------------------------------------------------------------- hard rules


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


# --------------------------------------------------------------------------- solving


def _parameters(seconds: float, seed: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.max_time_in_seconds = max(0.01, seconds * 0.95)  # presolve of a large model may overrun a little
    p.num_workers = 1  # deterministic: several workers return different plans of equal value
    p.random_seed = seed
    p.log_search_progress = False
    p.linearization_level = 2  # a stronger LP relaxation: proved the load levels faster on generated weeks
    return solver


class _Run:
    """Solves the levels of one model in turn, keeping the incumbent solution."""

    def __init__(self, sm: SchedulingModel, deadline: float, seed: int, progress, start_hint: dict[int, int],
                 reserve: float):
        self.sm = sm
        self.deadline = deadline
        self.seed = seed
        self.progress = progress or (lambda msg: None)
        self.start_hint = start_hint
        self.reserve = reserve * max(0.0, deadline - time.monotonic())  # a share of this run's time
        self.values: dict[int, int] | None = None
        self.proven = True
        self.fixed: list[tuple[str, str, int]] = []  # (level, sense, value) added as constraints

    def hint(self) -> None:
        self.sm.m.clear_hints()
        values = self.values if self.values is not None else self.start_hint
        for v in self.sm.vars:
            if v.index in values:
                self.sm.m.add_hint(v, values[v.index])

    def level(self, name: str, sense: str, lin: Lin, levels_left: int, fix: bool = True) -> tuple[str, int | None]:
        """Optimise one level and (with ``fix``) keep it at the value reached.

        Returns the CP-SAT status name and the level's value in the incumbent."""
        m = self.sm.m
        if not lin.terms:
            return "OPTIMAL", lin.const
        remaining = self.deadline - time.monotonic()
        if remaining <= 0.005:
            self.proven = False
            status_name = "UNKNOWN"
        else:
            m.clear_objective()
            (m.maximize if sense == "max" else m.minimize)(lin.expr())
            self.hint()
            # this level may use what is left minus a small reserve for each later level,
            # which always has a valid hint to fall back on
            budget = max(remaining - self.reserve * (levels_left - 1), remaining / max(1, levels_left))
            status = self._optimise(sense, lin, budget, aim_at_bound=name in AIM_AT_BOUND)
            status_name = cp_model.CpSolver().status_name(status)
            if status != cp_model.OPTIMAL:
                self.proven = False
            if status == cp_model.INFEASIBLE:
                return status_name, None
        if self.values is None or any(v.index not in self.values for v, _ in lin.terms):
            return status_name, None  # no solution that knows this level's variables
        value = lin.value(self.values)
        if fix:
            self.fix(name, sense, lin, value)
        return status_name, value

    def _keep(self, solver: cp_model.CpSolver, status) -> None:
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            self.values = {v.index: solver.value(v) for v in self.sm.vars}

    def _optimise(self, sense: str, lin: Lin, budget: float, aim_at_bound: bool):
        """Probe, then close the gap from the bound's side (see :data:`PROBE_DTIME`).

        1. Optimise for at most ``PROBE_DTIME`` deterministic seconds. Small levels are
           proven here; on larger ones the LP relaxation usually gives the optimum's
           value as the bound while the search is still far from a solution reaching it.
        2. Look for a solution whose value equals the bound, as a feasibility problem
           on a copy of the model, for at most ``FEASIBILITY_DTIME``: the level's value
           as a hard limit propagates far better than as an objective. Found: it is
           optimal (nothing beats a proven bound). Proven impossible: the bound moves
           one step and the model keeps it. Neither: nothing changes.
        3. Otherwise, and after such a step, optimise with the time that is left.
        Levels not in ``AIM_AT_BOUND`` are optimised in one go.
        Every step is deterministic with one worker (the probe's limit is counted in
        deterministic time), so the result depends on the wall clock only when a step
        runs out of time."""
        m = self.sm.m
        end = time.monotonic() + budget
        solver = _parameters(budget, self.seed)
        if not aim_at_bound:
            status = solver.solve(m)
            self._keep(solver, status)
            return status
        solver.parameters.max_deterministic_time = PROBE_DTIME
        status = solver.solve(m)
        self._keep(solver, status)
        if status not in (cp_model.FEASIBLE, cp_model.UNKNOWN):
            return status
        bound = solver.best_objective_bound
        if status == cp_model.FEASIBLE and math.isfinite(bound):
            target = math.ceil(bound - 1e-6) if sense == "min" else math.floor(bound + 1e-6)
            current = lin.value(self.values)
            left = end - time.monotonic()
            if target != current and left > 0.05:
                feas = m.clone()
                feas.clear_objective()
                feas.add(lin.expr() <= target if sense == "min" else lin.expr() >= target)
                solver = _parameters(left * FEASIBILITY_SHARE, self.seed)
                solver.parameters.max_deterministic_time = FEASIBILITY_DTIME
                fstatus = solver.solve(feas)
                if fstatus in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                    self._keep(solver, cp_model.FEASIBLE)
                    return cp_model.OPTIMAL
                if fstatus == cp_model.INFEASIBLE:
                    m.add(lin.expr() >= target + 1 if sense == "min" else lin.expr() <= target - 1)
            elif target == current:
                return cp_model.OPTIMAL
        left = end - time.monotonic()
        if left <= 0.05:
            return status
        self.hint()
        solver = _parameters(left, self.seed)
        status2 = solver.solve(m)
        self._keep(solver, status2)
        return status2 if status2 != cp_model.UNKNOWN else status

    def fix(self, name: str, sense: str, lin: Lin, value: int) -> None:
        if lin.terms:
            self.sm.m.add(lin.expr() >= value if sense == "max" else lin.expr() <= value)
        self.fixed.append((name, sense, value))


@dataclass
class _Part:
    """One independent part of the problem (experts and demands linked by candidate pairs)."""

    inst: Instance
    cands: Candidates
    weight: int
    sm: SchedulingModel | None = None
    run: _Run | None = None
    levels: dict[str, Lin] = field(default_factory=dict)
    pins_dropped: bool = False
    build_seconds: float = 0.0


def split_parts(instance: Instance, cands: Candidates) -> tuple[list[_Part], list]:
    """Connected parts of the candidate graph (regions, usually) and the idle experts.

    Hard rules never link two parts, and every objective level but the maximum relative
    load and the spread is a sum over parts, so the parts are solved one by one; the
    maximum is shared (see :func:`solve`) and the spread is solved on all parts at once."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for did, eids in cands.by_demand.items():
        for eid in eids:
            parent[find("d:" + did)] = find("e:" + eid)
    groups: dict[str, tuple[list, list]] = {}
    for e in instance.experts:
        if "e:" + e.id in parent:
            groups.setdefault(find("e:" + e.id), ([], []))[0].append(e)
    for d in instance.demands:
        if d.id in cands.by_demand:
            groups[find("d:" + d.id)][1].append(d)
    parts = []
    for experts, demands in groups.values():
        ids = {d.id for d in demands}
        sub = Instance(instance.period_start, instance.period_end, instance.settings, experts, demands,
                       {k: v for k, v in instance.previous.items() if k in ids})
        # in the instance's order: a set's order changes with each process's string hashing
        sub_cands = Candidates({d.id: cands.by_demand[d.id] for d in demands}, set(),
                               {k: v for k, v in cands.bad_pins.items() if k in ids})
        parts.append(_Part(sub, sub_cands, sum(len(cands.by_demand[k]) for k in ids)))
    idle = [e for e in instance.experts if "e:" + e.id not in parent]
    return parts, idle


def _mapping(sm: SchedulingModel, values: dict[int, int]) -> dict[str, list[str]]:
    out = {}
    for did, eids in sm.cands.by_demand.items():
        if values[sm.staffed[did].index]:
            out[did] = [e for e in eids if values[sm.x[did, e].index]]
    return out


def _hint_from_mapping(sm: SchedulingModel, mapping: dict[str, list[str]]) -> dict[int, int]:
    out = {v.index: 0 for v in sm.vars}
    for did, eids in mapping.items():
        if did in sm.staffed:
            out[sm.staffed[did].index] = 1
            for eid in eids:
                if (did, eid) in sm.x:
                    out[sm.x[did, eid].index] = 1
    return out


SUM_LEVELS = LEVELS[:5]  # coverage .. overtime: sums over parts
MAX_LEVEL = LEVELS[5]
LATER_LEVELS = LEVELS[6:8]  # below_min, preferences


def _build(part: _Part, scale, soft_pins: bool, model=None) -> SchedulingModel:
    sm = SchedulingModel(part.inst, part.cands, soft_pins=soft_pins, scale=scale, model=model)
    levels = ([("pins", "max", level_pins)] if soft_pins else []) + list(LEVELS[:8])
    part.levels = {name: build(sm) for name, _, build in levels}
    return sm


def _solve_part_upper(part: _Part, scale, deadline, seed, progress, start, reserve) -> None:
    """Pins (if needed) and levels coverage .. maximum relative load of one part; the
    maximum is solved but not fixed yet (it is shared by all parts)."""
    for soft in (False, True):
        t = time.monotonic()
        part.sm = _build(part, scale, soft)
        part.build_seconds = time.monotonic() - t
        part.run = _Run(part.sm, deadline, seed, None, _hint_from_mapping(part.sm, start), reserve)
        names = (["pins"] if soft else []) + [n for n, _, _ in SUM_LEVELS]
        senses = {n: s for n, s, _ in LEVELS} | {"pins": "max"}
        ok = True
        for i, name in enumerate(names):
            status, _ = part.run.level(name, senses[name], part.levels[name], levels_left=9 + soft - i)
            if status == "INFEASIBLE":
                ok = False
                break
        if ok:
            part.pins_dropped = soft or bool(part.cands.bad_pins)
            break
    name, sense, _ = MAX_LEVEL
    part.run.level(name, sense, part.levels[name], levels_left=4, fix=False)


def _first_hint(instance: Instance, cands: Candidates) -> dict[str, list[str]]:
    """The better (lexicographically) of two greedy plans: valid, pins respected."""
    from .greedy import greedy_mapping
    from .metrics import evaluate_exact, lex_key

    plans = [greedy_mapping(instance, cands, keep_people=True), greedy_mapping(instance, cands)]
    return min(plans, key=lambda m: lex_key(evaluate_exact(instance, m)[0]))


def solve(instance: Instance, time_limit: float | None = None, seed: int | None = None, progress=None) -> Plan:
    """Solve ``instance`` level by level; see the module docstring for the guarantees.

    Independent parts (e.g. regions) are solved one after another, each with a share of
    the time in proportion to its size. ``progress``, when given, is called with a short
    message per objective level."""
    from .explain import explain
    from .metrics import evaluate

    t0 = time.monotonic()
    limit = instance.settings.time_limit_s if time_limit is None else time_limit
    seed = instance.settings.seed if seed is None else seed
    cands = prune_candidates(instance)
    start = _first_hint(instance, cands)
    scale = relative_scale(instance.experts)
    parts, idle = split_parts(instance, cands)
    total_weight = sum(p.weight for p in parts) or 1
    spread_share = 0.15 * limit
    finish = min(0.1 * limit, 0.2 + 0.0002 * len(instance.demands))  # explanations after the last solve
    reserve = RESERVE_SHARE

    def part_deadline(i: int, phase_share: float) -> float:
        remaining = t0 + limit - finish - spread_share - time.monotonic()
        weight_left = sum(p.weight for p in parts[i:]) or 1
        return time.monotonic() + max(0.0, remaining) * phase_share * parts[i].weight / weight_left

    # levels 1-5 and the minimum of the maximum relative load, part by part
    for i, part in enumerate(parts):
        _solve_part_upper(part, scale, part_deadline(i, 0.8), seed, None, start, reserve)
    build_seconds = sum(p.build_seconds for p in parts)
    _report(progress, instance, parts, start, [n for n, _, _ in SUM_LEVELS])
    # level 6: the maximum over all parts (and idle experts) binds every part
    name, sense, _ = MAX_LEVEL
    worst = max([relative_bound(scale, e.id, facts.centi(e.history.load_recent)) for e in idle] + [0])
    for p in parts:
        lin = p.levels[name]
        if not lin.terms:
            worst = max(worst, lin.const)
        elif p.run.values is not None:
            worst = max(worst, lin.value(p.run.values))
    for part in parts:
        part.run.fix(name, sense, part.levels[name], worst)
    _report(progress, instance, parts, start, [name])
    # levels 7-8, part by part
    for i, part in enumerate(parts):
        part.run.deadline = part_deadline(i, 1.0)
        for j, (lname, lsense, _) in enumerate(LATER_LEVELS):
            part.run.level(lname, lsense, part.levels[lname], levels_left=3 - j)
    _report(progress, instance, parts, start, [n for n, _, _ in LATER_LEVELS])
    # level 9: the spread, on all parts at once
    mapping, spread_proven = _solve_spread(instance, parts, idle, scale, t0 + limit - finish, seed, start,
                                           build_seconds, limit)
    if progress:
        from .metrics import evaluate

        progress(f"spread: {evaluate(instance, mapping)[0]['spread']} ({'optimal' if spread_proven else 'best found'})")

    proven = spread_proven and all(p.run.proven for p in parts)
    pins_dropped = any(p.pins_dropped for p in parts) or bool(cands.bad_pins)
    status = STATUS_INVALID_INPUT if pins_dropped else (STATUS_OPTIMAL if proven else STATUS_FEASIBLE)
    objective, summaries = evaluate(instance, mapping)
    plan = Plan(status, [Assignment(d.id, mapping[d.id]) for d in instance.demands if d.id in mapping],
                [Unassigned(d.id) for d in instance.demands if d.id not in mapping], summaries, objective)
    plan = explain(instance, plan)
    plan.solve_seconds = time.monotonic() - t0
    return plan


def _report(say, instance, parts, start, names) -> None:
    """Progress per level, in the plan's units, for the solution reached so far."""
    if say is None:
        return
    from .metrics import evaluate

    mapping = {}
    for p in parts:
        mapping |= _mapping(p.sm, p.run.values) if p.run.values is not None else \
            {k: v for k, v in start.items() if k in p.cands.by_demand}
    objective, _ = evaluate(instance, mapping)
    proven = all(p.run.proven for p in parts)
    for name in names:
        say(f"{name}: {objective[name]} ({'optimal' if proven else 'best found so far'})")


def _solve_spread(instance, parts, idle, scale, deadline, seed, start, build_seconds,
                  limit_seconds: float) -> tuple[dict, bool]:
    """The last level on one model holding every part with all its levels fixed; falls
    back to the parts' own solutions when it finds nothing better in time."""
    if not parts:
        return {}, True  # nothing can be staffed: the spread is fixed by the input
    mapping: dict[str, list[str]] = {}
    for p in parts:
        mapping |= _mapping(p.sm, p.run.values) if p.run.values is not None else \
            {k: v for k, v in start.items() if k in p.cands.by_demand}
    if len(parts) > 1 and deadline - time.monotonic() < 1.0 + 3 * build_seconds:
        return mapping, False  # no time left to rebuild all parts as one model
    if len(parts) == 1:
        host_models = [parts[0].sm]
        values = parts[0].run.values
        host = parts[0].sm
        run = parts[0].run
    else:
        shared = cp_model.CpModel()
        host_models, values = [], {}
        for p in parts:
            soft = p.sm.soft_pins
            levels_before = dict(p.levels)
            sm = _build(p, scale, soft, model=shared)
            for (name, sense, value) in p.run.fixed:
                lin = p.levels[name]
                if lin.terms:
                    shared.add(lin.expr() >= value if sense == "max" else lin.expr() <= value)
            old = p.sm.vars
            if p.run.values is not None:
                values |= {new.index: p.run.values[o.index] for o, new in zip(old, sm.vars)}
            p.levels = levels_before
            host_models.append(sm)
        host = host_models[0]
        host.vars = [v for sm in host_models for v in sm.vars]
        run = _Run(host, deadline, seed, None, values, 0.0)  # the parts' solution is the hint
    members = [(sm, e) for sm in host_models for e in sm.inst.experts]
    fixed_max = [v for p in parts for (name, _, v) in p.run.fixed if name == MAX_LEVEL[0]]
    cap = min(fixed_max) if fixed_max and scale.d else None  # level 6, in the spread's units
    lin = spread_over(host, members, idle, cap)
    run.deadline = deadline
    if not lin.terms:
        return mapping, True
    experts_x: dict[str, list] = defaultdict(list)  # expert -> its assignment variables
    for sm in host_models:
        for (_, eid), v in sm.x.items():
            experts_x[eid].append(v)
    relative = {e.id: (owner, e) for owner, e in members}
    status = _spread_search(run, lin, experts_x, relative, deadline, seed, limit_seconds)
    if run.values is None or status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return mapping, False
    out = {}
    for sm in host_models:
        out |= _mapping(sm, run.values)
    return {d.id: out[d.id] for d in instance.demands if d.id in out}, status == cp_model.OPTIMAL


def _spread_search(run: _Run, lin: Lin, experts_x, relative, deadline, seed, limit_seconds) -> int:
    """Level 9 in three steps; returns a CP-SAT status (OPTIMAL only when proven).

    1. Optimise for ``SPREAD_PROBE_DTIME`` deterministic seconds: proves small weeks.
       A gap of at most ``SPREAD_CLOSE_GAP`` left: go on to step 3 (weeks of about 30
       experts are proven that way); a wider one: step 2 first.
    2. Large-neighbourhood search: keep every assignment except those of a few experts
       (the two furthest above and below the mean, plus others drawn with the seed), let
       CP-SAT re-plan those with all hard rules and levels 1-8 in force, keep a better
       plan, and repeat; the neighbourhood grows after a proven step and shrinks after
       one cut short. On 60 experts the spread's LP bound stays a few per cent below
       the optimum, so the plain search cannot prove it and, from the level-8 plan,
       barely improves it; this search found better plans in the same time (on three
       generated weeks of 60 experts: 12.3, 11.7 and 11.7 against 20.2, 11.5 and 11.4).
       It stops after ``SPREAD_LNS_SHARE`` of the time left or a deterministic budget
       (``SPREAD_LNS_DTIME`` per second of the limit), whichever comes first; on these
       2-core machines the time comes first, so such plans depend on the wall clock.
    3. Optimise the whole level again with what is left, from the best plan."""
    m = run.sm.m
    m.clear_objective()
    m.minimize(lin.expr())
    # complete the plan so far (or the parts' plans) with the spread's own variables
    derived = run.sm.derived
    base = run.values if run.values is not None else run.start_hint
    own = {var.index for var, _ in derived}
    if all(v.index in base for v in run.sm.vars if v.index not in own):
        run.values = dict(base)
        for var, value in derived:
            run.values[var.index] = value(run.values)
    run.hint()
    solver = _parameters(max(0.01, deadline - time.monotonic()), seed)
    solver.parameters.max_deterministic_time = SPREAD_PROBE_DTIME
    status = solver.solve(m)
    run._keep(solver, status)
    if status == cp_model.UNKNOWN and run.values is not None:
        status = cp_model.FEASIBLE  # nothing better yet: go on from the plan so far
    if status != cp_model.FEASIBLE:
        return status  # proven, or no plan at all
    best, bound = lin.value(run.values), solver.best_objective_bound
    close = math.isfinite(bound) and best - bound <= SPREAD_CLOSE_GAP * best
    lns_end = time.monotonic() + SPREAD_LNS_SHARE * max(0.0, deadline - time.monotonic())
    rng = random.Random(seed)
    experts = sorted(experts_x)
    size, spent, budget = SPREAD_LNS_EXPERTS, 0.0, SPREAD_LNS_DTIME * limit_seconds
    loads = {eid: (period_load(owner, eid), facts.relative_denominator_minutes(e))
             for eid, (owner, e) in relative.items()}
    while not close and spent < budget and time.monotonic() < lns_end - 0.05 and len(experts) > 1:
        ranked = sorted(experts, key=lambda eid: (loads[eid][0].value(run.values) / loads[eid][1], eid))
        chosen = set(ranked[:2] + ranked[-2:])
        while len(chosen) < min(size, len(experts)):
            chosen.add(rng.choice(experts))
        m.clear_assumptions()
        m.add_assumptions([v if run.values[v.index] else v.Not()
                           for eid in experts if eid not in chosen for v in experts_x[eid]])
        run.hint()
        step = _parameters(max(0.01, lns_end - time.monotonic()), seed)
        step.parameters.max_deterministic_time = min(SPREAD_LNS_STEP_DTIME, budget - spent)
        st = step.solve(m)
        spent += step.deterministic_time
        if st == cp_model.OPTIMAL:
            size = min(len(experts), size + 1)
        else:
            size = max(4, size - 1)
        if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            values = {v.index: step.value(v) for v in run.sm.vars}
            if lin.value(values) < best:
                best, run.values = lin.value(values), values
    m.clear_assumptions()
    left = deadline - time.monotonic()
    if left <= 0.05:
        return cp_model.FEASIBLE
    run.hint()
    final = _parameters(left, seed)
    st = final.solve(m)
    if st == cp_model.OPTIMAL or (st == cp_model.FEASIBLE and final.objective_value <= best):
        run._keep(final, st)  # never a worse plan than the search's best
        return st
    return cp_model.FEASIBLE
