"""The search: OR-Tools CP-SAT solves the model of :mod:`eih.scheduler.cpmodel` level
by level, part by part, within one time limit.

How it works
------------
1. **Prune.** A variable ``x[d, e]`` exists only for pairs that pass rule 1
   (requirements, exclude, region), rule 2 (availability) and the limits one demand
   breaks on its own (:func:`eih.scheduler.eligibility.prune_candidates`). A demand
   with fewer candidates than it needs gets no variables at all.
2. **Model.** One ``rule_*`` function per hard rule, mirroring the validator's
   checks, and one ``level_*`` function per objective level, in exact integer units
   (:mod:`eih.scheduler.cpmodel`).
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
5. **Time.** ``time_limit`` (default ``settings.time_limit_s``) bounds the whole
   solve. Every share of it is a named constant below: :data:`SPREAD_SHARE` is kept
   for the spread and :data:`FINISH_SHARE` (at most) for the explanations; the parts
   share the rest in proportion to their number of candidate pairs
   (:data:`UPPER_LEVELS_SHARE` of it for levels 1-6, then all that is left for 7-8),
   and inside a part each level may use what is left minus :data:`RESERVE_SHARE` per
   later level. Unused time rolls over. A level cut short keeps its best solution
   and is fixed at the value reached (never at a value not reached), and the plan is
   ``feasible``; ``optimal`` means every level proven. The greedy baseline's plan is
   the first hint, so a valid plan exists from the start.
6. **Determinism.** One search worker with a fixed seed: the same instance and seed
   give the same plan whenever every level finishes within the time limit (a level
   cut by the wall clock may differ between runs on a loaded machine).
7. **Pins** are hard. A pin that breaks a hard rule on its own (the expert is not
   eligible, unavailable, over a limit, or more experts are pinned than needed) or
   pins that cannot all hold together are left out, every such pin is named in the
   plan's explanations and the plan's status is ``invalid-input``: the rest of the
   plan is the best possible, but it breaks rule 7 until the project lead decides.
8. **Progress.** ``solve(progress=...)`` is called with one :class:`~eih.scheduler.reasons.Reason`
   per objective level (keys ``level_optimal``, ``level_best_so_far``, ``level_best``;
   fields ``level`` and ``value``): English as a string, key and fields for a
   translation.
"""

from __future__ import annotations

import math
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from . import facts
from .cpmodel import LEVELS, Lin, SchedulingModel, level_pins, period_load, relative_bound, relative_scale, spread_over
from .eligibility import Candidates, prune_candidates
from .explain import explain
from .greedy import greedy_mapping
from .metrics import evaluate, evaluate_exact, lex_key
from .model import STATUS_FEASIBLE, STATUS_INVALID_INPUT, STATUS_OPTIMAL, Assignment, Instance, Plan, Unassigned
from .reasons import say

# -- how the time limit is shared (fractions of seconds of wall-clock time)
SPREAD_SHARE = 0.15  # of the time limit, kept for the spread (level 9) on all parts at once
FINISH_SHARE = 0.1  # of the time limit, at most, kept for the explanations after the last solve
FINISH_BASE_S = 0.2  # ... which take about this long, plus
FINISH_PER_DEMAND_S = 0.0002  # ... this much per demand
UPPER_LEVELS_SHARE = 0.8  # of a part's share, for levels 1-6; levels 7-8 get what is left of it
RESERVE_SHARE = 0.04  # of a part's time, kept for each later level
WALL_SHARE = 0.95  # of a solve's seconds given to CP-SAT: the presolve of a large model may overrun a little
MERGE_MIN_S = 1.0  # the spread rebuilds the parts as one model only with this much time left, plus
MERGE_BUILD_FACTOR = 3  # ... this many times the time the parts' models took to build
MIN_SOLVE_S = 0.05  # a solve with less time left than this is not started (it could not finish)
MIN_LEVEL_S = 0.005  # a level with less time left than this is not solved: it keeps its hint
SOLVE_FLOOR_S = 0.01  # CP-SAT's time limit never below this (it must be positive)

