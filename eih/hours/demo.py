"""Demo hours: Amal's week two weeks ago approved, last week's submitted and waiting
for the project lead; idempotent. The demo leaves blocked hours and light weeks to the
user, so the demo's planning round stays the same."""
from __future__ import annotations

from datetime import date, timedelta

from ..extensions import db
from ..models import Expert, Region, User
from . import rules
from .work import monday_of


def load(region: Region, today: date) -> None:
    amal = db.session.execute(db.select(Expert).join(User, Expert.user_id == User.id).where(
        User.email == "amal@eih.example", Expert.region_id == region.id)).scalar_one_or_none()
    lead = db.session.execute(db.select(User).filter_by(role="lead", region_id=region.id).order_by(User.id)
                              .limit(1)).scalar_one_or_none()
    if amal is None:
        return
    this = monday_of(today)
    for weeks_ago, activity, hours, label, approve in ((2, "travel", 1.5, "Reis naar Schiedam", True),
                                                       (1, "training", 3, "Training traumasensitief werken", False)):
        monday = this - timedelta(weeks=weeks_ago)
        if rules.timesheet(amal, monday) is not None:
            continue
        rules.add_row(amal, monday, day=monday + timedelta(days=1), hours=hours, activity=activity, label=label,
                      user=amal.user)
        sheet = rules.submit(amal, monday, user=amal.user, today=today)
        if approve:
            rules.approve(sheet, user=lead)
