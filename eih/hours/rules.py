"""Every rule of the timesheets, blocked hours and light weeks: one named function
each, raising :class:`eih.rules.RuleError`. Pages and the CLI call these and never
re-implement one. The caller commits; nothing is changed when a rule refuses.

Who may act is checked by the pages (an expert only for themselves, the lead for
the region); these rules check the state of the week.
"""
from __future__ import annotations

from datetime import date, timedelta

from .. import audit, clock
from ..extensions import db
from ..models import Expert, Municipality, Partner, utcnow
from ..rules import N_, RuleError
from .models import OWN_ACTIVITIES, Block, Entry, LightWeek, Timesheet
from .work import entry_of_row, monday_of, recorded, row_of_item, week_period, week_rows

DAY_HOURS = 24  # a day has no more hours than this, whatever is written
BLOCK_MAX_HOURS = 40
COMMENT_MAX = 2000


def timesheet(expert: Expert, monday: date, create: bool = False) -> Timesheet | None:
    """The expert's timesheet of the week starting ``monday``; made (open) when ``create``."""
    sheet = db.session.execute(db.select(Timesheet).filter_by(expert_id=expert.id, week_start=monday)
                               ).scalar_one_or_none()
    if sheet is None and create:
        sheet = Timesheet(region_id=expert.region_id, expert_id=expert.id, week_start=monday, status="open")
        db.session.add(sheet)
        db.session.flush()
    return sheet


# -- the expert's own rows -----------------------------------------------------------

def check_expert_may_change(sheet: Timesheet | None) -> None:
    """An expert changes a week only while it is open or returned."""
    if sheet is not None and sheet.locked:
        raise RuleError(N_("This week is submitted; only the project lead can change it now."))


def check_day_in_week(day: date | None, monday: date) -> None:
    if day is None or not (monday <= day <= monday + timedelta(days=6)):
        raise RuleError(N_("Choose a day of this week."))


def check_hours(hours: float | None) -> None:
    if hours is None or not (0 < hours <= DAY_HOURS):
        raise RuleError(N_("Enter the hours as a number above 0 and at most %(max)s."), max=DAY_HOURS)


def check_day_total(expert: Expert, day: date, hours: float) -> None:
    """A day holds at most 24 hours, counting what is on the timesheet already."""
    already = sum(r.hours for r in week_rows(expert, monday_of(day)) if r.day == day)
    if already + hours > DAY_HOURS + 1e-9:
        raise RuleError(N_("%(day)s would have more than %(max)s hours (%(hours)s already)."),
                        day=day.strftime("%d-%m-%Y"), max=DAY_HOURS, hours=round(already, 2))


def check_region_choice(expert: Expert, municipality: Municipality | None, partner: Partner | None) -> None:
    if municipality is not None and municipality.region_id != expert.region_id:
        raise RuleError(N_("Choose a municipality of your own region."))
    if partner is not None and partner.region_id != expert.region_id:
        raise RuleError(N_("Choose a partner organisation of your own region."))


def add_row(expert: Expert, monday: date, *, day: date | None, hours: float | None, activity: str, label: str = "",
            municipality: Municipality | None = None, partner: Partner | None = None, user=None,
            by_lead: bool = False) -> Entry:
    """Another piece of work on the week's timesheet (travel, training, time off in lieu, ...).

    The expert only while the week is open or returned; the lead at any time, and a
    change to an approved week is written to the access log as such."""
    sheet = timesheet(expert, monday)
    if not by_lead:
        check_expert_may_change(sheet)
    check_day_in_week(day, monday)
    check_hours(hours)
    if activity not in OWN_ACTIVITIES:
        raise RuleError(N_("Choose what kind of work it was."))
    if len(label or "") > 200:
        raise RuleError(N_("Describe it in at most 200 characters."))
    check_region_choice(expert, municipality, partner)
    check_day_total(expert, day, hours)
    sheet = sheet or timesheet(expert, monday, create=True)
    entry = Entry(day=day, hours=round(float(hours), 2), activity=activity, label=(label or "").strip(),
                  origin="own", municipality_id=municipality.id if municipality else None,
                  partner_id=partner.id if partner else None)
    sheet.entries.append(entry)
    db.session.flush()
    audit.record("create", entry, object_type="TimesheetEntry", region_id=sheet.region_id, user=user,
                 detail=_after_approval(sheet, "add row"))
    return entry


def delete_row(entry: Entry, user=None, by_lead: bool = False) -> None:
    """Take a row off. The expert only their own rows of an open or returned week;
    the lead any stored row (records are stored once the week is submitted)."""
    sheet = entry.timesheet
    if not by_lead:
        check_expert_may_change(sheet)
        if entry.origin != "own":
            raise RuleError(N_("This row comes from a record; correct the record itself."))
    audit.record("delete", entry, object_type="TimesheetEntry", region_id=sheet.region_id, user=user,
                 detail=_after_approval(sheet, "delete row"))
    sheet.entries.remove(entry)
    db.session.delete(entry)
    db.session.flush()


def _after_approval(sheet: Timesheet, what: str) -> str:
    return f"{what} after approval of {sheet.week_start:%G-W%V}" if sheet.status == "approved" else what


# -- submit, return, approve -----------------------------------------------------------

