"""Pages of the support groups: groups, sessions, participants, the register, statistics.

Access (the core checks role, region and enablement): the coordinator and the
lead manage everything; an expert sees only the groups they lead (regularly or
for a session) and may fill in those registers; admins have no access.
"""
from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from flask import Response, abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from sqlalchemy import inspect as sa_inspect
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError

from ... import audit, clock, notify, safety
from ...admin import SecureModelView, SecureView
from ...extensions import db
from ...labels import choices, formatter
from .demands import session_demand_id
from .labels import (
    ATTENDANCE_LABELS,
    CADENCE_LABELS,
    GENDER_LABELS,
    INTRO_LABELS,
    KIND_LABELS,
    PARTICIPANT_STATUS_LABELS,
    PERSPECTIVE_LABELS,
    SESSION_STATUS_LABELS,
    WEEKDAY_LABELS,
)
from .models import ATTENDANCE_STATUSES, PLUGIN, Attendance, Group, NoSessionDate, Participant, Session
from .reports import STATS_CSV_FIELDS, consecutive_absences, group_stats, load_rows, stats_csv_row
from .rules import (
    MANAGERS,
    RuleError,
    apply_first_name_only,
    can_see_group,
    cancel_session,
    check_group,
    check_no_session_date,
    check_session,
    generate_sessions,
    mark_no_session,
    may_fill_register,
    may_manage,
    put_first_on_waitlist,
    record_attendance,
    register_participants,
    save_participant,
    settings,
    visible_group_ids,
    waitlist,
)

READERS = ("lead", "coordinator", "expert")

LABELS = {
    "name": _l("Name"), "slug": _l("Short name (for the command line)"), "kind": _l("Kind"),
    "target_gender": _l("Target gender"), "perspective": _l("Perspective"), "cadence": _l("Cadence"),
    "weekday": _l("Weekday"), "start_time": _l("Start time"), "duration_minutes": _l("Duration (minutes)"),
    "prep_minutes": _l("Preparation per session (minutes)"),
    "custom_dates": _l("Custom dates"), "location": _l("Location"), "is_open": _l("Open group"),
    "intro_required": _l("Get-acquainted talk before joining"), "capacity": _l("Capacity"),
    "facilitators_per_session": _l("Facilitators per session"), "load": _l("Emotional load per session"),
    "first_name_only": _l("First names only (no surnames stored)"), "active_from": _l("Active from"),
    "active_until": _l("Active until"), "facilitators": _l("Facilitators"), "group": _l("Group"),
    "starts_at": _l("Starts"), "ends_at": _l("Ends"), "status": _l("Status"), "cancel_reason": _l("Reason for cancelling"),
    "note": _l("Session note (no client data)"), "surname": _l("Surname"),
    "referral_partner": _l("Referred by (organisation)"), "referrer_contact": _l("Referring professional (contact)"),
    "intro_status": _l("Get-acquainted talk"), "intro_by": _l("Talk by"), "intro_date": _l("Date of the talk"),
    "registered_on": _l("Registered on"), "joined_on": _l("Member since"), "left_on": _l("Left on"),
    "left_reason": _l("Reason for leaving"), "date": _l("Date"), "reason": _l("Reason"),
}


class _Base(SecureModelView):
    plugin = PLUGIN
    roles = READERS
    edit_roles = MANAGERS
    column_labels = LABELS
    can_export = False

    def handle_view_exception(self, exc):
        if isinstance(exc, RuleError):
            flash(str(exc), "error")
            return True
        return super().handle_view_exception(exc)

    def _check_region(self, group: Group | None) -> None:
        if group is None:
            raise ValidationError(_("Choose a group."))
        if not self.crosses_regions() and group.region_id != current_user.region_id:
            abort(403)


