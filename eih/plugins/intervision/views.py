"""Views: cycle and settings, sessions, team meetings, the rhythm dashboard with the
attendance register, and supervision requests (the expert's own, the lead's queue).

Who sees what: "the team" is the lead, the coordinator and the experts of the
region. Admins are not the team: every page here is 403 for them. Themes are
shown on the session's detail page only, to the team of its region. Supervision
requests: an expert sees only their own; the lead sees all of the region, with
the private details; the coordinator sees none.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import BooleanField, DateField, SelectField, TextAreaField
from wtforms.validators import DataRequired, NumberRange, ValidationError

from ... import audit, clock
from ...admin import SecureModelView, SecureView
from ...core_views import local_time
from ...extensions import db
from ...labels import choices, formatter
from ...models import utcnow
from . import rules
from .labels import (
    ABSENCE_LABELS,
    ATTENDANCE_LABELS,
    MODE_LABELS,
    STATUS_LABELS,
    SUPERVISION_REASON_LABELS,
    SUPERVISION_STATUS_LABELS,
    WEEKDAY_LABELS,
)
from .models import PLUGIN, Cycle, IntervisionSession, SupervisionRequest, TeamMeeting

TEAM_STAFF = ("lead", "coordinator")
CATEGORY = _l("Intervision")
THEMES_HELP = _l("Themes only, never client data: no names, initials, addresses, phone numbers or case details. "
                 "Visible only to the team of this region.")

LABELS = {
    "region": _l("Region"), "interval_weeks": _l("Interval (weeks)"), "facilitator_name": _l("External facilitator"),
    "facilitator_contact": _l("Facilitator contact"), "weekday": _l("Default weekday"),
    "start_time": _l("Start time"), "duration_minutes": _l("Duration (minutes)"), "location": _l("Location"),
    "meeting_interval_weeks": _l("Team meeting interval (weeks)"), "meeting_weekday": _l("Team meeting weekday"),
    "meeting_time": _l("Team meeting time"), "meeting_minutes": _l("Team meeting duration (minutes)"),
    "meeting_mode": _l("Team meeting form"), "meeting_location": _l("Team meeting location"),
    "overdue_days": _l("Overdue after (days)"), "long_leave_days": _l("Long leave from (days)"),
    "start": _l("Start"), "end": _l("End"), "status": _l("Status"), "themes": _l("Themes discussed"),
    "moved_from": _l("Moved from"), "mode": _l("Form"), "expert": _l("Expert"), "reason": _l("Reason"),
    "details": _l("Details (optional, private)"), "supervisor_name": _l("Supervisor"),
    "planned_for": _l("Planned for"), "created_at": _l("Requested on"), "external": _l("External supervisor"),
    "register": _l("Attendance"),
    "keep_rhythm": _l("Move the later planned sessions too, to keep the rhythm"),
}


def _register_link(kind):
    def fmt(view, context, model, name):
        if current_user.role not in TEAM_STAFF:
            return ""
        url = url_for("intervision_rhythm.register", kind=kind, item_id=model.id)
        return Markup('<a href="{}">{}</a>').format(url, _("Attendance"))
    return fmt


def _check(rule, *args) -> None:
    """Run a rule for a Flask-Admin form: a refusal becomes the form's error message."""
    try:
        rule(*args)
    except rules.RuleError as exc:
        raise ValidationError(str(exc)) from None


class IntervisionModelView(SecureModelView):
    plugin = PLUGIN
    column_labels = LABELS
    can_export = False
    audit_views = True


class _KeepsHistory:
    """A session or meeting with recorded attendance is history: cancel it, never delete it."""

    def on_model_delete(self, model):
        _check(rules.check_may_delete, model)
        super().on_model_delete(model)


class CycleView(IntervisionModelView):
    roles = TEAM_STAFF
    allow_delete = False
    column_list = ("region", "interval_weeks", "facilitator_name", "weekday", "start_time", "location",
                   "meeting_interval_weeks", "meeting_mode", "overdue_days", "long_leave_days")
    form_columns = ("interval_weeks", "facilitator_name", "facilitator_contact", "weekday", "start_time",
                    "duration_minutes", "location", "meeting_interval_weeks", "meeting_weekday", "meeting_time",
                    "meeting_minutes", "meeting_mode", "meeting_location", "overdue_days", "long_leave_days")
    form_overrides = {"weekday": SelectField, "meeting_weekday": SelectField, "meeting_mode": SelectField}
    form_args = {
        "weekday": {"choices": choices(WEEKDAY_LABELS), "coerce": int},
        "meeting_weekday": {"choices": choices(WEEKDAY_LABELS), "coerce": int},
        "meeting_mode": {"choices": choices(MODE_LABELS)},
        "interval_weeks": {"validators": [NumberRange(1, 26)]},
        "meeting_interval_weeks": {"validators": [NumberRange(1, 26)]},
        "duration_minutes": {"validators": [NumberRange(15, 600)]},
        "meeting_minutes": {"validators": [NumberRange(15, 600)]},
        "overdue_days": {"validators": [NumberRange(7, 365)]},
        "long_leave_days": {"validators": [NumberRange(1, 365)]},
        "facilitator_name": {"description": _l("The external facilitator of the intervision (name)")},
    }
    column_formatters = {"weekday": formatter(WEEKDAY_LABELS), "meeting_mode": formatter(MODE_LABELS)}

    def on_model_change(self, form, model, is_created):
        if is_created:
            _check(rules.check_new_cycle, current_user.region_id)
        super().on_model_change(form, model, is_created)


