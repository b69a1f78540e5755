"""Home page panels: declines for the lead, the next work for an expert."""
from __future__ import annotations

from datetime import timedelta

from flask import url_for
from flask_babel import gettext as _

from .. import clock
from ..extensions import db
from ..labels import DECLINE_LABELS, label
from ..models import Decline
from ..plugins import enabled_plugins
from .build import demand_label
from .models import SolveRun
from .schedule import items_for


def panels(user) -> list[dict]:
    if user.role == "lead":
        own = [p.name for p in enabled_plugins(user.region_id) if p.shows_declines]
        query = db.select(Decline).where(Decline.region_id == user.region_id, Decline.seen_at.is_(None))
        for name in own:
            query = query.where(~Decline.demand_key.startswith(f"{name}:"))
        declines = db.session.execute(query.order_by(Decline.at.desc()).limit(20)).scalars().all()
        last = db.session.execute(db.select(SolveRun).filter_by(region_id=user.region_id)
                                  .order_by(SolveRun.id.desc()).limit(1)).scalar_one_or_none()
        items = [(_("%(name)s declined %(work)s (%(reason)s)", name=d.expert.name, work=demand_label(user.region_id, d.demand_key),
                    reason=label(DECLINE_LABELS, d.reason)), url_for("planning.declines")) for d in declines]
        # Shown only when there is something to see: casework keeps its own panel.
        out = [{"title": _("Declined work back in your queue"), "items": items, "alert": True}] if items else []
        plan_items = [(_("Make or review the plan of next week"), url_for("planning.index"))]
        if last is not None:
            plan_items.append((_("Last run: %(status)s", status=last.status), url_for("planning.run", run_id=last.id)))
        plan_items.append((_("Load overview"), url_for("load.index")))
        out.append({"title": _("Weekly planning"), "items": plan_items})
        return out
    if user.role == "expert" and user.expert is not None:
        today = clock.today()
        upcoming = [i for i in items_for(user.expert, today, today + timedelta(days=13))][:8]
        items = [((f"{i.start:%a %d-%m %H:%M} · " if i.start else f"{i.hours:g} h · ") + i.title, url_for("myschedule.index"))
                 for i in upcoming]
        return [{"title": _("My next work"), "items": items, "empty": _("Nothing published for you yet.")}]
    return []
