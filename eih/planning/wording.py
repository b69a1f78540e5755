"""The scheduler's sentences in the user's language.

The scheduler says everything as a key with fields (:mod:`eih.scheduler.reasons`),
with the English beside it. Here every key has its template through gettext
(:data:`TRANSLATED`, Dutch in this package's catalog), and :class:`WebWording`
fills in the fields when a page is rendered: nothing translated is stored, and
nothing parses English back. A test fails when the scheduler gains a key that has
no template here.

The planning round adds a few sentences of its own (:data:`PLANNING_TEMPLATES`):
a run's progress while the model is built, the plan status when it is done, and
why the lead's edits differ from the solver's plan.
"""
from __future__ import annotations

import json
from datetime import datetime

from babel.dates import format_datetime
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..labels import ABSENCE_LABELS
from ..scheduler.reasons import TEMPLATES, Reason, Wording
from .labels import EXCLUSION_LABELS, OBJECTIVE_LABELS, PLAN_STATUS_LABELS
from .labels import template_globals as label_globals

# English, like the scheduler's: stored beside the key in plans and runs.
PLANNING_TEMPLATES = {
    "building_model": "building the model",
    "plan_status": "{status}",
    "set_by_lead": "set by the project lead",
    "removed_by_lead": "removed by the project lead",
}
ENGLISH = Wording({**TEMPLATES, **PLANNING_TEMPLATES})

# The same fields as the English templates, in the user's language.
TRANSLATED = {
    # why an expert cannot serve a demand
    "region": _l("works in region {have}, the demand is in {want}"),
    "region_none": _l("works in region none, the demand is in {want}"),
    "gender": _l("is {have}, requires gender={want}"),
    "gender_unknown": _l("is of unknown gender, requires gender={want}"),
    "perspective": _l("lacks the {want} perspective"),
    "language": _l("does not speak {want}"),
    "specialty": _l("lacks specialty {want}"),
    "excluded": _l("is excluded from this demand"),
    "excluded_because": _l("is excluded from this demand ({why})"),
    "unavailable": _l("is unavailable {when}"),
    "unavailable_because": _l("is unavailable {when} ({absence})"),
    "week_off": _l("is on leave the whole week {week}"),
    "contract_single": _l("has a {limit} h limit in week {week}, the demand needs {hours} h"),
    "load_single": _l("has a weekly load cap of {cap}, the demand carries {load}"),
    "recovery_history": _l("is in recovery until {until} after heavy work"),
    # unassigned demands
    "no_candidates": _l("no expert matches: {summary}"),
    "nobody_in_region": _l("nobody works in region {region}"),
    "nobody_meets": _l("requires {requires}, nobody meets it ({counts})"),
    "count_of": _l("{count} {reason}"),
    "in_region": _l("works in region {have}"),
    "in_no_region": _l("works in region none"),
    "is_gender": _l("is {have}"),
    "is_unknown_gender": _l("is of unknown gender"),
    "some_match": _l("requires {requires}; {count} expert(s) match, {details}"),
    "count_unavailable": _l("{count} unavailable {when}"),
    "expert_reason": _l("{expert} {reason}"),
    "too_few": _l("needs {needed} experts, only {count} can serve it: {experts}"),
    "pin_conflict": _l("pin not honoured: {expert} {problem}"),
    "pin_too_many": _l("pin not honoured: {count} experts pinned, the demand needs {needed}"),
    "pin_joint": _l("pin not honoured: {expert} is pinned to demands that cannot all be served together"),
    "busy": _l("every candidate is needed elsewhere or at a limit: {details}"),
    "busy_more": _l("every candidate is needed elsewhere or at a limit: {details} ..."),
    "all_experts_none": _l("nobody of the region is available in its slot"),
    "time_limit": _l("not staffed in the best plan found within the time limit"),
    "could_staff": _l("could still be staffed: {experts} fit(s) next to the rest of the plan"),
    # why this expert
    "for_expert": _l("{expert}: {reason}"),
    "why_requires": _l("meets {requires}"),
    "why_continuity": _l("continuity: already works with this client or group"),
    "why_previous": _l("kept from the published plan"),
    "why_pinned": _l("pinned by the project lead"),
    "why_culture": _l("culture match: {value}"),
    "why_language": _l("language match: {value}"),
    "why_specialty": _l("specialty match: {value}"),
    "why_load": _l("relative load {rel} after this plan ({hours} h this period)"),
    "why_all": _l("everyone of the region available attends"),
    # what keeps an expert busy
    "at_contract": _l("is at the {limit} h limit of week {week}"),
    "at_load": _l("is at the weekly load cap {cap} in week {week}"),
    "double_booked": _l("is busy with {other} at that time"),
    "in_recovery": _l("is in recovery after {other}"),
    "heavy_day": _l("already has {count} heavy slot(s) that day"),
    # progress of a solve
    "level_optimal": _l("{level}: {value} (optimal)"),
    "level_best_so_far": _l("{level}: {value} (best found so far)"),
    "level_best": _l("{level}: {value} (best found)"),
    # broken hard rules
    "listed_twice": _l("demand {demand} is listed twice in the plan"),
    "assigned_and_unassigned": _l("demand {demand} is both assigned and unassigned"),
    "unknown_demand": _l("unknown demand {demand}"),
    "unknown_expert": _l('demand {demand} names an unknown expert "{expert}"'),
    "expert_twice": _l('expert "{expert}" is listed twice on demand {demand}'),
    "cannot_serve": _l('expert "{expert}" cannot serve demand {demand}: {reasons}'),
    "unavailable_assigned": _l('expert "{expert}" {reason} but is assigned to demand {demand}'),
    "overlap": _l('expert "{expert}" has demand {first} and demand {second} at overlapping times'),
    "overlap_travel": _l('expert "{expert}" has demand {first} and demand {second} at overlapping times '
                         "(with {minutes} min travel)"),
    "recovery_pair": _l('expert "{expert}" has demand {first} and demand {second} less than {hours} h apart '
                        "(both heavy)"),
    "recovery_after_history": _l('expert "{expert}" starts heavy demand {demand} less than {hours} h after '
                                 "heavy work ending {until}"),
    "heavy_per_day": _l('expert "{expert}" has {count} heavy slots on {day} (at most {max})'),
    "contract_hours": _l('expert "{expert}" has {hours} h in week {week}, limit {limit} h '
                         "(contract with overtime, shrunk by leave)"),
    "weekly_load": _l('expert "{expert}" carries load {load} in week {week}, cap {cap}'),
    "staffing": _l("demand {demand} needs exactly {needed} expert(s) or none, has {count}"),
    "pin_missing": _l('expert "{expert}" is pinned to demand {demand} but not assigned'),
    "not_attending": _l('expert "{expert}" is available but not attending demand {demand}'),
    # the planning round's own
    "building_model": _l("building the model"),
    "plan_status": "{status}",
    "set_by_lead": _l("set by the project lead"),
    "removed_by_lead": _l("removed by the project lead"),
}


