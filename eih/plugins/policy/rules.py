"""The policy rules, one named function each: tables, meetings (preliminary talk,
experts, held, cancelled), the rotation of experts, and contributions with what
became of them.

Views, the CLI, the demo and the scheduler hooks call these; none re-implements
a rule. A refused step raises RuleError (the core's, ``eih.rules``) with a
message the user can act on; nothing is changed then. The caller commits.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from ...extensions import db
from ...models import Expert, Region, split_list
from ...plugins import plugin_settings
from ...rules import N_, RuleError
from .models import (
    CONTRIBUTION_KINDS,
    DEFAULT_SETTINGS,
    KINDS,
    LEVELS,
    OUTCOMES,
    PERSPECTIVES,
    PLUGIN,
    PolicyContribution,
    PolicyMeeting,
    PolicyTable,
)

MAX_MEETING_HOURS = 12


def settings(region: Region | int) -> dict:
    """The region's policy settings: the defaults, overridden by what was set there."""
    return plugin_settings(region, PLUGIN, DEFAULT_SETTINGS)


def _region_id(region: Region | int) -> int:
    return region if isinstance(region, int) else region.id


# -- tables ----------------------------------------------------------------------------------

def check_table(table: PolicyTable) -> None:
    table.name = (table.name or "").strip()
    table.organisation = (table.organisation or "").strip()
    if not table.name:
        raise RuleError(N_("Give the table a name."))
    if table.level not in LEVELS:
        raise RuleError(N_("Choose a level: strategic, tactical or operational."))
    if table.kind not in KINDS:
        raise RuleError(N_("Choose a kind from the list."))
    table.perspective = table.perspective or ""
    if table.perspective not in PERSPECTIVES:
        raise RuleError(N_("Choose a perspective from the list."))
    if not 1 <= (table.experts_needed or 0) <= 4:
        raise RuleError(N_("A meeting needs 1 to 4 experts."))
    if not 0 <= (table.preparation_hours or 0) <= 40:
        raise RuleError(N_("Preparation lies between 0 and 40 hours."))
    if table.partner is not None and table.partner.region_id != table.region_id:
        raise RuleError(N_("Choose a partner organisation of this region."))
    table.preferred_specialties = ",".join(dict.fromkeys(t.lower() for t in split_list(table.preferred_specialties)))


# -- meetings --------------------------------------------------------------------------------

def check_meeting(meeting: PolicyMeeting) -> None:
    """A meeting of an active table of its own region, ending after it starts."""
    if meeting.table is None or meeting.table.region_id != meeting.region_id:
        raise RuleError(N_("Choose a table of this region."))
    if meeting.starts_at is None or meeting.ends_at is None or meeting.ends_at <= meeting.starts_at:
        raise RuleError(N_("The end must come after the start."))
    if meeting.ends_at - meeting.starts_at > timedelta(hours=MAX_MEETING_HOURS):
        raise RuleError(N_("A meeting lasts at most %(hours)s hours."), hours=MAX_MEETING_HOURS)
    if meeting.preparation_hours is not None and not 0 <= meeting.preparation_hours <= 40:
        raise RuleError(N_("Preparation lies between 0 and 40 hours."))


def plan_meeting(table: PolicyTable, starts_at: datetime, ends_at: datetime, place: str = "") -> PolicyMeeting:
    if not table.active:
        raise RuleError(N_("This table is not active."))
    meeting = PolicyMeeting(region_id=table.region_id, table=table, starts_at=starts_at, ends_at=ends_at,
                      place=(place or "").strip(), status="planned")
    check_meeting(meeting)
    db.session.add(meeting)
    return meeting


def plan_talk(meeting: PolicyMeeting, on: date | None) -> None:
    """Plan the preliminary talk about the kind of meeting and the contribution expected."""
    if meeting.status != "planned":
        raise RuleError(N_("Only a planned meeting has a preliminary talk."))
    if on is None:
        raise RuleError(N_("Give the date of the preliminary talk."))
    if meeting.talk_status == "done":
        raise RuleError(N_("The preliminary talk was held already."))
    meeting.talk_status, meeting.talk_on = "planned", on


