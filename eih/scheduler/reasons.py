"""Reason templates: every explanation is built from one of these small templates,
so the web app can translate them (look up the key, format with the same fields)."""

from __future__ import annotations

from datetime import datetime

TEMPLATES: dict[str, str] = {
    # why an expert cannot serve a demand (rule 1, 2 and single-demand limits)
    "region": "works in region {have}, the demand is in {want}",
    "gender": "is {have}, requires gender={want}",
    "perspective": "lacks the {want} perspective",
    "language": "does not speak {want}",
    "specialty": "lacks specialty {want}",
    "excluded": "is excluded from this demand",
    "unavailable": "is unavailable {when}{why}",
    "week_off": "is on leave the whole week {week}",
    "contract_single": "has a {limit} h limit in week {week}, the demand needs {hours} h",
    "load_single": "has a weekly load cap of {cap}, the demand carries {load}",
    "recovery_history": "is in recovery until {until} after heavy work",
    # unassigned demands
    "no_candidates": "no expert matches: {summary}",
    "too_few": "needs {needed} experts, only {count} can serve it: {names}",
    "pin_conflict": "pin not honoured: {expert} {problem}",
    "pin_too_many": "pin not honoured: {count} experts pinned, the demand needs {needed}",
    "pin_joint": "pin not honoured: {expert} is pinned to demands that cannot all be served together",
    "pin_other": "left open because a pin on it could not be honoured",
    "busy": "every candidate is needed elsewhere or at a limit: {details}",
    "busy_expert": "{expert} {what}",
    "all_experts_none": "nobody of the region is available in its slot",
    "time_limit": "not staffed in the best plan found within the time limit",
    "could_staff": "could still be staffed: {names} fit(s) next to the rest of the plan",
    # why this expert
    "why_requires": "meets {what}",
    "why_continuity": "continuity: already works with this client or group",
    "why_previous": "kept from the published plan",
    "why_pinned": "pinned by the project lead",
    "why_prefer": "{kind} match: {value}",
    "why_load": "relative load {rel} after this plan ({hours} h this period)",
    "why_all": "everyone of the region available attends",
    # what keeps an expert busy (for unassigned demands)
    "at_contract": "is at the {limit} h limit of week {week}",
    "at_load": "is at the weekly load cap {cap} in week {week}",
    "double_booked": "is busy with {other} at that time",
    "in_recovery": "is in recovery after {other}",
    "heavy_day": "already has {count} heavy slot(s) that day",
}


def say(key: str, **fields) -> str:
    return TEMPLATES[key].format(**fields)


def when(start: datetime, end: datetime | None = None) -> str:
    text = start.strftime("%a %d %b %H:%M")
    if end is not None:
        text += end.strftime("-%H:%M") if end.date() == start.date() else end.strftime(" to %a %d %b %H:%M")
    return text


def num(v: float) -> str:
    return f"{float(v):g}" if abs(float(v) - round(float(v), 2)) < 1e-9 else f"{float(v):.2f}"
