"""The rhythm and overdue rules, as pure functions (no database, no Flask).

Every view, the demo and the CLI call these; tests check them on hand-made
histories with known answers.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Iterable, Sequence

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
    import re
    return [name for name, pattern in _CLIENT_DATA_PATTERNS if re.search(pattern, text or "")]