class GroupView(_Base):
    audit_views = False
    column_list = ("name", "slug", "kind", "cadence", "weekday", "start_time", "location", "facilitators",
                   "facilitators_per_session", "is_open", "active_from", "active_until")
    column_default_sort = "name"
    form_columns = ("name", "slug", "kind", "target_gender", "perspective", "cadence", "weekday", "start_time",
                    "duration_minutes", "prep_minutes", "custom_dates", "location", "is_open", "intro_required", "capacity",
                    "facilitators_per_session", "facilitators", "load", "first_name_only", "active_from",
                    "active_until")
    form_overrides = {"kind": SelectField, "target_gender": SelectField, "perspective": SelectField,
                      "cadence": SelectField, "weekday": SelectField, "facilitators_per_session": SelectField,
                      "custom_dates": TextAreaField}
    form_args = {
        "kind": {"choices": choices(KIND_LABELS)},
        "target_gender": {"choices": choices(GENDER_LABELS),
                          "description": _l("The facilitators' gender (men lead the men's group).")},
        "perspective": {"choices": choices(PERSPECTIVE_LABELS),
                        "description": _l("The facilitators' own perspective.")},
        "cadence": {"choices": choices(CADENCE_LABELS)},
        "weekday": {"choices": [(i, label) for i, label in enumerate(WEEKDAY_LABELS)], "coerce": int},
        "facilitators_per_session": {"choices": [(1, "1"), (2, "2")], "coerce": int},
        "custom_dates": {"description": _l("Only for custom dates: YYYY-MM-DD, separated by commas.")},
        "prep_minutes": {"description": _l("Each facilitator's timesheet counts it with every session held."),
                         "validators": [NumberRange(0, 480)]},
        "location": {"description": _l("A neutral place; no home addresses.")},
        "facilitators": {"description": _l("The regular facilitators; the planning keeps them (continuity).")},
        "first_name_only": {"description": _l("AA style: switching it on erases every stored surname.")},
    }
    column_formatters = {
        "name": lambda v, c, m, n: Markup('<a href="%s">%s</a>') % (url_for("supportgroups.group", group_id=m.id),
                                                                   m.name),
        "kind": formatter(KIND_LABELS), "cadence": formatter(CADENCE_LABELS),
        "weekday": lambda v, c, m, n: WEEKDAY_LABELS[m.weekday] if 0 <= (m.weekday or 0) < 7 else m.weekday,
    }

    def scope_query(self, query):
        query = super().scope_query(query)
        ids = visible_group_ids(current_user)
        return query if ids is None else query.filter(Group.id.in_(ids or [0]))

    def on_model_change(self, form, model, is_created):
        with db.session.no_autoflush:
            region_id = model.region_id or current_user.region_id
            if any(e.region_id != region_id for e in model.facilitators):
                abort(403)  # another region's expert: only a tampered form sends one
            try:
                check_group(model, region_id)
            except RuleError as exc:
                raise ValidationError(str(exc)) from None
            apply_first_name_only(model)
        super().on_model_change(form, model, is_created)


class _GroupScoped(_Base):
    """Models reached through their group: scoped by region and by the groups the user may see."""

    region_column = None

    def scope_query(self, query):
        query = query.join(Group, self.model.group_id == Group.id)
        if not self.crosses_regions():
            query = query.filter(Group.region_id == current_user.region_id)
        ids = visible_group_ids(current_user)
        return query if ids is None else query.filter(Group.id.in_(ids or [0]))

    def region_of(self, obj):
        return obj.group.region_id if obj.group else None

    def scopechoices(self, form):
        form = super().scopechoices(form)
        if hasattr(form, "group") and not self.crosses_regions():
            form.group.query_factory = lambda: db.session.query(Group).filter(
                Group.region_id == current_user.region_id).order_by(Group.name)
        return form


