"""Explanations in plain words: why a demand stays open, why this expert.

Everything is recomputed from the instance and the plan's assignments, so the
same text comes out for a solver plan, a greedy plan and a hand-edited plan.
Each sentence is a :class:`~eih.scheduler.reasons.Reason`: the English text with
a stable key and its fields (expert and demand ids, times, numbers, nested
reasons), so the web app can say it in the user's language.
"""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from datetime import timedelta

from . import facts
from .eligibility import (
    availability_reasons,
    candidate_reasons,
    eligible_and_available,
    is_candidate,
    limit_reasons,
    requirement_reasons,
)
from .metrics import evaluate_exact
from .model import Demand, Instance, Plan, Unassigned
from .reasons import Reason, Wording, say, when

MAX_NAMES = 4


def explain(instance: Instance, plan: Plan) -> Plan:
    """A copy of ``plan`` with ``why`` filled for every assignment and ``reasons`` for
    every unassigned demand (demands missing from both lists are added as unassigned)."""
    plan = copy.deepcopy(plan)
    mapping = {a.demand: a.experts for a in plan.assignments if a.experts}
    _, per = evaluate_exact(instance, mapping)
    ctx = _Context(instance, mapping, per)
    for a in plan.assignments:
        a.why = ctx.why_assignment(ctx.demands[a.demand], a.experts) if a.experts else []
    listed = {a.demand for a in plan.assignments if a.experts}
    unassigned = {u.demand: u for u in plan.unassigned}
    out = []
    for d in instance.demands:
        if d.id in listed:
            continue
        u = unassigned.get(d.id) or Unassigned(d.id)
        u.reasons = ctx.why_open(d)
        out.append(u)
    plan.unassigned = out
    plan.assignments = [a for a in plan.assignments if a.experts]
    return plan


