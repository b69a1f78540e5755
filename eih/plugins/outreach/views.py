"""Outreach pages.

- the project lead manages everything: the menu (topics and items), orders with
  their flow (preliminary talk, session, given, evaluation, follow-up), the
  sessions and their experts, yearly calendar agreements, story boundaries;
- the coordinator reads all of it;
- an expert sees the sessions they give (with the agreed goal, never the
  organisation's contact) and keeps their own story boundaries;
- admins have no access to outreach content;
- anyone, without an account, reads the region's printable menu and orders a
  session with the public order form (CSRF, rate limited); the order arrives as
  *new* for the lead. Both answer 404 where the plugin is off.

Every step goes through ``rules``; every change is written to the access log.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_admin import expose
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError

from ... import audit, clock
from ...admin import SecureModelView, SecureView
from ...extensions import db, limiter
from ...labels import choices, formatter, label
from ...models import Expert, Municipality, Region
from ...plugins import is_enabled
from . import rules
from .labels import (
    FORM_LABELS,
    ORDER_STATUS_LABELS,
    PERSPECTIVE_LABELS,
    SCORE_LABELS,
    SESSION_STATUS_LABELS,
    SOURCE_LABELS,
    STORY_LEVEL_LABELS,
    STORY_SETTING_LABELS,
    TALK_LABELS,
)
from .models import (
    PLUGIN,
    OutreachAgreement,
    OutreachOffer,
    OutreachOrder,
    OutreachSession,
    OutreachTopic,
    StoryBoundary,
    session_expert,
)

CATEGORY = _l("Outreach")
MANAGERS = ("lead",)
READERS = ("lead", "coordinator")
ORDER_LIMIT = "5 per minute;30 per day"  # the public order form, per address

LABELS = {
    "name": _l("Name"), "description": _l("Description"), "perspective": _l("Perspective required"),
    "required_specialties": _l("Specialties required"), "preferred_specialties": _l("Specialties preferred"),
    "active": _l("Active"), "title": _l("Title"), "form": _l("Form"), "topic": _l("Topic"),
    "duration_minutes": _l("Duration (minutes)"), "preparation_hours": _l("Preparation (hours)"),
    "audience_min": _l("Audience from"), "audience_max": _l("Audience up to"), "experts_needed": _l("Experts"),
    "published": _l("On the menu"), "reference": _l("Reference"), "offer": _l("Menu item"), "source": _l("Came in via"),
    "status": _l("Status"), "received_on": _l("Received on"), "organisation": _l("Organisation"),
    "partner": _l("Partner organisation"), "municipality": _l("Municipality"), "contact_name": _l("Contact person"),
    "contact_email": _l("E-mail"), "contact_phone": _l("Phone"), "audience": _l("Audience"),
    "audience_size": _l("Expected audience size"), "wished_dates": _l("Wished dates"), "goal": _l("Goal"),
    "talk_status": _l("Preliminary talk"), "talk_on": _l("Date of the talk"), "agreed_goal": _l("Agreed goal"),
    "expectations": _l("Expectations"), "follow_up": _l("Follow-up"), "follow_up_on": _l("Reminder date"),
    "follow_up_done_on": _l("Follow-up done on"), "starts_at": _l("Starts"), "ends_at": _l("Ends"),
    "place": _l("Place"), "experts": _l("Experts"), "audience_reached": _l("People reached"), "score": _l("Score"),
    "remarks": _l("Organiser's remarks"), "evaluated_on": _l("Evaluated on"), "first_date": _l("First session"),
    "last_date": _l("Last session (empty: end of that year)"), "interval_weeks": _l("Every (weeks)"),
    "start_time": _l("Start time"), "note": _l("Note"), "expert": _l("Expert"), "setting": _l("Setting"),
    "level": _l("What is shared"), "updated_at": _l("Changed on"), "cancel_reason": _l("Reason for cancelling"),
}
TAGS_HELP = _l("Specialties as on the experts' profiles, separated by commas (e.g. honour-related, stalking).")
NO_CLIENT_DATA = _l("No client data: no names or details of people.")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# -- formats -------------------------------------------------------------------------

def when(moment: datetime | None) -> str:
    """A session's wall-clock time (stored local) in the reader's language: ``di 8 dec. 2026 13:00``."""
    if moment is None:
        return ""
    return f"{format_date(moment.date(), 'EEE d MMM yyyy')} {moment:%H:%M}"


def day(value: date | None) -> str:
    return format_date(value, "d MMM yyyy") if value else ""


def _fmt_day(view, context, model, name):
    return day(getattr(model, name))


def _fmt_number(view, context, model, name):
    value = getattr(model, name)
    return "" if value is None else f"{value:g}".replace(".", ",")


def _no_control_characters(form, field):
    if isinstance(field.data, str) and _CONTROL.search(field.data):
        raise ValidationError(_("This field contains characters that cannot be stored."))


def _check(rule, *args) -> None:
    """Run a rule inside a Flask-Admin form: a refusal becomes the form's message."""
    try:
        rule(*args)
    except rules.RuleError as exc:
        raise ValidationError(str(exc)) from None


