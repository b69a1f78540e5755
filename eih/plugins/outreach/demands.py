"""Scheduler input and output: every planned session is a slot demand for experts.

``outreach:session-<id>``, kind ``information``. Its hours are the session's
length plus the item's preparation hours; its load is the region's setting
(1 by default). The topic's perspective and specialties are requirements, its
preferred specialties preferences. Experts who ruled out telling their story in
the session's setting (a story boundary *none*) are excluded, as are experts who
declined the session. The experts already set keep it where they can
(``continuity``).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from ... import audit
from ...declines import declined_experts
from ...extensions import db
from ...models import Expert, Region, parse_expert_code, split_list
from ...plugins import DemandRef, Problem, demand_id, parse_demand_id
from ...scheduler import Demand, Preferences, Requirements, Slot
from . import rules
from .models import PLUGIN, OutreachSession


def session_demand_id(session: OutreachSession) -> str:
    return demand_id(PLUGIN, "session", session.id)


def planned_sessions(region: Region, start, end) -> list[OutreachSession]:
    lo = datetime.combine(start, datetime.min.time())
    hi = datetime.combine(end, datetime.min.time()) + timedelta(days=1)
    return list(db.session.execute(db.select(OutreachSession).where(
        OutreachSession.region_id == region.id, OutreachSession.status == "planned",
        OutreachSession.starts_at >= lo, OutreachSession.starts_at < hi)
        .order_by(OutreachSession.starts_at, OutreachSession.id)).scalars())


def label_of(session: OutreachSession) -> str:
    """What the experts read in their schedule and calendar: the item and the organisation."""
    return " · ".join(p for p in (session.offer.title, session.organisation) if p)


def session_demand(session: OutreachSession, region: Region, settings: dict, experts: list[Expert],
                   bounds: dict) -> Demand:
    topic = session.offer.topic
    key = session_demand_id(session)
    setting = rules.setting_of(session, int(settings["large_audience"]))
    closed = {e.code for e in experts if (b := bounds.get(e.id, {}).get(setting)) is not None and b.level == "none"}
    hours = (session.ends_at - session.starts_at).total_seconds() / 3600 + float(session.offer.preparation_hours or 0)
    return Demand(
        id=key, kind="information", label=label_of(session), region=region.slug,
        slot=Slot(session.starts_at, session.ends_at), hours=round(hours, 2), load=float(settings["load"]),
        experts_needed=session.offer.experts_needed,
        require=Requirements(perspective=topic.perspective or None, specialties=split_list(topic.required_specialties)),
        prefer=Preferences(specialties=split_list(topic.preferred_specialties)),
        continuity=[e.code for e in session.experts if e.active],
        exclude=sorted(set(declined_experts(key)) | closed),
    )


def demands(region: Region, period) -> list[Demand]:
    settings = rules.settings(region)
    experts = rules.region_experts(region)
    bounds = rules.boundaries_of(experts)
    return [session_demand(s, region, settings, experts, bounds)
            for s in planned_sessions(region, period.start, period.end)]


def session_of(demand: DemandRef | None, region_id: int) -> OutreachSession | None:
    """The session behind an outreach demand id, if it is one of ``region_id``."""
    if demand is None or demand.plugin != PLUGIN or demand.kind != "session" or demand.number is None:
        return None
    session = db.session.get(OutreachSession, demand.number)
    return session if session is not None and session.region_id == region_id else None


def apply(region: Region, plan, instance=None, user=None) -> list[Problem]:
    """Set the experts of the planned sessions; returns the problems met.

    Idempotent. A session the plan leaves unassigned loses its experts: the
    published plan is the truth for its period. What the rules refuse (an
    expert who does not fit or whose story boundary rules the setting out) is
    not applied and comes back as a problem.
    """
    wanted: dict[str, list[str]] = {a.demand: list(a.experts) for a in plan.assignments}
    for item in plan.unassigned:
        wanted.setdefault(item.demand, [])
    problems: list[Problem] = []
    for key, codes in sorted(wanted.items()):
        session = session_of(parse_demand_id(key), region.id)
        if session is None or session.status != "planned":
            continue
        experts = [db.session.get(Expert, i) for i in (parse_expert_code(c) for c in codes) if i is not None]
        try:
            if rules.set_session_experts(session, [e for e in experts if e is not None]):
                audit.record("update", session, object_type="OutreachSession", region_id=region.id,
                             detail="fields: experts (plan)", user=user)
        except rules.RuleError as exc:
            problems.append(Problem.from_error(key, exc))
    db.session.flush()
    return problems


def on_decline(expert: Expert, demand: DemandRef, reason: str) -> None:
    """An expert declined a session: they no longer give it."""
    session = session_of(demand, expert.region_id)
    if session is not None and expert in session.experts:
        session.experts = [e for e in session.experts if e.id != expert.id]
        audit.record("update", session, object_type="OutreachSession", region_id=expert.region_id,
                     detail="fields: experts (decline)")
