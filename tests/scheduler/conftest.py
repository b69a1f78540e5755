"""Fixtures and builders for the scheduler tests (pure Python, no Flask)."""

from __future__ import annotations

import os
import random
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from eih.scheduler import (
    Contract,
    Demand,
    Expert,
    History,
    Instance,
    Preferences,
    Requirements,
    Settings,
    Slot,
    Unavailable,
)

settings.register_profile("scheduler", max_examples=12, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("scheduler-long", max_examples=200, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("EIH_HYPOTHESIS_PROFILE", "scheduler"))

DATA = Path(__file__).parent / "data"
MONDAY = date(2026, 11, 30)


def at(day: int, hour: float) -> datetime:
    """Day 0 = Monday 30 Nov 2026."""
    return datetime.combine(MONDAY, datetime.min.time()) + timedelta(days=day, hours=hour)


def slot(day: int, hour: float, hours: float) -> Slot:
    return Slot(at(day, hour), at(day, hour + hours))


def expert(eid: str, gender="female", perspectives=("victim",), max_hours=24, min_hours=0, overtime=0, **kw):
    kw.setdefault("history", History(last_intervision=MONDAY))
    return Expert(id=eid, name=eid, gender=gender, perspectives=list(perspectives),
                  contract=Contract(min_hours=min_hours, max_hours=max_hours, overtime_hours=overtime), **kw)


def instance(experts, demands, weeks: int = 1, previous=None, **settings_kw) -> Instance:
    settings_kw.setdefault("time_limit_s", 30)
    return Instance(MONDAY, MONDAY + timedelta(days=7 * weeks - 1), Settings(**settings_kw), list(experts),
                    list(demands), dict(previous or {}))


def tiny_instance(seed: int, n_experts: int | None = None, n_demands: int | None = None) -> Instance:
    """A small random instance dense in conflicts: overlapping slots, heavy work, tight
    contracts, leave, pins, an all-experts session. Small enough to brute-force."""
    rng = random.Random(seed)
    n_experts = n_experts or rng.randint(2, 4)
    n_demands = n_demands or rng.randint(2, 6)
    team = []
    for i in range(n_experts):
        unavailable = []
        if rng.random() < 0.3:
            s = at(rng.randrange(3), rng.choice([0, 9, 13]))
            unavailable.append(Unavailable(s, s + timedelta(hours=rng.choice([4, 24, 48])), "leave"))
        team.append(Expert(
            id=f"e{i}", gender=rng.choice(["female", "male"]), region=None,
            perspectives=rng.sample(["victim", "perpetrator"], rng.randint(1, 2)),
            cultures=rng.sample(["dutch", "moroccan", "turkish"], 1), languages=rng.sample(["nl", "ar", "tr"], 2),
            specialties=rng.sample(["honour-related", "stalking"], rng.randint(0, 1)),
            contract=Contract(min_hours=rng.choice([0, 4, 6]), max_hours=rng.choice([6, 8, 12]),
                              overtime_hours=rng.choice([0, 2])),
            max_load=rng.choice([None, 6, 8]), unavailable=unavailable,
            history=History(load_recent=rng.choice([0, 2, 5]),
                            last_intervision=rng.choice([None, MONDAY - timedelta(days=10)]),
                            last_heavy_end=rng.choice([None, at(0, 8)]))))
    demands = []
    for j in range(n_demands):
        kind = rng.choice(["casework", "casework", "supportgroup", "information", "intervision"])
        has_slot = kind != "casework" or rng.random() < 0.6
        d = Demand(id=f"d{j}", kind=kind, label=f"{kind} {j}",
                   slot=slot(rng.randrange(3), rng.choice([9, 10, 13, 19]), rng.choice([1, 2, 3])) if has_slot
                   else None,
                   hours=None if has_slot and rng.random() < 0.5 else rng.choice([1, 2.5, 4]),
                   load=rng.choice([0, 1, 3, 4]), priority=rng.choice([1, 1, 2, 3]),
                   experts_needed=rng.choice([1, 1, 2]),
                   require=Requirements(gender=rng.choice([None, None, "female", "male"]),
                                        perspective=rng.choice([None, "victim", "perpetrator"])),
                   prefer=Preferences(cultures=rng.sample(["moroccan", "turkish"], rng.randint(0, 1)),
                                      languages=rng.sample(["ar", "tr"], rng.randint(0, 1))))
        if kind == "intervision" and has_slot and rng.random() < 0.5:
            d.all_experts, d.require, d.load = True, Requirements(), 0
        ids = [e.id for e in team]
        if rng.random() < 0.4:
            d.continuity = rng.sample(ids, 1)
        if rng.random() < 0.15:
            d.exclude = rng.sample(ids, 1)
        demands.append(d)
    previous = {}
    for d in demands:
        if rng.random() < 0.3:
            previous[d.id] = rng.sample([e.id for e in team], 1)
    return Instance(MONDAY, MONDAY + timedelta(days=6),
                    Settings(heavy_load=3, recovery_hours=rng.choice([0, 12]), max_heavy_per_day=1,
                             max_load_per_week=rng.choice([None, 7]), buffer_minutes=rng.choice([0, 30]),
                             time_limit_s=30),
                    team, demands, previous)


@pytest.fixture
def example_path() -> Path:
    return DATA / "example.json"
