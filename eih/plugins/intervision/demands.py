"""Scheduler input and output: sessions and team meetings as all-expert slot demands,
the last intervision per expert as history, expected attendance from a plan."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from ...declines import declined_experts
from ...extensions import db
from ...models import Region, parse_expert_code
from ...scheduler import Demand, Slot
from . import services
from .models import MODE_LABELS, IntervisionSession, TeamMeeting

PREFIX = "intervision:"


def _text(lazy) -> str:
    """The translated text; the English source outside a request (CLI, planning jobs)."""
    try:
        return str(lazy)
    except RuntimeError:
        return lazy._args[0] if getattr(lazy, "_args", None) else ""
SESSION_PREFIX = "session-"
MEETING_PREFIX = "meeting-"


def _in_period(model, region: Region, period):
    start = datetime.combine(period.start, datetime.min.time())
    end = datetime.combine(period.end, datetime.min.time()) + timedelta(days=1)
    return db.session.execute(
        db.select(model).filter(model.region_id == region.id, model.status != "cancelled",
                                model.start >= start, model.start < end).order_by(model.start)).scalars().all()


def _demand(local_id: str, kind: str, label: str, region: Region, start: datetime, end: datetime) -> Demand:
    demand_id = PREFIX + local_id
    return Demand(id=demand_id, kind=kind, label=label, region=region.slug, slot=Slot(start=start, end=end),
                  load=0, all_experts=True, exclude=declined_experts(demand_id))


def demands(region: Region, period) -> list[Demand]:
    result = []
    for s in _in_period(IntervisionSession, region, period):
        label = _text(_l("Intervision")) + (f", {s.location}" if s.location else "")
        result.append(_demand(f"{SESSION_PREFIX}{s.id}", "intervision", label, region, s.start, s.end))
    for m in _in_period(TeamMeeting, region, period):
        place = m.location if m.mode == "on_site" and m.location else _text(MODE_LABELS.get(m.mode, m.mode))
        label = _text(_l("Team meeting")) + f", {place}"
        result.append(_demand(f"{MEETING_PREFIX}{m.id}", "teammeeting", label, region, m.start, m.end))
    return result


def expert_history(region: Region, period) -> dict[str, dict]:
    """expert code -> {"last_intervision": date or None} (before the period starts)."""
    last = services.last_attended(region.id, period.start)
    return {e.code: {"last_intervision": last.get(e.id)} for e in services.region_experts(region.id)}


def parse_local_id(demand_id: str) -> tuple[str, int] | None:
    """'intervision:session-12' -> ('session', 12); None for anything else."""
    if not demand_id.startswith(PREFIX):
        return None
    local = demand_id[len(PREFIX):]
    for kind, prefix in (("session", SESSION_PREFIX), ("meeting", MEETING_PREFIX)):
        if local.startswith(prefix) and local[len(prefix):].isdigit():
            return kind, int(local[len(prefix):])
    return None


def apply(region: Region, plan, instance=None) -> None:
    """Record expected attendance for the experts the plan puts in each meeting (idempotent)."""
    for assignment in plan.assignments:
        parsed = parse_local_id(assignment.demand)
        if parsed is None:
            continue
        kind, item_id = parsed
        parent = IntervisionSession if kind == "session" else TeamMeeting
        item = db.session.get(parent, item_id)
        if item is None or item.region_id != region.id:
            continue
        team = {e.id for e in services.region_experts(region.id)}
        ids = [i for i in (parse_expert_code(code) for code in assignment.experts) if i in team]
        services.expect_attendance(kind, item_id, ids)
    db.session.flush()
