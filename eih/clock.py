"""The app's one clock: "today" and "now" in Europe/Amsterdam, and UTC for record stamps.

Two kinds of time are stored, both as naive datetimes:

- event times (sessions, slots, leave, contacts, cases) are local times in
  Europe/Amsterdam, as people enter and read them: compare them with ``now()``
  and ``today()``, never with the machine's own local time (a server runs in UTC);
- record stamps (``created_at``, audit events, logins, ``seen_at``) are UTC:
  stamp them with ``utcnow()`` and show them with ``local()``.

Every reading goes through ``datetime.now`` with a time zone, so the real time
comes from the standard library: time-machine moves it in the tests
(``tests/dates.py``) and faketime moves it for a whole process. Only the
stdlib is imported here, so the scheduler's command line and scripts can use
it without loading the web app.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Europe/Amsterdam")


def now() -> datetime:
    """The time in Europe/Amsterdam, naive like the stored event times."""
    return datetime.now(ZONE).replace(tzinfo=None)


def today() -> date:
    """The date in Europe/Amsterdam (from 22:00 or 23:00 UTC on, the next day)."""
    return now().date()


def utcnow() -> datetime:
    """The time in UTC, naive like the stored record stamps."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def local(stamp: datetime) -> datetime:
    """A naive UTC record stamp as a naive Europe/Amsterdam time."""
    return stamp.replace(tzinfo=timezone.utc).astimezone(ZONE).replace(tzinfo=None)


def utc(moment: datetime) -> datetime:
    """A naive Europe/Amsterdam time as a naive UTC time, to compare with record stamps."""
    return moment.replace(tzinfo=ZONE).astimezone(timezone.utc).replace(tzinfo=None)
