"""Words for the planning pages: kinds of work, absence reasons, numbers,
and the scheduler's English reason templates in the user's language."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from ..labels import ABSENCE_LABELS, label

KIND_LABELS = {
    "casework": _l("casework"), "supportgroup": _l("support group"), "intervision": _l("intervision"),
    "teammeeting": _l("team meeting"), "information": _l("information session"), "policy": _l("policy"),
}


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
PROGRESS_STATES = {"optimal": _l("optimal"), "best found": _l("best found"),
                   "best found so far": _l("best found so far")}
_PROGRESS = re.compile(r"^(\w+): (\S+) \((optimal|best found|best found so far)\)$")


def plan_status_label(status: str) -> str:
    return label(PLAN_STATUS_LABELS, status)


def run_status_label(status: str) -> str:
    return label(RUN_STATUS_LABELS, status)


def progress_label(message: str | None) -> str:
    """A solver progress line ("spread: 1.17 (optimal)") in the user's language; a
    plan status as its label; anything else (already translated) as it is."""
    if not message:
        return ""
    if message in PLAN_STATUS_LABELS:
        return plan_status_label(message)
    m = _PROGRESS.match(message)
    if not m or m.group(1) not in OBJECTIVE_LABELS:
        return message
    return f"{OBJECTIVE_LABELS[m.group(1)]}: {m.group(2)} ({PROGRESS_STATES[m.group(3)]})"


def kind_label(kind: str) -> str:
    return label(KIND_LABELS, kind)


def absence_label(reason: str) -> str:
    return label(ABSENCE_LABELS, reason)


def fmt(value) -> str:
    """Numbers as people read them: at most two decimals."""
    if isinstance(value, (int, float)):
        return f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
    return "" if value is None else str(value)


def reason(text: str) -> str:
    """Translate one scheduler explanation (see eih.scheduler.reasons)."""
    from .reasons_i18n import translate
    return translate(text)


def template_globals() -> dict:
    return {"kind_label": kind_label, "absence_label": absence_label, "fmt": fmt, "reason": reason,
            "objective_labels": OBJECTIVE_LABELS, "plan_status_label": plan_status_label,
            "run_status_label": run_status_label, "progress_label": progress_label}