class _Context:
    def __init__(self, instance: Instance, mapping: dict[str, list[str]], per: dict):
        self.inst = instance
        self.mapping = mapping
        self.per = per
        self.experts = {e.id: e for e in instance.experts}
        self.demands = {d.id: d for d in instance.demands}
        self.say = Wording(demands=self.demands).say  # names other demands by their label
        self.by_expert = defaultdict(list)
        for did, eids in mapping.items():
            for eid in eids:
                self.by_expert[eid].append(self.demands[did])

    # ------------------------------------------------------------------ assignments

    def why_assignment(self, d: Demand, eids: list[str]) -> list[Reason]:
        say = self.say
        out = []
        if d.all_experts:
            out.append(say("why_all"))
        req = requirements_of(d)
        if req:
            out.append(say("why_requires", requires=req))
        prev = set(self.inst.previous.get(d.id, []))
        for eid in eids:
            e = self.experts[eid]
            if d.all_experts and len(eids) > MAX_NAMES:
                break

            def tag(reason: Reason, eid=eid) -> Reason:
                return say("for_expert", expert=eid, reason=reason) if len(eids) > 1 else reason

            if eid in d.pinned:
                out.append(tag(say("why_pinned")))
            if eid in d.continuity:
                out.append(tag(say("why_continuity")))
            elif eid in prev:
                out.append(tag(say("why_previous")))
            for key, want, have in (("why_culture", d.prefer.cultures, e.cultures),
                                    ("why_language", d.prefer.languages, e.languages),
                                    ("why_specialty", d.prefer.specialties, e.specialties)):
                for value in want:
                    if value in have:
                        out.append(tag(say(key, value=value)))
            p = self.per[eid]
            out.append(tag(say("why_load", rel=round(float(p["relative_load"]), 2), hours=round(float(p["hours"]), 2))))
        for eid in d.pinned:
            if eid not in eids:
                out.append(self._pin_reason(d, eid))
        return out

    # ------------------------------------------------------------------ open demands

    def why_open(self, d: Demand) -> list[Reason]:
        say = self.say
        out = [self._pin_reason(d, eid) for eid in d.pinned]
        pool = [e for e in self.inst.experts if d.region is None or e.region == d.region]
        ok = [e for e in pool if is_candidate(self.inst, e, d)]
        if d.all_experts:
            must = [e for e in pool if eligible_and_available(e, d)]
            if not must:
                return out + [say("all_experts_none")]
            blocked = [e for e in must if limit_reasons(self.inst, e, d)]
            if blocked:
                return out + [say("expert_reason", expert=e.id, reason=limit_reasons(self.inst, e, d)[0])
                              for e in blocked[:MAX_NAMES]]
            busy = [say("expert_reason", expert=e.id, reason=b) for e in must if (b := self._busy(e, d))]
            return out + ([say("busy", details=busy[:MAX_NAMES])] if busy else [say("time_limit")])
        if not ok:
            return out + [say("no_candidates", summary=self._nobody(d, pool))]
        if len(ok) < d.experts_needed:
            return out + [say("too_few", needed=d.experts_needed, count=len(ok), experts=[e.id for e in ok[:MAX_NAMES]])]
        busy = [say("expert_reason", expert=e.id, reason=b) for e in ok if (b := self._busy(e, d))]
        free = [e.id for e in ok if not self._busy(e, d)]
        if len(free) >= d.experts_needed:
            return out + [say("could_staff", experts=free[:MAX_NAMES])]
        return out + [say("busy_more" if len(busy) > MAX_NAMES else "busy", details=busy[:MAX_NAMES])]

    def _pin_reason(self, d: Demand, eid: str) -> Reason:
        say = self.say
        if not d.all_experts and len(d.pinned) > d.experts_needed:
            return say("pin_too_many", count=len(d.pinned), needed=d.experts_needed)
        reasons = candidate_reasons(self.inst, self.experts[eid], d)
        if reasons:
            return say("pin_conflict", expert=eid, problem=reasons[0])
        if eid in self.mapping.get(d.id, []):
            return say("why_pinned")
        return say("pin_joint", expert=eid)

    def _nobody(self, d: Demand, pool) -> Reason:
        """E.g. "requires gender=male, perspective=perpetrator; 1 expert(s) match, 1 unavailable Tue 19:00"."""
        say = self.say
        req = requirements_of(d)
        if not pool:
            return say("nobody_in_region", region=d.region)
        matching = [e for e in pool if not requirement_reasons(e, d)]
        if not matching:
            counts, first = Counter(), {}
            for r in (_short(r) for e in pool for r in requirement_reasons(e, d)):
                counts[str(r)] += 1
                first.setdefault(str(r), r)
            common = [say("count_of", count=n, reason=first[text]) for text, n in counts.most_common(3)]
            return say("nobody_meets", requires=req, counts=common)
        unavailable = [e for e in matching if availability_reasons(e, d)]
        limited = [e for e in matching if not availability_reasons(e, d)]
        details = []
        if unavailable:
            details.append(say("count_unavailable", count=len(unavailable),
                               when={"start": d.slot.start, "end": d.slot.end}))
        details += [say("expert_reason", expert=e.id, reason=limit_reasons(self.inst, e, d)[0])
                    for e in limited[:MAX_NAMES]]
        return say("some_match", requires=req, count=len(matching), details=details)

    def _busy(self, e, d: Demand) -> Reason | None:
        """Why expert ``e`` (a candidate) cannot take ``d`` on top of the plan, or None."""
        say = self.say
        s = self.inst.settings
        mine = [o for o in self.by_expert[e.id] if o.id != d.id]
        for w in facts.demand_weeks(self.inst, d):
            used = sum(7 * facts.demand_minutes(o) for o in mine if w in facts.demand_weeks(self.inst, o))
            hard = facts.week_limits7(e, w)[2]
            if used + 7 * facts.demand_minutes(d) > hard:
                return say("at_contract", limit=round(hard / 420, 2), week=f"{w[0]}-W{w[1]:02d}")
            cap = facts.load_cap_centi(self.inst, e)
            load = sum(facts.centi(o.load) for o in mine if w in facts.demand_weeks(self.inst, o))
            if cap is not None and load + facts.centi(d.load) > cap:
                return say("at_load", cap=cap / 100, week=f"{w[0]}-W{w[1]:02d}")
        if d.slot is None:
            return None
        buf = timedelta(minutes=s.buffer_minutes)
        rec = timedelta(hours=s.recovery_hours)
        heavy = facts.is_heavy(self.inst, d)
        for o in sorted((o for o in mine if o.slot), key=lambda o: o.slot.start):
            if facts.overlaps(d.slot.start, d.slot.end, o.slot.start, o.slot.end, buf):
                return say("double_booked", other=o.id)
            if heavy and facts.is_heavy(self.inst, o) and facts.overlaps(d.slot.start, d.slot.end, o.slot.start,
                                                                         o.slot.end, rec):
                return say("in_recovery", other=o.id)
        if heavy:
            same_day = [o for o in mine if facts.is_heavy(self.inst, o) and o.slot.start.date() == d.slot.start.date()]
            if len(same_day) >= s.max_heavy_per_day:
                return say("heavy_day", count=len(same_day))
        return None


# The first clause of a requirement reason, for counting ("3 is male"): the region and
# gender reasons also name what the demand wants, which is the same for everyone.
_SHORT = {"region": "in_region", "region_none": "in_no_region", "gender": "is_gender",
          "gender_unknown": "is_unknown_gender"}


def _short(r: Reason) -> Reason:
    """A requirement reason's first clause, for counting how many experts it rules out."""
    if r.key not in _SHORT:
        return r
    return say(_SHORT[r.key], **{k: v for k, v in r.fields.items() if k == "have"})


def requirements_of(d: Demand) -> dict:
    """What a demand requires, region included (the ``requires`` field of a reason)."""
    r = d.require
    out = {"gender": r.gender, "perspective": r.perspective, "languages": list(r.languages),
           "specialties": list(r.specialties), "region": d.region}
    return {k: v for k, v in out.items() if v}


def explain_text(instance: Instance, plan: Plan) -> str:
    """The explanations as readable text, one block per demand in instance order."""
    plan = explain(instance, plan)
    assigned = {a.demand: a for a in plan.assignments}
    open_ = {u.demand: u for u in plan.unassigned}
    lines = [f"Plan status: {plan.status}"]
    for d in instance.demands:
        title = f"{d.id}" + (f" ({d.label})" if d.label else "") + (f", {when(d.slot.start, d.slot.end)}" if d.slot
                                                                    else "")
        if d.id in assigned:
            a = assigned[d.id]
            lines.append(f"{title}: {', '.join(a.experts)}")
            lines += [f"  - {w}" for w in a.why]
        else:
            lines.append(f"{title}: OPEN")
            lines += [f"  - {r}" for r in open_[d.id].reasons]
    return "\n".join(lines) + "\n"

