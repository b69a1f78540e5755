"""Build the scheduler instance of a region and period from the database.

Demands come from every plugin enabled for the region; experts from the
region's active profiles; history from the plugins (contact-form heaviness,
last intervision) plus the loads of plans published in the five weeks before;
``previous`` from the plan already published for this same period.
"""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from ..declines import declines_by_demand
from ..extensions import db
from ..models import Expert, Region
from ..plugins import Period, enabled_plugins
from ..scheduler import Contract, History, Instance, Settings, Unavailable
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


def _published_history(region: Region, period: Period, heavy_load: float) -> dict[str, dict]:
    """Loads and the end of the last heavy slot from plans published in the weeks before."""
    window_start = period.start - timedelta(weeks=HISTORY_WEEKS)
    window_end = period.start - timedelta(days=1)
    history: dict[str, dict] = {}
    for version in published_versions(region.id, window_start, window_end):
        instance = version_instance(version)
        demands = {d.id: d for d in instance.demands}
        for demand_id, experts in version_mapping(version).items():
            demand = demands.get(demand_id)
            if demand is None:
                continue
            if demand.slot is not None:
                if not (window_start <= demand.slot.start.date() <= window_end):
                    continue
                weeks = 1
            else:
                first = max(version.period_start, window_start)
                last = min(version.period_end, window_end)
                weeks = max(0, ((last - first).days // 7) + 1) if last >= first else 0
            for code in experts:
                entry = history.setdefault(code, {"load_recent": 0.0})
                entry["load_recent"] += (demand.load or 0) * weeks
                if demand.slot is not None and demand.load >= heavy_load:
                    end = demand.slot.end
                    if entry.get("last_heavy_end") is None or end > entry["last_heavy_end"]:
                        entry["last_heavy_end"] = end
    return history


def _merge(into: dict[str, dict], extra: dict[str, dict]) -> None:
    for code, values in (extra or {}).items():
        entry = into.setdefault(code, {"load_recent": 0.0})
        entry["load_recent"] = entry.get("load_recent", 0.0) + float(values.get("load_recent") or 0)
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
    history = _published_history(region, period, row.heavy_load)
    for plugin in plugins:
        _merge(history, plugin.expert_history(region, period))
    experts = db.session.execute(
        db.select(Expert).where(Expert.region_id == region.id, Expert.active.is_(True)).order_by(Expert.id)
    ).scalars().all()
    s_experts = [_expert(e, region, period, history) for e in experts]
    known = {e.id for e in s_experts}

    declined = declines_by_demand(region.id)
    demands = []
    seen: set[str] = set()
    for plugin in plugins:
        for demand in plugin.demands(region, period):
            if demand.id in seen:
                continue  # a plugin must not give one demand twice; keep the first
            seen.add(demand.id)
            exclude = set(demand.exclude) | set(declined.get(demand.id, [])) | set((removals or {}).get(demand.id, []))
            pinned = [e for e in dict.fromkeys(list(demand.pinned) + list((pins or {}).get(demand.id, [])))
                      if e in known and e not in exclude]
            demands.append(replace(
                demand,
                continuity=[e for e in demand.continuity if e in known],
                pinned=pinned,
                exclude=sorted(e for e in exclude if e in known),
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
