"""Small builders for support-group tests."""
from datetime import date, time

from eih.extensions import db
from eih.models import Expert, Region, User
from eih.plugins.supportgroups.models import Group, Participant


def region(slug="rotterdam-rijnmond"):
    return db.session.query(Region).filter_by(slug=slug).one()


def expert(name):
    return db.session.query(Expert).join(User).filter(User.email == f"{name}@eih.example").one()


def group(slug="testgroep", **fields):
    values = dict(region_id=region().id, name="Testgroep", slug=slug, kind="other", cadence="weekly", weekday=1,
                  start_time=time(19, 0), duration_minutes=120, location="Buurthuis", capacity=8,
                  facilitators_per_session=1, active_from=date(2024, 1, 1))
    values.update(fields)
    g = Group(**values)
    db.session.add(g)
    db.session.flush()
    return g


def person(g, name, status="member", registered_on=date(2024, 1, 1), **fields):
    p = Participant(group=g, name=name, status=status, registered_on=registered_on,
                    joined_on=fields.pop("joined_on", date(2024, 1, 1) if status == "member" else None), **fields)
    db.session.add(p)
    db.session.flush()
    return p


def by_slug(slug):
    return db.session.query(Group).filter_by(slug=slug).one()