class SessionView(_KeepsHistory, IntervisionModelView):
    roles = TEAM_STAFF + ("expert",)
    edit_roles = TEAM_STAFF
    column_list = ("start", "end", "location", "facilitator_name", "status", "moved_from", "register")
    column_details_list = ("start", "end", "location", "facilitator_name", "status", "moved_from", "themes")
    column_default_sort = ("start", True)
    column_filters = ("status", "start")
    form_columns = ("start", "end", "location", "facilitator_name", "status", "themes", "keep_rhythm")
    form_overrides = {"status": SelectField, "themes": TextAreaField}
    form_args = {"status": {"choices": choices(STATUS_LABELS)}, "themes": {"description": THEMES_HELP}}
    form_extra_fields = {"keep_rhythm": BooleanField(LABELS["keep_rhythm"], default=True)}
    column_formatters = {"status": formatter(STATUS_LABELS), "register": _register_link("session")}
    _realign = False  # set by on_model_change when the later sessions follow a moved one

    def on_model_change(self, form, model, is_created):
        _check(rules.check_themes, model.themes or "")
        old_start = form.start.object_data
        self._realign = False
        if not is_created and old_start is not None and model.start is not None and old_start != model.start:
            if form.end.object_data == model.end:  # only the start was changed: keep the length
                model.end = model.start + (form.end.object_data - old_start)
            model.moved_from = model.moved_from or old_start
            self._realign = bool(form.keep_rhythm.data)
        _check(rules.check_slot, model)
        super().on_model_change(form, model, is_created)

    def after_model_change(self, form, model, is_created):
        if self._realign:
            moved = rules.realign_after(model)
            for s in moved:
                audit.record("update", s, detail="fields: start, end")
            if moved:
                flash(_("%(n)s later sessions moved to keep the rhythm.", n=len(moved)), "info")
        super().after_model_change(form, model, is_created)


class TeamMeetingView(_KeepsHistory, IntervisionModelView):
    roles = TEAM_STAFF + ("expert",)
    edit_roles = TEAM_STAFF
    audit_views = False  # no private content
    column_list = ("start", "end", "mode", "location", "status", "register")
    column_default_sort = ("start", True)
    column_filters = ("status", "start")
    form_columns = ("start", "end", "mode", "location", "status")
    form_overrides = {"status": SelectField, "mode": SelectField}
    form_args = {"status": {"choices": choices(STATUS_LABELS)}, "mode": {"choices": choices(MODE_LABELS)}}
    column_formatters = {"status": formatter(STATUS_LABELS), "mode": formatter(MODE_LABELS),
                         "register": _register_link("meeting")}

    def on_model_change(self, form, model, is_created):
        _check(rules.check_slot, model)
        super().on_model_change(form, model, is_created)


class SupervisionView(IntervisionModelView):
    """The lead's queue: approve, plan, mark done. Details are private to the expert and the lead."""

    roles = ("lead",)
    allow_create = False
    allow_delete = False
    column_list = ("expert", "reason", "status", "supervisor_name", "planned_for", "created_at")
    column_details_list = ("expert", "reason", "details", "status", "supervisor_name", "external", "planned_for",
                           "created_at")
    column_default_sort = ("created_at", True)
    column_filters = ("status", "reason")
    form_columns = ("status", "supervisor_name", "external", "planned_for")
    form_overrides = {"status": SelectField}
    form_args = {"status": {"choices": choices(SUPERVISION_STATUS_LABELS)},
                 "supervisor_name": {"description": _l("A name only; the supervisor may be external.")}}
    column_formatters = {"status": formatter(SUPERVISION_STATUS_LABELS), "reason": formatter(SUPERVISION_REASON_LABELS),
                         "created_at": local_time}

    def on_model_change(self, form, model, is_created):
        old = form.status.object_data or "requested"
        _check(rules.check_supervision, model, old)
        if model.status != old:
            model.decided_at = utcnow()
        super().on_model_change(form, model, is_created)


