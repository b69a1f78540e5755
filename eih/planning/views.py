"""Pages of the planning round (lead), the load overview (lead, coordinator)
and "my schedule" (experts; lead and coordinator may look at anyone's of
their region)."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import Response, abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import audit, clock
from ..admin import SecureView
from ..declines import DeclineError, record_decline
from ..extensions import db
from ..hours.rules import blocks_in, light_weeks_in
from ..hours.work import balance
from ..labels import DECLINE_LABELS
from ..models import Decline, Expert, Region, Unavailability, utcnow
from ..plugins import Period, Problem, parse_demand_id
from ..scheduler.io import plan_from_dict
from . import feed as calendar_feed
from .build import (
    HOURS,
    PeriodError,
    care_notes,
    current_version,
    demand_labels,
    iso_week,
    parse_week,
    published_versions,
    settings_for,
    version_instance,
    version_mapping,
    version_plan,
    week_of,
)
from .forms import AvailabilityForm, DeclineForm, PublishForm, SettingsForm
from .models import PlanVersion, SolveRun
from .schedule import items_for, load_window, weekly_load, worked_overview
from .service import (
    PlanningError,
    diff,
    pin,
    publish,
    remove,
    run_instance,
    start_run,
    swap,
    swap_choices,
    violations,
    working_plan,
)

CATEGORY = _l("Planning")


def _region() -> Region:
    return db.session.get(Region, current_user.region_id)


def _names(instance) -> dict[str, str]:
    return {e.id: e.name or e.id for e in instance.experts}


def _period_from_request() -> Period:
    text = request.values.get("week")
    if not text:
        return week_of(clock.today() + timedelta(days=7))
    try:
        return parse_week(text)
    except PeriodError:
        flash(_("Not a week like 2026-W49; showing next week."), "warning")
        return week_of(clock.today() + timedelta(days=7))


class PlanningView(SecureView):
    """The project lead's weekly round: solve, review, adjust, publish."""

    roles = ("lead",)

    def _run(self, run_id: int) -> SolveRun:
        run = db.session.get(SolveRun, run_id)
        if run is None or run.region_id != current_user.region_id:
            abort(404)
        return run

    @expose("/")
    def index(self):
        period = _period_from_request()
        runs = db.session.execute(
            db.select(SolveRun).filter_by(region_id=current_user.region_id, period_start=period.start, period_end=period.end)
            .order_by(SolveRun.id.desc()).limit(20)).scalars().all()
        versions = db.session.execute(
            db.select(PlanVersion).filter_by(region_id=current_user.region_id, period_start=period.start, period_end=period.end)
            .order_by(PlanVersion.number.desc())).scalars().all()
        this = week_of(clock.today())
        weeks = [week_of(this.start + timedelta(weeks=i)) for i in range(-1, 5)]
        return self.render("planning/index.html", period=period, week=iso_week(period), runs=runs, versions=versions,
                           weeks=[(iso_week(w), w) for w in weeks])

    @expose("/solve", methods=("POST",))
    def solve(self):
        period = _period_from_request()
        run = start_run(_region(), period, current_user._get_current_object())
        flash(_("The solve has started; this page refreshes until it is done."), "info")
        return redirect(url_for(".run", run_id=run.id))

    @expose("/run/<int:run_id>")
    def run(self, run_id: int):
        run = self._run(run_id)
        context = {"run": run, "week": iso_week(Period(run.period_start, run.period_end))}
        if run.status == "done":
            instance = run_instance(run)  # parsed once for the whole page (service functions reuse it)
            plan = working_plan(run)
            names = _names(instance)
            demands = {d.id: d for d in instance.demands}
            previous = current_version(run.region_id, Period(run.period_start, run.period_end))
            previous_objective = version_plan(previous)["objective"] if previous else None
            experts = {e.id: e for e in instance.experts}
            context.update(
                instance=instance, plan=plan, names=names, demands=demands, experts=experts,
                summaries={s.id: s for s in plan.experts}, violations=violations(run),
                previous=previous, previous_objective=previous_objective,
                changes=_changes(previous, plan), choices={d.id: swap_choices(run, d.id) for d in instance.demands},
                publish_form=PublishForm(), pins=run.pins or {}, care=care_notes(_region(), instance),
            )
        return self.render("planning/run.html", **context)

    @expose("/run/<int:run_id>/edit", methods=("POST",))
    def edit(self, run_id: int):
        run = self._run(run_id)
        if run.status != "done":
            abort(409)
        action, demand = request.form.get("action"), request.form.get("demand", "")
        expert, new = request.form.get("expert", ""), request.form.get("new_expert", "")
        try:
            if action == "pin":
                pin(run, demand, new or expert, current_user._get_current_object())
            elif action == "remove":
                remove(run, demand, expert, current_user._get_current_object())
            elif action == "swap":
                swap(run, demand, expert, new, current_user._get_current_object())
            else:
                raise PlanningError(_("Unknown action."))
        except PlanningError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return redirect(url_for(".run", run_id=run.id))
        db.session.commit()
        found = violations(run)
        if found:
            flash(_("Saved. The plan now breaks %(n)s rule(s); see the list above.", n=len(found)), "warning")
        else:
            flash(_("Saved; the plan still keeps every rule."), "success")
        return redirect(url_for(".run", run_id=run.id))

    @expose("/run/<int:run_id>/resolve", methods=("POST",))
    def resolve(self, run_id: int):
        run = self._run(run_id)
        new = start_run(_region(), Period(run.period_start, run.period_end), current_user._get_current_object(), parent=run)
        flash(_("Solving again around your pins."), "info")
        return redirect(url_for(".run", run_id=new.id))

    @expose("/run/<int:run_id>/publish", methods=("POST",))
    def publish(self, run_id: int):
        run = self._run(run_id)
        form = PublishForm()
        try:
            version = publish(run, current_user._get_current_object(), confirm_violations=bool(form.confirm.data))
        except PlanningError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return redirect(url_for(".run", run_id=run.id))
        flash(_("Version %(n)s is published; the experts see it now.", n=version.number), "success")
        return redirect(url_for(".version", version_id=version.id))

    @expose("/run/<int:run_id>/instance.json")
    def run_instance_json(self, run_id: int):
        run = self._run(run_id)
        return _download(run.instance_json, f"instance-run-{run.id}.json", run)

    @expose("/run/<int:run_id>/plan.json")
    def run_plan_json(self, run_id: int):
        run = self._run(run_id)
        if not run.plan_json:
            abort(404)
        return _download(run.plan_json, f"plan-run-{run.id}.json", run)

    @expose("/version/<int:version_id>")
    def version(self, version_id: int):
        version = db.session.get(PlanVersion, version_id)
        if version is None or version.region_id != current_user.region_id:
            abort(404)
        instance = version_instance(version)
        plan = plan_from_dict(version_plan(version))
        return self.render("planning/version.html", version=version, plan=plan, names=_names(instance),
                           demands={d.id: d for d in instance.demands},
                           problems=[Problem.from_dict(p) for p in version.problems or []])

    @expose("/version/<int:version_id>/plan.json")
    def version_plan_json(self, version_id: int):
        version = db.session.get(PlanVersion, version_id)
        if version is None or version.region_id != current_user.region_id:
            abort(404)
        return _download(version.plan_json, f"plan-v{version.number}-{version.period_start}.json", version)

    @expose("/settings", methods=("GET", "POST"))
    def settings(self):
        row = settings_for(_region())
        form = SettingsForm(obj=row)
        if form.validate_on_submit():
            form.populate_obj(row)
            audit.record("update", row, object_type="PlanningSettings", region_id=row.region_id,
                         detail="fields: " + ", ".join(f.name for f in form if f.name != "csrf_token"))
            db.session.commit()
            flash(_("Planning settings saved."), "success")
            return redirect(url_for(".settings"))
        db.session.commit()
        return self.render("planning/settings.html", form=form), (400 if request.method == "POST" else 200)

    @expose("/declines")
    def declines(self):
        rows = db.session.execute(
            db.select(Decline).where(Decline.region_id == current_user.region_id)
            .order_by(Decline.seen_at.is_not(None), Decline.at.desc()).limit(200)).scalars().all()
        labels = demand_labels(current_user.region_id)
        return self.render("planning/declines.html", rows=rows, reasons=DECLINE_LABELS,
                           label=lambda key: labels.get(key, key))

    @expose("/declines/<int:decline_id>/seen", methods=("POST",))
    def decline_seen(self, decline_id: int):
        decline = db.session.get(Decline, decline_id)
        if decline is None or decline.region_id != current_user.region_id:
            abort(404)
        if decline.seen_at is None:
            decline.seen_at = utcnow()
            audit.record("update", decline, object_type="Decline", detail="fields: seen_at")
            db.session.commit()
        return redirect(url_for(".declines"))