class WebWording(Wording):
    """The templates above in the request's language; dates, objective levels, plan
    statuses and absence reasons as the pages show them; demands by their label.

    ``demands``: the run's demands by id (scheduler ``Demand`` objects), if at hand."""

    def __init__(self, demands=None):
        super().__init__(TRANSLATED, demands)

    def field(self, name: str, value) -> str:
        if name == "status":
            return str(PLAN_STATUS_LABELS.get(value, value))
        return super().field(name, value)

    def demand_ref(self, demand_id: str) -> str:
        return f'"{self.demand_label(demand_id)}"'

    def span(self, start: str, end: str | None = None) -> str:
        first = datetime.fromisoformat(start)
        text = _local(first, "EEE d MMM HH:mm")
        if end is None:
            return text
        last = datetime.fromisoformat(end)
        if last.date() == first.date():
            return f"{text}-{_local(last, 'HH:mm')}"
        return _("%(start)s to %(end)s", start=text, end=_local(last, "EEE d MMM HH:mm"))

    def time(self, value: str) -> str:
        return self.span(value)

    def nothing_special(self) -> str:
        return _("nothing special")

    def level(self, name: str) -> str:
        return str(OBJECTIVE_LABELS.get(name, name))

    def absence(self, code: str) -> str:
        return str(ABSENCE_LABELS.get(code, code))

    def exclusion(self, code: str) -> str:
        return str(EXCLUSION_LABELS.get(code, code))


def _local(value: datetime, pattern: str) -> str:
    """A scheduler time (local, naive) in the user's language, as it is: Flask-Babel's own
    format_datetime would take it for UTC and move it to Amsterdam time."""
    return format_datetime(value, pattern, locale=get_locale())


def say(key: str, **fields) -> Reason:
    """One of the planning round's own sentences, English with its key and fields."""
    return ENGLISH.say(key, **fields)


def reason(text, demands=None) -> str:
    """A scheduler sentence (a Reason, or text without a key) in the user's language."""
    return WebWording(demands).text(text)


PROGRESS_LENGTH = 200  # SolveRun.progress


def progress_value(line) -> str:
    """What a run stores as its progress: the line's key and fields as JSON, never
    translated text (a background thread has no user, and the reader may be English).
    A line without a key (from a solver plugged in for tests) is kept as its text."""
    if isinstance(line, Reason):
        value = json.dumps(line.data(), ensure_ascii=False, separators=(",", ":"))
        if len(value) <= PROGRESS_LENGTH:
            return value
    text = str(line)
    while len(value := json.dumps({"key": "", "text": text}, ensure_ascii=False)) > PROGRESS_LENGTH:
        text = text[:-10]
    return value


def progress_label(stored: str | None) -> str:
    """A run's stored progress in the user's language. Runs stored before progress had
    keys hold a plan status or English text: the status is translated, the rest shown."""
    if not stored:
        return ""
    try:
        data = json.loads(stored)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return str(PLAN_STATUS_LABELS.get(stored, stored))
    if not data.get("key"):
        return str(data.get("text", ""))
    return WebWording().text(data)


def template_globals() -> dict:
    return {**label_globals(), "reason": reason, "progress_label": progress_label}
