"""``flask --app eih eih solve``: the planning round without the browser."""
from __future__ import annotations

import click

from ..cli import fail
from ..extensions import db
from ..models import Region, User
from ..plugins import Problem
from .build import PeriodError, parse_week
from .service import PlanningError, publish, run_plan, start_run


def register(group) -> None:
    @group.command("solve")
    @click.option("--region", "region_slug", required=True, help="Region slug, e.g. rotterdam-rijnmond.")
    @click.option("--week", required=True, help="ISO week, e.g. 2026-W49.")
    @click.option("--publish", "do_publish", is_flag=True, help="Publish the plan (refused when it breaks a rule).")
    @click.option("--json", "as_json", is_flag=True, help="Print the eih-plan/1 plan.")
    @click.option("--save-instance", type=click.Path(dir_okay=False, writable=True), default=None,
                  help="Write the eih-instance/1 instance that was built.")
    @click.option("--as", "as_email", default=None, help="E-mail of the lead recorded as author (default: the region's first lead).")
    def solve_command(region_slug, week, do_publish, as_json, save_instance, as_email):
        """Build, solve and optionally publish the plan of a region and week."""
        region = db.session.execute(db.select(Region).filter_by(slug=region_slug)).scalar_one_or_none()
        if region is None:
            fail(f"unknown region {region_slug!r}")
        try:
            period = parse_week(week)
        except PeriodError as exc:
            fail(str(exc))
        user = None
        if as_email:
            user = db.session.execute(db.select(User).filter_by(email=as_email.lower())).scalar_one_or_none()
            if user is None or user.role != "lead" or user.region_id != region.id:
                fail(f"{as_email} is not a project lead of {region_slug}")
        else:
            user = db.session.execute(db.select(User).filter_by(role="lead", region_id=region.id, active=True)
                                      .order_by(User.id).limit(1)).scalar_one_or_none()
        run = start_run(region, period, user, background=False)
        if save_instance:
            with open(save_instance, "w", encoding="utf-8") as handle:
                handle.write(run.instance_json)
        if run.status != "done":
            fail(f"the solve failed: {run.error}")
        plan = run_plan(run)
        if do_publish:
            try:
                version = publish(run, user)
            except PlanningError as exc:
                fail(str(exc))
            click.echo(f"published version {version.number} of {week} for {region_slug}", err=as_json)
            for problem in map(Problem.from_dict, version.problems):
                click.echo(f"  not carried out {problem.demand}: {problem.text()}", err=as_json)
        if as_json:
            click.echo(run.plan_json, nl=False)
        else:
            click.echo(f"{week} {region_slug}: status {plan.status}, {len(plan.assignments)} assigned, "
                       f"{len(plan.unassigned)} unassigned (run {run.id})")
            for item in plan.unassigned:
                click.echo(f"  unassigned {item.demand}: {'; '.join(item.reasons)}")
