"""Words for the planning pages: kinds of work, absence reasons, objective levels,
statuses, numbers. The scheduler's sentences are in :mod:`eih.planning.wording`."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..labels import ABSENCE_LABELS, label

KIND_LABELS = {
    "casework": _l("casework"), "supportgroup": _l("support group"), "intervision": _l("intervision"),
    "teammeeting": _l("team meeting"), "information": _l("information session"), "policy": _l("policy"),
    "otherwork": _l("other work"),
}
# why the planning round excluded an expert from a demand (a demand's ``exclude_reasons``)
EXCLUSION_LABELS = {"light-week": _l("light week: no heavy work")}


# the scheduler's objective levels, in priority order (eih-plan/1 ``objective`` keys)
OBJECTIVE_LABELS = {
    "coverage": _l("coverage (priority of staffed work)"), "continuity": _l("continuity (same expert as before)"),
    "changes": _l("changes to the published plan"), "intervision_overdue": _l("experts overdue for intervision"),
    "overtime": _l("overtime hours"), "max_relative_load": _l("highest relative load"),
    "below_min": _l("hours below contract minimum"), "preferences": _l("preference matches"),
    "spread": _l("load spread"),
}
PLAN_STATUS_LABELS = {
    "optimal": _l("optimal"), "feasible": _l("valid, not proven optimal"),
    "invalid-input": _l("a pin could not be honoured"),
}
RUN_STATUS_LABELS = {"queued": _l("waiting"), "running": _l("solving"), "done": _l("done"), "failed": _l("failed")}


def plan_status_label(status: str) -> str:
    return label(PLAN_STATUS_LABELS, status)


def run_status_label(status: str) -> str:
    return label(RUN_STATUS_LABELS, status)


def kind_label(kind: str) -> str:
    return label(KIND_LABELS, kind)


def absence_label(reason: str) -> str:
    return label(ABSENCE_LABELS, reason)


def fmt(value) -> str:
    """Numbers as people read them: at most two decimals."""
    if isinstance(value, (int, float)):
        return f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
    return "" if value is None else str(value)


def template_globals() -> dict:
    return {"kind_label": kind_label, "absence_label": absence_label, "fmt": fmt,
            "objective_labels": OBJECTIVE_LABELS, "plan_status_label": plan_status_label,
            "run_status_label": run_status_label}
