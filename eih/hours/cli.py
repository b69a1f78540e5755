"""``flask --app eih eih hours``: hours per expert of a region over whole ISO weeks."""
from __future__ import annotations

import json
from datetime import date

import click

from .. import audit
from ..cli import fail
from ..exports import csv_text
from ..extensions import db
from ..models import Region
from ..planning.build import PeriodError, parse_week
from .summary import summary

FORMATS = ("text", "json", "csv")
MAX_WEEKS = 60


def _date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        fail(f"{option} is not a date like 2026-11-30: {text!r}")


def register(group) -> None:
    @group.command("hours")
    @click.option("--region", "region_slug", required=True, help="Region slug, e.g. rotterdam-rijnmond.")
    @click.option("--week", default=None, help="One ISO week, e.g. 2026-W49.")
    @click.option("--from", "date_from", default=None, help="First day (YYYY-MM-DD); its whole ISO week counts.")
    @click.option("--to", "date_to", default=None, help="Last day (YYYY-MM-DD); its whole ISO week counts.")
    @click.option("--format", "fmt", default="text", help="text (default), json or csv.")
    def hours_command(region_slug, week, date_from, date_to, fmt):
        """Per expert: contract minimum and maximum, planned and worked hours, overtime and balance."""
        region = db.session.execute(db.select(Region).filter_by(slug=region_slug)).scalar_one_or_none()
        if region is None:
            fail(f"unknown region {region_slug!r}")
        if fmt not in FORMATS:
            fail(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
        if week and (date_from or date_to):
            fail("give either --week or --from and --to, not both")
        if week:
            try:
                period = parse_week(week)
            except PeriodError as exc:
                fail(str(exc))
            first, last = period.start, period.end
        elif date_from and date_to:
            first, last = _date(date_from, "--from"), _date(date_to, "--to")
            if last < first:
                fail("--to is before --from")
            if (last - first).days > MAX_WEEKS * 7:
                fail(f"give at most {MAX_WEEKS} weeks at a time")
        else:
            fail("give --week, or --from and --to")
        data = summary(region, first, last)
        audit.record("export", object_type="Timesheet", object_id="*", region_id=region.id,
                     detail=f"cli hours {fmt} {data['from']}..{data['to']}", commit=True)
        if fmt == "json":
            click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        elif fmt == "csv":
            click.echo(_csv(data), nl=False)
        else:
            _text(data)


def _csv(data: dict) -> str:
    activities = sorted({code for e in data["experts"] for code in e["by_activity"]})
    header = ["expert", "name", "min_hours", "max_hours", "limit_hours", "planned_hours", "worked_hours",
              *activities, "compensation_hours", "overtime_hours", "balance_hours"]
    rows = [[e["expert"], e["name"], e["min_hours"], e["max_hours"], e["limit_hours"], e["planned_hours"],
             e["worked_hours"], *[e["by_activity"].get(a, 0) for a in activities], e["compensation_hours"],
             e["overtime_hours"], e["balance_hours"]] for e in data["experts"]]
    return csv_text(header, rows)


def _text(data: dict) -> None:
    click.echo(f"{data['region']} {data['from']} .. {data['to']} ({', '.join(data['weeks'])})")
    click.echo(f"{'expert':<22}{'contract':>12}{'planned':>9}{'worked':>9}{'overtime':>10}{'balance':>9}")
    for e in data["experts"]:
        band = f"{e['min_hours']:g}-{e['max_hours']:g}"
        click.echo(f"{e['name'][:21]:<22}{band:>12}{e['planned_hours']:>9g}{e['worked_hours']:>9g}"
                   f"{e['overtime_hours']:>10g}{e['balance_hours']:>9g}")
        if e["by_activity"]:
            click.echo("  " + ", ".join(f"{code} {hours:g}" for code, hours in e["by_activity"].items()))
