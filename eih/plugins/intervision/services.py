"""Database operations behind the views, the demo, the CLI and the scheduler hooks.

The decisions themselves live in :mod:`.rules`; this module reads rows, calls
the rules and writes the outcome.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from ... import clock
from ...extensions import db
from ...models import Expert, Region
from . import rules
from .models import (ABSENCE_REASONS, ATTENDANCE_STATUSES, Cycle, IntervisionAttendance, IntervisionSession,
                     TeamMeeting, TeamMeetingAttendance)

DEFAULTS = {"interval_weeks": 6, "overdue_days": 42, "long_leave_days": 14, "meeting_interval_weeks": 2}


class IntervisionError(ValueError):
    """Bad input; the message tells the user what to fix."""


def cycle_for(region: Region | int, create: bool = False) -> Cycle | None:
    region_id = region if isinstance(region, int) else region.id
    cycle = db.session.execute(db.select(Cycle).filter_by(region_id=region_id)).scalar_one_or_none()
    if cycle is None and create:
        from . import plugin
        s = plugin.settings_for(region_id)
        cycle = Cycle(region_id=region_id, interval_weeks=s["interval_weeks"], overdue_days=s["overdue_days"],
                      long_leave_days=s["long_leave_days"], meeting_interval_weeks=s["meeting_interval_weeks"])
        db.session.add(cycle)
        db.session.flush()
    return cycle


def thresholds(region: Region | int) -> tuple[int, int]:
    """(overdue_days, long_leave_days): the cycle's values, else the plugin settings."""
    cycle = cycle_for(region)
    if cycle is not None:
        return cycle.overdue_days, cycle.long_leave_days
    from . import plugin
    s = plugin.settings_for(region if isinstance(region, int) else region.id)
    return s["overdue_days"], s["long_leave_days"]


def region_experts(region_id: int) -> list[Expert]:
    return list(db.session.execute(
        db.select(Expert).filter_by(region_id=region_id, active=True).order_by(Expert.id)).scalars())


# -- generation -------------------------------------------------------------
def generate(region: Region, start: date, end: date, meetings: bool = True) -> tuple[list, list]:
    """Create the intervision sessions (and team meetings) the rhythm needs in [start, end]."""
    if end < start:
        raise IntervisionError(_l("The end of the period must not be before its start."))
    if (end - start).days > 366:
        raise IntervisionError(_l("Generate at most one year at a time."))
    cycle = cycle_for(region, create=True)
    if cycle.interval_weeks < 1 or cycle.meeting_interval_weeks < 1:
        raise IntervisionError(_l("The interval must be at least one week."))
    existing = db.session.execute(db.select(IntervisionSession.start).filter_by(region_id=region.id)).scalars()
    sessions = []
    for day in rules.rhythm_dates(list(existing), start, end, cycle.interval_weeks, cycle.weekday):
        begin = datetime.combine(day, cycle.start_time)
        session = IntervisionSession(region_id=region.id, start=begin,
                                     end=begin + timedelta(minutes=cycle.duration_minutes),
                                     location=cycle.location, facilitator_name=cycle.facilitator_name)
        db.session.add(session)
        sessions.append(session)
    created_meetings = []
    if meetings:
        existing = db.session.execute(db.select(TeamMeeting.start).filter_by(region_id=region.id)).scalars()
        for day in rules.rhythm_dates(list(existing), start, end, cycle.meeting_interval_weeks, cycle.meeting_weekday):
            begin = datetime.combine(day, cycle.meeting_time)
            meeting = TeamMeeting(region_id=region.id, start=begin, end=begin + timedelta(minutes=cycle.meeting_minutes),
                                  mode=cycle.meeting_mode, location=cycle.meeting_location)
            db.session.add(meeting)
            created_meetings.append(meeting)
    db.session.flush()
    return sessions, created_meetings


def realign_after(session: IntervisionSession) -> list[IntervisionSession]:
    """After ``session`` moved: move the later planned sessions (no attendance marked
    yet) so the rhythm continues from the moved one."""
    cycle = cycle_for(session.region_id)
    interval = cycle.interval_weeks if cycle else DEFAULTS["interval_weeks"]
    later = db.session.execute(
        db.select(IntervisionSession).filter(
            IntervisionSession.region_id == session.region_id, IntervisionSession.start > session.start,
            IntervisionSession.id != session.id, IntervisionSession.status == "planned")
        .order_by(IntervisionSession.start)).scalars().all()
    later = [s for s in later if not any(a.status != "expected" for a in s.attendance)]
    moved = []
    for s, new_start in zip(later, rules.realigned_starts(session.start, [s.start for s in later], interval)):
        if s.start != new_start:
            length = s.end - s.start
            s.moved_from = s.moved_from or s.start
            s.start, s.end = new_start, new_start + length
            moved.append(s)
    return moved