def submit(expert: Expert, monday: date, user=None, today: date | None = None) -> Timesheet:
    """The expert hands in the week: the records of the week are stored with their own
    rows, and the week is locked for them until the lead returns it."""
    today = today or clock.today()
    sheet = timesheet(expert, monday)
    check_expert_may_change(sheet)
    if monday > today:
        raise RuleError(N_("A week can be submitted once it has begun."))
    sheet = sheet or timesheet(expert, monday, create=True)
    for item in recorded(expert, week_period(monday)):
        sheet.entries.append(entry_of_row(row_of_item(item)))
    sheet.status, sheet.submitted_at, sheet.comment = "submitted", utcnow(), ""
    db.session.flush()
    audit.record("update", sheet, object_type="Timesheet", region_id=sheet.region_id, user=user,
                 detail="fields: status (submitted)")
    return sheet


def check_submitted(sheet: Timesheet) -> None:
    if sheet.status != "submitted":
        raise RuleError(N_("Only a submitted week can be approved or returned."))


def approve(sheet: Timesheet, user=None) -> None:
    """The lead approves a submitted week; it is locked from then on."""
    check_submitted(sheet)
    sheet.status, sheet.decided_at, sheet.decided_by_id = "approved", utcnow(), getattr(user, "id", None)
    audit.record("update", sheet, object_type="Timesheet", region_id=sheet.region_id, user=user,
                 detail="fields: status (approved)")


def return_week(sheet: Timesheet, comment: str, user=None) -> None:
    """The lead sends a submitted week back with a comment; the expert can change it again
    and its records are read live again."""
    check_submitted(sheet)
    comment = (comment or "").strip()
    if not comment:
        raise RuleError(N_("Say in a comment what the expert should change."))
    if len(comment) > COMMENT_MAX:
        raise RuleError(N_("Keep the comment under %(max)s characters."), max=COMMENT_MAX)
    for entry in [e for e in sheet.entries if e.origin == "record"]:
        sheet.entries.remove(entry)
        db.session.delete(entry)
    sheet.status, sheet.comment = "returned", comment
    sheet.decided_at, sheet.decided_by_id = utcnow(), getattr(user, "id", None)
    audit.record("update", sheet, object_type="Timesheet", region_id=sheet.region_id, user=user,
                 detail="fields: status (returned), comment")


# -- blocked hours and light weeks, for the planning round ------------------------------------

def check_week_ahead(monday: date, today: date | None = None) -> None:
    """Plans are made for this week and later: the past cannot be blocked or lightened."""
    if monday + timedelta(days=6) < (today or clock.today()):
        raise RuleError(N_("Choose this week or a later one."))


def add_block(expert: Expert, monday: date, hours: float | None, description: str, user=None,
              today: date | None = None) -> Block:
    """Keep hours of an expert's week for other work; the planning round counts them."""
    check_week_ahead(monday, today)
    if hours is None or not (0 < hours <= BLOCK_MAX_HOURS):
        raise RuleError(N_("Enter the hours as a number above 0 and at most %(max)s."), max=BLOCK_MAX_HOURS)
    description = (description or "").strip()
    if not description or len(description) > 120:
        raise RuleError(N_("Describe the other work in a few words (at most 120 characters)."))
    block = Block(region_id=expert.region_id, expert_id=expert.id, week_start=monday, hours=round(float(hours), 2),
                  description=description, created_by_id=getattr(user, "id", None))
    db.session.add(block)
    db.session.flush()
    audit.record("create", block, object_type="HoursBlock", region_id=expert.region_id, user=user)
    return block


def delete_block(block: Block, user=None, today: date | None = None) -> None:
    check_week_ahead(block.week_start, today)
    audit.record("delete", block, object_type="HoursBlock", region_id=block.region_id, user=user)
    db.session.delete(block)
    db.session.flush()


def mark_light_week(expert: Expert, monday: date, note: str = "", user=None, today: date | None = None) -> LightWeek:
    """A week of lighter work: the planning round gives the expert no heavy demands."""
    check_week_ahead(monday, today)
    if len((note or "").strip()) > 200:
        raise RuleError(N_("Keep the note under %(max)s characters."), max=200)
    if db.session.execute(db.select(LightWeek).filter_by(expert_id=expert.id, week_start=monday)
                          ).scalar_one_or_none() is not None:
        raise RuleError(N_("This week is a light week already."))
    row = LightWeek(region_id=expert.region_id, expert_id=expert.id, week_start=monday, note=(note or "").strip(),
                    created_by_id=getattr(user, "id", None))
    db.session.add(row)
    db.session.flush()
    audit.record("create", row, object_type="LightWeek", region_id=expert.region_id, user=user)
    return row


def unmark_light_week(row: LightWeek, user=None, today: date | None = None) -> None:
    check_week_ahead(row.week_start, today)
    audit.record("delete", row, object_type="LightWeek", region_id=row.region_id, user=user)
    db.session.delete(row)
    db.session.flush()


def blocks_in(region_id: int, first: date, last: date) -> list[Block]:
    """The blocked hours of the region's weeks that overlap ``first``..``last``."""
    return list(db.session.execute(db.select(Block).where(
        Block.region_id == region_id, Block.week_start >= monday_of(first), Block.week_start <= last)
        .order_by(Block.week_start, Block.expert_id, Block.id)).scalars())


def light_weeks_in(region_id: int, first: date, last: date) -> list[LightWeek]:
    return list(db.session.execute(db.select(LightWeek).where(
        LightWeek.region_id == region_id, LightWeek.week_start >= monday_of(first), LightWeek.week_start <= last)
        .order_by(LightWeek.week_start, LightWeek.expert_id)).scalars())
