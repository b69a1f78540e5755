"""The home page per role: a short overview and the panels modules add."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, redirect, url_for
from flask_admin import AdminIndexView, expose
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from . import clock
from .extensions import db
from .labels import ABSENCE_LABELS, label
from .models import AuditEvent, Expert, Partner, Region, Unavailability, User
from .plugins import enabled_plugins


def register_home_panel(app, func) -> None:
    """``func(user) -> list[dict(title=..., items=[(text, url)], empty=...)]``"""
    app.extensions.setdefault("eih_home_panels", []).append(func)


def _count(query) -> int:
    return db.session.execute(query).scalar_one()


def _admin_panels(user) -> list[dict]:
    users = _count(db.select(db.func.count(User.id)).where(User.active.is_(True)))
    regions = _count(db.select(db.func.count(Region.id)))
    failed = _count(db.select(db.func.count(AuditEvent.id)).where(
        AuditEvent.action == "login-failed", AuditEvent.at >= clock.utcnow() - timedelta(hours=24)))
    items = [
        (ngettext("%(num)s active user", "%(num)s active users", users), url_for("user.index_view")),
        (ngettext("%(num)s region", "%(num)s regions", regions), url_for("region.index_view")),
        (_("Plugins per region"), url_for("plugins.index")),
        (ngettext("%(num)s failed login in the last 24 hours", "%(num)s failed logins in the last 24 hours",
                  failed), url_for("auditevent.index_view")),
    ]
    return [{"title": _("Organisation"), "items": items, "alert": failed >= 10}]


def _away(region_id: int, start: datetime, end: datetime):
    return db.session.execute(
        db.select(Unavailability).join(Expert).where(
            Expert.region_id == region_id, Unavailability.start < end, Unavailability.end > start)
        .order_by(Unavailability.start)).scalars().all()


def _staff_panels(user) -> list[dict]:
    if user.region_id is None:
        return []
    experts = _count(db.select(db.func.count(Expert.id)).where(Expert.region_id == user.region_id,
                                                                Expert.active.is_(True)))
    partners = _count(db.select(db.func.count(Partner.id)).where(Partner.region_id == user.region_id,
                                                                  Partner.active.is_(True)))
    now = clock.now()
    team = [
        (ngettext("%(num)s active expert", "%(num)s active experts", experts), url_for("expert.index_view")),
        (ngettext("%(num)s partner organisation", "%(num)s partner organisations", partners),
         url_for("partner.index_view")),
        (_("Municipalities"), url_for("municipality.index_view")),
    ]
    away = [(_("%(name)s: %(reason)s until %(date)s", name=u.expert.name, reason=_reason(u.reason),
               date=format_date(u.end.date(), "d MMM")), url_for("unavailability.index_view"))
            for u in _away(user.region_id, now, now + timedelta(days=7))]
    return [{"title": _("Team"), "items": team},
            {"title": _("Away in the coming week"), "items": away, "empty": _("Everyone is available.")}]


def _expert_panels(user) -> list[dict]:
    expert = user.expert
    if expert is None:
        return []
    now = clock.now()
    profile = [
        (_("Contract: %(min)s to %(max)s hours a week", min=_hours(expert.min_hours), max=_hours(expert.max_hours)),
         None),
        (_("Languages: %(languages)s", languages=", ".join(expert.tags("languages")) or "-"), None),
        (_("My account: password and language"), url_for("account.index")),
    ]
    leave = [(_("%(reason)s from %(start)s until %(end)s", reason=_reason(u.reason),
                start=format_date(u.start.date(), "d MMM"), end=format_date(u.end.date(), "d MMM")), None)
             for u in expert.unavailability if u.end > now]
    return [{"title": _("My profile"), "items": profile},
            {"title": _("My leave and absence"), "items": leave, "empty": _("No leave or absence planned.")}]


def _hours(value) -> str:
    return f"{value:g}" if value is not None else "-"


def _reason(reason: str) -> str:
    return label(ABSENCE_LABELS, reason)


CORE_PANELS = {"admin": _admin_panels, "lead": _staff_panels, "coordinator": _staff_panels,
               "expert": _expert_panels}


def home_context() -> dict:
    user = current_user._get_current_object()
    panels = list(CORE_PANELS.get(user.role, lambda u: [])(user))
    for func in current_app.extensions.get("eih_home_panels", []):
        panels.extend(func(user) or [])
    if user.region_id is not None:
        for plugin in enabled_plugins(user.region_id):
            panels.extend(plugin.home_panels(user))
    return {"user": user, "panels": panels}


class HomeView(AdminIndexView):
    """The home page: a short overview per role; anonymous users go to login."""

    def is_visible(self) -> bool:
        return True

    @expose("/")
    def index(self):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login"))
        return self.render("eih/home.html", **home_context())
