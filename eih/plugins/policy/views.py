"""Policy pages.

- the project lead manages tables, meetings (preliminary talk, experts, held,
  cancelled) and contributions;
- the coordinator reads all of it;
- an expert sees the meetings they go to and the contributions they made;
- admins have no access to policy content.

Every step goes through ``rules``; every change is written to the access log.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from ... import audit, clock
from ...admin import SecureModelView, SecureView
from ...extensions import db
from ...labels import choices, formatter, label
from ...models import Expert
from . import rules
from .labels import (
    CONTRIBUTION_KIND_LABELS,
    KIND_LABELS,
    LEVEL_LABELS,
    MEETING_STATUS_LABELS,
    OUTCOME_LABELS,
    PERSPECTIVE_LABELS,
    TALK_LABELS,
)
from .models import PLUGIN, PolicyContribution, PolicyMeeting, PolicyTable, contribution_expert, meeting_expert

CATEGORY = _l("Policy")
MANAGERS = ("lead",)
READERS = ("lead", "coordinator")

LABELS = {
    "name": _l("Name"), "organisation": _l("Organisation"), "partner": _l("Partner organisation"),
    "level": _l("Level"), "kind": _l("Kind"), "description": _l("Description"),
    "perspective": _l("Perspective required"), "preferred_specialties": _l("Specialties preferred"),
    "experts_needed": _l("Experts per meeting"), "preparation_hours": _l("Preparation (hours)"),
    "rotation": _l("Rotation of experts"), "active": _l("Active"), "table": _l("Table"), "starts_at": _l("Starts"),
    "ends_at": _l("Ends"), "place": _l("Place"), "status": _l("Status"), "cancel_reason": _l("Reason for cancelling"),
    "talk_status": _l("Preliminary talk"), "talk_on": _l("Date of the talk"), "talk_notes": _l("Agreed in the talk"),
    "notes": _l("Notes"), "experts": _l("Experts"), "meeting": _l("Meeting"), "given_on": _l("Given on"),
    "topic": _l("Topic"), "summary": _l("Summary"), "hours": _l("Writing hours"), "outcome": _l("What became of it"),
    "outcome_note": _l("Explanation"), "outcome_on": _l("Known on"),
}
NO_CLIENT_DATA = _l("No client data: no names or details of people.")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def when(moment: datetime | None) -> str:
    """A meeting's wall-clock time (stored local) in the reader's language."""
    if moment is None:
        return ""
    return f"{format_date(moment.date(), 'EEE d MMM yyyy')} {moment:%H:%M}"


def day(value: date | None) -> str:
    return format_date(value, "d MMM yyyy") if value else ""


def _no_control_characters(form, field):
    if isinstance(field.data, str) and _CONTROL.search(field.data):
        raise ValidationError(_("This field contains characters that cannot be stored."))


def _form_error(form) -> str:
    for field in form:
        if field.errors:
            return f"{field.label.text}: {field.errors[0]}"
    return _("The form could not be read.")


def _fmt_day(view, context, model, name):
    return day(getattr(model, name))


def _check(rule, *args) -> None:
    try:
        rule(*args)
    except rules.RuleError as exc:
        raise ValidationError(str(exc)) from None


def _my_expert_id() -> int:
    if not current_user.is_authenticated:
        return -1
    with db.session.no_autoflush:  # a new record may be in the session, still incomplete
        expert = current_user.expert
    return expert.id if expert is not None else -1


class PolicyModelView(SecureModelView):
    plugin = PLUGIN
    roles = READERS
    edit_roles = MANAGERS
    column_labels = LABELS
    can_export = False
    allow_delete = False  # history: a table is switched off, a meeting cancelled

    def _own_region(self, model) -> None:
        if model.region_id is None:
            model.region_id = current_user.region_id


class TableView(PolicyModelView):
    column_list = ("name", "organisation", "level", "kind", "experts_needed", "rotation", "active")
    column_default_sort = "name"
    column_filters = ("level", "kind", "active")
    form_columns = ("name", "organisation", "partner", "level", "kind", "description", "perspective",
                    "preferred_specialties", "experts_needed", "preparation_hours", "rotation", "active")
    form_overrides = {"level": SelectField, "kind": SelectField, "perspective": SelectField,
                      "description": TextAreaField}
    form_args = {"level": {"choices": choices(LEVEL_LABELS)}, "kind": {"choices": choices(KIND_LABELS)},
                 "perspective": {"choices": choices(PERSPECTIVE_LABELS),
                                 "description": _l("The experts' own perspective, when the table asks for one.")},
                 "preferred_specialties": {"description": _l("Specialties as on the experts' profiles, separated "
                                                             "by commas.")},
                 "rotation": {"description": _l("The planning avoids whoever went last time when another expert "
                                                "fits, so the view stays fresh.")},
                 "partner": {"description": _l("When the table is run by one of the partners.")}}
    column_formatters = {"level": formatter(LEVEL_LABELS), "kind": formatter(KIND_LABELS),
                         "perspective": formatter(PERSPECTIVE_LABELS)}

    def on_model_change(self, form, model, is_created):
        self._own_region(model)
        with db.session.no_autoflush:
            _check(rules.check_table, model)
        super().on_model_change(form, model, is_created)


def _meeting_link(view, context, model, name):
    return Markup('<a href="{}">{}</a>').format(url_for("policy.meeting", meeting_id=model.id), when(model.starts_at))


class MeetingView(PolicyModelView):
    """Meetings of the tables; experts see only those they go to."""

    roles = READERS + ("expert",)
    column_list = ("starts_at", "table", "place", "status", "talk_status", "experts")
    column_default_sort = ("starts_at", True)
    column_filters = ("status", "starts_at")
    form_columns = ("table", "starts_at", "ends_at", "place", "preparation_hours", "notes")
    form_overrides = {"notes": TextAreaField}
    form_args = {"preparation_hours": {"description": _l("Empty: the table's preparation time.")},
                 "notes": {"description": NO_CLIENT_DATA}}
    column_formatters = {"starts_at": _meeting_link, "status": formatter(MEETING_STATUS_LABELS),
                         "talk_status": formatter(TALK_LABELS),
                         "experts": lambda v, c, m, n: ", ".join(e.name for e in m.experts)}

    def scope_query(self, query):
        query = super().scope_query(query)
        if current_user.is_authenticated and current_user.role == "expert":
            mine = db.select(meeting_expert.c.meeting_id).where(meeting_expert.c.expert_id == _my_expert_id())
            query = query.filter(PolicyMeeting.id.in_(mine))
        return query

    def on_model_change(self, form, model, is_created):
        self._own_region(model)
        with db.session.no_autoflush:
            _check(rules.check_meeting, model)
        super().on_model_change(form, model, is_created)


class ContributionView(PolicyModelView):
    """Advice given; experts see the contributions they made."""

    roles = READERS + ("expert",)
    column_list = ("given_on", "table", "kind", "topic", "experts", "outcome", "outcome_on")
    column_default_sort = ("given_on", True)
    column_filters = ("kind", "outcome", "given_on")
    column_searchable_list = ("topic",)
    form_columns = ("table", "meeting", "kind", "given_on", "topic", "summary", "experts", "hours", "outcome",
                    "outcome_note", "outcome_on")
    form_overrides = {"summary": TextAreaField, "outcome_note": TextAreaField}
    form_args = {"summary": {"description": NO_CLIENT_DATA},
                 "hours": {"description": _l("Time spent writing, counted in the experts' hours.")},
                 "outcome_note": {"description": _l("What the organisation did with the advice, when known.")}}
    column_formatters = {"kind": formatter(CONTRIBUTION_KIND_LABELS), "outcome": formatter(OUTCOME_LABELS),
                         "given_on": _fmt_day, "outcome_on": _fmt_day,
                         "experts": lambda v, c, m, n: ", ".join(e.name for e in m.experts)}

    def scope_query(self, query):
        query = super().scope_query(query)
        if current_user.is_authenticated and current_user.role == "expert":
            mine = db.select(contribution_expert.c.contribution_id).where(
                contribution_expert.c.expert_id == _my_expert_id())
            query = query.filter(PolicyContribution.id.in_(mine))
        return query

    def scope_choices(self, form):
        form = super().scope_choices(form)
        if hasattr(form, "meeting") and not self.crosses_regions():
            form.meeting.query_factory = lambda: db.session.query(PolicyMeeting).filter(
                PolicyMeeting.region_id == current_user.region_id, PolicyMeeting.status != "cancelled").order_by(
                PolicyMeeting.starts_at.desc())
        if hasattr(form, "experts") and not self.crosses_regions():
            form.experts.query_factory = lambda: db.session.query(Expert).filter(
                Expert.region_id == current_user.region_id)
        return form

    def on_model_change(self, form, model, is_created):
        self._own_region(model)
        with db.session.no_autoflush:
            _check(rules.check_contribution, model, clock.today())
        super().on_model_change(form, model, is_created)


# -- the board and the meeting page ----------------------------------------------------------

class TalkForm(FlaskForm):
    talk_on = DateField(_l("Date of the talk"), validators=[DataRequired(message=_l("Give a date."))])
    held = BooleanField(_l("The talk was held"))
    talk_notes = TextAreaField(_l("Agreed in the talk"), validators=[Length(max=2000), _no_control_characters],
                               description=_l("The kind of meeting, the contribution expected, a realistic view "
                                              "of its impact."))


class ReasonForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(message=_l("Give a reason.")), Length(max=200),
                                                   _no_control_characters])


class EmptyForm(FlaskForm):
    """A button that only needs the CSRF token."""


class BoardView(SecureView):
    """Tables with their rotation, the meetings to come, advice awaiting its outcome; the meeting page."""

    plugin = PLUGIN
    roles = READERS + ("expert",)

    def _staff(self) -> None:
        if current_user.role not in READERS:
            abort(403)

    def _lead(self) -> None:
        if current_user.role not in MANAGERS:
            abort(403)

    def _meeting(self, meeting_id: int) -> PolicyMeeting:
        meeting = db.session.get(PolicyMeeting, meeting_id)
        if meeting is None or meeting.region_id != current_user.region_id:
            abort(404)
        if current_user.role not in READERS and _my_expert_id() not in [e.id for e in meeting.experts]:
            abort(403)
        return meeting

    def _experts_from_form(self, meeting: PolicyMeeting):
        ids = set()
        for value in request.form.getlist("expert"):
            try:
                ids.add(int(value))
            except ValueError:
                abort(400)
        chosen = [e for e in rules.region_experts(meeting.region_id) if e.id in ids]
        if len(chosen) != len(ids):
            abort(400)  # another region's or an unknown expert: only a tampered form sends one
        return chosen

    def _done(self, meeting: PolicyMeeting, fields: str, message: str):
        audit.record("update", meeting, object_type="PolicyMeeting", region_id=meeting.region_id,
                     detail=f"fields: {fields}")
        db.session.commit()
        flash(message, "success")
        return redirect(url_for(".meeting", meeting_id=meeting.id))

    def _refused(self, error, meeting: PolicyMeeting):
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for(".meeting", meeting_id=meeting.id))

    @expose("/")
    def index(self):
        self._staff()
        today = clock.today()
        region_id = current_user.region_id
        start = datetime.combine(today, datetime.min.time())
        tables = db.session.execute(db.select(PolicyTable).where(PolicyTable.region_id == region_id)
                                    .order_by(PolicyTable.active.desc(), PolicyTable.name)).scalars().all()
        upcoming = db.session.execute(db.select(PolicyMeeting).where(
            PolicyMeeting.region_id == region_id, PolicyMeeting.status == "planned", PolicyMeeting.starts_at >= start,
            PolicyMeeting.starts_at < start + timedelta(weeks=8)).order_by(PolicyMeeting.starts_at)).scalars().all()
        past_planned = db.session.execute(db.select(PolicyMeeting).where(
            PolicyMeeting.region_id == region_id, PolicyMeeting.status == "planned", PolicyMeeting.starts_at < start)
            .order_by(PolicyMeeting.starts_at)).scalars().all()
        last = {t.id: next((m for m in reversed(t.meetings) if m.status == "held"), None) for t in tables}
        return self.render("policy/board.html", tables=tables, last=last, upcoming=upcoming,
                           past_planned=past_planned, open_outcomes=rules.open_outcomes(region_id), when=when,
                           day=day, label=label, LEVELS=LEVEL_LABELS, KINDS=KIND_LABELS, TALK=TALK_LABELS,
                           CONTRIBUTION_KINDS=CONTRIBUTION_KIND_LABELS)

    @expose("/meeting/<int:meeting_id>/")
    def meeting(self, meeting_id):
        meeting = self._meeting(meeting_id)
        staff = current_user.role in READERS
        audit.record("view", meeting, object_type="PolicyMeeting", region_id=meeting.region_id)
        db.session.commit()
        today = clock.today()
        contributions = db.session.execute(db.select(PolicyContribution).filter_by(meeting_id=meeting.id)
                                           .order_by(PolicyContribution.given_on)).scalars().all()
        return self.render("policy/meeting.html", meeting=meeting, staff=staff, manage=current_user.role in MANAGERS,
                           today=today, candidates=rules.candidates(meeting) if staff else [],
                           last_time=rules.went_last_time(meeting), contributions=contributions,
                           talk_form=TalkForm(talk_on=meeting.talk_on or today, talk_notes=meeting.talk_notes),
                           reason_form=ReasonForm(), csrf_form=EmptyForm(), when=when, day=day, label=label,
                           LEVELS=LEVEL_LABELS, KINDS=KIND_LABELS, STATUS=MEETING_STATUS_LABELS, TALK=TALK_LABELS,
                           PERSPECTIVES=PERSPECTIVE_LABELS, CONTRIBUTION_KINDS=CONTRIBUTION_KIND_LABELS,
                           OUTCOMES=OUTCOME_LABELS)

    @expose("/meeting/<int:meeting_id>/talk", methods=("POST",))
    def talk(self, meeting_id):
        self._lead()
        meeting = self._meeting(meeting_id)
        form = TalkForm()
        if not form.validate_on_submit():
            flash(_form_error(form), "error")
            return redirect(url_for(".meeting", meeting_id=meeting.id))
        try:
            if form.held.data:
                rules.record_talk(meeting, form.talk_on.data, form.talk_notes.data, clock.today())
            else:
                rules.plan_talk(meeting, form.talk_on.data)
        except rules.RuleError as exc:
            return self._refused(exc, meeting)
        return self._done(meeting, "talk_status, talk_on, talk_notes", _("Preliminary talk saved."))

    @expose("/meeting/<int:meeting_id>/experts", methods=("POST",))
    def experts(self, meeting_id):
        self._lead()
        meeting = self._meeting(meeting_id)
        if not EmptyForm().validate_on_submit():
            abort(400)
        chosen = self._experts_from_form(meeting)
        try:
            changed = rules.set_meeting_experts(meeting, chosen)
        except rules.RuleError as exc:
            return self._refused(exc, meeting)
        if not changed:
            flash(_("Nothing changed."), "info")
            return redirect(url_for(".meeting", meeting_id=meeting.id))
        return self._done(meeting, "experts", _("Experts saved."))

    @expose("/meeting/<int:meeting_id>/held", methods=("POST",))
    def held(self, meeting_id):
        self._lead()
        meeting = self._meeting(meeting_id)
        if not EmptyForm().validate_on_submit():
            abort(400)
        chosen = self._experts_from_form(meeting)
        try:
            rules.record_held(meeting, chosen, clock.today())
        except rules.RuleError as exc:
            return self._refused(exc, meeting)
        return self._done(meeting, "status, experts", _("The meeting is recorded as held."))

    @expose("/meeting/<int:meeting_id>/cancel", methods=("POST",))
    def cancel(self, meeting_id):
        self._lead()
        meeting = self._meeting(meeting_id)
        form = ReasonForm()
        if not form.validate_on_submit():
            flash(_form_error(form), "error")
            return redirect(url_for(".meeting", meeting_id=meeting.id))
        try:
            rules.cancel_meeting(meeting, form.reason.data)
        except rules.RuleError as exc:
            return self._refused(exc, meeting)
        return self._done(meeting, "status, cancel_reason", _("The meeting is cancelled."))


def admin_views():
    return [
        BoardView(name=_l("Overview"), category=CATEGORY, endpoint="policy", url="policy"),
        MeetingView(PolicyMeeting, name=_l("Meetings"), category=CATEGORY, endpoint="policy_meeting"),
        ContributionView(PolicyContribution, name=_l("Contributions"), category=CATEGORY,
                         endpoint="policy_contribution"),
        TableView(PolicyTable, name=_l("Tables and working groups"), category=CATEGORY, endpoint="policy_table"),
    ]
