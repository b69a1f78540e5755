"""The weekly planning round (core, not a plugin): collect, solve, review,
adjust, publish; "my schedule", availability and the calendar feed."""
from __future__ import annotations


def init_app(app) -> None:
    from flask import Blueprint
    app.register_blueprint(Blueprint("planning_pages", __name__, template_folder="templates"))


def admin_views() -> list:
    return []
