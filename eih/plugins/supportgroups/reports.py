"""Figures: the funders' report and the statistics of a group over a period,
derived from rows, never from stored counters; and the sessions an expert led,
for the timesheets (``worked``).

The statistics functions are pure: they take plain rows (``SessionRow``,
``AttendanceRow``, ``ParticipantRow``) and return numbers, so the tests pin
exact answers on a hand-made history. ``load_rows`` reads the rows of one
group and period from the database; ``group_stats`` puts everything together;
``report`` sums the groups of a region for the funders.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ...extensions import db
from ...models import Expert, Region
from ...plugins import WorkItem, demand_id
from .models import DEFAULT_SETTINGS, PLUGIN, Attendance, Group, Participant, Session, session_facilitator

DEFAULT_ABSENCE_ALERT = DEFAULT_SETTINGS["absence_alert"]


@dataclass(frozen=True)
class SessionRow:
    id: int
    starts_at: datetime
    status: str
    facilitators: frozenset = field(default_factory=frozenset)


@dataclass(frozen=True)
class AttendanceRow:
    session_id: int
    participant_id: int
    status: str


@dataclass(frozen=True)
class ParticipantRow:
    id: int
    name: str
    status: str
    registered_on: date
    left_waitlist_on: date | None = None


def held(sessions) -> list[SessionRow]:
    return sorted((s for s in sessions if s.status == "held"), key=lambda s: (s.starts_at, s.id))


def sessions_held(sessions) -> int:
    return len(held(sessions))


def sessions_cancelled(sessions) -> int:
    return sum(1 for s in sessions if s.status == "cancelled")


def attendance_per_session(sessions, attendance) -> list[tuple[SessionRow, int]]:
    """Held sessions in order, each with the number of members present."""
    present: dict[int, int] = {}
    for a in attendance:
        if a.status == "present":
            present[a.session_id] = present.get(a.session_id, 0) + 1
    return [(s, present.get(s.id, 0)) for s in held(sessions)]


def distinct_participants(sessions, attendance) -> int:
    """Different people present at least once at a held session."""
    held_ids = {s.id for s in held(sessions)}
    return len({a.participant_id for a in attendance if a.session_id in held_ids and a.status == "present"})


def average_attendance(sessions, attendance) -> float | None:
    counts = [n for _s, n in attendance_per_session(sessions, attendance)]
    return round(sum(counts) / len(counts), 2) if counts else None


def attendance_range(sessions, attendance) -> tuple[int, int] | None:
    counts = [n for _s, n in attendance_per_session(sessions, attendance)]
    return (min(counts), max(counts)) if counts else None


def attendance_rate_per_member(sessions, attendance) -> dict[int, float]:
    """Present / marked, per participant, over the held sessions where they were on the register."""
    held_ids = {s.id for s in held(sessions)}
    marked: dict[int, int] = {}
    present: dict[int, int] = {}
    for a in attendance:
        if a.session_id not in held_ids:
            continue
        marked[a.participant_id] = marked.get(a.participant_id, 0) + 1
        if a.status == "present":
            present[a.participant_id] = present.get(a.participant_id, 0) + 1
    return {pid: round(present.get(pid, 0) / n, 3) for pid, n in sorted(marked.items())}


def consecutive_absences(sessions, attendance, participants=None, n: int = DEFAULT_ABSENCE_ALERT) -> dict[int, int]:
    """Participants whose latest ``n`` or more marks are absences (with or without notice).

    Returns participant id -> length of the current run of absences. Only
    current members count when ``participants`` is given.
    """
    order = {s.id: i for i, s in enumerate(held(sessions))}
    marks: dict[int, list[tuple[int, str]]] = {}
    for a in attendance:
        if a.session_id in order:
            marks.setdefault(a.participant_id, []).append((order[a.session_id], a.status))
    members = None if participants is None else {p.id for p in participants if p.status == "member"}
    result = {}
    for pid, rows in marks.items():
        if members is not None and pid not in members:
            continue
        run = 0
        for _i, status in sorted(rows, reverse=True):
            if status == "present":
                break
            run += 1
        if run >= n:
            result[pid] = run
    return dict(sorted(result.items()))


def facilitator_continuity(sessions) -> tuple[float | None, int]:
    """(share of held sessions with a facilitator who also led the previous one, number of changes).

    Only held sessions that have a previous held session count; a change is
    any difference in the set of facilitators between two held sessions in a row.
    """
    rows = held(sessions)
    pairs = list(zip(rows, rows[1:]))
    if not pairs:
        return None, 0
    kept = sum(1 for prev, cur in pairs if set(prev.facilitators) & set(cur.facilitators))
    changes = sum(1 for prev, cur in pairs if set(prev.facilitators) != set(cur.facilitators))
    return round(kept / len(pairs), 3), changes


def waitlist_figures(participants, on: date) -> dict:
    """Length of the waitlist on ``on`` and how long those people have waited (days)."""
    waiting = [p for p in participants if p.registered_on <= on
               and (p.status == "waitlist" and p.left_waitlist_on is None
                    or p.left_waitlist_on is not None and p.left_waitlist_on > on)]
    days = [(on - p.registered_on).days for p in waiting]
    return {"waitlist_length": len(waiting),
            "waiting_days_average": round(sum(days) / len(days), 1) if days else None,
            "waiting_days_max": max(days) if days else None}


# -- reading the rows ---------------------------------------------------------

def load_rows(group: Group, start: date, end: date):
    """Sessions, attendance and participants of one group and period (both ends inclusive)."""
    lo = datetime.combine(start, datetime.min.time())
    hi = datetime.combine(end, datetime.min.time()) + timedelta(days=1)
    sessions = db.session.execute(db.select(Session).where(
        Session.group_id == group.id, Session.starts_at >= lo, Session.starts_at < hi)).scalars().all()
    session_rows = [SessionRow(s.id, s.starts_at, s.status, frozenset(e.code for e in s.facilitators))
                    for s in sessions]
    ids = [s.id for s in sessions]
    attendance_rows = [AttendanceRow(*r) for r in db.session.execute(
        db.select(Attendance.session_id, Attendance.participant_id, Attendance.status).where(
            Attendance.session_id.in_(ids)))] if ids else []
    participant_rows = [ParticipantRow(*r) for r in db.session.execute(
        db.select(Participant.id, Participant.name, Participant.status, Participant.registered_on,
                  Participant.left_waitlist_on).where(Participant.group_id == group.id))]
    return session_rows, attendance_rows, participant_rows


def group_stats(group: Group, start: date, end: date, absence_alert: int = DEFAULT_ABSENCE_ALERT) -> dict:
    """Every figure of one group and period, ready for a page, JSON or CSV."""
    sessions, attendance, participants = load_rows(group, start, end)
    names = {p.id: p.name for p in participants}
    rng = attendance_range(sessions, attendance)
    share, changes = facilitator_continuity(sessions)
    return {
        "group": group.slug, "period": {"start": start.isoformat(), "end": end.isoformat()},
        "sessions_held": sessions_held(sessions),
        "sessions_cancelled": sessions_cancelled(sessions),
        "distinct_participants": distinct_participants(sessions, attendance),
        "average_attendance": average_attendance(sessions, attendance),
        "attendance_min": rng[0] if rng else None,
        "attendance_max": rng[1] if rng else None,
        "attendance_per_session": [{"date": s.starts_at.date().isoformat(), "present": n}
                                   for s, n in attendance_per_session(sessions, attendance)],
        "attendance_rate": [{"participant": names.get(pid, str(pid)), "rate": rate}
                            for pid, rate in attendance_rate_per_member(sessions, attendance).items()],
        "consecutive_absences": [{"participant": names.get(pid, str(pid)), "absences": run} for pid, run in
                                 consecutive_absences(sessions, attendance, participants, absence_alert).items()],
        "absence_alert_after": absence_alert,
        **waitlist_figures(participants, end),
        "facilitator_continuity": share,
        "facilitator_changes": changes,
    }


STATS_CSV_FIELDS = ("group", "start", "end", "sessions_held", "sessions_cancelled", "distinct_participants",
                    "average_attendance", "attendance_min", "attendance_max", "waitlist_length",
                    "waiting_days_average", "waiting_days_max", "facilitator_continuity", "facilitator_changes",
                    "members_with_consecutive_absences")


def stats_csv_row(stats: dict) -> dict:
    """The aggregated figures as one flat row (no names)."""
    flat = {k: stats.get(k) for k in STATS_CSV_FIELDS}
    flat.update(start=stats["period"]["start"], end=stats["period"]["end"],
                members_with_consecutive_absences=len(stats["consecutive_absences"]))
    return {k: ("" if v is None else v) for k, v in flat.items()}


def groups_of(region_id: int) -> list[Group]:
    return list(db.session.execute(db.select(Group).where(Group.region_id == region_id).order_by(Group.name)).scalars())


def report(region: Region, period) -> dict:
    """Per group: sessions held, different participants, average attendance (no names)."""
    groups = {}
    for group in groups_of(region.id):
        figures = group_stats(group, period.start, period.end)
        groups[group.slug] = {"name": group.name, "sessions_held": figures["sessions_held"],
                              "sessions_cancelled": figures["sessions_cancelled"],
                              "distinct_participants": figures["distinct_participants"],
                              "average_attendance": figures["average_attendance"]}
    return {"groups": groups,
            "sessions_held": sum(g["sessions_held"] for g in groups.values()),
            "distinct_participants": sum(g["distinct_participants"] for g in groups.values())}



def worked(region: Region, expert: Expert, period) -> list[WorkItem]:
    """The sessions held in the period with ``expert`` as a facilitator: the session itself
    (its time and the group's load, so the planning round rates it like the planned slot)
    and the group's preparation time as a row of its own."""
    start = datetime.combine(period.start, datetime.min.time())
    end = datetime.combine(period.end, datetime.min.time()) + timedelta(days=1)
    sessions = db.session.execute(db.select(Session).join(Group).join(
        session_facilitator, session_facilitator.c.session_id == Session.id).where(
        Group.region_id == region.id, session_facilitator.c.expert_id == expert.id, Session.status == "held",
        Session.starts_at >= start, Session.starts_at < end).order_by(Session.starts_at, Session.id)).scalars()
    items = []
    for session in sessions:
        group = session.group
        hours = round((session.ends_at - session.starts_at).total_seconds() / 3600, 2)
        load = float(group.load if group.load is not None else 3)
        items.append(WorkItem(day=session.starts_at.date(), hours=hours, activity=PLUGIN, label=group.name,
                              source=demand_id(PLUGIN, "session", session.id), load=load, start=session.starts_at))
        if group.prep_minutes:
            items.append(WorkItem(day=session.starts_at.date(), hours=round(group.prep_minutes / 60, 2),
                                  activity="preparation", label=group.name,
                                  source=demand_id(PLUGIN, "preparation", session.id)))
    return items
