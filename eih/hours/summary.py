"""Hours per expert over whole ISO weeks: contract, planned, worked per activity,
overtime and balance. The command line prints it (text, JSON, CSV); the JSON shape
is ``eih-hours/1``, documented in the README."""
from __future__ import annotations

from datetime import date, timedelta

from ..extensions import db
from ..models import Expert, Region
from ..planning.build import published_versions
from ..planning.schedule import items_for
from .work import balance, monday_of, mondays, weeks_figures

FORMAT = "eih-hours/1"


def _iso(monday: date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def _sum(values) -> float:
    return round(sum(values), 2)


def summary(region: Region, first: date, last: date) -> dict:
    """The ISO weeks from the week of ``first`` to the week of ``last``, per active expert."""
    weeks = mondays(first, last)
    start, end = weeks[0], weeks[-1] + timedelta(days=6)
    versions = published_versions(region.id, start, end)
    experts = db.session.execute(db.select(Expert).where(Expert.region_id == region.id, Expert.active.is_(True))
                                 .order_by(Expert.id)).scalars().all()
    out = {"format": FORMAT, "region": region.slug, "from": start.isoformat(), "to": end.isoformat(),
           "weeks": [_iso(m) for m in weeks], "experts": []}
    for expert in experts:
        figures = weeks_figures(expert, start, end)
        planned: dict[date, float] = {}
        for item in items_for(expert, start, end, versions):
            planned[item.week] = planned.get(item.week, 0.0) + item.hours
        by_activity: dict[str, float] = {}
        for week in figures:
            for code, hours in week.by_activity.items():
                by_activity[code] = round(by_activity.get(code, 0.0) + hours, 2)
        out["experts"].append({
            "expert": expert.code, "name": expert.name,
            "contract": {"min_hours": expert.min_hours, "max_hours": expert.max_hours,
                         "overtime_hours": expert.overtime_hours},
            "min_hours": _sum(w.min_hours for w in figures), "max_hours": _sum(w.max_hours for w in figures),
            "limit_hours": _sum(w.limit_hours for w in figures),
            "planned_hours": _sum(planned.values()), "worked_hours": _sum(w.worked for w in figures),
            "by_activity": dict(sorted(by_activity.items())),
            "compensation_hours": _sum(w.compensation for w in figures),
            "overtime_hours": _sum(w.overtime for w in figures),
            "balance_hours": balance(expert, until=monday_of(end)),
            "weeks": [{"week": _iso(w.monday), "status": w.status, "leave_days": w.leave_days,
                       "min_hours": w.min_hours, "max_hours": w.max_hours, "limit_hours": w.limit_hours,
                       "planned_hours": round(planned.get(w.monday, 0.0), 2), "worked_hours": w.worked,
                       "compensation_hours": w.compensation, "overtime_hours": w.overtime} for w in figures],
        })
    return out