# -- model views --------------------------------------------------------------------------

class OutreachModelView(SecureModelView):
    plugin = PLUGIN
    roles = READERS
    edit_roles = MANAGERS
    column_labels = LABELS
    can_export = False

    def _own_region(self, model) -> None:
        if model.region_id is None:
            model.region_id = current_user.region_id


class TopicView(OutreachModelView):
    column_list = ("name", "perspective", "required_specialties", "preferred_specialties", "active")
    column_default_sort = "name"
    form_columns = ("name", "description", "perspective", "required_specialties", "preferred_specialties", "active")
    form_overrides = {"perspective": SelectField, "description": TextAreaField}
    form_args = {"perspective": {"choices": choices(PERSPECTIVE_LABELS)},
                 "required_specialties": {"description": TAGS_HELP},
                 "preferred_specialties": {"description": TAGS_HELP}}
    column_formatters = {"perspective": formatter(PERSPECTIVE_LABELS)}
    allow_delete = False  # the menu and the report keep their topics; switch one off instead

    def on_model_change(self, form, model, is_created):
        self._own_region(model)
        _check(rules.check_topic, model)
        super().on_model_change(form, model, is_created)


class OfferView(OutreachModelView):
    column_list = ("title", "form", "topic", "duration_minutes", "preparation_hours", "audience_min", "audience_max",
                   "experts_needed", "published")
    column_default_sort = "title"
    form_columns = ("title", "form", "topic", "description", "duration_minutes", "preparation_hours", "audience_min",
                    "audience_max", "experts_needed", "published")
    form_overrides = {"form": SelectField, "description": TextAreaField}
    form_args = {"form": {"choices": choices(FORM_LABELS)},
                 "description": {"description": _l("What the organisation gets; shown on the printable menu.")},
                 "preparation_hours": {"description": _l("Counted in the experts' hours, on top of the session.")}}
    column_formatters = {"form": formatter(FORM_LABELS), "preparation_hours": _fmt_number}
    allow_delete = False

    def on_model_change(self, form, model, is_created):
        self._own_region(model)
        with db.session.no_autoflush:
            _check(rules.check_offer, model)
        super().on_model_change(form, model, is_created)


def _order_link(view, context, model, name):
    return Markup('<a href="{}">{}</a>').format(url_for("outreach.order", order_id=model.id),
                                               model.reference or model.id)


class OrderView(OutreachModelView):
    """The list of orders; an order is worked on its own page (``BoardView.order``)."""

    audit_views = True
    allow_delete = False  # history: cancel an order instead
    column_list = ("reference", "received_on", "organisation", "municipality", "offer", "status", "talk_status",
                   "source")
    column_default_sort = ("received_on", True)
    column_filters = ("status", "received_on", "organisation")
    column_searchable_list = ("organisation", "reference")
    form_columns = ("offer", "organisation", "partner", "municipality", "contact_name", "contact_email",
                    "contact_phone", "audience", "audience_size", "wished_dates", "goal")
    form_overrides = {"goal": TextAreaField}
    form_args = {"goal": {"description": NO_CLIENT_DATA},
                 "partner": {"description": _l("When the organisation is one of the partners.")}}
    column_formatters = {"reference": _order_link, "status": formatter(ORDER_STATUS_LABELS),
                         "talk_status": formatter(TALK_LABELS), "source": formatter(SOURCE_LABELS),
                         "received_on": _fmt_day}

    def on_model_change(self, form, model, is_created):
        self._own_region(model)
        if is_created:
            model.source, model.status, model.received_on = "lead", "new", clock.today()
        with db.session.no_autoflush:
            _check(rules.check_order, model)
        super().on_model_change(form, model, is_created)

    def after_model_change(self, form, model, is_created):
        rules.assign_reference(model)
        super().after_model_change(form, model, is_created)


