"""The planning round's operations, shared by the web pages and the CLI.

Solving runs outside the request, in a single background worker per
application (two cores: one solve at a time is the honest use of them); the
run row carries status and progress for the page that refreshes.
"""
from __future__ import annotations

import json
import logging
from concurrent.futures import Future, ThreadPoolExecutor

from flask import current_app
from flask_babel import gettext as _

from .. import audit, notify
from ..extensions import db
from ..models import Region, utcnow
from ..plugins import Period, PluginError, Problem, enabled_plugins
from ..rules import RuleError
from ..scheduler import Assignment, Instance, Plan, Unassigned, instance_from_dict, plan_from_dict, plan_to_dict, solve
from ..scheduler.eligibility import eligible_experts, ineligibility_reasons
from ..scheduler.io import dumps, instance_to_dict
from ..scheduler.metrics import evaluate
from ..scheduler.validator import validate_assignments
from .build import build_instance, current_version, parsed, version_mapping
from .models import PlanVersion, SolveRun
from .wording import WebWording, progress_value, say

log = logging.getLogger(__name__)


class PlanningError(RuleError):
    """A planning action that cannot be done; the message is shown as is."""


# -- runs -----------------------------------------------------------------
def _executor(app) -> ThreadPoolExecutor:
    executor = app.extensions.get("eih_planning_executor")
    if executor is None:
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="eih-solve")
        app.extensions["eih_planning_executor"] = executor
    return executor


def start_run(region: Region, period: Period, user=None, parent: SolveRun | None = None,
              background: bool = True) -> SolveRun:
    """Build the instance now (fast), solve it in the background (slow)."""
    pins = dict(parent.pins) if parent else {}
    removals = dict(parent.removals) if parent else {}
    instance = build_instance(region, period, pins, removals)
    run = SolveRun(region_id=region.id, period_start=period.start, period_end=period.end, status="queued",
                   created_by_id=getattr(user, "id", None), parent_id=parent.id if parent else None,
                   instance_json=dumps(instance_to_dict(instance)), pins=pins, removals=removals, working={})
    db.session.add(run)
    db.session.flush()
    audit.record("create", run, object_type="SolveRun", region_id=region.id, user=user,
                 detail="re-solve" if parent else "solve")
    db.session.commit()
    if background:
        app = current_app._get_current_object()
        future: Future = _executor(app).submit(execute_run, app, run.id)
        app.extensions.setdefault("eih_planning_futures", {})[run.id] = future
    else:
        execute_run(current_app._get_current_object(), run.id)
        db.session.refresh(run)
    return run


def execute_run(app, run_id: int) -> None:
    """Solve a run (in the background worker). Its progress is stored as a key with
    fields, never as translated text: the page says it in the reader's language."""
    with app.app_context():
        run = db.session.get(SolveRun, run_id)
        run.status, run.started_at, run.progress = "running", utcnow(), progress_value(say("building_model"))
        db.session.commit()

        def progress(line) -> None:
            run.progress = progress_value(line)
            db.session.commit()

        try:
            instance = run_instance(run)
            solver = app.config.get("PLANNING_SOLVER") or solve
            plan = solver(instance, progress=progress)
            run.plan_json = dumps(plan_to_dict(plan))
            run.working = {a.demand: list(a.experts) for a in plan.assignments}
            for demand_id, codes in (run.pins or {}).items():  # pins the solver had to drop stay visible
                run.working.setdefault(demand_id, [])
            run.working = {k: v for k, v in run.working.items() if v}
            run.status, run.progress = "done", progress_value(say("plan_status", status=plan.status))
        except Exception as exc:  # the page must show a failure, never hang
            log.exception("planning run %s failed", run_id)
            db.session.rollback()
            run = db.session.get(SolveRun, run_id)
            run.status, run.error = "failed", f"{type(exc).__name__}: {exc}"[:500]
        run.finished_at = utcnow()
        db.session.commit()
        db.session.remove()


def run_instance(run: SolveRun) -> Instance:
    """The run's instance, parsed once per loaded row (see :func:`.build.parsed`)."""
    return parsed(run, "instance_json", lambda text: instance_from_dict(json.loads(text)))


