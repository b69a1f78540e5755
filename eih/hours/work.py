"""What an expert worked: the rows of a week, its figures against the contract,
the overtime balance.

A week's rows are what its timesheet holds once submitted or approved, and
before that the plugins' records of the week (``worked()``, read live) plus the
expert's own rows. A week counts as **worked** once its timesheet is submitted
or approved, or once it is over (its Sunday lies before today): from then on
the planning round takes its load from these rows instead of from the plan.

The contract of a week is shrunk by leave exactly as the scheduler shrinks it
(:func:`eih.scheduler.facts.week_limits7`: whole days of absence take
sevenths off). Overtime is worked hours above the week's shrunk maximum; the
balance adds the overtime of approved weeks and takes off the hours compensated
as time off in those weeks. The contract used is the expert's current one.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from ..extensions import db
from ..models import Expert
from ..plugins import Period, PluginError, WorkItem, enabled_plugins
from ..scheduler import Contract, Unavailable, facts
from ..scheduler import Expert as SExpert
from .models import COMPENSATION, Entry, Timesheet


@dataclass(frozen=True)
class Row:
    """One line of a timesheet, from a plugin's record or from the expert."""

    day: date
    hours: float
    activity: str
    label: str
    origin: str  # "record" (a plugin's record) or "own" (written on the timesheet)
    municipality_id: int | None = None
    partner_id: int | None = None
    load: float = 0.0
    start: datetime | None = None
    heavy_until: datetime | None = None
    source: str = ""
    entry_id: int | None = None  # the stored row, when there is one

    @property
    def compensation(self) -> bool:
        return self.activity == COMPENSATION


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def mondays(first: date, last: date) -> list[date]:
    """The Mondays of the ISO weeks from the week of ``first`` to the week of ``last``."""
    out, monday = [], monday_of(first)
    while monday <= last:
        out.append(monday)
        monday += timedelta(days=7)
    return out


def week_period(monday: date) -> Period:
    return Period(monday, monday + timedelta(days=6))


# -- the plugins' records -------------------------------------------------------

def recorded(expert: Expert, period: Period) -> list[WorkItem]:
    """The work every plugin enabled for the expert's region has on record in ``period``."""
    region = expert.region
    items: list[WorkItem] = []
    for plugin in enabled_plugins(region):
        found = plugin.worked(region, expert, period)
        if not isinstance(found, list) or not all(isinstance(i, WorkItem) for i in found):
            raise PluginError(f"plugin {plugin.name!r}: hook 'worked' must return a list of WorkItem, "
                              f"not {type(found).__name__}")
        items.extend(i for i in found if period.start <= i.day <= period.end)
    return sorted(items, key=lambda i: (i.day, i.start or datetime.combine(i.day, time.min), i.activity, i.label,
                                        i.source))


def row_of_item(item: WorkItem) -> Row:
    return Row(item.day, round(float(item.hours), 2), item.activity, item.label, "record", item.municipality_id,
               item.partner_id, float(item.load or 0), item.start, item.heavy_until, item.source)


def row_of_entry(entry: Entry) -> Row:
    return Row(entry.day, entry.hours, entry.activity, entry.label, entry.origin, entry.municipality_id,
               entry.partner_id, entry.load or 0.0, entry.start, entry.heavy_until, entry.source, entry.id)


def entry_of_row(row: Row) -> Entry:
    return Entry(day=row.day, hours=row.hours, activity=row.activity, label=row.label[:200], origin=row.origin,
                 municipality_id=row.municipality_id, partner_id=row.partner_id, load=row.load, start=row.start,
                 heavy_until=row.heavy_until, source=row.source[:120])


# -- weeks ----------------------------------------------------------------------

def timesheets(expert: Expert, first: date, last: date) -> dict[date, Timesheet]:
    """The expert's timesheets of the weeks from ``first`` to ``last`` (Mondays), by Monday."""
    rows = db.session.execute(db.select(Timesheet).where(
        Timesheet.expert_id == expert.id, Timesheet.week_start >= monday_of(first),
        Timesheet.week_start <= last)).scalars()
    return {sheet.week_start: sheet for sheet in rows}


def _sorted(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: (r.day, r.start or datetime.combine(r.day, time.min), r.origin != "record",
                                       r.entry_id or 0, r.activity, r.label))


