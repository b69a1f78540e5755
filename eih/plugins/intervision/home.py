"""Home page panels: the rhythm for lead and coordinator, one's own dates for experts."""
from __future__ import annotations

from datetime import date

from flask import url_for
from flask_babel import gettext as _

from ... import clock
from ...extensions import db
from ...labels import label
from . import rules
from .labels import SUPERVISION_REASON_LABELS, SUPERVISION_STATUS_LABELS
from .models import IntervisionSession, SupervisionRequest, TeamMeeting


def _when(item) -> str:
    return item.start.strftime("%d-%m-%Y %H:%M")


def home_panels(user, today: date | None = None) -> list[dict]:
    today = today or clock.today()
    if user.region_id is None or user.role not in ("lead", "coordinator", "expert"):
        return []
    upcoming = rules.next_planned(IntervisionSession, user.region_id, today)
    if user.role in ("lead", "coordinator"):
        rhythm = url_for("intervision_rhythm.index")
        overdue = [r for r in rules.rhythm_rows(user.region_id, today) if r["state"] == "overdue"]
        items = [(_("%(name)s: %(days)s days", name=r["expert"].name, days=r["days_since"])
                  if r["days_since"] is not None else _("%(name)s: never", name=r["expert"].name), rhythm)
                 for r in overdue]
        next_items = [(_("Next intervision: %(when)s", when=_when(upcoming)), rhythm)] if upcoming else []
        return [{"title": _("Intervision overdue"), "items": items, "alert": bool(overdue),
                 "empty": _("Everyone is on track.")},
                {"title": _("Intervision"), "items": next_items, "empty": _("No intervision planned.")}]
    expert = user.expert
    if expert is None:
        return []
    meeting = rules.next_planned(TeamMeeting, user.region_id, today)
    items = []
    if upcoming:
        items.append((_("Next intervision: %(when)s", when=_when(upcoming)),
                      url_for("intervision_session.details_view", id=upcoming.id)))
    if meeting:
        items.append((_("Next team meeting: %(when)s", when=_when(meeting)), None))
    requests = db.session.execute(db.select(SupervisionRequest).filter_by(expert_id=expert.id)
                                  .order_by(SupervisionRequest.created_at.desc()).limit(3)).scalars().all()
    mine = url_for("intervision_mysupervision.index_view")
    supervision = [(f"{label(SUPERVISION_REASON_LABELS, r.reason)}: {label(SUPERVISION_STATUS_LABELS, r.status)}", mine)
                   for r in requests]
    return [{"title": _("Intervision and team meeting"), "items": items, "empty": _("Nothing planned yet.")},
            {"title": _("My supervision requests"), "items": supervision,
             "empty": _("No requests. You can ask for individual supervision at any time."),
             "alert": False}]
