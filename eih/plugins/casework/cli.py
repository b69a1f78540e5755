"""``flask --app eih casework ...``: the import of the old registration sheet, the daily
run that warns of THV deadlines, and the switch of the public request form."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from ... import clock, notify
from ...cli import fail
from ...extensions import db
from ...models import PluginState, Region
from ...plugins import is_enabled
from . import rules
from .importer import import_requests
from .models import OPEN_STATUSES, PLUGIN, Request

commands = AppGroup("casework", help="Casework: requests, deployments, contact forms.")


@commands.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--region", "region_slug", required=True, help="Slug of the region the requests belong to.")
@click.option("--dry-run", is_flag=True, help="Check every row, import nothing.")
def import_command(file: str, region_slug: str, dry_run: bool) -> None:
    """Import the historical registration spreadsheet (CSV, see the plugin README): all rows or none."""
    region = db.session.query(Region).filter_by(slug=region_slug).one_or_none()
    if region is None:
        fail(f"unknown region {region_slug!r}")
    try:
        with open(file, encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read {file}: {exc.__class__.__name__}")
    result = import_requests(text, region, dry_run=dry_run)
    if result.errors:
        for error in result.errors:
            click.echo(error, err=True)
        fail(f"{len(result.errors)} error(s); nothing was imported")
    if dry_run:
        click.echo(f"dry run: {len(result.rows)} rows are correct; nothing was imported")
    else:
        click.echo(f"imported {result.imported} requests into {region.slug}")


@commands.command("notify-due")
def notify_due_command() -> None:
    """Tell the leads of THV requests whose restraining order ends soon (run once a day).

    Each request is mentioned once per end date; a run on the same day again sends nothing new.
    """
    sent = 0
    today = clock.today()
    for region in db.session.execute(db.select(Region).order_by(Region.id)).scalars():
        if not is_enabled(region.id, PLUGIN):
            continue
        warn = int(rules.settings(region)["thv_warn_days"])
        requests = db.session.execute(db.select(Request).where(
            Request.region_id == region.id, Request.kind == "thv", Request.status.in_(OPEN_STATUSES),
            Request.restraining_order_until.isnot(None)).order_by(Request.id)).scalars()
        for req in requests:
            days = req.days_left(today)
            if days is not None and 0 <= days <= warn:
                sent += len(notify.thv_deadline(req, days, f"/admin/casework/case/{req.id}"))
    db.session.commit()
    click.echo(f"{sent} notification(s) sent")


@commands.command("public-form")
@click.argument("switch", type=click.Choice(["on", "off"]))
@click.option("--region", "region_slug", required=True, help="Slug of the region.")
def public_form_command(switch: str, region_slug: str) -> None:
    """Switch the public request form of a region on or off (off by default)."""
    region = db.session.query(Region).filter_by(slug=region_slug).one_or_none()
    if region is None:
        fail(f"unknown region {region_slug!r}")
    state = db.session.execute(db.select(PluginState).filter_by(region_id=region.id, plugin=PLUGIN)).scalar_one_or_none()
    if state is None or not state.enabled:
        fail(f"casework is not enabled for {region_slug}")
    state.settings = {**(state.settings or {}), "public_form": switch == "on"}
    db.session.commit()
    click.echo(f"request form of {region.slug}: {switch} (/aanvraag/{region.slug})")
