"""Units and calendar facts shared by the solver, the greedy baseline and the metrics.

Exact arithmetic rules (the contract asks for fractional hours and loads to be
handled exactly enough; these are the definitions everything else follows):

* **Hours are counted in whole minutes.** A slot demand without ``hours`` costs
  its slot length in minutes; explicit ``hours`` and contract hours are rounded
  to the nearest minute.
* **Loads are counted in hundredths** (``round(load * 100)``).
* **Leave shrinks a week's contract by (7 - d) / 7**; to stay in integers the
  week limits are compared in sevenths of a minute (``7 * minutes <= limit * (7 - d)``).
* **Weeks** are the ISO weeks (Monday to Sunday) that overlap the period. A slot
  demand counts in the week of its start; a capacity demand in every week.
  Leave days are counted over the whole ISO week, also days outside the period.
* **Relative load** = (recent load + load in the period) / contract ``max_hours``;
  an expert whose ``max_hours`` is 0 is divided by 1 hour instead.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from fractions import Fraction
from functools import lru_cache

from .model import Demand, Expert, Instance

Week = tuple[int, int]  # (ISO year, ISO week)


def minutes(hours: float) -> int:
    return int(round(float(hours) * 60))


def centi(load: float) -> int:
    return int(round(float(load) * 100))


def demand_minutes(d: Demand) -> int:
    if d.hours is not None:
        return minutes(d.hours)
    if d.slot is not None:
        return int(round((d.slot.end - d.slot.start).total_seconds() / 60))
    return 0


def week_of(day: date | datetime) -> Week:
    y, w, _ = day.isocalendar()
    return (y, w)


def week_monday(week: Week) -> date:
    return date.fromisocalendar(week[0], week[1], 1)


def period_weeks(inst: Instance) -> list[Week]:
    return list(_period_weeks(inst.period_start, inst.period_end))


@lru_cache(maxsize=256)
def _period_weeks(start: date, end: date) -> tuple[Week, ...]:
    weeks: list[Week] = []
    day = start - timedelta(days=start.weekday())
    while day <= end:
        weeks.append(week_of(day))
        day += timedelta(days=7)
    return tuple(weeks)


def demand_weeks(inst: Instance, d: Demand) -> list[Week]:
    if d.slot is not None:
        return [week_of(d.slot.start)]
    return list(_period_weeks(inst.period_start, inst.period_end))


def leave_days(expert: Expert, week: Week) -> int:
    """Whole calendar days (00:00-24:00) of ``week`` covered by the expert's unavailable periods."""
    if not expert.unavailable:
        return 0
    return _leave_days(tuple((u.start, u.end) for u in expert.unavailable), week)


@lru_cache(maxsize=65536)
def _leave_days(unavailable: tuple, week: Week) -> int:
    monday = datetime.combine(week_monday(week), datetime.min.time())
    spans = sorted((s, e) for s, e in unavailable if e > s)
    count = 0
    for i in range(7):
        day_start = monday + timedelta(days=i)
        day_end = day_start + timedelta(days=1)
        covered_to = day_start
        for s, e in spans:
            if s <= covered_to < e:
                covered_to = max(covered_to, e)
            if covered_to >= day_end:
                break
        if covered_to >= day_end:
            count += 1
    return count


def week_limits7(expert: Expert, week: Week) -> tuple[int, int, int]:
    """(min, max, max + overtime) of the week in sevenths of a minute, leave-shrunk."""
    share = 7 - leave_days(expert, week)
    c = expert.contract
    return (minutes(c.min_hours) * share, minutes(c.max_hours) * share,
            (minutes(c.max_hours) + minutes(c.overtime_hours)) * share)


def load_cap_centi(inst: Instance, expert: Expert) -> int | None:
    """The weekly load cap: the expert's ``max_load`` if set, else the setting (None = no cap)."""
    cap = expert.max_load if expert.max_load is not None else inst.settings.max_load_per_week
    return None if cap is None else centi(cap)


def relative_denominator_minutes(expert: Expert) -> int:
    m = minutes(expert.contract.max_hours)
    return m if m > 0 else 60


def is_heavy(inst: Instance, d: Demand) -> bool:
    return d.slot is not None and d.load >= inst.settings.heavy_load


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime, gap: timedelta) -> bool:
    """True when the two intervals come closer than ``gap`` (overlap counts)."""
    return a_start < b_end + gap and b_start < a_end + gap


def intervision_counts(inst: Instance, d: Demand) -> bool:
    """Attending ``d`` keeps an expert's intervision rhythm: an intervision no more
    than ``intervision_days`` before the period's end. A capacity intervision counts
    as held at the start of the period."""
    if d.kind != "intervision":
        return False
    day = d.slot.start.date() if d.slot else inst.period_start
    return (inst.period_end - day).days <= inst.settings.intervision_days


def intervision_ok_by_history(inst: Instance, e: Expert) -> bool:
    last = e.history.last_intervision
    return last is not None and (inst.period_end - last).days <= inst.settings.intervision_days


def preference_matches(d: Demand, e: Expert) -> int:
    p = d.prefer
    return (len(set(p.cultures) & set(e.cultures)) + len(set(p.languages) & set(e.languages))
            + len(set(p.specialties) & set(e.specialties)))


def frac_hours7(units7: int) -> Fraction:
    """Sevenths of a minute to hours."""
    return Fraction(units7, 420)
