"""The error every rule violation raises, and the core's own rules.

:class:`RuleError` is the one base of every refused step, in the core, the
planning round and the plugins: a view flashes ``str(error)``, a CLI prints it
on one line and exits 2, ``apply()`` turns it into a
:class:`eih.plugins.Problem` for the project lead. Nothing is changed when a
rule refuses; the caller rolls back.

Raise it with the English source text, marked for extraction with :func:`N_`,
and the values of its ``%(name)s`` fields::

    raise RuleError(N_("%(name)s declined this request."), name=expert.name)

The text is translated when it is read (``str(error)``), in the reader's
language; so a message kept for later (a published plan's problems) is stored
untranslated. A text translated already (``gettext(...)``) is accepted as well.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext

ABSENCE_MAX_DAYS = 366


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it now (Babel's ``N_`` keyword)."""
    return message


class RuleError(ValueError):
    """A rule refused a step; ``str(error)`` says why, in the reader's language."""

    def __init__(self, message: str, **fields):
        super().__init__(message)
        self.message = str(message)
        self.fields = fields

    def __str__(self) -> str:
        return gettext(self.message, **self.fields)


def check_absence(start: datetime | None, end: datetime | None) -> None:
    """Leave or absence: the end comes after the start, and at most a year at a time.

    The one rule for absences, used by the team's leave page and the expert's own.
    """
    if start is None or end is None or end <= start:
        raise RuleError(N_("The end must come after the start."))
    if (end - start).days > ABSENCE_MAX_DAYS:
        raise RuleError(N_("Enter at most one year at a time."))