def _session_link(view, context, model, name):
    return Markup('<a href="{}">{}</a>').format(url_for("outreach.session_page", session_id=model.id),
                                               when(model.starts_at))


def _my_expert_id() -> int:
    if not current_user.is_authenticated:
        return -1
    with db.session.no_autoflush:  # a new record may be in the session, still incomplete
        expert = current_user.expert
    return expert.id if expert is not None else -1


class SessionView(OutreachModelView):
    """Sessions of orders and agreements; experts see only those they give."""

    roles = READERS + ("expert",)
    allow_create = False  # sessions come from an order or an agreement
    allow_delete = False  # cancel instead: the report counts what happened
    column_list = ("starts_at", "offer", "organisation", "place", "status", "experts", "audience_reached", "score")
    column_default_sort = ("starts_at", True)
    column_filters = ("status", "starts_at")
    form_columns = ("starts_at", "ends_at", "place")
    column_formatters = {"starts_at": _session_link, "status": formatter(SESSION_STATUS_LABELS),
                         "organisation": lambda v, c, m, n: m.organisation,
                         "experts": lambda v, c, m, n: ", ".join(e.name for e in m.experts)}
    column_details_list = ("starts_at", "ends_at", "offer", "organisation", "place", "status", "experts",
                           "audience_reached", "score", "remarks")

    def scope_query(self, query):
        query = super().scope_query(query)
        if current_user.is_authenticated and current_user.role == "expert":
            mine = db.select(session_expert.c.session_id).where(session_expert.c.expert_id == _my_expert_id())
            query = query.filter(OutreachSession.id.in_(mine))
        return query

    def on_model_change(self, form, model, is_created):
        _check(rules.check_times, model.starts_at, model.ends_at)
        super().on_model_change(form, model, is_created)


class AgreementView(OutreachModelView):
    column_list = ("organisation", "municipality", "offer", "first_date", "last_date", "interval_weeks", "start_time",
                   "place", "active")
    column_default_sort = ("first_date", True)
    form_columns = ("organisation", "partner", "municipality", "offer", "contact_name", "contact_email", "first_date",
                    "last_date", "interval_weeks", "start_time", "place", "audience_size", "note", "active")
    form_overrides = {"note": TextAreaField}
    form_args = {"interval_weeks": {"description": _l("For example 13 for every quarter, 4 for every month.")},
                 "note": {"description": NO_CLIENT_DATA}}
    column_formatters = {"first_date": _fmt_day, "last_date": _fmt_day}
    allow_delete = False

    def on_model_change(self, form, model, is_created):
        self._own_region(model)
        with db.session.no_autoflush:
            _check(rules.check_agreement, model)
        super().on_model_change(form, model, is_created)


class StoryBoundaryView(OutreachModelView):
    """The story boundaries of the region's experts (the lead edits, the coordinator reads)."""

    region_column = None
    audit_views = True
    column_list = ("expert", "setting", "level", "note", "updated_at")
    column_default_sort = "expert_id"
    form_columns = ("expert", "setting", "level", "note")
    form_overrides = {"setting": SelectField, "level": SelectField, "note": TextAreaField}
    form_args = {"setting": {"choices": choices(STORY_SETTING_LABELS)},
                 "level": {"choices": choices(STORY_LEVEL_LABELS)},
                 "note": {"description": _l("What the expert does or does not share in this setting, "
                                            "in their own words.")}}
    column_formatters = {"setting": formatter(STORY_SETTING_LABELS), "level": formatter(STORY_LEVEL_LABELS),
                         "updated_at": lambda v, c, m, n: day(clock.local(m.updated_at).date()) if m.updated_at else ""}

    def scope_query(self, query):
        query = query.join(Expert, StoryBoundary.expert_id == Expert.id)
        return query if self.crosses_regions() else query.filter(Expert.region_id == current_user.region_id)

    def region_of(self, obj):
        return obj.expert.region_id if obj.expert else None

    def on_model_change(self, form, model, is_created):
        if model.expert is None or (not self.crosses_regions() and model.expert.region_id != current_user.region_id):
            raise ValidationError(_("Choose an expert of your region."))
        _check(rules.check_boundary, model)
        super().on_model_change(form, model, is_created)