# -- levels 7 and 8: aim at the bound (deterministic seconds: the same on any machine)
PROBE_DTIME = 0.3  # deterministic seconds of plain optimisation before aiming at the bound
FEASIBILITY_DTIME = 1.0  # deterministic seconds for the search of a solution at the bound
FEASIBILITY_SHARE = 0.6  # of a level's remaining time, at most, for that search
# Levels whose LP bound is usually their optimum (generated weeks of 30-60 experts):
# the contract floor and the preferences. The spread's bound is not (a few per cent
# below), so aiming at it only cost time there; it is optimised in one go.
AIM_AT_BOUND = frozenset({"below_min", "preferences"})

# -- level 9, the spread: a plain optimisation for SPREAD_PROBE_DTIME proves it on small
# weeks; otherwise a large-neighbourhood search improves the plan (see _spread_search).
SPREAD_PROBE_DTIME = 0.5
SPREAD_CLOSE_GAP = 0.1  # after the probe, a gap up to this share of the value: optimise on
SPREAD_LNS_SHARE = 0.95  # of the time left after the probe
SPREAD_LNS_DTIME = 0.5  # per second of the time limit: the search's deterministic budget
SPREAD_LNS_STEP_DTIME = 0.3  # for one neighbourhood
SPREAD_LNS_EXPERTS = 12  # experts freed in the first neighbourhood (adapts as it goes)
SPREAD_LNS_MIN_EXPERTS = 4  # the neighbourhood never shrinks below this many experts


