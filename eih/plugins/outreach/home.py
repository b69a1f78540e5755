"""Home page panels: new orders, sessions soon and follow-ups due for the lead and
the coordinator; an expert's next sessions and their story boundaries."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from ... import clock
from ...extensions import db
from . import rules
from .models import OutreachOrder, OutreachSession, session_expert
from .views import READERS, day, when


def staff_panels(user, today: date) -> list[dict]:
    new = db.session.execute(db.select(OutreachOrder).where(OutreachOrder.region_id == user.region_id,
                                                            OutreachOrder.status == "new")
                             .order_by(OutreachOrder.received_on)).scalars().all()
    start = datetime.combine(today, datetime.min.time())
    soon = db.session.execute(db.select(OutreachSession).where(
        OutreachSession.region_id == user.region_id, OutreachSession.status == "planned",
        OutreachSession.starts_at >= start, OutreachSession.starts_at < start + timedelta(weeks=2))
        .order_by(OutreachSession.starts_at)).scalars().all()
    due = rules.follow_ups_due(user.region_id, today)
    new_items = [(_("%(reference)s: %(organisation)s, %(item)s", reference=o.reference, organisation=o.organisation,
                    item=o.offer.title), url_for("outreach.order", order_id=o.id)) for o in new]
    soon_items = [(_("%(when)s: %(item)s (%(n)s of %(m)s experts)", when=when(s.starts_at), item=s.offer.title,
                     n=len(s.experts), m=s.offer.experts_needed), url_for("outreach.session_page", session_id=s.id))
                  for s in soon]
    due_items = [(_("%(reference)s: %(organisation)s, since %(date)s", reference=o.reference,
                    organisation=o.organisation, date=day(o.follow_up_on)), url_for("outreach.order", order_id=o.id))
                 for o in due]
    return [
        {"title": ngettext("Outreach: %(num)s new order", "Outreach: %(num)s new orders", len(new)),
         "items": new_items, "alert": bool(new), "empty": _("No new orders.")},
        {"title": _("Outreach: sessions in the coming two weeks"), "items": soon_items,
         "alert": any(len(s.experts) < s.offer.experts_needed for s in soon), "empty": _("No sessions planned.")},
        {"title": _("Outreach: follow-ups due"), "items": due_items, "alert": bool(due),
         "empty": _("No follow-up is due.")},
    ]


def expert_panels(user, today: date) -> list[dict]:
    expert = user.expert
    if expert is None:
        return []
    start = datetime.combine(today, datetime.min.time())
    sessions = db.session.execute(
        db.select(OutreachSession).join(session_expert, session_expert.c.session_id == OutreachSession.id)
        .where(session_expert.c.expert_id == expert.id, OutreachSession.status == "planned",
               OutreachSession.starts_at >= start).order_by(OutreachSession.starts_at).limit(5)).scalars()
    items = [(f"{when(s.starts_at)}: {s.offer.title} · {s.place}".rstrip(" ·"),
              url_for("outreach.session_page", session_id=s.id)) for s in sessions]
    items.append((_("My story boundaries"), url_for("outreach_myboundary.index_view")))
    return [{"title": _("My outreach sessions"), "items": items, "alert": False}]


def home_panels(user, today: date | None = None) -> list[dict]:
    today = today or clock.today()
    if user.region_id is None:
        return []
    if user.role in READERS:
        return staff_panels(user, today)
    if user.role == "expert":
        return expert_panels(user, today)
    return []
