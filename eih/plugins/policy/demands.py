"""Scheduler input and output: every planned meeting is a slot demand for experts.

``policy:meeting-<id>``, kind ``policy``. Its hours are the meeting's length plus
its preparation; its load is the region's setting (1 by default). The table's
perspective is a requirement, its specialties are preferences.

Rotation: the scheduler contract has no "avoid" field, and ``exclude`` would be
a hard rule (the meeting would stay empty when only last time's expert fits).
So a table in rotation lists in ``continuity`` every active expert of the region
*except* those who went to its previous meeting: the solver then prefers anyone
else (its second objective), and still sends last time's expert when nobody
else fits or is free. Without rotation, or the first time, the experts already
set keep the meeting where they can.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from ... import audit
from ...declines import declined_experts
from ...extensions import db
from ...models import Expert, Region, parse_expert_code, split_list
from ...plugins import DemandRef, Problem, demand_id, parse_demand_id
from ...scheduler import Demand, Preferences, Requirements, Slot
from . import rules
from .models import PLUGIN, PolicyMeeting


def meeting_demand_id(meeting: PolicyMeeting) -> str:
    return demand_id(PLUGIN, "meeting", meeting.id)


def planned_meetings(region: Region, start, end) -> list[PolicyMeeting]:
    lo = datetime.combine(start, datetime.min.time())
    hi = datetime.combine(end, datetime.min.time()) + timedelta(days=1)
    return list(db.session.execute(db.select(PolicyMeeting).where(
        PolicyMeeting.region_id == region.id, PolicyMeeting.status == "planned",
        PolicyMeeting.starts_at >= lo, PolicyMeeting.starts_at < hi)
        .order_by(PolicyMeeting.starts_at, PolicyMeeting.id)).scalars())


def label_of(meeting: PolicyMeeting) -> str:
    """What the experts read in their schedule and calendar: the table and its organisation."""
    return " · ".join(p for p in (meeting.table.name, meeting.table.organisation) if p)


def meeting_demand(meeting: PolicyMeeting, region: Region, settings: dict, experts: list[Expert]) -> Demand:
    table = meeting.table
    key = meeting_demand_id(meeting)
    hours = (meeting.ends_at - meeting.starts_at).total_seconds() / 3600 + meeting.preparation
    return Demand(
        id=key, kind="policy", label=label_of(meeting), region=region.slug,
        slot=Slot(meeting.starts_at, meeting.ends_at), hours=round(hours, 2), load=float(settings["load"]),
        experts_needed=table.experts_needed,
        require=Requirements(perspective=table.perspective or None),
        prefer=Preferences(specialties=split_list(table.preferred_specialties)),
        continuity=[e.code for e in rules.rotation_candidates(meeting, experts) if e.active],
        exclude=declined_experts(key),
    )


def demands(region: Region, period) -> list[Demand]:
    settings = rules.settings(region)
    experts = rules.region_experts(region)
    return [meeting_demand(m, region, settings, experts) for m in planned_meetings(region, period.start, period.end)
            if m.table.active]


def meeting_of(demand: DemandRef | None, region_id: int) -> PolicyMeeting | None:
    """The meeting behind a policy demand id, if it is one of ``region_id``."""
    if demand is None or demand.plugin != PLUGIN or demand.kind != "meeting" or demand.number is None:
        return None
    meeting = db.session.get(PolicyMeeting, demand.number)
    return meeting if meeting is not None and meeting.region_id == region_id else None


def apply(region: Region, plan, instance=None, user=None) -> list[Problem]:
    """Set the experts of the planned meetings; returns the problems met.

    Idempotent. A meeting the plan leaves unassigned loses its experts: the
    published plan is the truth for its period. What the rules refuse is not
    applied and comes back as a problem.
    """
    wanted: dict[str, list[str]] = {a.demand: list(a.experts) for a in plan.assignments}
    for item in plan.unassigned:
        wanted.setdefault(item.demand, [])
    problems: list[Problem] = []
    for key, codes in sorted(wanted.items()):
        meeting = meeting_of(parse_demand_id(key), region.id)
        if meeting is None or meeting.status != "planned":
            continue
        experts = [db.session.get(Expert, i) for i in (parse_expert_code(c) for c in codes) if i is not None]
        try:
            if rules.set_meeting_experts(meeting, [e for e in experts if e is not None]):
                audit.record("update", meeting, object_type="PolicyMeeting", region_id=region.id,
                             detail="fields: experts (plan)", user=user)
        except rules.RuleError as exc:
            problems.append(Problem.from_error(key, exc))
    db.session.flush()
    return problems


def on_decline(expert: Expert, demand: DemandRef, reason: str) -> None:
    """An expert declined a meeting: they no longer go."""
    meeting = meeting_of(demand, expert.region_id)
    if meeting is not None and expert in meeting.experts:
        meeting.experts = [e for e in meeting.experts if e.id != expert.id]
        audit.record("update", meeting, object_type="PolicyMeeting", region_id=expert.region_id,
                     detail="fields: experts (decline)")