class MyStoryBoundaryView(StoryBoundaryView):
    """An expert's own story boundaries: what they share in which setting."""

    roles = ("expert",)
    edit_roles = ("expert",)
    allow_delete = True
    action_disallowed_list = ["delete"]  # one at a time, from its card
    column_list = ("setting", "level", "note")
    list_template = "outreach/my_boundaries.html"  # cards, readable on a phone

    def render(self, template, **kwargs):
        return super().render(template, label=label, SETTINGS=STORY_SETTING_LABELS, LEVELS=STORY_LEVEL_LABELS,
                              **kwargs)
    column_default_sort = "setting"
    form_columns = ("setting", "level", "note")

    def scope_query(self, query):
        return query.filter(StoryBoundary.expert_id == _my_expert_id())

    def on_model_change(self, form, model, is_created):
        if _my_expert_id() < 0:
            abort(403)
        if is_created:
            model.expert_id = _my_expert_id()
        elif model.expert_id != _my_expert_id():
            abort(403)
        _check(rules.check_boundary, model)
        SecureModelView.on_model_change(self, form, model, is_created)

    def region_of(self, obj):
        return current_user.region_id


# -- the board: orders, sessions, agreements -------------------------------------------------

class TalkForm(FlaskForm):
    talk_on = DateField(_l("Date of the talk"), validators=[DataRequired(message=_l("Give a date."))])
    held = BooleanField(_l("The talk was held"))
    agreed_goal = TextAreaField(_l("Agreed goal"), validators=[Length(max=2000), _no_control_characters])
    expectations = TextAreaField(_l("Expectations"), validators=[Length(max=2000), _no_control_characters])


class PlanSessionForm(FlaskForm):
    day = DateField(_l("Date"), validators=[DataRequired(message=_l("Give a date."))])
    start = TimeField(_l("From"), validators=[DataRequired(message=_l("Give a start time."))])
    end = TimeField(_l("Until"), validators=[DataRequired(message=_l("Give an end time."))])
    place = StringField(_l("Place"), validators=[Length(max=200), _no_control_characters])


class FollowUpForm(FlaskForm):
    follow_up = TextAreaField(_l("Follow-up agreed"), validators=[Length(max=2000), _no_control_characters])
    remind_on = DateField(_l("Remind me on"), validators=[DataRequired(message=_l("Give a date."))])


class ReasonForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(message=_l("Give a reason.")), Length(max=200),
                                                   _no_control_characters])


class GivenForm(FlaskForm):
    audience_reached = IntegerField(_l("People reached"), validators=[
        DataRequired(message=_l("Give the number of people reached.")), NumberRange(0, rules.MAX_AUDIENCE)])


class EvaluationForm(FlaskForm):
    score = SelectField(_l("Score from the organiser"), coerce=int, choices=choices(SCORE_LABELS))
    remarks = TextAreaField(_l("Remarks from the organiser"), validators=[Length(max=2000), _no_control_characters])
    audience_reached = IntegerField(_l("People reached (correction)"),
                                    validators=[Optional(), NumberRange(0, rules.MAX_AUDIENCE)])


class EmptyForm(FlaskForm):
    """A button that only needs the CSRF token."""


def _form_error(form) -> str:
    for field in form:
        if field.errors:
            return f"{field.label.text}: {field.errors[0]}"
    return _("The form could not be read.")


