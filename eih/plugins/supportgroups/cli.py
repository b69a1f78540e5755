"""``flask --app eih supportgroups ...``: import attendance, print statistics. Bad input: one line, exit 2."""
from __future__ import annotations

import csv
import json
import sys
from datetime import date

import click
from flask.cli import AppGroup

from ...cli import fail
from ...extensions import db
from ...models import Region
from .importer import import_attendance
from .models import Group
from .reports import STATS_CSV_FIELDS, group_stats, stats_csv_row
from .rules import RuleError, generate_sessions, settings

commands = AppGroup("supportgroups", help="Support groups (lotgenotencontact): attendance and statistics.")


def find_group(slug: str, region_slug: str | None) -> Group:
    query = db.select(Group).where(Group.slug == slug.strip().lower())
    if region_slug:
        region = db.session.execute(db.select(Region).filter_by(slug=region_slug)).scalar_one_or_none()
        if region is None:
            fail(f"unknown region {region_slug!r}")
        query = query.where(Group.region_id == region.id)
    groups = db.session.execute(query).scalars().all()
    if not groups:
        known = ", ".join(sorted(g.slug for g in db.session.execute(db.select(Group)).scalars())) or "none"
        fail(f"unknown group {slug!r}; known groups: {known}")
    if len(groups) > 1:
        fail(f"group {slug!r} exists in several regions; add --region")
    return groups[0]


def parse_day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: not a date: {value!r} (use YYYY-MM-DD)")


@commands.command("import-attendance")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--group", "group_slug", required=True, help="The group's short name.")
@click.option("--region", "region_slug", default=None, help="Region slug, when the short name is not unique.")
def import_attendance_command(file: str, group_slug: str, region_slug: str | None) -> None:
    """Import attendance (session_date,participant,status): all rows or none."""
    group = find_group(group_slug, region_slug)
    try:
        with open(file, encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read {file}: {exc.__class__.__name__}")
    result = import_attendance(group, text)
    if result.errors:
        for error in result.errors[:50]:
            click.echo(f"error: {error}", err=True)
        if len(result.errors) > 50:
            click.echo(f"error: ... and {len(result.errors) - 50} more", err=True)
        click.echo("error: nothing was imported", err=True)
        sys.exit(2)
    click.echo(f"imported {result.rows} rows into {group.slug}: {result.sessions_created} sessions and "
               f"{result.participants_created} participants created, {result.marks_changed} marks changed")


@commands.command("stats")
@click.option("--group", "group_slug", required=True)
@click.option("--from", "start", required=True, help="YYYY-MM-DD")
@click.option("--to", "end", required=True, help="YYYY-MM-DD")
@click.option("--region", "region_slug", default=None)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print the aggregated figures as CSV.")
@click.option("--absences", type=int, default=None, help="Alert after this many absences in a row (default: the region's setting).")
def stats_command(group_slug, start, end, region_slug, as_json, as_csv, absences) -> None:
    """Statistics of one group and period."""
    group = find_group(group_slug, region_slug)
    start_day, end_day = parse_day(start, "--from"), parse_day(end, "--to")
    if end_day < start_day:
        fail("--to lies before --from")
    n = absences if absences is not None else int(settings(group.region_id)["absence_alert"])
    if n < 1:
        fail("--absences must be at least 1")
    figures = group_stats(group, start_day, end_day, n)
    if as_json:
        click.echo(json.dumps(figures, indent=2, ensure_ascii=False))
    elif as_csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(STATS_CSV_FIELDS), lineterminator="\n")
        writer.writeheader()
        writer.writerow(stats_csv_row(figures))
    else:
        click.echo(format_stats(group, figures))


def format_stats(group: Group, s: dict) -> str:
    def show(v):
        return "-" if v is None else v
    lines = [f"{group.name} ({group.slug}), {s['period']['start']} to {s['period']['end']}",
             f"sessions held:          {s['sessions_held']}",
             f"sessions cancelled:     {s['sessions_cancelled']}",
             f"distinct participants:  {s['distinct_participants']}",
             f"average attendance:     {show(s['average_attendance'])} (range {show(s['attendance_min'])}-{show(s['attendance_max'])})",
             f"waitlist:               {s['waitlist_length']} (waiting days avg {show(s['waiting_days_average'])}, max {show(s['waiting_days_max'])})",
             f"facilitator continuity: {show(s['facilitator_continuity'])} ({s['facilitator_changes']} changes)",
             "attendance rate per member:"]
    lines += [f"  {row['participant']}: {row['rate']:.0%}" for row in s["attendance_rate"]] or ["  -"]
    lines.append(f"absent {s['absence_alert_after']}+ times in a row:")
    lines += [f"  {row['participant']}: {row['absences']}" for row in s["consecutive_absences"]] or ["  -"]
    return "\n".join(lines)


@commands.command("plan-sessions")
@click.option("--group", "group_slug", required=True)
@click.option("--from", "start", required=True, help="YYYY-MM-DD")
@click.option("--to", "end", required=True, help="YYYY-MM-DD")
@click.option("--region", "region_slug", default=None)
def plan_sessions_command(group_slug, start, end, region_slug) -> None:
    """Create the planned sessions of a period from the group's cadence (skips no-session dates)."""
    group = find_group(group_slug, region_slug)
    try:
        created = generate_sessions(group, parse_day(start, "--from"), parse_day(end, "--to"))
    except RuleError as exc:
        db.session.rollback()
        fail(str(exc))
    db.session.commit()
    click.echo(f"planned {len(created)} sessions for {group.slug}")
