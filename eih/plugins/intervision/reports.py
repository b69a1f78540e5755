"""Figures for the funders' report: counts only, never themes or request details; and the
sessions and team meetings an expert attended, for the timesheets (``worked``)."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func

from ... import clock
from ...extensions import db
from ...models import Expert, Region
from ...plugins import WorkItem, demand_id
from . import rules
from .models import (
    PLUGIN,
    IntervisionAttendance,
    IntervisionSession,
    SupervisionRequest,
    TeamMeeting,
    TeamMeetingAttendance,
)


def _bounds(period):
    start = datetime.combine(period.start, datetime.min.time())
    return start, datetime.combine(period.end, datetime.min.time()) + timedelta(days=1)


def _counts(model, region_id, start, end) -> dict[str, int]:
    rows = db.session.execute(
        db.select(model.status, func.count()).filter(model.region_id == region_id, model.start >= start,
                                                     model.start < end).group_by(model.status)).all()
    return {status: count for status, count in rows}


def _present(parent, attendance, fk, region_id, start, end) -> int:
    return db.session.execute(
        db.select(func.count()).select_from(attendance).join(parent, getattr(attendance, fk) == parent.id)
        .filter(parent.region_id == region_id, parent.start >= start, parent.start < end,
                attendance.status == "present")).scalar_one()


def report(region: Region, period) -> dict:
    start, end = _bounds(period)
    sessions = _counts(IntervisionSession, region.id, start, end)
    meetings = _counts(TeamMeeting, region.id, start, end)
    held = sessions.get("held", 0)
    present = _present(IntervisionSession, IntervisionAttendance, "session_id", region.id, start, end)
    requests = db.session.execute(
        db.select(SupervisionRequest.status, func.count()).filter(
            # created_at is a UTC stamp; the period is in Amsterdam's days
            SupervisionRequest.region_id == region.id, SupervisionRequest.created_at >= clock.utc(start),
            SupervisionRequest.created_at < clock.utc(end)).group_by(SupervisionRequest.status)).all()
    rows = rules.rhythm_rows(region, period.end)
    return {
        "intervision_sessions_held": held,
        "intervision_sessions_cancelled": sessions.get("cancelled", 0),
        "intervision_average_present": round(present / held, 1) if held else 0,
        "team_meetings_held": meetings.get("held", 0),
        "team_meeting_attendances": _present(TeamMeeting, TeamMeetingAttendance, "meeting_id", region.id, start, end),
        "supervision_requests": {status: count for status, count in requests},
        "experts_overdue_at_end": sum(1 for r in rows if r["state"] == "overdue"),
    }


def worked(region: Region, expert: Expert, period) -> list[WorkItem]:
    """Intervision sessions and team meetings in the period the expert attended (marked
    present): their length, at their time, without load. The label is the place."""
    start, end = _bounds(period)
    items = []
    for model, attendance, key, kind, activity in (
            (IntervisionSession, IntervisionAttendance, IntervisionAttendance.session_id, "session", "intervision"),
            (TeamMeeting, TeamMeetingAttendance, TeamMeetingAttendance.meeting_id, "meeting", "teammeeting")):
        rows = db.session.execute(db.select(model).join(attendance, key == model.id).where(
            model.region_id == region.id, model.status != "cancelled", attendance.expert_id == expert.id,
            attendance.status == "present", model.start >= start, model.start < end).order_by(model.start)).scalars()
        for row in rows:
            place = row.location if kind == "session" or row.mode == "on_site" else ""
            items.append(WorkItem(day=row.start.date(), hours=round((row.end - row.start).total_seconds() / 3600, 2),
                                  activity=activity, label=place or "", source=demand_id(PLUGIN, kind, row.id),
                                  start=row.start))
    return items
