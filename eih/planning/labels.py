"""Words for the planning pages: kinds of work, absence reasons, numbers,
and the scheduler's English reason templates in the user's language."""
from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core_views import REASON_LABELS

KIND_LABELS = {
    "casework": _l("casework"), "supportgroup": _l("support group"), "intervision": _l("intervision"),
    "teammeeting": _l("team meeting"), "information": _l("information session"), "policy": _l("policy"),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def absence_label(reason: str) -> str:
    return str(REASON_LABELS.get(reason, reason))


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
    return {"kind_label": kind_label, "absence_label": absence_label, "fmt": fmt, "reason": reason}
