"""Home page panels: alerts, understaffed sessions and waitlists for the
coordinator; an expert's next sessions."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _

from ... import clock
from ...extensions import db
from .models import Session, session_facilitator
from .reports import group_stats, groups_of
from .rules import may_manage, settings, visible_group_ids, waitlist


def _when(moment: datetime) -> str:
    """Weekday in the user's language, wall-clock time as stored (local)."""
    return f"{format_date(moment.date(), 'EEE d-MM')} {moment:%H:%M}"


def _week(today: date) -> tuple[datetime, datetime]:
    monday = datetime.combine(today - timedelta(days=today.weekday()), datetime.min.time())
    return monday, monday + timedelta(days=7)


def coordinator_panels(user, today: date, absence_alert: int) -> list[dict]:
    groups = groups_of(user.region_id)
    alerts, understaffed, waiting = [], [], []
    lo, hi = _week(today)
    for group in groups:
        link = url_for("supportgroups.group", group_id=group.id)
        figures = group_stats(group, today - timedelta(weeks=12), today, absence_alert)
        for row in figures["consecutive_absences"]:
            alerts.append((_("%(group)s: %(name)s absent %(n)s times in a row", group=group.name,
                             name=row["participant"], n=row["absences"]),
                           url_for("supportgroups.stats", group_id=group.id)))
        for session in group.sessions:
            if lo <= session.starts_at < hi and session.status == "planned" \
                    and len(session.facilitators) < group.facilitators_per_session:
                understaffed.append((_("%(group)s, %(when)s: %(n)s of %(m)s facilitator(s)", group=group.name,
                                       when=_when(session.starts_at), n=len(session.facilitators),
                                       m=group.facilitators_per_session), link))
        waiting.append((_("%(group)s: %(n)s waiting", group=group.name, n=len(waitlist(group))), link))
    return [
        {"title": _("Support groups: absences in a row"), "items": alerts, "alert": bool(alerts),
         "empty": _("No member missed %(n)s sessions in a row.", n=absence_alert)},
        {"title": _("Support groups: sessions this week without facilitators"), "items": understaffed,
         "alert": bool(understaffed), "empty": _("Every session this week has its facilitators.")},
        {"title": _("Support groups: waitlists"), "items": waiting, "alert": False, "empty": _("No groups yet.")},
    ]


def expert_panels(user, today: date) -> list[dict]:
    expert = user.expert
    if expert is None:
        return []
    start = datetime.combine(today, datetime.min.time())
    sessions = db.session.execute(db.select(Session).join(
        session_facilitator, session_facilitator.c.session_id == Session.id).where(
        session_facilitator.c.expert_id == expert.id, Session.starts_at >= start, Session.status == "planned")
        .order_by(Session.starts_at).limit(5)).scalars().all()
    items = [(f"{s.group.name}, {_when(s.starts_at)} · {s.group.location}",
              url_for("supportgroups.group", group_id=s.group_id)) for s in sessions]
    return [{"title": _("My next support-group sessions"), "items": items, "alert": False,
             "empty": _("You lead no support-group session soon.")}]


def home_panels(user, today: date | None = None) -> list[dict]:
    today = today or clock.today()
    if may_manage(user):
        return coordinator_panels(user, today, int(settings(user.region_id)["absence_alert"]))
    if user.role == "expert" and visible_group_ids(user):
        return expert_panels(user, today)
    return []