class BoardView(SecureView):
    """The lead's and the coordinator's overview, the order page and the session page."""

    plugin = PLUGIN
    roles = READERS + ("expert",)

    # -- loading with the access rules ------------------------------------------
    def _staff(self) -> None:
        if current_user.role not in READERS:
            abort(403)

    def _lead(self) -> None:
        if current_user.role not in MANAGERS:
            abort(403)

    def _order(self, order_id: int) -> OutreachOrder:
        self._staff()
        order = db.session.get(OutreachOrder, order_id)
        if order is None or order.region_id != current_user.region_id:
            abort(404)
        return order

    def _session(self, session_id: int) -> OutreachSession:
        item = db.session.get(OutreachSession, session_id)
        if item is None or item.region_id != current_user.region_id:
            abort(404)
        if current_user.role not in READERS and _my_expert_id() not in [e.id for e in item.experts]:
            abort(403)
        return item

    def _done(self, obj, fields: str, message: str, target: str):
        audit.record("update", obj, object_type=type(obj).__name__, region_id=obj.region_id, detail=f"fields: {fields}")
        db.session.commit()
        flash(message, "success")
        return redirect(target)

    def _refused(self, error, target: str):
        db.session.rollback()
        flash(str(error), "error")
        return redirect(target)

    # -- pages --------------------------------------------------------------------
    @expose("/")
    def index(self):
        self._staff()
        today = clock.today()
        region_id = current_user.region_id
        orders = db.session.execute(db.select(OutreachOrder).where(
            OutreachOrder.region_id == region_id,
            OutreachOrder.status.in_(("new", "talk", "planned", "given", "evaluated")))
            .order_by(OutreachOrder.received_on, OutreachOrder.id)).scalars().all()
        start = datetime.combine(today, datetime.min.time())
        upcoming = db.session.execute(db.select(OutreachSession).where(
            OutreachSession.region_id == region_id, OutreachSession.status == "planned",
            OutreachSession.starts_at >= start, OutreachSession.starts_at < start + timedelta(weeks=8))
            .order_by(OutreachSession.starts_at)).scalars().all()
        past_planned = db.session.execute(db.select(OutreachSession).where(
            OutreachSession.region_id == region_id, OutreachSession.status == "planned",
            OutreachSession.starts_at < start)
            .order_by(OutreachSession.starts_at)).scalars().all()
        agreements = db.session.execute(db.select(OutreachAgreement).where(OutreachAgreement.region_id == region_id)
                                        .order_by(OutreachAgreement.organisation)).scalars().all()
        return self.render("outreach/board.html", orders=orders, upcoming=upcoming, past_planned=past_planned,
                           due=rules.follow_ups_due(region_id, today), agreements=agreements,
                           region=current_user.region, manage=current_user.role in MANAGERS, today=today,
                           csrf_form=EmptyForm(), **_helpers())

    @expose("/order/<int:order_id>/")
    def order(self, order_id):
        order = self._order(order_id)
        audit.record("view", order, object_type="OutreachOrder", region_id=order.region_id)
        db.session.commit()
        today = clock.today()
        return self.render("outreach/order.html", order=order, manage=current_user.role in MANAGERS, today=today,
                           talk_form=TalkForm(talk_on=order.talk_on or today,
                                              agreed_goal=order.agreed_goal or order.goal,
                                              expectations=order.expectations),
                           session_form=PlanSessionForm(), follow_up_form=FollowUpForm(
                               follow_up=order.follow_up, remind_on=order.follow_up_on or today + timedelta(weeks=8)),
                           reason_form=ReasonForm(), csrf_form=EmptyForm(),
                           talk_required=rules.settings(order.region_id)["talk_required"], **_helpers())

    @expose("/order/<int:order_id>/talk", methods=("POST",))
    def talk(self, order_id):
        self._lead()
        order = self._order(order_id)
        target = url_for(".order", order_id=order.id)
        form = TalkForm()
        if not form.validate_on_submit():
            flash(_form_error(form), "error")
            return redirect(target)
        try:
            if form.held.data:
                rules.record_talk(order, form.talk_on.data, form.agreed_goal.data, form.expectations.data,
                                  clock.today())
            else:
                rules.plan_talk(order, form.talk_on.data)
        except rules.RuleError as exc:
            return self._refused(exc, target)
        return self._done(order, "talk_status, talk_on, agreed_goal, expectations", _("Preliminary talk saved."),
                          target)

    @expose("/order/<int:order_id>/session", methods=("POST",))
    def plan(self, order_id):
        self._lead()
        order = self._order(order_id)
        target = url_for(".order", order_id=order.id)
        form = PlanSessionForm()
        if not form.validate_on_submit():
            flash(_form_error(form), "error")
            return redirect(target)
        try:
            created = rules.plan_session(order, datetime.combine(form.day.data, form.start.data),
                                         datetime.combine(form.day.data, form.end.data), form.place.data)
            db.session.flush()
        except rules.RuleError as exc:
            return self._refused(exc, target)
        audit.record("create", created, object_type="OutreachSession", region_id=order.region_id)
        return self._done(order, "status", _("Session planned; the planning round will find its experts."),
                          url_for(".session_page", session_id=created.id))

    @expose("/order/<int:order_id>/follow-up", methods=("POST",))
    def follow_up(self, order_id):
        self._lead()
        order = self._order(order_id)
        target = url_for(".order", order_id=order.id)
        form = FollowUpForm()
        if not form.validate_on_submit():
            flash(_form_error(form), "error")
            return redirect(target)
        try:
            rules.agree_follow_up(order, form.follow_up.data, form.remind_on.data)
        except rules.RuleError as exc:
            return self._refused(exc, target)
        return self._done(order, "follow_up, follow_up_on", _("Follow-up saved."), target)

    @expose("/order/<int:order_id>/follow-up-done", methods=("POST",))
    def follow_up_done(self, order_id):
        self._lead()
        order = self._order(order_id)
        target = url_for(".order", order_id=order.id)
        if not EmptyForm().validate_on_submit():
            abort(400)
        try:
            rules.complete_follow_up(order, clock.today())
        except rules.RuleError as exc:
            return self._refused(exc, target)
        return self._done(order, "follow_up_done_on, status", _("Follow-up done; the order is closed."), target)

    @expose("/order/<int:order_id>/close", methods=("POST",))
    def close(self, order_id):
        self._lead()
        order = self._order(order_id)
        target = url_for(".order", order_id=order.id)
        if not EmptyForm().validate_on_submit():
            abort(400)
        try:
            rules.close_order(order)
        except rules.RuleError as exc:
            return self._refused(exc, target)
        return self._done(order, "status", _("The order is closed."), target)

    @expose("/order/<int:order_id>/cancel", methods=("POST",))
    def cancel(self, order_id):
        self._lead()
        order = self._order(order_id)
        target = url_for(".order", order_id=order.id)
        form = ReasonForm()
        if not form.validate_on_submit():
            flash(_form_error(form), "error")
            return redirect(target)
        try:
            rules.cancel_order(order, form.reason.data)
        except rules.RuleError as exc:
            return self._refused(exc, target)
        return self._done(order, "status, cancel_reason", _("The order is cancelled."), target)

    @expose("/session/<int:session_id>/")
    def session_page(self, session_id):
        item = self._session(session_id)
        staff = current_user.role in READERS
        audit.record("view", item, object_type="OutreachSession", region_id=item.region_id)
        db.session.commit()
        setting = rules.setting_of(item, int(rules.settings(item.region_id)["large_audience"]))
        mine = None
        if not staff:
            mine = rules.boundaries_of([current_user.expert])[current_user.expert.id]
        return self.render("outreach/session.html", item=item, staff=staff, manage=current_user.role in MANAGERS,
                           today=clock.today(), setting=setting, mine=mine,
                           candidates=rules.candidates(item) if staff else [],
                           given_form=GivenForm(), evaluation_form=EvaluationForm(
                               audience_reached=item.audience_reached, score=item.score or 4, remarks=item.remarks),
                           reason_form=ReasonForm(), csrf_form=EmptyForm(), **_helpers())

    @expose("/session/<int:session_id>/experts", methods=("POST",))
    def experts(self, session_id):
        self._lead()
        item = self._session(session_id)
        target = url_for(".session_page", session_id=item.id)
        if not EmptyForm().validate_on_submit():
            abort(400)
        ids = set()
        for value in request.form.getlist("expert"):
            try:
                ids.add(int(value))
            except ValueError:
                abort(400)
        chosen = [e for e in rules.region_experts(item.region_id) if e.id in ids]
        if len(chosen) != len(ids):
            abort(400)  # another region's or an unknown expert: only a tampered form sends one
        try:
            changed = rules.set_session_experts(item, chosen)
        except rules.RuleError as exc:
            return self._refused(exc, target)
        if not changed:
            flash(_("Nothing changed."), "info")
            return redirect(target)
        return self._done(item, "experts", _("Experts saved."), target)

    @expose("/session/<int:session_id>/given", methods=("POST",))
    def given(self, session_id):
        self._lead()
        item = self._session(session_id)
        target = url_for(".session_page", session_id=item.id)
        form = GivenForm()
        if not form.validate_on_submit():
            flash(_form_error(form), "error")
            return redirect(target)
        try:
            rules.record_given(item, form.audience_reached.data, clock.today())
        except rules.RuleError as exc:
            return self._refused(exc, target)
        return self._done(item, "status, audience_reached", _("The session is recorded as given."), target)

    @expose("/session/<int:session_id>/evaluation", methods=("POST",))
    def evaluation(self, session_id):
        self._lead()
        item = self._session(session_id)
        target = url_for(".session_page", session_id=item.id)
        form = EvaluationForm()
        if not form.validate_on_submit():
            flash(_form_error(form), "error")
            return redirect(target)
        try:
            rules.record_evaluation(item, form.score.data, form.remarks.data, clock.today(), form.audience_reached.data)
        except rules.RuleError as exc:
            return self._refused(exc, target)
        return self._done(item, "score, remarks, evaluated_on", _("Evaluation saved."), target)

    @expose("/session/<int:session_id>/cancel", methods=("POST",))
    def cancel_session(self, session_id):
        self._lead()
        item = self._session(session_id)
        target = url_for(".session_page", session_id=item.id)
        form = ReasonForm()
        if not form.validate_on_submit():
            flash(_form_error(form), "error")
            return redirect(target)
        try:
            rules.cancel_session(item, form.reason.data)
        except rules.RuleError as exc:
            return self._refused(exc, target)
        return self._done(item, "status, cancel_reason", _("The session is cancelled."), target)

    @expose("/agreement/<int:agreement_id>/generate", methods=("POST",))
    def generate(self, agreement_id):
        self._lead()
        agreement = db.session.get(OutreachAgreement, agreement_id)
        if agreement is None or agreement.region_id != current_user.region_id:
            abort(404)
        if not EmptyForm().validate_on_submit():
            abort(400)
        try:
            created = rules.generate_agreement_sessions(agreement, clock.today())
        except rules.RuleError as exc:
            return self._refused(exc, url_for(".index"))
        for item in created:
            audit.record("create", item, object_type="OutreachSession", region_id=agreement.region_id,
                         detail=f"agreement {agreement.id}")
        db.session.commit()
        flash(_("%(n)s session(s) put in the calendar.", n=len(created)), "success")
        return redirect(url_for(".index"))


