"""Login, logout, password change, language; throttling of failed logins."""
from __future__ import annotations

import hashlib
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import func
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, Length

from .. import audit
from ..extensions import db, login_manager
from ..models import AuditEvent, User, utcnow

bp = Blueprint("auth", __name__)
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please log in to open this page.")
login_manager.session_protection = "strong"


@login_manager.user_loader
def load_user(user_id: str):
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    # A deactivated account loses its open sessions at the next request.
    return user if user is not None and user.active else None


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), filters=[lambda v: v.strip() if isinstance(v, str) else v],
                       validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


def account_key(email: str) -> str:
    """Failed logins are counted per account without storing unknown addresses."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def failures_since(**filters) -> int:
    since = utcnow() - timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])
    query = db.select(func.count(AuditEvent.id)).where(AuditEvent.action == "login-failed", AuditEvent.at >= since)
    for column, value in filters.items():
        query = query.where(getattr(AuditEvent, column) == value)
    return db.session.execute(query).scalar_one()


def login_throttled(email: str) -> bool:
    cfg = current_app.config
    return (failures_since(object_type="account", object_id=account_key(email)) >= cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
            or failures_since(ip=audit.client_ip()) >= cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"])


def safe_next(target: str | None) -> str:
    """Only same-site relative paths: no open redirect through ?next=."""
    if target and target.startswith("/") and not target.startswith("//"):
        # Browsers read "/\\host" and "/<tab>/host" as "//host": refuse backslashes and control characters.
        if "\\" not in target and not any(ord(c) < 32 or ord(c) == 127 for c in target):
            parts = urlsplit(target)
            if not parts.scheme and not parts.netloc:
                return target
    return url_for("admin.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("admin.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        if login_throttled(email):
            audit.record("login-failed", object_type="account", object_id=account_key(email), detail="throttled", commit=True)
            flash(_("Too many failed attempts. Wait %(minutes)s minutes and try again.",
                    minutes=current_app.config["LOGIN_WINDOW_MINUTES"]), "danger")
            return render_template("eih/login.html", form=form), 429
        user = db.session.execute(db.select(User).where(func.lower(User.email) == email)).scalar_one_or_none()
        if user is not None and user.active and user.check_password(form.password.data):
            session.clear()
            login_user(user)
            session.permanent = True
            user.last_login_at = utcnow()
            audit.record("login", user, user=user, commit=True)
            return redirect(safe_next(request.args.get("next")))
        audit.record("login-failed", object_type="account", object_id=account_key(email),
                     region_id=user.region_id if user else None, commit=True)
        flash(_("Unknown e-mail address or wrong password."), "danger")
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("eih/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        audit.record("logout", current_user._get_current_object(), commit=True)
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/")
def root():
    return redirect(url_for("admin.index"))
