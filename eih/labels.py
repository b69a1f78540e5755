"""Words for stored values, and the one helper for choices and labels.

A vocabulary is a dict from the stored value (English, in code) to its label
(English source text through lazy_gettext, shown in the reader's language).
Forms take ``choices(LABELS)``, lists and templates ``label(LABELS, value)``,
Flask-Admin columns ``formatter(LABELS)``. Each plugin keeps its own
vocabularies in its ``labels.py``; these are the core's.
"""
from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l

ROLE_LABELS = {"admin": _l("Administrator"), "lead": _l("Project lead"),
               "coordinator": _l("Team coordinator"), "expert": _l("Expert by experience")}
GENDER_LABELS = {"female": _l("female"), "male": _l("male"), "other": _l("other")}
# Unavailability.reason: leave and absence of an expert
ABSENCE_LABELS = {"leave": _l("leave"), "sickness": _l("sickness"), "training": _l("training"), "other": _l("other")}
# Decline.reason: why an expert said no to a piece of work
DECLINE_LABELS = {"unsafe": _l("unsafe"), "conflict": _l("conflict of interest"),
                  "capacity": _l("capacity"), "other": _l("other")}


def choices(labels: Mapping, blank: bool = False) -> list[tuple]:
    """``[(value, label), ...]`` for a SelectField; ``blank`` puts an empty choice first."""
    items = list(labels.items())
    return [("", "")] + items if blank else items


def label(labels: Mapping, value) -> str:
    """The label of ``value`` in the reader's language; the value itself when it has none."""
    found = labels.get(value)
    return str(found) if found is not None else ("" if value is None else str(value))


def formatter(labels: Mapping):
    """A Flask-Admin column formatter that shows the column's value by its label."""
    return lambda view, context, model, name: label(labels, getattr(model, name))