def _helpers() -> dict:
    """Labels and formats the templates use."""
    return {"when": when, "day": day, "label": label, "FORMS": FORM_LABELS, "ORDER_STATUS": ORDER_STATUS_LABELS,
            "TALK": TALK_LABELS, "SESSION_STATUS": SESSION_STATUS_LABELS, "SOURCES": SOURCE_LABELS,
            "PERSPECTIVES": PERSPECTIVE_LABELS, "SCORES": SCORE_LABELS, "SETTINGS": STORY_SETTING_LABELS,
            "LEVELS": STORY_LEVEL_LABELS}


def admin_views():
    return [
        BoardView(name=_l("Overview"), category=CATEGORY, endpoint="outreach", url="outreach"),
        OrderView(OutreachOrder, name=_l("Orders"), category=CATEGORY, endpoint="outreach_order"),
        SessionView(OutreachSession, name=_l("Sessions"), category=CATEGORY, endpoint="outreach_session"),
        AgreementView(OutreachAgreement, name=_l("Calendar agreements"), category=CATEGORY,
                      endpoint="outreach_agreement"),
        OfferView(OutreachOffer, name=_l("Menu"), category=CATEGORY, endpoint="outreach_offer"),
        TopicView(OutreachTopic, name=_l("Topics"), category=CATEGORY, endpoint="outreach_topic"),
        StoryBoundaryView(StoryBoundary, name=_l("Story boundaries"), category=CATEGORY,
                          endpoint="outreach_boundary"),
        MyStoryBoundaryView(StoryBoundary, name=_l("My story boundaries"), category=CATEGORY,
                            endpoint="outreach_myboundary"),
    ]