# -- attendance -------------------------------------------------------------
ATTENDANCE_MODELS = {"session": (IntervisionSession, IntervisionAttendance, "session_id"),
                     "meeting": (TeamMeeting, TeamMeetingAttendance, "meeting_id")}


def record_attendance(item, kind: str, marks: dict[int, tuple[str, str]], now: datetime | None = None) -> int:
    """Store present/absent (+ reason category) per expert id; returns rows changed.

    Checked first, written after: bad input changes nothing.
    """
    _parent, model, fk = ATTENDANCE_MODELS[kind]
    now = now or clock.now()
    experts = {e.id: e for e in region_experts(item.region_id)}
    for expert_id, (status, reason) in marks.items():
        if expert_id not in experts:
            raise IntervisionError(_l("Unknown expert for this region."))
        if status not in ATTENDANCE_STATUSES:
            raise IntervisionError(_l("Choose present, absent or expected."))
        if status == "absent" and reason not in ABSENCE_REASONS:
            raise IntervisionError(_l("Give a reason category for every absent expert."))
        if status == "present" and item.start > now:
            raise IntervisionError(_l("Presence can be recorded only once the meeting has started."))
    if item.status == "cancelled" and any(s == "present" for s, _r in marks.values()):
        raise IntervisionError(_l("A cancelled meeting has no one present."))
    rows = {a.expert_id: a for a in item.attendance}
    changed = 0
    for expert_id, (status, reason) in marks.items():
        row = rows.get(expert_id)
        if row is None:
            row = model(expert_id=expert_id, **{fk: item.id})
            item.attendance.append(row)
        reason = reason if status == "absent" else ""
        if (row.status, row.reason) != (status, reason):
            row.status, row.reason = status, reason
            changed += 1
    if any(s == "present" for s, _r in marks.values()) and item.status == "planned":
        item.status = "held"
    db.session.flush()
    return changed


def expect_attendance(kind: str, item_id: int, expert_ids: list[int]) -> None:
    """The plan's expected attendance: add 'expected' rows, drop 'expected' rows
    of experts no longer planned; present/absent marks are never touched."""
    parent, model, fk = ATTENDANCE_MODELS[kind]
    item = db.session.get(parent, item_id)
    if item is None:
        return
    rows = {a.expert_id: a for a in item.attendance}
    for expert_id in expert_ids:
        if expert_id not in rows:
            item.attendance.append(model(expert_id=expert_id, status="expected"))
    for expert_id, row in rows.items():
        if row.status == "expected" and expert_id not in expert_ids:
            item.attendance.remove(row)
    db.session.flush()


# -- rhythm ----------------------------------------------------------------
def last_attended(region_id: int, before: date) -> dict[int, date]:
    """Expert id -> date of the last intervision attended before ``before``."""
    cutoff = datetime.combine(before, datetime.min.time())
    rows = db.session.execute(
        db.select(IntervisionAttendance.expert_id, func.max(IntervisionSession.start))
        .join(IntervisionSession, IntervisionAttendance.session_id == IntervisionSession.id)
        .filter(IntervisionSession.region_id == region_id, IntervisionSession.status != "cancelled",
                IntervisionAttendance.status == "present", IntervisionSession.start < cutoff)
        .group_by(IntervisionAttendance.expert_id)).all()
    return {expert_id: (start.date() if isinstance(start, datetime) else start) for expert_id, start in rows}


def next_planned(model, region_id: int, today: date):
    return db.session.execute(
        db.select(model).filter(model.region_id == region_id, model.status == "planned",
                                model.start >= datetime.combine(today, datetime.min.time()))
        .order_by(model.start).limit(1)).scalar_one_or_none()


def rhythm_rows(region: Region | int, today: date) -> list[dict]:
    """One row per active expert: last attended, days since, next planned, state."""
    region_id = region if isinstance(region, int) else region.id
    limit, leave_days = thresholds(region_id)
    last = last_attended(region_id, today + timedelta(days=1))
    upcoming = next_planned(IntervisionSession, region_id, today)
    rows = []
    for expert in region_experts(region_id):
        on_leave = rules.is_on_long_leave(expert.unavailability, today, leave_days)
        attended = last.get(expert.id)
        rows.append({
            "expert": expert, "last": attended, "days_since": rules.days_since(attended, today),
            "next": upcoming.start if upcoming else None,
            "state": rules.rhythm_state(attended, today, limit, on_leave),
        })
    return rows


def rhythm_summary(region: Region | int, today: date) -> dict:
    region_id = region if isinstance(region, int) else region.id
    cycle = cycle_for(region_id)
    sessions = db.session.execute(db.select(IntervisionSession).filter_by(region_id=region_id)).scalars().all()
    past = [s for s in sessions if s.start.date() <= today]
    return {"cycle": cycle, "last_held": rules.last_held(past),
            "next_due": rules.next_session_date(cycle, past) if cycle else None,
            "next_planned": next_planned(IntervisionSession, region_id, today)}
