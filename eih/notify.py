"""Notifications by e-mail: who is told what, each kind switchable per user.

Mail goes out through Flask-Mailman: over SMTP when ``MAIL_SERVER`` is set,
otherwise into ``<instance>/mail/`` as files (nothing leaves the machine until
someone configures a server). A mail never carries client details: it names a
case by its pseudonymous code at most, and links to the app (``BASE_URL``),
where the reader logs in to see more.

Every mail sent is a :class:`Notification` row (who, which kind, about what,
when; never the text), so a daily run does not send the same warning twice and
the access log can show that someone was told. Sending never breaks the action
that caused it: a mail server that is down is logged, and the action stands.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_mailman import EmailMessage
from sqlalchemy import Boolean, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .clock import utcnow
from .extensions import db
from .models import Expert, User, parse_expert_code

log = logging.getLogger(__name__)

# kind -> (the roles it concerns, its label on the account page)
KINDS: dict[str, tuple[tuple[str, ...], object]] = {
    "plan_published": (("expert",), _l("A published plan gives me new work or takes work away")),
    "request_received": (("lead",), _l("A request arrives through the public form")),
    "declined": (("lead",), _l("An expert declines work")),
    "timesheet_submitted": (("lead",), _l("An expert submits a timesheet")),
    "thv_deadline": (("lead",), _l("The restraining order of a THV request ends soon")),
    "absence_alert": (("coordinator",), _l("A support-group member misses sessions in a row")),
    "safety_incident": (("lead", "coordinator"), _l("A safety incident is reported")),
}


class NotificationSetting(db.Model):
    """A user's switch for one kind of notification; no row means on."""

    __tablename__ = "notification_setting"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class Notification(db.Model):
    """One mail sent: to whom, which kind, about what (a stable key), when. Never the text."""

    __tablename__ = "notification"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    key: Mapped[str] = mapped_column(String(160), default="", index=True)
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


# -- switches ----------------------------------------------------------------------

def kinds_for(user: User) -> list[str]:
    """The kinds of notification that concern ``user``'s role."""
    return [kind for kind, (roles, _label) in KINDS.items() if user.role in roles]


def label(kind: str) -> str:
    return str(KINDS[kind][1])


def wants(user: User, kind: str) -> bool:
    row = db.session.execute(db.select(NotificationSetting).filter_by(user_id=user.id, kind=kind)).scalar_one_or_none()
    return True if row is None else bool(row.enabled)


def set_wanted(user: User, kind: str, enabled: bool) -> None:
    """Switch one kind on or off for ``user`` (the caller commits)."""
    if kind not in KINDS:
        raise ValueError(kind)
    row = db.session.execute(db.select(NotificationSetting).filter_by(user_id=user.id, kind=kind)).scalar_one_or_none()
    if row is None:
        row = NotificationSetting(user_id=user.id, kind=kind)
        db.session.add(row)
    row.enabled = bool(enabled)


# -- sending ----------------------------------------------------------------------------

def link(path: str = "/") -> str:
    """An absolute link into the app: ``BASE_URL`` (EIH_BASE_URL) and a path."""
    return current_app.config["BASE_URL"].rstrip("/") + "/" + path.lstrip("/")


def already_sent(kind: str, key: str, user: User | None = None) -> bool:
    query = db.select(Notification.id).filter_by(kind=kind, key=key)
    if user is not None:
        query = query.filter_by(user_id=user.id)
    return db.session.execute(query.limit(1)).first() is not None


