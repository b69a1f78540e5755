"""What an expert has to do: items from the published plans in force.

Titles come from the demands' labels, which plugins keep non-identifying
(case code and kind, group name and place); nothing else of a case is shown.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ..extensions import db
from ..hours.work import figures, heavy_span, timesheets, weeks_rows
from ..models import Decline, Expert
from .build import published_versions, version_instance, version_mapping

KIND_ORDER = {"intervision": 0, "teammeeting": 1}


@dataclass
class Item:
    demand: str
    kind: str
    title: str
    start: datetime | None  # None: capacity work, no fixed time
    end: datetime | None
    hours: float
    load: float
    week: date  # Monday of the week the item counts in
    version_id: int
    published_at: datetime
    new: bool = False

    @property
    def uid(self) -> str:
        return f"{self.demand}/{self.week.isoformat()}"


def _mondays(start: date, end: date) -> list[date]:
    monday = start - timedelta(days=start.weekday())
    out = []
    while monday <= end:
        out.append(monday)
        monday += timedelta(days=7)
    return out


def declined_keys(expert: Expert) -> set[str]:
    return set(db.session.execute(db.select(Decline.demand_key).filter_by(expert_id=expert.id)).scalars())


def items_for(expert: Expert, start: date, end: date, versions: list | None = None) -> list[Item]:
    """Published work of ``expert`` between two dates (inclusive), declined work left out.
    ``versions``: the region's versions in force for those dates, when a page showing
    many experts has them already (each is parsed once, see :func:`.build.parsed`)."""
    declined = declined_keys(expert)
    items: list[Item] = []
    if versions is None:
        versions = published_versions(expert.region_id, start, end)
    for version in versions:
        instance = version_instance(version)
        demands = {d.id: d for d in instance.demands}
        added = set((version.changes or {}).get(expert.code, {}).get("added", []))
        for demand_id, codes in version_mapping(version).items():
            demand = demands.get(demand_id)
            if demand is None or expert.code not in codes or demand_id in declined:
                continue
            title = demand.label or demand.kind
            if demand.slot is not None:
                day = demand.slot.start.date()
                if start <= day <= end:
                    hours = demand.hours if demand.hours is not None else (demand.slot.end - demand.slot.start).total_seconds() / 3600
                    items.append(Item(demand_id, demand.kind, title, demand.slot.start, demand.slot.end, hours,
                                      demand.load, day - timedelta(days=day.weekday()), version.id,
                                      version.published_at, demand_id in added))
            else:
                for monday in _mondays(max(start, version.period_start), min(end, version.period_end)):
                    items.append(Item(demand_id, demand.kind, title, None, None, demand.hours or 0, demand.load,
                                      monday, version.id, version.published_at, demand_id in added))
    items.sort(key=lambda i: (i.week, i.start or datetime.combine(i.week, time.min), KIND_ORDER.get(i.kind, 9), i.title))
    return items


@dataclass
class WeekLoad:
    monday: date
    hours: float
    load: float
    relative_load: float
    heavy: bool


def load_window(weeks: int, today: date) -> tuple[date, date]:
    """The first and last day of the ``weeks`` ISO weeks up to and including today's."""
    this_monday = today - timedelta(days=today.weekday())
    return this_monday - timedelta(weeks=weeks - 1), this_monday + timedelta(days=6)


def weekly_load(expert: Expert, weeks: int, today: date, heavy_relative: float = 0.5,
                versions: list | None = None) -> list[WeekLoad]:
    """Hours and load per week from published plans, oldest first (``versions``: see
    :func:`items_for`)."""
    first, last = load_window(weeks, today)
    items = items_for(expert, first, last, versions)
    out = []
    for i in range(weeks):
        monday = first + timedelta(weeks=i)
        week_items = [it for it in items if it.week == monday]
        hours = round(sum(it.hours for it in week_items), 2)
        load = round(sum(it.load for it in week_items), 2)
        relative = round(load / expert.max_hours, 2) if expert.max_hours else 0.0
        out.append(WeekLoad(monday, hours, load, relative, relative >= heavy_relative))
    return out


def recovery_warnings(weeks: list[WeekLoad], run_length: int = 3) -> list[date]:
    """Mondays that end a run of ``run_length`` heavy weeks in a row."""
    warnings, streak = [], 0
    for week in weeks:
        streak = streak + 1 if week.heavy else 0
        if streak >= run_length:
            warnings.append(week.monday)
    return warnings


# -- what was worked (eih.hours), beside what was planned -----------------------------

@dataclass
class WorkedOverview:
    """An expert's weeks as worked: hours and load per week (timesheet rows: the plugins'
    records and the expert's own), the three-heavy-weeks warnings and the moments heavy
    work began within the recovery time after earlier heavy work."""

    weeks: list[WeekLoad]
    heavy_runs: list[date]
    short_recoveries: list[tuple[datetime, datetime]]  # (end of heavy work, start of the next heavy work)


def worked_overview(expert: Expert, weeks: int, today: date, heavy_load: float, recovery_hours: float,
                    heavy_relative: float = 0.5) -> WorkedOverview:
    first, last = load_window(weeks, today)
    sheets = timesheets(expert, first, last)
    rows = weeks_rows(expert, first, last, sheets)
    out = []
    for monday, week_rows_ in rows.items():
        week = figures(expert, monday, week_rows_, sheets[monday].status if monday in sheets else "open")
        relative = round(week.load / expert.max_hours, 2) if expert.max_hours else 0.0
        out.append(WeekLoad(monday, week.worked, week.load, relative, relative >= heavy_relative))
    spans = sorted(span for week_rows_ in rows.values() for r in week_rows_ if (span := heavy_span(r, heavy_load)))
    rest = timedelta(hours=recovery_hours)
    short = [(before[1], after[0]) for before, after in zip(spans, spans[1:]) if after[0] < before[1] + rest]
    return WorkedOverview(out, recovery_warnings(out), short)