class SessionView(_GroupScoped):
    column_list = ("group", "starts_at", "status", "facilitators", "cancel_reason")
    column_default_sort = ("starts_at", False)
    column_filters = ("status", "starts_at", "group.name")
    form_columns = ("group", "starts_at", "ends_at", "status", "cancel_reason", "facilitators", "note")
    form_overrides = {"status": SelectField}
    form_args = {"status": {"choices": choices(SESSION_STATUS_LABELS)},
                 "note": {"description": _l("Short, about the session itself: no names, no client data.")}}
    column_formatters = {
        "status": formatter(SESSION_STATUS_LABELS),
        "starts_at": lambda v, c, m, n: Markup('<a href="%s">%s</a>') % (
            url_for("supportgroups.register", session_id=m.id), m.starts_at.strftime("%Y-%m-%d %H:%M")),
    }

    def on_model_change(self, form, model, is_created):
        with db.session.no_autoflush:
            self._check_region(model.group)
            try:
                check_session(model)
            except RuleError as exc:
                raise ValidationError(str(exc)) from None
        super().on_model_change(form, model, is_created)


class ParticipantView(_GroupScoped):
    audit_views = True
    column_list = ("name", "group", "status", "intro_status", "registered_on", "joined_on", "referral_partner")
    column_default_sort = "name"
    column_filters = ("status", "group.name")
    column_searchable_list = ("name",)
    form_columns = ("group", "name", "surname", "referral_partner", "referrer_contact", "intro_status", "intro_by",
                    "intro_date", "status", "registered_on", "left_on", "left_reason")
    form_overrides = {"status": SelectField, "intro_status": SelectField}
    form_args = {
        "name": {"label": _l("First name or pseudonym"), "validators": [DataRequired()]},
        "surname": {"description": _l("Leave empty unless really needed; never stored in first-name-only groups.")},
        "status": {"choices": choices(PARTICIPANT_STATUS_LABELS)},
        "intro_status": {"choices": choices(INTRO_LABELS)},
        "registered_on": {"description": _l("Decides the place on the waitlist (first come, first served).")},
    }
    column_formatters = {"status": formatter(PARTICIPANT_STATUS_LABELS), "intro_status": formatter(INTRO_LABELS)}

    def on_model_change(self, form, model, is_created):
        with db.session.no_autoflush:
            self._check_region(model.group)
            if is_created:
                old = "waitlist"
            else:
                history = sa_inspect(model).attrs.status.history
                old = history.deleted[0] if history.deleted else model.status
            try:
                save_participant(model, old, clock.today())
            except RuleError as exc:
                raise ValidationError(str(exc)) from None
        super().on_model_change(form, model, is_created)


class NoSessionDateView(_GroupScoped):
    roles = MANAGERS
    column_list = ("group", "date", "reason")
    column_default_sort = ("date", True)
    form_columns = ("group", "date", "reason")
    allow_edit = False

    def on_model_change(self, form, model, is_created):
        with db.session.no_autoflush:
            self._check_region(model.group)
            try:
                check_no_session_date(model)
                mark_no_session(model.group, model.date, model.reason or "")
            except RuleError as exc:
                raise ValidationError(str(exc)) from None
        super().on_model_change(form, model, is_created)


# -- plain pages -------------------------------------------------------------------

class PeriodForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter, changes nothing

    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("Until"), validators=[Optional()])


class GenerateForm(FlaskForm):
    start = DateField(_l("From"), validators=[DataRequired()])
    end = DateField(_l("Until"), validators=[DataRequired()])


class CancelForm(FlaskForm):
    reason = StringField(_l("Reason for cancelling"), validators=[DataRequired()])


def _tell_absences(session: Session) -> None:
    """The coordinators hear of a member who reached the absence alert with this session
    (once per member and session; the mail names the group, never the member)."""
    group = session.group
    n = int(settings(group.region_id)["absence_alert"])
    sessions, attendance, participants = load_rows(group, session.date - timedelta(weeks=52), session.date)
    absent_now = {a.participant_id for a in session.attendance if a.status != "present"}
    for participant_id, run in consecutive_absences(sessions, attendance, participants, n).items():
        if participant_id in absent_now:
            notify.absence_alert(group.region_id, group.name, run, f"absence-{participant_id}-{session.id}",
                                 f"/admin/supportgroups/group/{group.id}/")
    db.session.commit()


def default_period(today: date) -> tuple[date, date]:
    return today - timedelta(weeks=12), today