def _download(body: str, filename: str, obj) -> Response:
    audit.record("export", obj, region_id=getattr(obj, "region_id", None))
    db.session.commit()
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _changes(previous: PlanVersion | None, plan) -> dict:
    if previous is None:
        return {}
    return diff(version_mapping(previous), {a.demand: list(a.experts) for a in plan.assignments})


class LoadView(SecureView):
    """Hours and relative load per expert and week, 12 weeks back."""

    roles = ("lead", "coordinator")
    WEEKS = 12

    @expose("/")
    def index(self):
        today = clock.today()
        experts = db.session.execute(
            db.select(Expert).where(Expert.region_id == current_user.region_id, Expert.active.is_(True)).order_by(Expert.id)
        ).scalars().all()
        # the region's plans of these weeks, read once for all experts (not once per expert)
        versions = published_versions(current_user.region_id, *load_window(self.WEEKS, today))
        settings = settings_for(_region())
        rows = []
        for expert in experts:
            weeks = weekly_load(expert, self.WEEKS, today, versions=versions)
            worked = worked_overview(expert, self.WEEKS, today, settings.heavy_load, settings.recovery_hours)
            rows.append((expert, list(zip(weeks, worked.weeks)), worked, balance(expert)))
        db.session.commit()
        return self.render("planning/load.html", rows=rows, weeks=self.WEEKS, recovery_hours=settings.recovery_hours)


