"""The weekly planning round (core, not a plugin): collect, solve, review,
adjust, publish; "my schedule", availability and the calendar feed."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint

from ..home import register_home_panel
from . import models  # noqa: F401  (tables known to metadata)
from .build import build_instance
from .cli import register
from .feed import bp as feed_bp
from .home import panels
from .views import views
from .wording import template_globals

TRANSLATIONS = str(Path(__file__).resolve().parent / "translations")


def init_app(app) -> None:
    app.register_blueprint(Blueprint("planning_pages", __name__, template_folder="templates"))
    dirs = app.extensions["babel"].translation_directories
    if TRANSLATIONS not in dirs:
        dirs.append(TRANSLATIONS)
    app.register_blueprint(feed_bp)
    app.extensions.setdefault("eih_cli_hooks", []).append(register)
    register_home_panel(app, panels)
    # what eih.plugins.planning_instance() answers: plugins never import the planning round
    app.extensions["eih_instance_builder"] = build_instance
    app.jinja_env.globals.update(template_globals())


def admin_views() -> list:
    return views()
