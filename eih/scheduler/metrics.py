"""The nine objective levels and the per-expert summary, computed exactly from a
demand -> experts mapping (independent of how the plan was found).

Used to report every plan (solver and greedy alike), by the benchmark, and by the
tests that brute-force small optima. Values are :class:`fractions.Fraction` in
:func:`evaluate_exact`; :func:`evaluate` rounds for the plan file.
"""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

from . import facts
from .model import OBJECTIVE_LEVELS, ExpertSummary, Instance


def evaluate_exact(instance: Instance, mapping: dict[str, list[str]]) -> tuple[dict, dict]:
    """(objective dict of Fractions, expert id -> dict of Fractions) for ``mapping``."""
    demands = {d.id: d for d in instance.demands}
    experts = {e.id: e for e in instance.experts}
    weeks = facts.period_weeks(instance)
    n_weeks = len(weeks)
    mins = {e.id: defaultdict(int) for e in instance.experts}  # expert -> week -> minutes
    load = {e.id: Fraction(0) for e in instance.experts}
    attends_iv = set()
    coverage = continuity = prefs = 0
    for did, eids in mapping.items():
        d = demands[did]
        if not eids:
            continue
        coverage += d.priority
        for eid in eids:
            if eid in d.continuity:
                continuity += 1
            prefs += facts.preference_matches(d, experts[eid])
            for w in facts.demand_weeks(instance, d):
                mins[eid][w] += facts.demand_minutes(d)
            load[eid] += Fraction(facts.centi(d.load) * (1 if d.slot else n_weeks), 100)
            if facts.intervision_counts(instance, d):
                attends_iv.add(eid)
    changes = sum(1 for did, eids in instance.previous.items() for eid in eids
                  if eid not in mapping.get(did, []))
    overdue = sum(1 for e in instance.experts
                  if not facts.intervision_ok_by_history(instance, e) and e.id not in attends_iv)
    per: dict[str, dict] = {}
    overtime = below = Fraction(0)
    for e in instance.experts:
        ot = bm = Fraction(0)
        for w in weeks:
            lo, hi, _ = facts.week_limits7(e, w)
            used = 7 * mins[e.id][w]
            ot += facts.frac_hours7(max(0, used - hi))
            bm += facts.frac_hours7(max(0, lo - used))
        total_load = Fraction(facts.centi(e.history.load_recent), 100) + load[e.id]
        rel = total_load / Fraction(facts.relative_denominator_minutes(e), 60)
        per[e.id] = {"hours": Fraction(sum(mins[e.id].values()), 60), "load": load[e.id],
                     "relative_load": rel, "overtime": ot, "below_min": bm}
        overtime += ot
        below += bm
    rels = [p["relative_load"] for p in per.values()]
    mean = sum(rels, Fraction(0)) / len(rels) if rels else Fraction(0)
    objective = {
        "coverage": Fraction(coverage), "continuity": Fraction(continuity), "changes": Fraction(changes),
        "intervision_overdue": Fraction(overdue), "overtime": overtime,
        "max_relative_load": max(rels, default=Fraction(0)), "below_min": below,
        "preferences": Fraction(prefs), "spread": sum((abs(r - mean) for r in rels), Fraction(0)),
    }
    return objective, per


def lex_key(objective: dict) -> tuple:
    """A key that sorts better plans first (maximised levels negated)."""
    return tuple(-objective[k] if sense == "max" else objective[k] for k, sense in OBJECTIVE_LEVELS)


def _round(v: Fraction) -> float | int:
    f = round(float(v), 4)
    return int(f) if f.is_integer() else f


def evaluate(instance: Instance, mapping: dict[str, list[str]]) -> tuple[dict, list[ExpertSummary]]:
    """Rounded objective dict and expert summaries, as written in a plan."""
    obj, per = evaluate_exact(instance, mapping)
    summaries = [ExpertSummary(eid, *(_round(p[k]) for k in ("hours", "load", "relative_load", "overtime",
                                                             "below_min"))) for eid, p in per.items()]
    return {k: _round(v) for k, v in obj.items()}, summaries
