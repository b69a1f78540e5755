"""Build the scheduler instance of a region and period from the database.

Demands come from every plugin enabled for the region, plus the hours experts
keep for other work (:mod:`eih.hours`) as fixed work of that expert; experts
from the region's active profiles, left out of heavy demands in their light
weeks; ``previous`` from the plan already published for this same period.

History (:func:`history`) is what happened, each piece of work once: in the
five weeks before the period, a week that was worked (its timesheet submitted
or approved, or the week over) gives its load from the timesheet's rows (the
plugins' records, such as a contact form's heaviness, and the expert's own
rows); a week not yet worked gives the load of the plans published for it. The
end of the last heavy work is the latest heavy work recorded before the period
(a contact form rated heavy, a held session as heavy as a heavy slot) or, in
weeks not yet worked, planned. The last intervision comes from the plugins.
"""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from .. import clock
from ..declines import declines_by_demand
from ..extensions import db
from ..hours.rules import blocks_in, light_weeks_in
from ..hours.work import heavy_span, is_worked, monday_of, mondays, timesheets, weeks_rows
from ..models import Expert, Region, expert_code
from ..plugins import Period, demand_id, enabled_plugins
from ..scheduler import Contract, Demand, History, Instance, Settings, Unavailable
from ..scheduler import Expert as SExpert
from ..scheduler.io import instance_from_dict
from .models import DEFAULT_SETTINGS, PlanningSettings, PlanVersion

HISTORY_WEEKS = 5


class PeriodError(ValueError):
    """An ISO week or period the user typed cannot be read."""


def parse_week(text: str) -> Period:
    """'2026-W49' -> Monday..Sunday of that ISO week."""
    try:
        year_text, week_text = text.strip().upper().split("-W")
        monday = date.fromisocalendar(int(year_text), int(week_text), 1)
    except (ValueError, AttributeError) as exc:
        raise PeriodError(f"not an ISO week like 2026-W49: {text!r}") from exc
    return Period(monday, monday + timedelta(days=6))


def week_of(day: date) -> Period:
    monday = day - timedelta(days=day.weekday())
    return Period(monday, monday + timedelta(days=6))


def iso_week(period: Period) -> str:
    year, week, _ = period.start.isocalendar()
    return f"{year}-W{week:02d}"


def settings_for(region: Region) -> PlanningSettings:
    row = db.session.execute(db.select(PlanningSettings).filter_by(region_id=region.id)).scalar_one_or_none()
    if row is None:
        row = PlanningSettings(region_id=region.id, **DEFAULT_SETTINGS)
        db.session.add(row)
        db.session.flush()
    return row


def scheduler_settings(row: PlanningSettings) -> Settings:
    return Settings(heavy_load=row.heavy_load, recovery_hours=row.recovery_hours,
                    max_heavy_per_day=row.max_heavy_per_day, max_load_per_week=row.max_load_per_week,
                    buffer_minutes=row.buffer_minutes, intervision_days=row.intervision_days,
                    time_limit_s=row.time_limit_s, seed=0)


def published_versions(region_id: int, start: date, end: date) -> list[PlanVersion]:
    """The version in force for every period that overlaps [start, end]: the newest of each period."""
    rows = db.session.execute(
        db.select(PlanVersion).where(PlanVersion.region_id == region_id, PlanVersion.period_start <= end,
                                     PlanVersion.period_end >= start)
        .order_by(PlanVersion.period_start, PlanVersion.period_end, PlanVersion.number)
    ).scalars().all()
    newest: dict[tuple[date, date], PlanVersion] = {}
    for row in rows:
        newest[(row.period_start, row.period_end)] = row
    return list(newest.values())


def current_version(region_id: int, period: Period) -> PlanVersion | None:
    return db.session.execute(
        db.select(PlanVersion).filter_by(region_id=region_id, period_start=period.start, period_end=period.end)
        .order_by(PlanVersion.number.desc()).limit(1)
    ).scalar_one_or_none()


def parsed(row, column: str, parse):
    """``parse(row.<column>)``, once per loaded row: a page asks for a run's or a
    version's instance and plan for every demand or expert it shows, and parsing
    the JSON each time made large weeks slow. The result is kept on the row object
    (so for one request and session) until the column's text changes; callers must
    not change it."""
    text = getattr(row, column)
    cache = vars(row).setdefault("_eih_parsed", {})
    hit = cache.get(column)
    if hit is None or hit[0] != text:  # the same text after a commit reloaded the row: no new parse
        hit = cache[column] = (text, parse(text))
    return hit[1]


def version_instance(version: PlanVersion) -> Instance:
    return parsed(version, "instance_json", lambda text: instance_from_dict(json.loads(text)))


def version_plan(version: PlanVersion) -> dict:
    """The published plan's JSON (eih-plan/1), as a dict."""
    return parsed(version, "plan_json", json.loads)


def version_mapping(version: PlanVersion) -> dict[str, list[str]]:
    return {a["demand"]: list(a["experts"]) for a in version_plan(version).get("assignments", [])}


