"""Pages of the hours: timesheets (an expert their own, the lead the region's,
the coordinator reads), the monthly CSV for the salary administration, and the
other work and light weeks the planning round takes into account.

Who may do what:

- timesheets: an expert sees and changes only their own (another expert's id
  answers 403, a row of someone else 404); the lead sees the region's, approves
  or returns a submitted week and may still change an approved one (written to
  the access log); the coordinator reads;
- blocked hours: the lead for any expert of the region, an expert for
  themselves; light weeks: an expert for themselves, the coordinator and the
  lead for any expert of the region.
"""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import clock, notify
from ..admin import SecureView
from ..exports import csv_response
from ..extensions import db
from ..home import register_home_panel
from ..models import Expert, Municipality, Partner
from ..planning.build import PeriodError, parse_week
from ..planning.schedule import items_for
from ..rules import RuleError
from . import (
    models,  # noqa: F401  (tables known to metadata)
    rules,
)
from .cli import register as register_cli
from .forms import BlockForm, DecideForm, LightWeekForm, RowForm
from .home import panels
from .labels import STATUS_BADGES, activity_label, status_label
from .models import Block, Entry, LightWeek, Timesheet
from .salary import month_rows, parse_month, salary_header
from .work import balance, figures, monday_of, week_rows, weeks_figures

TRANSLATIONS = str(Path(__file__).resolve().parent / "translations")
CATEGORY = _l("Hours")
TEAM = ("lead", "coordinator", "expert")
AHEAD_WEEKS = 8  # blocked hours and light weeks can be set this many weeks ahead


def init_app(app) -> None:
    """Templates, the catalog, the home panels, the CLI and the template helpers."""
    app.register_blueprint(Blueprint("hours_pages", __name__, template_folder="templates"))
    dirs = app.extensions["babel"].translation_directories
    if TRANSLATIONS not in dirs:
        dirs.append(TRANSLATIONS)
    register_home_panel(app, panels)
    app.extensions.setdefault("eih_cli_hooks", []).append(register_cli)
    app.jinja_env.globals.update(hours_text=hours_text, activity_label=activity_label, status_label=status_label,
                                 status_badge=lambda s: STATUS_BADGES.get(s, "secondary"), iso_week_of=_iso_week_of)


def hours_text(value) -> str:
    """1.5 -> "1,5 u" (Dutch), "1.5 h" (English)."""
    return _("%(hours)s h", hours=format_decimal(round(float(value or 0), 2), format="#,##0.##"))