class BoardView(SecureView):
    """The coordinator's daily tool: groups, registers, waitlists, statistics."""

    plugin = PLUGIN
    roles = READERS

    # -- loading with the access rules ---------------------------------------
    def _group(self, group_id: int) -> Group:
        group = db.session.get(Group, group_id)
        if group is None or group.region_id != current_user.region_id:
            abort(404)
        if not can_see_group(current_user, group):
            abort(403)
        return group

    def _session(self, session_id: int) -> Session:
        session = db.session.get(Session, session_id)
        if session is None or session.group.region_id != current_user.region_id:
            abort(404)
        if not may_fill_register(current_user, session):
            abort(403)
        return session

    def _manager_only(self) -> None:
        if not may_manage(current_user):
            abort(403)

    def _period(self) -> tuple[date, date]:
        form = PeriodForm(request.args)
        start, end = default_period(clock.today())
        if form.validate():
            start, end = form.start.data or start, form.end.data or end
        if end < start:
            abort(400, _("The end of the period comes before its start."))
        return start, end

    # -- pages ------------------------------------------------------------------
    @expose("/")
    def index(self):
        ids = visible_group_ids(current_user)
        query = db.select(Group).where(Group.region_id == current_user.region_id).order_by(Group.name)
        if ids is not None:
            query = query.where(Group.id.in_(ids or [0]))
        groups = db.session.execute(query).scalars().all()
        today = clock.today()
        upcoming = {g.id: [s for s in g.sessions if s.date >= today and s.status != "cancelled"][:3] for g in groups}
        recent = {g.id: [s for s in g.sessions if s.date <= today and s.status != "cancelled"][-3:] for g in groups}
        return self.render("supportgroups/index.html", groups=groups, upcoming=upcoming, recent=recent,
                           manage=may_manage(current_user), weekdays=WEEKDAY_LABELS, cadences=CADENCE_LABELS,
                           status_labels=SESSION_STATUS_LABELS)

    @expose("/group/<int:group_id>/")
    def group(self, group_id):
        group = self._group(group_id)
        audit.record("view", group, object_type="SupportGroup", region_id=group.region_id)
        db.session.commit()
        today = clock.today()
        sessions = [s for s in group.sessions if today - timedelta(weeks=6) <= s.date <= today + timedelta(weeks=6)]
        members = [p for p in group.participants if p.status in ("member", "intake")]
        members.sort(key=lambda p: (p.status != "member", p.name.lower()))
        return self.render("supportgroups/group.html", group=group, sessions=sessions, members=members,
                           waiting=waitlist(group), manage=may_manage(current_user), today=today,
                           generate=GenerateForm(start=today, end=today + timedelta(weeks=8)),
                           status_labels=SESSION_STATUS_LABELS, participant_labels=PARTICIPANT_STATUS_LABELS,
                           intro_labels=INTRO_LABELS, weekdays=WEEKDAY_LABELS, cadences=CADENCE_LABELS)

    @expose("/group/<int:group_id>/generate", methods=("POST",))
    def generate(self, group_id):
        self._manager_only()
        group = self._group(group_id)
        form = GenerateForm()
        if not form.validate_on_submit():
            flash(_("Give a valid period (from and until)."), "error")
            return redirect(url_for(".group", group_id=group.id))
        try:
            created = generate_sessions(group, form.start.data, form.end.data)
        except RuleError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return redirect(url_for(".group", group_id=group.id))
        for session in created:
            audit.record("create", session, object_type="SupportGroupSession", region_id=group.region_id)
        db.session.commit()
        flash(_("%(n)s session(s) planned.", n=len(created)), "success")
        return redirect(url_for(".group", group_id=group.id))

    @expose("/participant/<int:participant_id>/first", methods=("POST",))
    def put_first(self, participant_id):
        self._manager_only()
        participant = db.session.get(Participant, participant_id)
        if participant is None or participant.group.region_id != current_user.region_id:
            abort(404)
        try:
            put_first_on_waitlist(participant)
        except RuleError as exc:
            flash(str(exc), "error")
            return redirect(url_for(".group", group_id=participant.group_id))
        audit.record("update", participant, region_id=participant.group.region_id, detail="fields: waitlist_rank")
        db.session.commit()
        flash(_("%(name)s is now first on the waitlist.", name=participant.name), "success")
        return redirect(url_for(".group", group_id=participant.group_id))

    @expose("/session/<int:session_id>/cancel", methods=("POST",))
    def cancel(self, session_id):
        self._manager_only()
        session = self._session(session_id)
        form = CancelForm()
        try:
            if not form.validate_on_submit():
                raise RuleError(_("Give a reason for the cancellation."))
            cancel_session(session, form.reason.data)
        except RuleError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return redirect(url_for(".register", session_id=session.id))
        audit.record("update", session, object_type="SupportGroupSession", region_id=session.group.region_id,
                     detail="fields: status, cancel_reason")
        db.session.commit()
        flash(_("The session is cancelled."), "success")
        return redirect(url_for(".group", group_id=session.group_id))

    @expose("/session/<int:session_id>/register", methods=("GET", "POST"))
    def register(self, session_id):
        session = self._session(session_id)
        people = register_participants(session)
        current = {a.participant_id: a.status for a in session.attendance}
        today = clock.today()
        if request.method == "POST":
            if request.form.get("all_present"):
                marks = {p.id: "present" for p in people}
            else:
                marks = {p.id: request.form.get(f"p-{p.id}", "") for p in people}
                missing = [p.name for p in people if not marks[p.id]]
                if missing:
                    flash(_("Mark everyone: %(names)s.", names=", ".join(missing)), "error")
                    return self._render_register(session, people, {**current, **{k: v for k, v in marks.items() if v}},
                                                 today), 400
            try:
                changed = self._save_register(session, marks, today)
            except RuleError as exc:
                db.session.rollback()
                flash(str(exc), "error")
                return self._render_register(session, people, current, today), 400
            flash(_("Register saved (%(n)s change(s)).", n=changed), "success")
            return redirect(url_for(".register", session_id=session.id))
        audit.record("view", session, object_type="SupportGroupSession", region_id=session.group.region_id,
                     detail="register")
        db.session.commit()
        return self._render_register(session, people, current, today)

    def _save_register(self, session, marks, today):
        changed = record_attendance(session, marks, user=current_user._get_current_object(), today=today,
                                    late_days=int(settings(current_user.region_id)["late_days"]))
        db.session.commit()
        _tell_absences(session)
        return changed

    @expose("/session/<int:session_id>/incident", methods=("POST",))
    def incident(self, session_id):
        """A safety incident at a session (a facilitator, the coordinator or the lead reports it)."""
        session = self._session(session_id)
        label = f"{session.group.name} {format_datetime(session.starts_at, 'd MMM HH:mm', rebase=False)}"
        try:
            safety.report_from_form(safety.IncidentForm(), session.group.region_id, session_demand_id(session),
                                    label, current_user._get_current_object())
            db.session.commit()
            flash(_("Incident reported; the project lead and the coordinator are told."), "success")
        except RuleError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        return redirect(url_for(".register", session_id=session.id))

    def _render_register(self, session, people, current, today):
        return self.render("supportgroups/register.html", session=session, people=people, current=current,
                           labels=ATTENDANCE_LABELS, statuses=ATTENDANCE_STATUSES, today=today,
                           manage=may_manage(current_user), cancel_form=CancelForm(),
                           status_labels=SESSION_STATUS_LABELS, incident_form=safety.IncidentForm())

    @expose("/group/<int:group_id>/stats")
    def stats(self, group_id):
        group = self._group(group_id)
        start, end = self._period()
        figures = group_stats(group, start, end, int(settings(current_user.region_id)["absence_alert"]))
        audit.record("view", group, object_type="SupportGroup", region_id=group.region_id, detail="statistics")
        db.session.commit()
        return self.render("supportgroups/stats.html", group=group, stats=figures, start=start, end=end,
                           form=PeriodForm(request.args), chart=attendance_chart(figures["attendance_per_session"],
                                                                                 group.capacity))

    @expose("/group/<int:group_id>/stats.csv")
    def stats_csv(self, group_id):
        group = self._group(group_id)
        start, end = self._period()
        row = stats_csv_row(group_stats(group, start, end, int(settings(current_user.region_id)["absence_alert"])))
        audit.record("export", group, object_type="SupportGroup", region_id=group.region_id, detail="statistics")
        db.session.commit()
        return _csv_response([row], STATS_CSV_FIELDS, f"{group.slug}-statistics-{start}-{end}.csv")

    @expose("/group/<int:group_id>/register.csv")
    def register_csv(self, group_id):
        group = self._group(group_id)
        start, end = self._period()
        rows = register_rows(group, start, end)
        audit.record("export", group, object_type="SupportGroup", region_id=group.region_id, detail="register")
        db.session.commit()
        return _csv_response(rows, ("session_date", "participant", "status"), f"{group.slug}-register-{start}-{end}.csv")