def _planned_by_week(region: Region, window_start: date, window_end: date, heavy_load: float
                     ) -> dict[tuple[str, date], dict]:
    """(expert code, Monday) -> planned ``load`` and ``heavy_end`` from the plans published
    for the weeks of the window."""
    planned: dict[tuple[str, date], dict] = {}
    for version in published_versions(region.id, window_start, window_end):
        instance = version_instance(version)
        demands = {d.id: d for d in instance.demands}
        for demand_id_, experts in version_mapping(version).items():
            demand = demands.get(demand_id_)
            if demand is None:
                continue
            if demand.slot is not None:
                if not (window_start <= demand.slot.start.date() <= window_end):
                    continue
                weeks = [monday_of(demand.slot.start.date())]
            else:
                weeks = mondays(max(version.period_start, window_start), min(version.period_end, window_end))
            heavy_end = demand.slot.end if demand.slot is not None and demand.load >= heavy_load else None
            for code in experts:
                for monday in weeks:
                    entry = planned.setdefault((code, monday), {"load": 0.0, "heavy_end": None})
                    entry["load"] += demand.load or 0
                    if heavy_end is not None and (entry["heavy_end"] is None or heavy_end > entry["heavy_end"]):
                        entry["heavy_end"] = heavy_end
    return planned


def history(region: Region, period: Period, experts: list[Expert], heavy_load: float,
            today: date | None = None) -> dict[str, dict]:
    """Expert code -> ``load_recent`` and ``last_heavy_end`` from what happened in the
    ``HISTORY_WEEKS`` weeks before the period; planned work only for weeks not yet worked."""
    today = today or clock.today()
    window_start = period.start - timedelta(weeks=HISTORY_WEEKS)
    window_end = period.start - timedelta(days=1)
    period_start = datetime.combine(period.start, time.min)
    planned = _planned_by_week(region, window_start, window_end, heavy_load)
    out: dict[str, dict] = {}
    for expert in experts:
        entry = out.setdefault(expert.code, {"load_recent": 0.0})
        sheets = timesheets(expert, window_start, window_end)
        rows = weeks_rows(expert, window_start, window_end, sheets)
        ends = []
        for monday, week in rows.items():
            week = [r for r in week if window_start <= r.day <= window_end]
            ends += [span[1] for r in week if (span := heavy_span(r, heavy_load)) and span[1] <= period_start]
            if is_worked(sheets.get(monday), monday, today):
                entry["load_recent"] += sum(r.load for r in week)
            else:
                plan = planned.get((expert.code, monday), {})
                entry["load_recent"] += plan.get("load", 0.0)
                ends += [plan["heavy_end"]] if plan.get("heavy_end") else []
        if ends:
            entry["last_heavy_end"] = max(ends)
    return out


def _merge(into: dict[str, dict], extra: dict[str, dict]) -> None:
    """A plugin's facts that are not work (the last intervision, a heavy end it knows of);
    its recent load is not used: work counts through worked() and the plans."""
    for code, values in (extra or {}).items():
        entry = into.setdefault(code, {"load_recent": 0.0})
        for key in ("last_intervision", "last_heavy_end"):
            value = values.get(key)
            if value is not None and (entry.get(key) is None or value > entry[key]):
                entry[key] = value


def _expert(expert: Expert, region: Region, period: Period, history: dict) -> SExpert:
    start = datetime.combine(period.start, time.min) - timedelta(days=1)
    end = datetime.combine(period.end, time.min) + timedelta(days=2)
    unavailable = [Unavailable(u.start, u.end, u.reason) for u in expert.unavailability
                   if u.end > start and u.start < end and u.end > u.start]
    h = history.get(expert.code, {})
    return SExpert(
        id=expert.code, name=expert.name, region=region.slug, gender=expert.gender,
        perspectives=expert.tags("perspectives"), cultures=expert.tags("cultures"),
        languages=expert.tags("languages"), specialties=expert.tags("specialties"),
        contract=Contract(min_hours=expert.min_hours or 0, max_hours=expert.max_hours or 0,
                          overtime_hours=expert.overtime_hours or 0),
        max_load=expert.max_load, unavailable=unavailable,
        history=History(load_recent=round(h.get("load_recent", 0.0), 2), last_intervision=h.get("last_intervision"),
                        last_heavy_end=h.get("last_heavy_end")),
    )


