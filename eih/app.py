"""The web application's factory.

``create_app(config=None)`` builds the application; the order of steps matters
(configuration, extensions, plugins, admin views, CLI) and is kept explicit.
``eih`` exposes it as ``eih.create_app`` without importing this module until it
is asked for, so the scheduler and its command line start without the web stack.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask, has_request_context, render_template, request, session
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import event

from . import (
    models,  # noqa: F401  (tables known to metadata)
    notify,  # noqa: F401  (tables known to metadata)
    planning,
    safety,
)
from .auth import bp as auth_bp
from .cli import register_cli
from .config import Defaults
from .core_views import core_views
from .extensions import babel, csrf, db, limiter, login_manager, mail, migrate
from .home import HomeView
from .hours import views as hours_views
from .plugins import init_plugins

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_INSTANCE = PACKAGE_DIR.parent / "instance"


def create_app(config: dict | None = None) -> Flask:
    instance_path = (config or {}).get("INSTANCE_PATH") or os.environ.get("EIH_INSTANCE_PATH") or str(DEFAULT_INSTANCE)
    app = Flask("eih", instance_path=os.path.abspath(instance_path), instance_relative_config=True)
    _configure(app, config)
    _init_extensions(app)
    plugins = init_plugins(app)
    safety.init_app(app)
    _init_babel_dirs(app, plugins)
    _init_admin(app, plugins)
    _register_blueprints(app)
    register_cli(app)
    return app


def _configure(app: Flask, config: dict | None) -> None:
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("EIH")
    if config:
        app.config.update(config)
    os.makedirs(app.instance_path, exist_ok=True)
    # The config argument (tests) wins; then DATABASE_URL from any layer; then the instance folder.
    app.config["SQLALCHEMY_DATABASE_URI"] = (
        (config or {}).get("SQLALCHEMY_DATABASE_URI") or app.config.get("DATABASE_URL")
        or app.config.get("SQLALCHEMY_DATABASE_URI")
        or f"sqlite:///{os.path.join(app.instance_path, 'eih.sqlite')}")
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {}
    if not app.config.get("MAIL_BACKEND"):
        # No mail server configured: mail is written to files in the instance folder, never lost.
        app.config["MAIL_BACKEND"] = "smtp" if app.config.get("MAIL_SERVER") else "file"
    app.config.setdefault("MAIL_FILE_PATH", os.path.join(app.instance_path, "mail"))
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path) / "secret_key")


def _instance_secret(path: Path) -> str:
    """A random key written once, readable by the owner only."""
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def select_locale() -> str:
    if not has_request_context():  # CLI commands and background solves
        return "nl"
    if current_user and current_user.is_authenticated and current_user.locale:
        return current_user.locale
    lang = request.args.get("lang") if request else None
    if lang in ("nl", "en"):
        session["lang"] = lang
    return session.get("lang") or "nl"


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            @event.listens_for(db.engine, "connect")
            def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
                cursor = dbapi_connection.cursor()
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.close()
    migrate.init_app(app, db, directory=str(PACKAGE_DIR / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    mail.init_app(app)
    babel.init_app(app, locale_selector=select_locale, default_translation_directories=str(PACKAGE_DIR / "translations"))


def _init_babel_dirs(app: Flask, plugins) -> None:
    dirs = app.extensions["babel"].translation_directories
    for plugin in plugins:
        folder = plugin.catalog_folder()
        if folder is not None and Path(folder).is_dir() and folder not in dirs:
            dirs.append(folder)


def _init_admin(app: Flask, plugins) -> None:
    admin = Admin(app, name="Ervaring in Huis", index_view=HomeView(name=_l("Home"), url="/admin"),
                  theme=Bootstrap4Theme(base_template="eih/master.html", fluid=True))
    planning.init_app(app)
    hours_views.init_app(app)
    for view in core_views() + safety.admin_views() + planning.admin_views() + hours_views.views():
        admin.add_view(view)
    for plugin in plugins:
        for view in plugin.admin_views():
            admin.add_view(view)
    app.extensions["eih_admin"] = admin


def _register_blueprints(app: Flask) -> None:
    app.register_blueprint(auth_bp)

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if current_user and getattr(current_user, "is_authenticated", False):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.errorhandler(404)
    def _not_found(exc):
        return render_template("eih/error.html", code=404), 404

    @app.errorhandler(403)
    def _forbidden(exc):
        return render_template("eih/error.html", code=403), 403

    @app.errorhandler(405)
    def _wrong_method(exc):
        return render_template("eih/error.html", code=405), 405

    @app.errorhandler(500)
    def _server_error(exc):
        # The details go to the log, never to the user; a half-done change is undone.
        db.session.rollback()
        return render_template("eih/error.html", code=500), 500

    @app.errorhandler(429)
    def _too_many(exc):
        return render_template("eih/error.html", code=429), 429

    @app.errorhandler(400)
    def _bad_request(exc):
        return render_template("eih/error.html", code=400, description=getattr(exc, "description", "")), 400