def register_rows(group: Group, start: date, end: date) -> list[dict]:
    """The register as the import reads it: date, first name or pseudonym, status. No surnames."""
    rows = db.session.execute(
        db.select(Session.starts_at, Participant.name, Attendance.status)
        .join(Attendance, Attendance.session_id == Session.id)
        .join(Participant, Participant.id == Attendance.participant_id)
        .where(Session.group_id == group.id, Session.status == "held")
        .order_by(Session.starts_at, Participant.name)).all()
    return [{"session_date": s.date().isoformat(), "participant": name, "status": status}
            for s, name, status in rows if start <= s.date() <= end]


def _csv_response(rows, fields, filename) -> Response:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(fields), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        # a cell starting with = + - @ would be a formula in a spreadsheet
        writer.writerow({k: ("'" + v if isinstance(v, str) and v[:1] in "=+-@" else v) for k, v in row.items()})
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def attendance_chart(points: list[dict], capacity: int) -> Markup:
    """A plain inline SVG bar chart of attendance per held session (no script, no CDN)."""
    if not points:
        return Markup("")
    top = max([capacity or 1] + [p["present"] for p in points])
    bar, gap, height = 22, 6, 120
    width = len(points) * (bar + gap) + 30
    parts = [f'<svg role="img" class="sg-chart" width="{width}" height="{height + 40}" '
             f'viewBox="0 0 {width} {height + 40}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(_('Attendance per session'))}</title>",
             f'<line x1="24" y1="{height}" x2="{width}" y2="{height}" stroke="#888"/>']
    for i, point in enumerate(points):
        h = round(point["present"] / top * (height - 10))
        x = 28 + i * (bar + gap)
        label = escape(f"{point['date']}: {point['present']}")
        parts.append(f'<rect x="{x}" y="{height - h}" width="{bar}" height="{h}" fill="#2a7ab0"><title>{label}</title></rect>')
        parts.append(f'<text x="{x + bar / 2}" y="{height - h - 2}" font-size="10" text-anchor="middle">{point["present"]}</text>')
        parts.append(f'<text x="{x + bar / 2}" y="{height + 12}" font-size="9" text-anchor="middle">{point["date"][5:]}</text>')
    parts.append(f'<text x="0" y="10" font-size="10">{top}</text><text x="0" y="{height}" font-size="10">0</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def admin_views():
    category = _l("Support groups")
    return [
        BoardView(name=_l("Overview"), category=category, endpoint="supportgroups", url="supportgroups"),
        GroupView(Group, name=_l("Groups"), category=category, endpoint="supportgroups_group"),
        SessionView(Session, name=_l("Sessions"), category=category, endpoint="supportgroups_session"),
        ParticipantView(Participant, name=_l("Participants"), category=category, endpoint="supportgroups_participant"),
        NoSessionDateView(NoSessionDate, name=_l("No-session dates"), category=category,
                          endpoint="supportgroups_nosession"),
    ]