def run_plan(run: SolveRun) -> Plan | None:
    """The solver's plan of a finished run, parsed once per loaded row."""
    return parsed(run, "plan_json", lambda text: plan_from_dict(json.loads(text)) if text else None)


# -- the lead's edits ---------------------------------------------------------
def _demand(instance, demand_id: str):
    try:
        return instance.demand(demand_id)
    except KeyError as exc:
        raise PlanningError(_("Unknown demand.")) from exc


def _check_candidate(instance, demand, code: str) -> None:
    known = {e.id for e in instance.experts}
    if code not in known:
        raise PlanningError(_("Unknown expert."))
    if code in demand.exclude:
        raise PlanningError(_("This expert is excluded from this work (a decline or a safety rule); that cannot be overridden here."))
    if code not in eligible_experts(instance, demand.id):
        wording = WebWording({d.id: d for d in instance.demands})
        reasons = "; ".join(wording.text(r) for r in ineligibility_reasons(instance, code, demand))
        raise PlanningError(_("This expert cannot do this work: %(reasons)s", reasons=reasons))


def _needed(demand, instance) -> int:
    return len(instance.experts) if demand.all_experts else demand.experts_needed


def pin(run: SolveRun, demand_id: str, code: str, user=None) -> None:
    instance = run_instance(run)
    demand = _demand(instance, demand_id)
    _check_candidate(instance, demand, code)
    pins = {k: list(v) for k, v in (run.pins or {}).items()}
    pinned = pins.setdefault(demand_id, [])
    if code not in pinned:
        pinned.append(code)
    working = {k: list(v) for k, v in (run.working or {}).items()}
    current = [c for c in working.get(demand_id, []) if c != code]
    keep = [c for c in current if c in pinned] + [c for c in current if c not in pinned]
    working[demand_id] = ([code] + keep)[:max(_needed(demand, instance), len(pinned))]
    removals = {k: [c for c in v if c != code] for k, v in (run.removals or {}).items()}
    run.pins, run.working, run.removals = pins, working, removals
    audit.record("update", run, object_type="SolveRun", region_id=run.region_id, user=user, detail=f"pin {demand_id} {code}")


def remove(run: SolveRun, demand_id: str, code: str, user=None) -> None:
    instance = run_instance(run)
    _demand(instance, demand_id)
    working = {k: list(v) for k, v in (run.working or {}).items()}
    if code not in working.get(demand_id, []):
        raise PlanningError(_("This expert is not assigned to this work."))
    working[demand_id] = [c for c in working[demand_id] if c != code]
    if not working[demand_id]:
        del working[demand_id]
    pins = {k: [c for c in v if c != code] for k, v in (run.pins or {}).items()}
    removals = {k: list(v) for k, v in (run.removals or {}).items()}
    removals.setdefault(demand_id, [])
    if code not in removals[demand_id]:
        removals[demand_id].append(code)
    run.working, run.pins, run.removals = working, {k: v for k, v in pins.items() if v}, removals
    audit.record("update", run, object_type="SolveRun", region_id=run.region_id, user=user, detail=f"remove {demand_id} {code}")


def swap(run: SolveRun, demand_id: str, old: str, new: str, user=None) -> None:
    instance = run_instance(run)
    demand = _demand(instance, demand_id)
    if old not in (run.working or {}).get(demand_id, []):
        raise PlanningError(_("This expert is not assigned to this work."))
    _check_candidate(instance, demand, new)
    remove(run, demand_id, old, user)
    pin(run, demand_id, new, user)


def swap_choices(run: SolveRun, demand_id: str) -> list[str]:
    """Only the experts who may do this work and are not on it already."""
    instance = run_instance(run)
    demand = _demand(instance, demand_id)
    on = set((run.working or {}).get(demand_id, []))
    return [c for c in eligible_experts(instance, demand_id) if c not in on and c not in demand.exclude]


def violations(run: SolveRun):
    return validate_assignments(run_instance(run), run.working or {})


