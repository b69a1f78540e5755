"""The personal iCalendar feed: a secret URL per expert, revocable.

Only a SHA-256 of the token is stored, so the database alone cannot open a
feed. The feed holds the expert's own published work with non-identifying
titles, times in Europe/Amsterdam (with its VTIMEZONE), stable UIDs.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta, timezone

from flask import Blueprint, Response, abort
from icalendar import Calendar, Event

from .. import audit, clock
from ..extensions import db
from ..models import Expert, utcnow
from .models import CalendarToken
from .schedule import items_for

TZ = clock.ZONE
PAST_WEEKS, FUTURE_WEEKS = 4, 12

bp = Blueprint("calendar", __name__)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(expert: Expert, user=None) -> str:
    """Revoke the expert's current feed and return a fresh secret (shown once)."""
    revoke(expert, user)
    token = secrets.token_urlsafe(32)
    db.session.add(CalendarToken(expert_id=expert.id, token_hash=hash_token(token), active=True))
    audit.record("create", object_type="CalendarToken", object_id=expert.id, region_id=expert.region_id, user=user)
    return token


def revoke(expert: Expert, user=None) -> bool:
    rows = db.session.execute(db.select(CalendarToken).filter_by(expert_id=expert.id, active=True)).scalars().all()
    for row in rows:
        row.active, row.revoked_at = False, utcnow()
    if rows:
        audit.record("delete", object_type="CalendarToken", object_id=expert.id, region_id=expert.region_id, user=user)
    return bool(rows)


def has_feed(expert: Expert) -> bool:
    return db.session.execute(db.select(CalendarToken.id).filter_by(expert_id=expert.id, active=True)).first() is not None


def calendar_for(expert: Expert, today: date | None = None) -> Calendar:
    today = today or clock.today()
    cal = Calendar()
    cal.add("prodid", "-//Ervaring in Huis//eih planning//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Ervaring in Huis")
    cal.add("x-wr-timezone", "Europe/Amsterdam")
    stamp = utcnow().replace(tzinfo=timezone.utc)
    for item in items_for(expert, today - timedelta(weeks=PAST_WEEKS), today + timedelta(weeks=FUTURE_WEEKS)):
        event = Event()
        event.add("uid", f"{item.uid}/{expert.code}@eih")
        event.add("dtstamp", stamp)
        if item.start is not None:
            event.add("summary", item.title)
            event.add("dtstart", item.start.replace(tzinfo=TZ))
            event.add("dtend", item.end.replace(tzinfo=TZ))
        else:
            # Capacity work: hours in the week, no fixed time; shown, never blocking.
            event.add("summary", f"{item.title} ({item.hours:g} h)")
            event.add("dtstart", item.week)
            event.add("dtend", item.week + timedelta(days=1))
            event.add("transp", "TRANSPARENT")
        event.add("categories", [item.kind])
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal


@bp.route("/calendar/<token>.ics")
def feed(token: str):
    if len(token) > 200:
        abort(404)
    row = db.session.execute(db.select(CalendarToken).filter_by(token_hash=hash_token(token), active=True)).scalar_one_or_none()
    if row is None or not row.expert.active or not row.expert.user.active:
        abort(404)
    body = calendar_for(row.expert).to_ical()
    return Response(body, mimetype="text/calendar", headers={"Cache-Control": "private, max-age=300"})
