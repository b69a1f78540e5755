"""Scheduler input and output: every planned session is a slot demand for facilitators."""
from __future__ import annotations

from datetime import datetime, timedelta

from ... import audit
from ...declines import declined_experts
from ...extensions import db
from ...models import Expert, Region, parse_expert_code
from ...plugins import DemandRef, Problem, demand_id, parse_demand_id
from ...scheduler import Demand, Requirements, Slot
from .models import PLUGIN, Group, Session
from .rules import RuleError, set_facilitators


def session_demand_id(session: Session) -> str:
    return demand_id(PLUGIN, "session", session.id)


def planned_sessions(region: Region, start, end) -> list[Session]:
    lo = datetime.combine(start, datetime.min.time())
    hi = datetime.combine(end, datetime.min.time()) + timedelta(days=1)
    return list(db.session.execute(db.select(Session).join(Group).where(
        Group.region_id == region.id, Session.status == "planned",
        Session.starts_at >= lo, Session.starts_at < hi).order_by(Session.starts_at, Session.id)).scalars())


def session_demand(session: Session, region: Region) -> Demand:
    """Facilitators for one session: the group's number, gender and perspective, its regulars first."""
    group = session.group
    key = session_demand_id(session)
    label = f"{group.name} · {group.location}" if group.location else group.name
    return Demand(
        id=key, kind="supportgroup", label=label, region=region.slug,
        slot=Slot(session.starts_at, session.ends_at), load=float(group.load if group.load is not None else 3),
        experts_needed=group.facilitators_per_session,
        require=Requirements(gender=group.target_gender or None, perspective=group.perspective or None),
        continuity=[e.code for e in group.facilitators if e.active],
        exclude=declined_experts(key),
    )


def demands(region: Region, period) -> list[Demand]:
    return [session_demand(s, region) for s in planned_sessions(region, period.start, period.end)]


def session_of(demand: DemandRef | None, region_id: int) -> Session | None:
    """The session behind a supportgroups demand id, if it is one of ``region_id``."""
    if demand is None or demand.plugin != PLUGIN or demand.kind != "session" or demand.number is None:
        return None
    session = db.session.get(Session, demand.number)
    return session if session is not None and session.group.region_id == region_id else None


def apply(region: Region, plan, instance=None, user=None) -> list[Problem]:
    """Set the facilitators of the planned sessions; returns the problems met.

    Idempotent. A supportgroups demand the plan leaves unassigned loses its
    facilitators: the published plan is the truth for its period. A plan that
    breaks the group's own rule is not applied to that session (a problem).
    """
    wanted: dict[str, list[str]] = {a.demand: list(a.experts) for a in plan.assignments}
    for item in plan.unassigned:
        wanted.setdefault(item.demand, [])
    problems: list[Problem] = []
    for key, codes in sorted(wanted.items()):
        session = session_of(parse_demand_id(key), region.id)
        if session is None or session.status != "planned":
            continue
        ids = [parse_expert_code(c) for c in codes]
        experts = [db.session.get(Expert, i) for i in ids if i is not None]
        experts = [e for e in experts if e is not None and e.region_id == region.id]
        try:
            if set_facilitators(session, experts):
                audit.record("update", session, object_type="SupportGroupSession", region_id=region.id,
                             detail="fields: facilitators (plan)", user=user)
        except RuleError as exc:
            problems.append(Problem.from_error(key, exc))
    db.session.flush()
    return problems


def on_decline(expert: Expert, demand: DemandRef, reason: str) -> None:
    """An expert declined a session: they no longer lead it."""
    session = session_of(demand, expert.region_id)
    if session is not None and expert in session.facilitators:
        session.facilitators = [e for e in session.facilitators if e.id != expert.id]
        audit.record("update", session, object_type="SupportGroupSession", region_id=expert.region_id,
                     detail="fields: facilitators (decline)")
