"""``flask --app eih outreach generate --region <slug>``: put the sessions of the
region's yearly calendar agreements into the calendar (idempotent)."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from ... import audit, clock
from ...cli import fail
from ...extensions import db
from ...models import Region
from ...plugins import is_enabled
from . import rules
from .models import PLUGIN, OutreachAgreement

commands = AppGroup("outreach", help="Outreach: information sessions and knowledge transfer.")


@commands.command("generate")
@click.option("--region", "slug", required=True, help="Region short name, e.g. rotterdam-rijnmond.")
def generate_command(slug: str) -> None:
    """Put the sessions of every active calendar agreement from today on into the calendar."""
    region = db.session.execute(db.select(Region).filter_by(slug=slug)).scalar_one_or_none()
    if region is None:
        fail(f"unknown region {slug!r}")
    if not is_enabled(region.id, PLUGIN):
        fail(f"the outreach plugin is not enabled for {slug}")
    agreements = db.session.execute(db.select(OutreachAgreement).filter_by(region_id=region.id, active=True)
                                    .order_by(OutreachAgreement.id)).scalars().all()
    total = 0
    for agreement in agreements:
        try:
            created = rules.generate_agreement_sessions(agreement, clock.today())
        except rules.RuleError as exc:
            db.session.rollback()
            fail(f"agreement {agreement.id} ({agreement.organisation}): {exc}")
        for session in created:
            audit.record("create", session, object_type="OutreachSession", region_id=region.id,
                         detail=f"agreement {agreement.id}")
        total += len(created)
    db.session.commit()
    click.echo(f"planned {total} sessions from {len(agreements)} calendar agreements")
