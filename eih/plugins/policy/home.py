"""Home page panels: meetings soon (with their experts and talks) and advice awaiting
its outcome for the lead and the coordinator; an expert's next meetings."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import url_for
from flask_babel import gettext as _

from ... import clock
from ...extensions import db
from . import rules
from .models import PolicyMeeting, meeting_expert
from .views import READERS, day, when


def staff_panels(user, today: date) -> list[dict]:
    start = datetime.combine(today, datetime.min.time())
    soon = db.session.execute(db.select(PolicyMeeting).where(
        PolicyMeeting.region_id == user.region_id, PolicyMeeting.status == "planned", PolicyMeeting.starts_at >= start,
        PolicyMeeting.starts_at < start + timedelta(weeks=2)).order_by(PolicyMeeting.starts_at)).scalars().all()
    items = []
    for m in soon:
        text = _("%(when)s: %(table)s (%(n)s of %(m)s experts)", when=when(m.starts_at), table=m.table.name,
                 n=len(m.experts), m=m.table.experts_needed)
        if m.talk_status != "done":
            text += " · " + _("preliminary talk not held yet")
        items.append((text, url_for("policy.meeting", meeting_id=m.id)))
    waiting = rules.open_outcomes(user.region_id)
    outcome_items = [(_("%(date)s: %(topic)s (%(table)s)", date=day(c.given_on), topic=c.topic, table=c.table.name),
                      url_for("policy_contribution.edit_view", id=c.id) if user.role == "lead"
                      else url_for("policy_contribution.details_view", id=c.id)) for c in waiting[:5]]
    return [
        {"title": _("Policy: meetings in the coming two weeks"), "items": items,
         "alert": any(len(m.experts) < m.table.experts_needed for m in soon), "empty": _("No meetings planned.")},
        {"title": _("Policy: advice whose outcome is not known yet"), "items": outcome_items, "alert": False,
         "empty": _("The outcome of every piece of advice is known.")},
    ]


def expert_panels(user, today: date) -> list[dict]:
    expert = user.expert
    if expert is None:
        return []
    start = datetime.combine(today, datetime.min.time())
    meetings = db.session.execute(
        db.select(PolicyMeeting).join(meeting_expert, meeting_expert.c.meeting_id == PolicyMeeting.id)
        .where(meeting_expert.c.expert_id == expert.id, PolicyMeeting.status == "planned",
               PolicyMeeting.starts_at >= start).order_by(PolicyMeeting.starts_at).limit(5)).scalars()
    items = [(f"{when(m.starts_at)}: {m.table.name}", url_for("policy.meeting", meeting_id=m.id)) for m in meetings]
    return [{"title": _("My policy meetings"), "items": items, "alert": False,
             "empty": _("You have no policy meeting planned.")}]


def home_panels(user, today: date | None = None) -> list[dict]:
    today = today or clock.today()
    if user.region_id is None:
        return []
    if user.role in READERS:
        return staff_panels(user, today)
    if user.role == "expert":
        return expert_panels(user, today)
    return []
