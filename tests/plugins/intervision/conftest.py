"""Helpers for the intervision tests: a region without the demo's intervision rows."""
from datetime import datetime, time, timedelta

import pytest

from eih.extensions import db
from eih.models import Expert, Region, User
from eih.plugins.intervision.models import (
    Cycle,
    IntervisionAttendance,
    IntervisionSession,
    SupervisionRequest,
    TeamMeeting,
    TeamMeetingAttendance,
)

RR = "rotterdam-rijnmond"


def region(slug=RR):
    return db.session.execute(db.select(Region).filter_by(slug=slug)).scalar_one()


def expert(name):
    return db.session.execute(db.select(Expert).join(User).filter(User.name == name)).scalar_one()


def add_session(region_id, day, status="held", present=(), absent=(), themes="", hour=13):
    start = datetime.combine(day, time(hour, 0))
    s = IntervisionSession(region_id=region_id, start=start, end=start + timedelta(hours=2, minutes=30),
                           status=status, location="Rotterdam", themes=themes)
    db.session.add(s)
    db.session.flush()
    for e in present:
        db.session.add(IntervisionAttendance(session_id=s.id, expert_id=e.id, status="present"))
    for e in absent:
        db.session.add(IntervisionAttendance(session_id=s.id, expert_id=e.id, status="absent", reason="sickness"))
    db.session.flush()
    return s


@pytest.fixture
def empty(app):
    """The demo without its intervision rows (cycle kept out too): hand-made histories start here."""
    with app.app_context():
        for model in (IntervisionAttendance, TeamMeetingAttendance, IntervisionSession, TeamMeeting,
                      SupervisionRequest, Cycle):
            db.session.execute(db.delete(model))
        db.session.commit()
    return app
