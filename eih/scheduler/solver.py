"""CP-SAT solver (work in progress)."""
from __future__ import annotations


def solve(instance, time_limit=None, seed=None, progress=None):
    raise NotImplementedError
