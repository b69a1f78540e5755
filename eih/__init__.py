"""eih: planning and administration for Ervaring in Huis.

This package is light on purpose: importing it (and so ``eih.scheduler``, the
pure-Python planning engine, and its command line ``eih-schedule``) loads no
Flask, Flask-Admin or SQLAlchemy. The web application's factory lives in
:mod:`eih.app`; ``from eih import create_app`` and ``flask --app eih`` find it
through the module-level ``__getattr__`` below, which imports :mod:`eih.app`
on first use.
"""
from __future__ import annotations

__all__ = ["create_app"]


def __getattr__(name: str):
    if name == "create_app":
        from .app import create_app  # the web stack, only when the app is asked for

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
