"""Figures for the funders' report: where requests come from, who asks, what came of it.

Cases whose consent was withdrawn are left out of every breakdown (municipality,
partner, kind, outcomes); only their number is reported.
"""
from __future__ import annotations

from collections import Counter

from ...extensions import db
from ...models import Region
from .models import Request


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
