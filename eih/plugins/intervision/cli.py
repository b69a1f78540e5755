"""``flask --app eih intervision plan --region <slug> --from YYYY-MM-DD --to YYYY-MM-DD``"""
from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from ...cli import fail
from ...extensions import db
from ...models import Region
from ...plugins import is_enabled
from . import rules
from .models import PLUGIN

commands = AppGroup("intervision", help="Intervision: plan sessions and team meetings by the rhythm.")


def _date(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        fail(f"--{name} must be a date like 2026-12-31, not {value!r}")


@commands.command("plan")
@click.option("--region", "slug", required=True, help="Region short name, e.g. rotterdam-rijnmond.")
@click.option("--from", "start", required=True, help="First day (YYYY-MM-DD).")
@click.option("--to", "end", required=True, help="Last day (YYYY-MM-DD).")
@click.option("--no-meetings", is_flag=True, help="Plan intervision sessions only, no team meetings.")
def plan_command(slug: str, start: str, end: str, no_meetings: bool) -> None:
    """Plan the sessions (and team meetings) the rhythm needs in a period."""
    region = db.session.execute(db.select(Region).filter_by(slug=slug)).scalar_one_or_none()
    if region is None:
        fail(f"unknown region {slug!r}")
    if not is_enabled(region.id, PLUGIN):
        fail(f"the intervision plugin is not enabled for {slug}")
    first, last = _date(start, "from"), _date(end, "to")
    try:
        sessions, meetings = rules.generate(region, first, last, meetings=not no_meetings)
    except rules.RuleError as exc:
        db.session.rollback()
        fail(str(exc))
    db.session.commit()
    click.echo(f"planned {len(sessions)} intervision sessions and {len(meetings)} team meetings")
