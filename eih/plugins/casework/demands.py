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

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _

from ... import audit, clock
from ...declines import declined_experts
from ...extensions import db
from ...models import Expert, Region, expert_code, parse_expert_code, split_list
from ...plugins import DemandRef, Period, Problem, parse_demand_id, planning_instance
from ...rules import N_
from ...scheduler import Demand, Preferences, Requirements
from ...scheduler.eligibility import ineligibility_reasons
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


def _label(req: Request, requested: Expert | None = None) -> str:
    """Case code and kind only: this title reaches schedules and calendar apps,
    so nothing else of the case (not even the municipality) goes in it. An expert
    asked for by name is shown after a star, so the lead sees the wish on the plan."""
    kind = {"thv": "THV", "direct": "direct"}.get(req.kind, "")
    wish = f"★ {requested.name}" if requested is not None else ""
    return " · ".join(p for p in (req.code, kind, wish) if p)


def thv_priority(days_left: int | None) -> int:
    """A THV comes first, and the sooner its restraining order ends, the higher
    (coverage maximises the sum of priorities; see docs/SCHEDULER.md)."""
    if days_left is None or days_left > 6:
        return 3
    return 5 if days_left <= 3 else 4


def _requested(req: Request, exclude: set[str]) -> Expert | None:
    """The expert someone asked for by name, while they may still serve the request."""
    expert = req.requested_expert
    if expert is None or not expert.active or expert.region_id != req.region_id or expert.code in exclude:
        return None
    return expert


def request_demand(req: Request, region: Region, settings: dict, period_start: date | None = None) -> Demand | None:
    if req.status not in OPEN_STATUSES or req.status == "transferred":
        return None  # a transfer waits for the lead's decision, not for an expert
    if req.status in RUNNING_STATUSES and not req.consent_given:
        return None
    return _demand(req, region, settings, period_start)


def _demand(req: Request, region: Region, settings: dict, period_start: date | None) -> Demand:
    current = sorted(d.expert.code for d in req.active_deployments)
    hours = req.hours_estimate or _by_kind(settings, "hours_by_kind", req.kind)
    exclude = set(declined_experts(req.demand_key))
    exclude |= {expert_code(eid) for eid in rules.linked_case_experts(req)}
    exclude -= set(current)
    languages = [lang for lang in split_list(req.client_languages) if lang != "nl"]
    specialties = [req.violence_type] if req.violence_type and req.violence_type != "other" else []
    # A requested expert is a preference: the continuity level keeps the person the client trusts.
    requested = _requested(req, exclude)
    continuity = current if current else ([requested.code] if requested is not None else [])
    # days left from the period's start, or from today within the running week
    days_left = req.days_left(max(period_start, clock.today()) if period_start is not None else None)
    return Demand(
        id=req.demand_key, kind="casework", label=_label(req, requested), region=region.slug,
        hours=float(hours), load=_by_kind(settings, "load_by_kind", req.kind),
        priority=thv_priority(days_left) if req.kind == "thv" else (2 if req.urgency == "urgent" else 1),
        experts_needed=rules.experts_needed(req),
        require=Requirements(gender=req.client_gender if req.client_gender in ("female", "male") else None,
                             perspective=req.client_perspective or None),
        prefer=Preferences(cultures=split_list(req.client_culture), languages=languages, specialties=specialties),
        continuity=continuity, exclude=sorted(exclude),
    )


def demands(region: Region, period) -> list[Demand]:
    settings = rules.settings(region)
    requests = db.session.execute(db.select(Request).where(
        Request.region_id == region.id, Request.status.in_(OPEN_STATUSES),
        Request.received_on <= period.end).order_by(Request.id)).scalars()
    return [d for d in (request_demand(r, region, settings, period.start) for r in requests) if d is not None]


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
        for expert in new:
            # a place is open after a decline, or for the second expert of a "never alone" case
            vacant = len(req.active_deployments) < rules.experts_needed(req)
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


# -- assigning by hand: who may serve, with their week --------------------------------------------

@dataclass
class Candidate:
    """An expert on the manual "assign" list: hours planned this week against the contract,
    recent load, and why they cannot serve (empty: eligible). ``reasons`` are the
    scheduler's sentences (worded on the page) or casework's own, already translated."""

    expert: Expert
    hours_week: float
    min_hours: float
    max_hours: float
    load_recent: float
    reasons: list = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.reasons


def assignment_candidates(req: Request, today: date | None = None) -> tuple[list[Candidate], list[Candidate]]:
    """(eligible, others) for assigning ``req`` by hand this week.

    Asks the scheduler's own rules on the instance the planning round builds for
    this week (gender, perspective, exclusions, leave the whole week, a contract
    the work alone breaks), adds casework's own reasons (declined, a linked case)
    and leaves out who serves the case already. Hours this week: the published
    plan of the week, else the running cases; recent load: the planning round's.
    """
    today = today or clock.today()
    monday = today - timedelta(days=today.weekday())
    period = Period(monday, monday + timedelta(days=6))
    region = req.region
    instance = planning_instance(region, period)
    demand = next((d for d in instance.demands if d.id == req.demand_key), None) \
        or _demand(req, region, rules.settings(region), period.start)
    planned = instance.previous or {d.id: list(d.continuity) for d in instance.demands
                                    if d.slot is None and d.continuity}
    hours: dict[str, float] = defaultdict(float)
    for d in instance.demands:
        for code in planned.get(d.id, []):
            hours[code] += d.effective_hours
    declined = set(declined_experts(req.demand_key))
    linked = {expert_code(eid) for eid in rules.linked_case_experts(req)}
    serving = rules.experts_on(req)
    eligible, others = [], []
    for s_expert in instance.experts:
        expert = db.session.get(Expert, parse_expert_code(s_expert.id) or 0)
        if expert is None or expert.id in serving:
            continue
        own = []
        if s_expert.id in declined:
            own.append(_("declined this request"))
        if s_expert.id in linked:
            own.append(_("serves a linked case of the same family or system"))
        found = [r for r in ineligibility_reasons(instance, s_expert, demand) if not (own and r.key == "excluded")]
        row = Candidate(expert, round(hours.get(s_expert.id, 0.0), 2), s_expert.contract.min_hours,
                        s_expert.contract.max_hours, s_expert.history.load_recent, own + found)
        (eligible if row.eligible else others).append(row)
    eligible.sort(key=lambda c: (c.hours_week / (c.max_hours or 1), c.load_recent, c.expert.name))
    others.sort(key=lambda c: c.expert.name)
    return eligible, others
