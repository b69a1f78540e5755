"""Builders for the hours tests (call inside an app context): a new expert with no demo
history, the Mondays around today, a contact form, a held session, an attended meeting."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from eih import clock
from eih.extensions import db
from eih.models import Expert, Region, User
from tests.conftest import DEMO_PASSWORD

REGION = "rotterdam-rijnmond"


def region(slug: str = REGION) -> Region:
    return db.session.execute(db.select(Region).filter_by(slug=slug)).scalar_one()


def expert(name: str) -> Expert:
    email = name if "@" in name else f"{name}@eih.example"
    return db.session.execute(db.select(Expert).join(User, Expert.user_id == User.id)
                              .where(User.email == email)).scalar_one()


def new_expert(name: str = "Tess", gender: str = "female", perspectives: str = "victim", languages: str = "nl",
               min_hours: float = 16, max_hours: float = 24, overtime_hours: float = 0,
               slug: str = REGION) -> Expert:
    """An expert with nothing on record: tests know every hour of theirs."""
    reg = region(slug)
    user = User(email=f"{name.lower()}@test.example", name=name, role="expert", region_id=reg.id, active=True,
                locale="nl")
    user.set_password(DEMO_PASSWORD)
    person = Expert(user=user, region_id=reg.id, gender=gender, perspectives=perspectives, languages=languages,
                    min_hours=min_hours, max_hours=max_hours, overtime_hours=overtime_hours)
    db.session.add_all([user, person])
    db.session.flush()
    return person


def this_monday() -> date:
    today = clock.today()
    return today - timedelta(days=today.weekday())


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


def contact(person: Expert, held_at: datetime, minutes: int = 60, heaviness: int = 2):
    """A contact form of a running case of ``person`` (casework's own rules make it)."""
    from tests.plugins.casework.helpers import new_request, running, talk
    req = running(new_request(received_on=held_at.date() - timedelta(days=30)), person)
    talk(req, person, 1, heaviness=heaviness, start=held_at)
    found = req.contacts[-1]
    found.duration_minutes = minutes
    db.session.flush()
    return found


def held_session(person: Expert, starts_at: datetime, minutes: int = 120, prep_minutes: int = 45, load: float = 3,
                 status: str = "held"):
    """A session of a new group with ``person`` as its facilitator."""
    from eih.plugins.supportgroups.models import Group, Session
    reg = region()
    group = Group(region_id=reg.id, name=f"Groep {starts_at:%d%H%M}", slug=f"g-{starts_at:%Y%m%d%H%M}",
                  prep_minutes=prep_minutes, load=load, active_from=starts_at.date() - timedelta(days=60))
    session = Session(group=group, starts_at=starts_at, ends_at=starts_at + timedelta(minutes=minutes), status=status)
    session.facilitators = [person]
    db.session.add_all([group, session])
    db.session.flush()
    return session


def meeting(person: Expert, start: datetime, kind: str = "session", status: str = "present", minutes: int = 150):
    """An intervision session (``kind`` "session") or a team meeting with ``person``'s attendance."""
    from eih.plugins.intervision.models import (
        IntervisionAttendance,
        IntervisionSession,
        TeamMeeting,
        TeamMeetingAttendance,
    )
    reg = region()
    end = start + timedelta(minutes=minutes)
    if kind == "session":
        row = IntervisionSession(region_id=reg.id, start=start, end=end, location="Kantoor", status="held")
        row.attendance.append(IntervisionAttendance(expert_id=person.id, status=status))
    else:
        row = TeamMeeting(region_id=reg.id, start=start, end=end, mode="online", status="held")
        row.attendance.append(TeamMeetingAttendance(expert_id=person.id, status=status))
    db.session.add(row)
    db.session.flush()
    return row
