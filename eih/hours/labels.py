"""Words for the hours pages: activities, timesheet states, warnings."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..labels import label

# Every activity a timesheet row may have: the plugins' kinds of work and the expert's own.
ACTIVITY_LABELS = {
    "casework": _l("casework"), "supportgroups": _l("support group"), "intervision": _l("intervision"),
    "teammeeting": _l("team meeting"), "outreach": _l("information session"), "policy": _l("policy work"),
    "travel": _l("travel"), "preparation": _l("preparation"), "training": _l("training"),
    "administration": _l("administration"), "other": _l("other work"), "compensation": _l("time off in lieu"),
}
OWN_ACTIVITY_LABELS = {key: ACTIVITY_LABELS[key] for key in
                       ("travel", "preparation", "training", "administration", "other", "compensation")}
STATUS_LABELS = {"open": _l("open"), "submitted": _l("submitted"), "returned": _l("returned"),
                 "approved": _l("approved")}
STATUS_BADGES = {"open": "secondary", "submitted": "info", "returned": "warning", "approved": "success"}


def activity_label(code: str) -> str:
    return label(ACTIVITY_LABELS, code)


def status_label(code: str) -> str:
    return label(STATUS_LABELS, code)
