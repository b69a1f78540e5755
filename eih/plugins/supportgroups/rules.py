"""The business rules of support groups, one named function each.

Views, the CLI, the import and the scheduler hooks call these; none of them
re-implements a rule. A broken rule raises RuleError (the core's,
``eih.rules``) with a message the user can act on; the caller commits.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import gettext as _

from ... import audit, clock
from ...extensions import db
from ...models import Expert, Region, utcnow
from ...plugins import plugin_settings
from ...rules import N_, RuleError
from .models import (
    ATTENDANCE_STATUSES,
    DEFAULT_SETTINGS,
    PLUGIN,
    Attendance,
    Group,
    NoSessionDate,
    Participant,
    Session,
    group_facilitator,
    session_facilitator,
)

MANAGERS = ("lead", "coordinator")
DEFAULT_LATE_DAYS = DEFAULT_SETTINGS["late_days"]


def settings(region: Region | int) -> dict:
    """The support-group settings of a region (defaults in models.DEFAULT_SETTINGS)."""
    return plugin_settings(region, PLUGIN, DEFAULT_SETTINGS)


# -- who may see what ---------------------------------------------------------

def may_manage(user) -> bool:
    """The coordinator (and the lead, a small team) manage every group of their region."""
    return bool(user and user.is_authenticated and user.role in MANAGERS)


def expert_of(user) -> Expert | None:
    return user.expert if user and user.is_authenticated and user.role == "expert" else None


def facilitated_group_ids(expert: Expert) -> set[int]:
    """Groups an expert regularly leads, or where they lead at least one session."""
    regular = db.session.execute(db.select(group_facilitator.c.group_id).where(
        group_facilitator.c.expert_id == expert.id)).scalars()
    sessions = db.session.execute(db.select(Session.group_id).join(
        session_facilitator, session_facilitator.c.session_id == Session.id).where(
        session_facilitator.c.expert_id == expert.id)).scalars()
    return set(regular) | set(sessions)


def visible_group_ids(user) -> set[int] | None:
    """None = every group of the user's region; else the only groups this user may see."""
    if may_manage(user):
        return None
    expert = expert_of(user)
    return facilitated_group_ids(expert) if expert else set()


def can_see_group(user, group: Group) -> bool:
    """A participant's data is for the coordinator and that group's facilitators only."""
    if group is None or user.region_id != group.region_id:
        return False
    ids = visible_group_ids(user)
    return ids is None or group.id in ids


def may_fill_register(user, session: Session) -> bool:
    """The coordinator, or an expert who leads this session or this group."""
    if not can_see_group(user, session.group):
        return False
    if may_manage(user):
        return True
    expert = expert_of(user)
    return bool(expert) and (expert in session.facilitators or expert in session.group.facilitators)


# -- groups ---------------------------------------------------------------------

def check_group(group: Group, region_id: int) -> None:
    """A group's settings fit together: a unique short name, a start, a cadence, room and a load."""
    group.slug = (group.slug or "").strip().lower()
    if not group.slug or not all(c.isalnum() or c == "-" for c in group.slug):
        raise RuleError(N_("The short name may contain only letters, digits and dashes."))
    clash = db.session.query(Group.id).filter(Group.region_id == region_id, Group.slug == group.slug,
                                              Group.id != (group.id or 0)).first()
    if clash:
        raise RuleError(N_("Another group already uses this short name."))
    group.target_gender = group.target_gender or None
    group.perspective = group.perspective or None
    if group.active_from is None:
        raise RuleError(N_("Give the date the group starts."))
    if group.active_until and group.active_until < group.active_from:
        raise RuleError(N_("The series cannot end before it starts."))
    if group.cadence == "custom":
        parse_custom_dates(group.custom_dates)
    if (group.capacity or 0) < 1 or (group.duration_minutes or 0) < 15:
        raise RuleError(N_("Capacity must be at least 1 and a session at least 15 minutes."))
    if group.load is None or not 0 <= group.load <= 10:
        raise RuleError(N_("The load lies between 0 and 10."))
    if any(e.region_id != region_id for e in group.facilitators):
        raise RuleError(N_("Facilitators must belong to the group's region."))


