"""Declining work: one rule, used by casework, "my schedule" and the CLI alike.

An expert may refuse work they find unsafe (or for a conflict of interest,
capacity, another reason). The refusal is recorded for good, the demand goes
back to the project lead's queue, and the expert is excluded from it in every
later planning round. Overriding it would mean deleting the row, which no view
allows; a pin against a decline is refused by the planning round.
"""
from __future__ import annotations

from . import audit, notify
from .extensions import db
from .models import DECLINE_REASONS, Decline, Expert, expert_code
from .plugins import parse_demand_id, registry
from .rules import N_, RuleError


class DeclineError(RuleError):
    """Bad input for a decline; the message is shown to the user."""


def record_decline(expert: Expert, demand_key: str, reason: str, note: str = "", user=None, work: str = "") -> Decline:
    """Record that ``expert`` declines ``demand_key``, tell the owning plugin and mail the
    region's lead. ``work``: the work's title without client details (a case code, a
    session's title) for that mail."""
    if reason not in DECLINE_REASONS:
        raise DeclineError(N_("Choose a reason: unsafe, conflict of interest, capacity or other."))
    demand = parse_demand_id(demand_key)
    if demand is None:
        raise DeclineError(N_("Unknown piece of work."))
    existing = db.session.execute(db.select(Decline).filter_by(expert_id=expert.id, demand_key=demand_key)).scalar_one_or_none()
    if existing is not None:
        return existing
    decline = Decline(region_id=expert.region_id, expert_id=expert.id, demand_key=demand_key,
                      reason=reason, note=(note or "")[:2000], by_user_id=getattr(user, "id", None))
    db.session.add(decline)
    db.session.flush()
    audit.record("decline", decline, object_type="Decline", region_id=expert.region_id, user=user,
                 detail=f"{demand_key} reason={reason}")
    plugin = registry().get(demand.plugin)
    if plugin is not None:
        plugin.on_decline(expert, demand, reason)
    notify.declined(expert, work or plugin_label(demand.plugin))
    return decline


def plugin_label(name: str) -> str:
    plugin = registry().get(name)
    return str(plugin.label) if plugin is not None else name


def declined_experts(demand_key: str) -> list[str]:
    """Expert codes (``ed-N``) excluded from ``demand_key`` by their own decline."""
    rows = db.session.execute(db.select(Decline.expert_id).filter_by(demand_key=demand_key)).scalars()
    return sorted({expert_code(expert_id) for expert_id in rows})


def declines_by_demand(region_id: int) -> dict[str, list[str]]:
    result: dict[str, set[str]] = {}
    for key, expert_id in db.session.execute(db.select(Decline.demand_key, Decline.expert_id).filter_by(region_id=region_id)):
        result.setdefault(key, set()).add(expert_code(expert_id))
    return {k: sorted(v) for k, v in result.items()}
