"""The intervision rules, one named function each: the rhythm and overdue
rules, attendance, and what the pages may change.

The rhythm rules (from ``weekday_on_or_after`` to ``rhythm_state``) are pure
functions, checked in the tests on hand-made histories with known answers; the
functions after them read and write rows and call them. Views, the demo, the
CLI and the scheduler hooks call these; none re-implements a rule. A refused
step raises RuleError (the core's, ``eih.rules``) with a message the user can
act on; nothing is changed then. The caller commits.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import func

from ... import clock
from ...extensions import db
from ...labels import label
from ...models import Expert, Region
from ...plugins import plugin_settings
from ...rules import N_, RuleError
from .labels import HINT_LABELS, SUPERVISION_STATUS_LABELS
from .models import (
    ABSENCE_REASONS,
    ATTENDANCE_STATUSES,
    DEFAULT_SETTINGS,
    PLUGIN,
    Cycle,
    IntervisionAttendance,
    IntervisionSession,
    TeamMeeting,
    TeamMeetingAttendance,
)

SUPERVISION_FLOW = {
    "requested": ("approved", "declined"),
    "approved": ("planned", "declined"),
    "planned": ("done", "approved"),
    "done": (),
    "declined": (),
}


def _day(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def weekday_on_or_before(day: date, weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def step(last: date, interval_weeks: int, weekday: int | None = None) -> date:
    """The next date of the rhythm: ``interval_weeks`` after ``last``, on the
    cycle's weekday on or before that (so the gap never exceeds the interval)."""
    due = _day(last) + timedelta(weeks=interval_weeks)
    if weekday is None:
        return due
    snapped = weekday_on_or_before(due, weekday)
    return snapped if snapped > _day(last) else due


def last_held(sessions: Iterable) -> date | None:
    """Date of the last session with status ``held`` (objects with ``start`` and ``status``)."""
    days = [_day(s.start) for s in sessions if s.status == "held"]
    return max(days) if days else None


def next_session_date(cycle, sessions: Iterable) -> date | None:
    """When the next session is due: from the last *held* one, not from the calendar.

    A moved session shifts the rhythm with it; a cancelled one does not count,
    so the due date stays where it was (and the dashboard shows the gap).
    None when no session was held yet.
    """
    held = last_held(sessions)
    if held is None:
        return None
    return step(held, cycle.interval_weeks, cycle.weekday)


def rhythm_dates(existing: Sequence[date], start: date, end: date, interval_weeks: int,
                 weekday: int) -> list[date]:
    """Dates in [start, end] where a new session is needed to keep the rhythm.

    ``existing`` are the dates of sessions already there (any status: a
    cancelled date is not planned again). The chain continues from the latest
    existing session; an existing session within half an interval of a
    candidate date takes its place.
    """
    if interval_weeks < 1 or end < start:
        return []
    days = sorted({_day(d) for d in existing})
    half = timedelta(days=interval_weeks * 7 / 2)
    before = [d for d in days if d < start]
    first = weekday_on_or_after(start, weekday)
    candidate = step(before[-1], interval_weeks, weekday) if before else first
    if candidate < start:
        candidate = first
    new: list[date] = []
    while candidate <= end:
        near = [d for d in days if abs(d - candidate) < half]
        if near:
            cursor = max(near)
        else:
            new.append(candidate)
            cursor = candidate
        candidate = step(cursor, interval_weeks, weekday)
    return new


def realigned_starts(anchor: datetime, following: Sequence[datetime], interval_weeks: int) -> list[datetime]:
    """New starts for the planned sessions after a moved one: every interval from the
    moved session (the time of day of each is kept)."""
    result = []
    for k, start in enumerate(following, 1):
        day = anchor.date() + timedelta(weeks=interval_weeks * k)
        result.append(datetime.combine(day, start.time()))
    return result


def days_since(last_attended: date | None, today: date) -> int | None:
    return None if last_attended is None else (today - _day(last_attended)).days


def is_overdue(last_attended: date | None, today: date, limit_days: int, on_long_leave: bool) -> bool:
    """More than ``limit_days`` since the last intervision attended (or never attended).

    An expert on long leave is never overdue: they are shown as on leave.
    """
    if on_long_leave:
        return False
    if last_attended is None:
        return True
    return days_since(last_attended, today) > limit_days


