"""A test-only plugin with known work, so planning tests do not depend on the
real plugins' demo data (the end-to-end test uses those)."""
from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from eih import clock
from eih.extensions import db
from eih.models import Expert, Region
from eih.plugins import Period, Plugin, set_enabled
from eih.scheduler import Demand, Requirements, Slot

REGION = "rotterdam-rijnmond"


class TestWork(Plugin):
    """Three kinds of work each week: a case, a men's evening, an intervision."""

    name = "testwork"
    label = "Test work"

    def __init__(self):
        self.applied = []

    def demands(self, region, period):
        tuesday = datetime.combine(period.start + timedelta(days=1), time(19, 0))
        wednesday = datetime.combine(period.start + timedelta(days=2), time(13, 0))
        return [
            Demand(id="testwork:case-1", kind="casework", label="EIH-TEST-001 · THV", region=region.slug, hours=4,
                   load=3, priority=3, require=Requirements(gender="female", perspective="victim")),
            Demand(id="testwork:men", kind="supportgroup", label="Mannengroep · Wijkcentrum", region=region.slug,
                   slot=Slot(tuesday, tuesday + timedelta(hours=2)), load=3,
                   require=Requirements(gender="male", perspective="perpetrator")),
            Demand(id="testwork:iv", kind="intervision", label="Intervisie · Kantoor", region=region.slug,
                   slot=Slot(wednesday, wednesday + timedelta(hours=2, minutes=30)), all_experts=True),
        ]

    def apply(self, region, plan, instance=None, user=None):
        self.applied.append({a.demand: list(a.experts) for a in plan.assignments if a.demand.startswith("testwork:")})
        return []


@pytest.fixture
def work():
    return TestWork()


@pytest.fixture
def app(tmp_path, work, request):
    from tests.conftest import demo_database, fresh_copy, make_app
    database = fresh_copy(demo_database(request), tmp_path)
    app = make_app(tmp_path, database, EXTRA_PLUGINS=[work], PLUGINS=["testwork"])
    with app.app_context():
        region = db.session.execute(db.select(Region).filter_by(slug=REGION)).scalar_one()
        set_enabled(region.id, "testwork", True)
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


def expert_by_name(name: str) -> Expert:
    from eih.models import User
    return db.session.execute(db.select(Expert).join(User).where(User.name == name)).scalar_one()


def next_week() -> Period:
    today = clock.today()
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    return Period(monday, monday + timedelta(days=6))


def this_week() -> Period:
    today = clock.today()
    monday = today - timedelta(days=today.weekday())
    return Period(monday, monday + timedelta(days=6))


def wait(app, run_id: int):
    """Wait for a background run (a guard against hanging, not a speed test)."""
    app.extensions["eih_planning_futures"][run_id].result(timeout=120)
