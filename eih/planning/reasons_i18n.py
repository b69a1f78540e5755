"""The scheduler explains in English from small templates (eih.scheduler.reasons);
the web app recognises each template and says it in the user's language.

Every template key needs an entry here; a test fails when the scheduler gains
one that is not translated. Text that matches no template is shown as is.
"""
from __future__ import annotations

import re
from functools import lru_cache

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..scheduler.reasons import TEMPLATES

# The same fields as the English templates, in the user's language.
TRANSLATED = {
    "region": _l("works in region {have}, the demand is in {want}"),
    "gender": _l("is {have}, requires gender={want}"),
    "perspective": _l("lacks the {want} perspective"),
    "language": _l("does not speak {want}"),
    "specialty": _l("lacks specialty {want}"),
    "excluded": _l("is excluded from this demand"),
    "unavailable": _l("is unavailable {when}{why}"),
    "week_off": _l("is on leave the whole week {week}"),
    "contract_single": _l("has a {limit} h limit in week {week}, the demand needs {hours} h"),
    "load_single": _l("has a weekly load cap of {cap}, the demand carries {load}"),
    "recovery_history": _l("is in recovery until {until} after heavy work"),
    "no_candidates": _l("no expert matches: {summary}"),
    "too_few": _l("needs {needed} experts, only {count} can serve it: {names}"),
    "pin_conflict": _l("pin not honoured: {expert} {problem}"),
    "pin_too_many": _l("pin not honoured: {count} experts pinned, the demand needs {needed}"),
    "pin_joint": _l("pin not honoured: {expert} is pinned to demands that cannot all be served together"),
    "pin_other": _l("left open because a pin on it could not be honoured"),
    "busy": _l("every candidate is needed elsewhere or at a limit: {details}"),
    "busy_expert": _l("{expert} {what}"),
    "all_experts_none": _l("nobody of the region is available in its slot"),
    "time_limit": _l("not staffed in the best plan found within the time limit"),
    "could_staff": _l("could still be staffed: {names} fit(s) next to the rest of the plan"),
    "why_requires": _l("meets {what}"),
    "why_continuity": _l("continuity: already works with this client or group"),
    "why_previous": _l("kept from the published plan"),
    "why_pinned": _l("pinned by the project lead"),
    "why_prefer": _l("{kind} match: {value}"),
    "why_load": _l("relative load {rel} after this plan ({hours} h this period)"),
    "why_all": _l("everyone of the region available attends"),
    "at_contract": _l("is at the {limit} h limit of week {week}"),
    "at_load": _l("is at the weekly load cap {cap} in week {week}"),
    "double_booked": _l("is busy with {other} at that time"),
    "in_recovery": _l("is in recovery after {other}"),
    "heavy_day": _l("already has {count} heavy slot(s) that day"),
}
# Templates so general that they would swallow others are tried last.
LAST = ("busy_expert",)


@lru_cache(maxsize=None)
def _pattern(template: str) -> re.Pattern:
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.*?)" for i, p in enumerate(parts))
    return re.compile(f"^{regex}$", re.DOTALL)


def translate(text: str) -> str:
    keys = [k for k in TEMPLATES if k not in LAST] + [k for k in LAST if k in TEMPLATES]
    for key in keys:
        if key not in TRANSLATED:
            continue
        match = _pattern(TEMPLATES[key]).match(text)
        if match:
            fields = match.groupdict()
            for name, value in fields.items():
                if name in ("summary", "details", "problem"):
                    fields[name] = "; ".join(translate(part) for part in value.split("; "))
            try:
                return str(TRANSLATED[key]).format(**fields)
            except (KeyError, IndexError):
                return text
    return text