def build_instance(region: Region, period: Period, pins: dict | None = None, removals: dict | None = None) -> Instance:
    """The exact instance a planning run solves; pins and removals are the lead's edits."""
    row = settings_for(region)
    plugins = enabled_plugins(region)
    experts = db.session.execute(
        db.select(Expert).where(Expert.region_id == region.id, Expert.active.is_(True)).order_by(Expert.id)
    ).scalars().all()
    past = history(region, period, experts, row.heavy_load)
    for plugin in plugins:
        _merge(past, plugin.expert_history(region, period))
    s_experts = [_expert(e, region, period, past) for e in experts]
    known = {e.id for e in s_experts}

    declined = declines_by_demand(region.id)
    light = light_weeks(region, period)
    demands = []
    seen: set[str] = set()
    offered = [d for plugin in plugins for d in plugin.demands(region, period)]
    for demand in offered + blocked_hours(region, period, known):
        if demand.id in seen:
            continue  # a plugin must not give one demand twice; keep the first
        seen.add(demand.id)
        reasons = {**demand.exclude_reasons, **light_week_exclusions(demand, period, light, row.heavy_load)}
        exclude = (set(demand.exclude) | set(declined.get(demand.id, [])) | set((removals or {}).get(demand.id, []))
                   | set(reasons))
        pinned = [e for e in dict.fromkeys(list(demand.pinned) + list((pins or {}).get(demand.id, [])))
                  if e in known and e not in exclude]
        demands.append(replace(
            demand,
            continuity=[e for e in demand.continuity if e in known],
            pinned=pinned,
            exclude=sorted(e for e in exclude if e in known),
            exclude_reasons={e: why for e, why in sorted(reasons.items()) if e in known},
        ))
    previous = {}
    version = current_version(region.id, period)
    if version is not None:
        ids = {d.id for d in demands}
        for demand_id, codes in version_mapping(version).items():
            kept = [c for c in codes if c in known]
            if demand_id in ids and kept:
                previous[demand_id] = kept
    return Instance(period_start=period.start, period_end=period.end, settings=scheduler_settings(row),
                    experts=s_experts, demands=demands, previous=previous)


# -- other work and light weeks (eih.hours) -------------------------------------------

HOURS = "hours"  # the owner part of the demand ids of blocked hours: hours:block-<id>
OTHER_WORK = "otherwork"  # their demand kind
LIGHT_WEEK = "light-week"  # the exclusion reason of a light week (planning labels word it)


def blocked_hours(region: Region, period: Period, known: set[str]) -> list[Demand]:
    """Hours kept for other work, as fixed work of that expert: a capacity demand of the
    block's hours pinned to the expert, nobody else eligible, no load. The solver then
    counts them against the contract and overtime limits like any other hours, and
    they show on the plan and in the expert's schedule. The round plans single ISO
    weeks, and a capacity demand counts in each week of its period."""
    out = []
    for block in blocks_in(region.id, period.start, period.end):
        code = expert_code(block.expert_id)
        if code not in known:
            continue
        out.append(Demand(id=demand_id(HOURS, "block", block.id), kind=OTHER_WORK, label=block.description,
                          region=region.slug, hours=block.hours, load=0, pinned=[code],
                          exclude=sorted(known - {code})))
    return out


def light_weeks(region: Region, period: Period) -> dict[str, set[date]]:
    """Expert code -> the Mondays of their light weeks in the period."""
    out: dict[str, set[date]] = {}
    for row in light_weeks_in(region.id, period.start, period.end):
        out.setdefault(expert_code(row.expert_id), set()).add(row.week_start)
    return out


def light_week_exclusions(demand: Demand, period: Period, light: dict[str, set[date]], heavy_load: float
                          ) -> dict[str, str]:
    """Expert code -> "light-week" for the experts this heavy demand may not have: the
    week it counts in is one of their light weeks. An intervision (everyone's duty) is
    never heavy work; a capacity demand counts in every week of the period."""
    if demand.all_experts or (demand.load or 0) < heavy_load or not light:
        return {}
    weeks = {monday_of(demand.slot.start.date())} if demand.slot is not None else set(mondays(period.start, period.end))
    return {code: LIGHT_WEEK for code, mondays_ in light.items() if weeks & mondays_}


def care_notes(region: Region, instance: Instance) -> dict[str, dict]:
    """For the plan page, per expert code: ``light_week`` (a light week in the period) and
    ``recovering_until`` (heavy work before the period still asks for recovery then)."""
    period = Period(instance.period_start, instance.period_end)
    light = light_weeks(region, period)
    start = datetime.combine(period.start, time.min)
    rest = timedelta(hours=instance.settings.recovery_hours)
    notes: dict[str, dict] = {}
    for expert in instance.experts:
        last = expert.history.last_heavy_end
        if last is not None and last + rest > start:
            notes.setdefault(expert.id, {})["recovering_until"] = last + rest
        if expert.id in light:
            notes.setdefault(expert.id, {})["light_week"] = True
    return notes


def demand_labels(region_id: int) -> dict[str, str]:
    """Demand id -> the title it had in the newest published plan that holds it (of the
    region's last 20 versions)."""
    versions = db.session.execute(
        db.select(PlanVersion).filter_by(region_id=region_id).order_by(PlanVersion.published_at.desc()).limit(20)
    ).scalars()
    labels: dict[str, str] = {}
    for version in versions:
        for demand in version_instance(version).demands:
            labels.setdefault(demand.id, demand.label or demand.id)
    return labels


def demand_label(region_id: int, demand_id: str) -> str:
    """The title a demand had in the newest published plan that holds it."""
    return demand_labels(region_id).get(demand_id, demand_id)
