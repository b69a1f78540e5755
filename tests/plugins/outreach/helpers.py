"""Small builders for the outreach tests (inside an app context)."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

import pytest

from eih import clock
from eih.extensions import db
from eih.models import Expert, Region, User
from eih.plugins.outreach import rules
from eih.plugins.outreach.models import OutreachOffer, OutreachOrder, OutreachSession, OutreachTopic, StoryBoundary

RR = "rotterdam-rijnmond"


def region(slug=RR) -> Region:
    return db.session.execute(db.select(Region).filter_by(slug=slug)).scalar_one()


def expert(name: str) -> Expert:
    return db.session.execute(db.select(Expert).join(User).where(User.email == f"{name}@eih.example")).scalar_one()


def offer(title: str) -> OutreachOffer:
    return db.session.execute(db.select(OutreachOffer).filter_by(title=title)).scalar_one()


def topic(region_obj=None, name="Testthema", **fields) -> OutreachTopic:
    region_obj = region_obj or region()
    found = db.session.execute(db.select(OutreachTopic).filter_by(region_id=region_obj.id, name=name)) \
        .scalar_one_or_none()
    if found is not None:
        return found
    values = dict(region_id=region_obj.id, name=name, perspective="", required_specialties="",
                  preferred_specialties="", active=True)
    values.update(fields)
    made = OutreachTopic(**values)
    db.session.add(made)
    db.session.flush()
    return made


def menu_item(title="Testworkshop", form="workshop", region_obj=None, topic_obj=None, **fields) -> OutreachOffer:
    region_obj = region_obj or region()
    found = db.session.execute(db.select(OutreachOffer).filter_by(region_id=region_obj.id, title=title)) \
        .scalar_one_or_none()
    if found is not None:
        return found
    values = dict(region_id=region_obj.id, title=title, form=form,
                  topic=topic_obj or topic(region_obj, f"Thema {title}"),
                  duration_minutes=90, preparation_hours=2, audience_min=5, audience_max=20, experts_needed=1,
                  published=True)
    values.update(fields)
    made = OutreachOffer(**values)
    db.session.add(made)
    db.session.flush()
    return made


def order(item: OutreachOffer, organisation="Testorganisatie", today: date | None = None, talk=True,
          **fields) -> OutreachOrder:
    today = today or clock.today()
    made = rules.receive_order(region(), item, organisation=organisation, contact_name="C. Contact",
                               contact_email="c@example.org", source="lead", today=today, **fields)
    if talk:
        rules.record_talk(made, today, "Het afgesproken doel.", "", today)
    db.session.flush()
    return made


def at(day: date, hour: int = 10, minutes: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minutes))


def session_for(made: OutreachOrder, day: date, hour=10, length=90, place="Rotterdam") -> OutreachSession:
    start = at(day, hour)
    created = rules.plan_session(made, start, start + timedelta(minutes=length), place)
    db.session.flush()
    return created


def boundary(person: Expert, setting: str, level: str, note="") -> StoryBoundary:
    row = db.session.execute(db.select(StoryBoundary).filter_by(expert_id=person.id, setting=setting)) \
        .scalar_one_or_none()
    if row is None:
        row = StoryBoundary(expert_id=person.id, setting=setting)
        db.session.add(row)
    row.level, row.note = level, note
    db.session.flush()
    return row


@contextmanager
def refused(part: str):
    """A rule refuses the step; its message (in English, the source text) contains ``part``."""
    with pytest.raises(rules.RuleError) as caught:
        yield caught
    error = caught.value
    english = error.message % error.fields if error.fields else error.message
    assert part in english, english