def send(kind: str, users: Iterable[User], subject, body, path: str = "/", key: str = "",
         once: bool = False) -> list[User]:
    """Mail ``users`` who want ``kind``; returns who was mailed.

    ``subject`` and ``body`` are callables returning text, called once per
    recipient in that recipient's language; the body gets the link to ``path``
    appended. With ``once``, a user already told about ``key`` is skipped.
    The caller commits (the Notification rows).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    sent = []
    for user in users:
        if not user.active or not user.email or not wants(user, kind):
            continue
        if once and key and already_sent(kind, key, user):
            continue
        with force_locale(user.locale or "nl"):
            title = str(subject())
            text = str(body()) + "\n\n" + _("Open the app: %(link)s", link=link(path)) + "\n\n" + _(
                "You get this mail because of your notification settings in the app (My account).")
        try:
            EmailMessage(subject=title, body=text, to=[user.email],
                         from_email=current_app.config["MAIL_DEFAULT_SENDER"]).send()
        except Exception:  # a mail server that is down must not undo the action that caused the mail
            log.exception("notification %s to user %s could not be sent", kind, user.id)
            continue
        db.session.add(Notification(user_id=user.id, kind=kind, key=key[:160]))
        sent.append(user)
    return sent


def staff(region_id: int | None, *roles: str) -> list[User]:
    """Active users of a region with one of ``roles``."""
    if region_id is None:
        return []
    return db.session.execute(db.select(User).where(User.region_id == region_id, User.role.in_(roles),
                                                    User.active.is_(True)).order_by(User.id)).scalars().all()


# -- the events ----------------------------------------------------------------------------

def plan_published(version, labels: dict[str, str]) -> list[User]:
    """A published version gave experts new work or took work away (``version.changes``).

    ``labels``: demand id -> its title in the plan (case code and kind, a group's
    name and time): no client details.
    """
    told = []
    week = f"{version.period_start:%d-%m} - {version.period_end:%d-%m-%Y}"
    for code, change in sorted((version.changes or {}).items()):
        expert = db.session.get(Expert, parse_expert_code(code) or 0)
        if expert is None or expert.user is None or not (change.get("added") or change.get("removed")):
            continue
        added = [labels.get(d, d) for d in change.get("added", [])]
        removed = [labels.get(d, d) for d in change.get("removed", [])]

        def body(added=added, removed=removed):
            lines = [_("Your schedule for %(week)s has changed.", week=week)]
            if added:
                lines.append(_("New work:") + "\n" + "\n".join(f"- {a}" for a in added))
            if removed:
                lines.append(_("No longer yours:") + "\n" + "\n".join(f"- {r}" for r in removed))
            return "\n\n".join(lines)
        told += send("plan_published", [expert.user], lambda: _("Your schedule has changed"), body,
                     path="/admin/my-schedule/", key=f"plan-{version.id}")
    return told


def request_received(req, path: str) -> list[User]:
    """A professional's request arrived through the public form: the region's leads."""
    return send("request_received", staff(req.region_id, "lead"),
                lambda: _("New request %(code)s", code=req.code),
                lambda: _("A professional sent request %(code)s through the request form. It is registered and "
                          "waits for you.", code=req.code), path=path, key=f"request-{req.id}")


def declined(expert: Expert, work: str, path: str = "/admin/") -> list[User]:
    """An expert declined a piece of work (``work``: its title, e.g. the case code)."""
    return send("declined", staff(expert.region_id, "lead"),
                lambda: _("%(name)s declined work", name=expert.name),
                lambda: _("%(name)s declined %(work)s. It waits for you again.", name=expert.name, work=work),
                path=path)


def timesheet_submitted(timesheet, path: str = "/admin/") -> list[User]:
    """An expert submitted a timesheet: the region's leads.

    ``timesheet`` is any object with ``id``, ``expert`` (an Expert) and
    ``week`` (text such as ``2026-W49``, or the Monday as a date).
    """
    expert = timesheet.expert
    week = timesheet.week if isinstance(timesheet.week, str) else f"{timesheet.week:%G-W%V}"
    return send("timesheet_submitted", staff(expert.region_id, "lead"),
                lambda: _("Timesheet of %(name)s, %(week)s", name=expert.name, week=week),
                lambda: _("%(name)s submitted the timesheet of %(week)s for your approval.",
                          name=expert.name, week=week), path=path, key=f"timesheet-{timesheet.id}")


def thv_deadline(req, days_left: int, path: str) -> list[User]:
    """A THV request's restraining order ends soon: the region's leads, once per request and end date."""
    return send("thv_deadline", staff(req.region_id, "lead"),
                lambda: _("THV %(code)s: %(days)s day(s) left", code=req.code, days=days_left),
                lambda: _("The restraining order of THV request %(code)s ends in %(days)s day(s).",
                          code=req.code, days=days_left),
                path=path, key=f"thv-{req.id}-{req.restraining_order_until}", once=True)


def absence_alert(region_id: int, group_name: str, absences: int, key: str, path: str) -> list[User]:
    """A support-group member reached the absence alert: the region's coordinators (no name in the mail)."""
    return send("absence_alert", staff(region_id, "coordinator"),
                lambda: _("Absences in a row in %(group)s", group=group_name),
                lambda: _("A member of %(group)s has missed %(n)s sessions in a row.", group=group_name, n=absences),
                path=path, key=key, once=True)


def safety_incident(incident, path: str) -> list[User]:
    """A safety incident: the region's leads and coordinators, at once."""
    return send("safety_incident", staff(incident.region_id, "lead", "coordinator"),
                lambda: _("Safety incident: %(subject)s", subject=incident.subject_label),
                lambda: _("%(who)s reported a safety incident (%(subject)s). Please follow it up in the app.",
                          who=incident.reported_by.name if incident.reported_by else "-",
                          subject=incident.subject_label),
                path=path, key=f"incident-{incident.id}")
