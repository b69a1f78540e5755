"""Every sentence the scheduler says, with a stable key and its fields.

Why this expert, why a demand stays open, which rule a plan breaks, how far the
solver got: each is a :class:`Reason`, the English sentence (a ``str``, so it
prints, joins and compares as before) that also carries

* ``key``: which sentence it is, a key of :data:`TEMPLATES`, stable across versions;
* ``fields``: the values it names, as plain JSON data. Experts and demands stay
  ids (``"ed-3"``, ``"casework:41"``), times ISO strings, numbers numbers, and a
  field may hold another reason (``{"key": ..., "fields": ...}``) or a list of them.

A plan file keeps the English beside the keys (``why`` and ``why_keys``,
``reasons`` and ``reason_keys``; see docs/SCHEDULER.md), so people read it as
before, old plan files without keys still read, and the web app says the same
thing in the user's language: it looks the key up in its own catalog and fills
in the fields with :class:`Wording`, formatting each field by its name:

=====================  =====================================================
field                  value and how it is shown
=====================  =====================================================
``expert``             an expert id
``experts``            a list of expert ids, joined with ", "
``other``              a demand id, shown as the demand's label (else its id)
``demand``,            a demand id, shown as ``"id" (label)`` (the validator's
``first``, ``second``  messages, which name the demand exactly)
``when``               ``{"start": ISO time, "end": ISO time}``
``until``              an ISO time
``requires``           ``{"gender", "perspective", "languages", "specialties",
                       "region"}`` (only those set), as ``gender=male, ...``
``level``              an objective level's key (``coverage``, ...)
``value``              an objective level's value, shown as in the plan
``absence``            the reason code of an unavailable period (``leave``, ...)
``why``                the reason code of an exclusion (``light-week``, ...)
a number               shown with at most two decimals
a reason or a list     the nested reason(s), lists joined with "; " (``counts``: ", ")
anything else          a string shown as it is (region, gender, week, ...)
=====================  =====================================================
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from datetime import date, datetime
from fractions import Fraction

TEMPLATES: dict[str, str] = {
    # why an expert cannot serve a demand (rules 1 and 2, and single-demand limits)
    "region": "works in region {have}, the demand is in {want}",
    "region_none": "works in region none, the demand is in {want}",
    "gender": "is {have}, requires gender={want}",
    "gender_unknown": "is of unknown gender, requires gender={want}",
    "perspective": "lacks the {want} perspective",
    "language": "does not speak {want}",
    "specialty": "lacks specialty {want}",
    "excluded": "is excluded from this demand",
    "excluded_because": "is excluded from this demand ({why})",
    "unavailable": "is unavailable {when}",
    "unavailable_because": "is unavailable {when} ({absence})",
    "week_off": "is on leave the whole week {week}",
    "contract_single": "has a {limit} h limit in week {week}, the demand needs {hours} h",
    "load_single": "has a weekly load cap of {cap}, the demand carries {load}",
    "recovery_history": "is in recovery until {until} after heavy work",
    # unassigned demands
    "no_candidates": "no expert matches: {summary}",
    "nobody_in_region": "nobody works in region {region}",
    "nobody_meets": "requires {requires}, nobody meets it ({counts})",
    "count_of": "{count} {reason}",
    "in_region": "works in region {have}",
    "in_no_region": "works in region none",
    "is_gender": "is {have}",
    "is_unknown_gender": "is of unknown gender",
    "some_match": "requires {requires}; {count} expert(s) match, {details}",
    "count_unavailable": "{count} unavailable {when}",
    "expert_reason": "{expert} {reason}",
    "too_few": "needs {needed} experts, only {count} can serve it: {experts}",
    "pin_conflict": "pin not honoured: {expert} {problem}",
    "pin_too_many": "pin not honoured: {count} experts pinned, the demand needs {needed}",
    "pin_joint": "pin not honoured: {expert} is pinned to demands that cannot all be served together",
    "busy": "every candidate is needed elsewhere or at a limit: {details}",
    "busy_more": "every candidate is needed elsewhere or at a limit: {details} ...",
    "all_experts_none": "nobody of the region is available in its slot",
    "time_limit": "not staffed in the best plan found within the time limit",
    "could_staff": "could still be staffed: {experts} fit(s) next to the rest of the plan",
    # why this expert
    "for_expert": "{expert}: {reason}",
    "why_requires": "meets {requires}",
    "why_continuity": "continuity: already works with this client or group",
    "why_previous": "kept from the published plan",
    "why_pinned": "pinned by the project lead",
    "why_culture": "culture match: {value}",
    "why_language": "language match: {value}",
    "why_specialty": "specialty match: {value}",
    "why_load": "relative load {rel} after this plan ({hours} h this period)",
    "why_all": "everyone of the region available attends",
    # what keeps an expert busy (for unassigned demands)
    "at_contract": "is at the {limit} h limit of week {week}",
    "at_load": "is at the weekly load cap {cap} in week {week}",
    "double_booked": "is busy with {other} at that time",
    "in_recovery": "is in recovery after {other}",
    "heavy_day": "already has {count} heavy slot(s) that day",
    # progress of a solve, one line per objective level
    "level_optimal": "{level}: {value} (optimal)",
    "level_best_so_far": "{level}: {value} (best found so far)",
    "level_best": "{level}: {value} (best found)",
    # broken hard rules (the validator; each Violation also names its rule)
    "listed_twice": "demand {demand} is listed twice in the plan",
    "assigned_and_unassigned": "demand {demand} is both assigned and unassigned",
    "unknown_demand": "unknown demand {demand}",
    "unknown_expert": 'demand {demand} names an unknown expert "{expert}"',
    "expert_twice": 'expert "{expert}" is listed twice on demand {demand}',
    "cannot_serve": 'expert "{expert}" cannot serve demand {demand}: {reasons}',
    "unavailable_assigned": 'expert "{expert}" {reason} but is assigned to demand {demand}',
    "overlap": 'expert "{expert}" has demand {first} and demand {second} at overlapping times',
    "overlap_travel": ('expert "{expert}" has demand {first} and demand {second} at overlapping times '
                       "(with {minutes} min travel)"),
    "recovery_pair": 'expert "{expert}" has demand {first} and demand {second} less than {hours} h apart (both heavy)',
    "recovery_after_history": ('expert "{expert}" starts heavy demand {demand} less than {hours} h after heavy '
                               "work ending {until}"),
    "heavy_per_day": 'expert "{expert}" has {count} heavy slots on {day} (at most {max})',
    "contract_hours": ('expert "{expert}" has {hours} h in week {week}, limit {limit} h '
                       "(contract with overtime, shrunk by leave)"),
    "weekly_load": 'expert "{expert}" carries load {load} in week {week}, cap {cap}',
    "staffing": "demand {demand} needs exactly {needed} expert(s) or none, has {count}",
    "pin_missing": 'expert "{expert}" is pinned to demand {demand} but not assigned',
    "not_attending": 'expert "{expert}" is available but not attending demand {demand}',
}

DEMAND_LABEL_FIELDS = frozenset({"other"})
DEMAND_REF_FIELDS = frozenset({"demand", "first", "second"})
COMMA_LISTS = frozenset({"counts"})  # lists of short reasons, joined with ", " (others with "; ")
# string fields with a format of their own (any other string is shown as it is)
_FORMATTED = DEMAND_LABEL_FIELDS | DEMAND_REF_FIELDS | {"expert", "until", "level", "absence", "why"}


class Reason(str):
    """An English sentence with its ``key`` and ``fields`` (see the module docstring).

    Made by :meth:`Wording.say`; read back from a plan file by :func:`reason_from_data`."""

    key: str
    fields: dict

    def __new__(cls, text: str, key: str, fields: dict | None = None):
        self = super().__new__(cls, text)
        self.key = key
        self.fields = dict(fields or {})
        return self

    def __reduce__(self):  # copies and pickles keep the key and fields
        return (Reason, (str(self), self.key, self.fields))

    def data(self) -> dict:
        """``{"key": ..., "fields": ...}``, plain JSON data (nested reasons included)."""
        return {"key": self.key, "fields": _data(self.fields)}


def _data(value):
    """Field values as JSON data: nested reasons as dicts, times as ISO strings."""
    if type(value) in _PLAIN or value is None:
        return value
    if isinstance(value, Reason):
        return value.data()
    if isinstance(value, dict):
        return {k: _data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_data(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Fraction):
        value = float(value)
    if isinstance(value, float):
        return int(value) if value.is_integer() else round(value, 4)
    return value


def data_of(text: str) -> dict | None:
    """The key and fields of a sentence, or None for plain text (a plan written by hand)."""
    return text.data() if isinstance(text, Reason) else None


def reason_from_data(text: str, data) -> str:
    """The sentence ``text`` with the key and fields read from a plan file (``data``:
    ``{"key": ..., "fields": {...}}``, or None for text without a key)."""
    if not data:
        return text
    return Reason(text, data["key"], data.get("fields") or {})


def is_reason_data(value) -> bool:
    return isinstance(value, Reason) or (isinstance(value, dict) and isinstance(value.get("key"), str)
                                         and isinstance(value.get("fields", {}), dict))


_PLAIN = (str, int, bool)
_NAMES: dict[str, tuple[str, ...]] = {}  # template -> the field names it uses


def _names(template: str) -> tuple[str, ...]:
    names = _NAMES.get(template)
    if names is None:
        names = _NAMES[template] = tuple({name for _, name, _, _ in string.Formatter().parse(template) if name})
    return names


class Wording:
    """Says a key and its fields as a sentence: the key's template, each field formatted
    by its name (see the module docstring). This class speaks English; the web app
    gives its own templates and overrides the formats (dates, level names) to speak
    the user's language.

    ``demands`` maps demand ids to their labels (or to objects with a ``label``)."""

    def __init__(self, templates: Mapping[str, str] | None = None, demands: Mapping | None = None):
        self.templates = TEMPLATES if templates is None else templates
        self.demands = demands or {}

    def say(self, key: str, **fields) -> Reason:
        """A new :class:`Reason` with this wording's text (English for the scheduler)."""
        fields = _data(fields)
        return Reason(self.format(key, fields), key, fields)

    def text(self, reason) -> str:
        """A sentence (a Reason, ``{"key", "fields"}`` data, or plain text) in this wording.

        A key this wording does not know, or fields that do not fit its template,
        give the English as stored (or, nested, as this module says it), so nothing
        is ever lost."""
        if isinstance(reason, Reason):
            key, fields, stored = reason.key, reason.fields, str(reason)
        elif is_reason_data(reason):
            key, fields, stored = reason["key"], reason.get("fields") or {}, None
        else:
            return str(reason)
        try:
            return self.format(key, fields)
        except (KeyError, IndexError, ValueError, TypeError, AttributeError):
            if stored is not None:
                return stored
            try:
                return ENGLISH.format(key, fields)
            except (KeyError, IndexError, ValueError, TypeError, AttributeError):
                return key

    def format(self, key: str, fields: Mapping) -> str:
        template = str(self.templates[key])
        return template.format(**{name: self.field(name, fields[name]) for name in _names(template)})

    # -- one format per kind of field

    def field(self, name: str, value) -> str:
        if type(value) is str and name not in _FORMATTED:
            return value
        if is_reason_data(value):
            return self.text(value)
        if name == "experts":
            return ", ".join(self.expert(v) for v in value)
        if isinstance(value, list) and all(is_reason_data(v) for v in value):
            return self.join([self.text(v) for v in value], name)
        if name == "expert":
            return self.expert(value)
        if name in DEMAND_LABEL_FIELDS:
            return self.demand_label(value)
        if name in DEMAND_REF_FIELDS:
            return self.demand_ref(value)
        if name == "when":
            return self.span(value["start"], value.get("end"))
        if name == "until":
            return self.time(value)
        if name == "requires":
            return self.requirements(value)
        if name == "level":
            return self.level(value)
        if name == "absence":
            return self.absence(value)
        if name == "why":
            return self.exclusion(value)
        if name == "value":
            return str(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return self.number(value)
        return "" if value is None else str(value)

    def join(self, texts: list[str], name: str) -> str:
        return (", " if name in COMMA_LISTS else "; ").join(texts)

    def expert(self, expert_id: str) -> str:
        return str(expert_id)

    def _label(self, demand_id: str) -> str:
        found = self.demands.get(demand_id)
        return str(getattr(found, "label", found) or "")

    def demand_label(self, demand_id: str) -> str:
        return self._label(demand_id) or str(demand_id)

    def demand_ref(self, demand_id: str) -> str:
        label = self._label(demand_id)
        return f'"{demand_id}"' + (f" ({label})" if label else "")

    def span(self, start: str, end: str | None = None) -> str:
        return when(datetime.fromisoformat(start), datetime.fromisoformat(end) if end else None)

    def time(self, value: str) -> str:
        return when(datetime.fromisoformat(value))

    def requirements(self, requires: Mapping) -> str:
        parts = [f"{name}={requires[name]}" for name in ("gender", "perspective") if requires.get(name)]
        parts += [f"language={x}" for x in requires.get("languages", ())]
        parts += [f"specialty={x}" for x in requires.get("specialties", ())]
        if requires.get("region"):
            parts.append(f"region={requires['region']}")
        return ", ".join(parts) or self.nothing_special()

    def nothing_special(self) -> str:
        return "nothing special"

    def level(self, name: str) -> str:
        return str(name)

    def absence(self, code: str) -> str:
        return str(code)

    def exclusion(self, code: str) -> str:
        return str(code)

    def number(self, value: float) -> str:
        return num(value)


ENGLISH = Wording()


def say(key: str, **fields) -> Reason:
    """An English :class:`Reason` (no demand labels: use a :class:`Wording` with
    ``demands`` where a sentence names another demand)."""
    return ENGLISH.say(key, **fields)


def when(start: datetime, end: datetime | None = None) -> str:
    text = start.strftime("%a %d %b %H:%M")
    if end is not None:
        text += end.strftime("-%H:%M") if end.date() == start.date() else end.strftime(" to %a %d %b %H:%M")
    return text


def num(v: float) -> str:
    return f"{float(v):g}" if abs(float(v) - round(float(v), 2)) < 1e-9 else f"{float(v):.2f}"