# -- public pages: the printable menu and the order form -------------------------------------

public = Blueprint("outreach_public", __name__, template_folder="templates")


def _public_region(slug: str) -> Region:
    region = db.session.execute(db.select(Region).filter_by(slug=slug)).scalar_one_or_none()
    if region is None or not is_enabled(region.id, PLUGIN):
        abort(404)
    return region


def _municipalities(region: Region) -> list[Municipality]:
    return list(db.session.execute(db.select(Municipality).filter_by(region_id=region.id)
                                   .order_by(Municipality.name)).scalars())


class PublicOrderForm(FlaskForm):
    """The order form for partner organisations: no account, every field bounded."""

    offer = SelectField(_l("What would you like to order?"), coerce=int,
                        validators=[DataRequired(message=_l("Choose an item from the menu."))])
    organisation = StringField(_l("Organisation"), validators=[
        DataRequired(message=_l("Give the name of your organisation.")), Length(max=160), _no_control_characters])
    municipality = SelectField(_l("Municipality where the session takes place"), coerce=int, validators=[Optional()])
    contact_name = StringField(_l("Contact person"), validators=[
        DataRequired(message=_l("Give a contact person.")), Length(max=120), _no_control_characters])
    contact_email = EmailField(_l("E-mail address"), validators=[
        DataRequired(message=_l("Give an e-mail address.")), Email(message=_l("Give a valid e-mail address.")),
        Length(max=254)])
    contact_phone = StringField(_l("Phone (optional)"), validators=[Optional(), Length(max=40), _no_control_characters])
    audience = StringField(_l("Who is the audience?"), validators=[
        DataRequired(message=_l("Describe the audience.")), Length(max=200), _no_control_characters],
        description=_l("For example: new staff of a district team, second-year social work students."))
    audience_size = IntegerField(_l("About how many people?"), validators=[
        Optional(), NumberRange(1, rules.MAX_AUDIENCE, message=_l("Give a number from 1 to %(max)s."))])
    wished_dates = StringField(_l("Wished dates or period"), validators=[
        DataRequired(message=_l("Give one or more wished dates or a period.")), Length(max=300),
        _no_control_characters])
    goal = TextAreaField(_l("What should the session achieve?"), validators=[
        DataRequired(message=_l("Describe the goal.")), Length(max=2000), _no_control_characters],
        description=_l("Please do not write about clients or other people by name."))

    def validate_contact_phone(self, field):
        if field.data and not re.fullmatch(r"[0-9+()\- ]{6,40}", field.data):
            raise ValidationError(_("Give a phone number with digits only (spaces, +, - and brackets allowed)."))


