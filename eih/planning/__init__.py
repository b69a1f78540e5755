"""The weekly planning round (core, not a plugin): collect, solve, review,
adjust, publish; "my schedule", availability and the calendar feed."""
from __future__ import annotations


def init_app(app) -> None:
    from flask import Blueprint

    from ..home import register_home_panel
    from . import models  # noqa: F401  (tables known to metadata)
    from .cli import register
    from .feed import bp as feed_bp
    from .home import panels

    app.register_blueprint(Blueprint("planning_pages", __name__, template_folder="templates"))
    from pathlib import Path
    folder = str(Path(__file__).resolve().parent / "translations")
    dirs = app.extensions["babel"].translation_directories
    if folder not in dirs:
        dirs.append(folder)
    app.register_blueprint(feed_bp)
    app.extensions.setdefault("eih_cli_hooks", []).append(register)
    register_home_panel(app, panels)
    from .wording import template_globals
    app.jinja_env.globals.update(template_globals())


def admin_views() -> list:
    from .views import views
    return views()
