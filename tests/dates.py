"""The dates a date-sensitive test runs on, and the fixture that moves the clock there.

"Today" comes from ``eih.clock``, which reads the time through the standard
library; the ``travel`` fixture moves it with time-machine (ticking on from the
chosen moment, so timeouts and background runs behave). A test opts in with

    from tests.dates import every_date

    @every_date
    def test_something(app, travel):   # travel: the moment, an aware datetime
        ...

or, for a whole module, ``pytestmark = EVERY_DATE``. The test then runs once per
date below. The ``app`` fixture (tests/conftest.py) loads the demo at the
travelled moment: one demo database per date and session, never the session's
template built on the real date.

The dates: each day of one week (Monday just after midnight in Amsterdam, when
the date in UTC is still Sunday's; Sunday late in the evening), the turn of a
year whose 31 December is in ISO week 53 (1 January at 00:30 in Amsterdam, still
31 December in UTC), the nights of the DST changes in March and October, and
29 February.
"""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
import time_machine

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
UTC = timezone.utc


def _at(label: str, *fields, tz=AMSTERDAM):
    return pytest.param(datetime(*fields, tzinfo=tz), id=label)


DATES = [
    _at("mon-00h30", 2026, 11, 30, 0, 30),
    _at("tue", 2026, 12, 1, 12, 0),
    _at("wed", 2026, 12, 2, 9, 0),
    _at("thu", 2026, 12, 3, 14, 0),
    _at("fri", 2026, 12, 4, 17, 0),
    _at("sat", 2026, 12, 5, 11, 0),
    _at("sun-23h30", 2026, 12, 6, 23, 30),
    _at("31dec-week53", 2026, 12, 31, 12, 0),
    _at("1jan-00h30", 2027, 1, 1, 0, 30),
    _at("dst-march", 2027, 3, 28, 1, 30, tz=UTC),
    _at("dst-october", 2027, 10, 31, 1, 30, tz=UTC),
    _at("29feb", 2028, 2, 29, 12, 0),
]

EVERY_DATE = [pytest.mark.every_date, pytest.mark.usefixtures("travel"),
              pytest.mark.parametrize("travel", DATES, indirect=True)]


def every_date(test):
    """Run ``test`` once on each of ``DATES``, with the clock and the demo there."""
    for mark in reversed(EVERY_DATE):
        test = mark(test)
    return test


def key(moment: datetime) -> str:
    """A short name for a moment, fit for a file or database name."""
    return moment.astimezone(UTC).strftime("%Y%m%d_%H%M")


@pytest.fixture
def travel(request):
    """Move the clock to ``request.param`` (an aware datetime) for the test."""
    moment = request.param
    # In UTC: given a ZoneInfo, time-machine would also set the process's local zone to it, and
    # hide a naive datetime.now() that a server (running in UTC) gets wrong.
    with time_machine.travel(moment.astimezone(UTC), tick=True):
        yield moment
