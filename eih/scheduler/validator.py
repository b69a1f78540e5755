"""Independent check of every hard constraint (work in progress)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Violation:
    rule: str
    message: str
    demand: str | None = None
    expert: str | None = None


def validate(instance, plan) -> list[Violation]:
    raise NotImplementedError


def validate_assignments(instance, mapping) -> list[Violation]:
    raise NotImplementedError