def _iso_week_of(monday: date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def _this_monday() -> date:
    return monday_of(clock.today())


def _monday_param(default: date) -> date:
    text = request.values.get("week")
    if not text:
        return default
    try:
        return parse_week(text).start
    except PeriodError:
        flash(_("Not a week like 2026-W49; showing the current week."), "warning")
        return default


def _own() -> Expert:
    expert = current_user.expert if current_user.role == "expert" else None
    if expert is None:
        abort(403)
    return expert


def _expert_param(name: str = "expert") -> Expert | None:
    """The expert a request is about: an expert only themselves (someone else: 403); the
    lead and the coordinator any expert of their region (another region's: 404)."""
    wanted = request.values.get(name, type=int)
    if current_user.role == "expert":
        own = _own()
        if wanted is not None and wanted != own.id:
            abort(403)
        return own
    if wanted is None:
        return None
    expert = db.session.get(Expert, wanted)
    if expert is None or expert.region_id != current_user.region_id:
        abort(404)
    return expert


def _region_experts() -> list[Expert]:
    return list(db.session.execute(db.select(Expert).where(
        Expert.region_id == current_user.region_id, Expert.active.is_(True)).order_by(Expert.id)).scalars())


def _flash_errors(form) -> None:
    for field in form:
        for error in field.errors:
            flash(f"{field.label.text}: {error}", "danger")


class TimesheetView(SecureView):
    """Weekly timesheets (urenverantwoording)."""

    roles = TEAM

    @expose("/")
    def index(self):
        this = _this_monday()
        if current_user.role == "expert":
            expert = _own()
            weeks = list(reversed(weeks_figures(expert, this - timedelta(weeks=7), this)))
            return self.render("hours/mine.html", expert=expert, weeks=weeks, balance=balance(expert))
        monday = _monday_param(this - timedelta(weeks=1))
        rows = []
        for expert in _region_experts():
            week = weeks_figures(expert, monday, monday)[0]
            rows.append((expert, week, balance(expert)))
        waiting = db.session.execute(db.select(Timesheet).where(
            Timesheet.region_id == current_user.region_id, Timesheet.status == "submitted")
            .order_by(Timesheet.week_start, Timesheet.expert_id)).scalars().all()
        weeks = [this - timedelta(weeks=i) for i in range(0, 9)]
        return self.render("hours/team.html", monday=monday, rows=rows, waiting=waiting, weeks=weeks,
                           month=clock.today().strftime("%Y-%m"))

    def _week_context(self, expert: Expert, monday: date) -> dict:
        sheet = rules.timesheet(expert, monday)
        rows = week_rows(expert, monday)
        status = sheet.status if sheet else "open"
        week = figures(expert, monday, rows, status)
        planned = round(sum(i.hours for i in items_for(expert, monday, monday + timedelta(days=6))), 2)
        role = current_user.role
        own = role == "expert"
        locked = sheet is not None and sheet.locked
        form = RowForm()
        self._row_choices(form, expert, monday)
        municipalities = {m.id: m.name for m in db.session.execute(
            db.select(Municipality).filter_by(region_id=expert.region_id)).scalars()}
        partners = {p.id: p.name for p in db.session.execute(
            db.select(Partner).filter_by(region_id=expert.region_id)).scalars()}
        return dict(expert=expert, monday=monday, sunday=monday + timedelta(days=6), sheet=sheet, rows=rows,
                    week=week, planned=planned, own=own, status=status,
                    may_edit=(own and not locked) or role == "lead",
                    may_delete_record=role == "lead" and locked,
                    may_submit=own and not locked and monday <= clock.today(),
                    may_decide=role == "lead" and status == "submitted",
                    form=form, decide_form=DecideForm(), municipalities=municipalities, partners=partners,
                    balance=balance(expert), previous=monday - timedelta(weeks=1),
                    next=monday + timedelta(weeks=1) if monday < _this_monday() else None,
                    month=monday.strftime("%Y-%m"))

    @expose("/week")
    def week(self):
        expert = _expert_param()
        if expert is None:
            return redirect(url_for(".index"))
        monday = _monday_param(_this_monday())
        return self.render("hours/week.html", **self._week_context(expert, monday))

    def _row_choices(self, form: RowForm, expert: Expert, monday: date) -> None:
        form.day.choices = [((monday + timedelta(days=i)).isoformat(), monday + timedelta(days=i)) for i in range(7)]
        form.municipality.choices = [("", "")] + [(str(m.id), m.name) for m in db.session.execute(
            db.select(Municipality).filter_by(region_id=expert.region_id).order_by(Municipality.name)).scalars()]
        form.partner.choices = [("", "")] + [(str(p.id), p.name) for p in db.session.execute(
            db.select(Partner).filter_by(region_id=expert.region_id, active=True).order_by(Partner.name)).scalars()]

    def _back(self, expert: Expert, monday: date):
        return redirect(url_for(".week", expert=expert.id, week=_iso_week_of(monday)))

    @expose("/week/row", methods=("POST",))
    def add_row(self):
        if current_user.role == "coordinator":
            abort(403)
        expert = _expert_param()
        if expert is None:
            abort(404)
        monday = _monday_param(_this_monday())
        form = RowForm()
        self._row_choices(form, expert, monday)
        if not form.validate_on_submit():
            _flash_errors(form)
            return self._back(expert, monday)
        municipality = db.session.get(Municipality, int(form.municipality.data)) if form.municipality.data else None
        partner = db.session.get(Partner, int(form.partner.data)) if form.partner.data else None
        try:
            rules.add_row(expert, monday, day=date.fromisoformat(form.day.data), hours=form.hours.data,
                          activity=form.activity.data, label=form.label.data or "", municipality=municipality,
                          partner=partner, user=current_user._get_current_object(),
                          by_lead=current_user.role == "lead")
        except RuleError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return self._back(expert, monday)
        db.session.commit()
        flash(_("Row added."), "success")
        return self._back(expert, monday)

    @expose("/row/<int:entry_id>/delete", methods=("POST",))
    def delete_row(self, entry_id: int):
        if current_user.role == "coordinator":
            abort(403)
        entry = db.session.get(Entry, entry_id)
        if entry is None or entry.timesheet.region_id != current_user.region_id:
            abort(404)
        sheet = entry.timesheet
        if current_user.role == "expert" and sheet.expert_id != _own().id:
            abort(404)
        try:
            rules.delete_row(entry, current_user._get_current_object(), by_lead=current_user.role == "lead")
        except RuleError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return self._back(sheet.expert, sheet.week_start)
        db.session.commit()
        flash(_("Row removed."), "success")
        return self._back(sheet.expert, sheet.week_start)

    @expose("/week/submit", methods=("POST",))
    def submit(self):
        expert = _own()
        monday = _monday_param(_this_monday())
        try:
            sheet = rules.submit(expert, monday, current_user._get_current_object())
        except RuleError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return self._back(expert, monday)
        notify.timesheet_submitted(sheet, url_for(".week", expert=expert.id, week=_iso_week_of(monday)))
        db.session.commit()
        flash(_("Your week is submitted; the project lead will look at it."), "success")
        return self._back(expert, monday)

    @expose("/week/decide", methods=("POST",))
    def decide(self):
        if current_user.role != "lead":
            abort(403)
        expert = _expert_param()
        if expert is None:
            abort(404)
        monday = _monday_param(_this_monday())
        sheet = rules.timesheet(expert, monday)
        form = DecideForm()
        if sheet is None:
            abort(404)
        if not form.validate_on_submit():
            _flash_errors(form)
            return self._back(expert, monday)
        try:
            if form.action.data == "approve":
                rules.approve(sheet, current_user._get_current_object())
                message = _("The week is approved and locked.")
            else:
                rules.return_week(sheet, form.comment.data or "", current_user._get_current_object())
                message = _("The week is returned to the expert with your comment.")
        except RuleError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return self._back(expert, monday)
        db.session.commit()
        flash(message, "success")
        return self._back(expert, monday)

    @expose("/month.csv")
    def month_csv(self):
        if current_user.role not in ("lead", "coordinator"):
            abort(403)
        expert = _expert_param()
        if expert is None:
            abort(404)
        try:
            year, month = parse_month(request.args.get("month", ""))
        except ValueError:
            flash(_("Not a month like 2026-11."), "danger")
            return redirect(url_for(".index"))
        return csv_response(f"uren-{expert.name}-{year}-{month:02d}.csv", salary_header(), month_rows(expert, year, month),
                            obj=expert, object_type="Timesheet", object_id=f"{expert.id}/{year}-{month:02d}",
                            region_id=expert.region_id, detail="salary csv")


class OtherWorkView(SecureView):
    """Blocked hours of other work and light weeks, for the coming weeks."""

    roles = TEAM

    def _weeks(self) -> list[date]:
        this = _this_monday()
        return [this + timedelta(weeks=i) for i in range(AHEAD_WEEKS)]

    def _forms(self):
        weeks = [(_iso_week_of(m), _("Week %(w)s, from %(d)s", w=_iso_week_of(m), d=m.strftime("%d-%m")))
                 for m in self._weeks()]
        experts = [_own()] if current_user.role == "expert" else _region_experts()
        block, light = BlockForm(prefix="block"), LightWeekForm(prefix="light")
        for form in (block, light):
            form.week.choices = weeks
            form.expert.choices = [(str(e.id), e.name) for e in experts]
        return block, light

    @expose("/")
    def index(self):
        weeks = self._weeks()
        blocks = rules.blocks_in(current_user.region_id, weeks[0], weeks[-1])
        light = rules.light_weeks_in(current_user.region_id, weeks[0], weeks[-1])
        if current_user.role == "expert":
            own = _own()
            blocks = [b for b in blocks if b.expert_id == own.id]
            light = [lw for lw in light if lw.expert_id == own.id]
        block_form, light_form = self._forms()
        return self.render("hours/other_work.html", weeks=weeks, blocks=blocks, light=light, block_form=block_form,
                           light_form=light_form, may_block=current_user.role in ("lead", "expert"))

    def _done(self):
        return redirect(url_for(".index"))

    def _only_self(self, form) -> None:
        """An expert acts for themselves only: another expert's id is refused outright (403)."""
        raw = request.form.get(form.expert.name)
        if current_user.role == "expert" and raw and raw != str(_own().id):
            abort(403)

    def _chosen(self, form) -> tuple[Expert, date]:
        expert = db.session.get(Expert, int(form.expert.data))
        if expert is None or expert.region_id != current_user.region_id:
            abort(404)
        if current_user.role == "expert" and expert.id != _own().id:
            abort(403)
        return expert, parse_week(form.week.data).start

    @expose("/block", methods=("POST",))
    def add_block(self):
        if current_user.role not in ("lead", "expert"):
            abort(403)
        form, _light = self._forms()
        self._only_self(form)
        if not form.validate_on_submit():
            _flash_errors(form)
            return self._done()
        expert, monday = self._chosen(form)
        try:
            rules.add_block(expert, monday, form.hours.data, form.description.data,
                            current_user._get_current_object())
        except RuleError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return self._done()
        db.session.commit()
        flash(_("The hours are kept free; the next planning round counts them."), "success")
        return self._done()

    @expose("/block/<int:block_id>/delete", methods=("POST",))
    def delete_block(self, block_id: int):
        if current_user.role not in ("lead", "expert"):
            abort(403)
        block = db.session.get(Block, block_id)
        if block is None or block.region_id != current_user.region_id or (
                current_user.role == "expert" and block.expert_id != _own().id):
            abort(404)
        try:
            rules.delete_block(block, current_user._get_current_object())
        except RuleError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return self._done()
        db.session.commit()
        flash(_("Removed."), "success")
        return self._done()

    @expose("/light", methods=("POST",))
    def add_light(self):
        _block, form = self._forms()
        self._only_self(form)
        if not form.validate_on_submit():
            _flash_errors(form)
            return self._done()
        expert, monday = self._chosen(form)
        try:
            rules.mark_light_week(expert, monday, form.note.data or "", current_user._get_current_object())
        except RuleError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return self._done()
        db.session.commit()
        flash(_("Light week saved: the next planning round gives no heavy work that week."), "success")
        return self._done()

    @expose("/light/<int:row_id>/delete", methods=("POST",))
    def delete_light(self, row_id: int):
        row = db.session.get(LightWeek, row_id)
        if row is None or row.region_id != current_user.region_id or (
                current_user.role == "expert" and row.expert_id != _own().id):
            abort(404)
        try:
            rules.unmark_light_week(row, current_user._get_current_object())
        except RuleError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return self._done()
        db.session.commit()
        flash(_("Removed."), "success")
        return self._done()


def views() -> list:
    return [
        TimesheetView(name=_l("Timesheets"), category=CATEGORY, endpoint="hours", url="hours"),
        OtherWorkView(name=_l("Other work and light weeks"), category=CATEGORY, endpoint="otherwork",
                      url="other-work"),
    ]
