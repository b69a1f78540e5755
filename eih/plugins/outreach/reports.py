"""Figures: the funders' report (``report``) and the work done for the timesheets (``worked``).

Everything is derived from the session and order rows of the period; no names of
people, only organisations, municipalities, forms and topics.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from ...extensions import db
from ...models import Expert, Region
from ...plugins import WorkItem, demand_id
from . import rules
from .models import PLUGIN, SCORES, OutreachOrder, OutreachSession, session_expert


def _bounds(period) -> tuple[datetime, datetime]:
    start = datetime.combine(period.start, datetime.min.time())
    return start, datetime.combine(period.end, datetime.min.time()) + timedelta(days=1)


def sessions_given(region_id: int, period) -> list[OutreachSession]:
    lo, hi = _bounds(period)
    return list(db.session.execute(db.select(OutreachSession).where(
        OutreachSession.region_id == region_id, OutreachSession.status == "given", OutreachSession.starts_at >= lo,
        OutreachSession.starts_at < hi).order_by(OutreachSession.starts_at, OutreachSession.id)).scalars())


def report(region: Region, period) -> dict:
    """Sessions given per form and topic, people reached, organisations served (with
    their municipality), evaluations and follow-ups of the period.

    Keys: ``sessions_given``; ``by_form`` (stored form -> sessions, see
    ``labels.FORM_LABELS``); ``by_topic`` (topic name -> sessions);
    ``people_reached``; ``organisations_served`` (number) and ``organisations``
    (one row per organisation and municipality: sessions and people reached);
    ``by_municipality`` (municipality name, "?" when unknown -> sessions);
    ``from_agreements`` (sessions of yearly calendar agreements);
    ``evaluations`` (``count``, ``average_score``, ``by_score``);
    ``orders_received`` and ``orders_by_source``; ``follow_ups`` (``agreed``,
    ``done``, ``open``: by their reminder date in the period).
    """
    given = sessions_given(region.id, period)
    organisations: dict[tuple[str, str], dict] = {}
    for s in given:
        key = (s.organisation or "?", s.municipality.name if s.municipality else "")
        row = organisations.setdefault(key, {"organisation": key[0], "municipality": key[1], "sessions": 0,
                                             "people_reached": 0})
        row["sessions"] += 1
        row["people_reached"] += s.audience_reached or 0
    evaluated = [s for s in given if s.score is not None]
    orders = db.session.execute(db.select(OutreachOrder).where(
        OutreachOrder.region_id == region.id, OutreachOrder.received_on >= period.start,
        OutreachOrder.received_on <= period.end)
    ).scalars().all()
    follow_ups = db.session.execute(db.select(OutreachOrder).where(
        OutreachOrder.region_id == region.id, OutreachOrder.follow_up_on >= period.start,
        OutreachOrder.follow_up_on <= period.end,
        OutreachOrder.status != "cancelled")).scalars().all()
    return {
        "sessions_given": len(given),
        "by_form": dict(sorted(Counter(s.offer.form for s in given).items())),
        "by_topic": dict(sorted(Counter(s.offer.topic.name for s in given).items())),
        "people_reached": sum(s.audience_reached or 0 for s in given),
        "organisations_served": len({row["organisation"] for row in organisations.values()}),
        "organisations": sorted(organisations.values(), key=lambda r: (r["organisation"], r["municipality"])),
        "by_municipality": dict(sorted(Counter(s.municipality.name if s.municipality else "?" for s in given).items())),
        "from_agreements": sum(1 for s in given if s.agreement_id is not None),
        "evaluations": {
            "count": len(evaluated),
            "average_score": round(sum(s.score for s in evaluated) / len(evaluated), 1) if evaluated else None,
            "by_score": {str(score): sum(1 for s in evaluated if s.score == score) for score in SCORES},
        },
        "orders_received": len(orders),
        "orders_by_source": dict(sorted(Counter(o.source for o in orders).items())),
        "follow_ups": {
            "agreed": len(follow_ups),
            "done": sum(1 for o in follow_ups if o.follow_up_done_on is not None),
            "open": sum(1 for o in follow_ups if o.follow_up_done_on is None),
        },
    }


def worked(region: Region, expert: Expert, period) -> list[WorkItem]:
    """The sessions ``expert`` gave in ``period``: the session's length plus the
    item's preparation hours, on the day of the session."""
    lo, hi = _bounds(period)
    rows = db.session.execute(
        db.select(OutreachSession).join(session_expert, session_expert.c.session_id == OutreachSession.id)
        .where(session_expert.c.expert_id == expert.id, OutreachSession.region_id == region.id,
               OutreachSession.status == "given", OutreachSession.starts_at >= lo, OutreachSession.starts_at < hi)
        .order_by(OutreachSession.starts_at, OutreachSession.id)).scalars()
    load = float(rules.settings(region)["load"])  # as planned: the demand's load
    items = []
    for s in rows:
        hours = (s.ends_at - s.starts_at).total_seconds() / 3600 + float(s.offer.preparation_hours or 0)
        label = " · ".join(p for p in (s.offer.title, s.organisation) if p)
        items.append(WorkItem(day=s.starts_at.date(), hours=round(hours, 2), activity=PLUGIN, label=label,
                              municipality_id=s.municipality.id if s.municipality else None,
                              partner_id=s.partner.id if s.partner else None,
                              load=load, start=s.starts_at,
                              source=demand_id(PLUGIN, "session", s.id)))
    return items
