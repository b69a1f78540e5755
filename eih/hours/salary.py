"""The monthly CSV per expert for the salary administration.

One row per ISO week of the month; a week belongs to the month of its Thursday
(the ISO rule), so overtime, which is counted per week, is never split over two
months and every week is in exactly one month's file. Hours are plain numbers
(a point for decimals) so a spreadsheet can add them up.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _

from ..models import Expert
from .labels import ACTIVITY_LABELS, activity_label, status_label
from .work import balance, monday_of, weeks_figures


def parse_month(text: str) -> tuple[int, int]:
    """'2026-11' -> (2026, 11); ValueError for anything else."""
    year_text, month_text = (text or "").strip().split("-")
    year, month = int(year_text), int(month_text)
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise ValueError(text)
    return year, month


def month_weeks(year: int, month: int) -> list[date]:
    """The Mondays of the ISO weeks whose Thursday falls in the month."""
    first = date(year, month, 1)
    thursday = first + timedelta(days=(3 - first.weekday()) % 7)
    out = []
    while thursday.month == month:
        out.append(thursday - timedelta(days=3))
        thursday += timedelta(days=7)
    return out


def salary_header() -> list[str]:
    return [_("Week"), _("Monday"), _("Status"), _("Leave days"), _("Contract minimum (h)"),
            _("Contract maximum (h)"), _("Maximum with overtime (h)"), _("Worked (h)"), _("Time off in lieu (h)"),
            _("Overtime (h)"), _("Overtime balance after this week (h)")] + \
        [_("%(activity)s (h)", activity=activity_label(code).capitalize()) for code in ACTIVITY_LABELS]


def month_rows(expert: Expert, year: int, month: int) -> list[list]:
    weeks = month_weeks(year, month)
    rows = []
    for week in weeks_figures(expert, weeks[0], weeks[-1]):
        iso_year, iso_week, _day = week.monday.isocalendar()
        rows.append([f"{iso_year}-W{iso_week:02d}", week.monday.isoformat(), status_label(week.status), week.leave_days,
                     week.min_hours, week.max_hours, week.limit_hours, week.worked, week.compensation, week.overtime,
                     balance(expert, until=monday_of(week.monday))]
                    + [week.by_activity.get(code, 0) for code in ACTIVITY_LABELS])
    return rows