# -- publishing -------------------------------------------------------------
def working_plan(run: SolveRun) -> Plan:
    """The plan as the lead left it: solver reasons where unchanged, fresh figures.
    Sentences are English with their keys (a published plan keeps them), never
    in the language of whoever publishes."""
    instance = run_instance(run)
    solved = run_plan(run)
    why = {a.demand: (a.experts, a.why) for a in solved.assignments} if solved else {}
    reasons = {u.demand: u.reasons for u in solved.unassigned} if solved else {}
    mapping = {k: list(v) for k, v in (run.working or {}).items() if v}
    objective, summaries = evaluate(instance, mapping)
    assignments, unassigned = [], []
    for demand in instance.demands:
        experts = mapping.get(demand.id)
        if experts:
            solver_experts, solver_why = why.get(demand.id, ([], []))
            assignments.append(Assignment(demand.id, experts, list(solver_why) if solver_experts == experts
                                          else [say("set_by_lead")]))
        else:
            unassigned.append(Unassigned(demand.id, list(reasons.get(demand.id) or [say("removed_by_lead")])))
    edited = solved is None or {a.demand: a.experts for a in solved.assignments} != mapping
    status = "feasible" if edited or solved is None else solved.status
    return Plan(status, assignments, unassigned, summaries, objective, solved.solve_seconds if solved else 0.0)


def diff(before: dict[str, list[str]], after: dict[str, list[str]]) -> dict[str, dict[str, list[str]]]:
    """Per expert: the demands they gained and lost."""
    changes: dict[str, dict[str, list[str]]] = {}
    for demand in sorted(set(before) | set(after)):
        old, new = set(before.get(demand, [])), set(after.get(demand, []))
        for code in sorted(new - old):
            changes.setdefault(code, {"added": [], "removed": []})["added"].append(demand)
        for code in sorted(old - new):
            changes.setdefault(code, {"added": [], "removed": []})["removed"].append(demand)
    return changes


def publish(run: SolveRun, user=None, confirm_violations: bool = False) -> PlanVersion:
    if run.status != "done":
        raise PlanningError(_("Only a finished run can be published."))
    found = violations(run)
    if found and not confirm_violations:
        raise PlanningError(_("This plan breaks %(n)s rule(s). Confirm to publish it anyway.", n=len(found)))
    region = db.session.get(Region, run.region_id)
    period = Period(run.period_start, run.period_end)
    instance = run_instance(run)
    plan = working_plan(run)
    previous = current_version(region.id, period)
    before = version_mapping(previous) if previous else {}
    after = {a.demand: list(a.experts) for a in plan.assignments}
    version = PlanVersion(region_id=region.id, period_start=period.start, period_end=period.end,
                          number=(previous.number + 1) if previous else 1, run_id=run.id,
                          published_by_id=getattr(user, "id", None), instance_json=run.instance_json,
                          plan_json=dumps(plan_to_dict(plan)), changes=diff(before, after),
                          violations=[v.data() for v in found])
    db.session.add(version)
    db.session.flush()
    detail = f"version {version.number}; {sum(len(c['added']) + len(c['removed']) for c in version.changes.values())} changes"
    if found:
        detail += f"; published with {len(found)} violation(s) confirmed"
    audit.record("publish", version, object_type="PlanVersion", region_id=region.id, user=user, detail=detail)
    problems = apply_plan(region, plan, instance, user)
    version.problems = [p.to_dict() for p in problems]
    db.session.commit()
    # experts with new or removed work are told (after the commit: a mail never holds up the plan)
    notify.plan_published(version, {d.id: d.label or d.kind for d in instance.demands})
    db.session.commit()
    return version


def apply_plan(region: Region, plan: Plan, instance, user=None) -> list[Problem]:
    """Every enabled plugin receives the published plan; the problems they met, in plugin order."""
    problems: list[Problem] = []
    for plugin in enabled_plugins(region):
        met = plugin.apply(region, plan, instance, user)
        if not isinstance(met, list) or not all(isinstance(p, Problem) for p in met):
            raise PluginError(f"plugin {plugin.name!r}: hook 'apply' must return a list of Problem, "
                              f"not {type(met).__name__}")
        problems.extend(met)
    return problems