def _parameters(seconds: float, seed: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.max_time_in_seconds = max(SOLVE_FLOOR_S, seconds * WALL_SHARE)
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
        indices = [v.index for v in self.sm.vars if v.index in values]
        # what add_hint does one variable at a time, for all at once (every variable
        # here is a positive index; a thousand add_hint calls cost more than a small solve)
        hint = self.sm.m.model_proto.solution_hint
        hint.vars.extend(indices)
        hint.values.extend(int(values[i]) for i in indices)

    def level(self, name: str, sense: str, lin: Lin, levels_left: int, fix: bool = True) -> tuple[str, int | None]:
        """Optimise one level and (with ``fix``) keep it at the value reached.

        Returns the CP-SAT status name and the level's value in the incumbent."""
        m = self.sm.m
        if not lin.terms:
            return "OPTIMAL", lin.const
        remaining = self.deadline - time.monotonic()
        if remaining <= MIN_LEVEL_S:
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
            if target != current and left > MIN_SOLVE_S:
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
        if left <= MIN_SOLVE_S:
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


def _levels_left(name: str) -> int:
    """Levels still to solve from ``name`` on, the spread included (the pins' level comes
    before all): each later one keeps a reserve of the time."""
    if name == "pins":
        return len(LEVELS) + 1
    return len(LEVELS) - [n for n, _, _ in LEVELS].index(name)


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
            status, _ = part.run.level(name, senses[name], part.levels[name], levels_left=_levels_left(name))
            if status == "INFEASIBLE":
                ok = False
                break
        if ok:
            part.pins_dropped = soft or bool(part.cands.bad_pins)
            break
    name, sense, _ = MAX_LEVEL
    part.run.level(name, sense, part.levels[name], levels_left=_levels_left(name), fix=False)


def _first_hint(instance: Instance, cands: Candidates) -> dict[str, list[str]]:
    """The better (lexicographically) of two greedy plans: valid, pins respected."""
    plans = [greedy_mapping(instance, cands, keep_people=True), greedy_mapping(instance, cands)]
    return min(plans, key=lambda m: lex_key(evaluate_exact(instance, m)[0]))


def solve(instance: Instance, time_limit: float | None = None, seed: int | None = None, progress=None) -> Plan:
    """Solve ``instance`` level by level; see the module docstring for the guarantees.

    Independent parts (e.g. regions) are solved one after another, each with a share of
    the time in proportion to its size. ``progress``, when given, is called with one
    :class:`~eih.scheduler.reasons.Reason` per objective level (English as a string,
    key and fields for a translation)."""
    t0 = time.monotonic()
    limit = instance.settings.time_limit_s if time_limit is None else time_limit
    seed = instance.settings.seed if seed is None else seed
    cands = prune_candidates(instance)
    start = _first_hint(instance, cands)
    scale = relative_scale(instance.experts)
    parts, idle = split_parts(instance, cands)
    spread_share = SPREAD_SHARE * limit
    finish = min(FINISH_SHARE * limit, FINISH_BASE_S + FINISH_PER_DEMAND_S * len(instance.demands))
    reserve = RESERVE_SHARE

    def part_deadline(i: int, phase_share: float) -> float:
        remaining = t0 + limit - finish - spread_share - time.monotonic()
        weight_left = sum(p.weight for p in parts[i:]) or 1
        return time.monotonic() + max(0.0, remaining) * phase_share * parts[i].weight / weight_left

    # levels 1-5 and the minimum of the maximum relative load, part by part
    for i, part in enumerate(parts):
        _solve_part_upper(part, scale, part_deadline(i, UPPER_LEVELS_SHARE), seed, None, start, reserve)
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
        part.run.deadline = part_deadline(i, 1.0)  # all that is left of the part's share
        for j, (lname, lsense, _) in enumerate(LATER_LEVELS):
            part.run.level(lname, lsense, part.levels[lname], levels_left=_levels_left(lname))
    _report(progress, instance, parts, start, [n for n, _, _ in LATER_LEVELS])
    # level 9: the spread, on all parts at once
    mapping, spread_proven = _solve_spread(instance, parts, idle, scale, t0 + limit - finish, seed, start,
                                           build_seconds, limit)
    if progress:
        progress(say("level_optimal" if spread_proven else "level_best", level="spread",
                     value=evaluate(instance, mapping)[0]["spread"]))

    proven = spread_proven and all(p.run.proven for p in parts)
    pins_dropped = any(p.pins_dropped for p in parts) or bool(cands.bad_pins)
    status = STATUS_INVALID_INPUT if pins_dropped else (STATUS_OPTIMAL if proven else STATUS_FEASIBLE)
    objective, summaries = evaluate(instance, mapping)
    plan = Plan(status, [Assignment(d.id, mapping[d.id]) for d in instance.demands if d.id in mapping],
                [Unassigned(d.id) for d in instance.demands if d.id not in mapping], summaries, objective)
    plan = explain(instance, plan)
    plan.solve_seconds = time.monotonic() - t0
    return plan


def _report(progress, instance, parts, start, names) -> None:
    """Progress per level, in the plan's units, for the solution reached so far."""
    if progress is None:
        return
    mapping = {}
    for p in parts:
        mapping |= _mapping(p.sm, p.run.values) if p.run.values is not None else \
            {k: v for k, v in start.items() if k in p.cands.by_demand}
    objective, _ = evaluate(instance, mapping)
    proven = all(p.run.proven for p in parts)
    for name in names:
        progress(say("level_optimal" if proven else "level_best_so_far", level=name, value=objective[name]))


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
    if len(parts) > 1 and deadline - time.monotonic() < MERGE_MIN_S + MERGE_BUILD_FACTOR * build_seconds:
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
    solver = _parameters(max(SOLVE_FLOOR_S, deadline - time.monotonic()), seed)
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
    while not close and spent < budget and time.monotonic() < lns_end - MIN_SOLVE_S and len(experts) > 1:
        ranked = sorted(experts, key=lambda eid: (loads[eid][0].value(run.values) / loads[eid][1], eid))
        chosen = set(ranked[:2] + ranked[-2:])
        while len(chosen) < min(size, len(experts)):
            chosen.add(rng.choice(experts))
        m.clear_assumptions()
        m.add_assumptions([v if run.values[v.index] else v.Not()
                           for eid in experts if eid not in chosen for v in experts_x[eid]])
        run.hint()
        step = _parameters(max(SOLVE_FLOOR_S, lns_end - time.monotonic()), seed)
        step.parameters.max_deterministic_time = min(SPREAD_LNS_STEP_DTIME, budget - spent)
        st = step.solve(m)
        spent += step.deterministic_time
        if st == cp_model.OPTIMAL:
            size = min(len(experts), size + 1)
        else:
            size = max(SPREAD_LNS_MIN_EXPERTS, size - 1)
        if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            values = {v.index: step.value(v) for v in run.sm.vars}
            if lin.value(values) < best:
                best, run.values = lin.value(values), values
    m.clear_assumptions()
    left = deadline - time.monotonic()
    if left <= MIN_SOLVE_S:
        return cp_model.FEASIBLE
    run.hint()
    final = _parameters(left, seed)
    st = final.solve(m)
    if st == cp_model.OPTIMAL or (st == cp_model.FEASIBLE and final.objective_value <= best):
        run._keep(final, st)  # never a worse plan than the search's best
        return st
    return cp_model.FEASIBLE
