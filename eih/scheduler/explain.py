"""Explanations (work in progress)."""
from __future__ import annotations


def explain(instance, plan):
    raise NotImplementedError


def explain_text(instance, plan) -> str:
    raise NotImplementedError
