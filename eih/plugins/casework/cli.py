"""``flask --app eih casework ...``: the import of the old registration sheet."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from ...cli import fail
from ...extensions import db
from ...models import Region
from .importer import import_requests

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