def weeks_rows(expert: Expert, first: date, last: date, sheets: dict[date, Timesheet] | None = None
               ) -> dict[date, list[Row]]:
    """Monday -> the rows of that week, for the weeks from ``first`` to ``last``. The
    plugins are asked once for the whole span, and only when an unlocked week needs them."""
    weeks = mondays(first, last)
    sheets = timesheets(expert, weeks[0], weeks[-1]) if sheets is None else sheets
    live: dict[date, list[Row]] = defaultdict(list)
    if any(sheets.get(m) is None or not sheets[m].locked for m in weeks):
        for item in recorded(expert, Period(weeks[0], weeks[-1] + timedelta(days=6))):
            live[monday_of(item.day)].append(row_of_item(item))
    out = {}
    for monday in weeks:
        sheet = sheets.get(monday)
        if sheet is not None and sheet.locked:
            out[monday] = _sorted([row_of_entry(e) for e in sheet.entries])
        else:
            own = [row_of_entry(e) for e in sheet.entries if e.origin == "own"] if sheet is not None else []
            out[monday] = _sorted(live[monday] + own)
    return out


def week_rows(expert: Expert, monday: date) -> list[Row]:
    return weeks_rows(expert, monday, monday)[monday]


def is_worked(sheet: Timesheet | None, monday: date, today: date) -> bool:
    """Submitted or approved, or over: the week's load comes from what was worked."""
    return (sheet is not None and sheet.locked) or monday + timedelta(days=6) < today


# -- the contract ------------------------------------------------------------------

def contract_expert(expert: Expert) -> SExpert:
    """The expert as the scheduler sees the contract and the absences (nothing else)."""
    return SExpert(id=expert.code, contract=Contract(min_hours=expert.min_hours or 0, max_hours=expert.max_hours or 0,
                                                     overtime_hours=expert.overtime_hours or 0),
                   unavailable=[Unavailable(u.start, u.end, u.reason) for u in expert.unavailability
                                if u.end > u.start])


@dataclass
class WeekFigures:
    """One expert's week: hours worked against the contract, shrunk by leave."""

    monday: date
    status: str
    min_hours: float
    max_hours: float
    limit_hours: float  # maximum plus overtime: more is against the contract
    leave_days: int
    worked: float  # every row except time off in lieu
    compensation: float  # time off in lieu of overtime
    load: float
    by_activity: dict[str, float] = field(default_factory=dict)

    @property
    def overtime(self) -> float:
        return round(max(0.0, self.worked - self.max_hours), 2)

    @property
    def below_min(self) -> float:
        return round(max(0.0, self.min_hours - self.worked - self.compensation), 2)

    @property
    def above_limit(self) -> bool:
        return self.worked > self.limit_hours + 1e-9


def figures(expert: Expert, monday: date, rows: list[Row], status: str = "open",
            contract: SExpert | None = None) -> WeekFigures:
    contract = contract or contract_expert(expert)
    week = facts.week_of(monday)
    low7, high7, limit7 = facts.week_limits7(contract, week)
    by_activity: dict[str, float] = defaultdict(float)
    for row in rows:
        by_activity[row.activity] += row.hours
    worked = sum(r.hours for r in rows if not r.compensation)
    return WeekFigures(monday, status, round(low7 / 420, 2), round(high7 / 420, 2), round(limit7 / 420, 2),
                       facts.leave_days(contract, week), round(worked, 2),
                       round(sum(r.hours for r in rows if r.compensation), 2), round(sum(r.load for r in rows), 2),
                       {k: round(v, 2) for k, v in sorted(by_activity.items())})


def weeks_figures(expert: Expert, first: date, last: date) -> list[WeekFigures]:
    """The figures of every week from ``first`` to ``last``, oldest first."""
    weeks = mondays(first, last)
    sheets = timesheets(expert, weeks[0], weeks[-1])
    rows = weeks_rows(expert, weeks[0], weeks[-1], sheets)
    contract = contract_expert(expert)
    return [figures(expert, m, rows[m], sheets[m].status if m in sheets else "open", contract) for m in weeks]


def balance(expert: Expert, until: date | None = None) -> float:
    """Overtime of the approved weeks (up to the week of ``until``) minus the time off taken for it."""
    query = db.select(Timesheet).where(Timesheet.expert_id == expert.id, Timesheet.status == "approved")
    if until is not None:
        query = query.where(Timesheet.week_start <= until)
    contract = contract_expert(expert)
    total = 0.0
    for sheet in db.session.execute(query).scalars():
        week = figures(expert, sheet.week_start, [row_of_entry(e) for e in sheet.entries], sheet.status, contract)
        total += week.overtime - week.compensation
    return round(total, 2)


# -- heavy work, as the planning round rates it ------------------------------------------

def heavy_span(row: Row | WorkItem, heavy_load: float) -> tuple[datetime, datetime] | None:
    """(start, end) of heavy work, or None: rated heavy by its plugin (``heavy_until``), or
    work at a fixed time whose load reaches ``heavy_load``, like a planned slot."""
    if row.heavy_until is not None:
        return row.heavy_until - timedelta(hours=row.hours), row.heavy_until
    if row.start is not None and (row.load or 0) >= heavy_load:
        return row.start, row.start + timedelta(hours=row.hours)
    return None