def is_on_long_leave(unavailabilities: Iterable, today: date, min_days: int) -> bool:
    """An unavailability (``start``/``end`` datetimes, end exclusive) covering today
    that lasts at least ``min_days`` days."""
    midnight = datetime.combine(today, datetime.min.time())
    for u in unavailabilities:
        covers = u.start < midnight + timedelta(days=1) and u.end > midnight
        if covers and (u.end - u.start) >= timedelta(days=min_days):
            return True
    return False


def rhythm_state(last_attended: date | None, today: date, limit_days: int, on_long_leave: bool) -> str:
    """'on_leave', 'overdue' or 'ok' for the rhythm dashboard."""
    if on_long_leave:
        return "on_leave"
    return "overdue" if is_overdue(last_attended, today, limit_days, False) else "ok"


def supervision_step_allowed(old: str, new: str) -> bool:
    """The lead approves, plans and marks done (or declines); nothing goes back to 'requested'."""
    return old == new or new in SUPERVISION_FLOW.get(old, ())


_CLIENT_DATA_PATTERNS = (
    ("e-mail address", r"[\w.+-]+@[\w-]+\.[\w.]+"),
    ("phone number", r"(?<!\d)(?:\+31|0)[\s-]?\d(?:[\s-]?\d){8}(?!\d)"),
    ("postcode", r"\b[1-9]\d{3}\s?[A-Z]{2}\b"),
    ("BSN", r"(?<!\d)\d{9}(?!\d)"),
)


def client_data_hints(text: str) -> list[str]:
    """What in a free-text field looks like client data (themes must hold none)."""
    return [name for name, pattern in _CLIENT_DATA_PATTERNS if re.search(pattern, text or "")]


# -- rows: the cycle, generation, attendance, the rhythm -----------------------
def settings(region: Region | int) -> dict:
    """The intervision settings of a region (defaults in models.DEFAULT_SETTINGS)."""
    return plugin_settings(region, PLUGIN, DEFAULT_SETTINGS)


def cycle_for(region: Region | int, create: bool = False) -> Cycle | None:
    """The region's cycle; ``create`` makes one from the region's settings when there is none."""
    region_id = region if isinstance(region, int) else region.id
    cycle = db.session.execute(db.select(Cycle).filter_by(region_id=region_id)).scalar_one_or_none()
    if cycle is None and create:
        s = settings(region_id)
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
    s = settings(region)
    return s["overdue_days"], s["long_leave_days"]


def region_experts(region_id: int) -> list[Expert]:
    return list(db.session.execute(
        db.select(Expert).filter_by(region_id=region_id, active=True).order_by(Expert.id)).scalars())


# -- generation -------------------------------------------------------------
def generate(region: Region, start: date, end: date, meetings: bool = True) -> tuple[list, list]:
    """Create the intervision sessions (and team meetings) the rhythm needs in [start, end]."""
    if end < start:
        raise RuleError(N_("The end of the period must not be before its start."))
    if (end - start).days > 366:
        raise RuleError(N_("Generate at most one year at a time."))
    cycle = cycle_for(region, create=True)
    if cycle.interval_weeks < 1 or cycle.meeting_interval_weeks < 1:
        raise RuleError(N_("The interval must be at least one week."))
    existing = db.session.execute(db.select(IntervisionSession.start).filter_by(region_id=region.id)).scalars()
    sessions = []
    for day in rhythm_dates(list(existing), start, end, cycle.interval_weeks, cycle.weekday):
        begin = datetime.combine(day, cycle.start_time)
        session = IntervisionSession(region_id=region.id, start=begin,
                                     end=begin + timedelta(minutes=cycle.duration_minutes),
                                     location=cycle.location, facilitator_name=cycle.facilitator_name)
        db.session.add(session)
        sessions.append(session)
    created_meetings = []
    if meetings:
        existing = db.session.execute(db.select(TeamMeeting.start).filter_by(region_id=region.id)).scalars()
        for day in rhythm_dates(list(existing), start, end, cycle.meeting_interval_weeks, cycle.meeting_weekday):
            begin = datetime.combine(day, cycle.meeting_time)
            meeting = TeamMeeting(region_id=region.id, start=begin,
                                  end=begin + timedelta(minutes=cycle.meeting_minutes),
                                  mode=cycle.meeting_mode, location=cycle.meeting_location)
            db.session.add(meeting)
            created_meetings.append(meeting)
    db.session.flush()
    return sessions, created_meetings