class MySupervisionView(IntervisionModelView):
    """An expert's own supervision requests: ask, read, change while still requested."""

    roles = ("expert",)
    allow_delete = False
    column_list = ("reason", "status", "supervisor_name", "planned_for", "created_at")
    column_details_list = ("reason", "details", "status", "supervisor_name", "planned_for", "created_at")
    column_default_sort = ("created_at", True)
    form_columns = ("reason", "details")
    form_overrides = {"reason": SelectField, "details": TextAreaField}
    form_args = {"reason": {"choices": choices(SUPERVISION_REASON_LABELS)},
                 "details": {"description": _l("Optional. Only you and the project lead can read this.")}}
    column_formatters = {"status": formatter(SUPERVISION_STATUS_LABELS), "reason": formatter(SUPERVISION_REASON_LABELS),
                         "created_at": local_time}

    def _my_expert_id(self) -> int:
        with db.session.no_autoflush:  # the new request is already in the session, still incomplete
            expert = current_user.expert
            return expert.id if expert is not None else -1

    def scope_query(self, query):
        return super().scope_query(query).filter(SupervisionRequest.expert_id == self._my_expert_id())

    def on_model_change(self, form, model, is_created):
        if self._my_expert_id() < 0:
            abort(403)
        if is_created:
            model.expert_id, model.region_id, model.status = self._my_expert_id(), current_user.region_id, "requested"
        else:
            _check(rules.check_own_request_editable, model)
        super().on_model_change(form, model, is_created)


# -- the rhythm dashboard and the attendance register ----------------------------
class GenerateForm(FlaskForm):
    start = DateField(_l("From"), validators=[DataRequired(message=_l("Enter a start date."))])
    end = DateField(_l("Until"), validators=[DataRequired(message=_l("Enter an end date."))])
    meetings = BooleanField(_l("Also team meetings"), default=True)


class RhythmView(SecureView):
    roles = TEAM_STAFF
    plugin = PLUGIN

    def _today(self) -> date:
        return clock.today()

    @expose("/")
    def index(self):
        today = self._today()
        form = GenerateForm(start=today, end=today + timedelta(weeks=12))
        return self._page(form)

    def _page(self, form, status=200):
        today = self._today()
        region_id = current_user.region_id
        limit, leave_days = rules.thresholds(region_id)
        return self.render("intervision/rhythm.html", rows=rules.rhythm_rows(region_id, today),
                           summary=rules.rhythm_summary(region_id, today), limit=limit, leave_days=leave_days,
                           form=form, today=today,
                           next_meeting=rules.next_planned(TeamMeeting, region_id, today)), status

    @expose("/generate", methods=("POST",))
    def generate(self):
        form = GenerateForm()
        if not form.validate_on_submit():
            flash(_("Enter a valid period."), "danger")
            return self._page(form, 400)
        try:
            sessions, meetings = rules.generate(current_user.region, form.start.data, form.end.data,
                                                   meetings=form.meetings.data)
        except rules.RuleError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return self._page(form, 400)
        audit.record("create", object_type="IntervisionSession", object_id="*",
                     detail=f"generated sessions={len(sessions)} meetings={len(meetings)}")
        db.session.commit()
        flash(_("%(s)s intervision sessions and %(m)s team meetings planned.", s=len(sessions), m=len(meetings)),
              "success")
        return redirect(url_for(".index"))

    @expose("/register/<kind>/<int:item_id>", methods=("GET", "POST"))
    def register(self, kind, item_id):
        if kind not in rules.ATTENDANCE_MODELS:
            abort(404)
        parent = rules.ATTENDANCE_MODELS[kind][0]
        item = db.session.get(parent, item_id)
        if item is None or item.region_id != current_user.region_id:
            abort(404)
        experts = rules.region_experts(item.region_id)
        status = 200
        if request.method == "POST":
            marks = {}
            for e in experts:
                value = request.form.get(f"status-{e.id}", "")
                if value:
                    marks[e.id] = (value, request.form.get(f"reason-{e.id}", ""))
            try:
                rules.record_attendance(item, kind, marks)
            except rules.RuleError as exc:
                db.session.rollback()
                flash(str(exc), "danger")
                status = 400
            else:
                audit.record("update", item, detail="fields: attendance")
                db.session.commit()
                flash(_("Attendance saved."), "success")
                return redirect(url_for(".register", kind=kind, item_id=item_id))
        rows = {a.expert_id: a for a in item.attendance}
        return self.render("intervision/register.html", item=item, kind=kind, experts=experts, rows=rows,
                           attendance_labels=ATTENDANCE_LABELS, absence_labels=ABSENCE_LABELS,
                           status_labels=STATUS_LABELS), status


def admin_views():
    return [
        RhythmView(name=_l("Rhythm"), category=CATEGORY, endpoint="intervision_rhythm", url="intervision/rhythm"),
        SessionView(IntervisionSession, name=_l("Intervision sessions"), category=CATEGORY,
                    endpoint="intervision_session"),
        TeamMeetingView(TeamMeeting, name=_l("Team meetings"), category=CATEGORY, endpoint="intervision_meeting"),
        SupervisionView(SupervisionRequest, name=_l("Supervision requests"), category=CATEGORY,
                        endpoint="intervision_supervision"),
        MySupervisionView(SupervisionRequest, name=_l("My supervision requests"), category=CATEGORY,
                          endpoint="intervision_mysupervision"),
        CycleView(Cycle, name=_l("Cycle and settings"), category=CATEGORY, endpoint="intervision_cycle"),
    ]
