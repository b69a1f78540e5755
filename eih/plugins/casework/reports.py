"""Figures for the funders' report: where requests come from, who asks, what came of it;
and the records of work for the timesheets (``worked``).

Cases whose consent was withdrawn are left out of every breakdown (municipality,
partner, kind, outcomes); only their number is reported.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta

from ...extensions import db
from ...models import Expert, Region
from ...plugins import WorkItem, demand_id
from . import rules
from .models import PLUGIN, ContactForm, Request


def worked(region: Region, expert: Expert, period) -> list[WorkItem]:
    """The expert's contact forms in the period, with their duration and heaviness.

    A contact whose heaviness reaches the region's ``heavy_rating`` (default 4 of 5)
    is heavy work ending when the conversation ended: the planning round keeps the
    expert from other heavy work for the recovery hours after it. The label is the
    case code only; the load is the heaviness."""
    start = datetime.combine(period.start, time.min)
    end = datetime.combine(period.end, time.min) + timedelta(days=1)
    heavy = rules.settings(region)["heavy_rating"]
    contacts = db.session.execute(db.select(ContactForm).join(Request).where(
        Request.region_id == region.id, ContactForm.expert_id == expert.id, ContactForm.held_at >= start,
        ContactForm.held_at < end).order_by(ContactForm.held_at, ContactForm.id)).scalars()
    return [WorkItem(day=c.held_at.date(), hours=round((c.duration_minutes or 0) / 60, 2), activity=PLUGIN,
                     label=c.request.code, municipality_id=c.request.municipality_id, partner_id=c.request.partner_id,
                     heavy_until=c.ends_at if c.heaviness >= heavy else None,
                     source=demand_id(PLUGIN, "contact", c.id), load=float(c.heaviness))
            for c in contacts]


def report(region: Region, period) -> dict:
    received = db.session.execute(db.select(Request).where(
        Request.region_id == region.id, Request.received_on >= period.start,
        Request.received_on <= period.end)).scalars().all()
    withdrawn = [r for r in received if r.consent_withdrawn_on is not None]
    counted = [r for r in received if r.consent_withdrawn_on is None]
    by_municipality = Counter(r.municipality.name if r.municipality else "?" for r in counted)
    funder = sum(1 for r in counted if r.municipality and r.municipality.is_funder)
    central = sum(1 for r in counted if r.municipality and r.municipality.is_central)
    closed = db.session.execute(db.select(Request).where(
        Request.region_id == region.id, Request.status == "closed", Request.consent_withdrawn_on.is_(None),
        Request.closed_on >= period.start, Request.closed_on <= period.end)).scalars().all()
    lengths = [r.trajectory_days for r in closed if r.trajectory_days is not None]
    return {
        "requests": len(counted),
        "consent_withdrawn": len(withdrawn),
        "by_municipality": dict(sorted(by_municipality.items())),
        "funder_municipalities": funder,
        "other_municipalities": len(counted) - funder,
        "central_municipality": central,
        "regional_municipalities": len(counted) - central,
        "by_partner": dict(sorted(Counter(r.partner.name if r.partner else "?" for r in counted).items())),
        "by_kind": dict(sorted(Counter(r.kind for r in counted).items())),
        "closed": len(closed),
        "help_accepted": dict(sorted(Counter(r.help_accepted or "unknown" for r in closed).items())),
        "follow_up_agreed": sum(1 for r in closed if r.follow_up_agreed),
        "average_trajectory_days": round(sum(lengths) / len(lengths), 1) if lengths else None,
        # the outcome filled in later: a new report of violence known within six months of closing
        "new_reports_within_six_months": sum(1 for r in closed if r.new_report == "yes"),
        "new_report_known": sum(1 for r in closed if r.new_report in ("yes", "no")),
        "by_source": dict(sorted(Counter(r.source or "lead" for r in counted).items())),
    }
