"""Greedy baseline (work in progress)."""
from __future__ import annotations


def greedy(instance):
    raise NotImplementedError
