"""Scheduler input and output: requests become capacity demands; published
assignments become deployments.

One stable demand id per request, ``casework:req-<id>``, whether it waits for
an expert or runs. A running case carries ``continuity`` = its current experts.

``apply`` never bypasses the basic rules: when a request may start (consent,
responsible professional and goal recorded, intake done or THV) the planned
expert is deployed at once; otherwise the expert is recorded as *proposed* and
the project lead starts the deployment after consent, and the lead reads on the
published version what is missing. Publishing the same plan twice changes
nothing.
"""
from __future__ import annotations

from datetime import date

from ... import audit
from ...declines import declined_experts
from ...extensions import db
from ...models import Expert, Region, expert_code, parse_expert_code, split_list
from ...plugins import DemandRef, Problem, parse_demand_id
from ...rules import N_
from ...scheduler import Demand, Preferences, Requirements
from . import rules
from .models import DEFAULT_SETTINGS, OPEN_STATUSES, PLUGIN, RUNNING_STATUSES, Request


def request_of(demand: DemandRef | None, region_id: int) -> Request | None:
    """The request behind a casework demand id, if it is one of ``region_id``."""
    if demand is None or demand.plugin != PLUGIN or demand.kind != "req" or demand.number is None:
        return None
    req = db.session.get(Request, demand.number)
    return req if req is not None and req.region_id == region_id else None


def _by_kind(settings: dict, key: str, kind: str) -> float:
    return float({**DEFAULT_SETTINGS[key], **(settings.get(key) or {})}.get(kind, DEFAULT_SETTINGS[key]["regular"]))


def _label(req: Request) -> str:
    """Case code and kind only: this title reaches schedules and calendar apps,
    so nothing else of the case (not even the municipality) goes in it."""
    kind = {"thv": "THV", "direct": "direct"}.get(req.kind, "")
    return " · ".join(p for p in (req.code, kind) if p)


def request_demand(req: Request, region: Region, settings: dict) -> Demand | None:
    if req.status not in OPEN_STATUSES or req.status == "transferred":
        return None  # a transfer waits for the lead's decision, not for an expert
    current = sorted(d.expert.code for d in req.active_deployments)
    if req.status in RUNNING_STATUSES and not req.consent_given:
        return None
    hours = req.hours_estimate or _by_kind(settings, "hours_by_kind", req.kind)
    exclude = set(declined_experts(req.demand_key))
    exclude |= {expert_code(eid) for eid in rules.linked_case_experts(req)}
    exclude -= set(current)
    languages = [lang for lang in split_list(req.client_languages) if lang != "nl"]
    specialties = [req.violence_type] if req.violence_type and req.violence_type != "other" else []
    return Demand(
        id=req.demand_key, kind="casework", label=_label(req), region=region.slug,
        hours=float(hours), load=_by_kind(settings, "load_by_kind", req.kind),
        priority=3 if req.kind == "thv" else (2 if req.urgency == "urgent" else 1),
        experts_needed=max(1, len(current)),
        require=Requirements(gender=req.client_gender if req.client_gender in ("female", "male") else None,
                             perspective=req.client_perspective or None),
        prefer=Preferences(cultures=split_list(req.client_culture), languages=languages, specialties=specialties),
        continuity=current, exclude=sorted(exclude),
    )


def demands(region: Region, period) -> list[Demand]:
    settings = rules.settings(region)
    requests = db.session.execute(db.select(Request).where(
        Request.region_id == region.id, Request.status.in_(OPEN_STATUSES),
        Request.received_on <= period.end).order_by(Request.id)).scalars()
    return [d for d in (request_demand(r, region, settings) for r in requests) if d is not None]


def apply(region: Region, plan, instance=None, user=None, today: date | None = None) -> list[Problem]:
    """Published assignments -> deployments; returns the problems met (never raises on one)."""
    problems: list[Problem] = []
    for assignment in plan.assignments:
        req = request_of(parse_demand_id(assignment.demand), region.id)
        if req is None or req.status not in OPEN_STATUSES:
            continue
        planned = []
        for code in assignment.experts:
            expert = db.session.get(Expert, parse_expert_code(code) or 0)
            if expert is not None:
                planned.append(expert)
        planned_ids = {e.id for e in planned}
        for deployment in list(req.proposed_deployments):
            if deployment.expert_id not in planned_ids:  # a re-plan replaces an earlier proposal
                audit.record("delete", deployment, region_id=req.region_id, user=user, detail="replaced proposal")
                req.deployments.remove(deployment)
                db.session.delete(deployment)
        try:
            waiting = _apply_request(req, planned, user, today)
        except rules.RuleError as exc:
            problems.append(Problem.from_error(req.demand_key, exc))
            continue
        if waiting:
            problems.append(Problem(req.demand_key, N_("%(case)s cannot start yet: %(experts)s is proposed. Missing:"),
                                    {"case": req.code, "experts": ", ".join(e.name for e in waiting)},
                                    tuple(rules.deployment_blockers(req))))
    db.session.flush()
    return problems


def _apply_request(req: Request, planned: list[Expert], user, today: date | None) -> list[Expert]:
    """Deploy or propose the planned experts; returns those who wait for a missing basic rule."""
    new = [e for e in planned if not any(d.expert_id == e.id for d in req.active_deployments)]
    if not new:
        return []  # already serving: publishing twice changes nothing
    may_start = not rules.deployment_blockers(req)
    if req.status in RUNNING_STATUSES:
        vacant = not req.active_deployments  # e.g. after a decline
        for expert in new:
            if may_start and vacant:
                rules.assign_expert(req, expert, user, today)
            else:
                rules.propose_expert(req, expert, user)  # the lead decides on a change of expert
        return []
    for expert in new:
        rules.propose_expert(req, expert, user)
    starts_now = req.status == "intake" or (req.status == "registered" and req.kind == "thv")
    if starts_now and may_start:
        rules.start_deployment(req, user, start_on=today)
        return []
    return new if starts_now else []


def on_decline(expert: Expert, demand: DemandRef, reason: str) -> None:
    """An expert declined a request: their deployment ends, the request waits for the lead."""
    req = request_of(demand, expert.region_id)
    if req is not None:
        rules.end_after_decline(req, expert, reason)