def record_talk(meeting: PolicyMeeting, on: date | None, notes: str, today: date) -> None:
    """The preliminary talk was held: what kind of meeting, what contribution is expected."""
    if meeting.status != "planned":
        raise RuleError(N_("Only a planned meeting has a preliminary talk."))
    if on is None or on > today:
        raise RuleError(N_("A talk that was held has a date, not in the future."))
    if not (notes or "").strip():
        raise RuleError(N_("Write down what was agreed: the kind of meeting and the contribution expected."))
    meeting.talk_status, meeting.talk_on, meeting.talk_notes = "done", on, notes.strip()


def previous_meeting(meeting: PolicyMeeting) -> PolicyMeeting | None:
    """The table's last meeting before this one that experts went to (held, or planned with experts)."""
    earlier = db.session.execute(db.select(PolicyMeeting).where(
        PolicyMeeting.table_id == meeting.table_id, PolicyMeeting.starts_at < meeting.starts_at,
        PolicyMeeting.id != meeting.id, PolicyMeeting.status != "cancelled")
        .order_by(PolicyMeeting.starts_at.desc(), PolicyMeeting.id.desc())).scalars()
    return next((m for m in earlier if m.experts), None)


def went_last_time(meeting: PolicyMeeting) -> list[Expert]:
    previous = previous_meeting(meeting)
    return list(previous.experts) if previous is not None else []


def rotation_candidates(meeting: PolicyMeeting, experts: Sequence[Expert]) -> list[Expert]:
    """Rotation: of ``experts``, those who did not go to the table's previous meeting.

    With rotation off, or when nobody went before, the meeting's own experts
    (those set already) are kept instead.
    """
    last = {e.id for e in went_last_time(meeting)} if meeting.table.rotation else set()
    if not last:
        return list(meeting.experts)
    return [e for e in experts if e.id not in last]


def misfits(expert: Expert, table: PolicyTable) -> list[str]:
    """Why ``expert`` cannot go to ``table`` (source texts with ``%(name)s``; empty when they can)."""
    if table.perspective and table.perspective not in expert.tags("perspectives"):
        return [N_("%(name)s lacks the perspective the table asks for.")]
    return []


def region_experts(region: Region | int) -> list[Expert]:
    return list(db.session.execute(db.select(Expert).where(
        Expert.region_id == _region_id(region), Expert.active.is_(True)).order_by(Expert.id)).scalars())


def candidates(meeting: PolicyMeeting) -> list[dict]:
    """The region's active experts for a meeting: whether they fit and whether they
    went last time (rotation); those who fit and did not go last time first."""
    last = {e.id for e in went_last_time(meeting)}
    rows = []
    for expert in region_experts(meeting.region_id):
        rows.append({"expert": expert, "misfits": misfits(expert, meeting.table), "last_time": expert.id in last,
                     "chosen": expert in meeting.experts})
    rows.sort(key=lambda r: (bool(r["misfits"]), r["last_time"], r["expert"].name.lower()))
    return rows


def set_meeting_experts(meeting: PolicyMeeting, experts: Sequence[Expert]) -> bool:
    """The experts who go to a planned meeting; True when something changed."""
    if meeting.status != "planned":
        raise RuleError(N_("Only a planned meeting gets its experts."))
    if len(experts) > meeting.table.experts_needed:
        raise RuleError(N_("This meeting needs %(n)s expert(s), not more."), n=meeting.table.experts_needed)
    for expert in experts:
        if expert.region_id != meeting.region_id or not expert.active:
            raise RuleError(N_("%(name)s is not an active expert of this region."), name=expert.name)
        reasons = misfits(expert, meeting.table)
        if reasons:
            raise RuleError(reasons[0], name=expert.name)
    if [e.id for e in meeting.experts] == sorted(e.id for e in experts):
        return False
    meeting.experts = sorted(experts, key=lambda e: e.id)
    return True


