"""``flask --app eih policy plan --region <slug> --table <name> --first 2026-12-08T10:00
--minutes 90 --every-weeks 6 --count 4``: plan a table's meetings (idempotent)."""
from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup

from ... import audit
from ...cli import fail
from ...extensions import db
from ...models import Region
from ...plugins import is_enabled
from . import rules
from .models import PLUGIN, PolicyTable

commands = AppGroup("policy", help="Policy: tables, meetings and contributions.")


@commands.command("plan")
@click.option("--region", "slug", required=True, help="Region short name, e.g. rotterdam-rijnmond.")
@click.option("--table", "name", required=True, help="The table's name, as on its page.")
@click.option("--first", required=True, help="Start of the first meeting (YYYY-MM-DDTHH:MM, local time).")
@click.option("--minutes", default=90, show_default=True, type=int, help="Length of each meeting.")
@click.option("--every-weeks", default=6, show_default=True, type=int, help="Weeks between meetings.")
@click.option("--count", default=1, show_default=True, type=int, help="Number of meetings.")
@click.option("--place", default="", help="Where the table meets.")
def plan_command(slug: str, name: str, first: str, minutes: int, every_weeks: int, count: int, place: str) -> None:
    """Plan meetings of a table; a day that has a meeting already is skipped."""
    region = db.session.execute(db.select(Region).filter_by(slug=slug)).scalar_one_or_none()
    if region is None:
        fail(f"unknown region {slug!r}")
    if not is_enabled(region.id, PLUGIN):
        fail(f"the policy plugin is not enabled for {slug}")
    table = db.session.execute(db.select(PolicyTable).filter_by(region_id=region.id, name=name)).scalar_one_or_none()
    if table is None:
        fail(f"unknown table {name!r} in {slug}")
    try:
        start = datetime.fromisoformat(first)
    except ValueError:
        fail(f"--first must be a date and time like 2026-12-08T10:00, not {first!r}")
    if start.tzinfo is not None:
        fail("--first is local time (Europe/Amsterdam): leave out the offset")
    try:
        created = rules.plan_series(table, start, minutes, every_weeks, count, place)
    except rules.RuleError as exc:
        db.session.rollback()
        fail(str(exc))
    for meeting in created:
        audit.record("create", meeting, object_type="PolicyMeeting", region_id=region.id, detail="cli")
    db.session.commit()
    click.echo(f"planned {len(created)} meetings of {table.name}")
