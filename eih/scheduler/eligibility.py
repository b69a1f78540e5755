"""Who may serve a demand (work in progress)."""
from __future__ import annotations


def eligible(instance, expert, demand) -> bool:
    raise NotImplementedError


def eligible_experts(instance, demand_id) -> list[str]:
    raise NotImplementedError


def ineligibility_reasons(instance, expert, demand) -> list[str]:
    raise NotImplementedError
