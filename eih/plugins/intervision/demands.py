"""Scheduler input and output: sessions and team meetings as all-expert slot demands,
the last intervision per expert as history, expected attendance from a plan."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext

from ...declines import declined_experts
from ...extensions import db
from ...labels import label
from ...models import Region, parse_expert_code
from ...plugins import Problem, demand_id, parse_demand_id
from ...scheduler import Demand, Slot
from . import rules
from .labels import MODE_LABELS
from .models import PLUGIN, IntervisionSession, TeamMeeting

# demand kind -> (model, scheduler kind)
KINDS = {"session": (IntervisionSession, "intervision"), "meeting": (TeamMeeting, "teammeeting")}


def _in_period(model, region: Region, period):
    start = datetime.combine(period.start, datetime.min.time())
    end = datetime.combine(period.end, datetime.min.time()) + timedelta(days=1)
    return db.session.execute(
        db.select(model).filter(model.region_id == region.id, model.status != "cancelled",
                                model.start >= start, model.start < end).order_by(model.start)).scalars().all()


def _demand(kind: str, item, label_text: str, region: Region) -> Demand:
    key = demand_id(PLUGIN, kind, item.id)
    return Demand(id=key, kind=KINDS[kind][1], label=label_text, region=region.slug,
                  slot=Slot(start=item.start, end=item.end), load=0, all_experts=True, exclude=declined_experts(key))


def demands(region: Region, period) -> list[Demand]:
    # Labels are read in schedules and calendar apps; gettext gives the English source outside a request.
    result = []
    for s in _in_period(IntervisionSession, region, period):
        result.append(_demand("session", s, gettext("Intervision") + (f", {s.location}" if s.location else ""), region))
    for m in _in_period(TeamMeeting, region, period):
        place = m.location if m.mode == "on_site" and m.location else label(MODE_LABELS, m.mode)
        result.append(_demand("meeting", m, gettext("Team meeting") + f", {place}", region))
    return result


def expert_history(region: Region, period) -> dict[str, dict]:
    """expert code -> {"last_intervision": date or None} (before the period starts)."""
    last = rules.last_attended(region.id, period.start)
    return {e.code: {"last_intervision": last.get(e.id)} for e in rules.region_experts(region.id)}


def apply(region: Region, plan, instance=None, user=None) -> list[Problem]:
    """Record expected attendance for the experts the plan puts in each meeting (idempotent).

    Nothing here can be refused: the problems met are always none.
    """
    team = {e.id for e in rules.region_experts(region.id)}
    for assignment in plan.assignments:
        demand = parse_demand_id(assignment.demand)
        if demand is None or demand.plugin != PLUGIN or demand.kind not in KINDS or demand.number is None:
            continue
        item = db.session.get(KINDS[demand.kind][0], demand.number)
        if item is None or item.region_id != region.id:
            continue
        ids = [i for i in (parse_expert_code(code) for code in assignment.experts) if i in team]
        rules.expect_attendance(demand.kind, demand.number, ids)
    db.session.flush()
    return []
