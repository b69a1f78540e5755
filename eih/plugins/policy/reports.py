"""Figures: the funders' report (``report``) and the work done for the timesheets (``worked``).

Derived from the meeting and contribution rows of the period; no names of people.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from ...extensions import db
from ...models import Expert, Region
from ...plugins import WorkItem, demand_id
from . import rules
from .models import PLUGIN, PolicyContribution, PolicyMeeting, PolicyTable, contribution_expert, meeting_expert


def _bounds(period) -> tuple[datetime, datetime]:
    start = datetime.combine(period.start, datetime.min.time())
    return start, datetime.combine(period.end, datetime.min.time()) + timedelta(days=1)


def report(region: Region, period) -> dict:
    """Policy meetings attended and contributions, with what became of them.

    Keys: ``meetings_attended`` (held meetings with experts of the team);
    ``expert_attendances`` and ``distinct_experts`` (the rotation at a glance);
    ``by_level`` (stored level -> meetings, see ``labels.LEVEL_LABELS``);
    ``by_table`` (table name -> meetings); ``tables_active``; ``contributions``,
    ``contributions_by_kind``, ``contributions_by_outcome`` (stored values) and
    ``contribution_list`` (date, table, topic, kind, outcome, outcome note: what
    became of each).
    """
    lo, hi = _bounds(period)
    held = db.session.execute(db.select(PolicyMeeting).where(
        PolicyMeeting.region_id == region.id, PolicyMeeting.status == "held", PolicyMeeting.starts_at >= lo,
        PolicyMeeting.starts_at < hi)
        .order_by(PolicyMeeting.starts_at)).scalars().all()
    attended = [m for m in held if m.experts]
    contributions = db.session.execute(db.select(PolicyContribution).where(
        PolicyContribution.region_id == region.id, PolicyContribution.given_on >= period.start,
        PolicyContribution.given_on <= period.end)
        .order_by(PolicyContribution.given_on, PolicyContribution.id)).scalars().all()
    tables = db.session.execute(db.select(db.func.count(PolicyTable.id)).where(
        PolicyTable.region_id == region.id, PolicyTable.active.is_(True))).scalar_one()
    return {
        "meetings_attended": len(attended),
        "expert_attendances": sum(len(m.experts) for m in attended),
        "distinct_experts": len({e.id for m in attended for e in m.experts}),
        "by_level": dict(sorted(Counter(m.table.level for m in attended).items())),
        "by_table": dict(sorted(Counter(m.table.name for m in attended).items())),
        "tables_active": tables,
        "contributions": len(contributions),
        "contributions_by_kind": dict(sorted(Counter(c.kind for c in contributions).items())),
        "contributions_by_outcome": dict(sorted(Counter(c.outcome for c in contributions).items())),
        "contribution_list": [{"date": c.given_on.isoformat(), "table": c.table.name, "topic": c.topic,
                               "kind": c.kind, "outcome": c.outcome, "outcome_note": c.outcome_note}
                              for c in contributions],
    }


def worked(region: Region, expert: Expert, period) -> list[WorkItem]:
    """Meetings ``expert`` attended in ``period`` (length plus preparation) and the
    writing hours of their written advice (on the day it was given)."""
    lo, hi = _bounds(period)
    meetings = db.session.execute(
        db.select(PolicyMeeting).join(meeting_expert, meeting_expert.c.meeting_id == PolicyMeeting.id)
        .where(meeting_expert.c.expert_id == expert.id, PolicyMeeting.region_id == region.id,
               PolicyMeeting.status == "held", PolicyMeeting.starts_at >= lo, PolicyMeeting.starts_at < hi)
        .order_by(PolicyMeeting.starts_at, PolicyMeeting.id)).scalars()
    load = float(rules.settings(region)["load"])  # as planned: the demand's load
    items = []
    for m in meetings:
        hours = (m.ends_at - m.starts_at).total_seconds() / 3600 + m.preparation
        items.append(WorkItem(day=m.starts_at.date(), hours=round(hours, 2), activity=PLUGIN,
                              label=" · ".join(p for p in (m.table.name, m.table.organisation) if p),
                              partner_id=m.table.partner_id, load=load, start=m.starts_at,
                              source=demand_id(PLUGIN, "meeting", m.id)))
    written = db.session.execute(db.select(PolicyContribution).join(
        contribution_expert, contribution_expert.c.contribution_id == PolicyContribution.id).where(
        contribution_expert.c.expert_id == expert.id, PolicyContribution.region_id == region.id,
        PolicyContribution.hours > 0,
        PolicyContribution.given_on >= period.start, PolicyContribution.given_on <= period.end)
        .order_by(PolicyContribution.given_on, PolicyContribution.id)).scalars()
    for c in written:
        items.append(WorkItem(day=c.given_on, hours=round(float(c.hours), 2), activity=PLUGIN,
                              label=f"{c.topic} · {c.table.name}", partner_id=c.table.partner_id,
                              source=demand_id(PLUGIN, "contribution", c.id)))
    return items