def realign_after(session: IntervisionSession) -> list[IntervisionSession]:
    """After ``session`` moved: move the later planned sessions (no attendance marked
    yet) so the rhythm continues from the moved one."""
    cycle = cycle_for(session.region_id)
    interval = cycle.interval_weeks if cycle else settings(session.region_id)["interval_weeks"]
    later = db.session.execute(
        db.select(IntervisionSession).filter(
            IntervisionSession.region_id == session.region_id, IntervisionSession.start > session.start,
            IntervisionSession.id != session.id, IntervisionSession.status == "planned")
        .order_by(IntervisionSession.start)).scalars().all()
    later = [s for s in later if not any(a.status != "expected" for a in s.attendance)]
    moved = []
    for s, new_start in zip(later, realigned_starts(session.start, [s.start for s in later], interval)):
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
            raise RuleError(N_("Unknown expert for this region."))
        if status not in ATTENDANCE_STATUSES:
            raise RuleError(N_("Choose present, absent or expected."))
        if status == "absent" and reason not in ABSENCE_REASONS:
            raise RuleError(N_("Give a reason category for every absent expert."))
        if status == "present" and item.start > now:
            raise RuleError(N_("Presence can be recorded only once the meeting has started."))
    if item.status == "cancelled" and any(s == "present" for s, _r in marks.values()):
        raise RuleError(N_("A cancelled meeting has no one present."))
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
        on_leave = is_on_long_leave(expert.unavailability, today, leave_days)
        attended = last.get(expert.id)
        rows.append({
            "expert": expert, "last": attended, "days_since": days_since(attended, today),
            "next": upcoming.start if upcoming else None,
            "state": rhythm_state(attended, today, limit, on_leave),
        })
    return rows


def rhythm_summary(region: Region | int, today: date) -> dict:
    region_id = region if isinstance(region, int) else region.id
    cycle = cycle_for(region_id)
    sessions = db.session.execute(db.select(IntervisionSession).filter_by(region_id=region_id)).scalars().all()
    past = [s for s in sessions if s.start.date() <= today]
    return {"cycle": cycle, "last_held": last_held(past),
            "next_due": next_session_date(cycle, past) if cycle else None,
            "next_planned": next_planned(IntervisionSession, region_id, today)}


# -- what the pages may change ------------------------------------------------
def check_themes(text: str) -> None:
    """Themes only: a free text that looks like client data is refused."""
    hints = client_data_hints(text)
    if hints:
        raise RuleError(N_("The themes look like they contain client data (%(what)s). Describe themes only."),
                        what=", ".join(label(HINT_LABELS, h) for h in hints))


def check_slot(item) -> None:
    """A session or team meeting ends after it starts."""
    if item.start is None or item.end is None or item.end <= item.start:
        raise RuleError(N_("The end must come after the start."))


def check_may_delete(item) -> None:
    """A session or meeting with recorded attendance is history: cancel it, never delete it."""
    if any(a.status in ("present", "absent") for a in item.attendance):
        raise RuleError(N_("Attendance was recorded for this meeting; cancel it instead of deleting it."))


def check_new_cycle(region_id: int) -> None:
    """One cycle per region."""
    if cycle_for(region_id) is not None:
        raise RuleError(N_("This region already has an intervision cycle; edit that one."))


def check_supervision(request, old: str) -> None:
    """The lead's step on a supervision request: allowed, and planned ones have a date and a supervisor."""
    if not supervision_step_allowed(old, request.status):
        raise RuleError(N_("A request that is %(old)s cannot become %(new)s."),
                        old=label(SUPERVISION_STATUS_LABELS, old),
                        new=label(SUPERVISION_STATUS_LABELS, request.status))
    if request.status in ("planned", "done") and (request.planned_for is None
                                                  or not (request.supervisor_name or "").strip()):
        raise RuleError(N_("Planned supervision needs a date and a supervisor."))


def check_own_request_editable(request) -> None:
    """An expert changes their own request only while it waits."""
    if request.status != "requested":
        raise RuleError(N_("The request is already being handled; ask the project lead to change it."))