class MyScheduleView(SecureView):
    """An expert's own work this week and next; decline, availability, calendar."""

    roles = ("expert",)

    def _expert(self) -> Expert:
        wanted = request.args.get("expert", type=int)
        if current_user.role == "expert":
            own = current_user.expert
            if own is None:
                abort(404)
            if wanted is not None and wanted != own.id:
                abort(403)
            return own
        if wanted is None:
            return None
        expert = db.session.get(Expert, wanted)
        if expert is None or expert.region_id != current_user.region_id:
            abort(404)
        return expert

    def _own(self) -> Expert:
        if current_user.role != "expert" or current_user.expert is None:
            abort(403)
        return current_user.expert

    @expose("/")
    def index(self):
        return self._page(self._expert())

    def _page(self, expert, feed_url=None):
        if expert is None:
            experts = db.session.execute(db.select(Expert).where(Expert.region_id == current_user.region_id)
                                         .order_by(Expert.id)).scalars().all()
            return self.render("planning/choose_expert.html", experts=experts)
        this = week_of(clock.today())
        weeks = [this, Period(this.start + timedelta(days=7), this.end + timedelta(days=7))]
        items = items_for(expert, weeks[0].start, weeks[1].end)
        leave = db.session.execute(db.select(Unavailability).where(
            Unavailability.expert_id == expert.id, Unavailability.end >= datetime.combine(clock.today(), time.min))
            .order_by(Unavailability.start)).scalars().all()
        own = current_user.role == "expert"
        return self.render("planning/my_schedule.html", expert=expert, weeks=weeks, items=items, leave=leave,
                           own=own, decline_form=DeclineForm(), availability=AvailabilityForm(),
                           has_feed=calendar_feed.has_feed(expert), feed_url=feed_url, iso_week=iso_week,
                           reasons=DECLINE_LABELS, timedelta=timedelta, **_care(expert, weeks))

    @expose("/decline", methods=("POST",))
    def decline(self):
        expert = self._own()
        form = DeclineForm()
        if not form.validate_on_submit():
            flash(_("Choose a reason to decline."), "danger")
            return redirect(url_for(".index")), 302
        mine = {i.demand: i.title for i in items_for(expert, clock.today() - timedelta(days=7),
                                                       clock.today() + timedelta(weeks=8))}
        if form.demand.data not in mine:
            flash(_("This work is not in your schedule."), "danger")
            return redirect(url_for(".index"))
        if getattr(parse_demand_id(form.demand.data), "plugin", None) == HOURS:
            flash(_("These are hours you keep for other work; remove them on the page Other work and light weeks."),
                  "danger")
            return redirect(url_for(".index"))
        try:
            record_decline(expert, form.demand.data, form.reason.data, form.note.data or "", current_user._get_current_object(),
                           work=mine[form.demand.data])
        except DeclineError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return redirect(url_for(".index"))
        db.session.commit()
        flash(_("You declined this work. The project lead has been told and will not assign it to you again."), "success")
        return redirect(url_for(".index"))

    @expose("/availability", methods=("POST",))
    def availability(self):
        expert = self._own()
        form = AvailabilityForm()
        if form.validate_on_submit():
            row = Unavailability(expert_id=expert.id, reason=form.reason.data, start=form.start.data, end=form.end.data,
                                 note=form.note.data or "")
            db.session.add(row)
            db.session.flush()
            audit.record("create", row, region_id=expert.region_id)
            db.session.commit()
            flash(_("Your absence is saved; the next planning round takes it into account."), "success")
        else:
            for field in form:
                for error in field.errors:
                    flash(f"{field.label.text}: {error}", "danger")
        return redirect(url_for(".index"))

    @expose("/availability/<int:row_id>/delete", methods=("POST",))
    def availability_delete(self, row_id: int):
        expert = self._own()
        row = db.session.get(Unavailability, row_id)
        if row is None or row.expert_id != expert.id:
            abort(404)
        if row.start < clock.now():
            flash(_("Absence that has begun can only be changed by the project lead."), "danger")
            return redirect(url_for(".index"))
        audit.record("delete", row, region_id=expert.region_id)
        db.session.delete(row)
        db.session.commit()
        flash(_("Absence removed."), "success")
        return redirect(url_for(".index"))

    @expose("/calendar", methods=("POST",))
    def calendar(self):
        expert = self._own()
        if request.form.get("action") == "revoke":
            calendar_feed.revoke(expert, current_user._get_current_object())
            db.session.commit()
            flash(_("Your calendar link no longer works."), "success")
            return redirect(url_for(".index"))
        token = calendar_feed.new_token(expert, current_user._get_current_object())
        db.session.commit()
        # Shown once, in this response only: never in a URL, a log or the database.
        return self._page(expert, feed_url=url_for("calendar.feed", token=token, _external=True))


def _care(expert: Expert, weeks: list[Period]) -> dict:
    """What "my schedule" shows of the hours: other work kept free and light weeks in the
    weeks shown, and the overtime balance."""
    first, last = weeks[0].start, weeks[-1].end
    return {"blocks": [b for b in blocks_in(expert.region_id, first, last) if b.expert_id == expert.id],
            "light_weeks": {lw.week_start for lw in light_weeks_in(expert.region_id, first, last)
                            if lw.expert_id == expert.id},
            "balance": balance(expert)}


class TeamSchedulesView(MyScheduleView):
    """The schedules of the region's experts, for the lead and the coordinator:
    looking only; declining and absence are the expert's own acts."""

    roles = ("lead", "coordinator")


def views() -> list:
    return [
        PlanningView(name=_l("Weekly planning"), category=CATEGORY, endpoint="planning", url="planning"),
        LoadView(name=_l("Load overview"), category=CATEGORY, endpoint="load", url="load"),
        TeamSchedulesView(name=_l("Schedules of the team"), category=CATEGORY, endpoint="schedules", url="schedules"),
        MyScheduleView(name=_l("My schedule"), endpoint="myschedule", url="my-schedule"),
    ]
