"""``flask --app eih intervision plan --region <slug> --from YYYY-MM-DD --to YYYY-MM-DD``"""
from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from ...extensions import db
from ...models import Region

cli = AppGroup("intervision", help="Intervision: plan sessions and team meetings by the rhythm.")


def _date(value: str, name: str) -> date:
    from ...cli import fail
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        fail(f"--{name} must be a date like 2026-12-31, not {value!r}")


@cli.command("plan")
@click.option("--region", "slug", required=True, help="Region short name, e.g. rotterdam-rijnmond.")
@click.option("--from", "start", required=True, help="First day (YYYY-MM-DD).")
@click.option("--to", "end", required=True, help="Last day (YYYY-MM-DD).")
@click.option("--no-meetings", is_flag=True, help="Plan intervision sessions only, no team meetings.")
def plan_command(slug: str, start: str, end: str, no_meetings: bool) -> None:
    """Plan the sessions (and team meetings) the rhythm needs in a period."""
    from ...cli import fail
    from ...plugins import is_enabled
    from . import services
    from .demands import _text
    region = db.session.execute(db.select(Region).filter_by(slug=slug)).scalar_one_or_none()
    if region is None:
        fail(f"unknown region {slug!r}")
    if not is_enabled(region.id, "intervision"):
        fail(f"the intervision plugin is not enabled for {slug}")
    first, last = _date(start, "from"), _date(end, "to")
    try:
        sessions, meetings = services.generate(region, first, last, meetings=not no_meetings)
    except services.IntervisionError as exc:
        db.session.rollback()
        fail(_text(exc.args[0]) if exc.args else "cannot plan this period")
    db.session.commit()
    click.echo(f"planned {len(sessions)} intervision sessions and {len(meetings)} team meetings")