# -- sessions -----------------------------------------------------------------

def parse_custom_dates(text: str) -> list[date]:
    result = []
    for part in (text or "").replace(";", ",").replace("\n", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            result.append(date.fromisoformat(part))
        except ValueError:
            raise RuleError(N_("Not a date: %(value)s (use YYYY-MM-DD)."), value=part) from None
    return sorted(set(result))


def cadence_dates(group: Group, start: date, end: date, skip: set[date] | frozenset = frozenset()) -> list[date]:
    """The meeting dates of ``group`` from ``start`` to ``end`` (inclusive), minus ``skip``.

    Every two weeks counts from the group's first meeting day on or after
    ``active_from``, so the rhythm does not shift with the period asked for.
    """
    first = max(start, group.active_from)
    last = min(end, group.active_until) if group.active_until else end
    if first > last:
        return []
    if group.cadence == "custom":
        dates = [d for d in parse_custom_dates(group.custom_dates) if first <= d <= last]
    else:
        step = 14 if group.cadence == "biweekly" else 7
        anchor = group.active_from + timedelta(days=(group.weekday - group.active_from.weekday()) % 7)
        offset = (first - anchor).days
        day = anchor + timedelta(days=max(0, -(-offset // step)) * step) if offset > 0 else anchor
        dates = []
        while day <= last:
            dates.append(day)
            day += timedelta(days=step)
    return [d for d in dates if d not in skip]


def session_times(group: Group, day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, group.start_time)
    return start, start + timedelta(minutes=group.duration_minutes)


def sessions_on(group: Group, day: date) -> list[Session]:
    start = datetime.combine(day, datetime.min.time())
    return list(db.session.execute(db.select(Session).where(
        Session.group_id == group.id, Session.starts_at >= start,
        Session.starts_at < start + timedelta(days=1))).scalars())


def generate_sessions(group: Group, start: date, end: date) -> list[Session]:
    """Planned sessions from the cadence; skips no-session dates and dates that already have one."""
    if end < start:
        raise RuleError(N_("The end of the period comes before its start."))
    if (end - start).days > 366:
        raise RuleError(N_("Generate at most one year of sessions at a time."))
    skip = {n.date for n in group.no_session_dates}
    created = []
    for day in cadence_dates(group, start, end, skip):
        if sessions_on(group, day):
            continue
        starts_at, ends_at = session_times(group, day)
        session = Session(group=group, starts_at=starts_at, ends_at=ends_at, status="planned")
        db.session.add(session)
        created.append(session)
    db.session.flush()
    return created


def check_no_session_date(mark: NoSessionDate) -> None:
    """A no-session date needs its date, once per group."""
    if mark.date is None:
        raise RuleError(N_("Give the date."))
    clash = db.session.query(NoSessionDate.id).filter(
        NoSessionDate.group_id == mark.group.id, NoSessionDate.date == mark.date,
        NoSessionDate.id != (mark.id or 0)).first()
    if clash:
        raise RuleError(N_("That date is already marked as no session."))


def mark_no_session(group: Group, day: date, reason: str = "") -> NoSessionDate:
    """No meeting that day: planned sessions on it are cancelled, future generation skips it."""
    existing = next((n for n in group.no_session_dates if n.date == day), None)
    mark = existing or NoSessionDate(group=group, date=day, reason=reason[:200])
    db.session.add(mark)
    for session in sessions_on(group, day):
        if session.status == "planned":
            cancel_session(session, reason or _("no session on this date"))
    db.session.flush()
    return mark


def cancel_session(session: Session, reason: str) -> None:
    """A cancellation keeps its reason; a held session with a register cannot be cancelled."""
    reason = (reason or "").strip()
    if not reason:
        raise RuleError(N_("Give a reason for the cancellation."))
    if session.attendance:
        raise RuleError(N_("This session has an attendance register; it cannot be cancelled."))
    session.status = "cancelled"
    session.cancel_reason = reason[:200]


def check_session(session: Session) -> None:
    """Status, times, reason and facilitators of a session are consistent."""
    if session.ends_at is None or session.starts_at is None or session.ends_at <= session.starts_at:
        raise RuleError(N_("The session must end after it starts."))
    if session.status == "cancelled" and not (session.cancel_reason or "").strip():
        raise RuleError(N_("Give a reason for the cancellation."))
    if session.status != "cancelled":
        session.cancel_reason = ""
    if session.status == "cancelled" and session.attendance:
        raise RuleError(N_("This session has an attendance register; it cannot be cancelled."))
    check_facilitators(session, session.facilitators)


def check_facilitators(session: Session, experts: list[Expert]) -> None:
    """At most the group's number of facilitators per session, all of the group's region."""
    group = session.group
    if len(experts) > group.facilitators_per_session:
        raise RuleError(N_("This group has %(n)s facilitator(s) per session; you chose %(m)s."),
                        n=group.facilitators_per_session, m=len(experts))
    if any(e.region_id != group.region_id for e in experts):
        raise RuleError(N_("Facilitators must belong to the group's region."))


def set_facilitators(session: Session, experts: list[Expert]) -> bool:
    """Replace a session's facilitators; True when something changed."""
    check_facilitators(session, experts)
    if {e.id for e in session.facilitators} == {e.id for e in experts}:
        return False
    session.facilitators = list(experts)
    return True


# -- participants --------------------------------------------------------------

def check_participant_name(group: Group, name: str, surname: str | None) -> tuple[str, str | None]:
    """A first name or pseudonym; first-name-only groups (AA style) never store a surname."""
    name = " ".join((name or "").split())
    surname = " ".join((surname or "").split()) or None
    if not name:
        raise RuleError(N_("Give a first name or pseudonym."))
    if len(name) > 60:
        raise RuleError(N_("A first name or pseudonym has at most 60 characters."))
    if group.first_name_only:
        if surname:
            raise RuleError(N_("This group stores first names only: leave the surname empty."))
        if " " in name:
            raise RuleError(N_("This group stores first names only: give one first name, no surname."))
    return name, surname


def apply_first_name_only(group: Group) -> int:
    """Switching a group to first-name-only erases every surname it holds."""
    if not group.first_name_only:
        return 0
    wiped = 0
    for participant in group.participants:
        if participant.surname:
            participant.surname = None
            wiped += 1
    return wiped


def waitlist(group: Group) -> list[Participant]:
    """First come, first served; the coordinator's override (rank) goes first."""
    waiting = [p for p in group.participants if p.status == "waitlist"]
    return sorted(waiting, key=lambda p: (p.waitlist_rank is None, p.waitlist_rank or 0, p.registered_on, p.id))


def put_first_on_waitlist(participant: Participant) -> None:
    """The coordinator's override: this person goes before everyone waiting."""
    if participant.status != "waitlist":
        raise RuleError(N_("Only someone on the waitlist can be moved up."))
    ranks = [p.waitlist_rank for p in participant.group.participants
             if p.status == "waitlist" and p.waitlist_rank is not None and p is not participant]
    participant.waitlist_rank = min(ranks, default=1) - 1


TRANSITIONS = {
    "waitlist": ("intake", "member", "left"),
    "intake": ("member", "left", "waitlist"),
    "member": ("left",),
    "left": ("waitlist",),
}


def member_count(group: Group) -> int:
    return sum(1 for p in group.participants if p.status == "member")


def check_may_join(participant: Participant, on: date) -> None:
    """Before someone becomes a member: the get-acquainted talk, room, an open group."""
    group = participant.group
    if group.intro_required and participant.intro_status != "done":
        raise RuleError(N_("%(name)s first needs the get-acquainted talk (marked done)."), name=participant.name)
    if member_count(group) >= group.capacity:
        raise RuleError(N_("The group is full (%(n)s members)."), n=group.capacity)
    if not group.is_open and any(s.status == "held" and s.date < on for s in group.sessions):
        raise RuleError(N_("This is a closed group: it takes no newcomers once it has started."))


def save_participant(participant: Participant, old_status: str, today: date) -> None:
    """A participant entered or edited on a form: the name rule, then the step from ``old_status``
    to the status chosen (a new participant starts on the waitlist)."""
    participant.name, participant.surname = check_participant_name(participant.group, participant.name,
                                                                   participant.surname)
    if participant.registered_on is None:
        participant.registered_on = today
    new, participant.status = participant.status, old_status
    on = (participant.left_on or today) if new == "left" else today
    change_status(participant, new, on, participant.left_reason)


def change_status(participant: Participant, new: str, on: date, reason: str = "") -> None:
    """waitlist -> intake -> member -> left, with the date (and, for leaving, the reason)."""
    old = participant.status
    if new == old:
        return
    if new not in TRANSITIONS.get(old, ()):
        raise RuleError(N_("A participant cannot go from %(old)s to %(new)s."), old=old, new=new)
    if new == "member":
        check_may_join(participant, on)
        participant.joined_on = on
    if new == "left":
        if not (reason or "").strip():
            raise RuleError(N_("Give a reason for leaving."))
        participant.left_on = on
        participant.left_reason = reason.strip()[:200]
    if old == "waitlist":
        participant.left_waitlist_on = on
        participant.waitlist_rank = None
    if new == "waitlist":
        participant.registered_on = on
        participant.left_waitlist_on = None
    participant.status = new


# -- attendance register ----------------------------------------------------------

def register_participants(session: Session) -> list[Participant]:
    """Who is on a session's register: the members then, plus anyone already recorded."""
    recorded = {a.participant_id for a in session.attendance}
    day = session.date
    people = [p for p in session.group.participants
              if p.id in recorded or (p.status == "member" and (p.joined_on is None or p.joined_on <= day))
              or (p.status == "left" and p.joined_on and p.joined_on <= day and p.left_on and p.left_on > day)]
    return sorted(people, key=lambda p: (p.name.lower(), p.id))


def is_late_correction(session: Session, today: date, late_days: int | None = DEFAULT_LATE_DAYS) -> bool:
    """A change after the first save, or to a session more than ``late_days`` ago (None: no age rule)."""
    if session.register_saved_at is not None:
        return True
    return late_days is not None and (today - session.date).days > late_days


def record_attendance(session: Session, marks: dict[int, str], user=None, today: date | None = None,
                      late_days: int | None = DEFAULT_LATE_DAYS) -> int:
    """Save a register; the session counts as held. Returns the number of changed marks.

    Late corrections are allowed and audited as such.
    """
    today = today or clock.today()
    if session.status == "cancelled":
        raise RuleError(N_("This session was cancelled; it has no register."))
    if session.date > today:
        raise RuleError(N_("This session has not taken place yet."))
    allowed = {p.id for p in register_participants(session)}
    for participant_id, status in marks.items():
        if participant_id not in allowed:
            raise RuleError(N_("Someone on this register is not a member of this group."))
        if status not in ATTENDANCE_STATUSES:
            raise RuleError(N_("Unknown attendance: %(value)s (present, absent-notice, absent)."), value=status)
    late = is_late_correction(session, today, late_days)
    existing = {a.participant_id: a for a in session.attendance}
    changed = 0
    for participant_id, status in sorted(marks.items()):
        row = existing.get(participant_id)
        if row is None:
            db.session.add(Attendance(session=session, participant_id=participant_id, status=status))
            changed += 1
        elif row.status != status:
            row.status = status
            changed += 1
    first_save = session.register_saved_at is None
    session.status = "held"
    session.cancel_reason = ""
    if first_save:
        session.register_saved_at = utcnow()
    if changed or first_save:
        detail = "late correction" if late and changed else "attendance"
        audit.record("update" if not first_save or late else "create", session, object_type="SupportGroupSession",
                     region_id=session.group.region_id, detail=detail, user=user)
    db.session.flush()
    return changed
