"""Synthetic instances (work in progress)."""
from __future__ import annotations


def generate(experts, weeks=1, seed=0, regions=1, start=None):
    raise NotImplementedError
