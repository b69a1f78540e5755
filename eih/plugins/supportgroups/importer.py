"""Import an attendance history from CSV: all rows or none.

Columns ``session_date,participant,status`` (status present / absent-notice /
absent). Missing sessions are created as held at the group's usual time,
missing participants join as members on their first date, through the same
membership rule as on the pages (the get-acquainted talk when the group needs
it, room in the group, a closed group takes no newcomers once it has started).
Every problem is reported with its line number and nothing is written unless
every line is good.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from ... import audit, clock
from ...extensions import db
from ...rules import N_
from .models import ATTENDANCE_STATUSES, Group, Participant, Session
from .rules import (
    DEFAULT_LATE_DAYS,
    RuleError,
    change_status,
    check_participant_name,
    record_attendance,
    session_times,
    sessions_on,
)

COLUMNS = ("session_date", "participant", "status")
MAX_ROWS = 20000


@dataclass
class ImportResult:
    rows: int = 0
    sessions_created: int = 0
    participants_created: int = 0
    marks_changed: int = 0
    errors: list[str] = field(default_factory=list)


def _parse(text: str, group: Group, today: date, result: ImportResult) -> dict[date, dict[str, tuple[str, str]]]:
    """date -> {name key -> (name, status)}; problems go to result.errors."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or [h.strip().lower() for h in header] != list(COLUMNS):
        result.errors.append(_("line 1: the header must be %(columns)s", columns=",".join(COLUMNS)))
        return {}
    by_date: dict[date, dict[str, tuple[str, str]]] = {}
    for line, row in enumerate(reader, start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        if line > MAX_ROWS:
            result.errors.append(_("line %(line)s: too many lines (at most %(n)s)", line=line, n=MAX_ROWS))
            break
        if len(row) != 3:
            result.errors.append(_("line %(line)s: expected 3 columns, found %(n)s", line=line, n=len(row)))
            continue
        raw_date, raw_name, status = (cell.strip() for cell in row)
        try:
            day = date.fromisoformat(raw_date)
        except ValueError:
            result.errors.append(_("line %(line)s: not a date: %(value)s (use YYYY-MM-DD)", line=line, value=raw_date))
            continue
        if day > today:
            result.errors.append(_("line %(line)s: %(value)s lies in the future", line=line, value=raw_date))
            continue
        if status not in ATTENDANCE_STATUSES:
            result.errors.append(_("line %(line)s: unknown status %(value)s (present, absent-notice, absent)",
                                   line=line, value=status))
            continue
        try:
            name, _surname = check_participant_name(group, raw_name, None)
        except RuleError as exc:
            result.errors.append(_("line %(line)s: %(error)s", line=line, error=str(exc)))
            continue
        marks = by_date.setdefault(day, {})
        if name.lower() in marks:
            result.errors.append(_("line %(line)s: %(name)s appears twice on %(date)s", line=line, name=name,
                                   date=raw_date))
            continue
        marks[name.lower()] = (name, status)
        result.rows += 1
    return by_date


def import_attendance(group: Group, text: str, today: date | None = None, user=None) -> ImportResult:
    """Check everything, then write everything (one transaction), or write nothing."""
    today = today or clock.today()
    result = ImportResult()
    by_date = _parse(text, group, today, result)
    people = {p.name.lower(): p for p in group.participants}
    for day in sorted(by_date):
        if any(s.status == "cancelled" for s in sessions_on(group, day)) and not any(
                s.status != "cancelled" for s in sessions_on(group, day)):
            result.errors.append(_("%(date)s: that session was cancelled; it has no attendance",
                                   date=day.isoformat()))
        for key, (name, _status) in by_date[day].items():
            person = people.get(key)
            if person is None or person.status == "member":
                continue
            was_member = (person.status == "left" and person.joined_on and person.left_on
                          and person.joined_on <= day < person.left_on)
            if not was_member:
                result.errors.append(_("%(date)s: %(name)s was not a member of this group then",
                                       date=day.isoformat(), name=name))
    if not by_date and not result.errors:
        result.errors.append(_("the file holds no attendance"))
    if result.errors:
        return result
    try:
        for day in sorted(by_date):
            session = next((s for s in sessions_on(group, day) if s.status != "cancelled"), None)
            if session is None:
                starts_at, ends_at = session_times(group, day)
                session = Session(group=group, starts_at=starts_at, ends_at=ends_at, status="held")
                db.session.add(session)
                result.sessions_created += 1
                new_session = True
            else:
                new_session = False
            marks = {}
            for key, (name, status) in by_date[day].items():
                person = people.get(key)
                if person is None:
                    person = Participant(group=group, name=name, status="waitlist", registered_on=day)
                    db.session.add(person)
                    try:
                        change_status(person, "member", day)
                    except RuleError as exc:
                        raise RuleError(N_("%(date)s: %(error)s"), date=day.isoformat(), error=str(exc)) from None
                    people[key] = person
                    result.participants_created += 1
                elif person.joined_on is None or person.joined_on > day:
                    person.joined_on = day if person.status == "member" else person.joined_on
                db.session.flush()
                marks[person.id] = status
            result.marks_changed += record_attendance(session, marks, user=user, today=today,
                                                    late_days=None if new_session else DEFAULT_LATE_DAYS)
        audit.record("create", object_type="SupportGroupImport", object_id=group.id, region_id=group.region_id,
                     detail=f"rows={result.rows}", user=user)
        db.session.commit()
    except RuleError as exc:  # a rule refused a row after all: undo every row
        db.session.rollback()
        result.errors.append(str(exc))
    return result
