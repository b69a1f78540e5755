"""Small builders for the policy tests (inside an app context)."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

import pytest

from eih import clock
from eih.extensions import db
from eih.models import Expert, Region, User
from eih.plugins.policy import rules
from eih.plugins.policy.models import PolicyMeeting, PolicyTable


def region(slug="rotterdam-rijnmond") -> Region:
    return db.session.execute(db.select(Region).filter_by(slug=slug)).scalar_one()


def expert(name) -> Expert:
    return db.session.execute(db.select(Expert).join(User).where(User.email == f"{name}@eih.example")).scalar_one()


def table(name="Testtafel", **fields) -> PolicyTable:
    values = dict(region_id=region().id, name=name, organisation="Gemeente", level="tactical", kind="policy_table",
                  experts_needed=1, preparation_hours=1, rotation=True, active=True)
    values.update(fields)
    made = PolicyTable(**values)
    rules.check_table(made)
    db.session.add(made)
    db.session.flush()
    return made


def meeting(of: PolicyTable, day: date, held_by=(), hour=10, minutes=120) -> PolicyMeeting:
    start = datetime.combine(day, time(hour))
    made = rules.plan_meeting(of, start, start + timedelta(minutes=minutes))
    db.session.flush()
    if held_by:
        rules.record_held(made, [expert(n) for n in held_by], max(day, clock.today()))
    return made


def demo_table(name="Tactisch platform huiselijk geweld") -> PolicyTable:
    return db.session.execute(db.select(PolicyTable).filter_by(name=name)).scalar_one()


@contextmanager
def refused(part: str):
    """A rule refuses the step; its message (in English, the source text) contains ``part``."""
    with pytest.raises(rules.RuleError) as caught:
        yield caught
    error = caught.value
    english = error.message % error.fields if error.fields else error.message
    assert part in english, english