def _order_form(region: Region) -> PublicOrderForm:
    form = PublicOrderForm()
    form.offer.choices = [(0, "")] + [(o.id, f"{o.title} ({label(FORM_LABELS, o.form)})")
                                      for o in rules.published_offers(region)]
    form.municipality.choices = [(0, _("unknown or elsewhere"))] + [(m.id, m.name) for m in _municipalities(region)]
    return form


@public.route("/voorlichting/<slug>/menukaart")
def menu(slug):
    region = _public_region(slug)
    offers = rules.published_offers(region)
    topics: dict[int, dict] = {}
    for offer in offers:
        topics.setdefault(offer.topic_id, {"topic": offer.topic, "offers": []})["offers"].append(offer)
    return render_template("outreach/menu.html", region=region, topics=list(topics.values()),
                           settings=rules.settings(region), **_helpers())


@public.route("/voorlichting/<slug>/bestellen", methods=("GET", "POST"))
@limiter.limit(ORDER_LIMIT, methods=["POST"])
def order_form(slug):
    region = _public_region(slug)
    form = _order_form(region)
    if request.method == "POST":
        if form.validate_on_submit():
            offer = db.session.get(OutreachOffer, form.offer.data)
            municipality = db.session.get(Municipality, form.municipality.data) if form.municipality.data else None
            try:
                order = rules.receive_order(
                    region, offer, organisation=form.organisation.data, contact_name=form.contact_name.data,
                    contact_email=form.contact_email.data, contact_phone=form.contact_phone.data or "",
                    audience=form.audience.data, audience_size=form.audience_size.data,
                    wished_dates=form.wished_dates.data, goal=form.goal.data, municipality=municipality,
                    source="public", today=clock.today())
            except rules.RuleError as exc:
                db.session.rollback()
                flash(str(exc), "error")
            else:
                audit.record("create", order, object_type="OutreachOrder", region_id=region.id,
                             detail="public order form")
                db.session.commit()
                session["outreach_order"] = order.reference
                return redirect(url_for(".order_received", slug=region.slug))
        return render_template("outreach/order_form.html", region=region, form=form), 400
    return render_template("outreach/order_form.html", region=region, form=form)


@public.route("/voorlichting/<slug>/bestellen/ontvangen")
def order_received(slug):
    region = _public_region(slug)
    reference = session.get("outreach_order")
    if not reference:
        return redirect(url_for(".order_form", slug=region.slug))
    return render_template("outreach/order_received.html", region=region, reference=reference)
