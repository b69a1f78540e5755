"""Home-page panels: the lead's queue and unseen declines; an expert's cases."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from ...extensions import db
from ...labels import DECLINE_LABELS, label
from ...models import Decline
from ...plugins import parse_demand_id
from .models import OPEN_STATUSES, PLUGIN, Request
from .rules import own_deployments


def home_panels(user) -> list[dict]:
    if user.role == "lead":
        return [_waiting_panel(user), _declines_panel(user)]
    if user.role == "expert" and user.expert is not None:
        return [_my_cases_panel(user)]
    return []


def _waiting_panel(user) -> dict:
    requests = db.session.execute(db.select(Request).where(
        Request.region_id == user.region_id, Request.status.in_(OPEN_STATUSES)).order_by(Request.received_on)).scalars()
    waiting = [r for r in requests if r.waiting_for_expert]
    # THV requests first, the soonest end of the restraining order on top
    waiting.sort(key=lambda r: (r.kind != "thv", r.days_left() if r.days_left() is not None else 99, r.received_on))
    items = [(_("%(code)s: waiting %(days)s days", code=r.code, days=r.waiting_days()) + _thv(r),
              url_for("casework_case.page", id=r.id)) for r in waiting]
    return dict(title=_("Requests waiting for an expert"), items=items, empty=_("No request is waiting."),
                alert=any(r.kind == "thv" for r in waiting))


def _thv(req: Request) -> str:
    if req.kind != "thv":
        return ""
    days = req.days_left()
    if days is None:
        return " (THV)"
    if days < 0:
        return " (" + _("THV, restraining order ended") + ")"
    return " (" + ngettext("THV, %(num)s day left", "THV, %(num)s days left", days) + ")"


def _declines_panel(user) -> dict:
    declines = db.session.execute(db.select(Decline).where(
        Decline.region_id == user.region_id, Decline.demand_key.like(f"{PLUGIN}:%"),
        Decline.seen_at.is_(None)).order_by(Decline.at)).scalars().all()
    items = []
    for decline in declines:
        demand = parse_demand_id(decline.demand_key)
        req = db.session.get(Request, demand.number) if demand and demand.kind == "req" and demand.number else None
        if req is None:
            continue
        items.append((_("%(name)s declined %(code)s (%(reason)s)", name=decline.expert.name, code=req.code,
                        reason=label(DECLINE_LABELS, decline.reason)),
                      url_for("casework_case.page", id=req.id)))
    return dict(title=_("Declined by experts, not yet seen"), items=items, empty=_("No new declines."),
                alert=bool(items))


def _my_cases_panel(user) -> dict:
    items = []
    for d in own_deployments(user.expert):
        req = d.request
        text = _("%(code)s: %(n)s of %(limit)s conversations", code=req.code, n=req.conversation_count,
                 limit=req.conversation_limit)
        if d.state == "proposed":
            text += " · " + _("proposed")
        elif req.conversation_count >= req.conversation_limit:
            text += " · " + _("evaluation needed")
        items.append((text, url_for("casework_mine.case", id=req.id)))
    return dict(title=_("My cases"), items=items, empty=_("You have no cases right now."))