def record_held(meeting: PolicyMeeting, attended: Sequence[Expert], today: date) -> None:
    """The meeting took place: who of the team attended (may differ from the plan)."""
    if meeting.status != "planned":
        raise RuleError(N_("Only a planned meeting can be marked as held."))
    if meeting.starts_at.date() > today:
        raise RuleError(N_("A meeting in the future cannot have been held yet."))
    if not attended:
        raise RuleError(N_("Mark who attended; a meeting nobody of the team attended is cancelled instead."))
    if any(e.region_id != meeting.region_id for e in attended):
        raise RuleError(N_("Choose experts of this region."))
    meeting.status, meeting.experts = "held", sorted(attended, key=lambda e: e.id)


def cancel_meeting(meeting: PolicyMeeting, reason: str) -> None:
    if meeting.status != "planned":
        raise RuleError(N_("Only a planned meeting can be cancelled."))
    if not (reason or "").strip():
        raise RuleError(N_("Give a reason for the cancellation."))
    meeting.status, meeting.cancel_reason, meeting.experts = "cancelled", reason.strip(), []


# -- contributions ----------------------------------------------------------------------------

def check_contribution(contribution: PolicyContribution, today: date) -> None:
    """Oral or written advice at a table of its region, given on a date not in the future."""
    contribution.topic = (contribution.topic or "").strip()
    if contribution.table is None or contribution.table.region_id != contribution.region_id:
        raise RuleError(N_("Choose a table of this region."))
    if contribution.meeting is not None and contribution.meeting.table_id != contribution.table.id:
        raise RuleError(N_("The meeting belongs to another table."))
    if contribution.kind not in CONTRIBUTION_KINDS:
        raise RuleError(N_("Choose oral or written advice."))
    if not contribution.topic:
        raise RuleError(N_("Give the topic of the advice."))
    if contribution.given_on is None or contribution.given_on > today:
        raise RuleError(N_("Give the date the advice was given (not in the future)."))
    if not 0 <= (contribution.hours or 0) <= 80:
        raise RuleError(N_("Hours lie between 0 and 80."))
    if contribution.outcome not in OUTCOMES:
        raise RuleError(N_("Choose what became of the advice from the list."))
    if contribution.outcome != "unknown" and contribution.outcome_on is None:
        contribution.outcome_on = today
    if contribution.outcome_on is not None and contribution.outcome_on < contribution.given_on:
        raise RuleError(N_("What became of the advice is known after it was given."))
    if any(e.region_id != contribution.region_id for e in contribution.experts):
        raise RuleError(N_("Choose experts of this region."))


def open_outcomes(region: Region | int) -> list[PolicyContribution]:
    """Contributions whose outcome is not known yet, oldest first."""
    return list(db.session.execute(db.select(PolicyContribution).where(
        PolicyContribution.region_id == _region_id(region), PolicyContribution.outcome == "unknown")
        .order_by(PolicyContribution.given_on)).scalars())


def plan_series(table: PolicyTable, first: datetime, minutes: int, every_weeks: int, count: int,
                place: str = "") -> list[PolicyMeeting]:
    """Plan ``count`` meetings of a table every ``every_weeks`` weeks from ``first``;
    a day on which the table already has a meeting is skipped (idempotent)."""
    if not 1 <= count <= 52 or not 1 <= every_weeks <= 52:
        raise RuleError(N_("Plan 1 to 52 meetings, every 1 to 52 weeks."))
    if not 15 <= minutes <= MAX_MEETING_HOURS * 60:
        raise RuleError(N_("A meeting lasts between 15 minutes and %(hours)s hours."), hours=MAX_MEETING_HOURS)
    taken = {m.starts_at.date() for m in table.meetings}
    created = []
    for k in range(count):
        start = first + timedelta(weeks=every_weeks * k)
        if start.date() in taken:
            continue
        created.append(plan_meeting(table, start, start + timedelta(minutes=minutes), place))
    db.session.flush()
    return created
