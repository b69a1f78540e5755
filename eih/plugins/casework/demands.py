"""Scheduler input and output: requests become capacity demands; published
assignments become deployments.

One stable demand id per request, ``casework:req-<id>``, whether it waits for
an expert or runs. A running case carries ``continuity`` = its current experts.

``apply`` never bypasses the basic rules: when a request may start (consent,
responsible professional and goal recorded, intake done or THV) the planned
expert is deployed at once; otherwise the expert is recorded as *proposed* and
the project lead starts the deployment after consent. Publishing the same plan
twice changes nothing.
"""
from __future__ import annotations

from datetime import date

from ... import audit
from ...declines import declined_experts
from ...extensions import db
from ...models import Expert, Region, parse_expert_code, split_list
from ...scheduler import Demand, Preferences, Requirements
from . import rules
from .models import OPEN_STATUSES, RUNNING_STATUSES, Request

PREFIX = "casework:req-"


def _settings(region: Region) -> dict:
    from . import plugin
    return plugin.settings_for(region)


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
    hours = req.hours_estimate or settings["hours_by_kind"].get(req.kind, 2)
    exclude = set(declined_experts(req.demand_key))
    exclude |= {f"ed-{eid}" for eid in rules.linked_case_experts(req)}
    exclude -= set(current)
    languages = [lang for lang in split_list(req.client_languages) if lang != "nl"]
    specialties = [req.violence_type] if req.violence_type and req.violence_type != "other" else []
    return Demand(
        id=req.demand_key, kind="casework", label=_label(req), region=region.slug,
        hours=float(hours), load=float(settings["load_by_kind"].get(req.kind, 2)),
        priority=3 if req.kind == "thv" else (2 if req.urgency == "urgent" else 1),
        experts_needed=max(1, len(current)),
        require=Requirements(gender=req.client_gender if req.client_gender in ("female", "male") else None,
                             perspective=req.client_perspective or None),
        prefer=Preferences(cultures=split_list(req.client_culture), languages=languages, specialties=specialties),
        continuity=current, exclude=sorted(exclude),
    )


def demands(region: Region, period) -> list[Demand]:
    settings = _settings(region)
    requests = db.session.execute(db.select(Request).where(
        Request.region_id == region.id, Request.status.in_(OPEN_STATUSES),
        Request.received_on <= period.end).order_by(Request.id)).scalars()
    return [d for d in (request_demand(r, region, settings) for r in requests) if d is not None]


def apply(region: Region, plan, instance=None, user=None, today: date | None = None) -> list[str]:
    """Published assignments -> deployments; returns the problems met (never raises on one)."""
    problems: list[str] = []
    for assignment in plan.assignments:
        if not assignment.demand.startswith(PREFIX) or not assignment.demand[len(PREFIX):].isdigit():
            continue
        req = db.session.get(Request, int(assignment.demand[len(PREFIX):]))
        if req is None or req.region_id != region.id or req.status not in OPEN_STATUSES:
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
            _apply_request(req, planned, user, today)
        except rules.RuleError as exc:
            problems.append(f"{req.code}: {exc}")
    db.session.flush()
    return problems


def _apply_request(req: Request, planned: list[Expert], user, today: date | None) -> None:
    new = [e for e in planned if not any(d.expert_id == e.id for d in req.active_deployments)]
    if not new:
        return  # already serving: publishing twice changes nothing
    may_start = not rules.deployment_blockers(req)
    if req.status in RUNNING_STATUSES:
        vacant = not req.active_deployments  # e.g. after a decline
        for expert in new:
            if may_start and vacant:
                rules.assign_expert(req, expert, user, today)
            else:
                rules.propose_expert(req, expert, user)  # the lead decides on a change of expert
        return
    for expert in new:
        rules.propose_expert(req, expert, user)
    if may_start and (req.status == "intake" or (req.status == "registered" and req.kind == "thv")):
        rules.start_deployment(req, user, start_on=today)


def expert_history(region: Region, period) -> dict[str, dict]:
    """Per expert: heaviness of the last 5 weeks' contacts and the end of the last heavy one."""
    from datetime import datetime, timedelta

    from .models import ContactForm
    start = datetime.combine(period.start, datetime.min.time())
    since = start - timedelta(weeks=5)
    heavy = _settings(region).get("heavy_rating", 3)
    rows = db.session.execute(db.select(ContactForm).join(Expert, ContactForm.expert_id == Expert.id).where(
        Expert.region_id == region.id, ContactForm.held_at < start)).scalars()
    history: dict[str, dict] = {}
    for contact in rows:
        entry = history.setdefault(f"ed-{contact.expert_id}", {"load_recent": 0.0})
        if contact.held_at >= since:
            entry["load_recent"] += float(contact.heaviness)
        if contact.heaviness >= heavy:
            end = contact.ends_at
            if end <= start and (entry.get("last_heavy_end") is None or end > entry["last_heavy_end"]):
                entry["last_heavy_end"] = end
    return history
