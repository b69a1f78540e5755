"""Home page panels: an expert's weeks to hand in or correct, the lead's weeks to approve."""
from __future__ import annotations

from datetime import timedelta

from flask import url_for
from flask_babel import gettext as _

from .. import clock
from ..extensions import db
from .models import Timesheet
from .work import monday_of


def _week(monday) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def panels(user) -> list[dict]:
    if user.role == "lead":
        waiting = db.session.execute(db.select(Timesheet).where(
            Timesheet.region_id == user.region_id, Timesheet.status == "submitted")
            .order_by(Timesheet.week_start).limit(20)).scalars().all()
        items = [(_("%(name)s, week %(week)s", name=s.expert.name, week=_week(s.week_start)),
                  url_for("hours.week", expert=s.expert_id, week=_week(s.week_start))) for s in waiting]
        return [{"title": _("Timesheets to approve"), "items": items, "alert": bool(items),
                 "empty": _("No timesheets waiting.")}] if items else []
    if user.role == "expert" and user.expert is not None:
        last = monday_of(clock.today()) - timedelta(weeks=1)
        sheets = {s.week_start: s for s in db.session.execute(db.select(Timesheet).where(
            Timesheet.expert_id == user.expert.id, Timesheet.week_start >= last - timedelta(weeks=3))).scalars()}
        items = []
        for sheet in sheets.values():
            if sheet.status == "returned":
                items.append((_("Week %(week)s was returned: %(comment)s", week=_week(sheet.week_start),
                                comment=sheet.comment), url_for("hours.week", week=_week(sheet.week_start))))
        if last not in sheets or sheets[last].status == "open":
            items.append((_("Hand in your hours of week %(week)s", week=_week(last)),
                          url_for("hours.week", week=_week(last))))
        return [{"title": _("My hours"), "items": items, "alert": any(s.status == "returned" for s in sheets.values())}] \
            if items else []
    return []
