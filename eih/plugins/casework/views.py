"""Casework pages.

- the project lead: the request list (Flask-Admin, filters), the request page
  with its timeline and the transitions allowed now (``CaseView``);
- the expert: "my cases", explicit need-to-know templates only (``MyCasesView``);
- the coordinator (and lead): a read-only overview without content.
Admins have no access to casework content. Every state change goes through
``rules``; every opening of a request page is written to the access log.
"""
from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, has_request_context, redirect, request, url_for
from flask_admin import expose
from flask_admin.contrib.sqla.filters import BaseSQLAFilter, FilterEqual
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import BooleanField, DateField, DateTimeLocalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ... import audit, clock
from ...admin import SecureModelView, SecureView
from ...declines import DeclineError, record_decline
from ...extensions import db
from ...labels import DECLINE_LABELS, choices, formatter
from ...models import Decline, Expert, Municipality, Partner, utcnow
from . import rules
from .labels import (
    CONSENT_LABELS,
    DECISION_LABELS,
    DEPLOYMENT_LABELS,
    EVENT_LABELS,
    GENDER_LABELS,
    HELP_LABELS,
    KIND_LABELS,
    MODE_LABELS,
    PERSPECTIVE_LABELS,
    STATUS_LABELS,
    TRANSITION_LABELS,
    URGENCY_LABELS,
    VIOLENCE_LABELS,
)
from .models import AGE_BANDS, OPEN_STATUSES, Deployment, Request

CATEGORY = _l("Casework")

LABELS = dict(
    code=_l("Case code"), received_on=_l("Received on"), kind=_l("Kind"), status=_l("Status"),
    urgency=_l("Urgency"), partner=_l("Organisation"), professional_name=_l("Requesting professional"),
    professional_phone=_l("Phone"), professional_email=_l("E-mail"),
    responsible_professional=_l("Responsible professional"), municipality=_l("Client's municipality"),
    client_gender=_l("Client's gender"), client_perspective=_l("Perspective"), client_languages=_l("Languages"),
    client_culture=_l("Cultural background"), violence_type=_l("Type of violence"), age_band=_l("Age band"),
    hours_estimate=_l("Hours per week (estimate)"), question=_l("The requester's question"),
    requester_notes=_l("Requester's notes"), client_initials=_l("Client's initials (lead only)"),
    goal=_l("Agreed goal"), experts=_l("Experts"), waiting=_l("Waiting (days)"), conversations=_l("Conversations"),
)


def _region_experts():
    return db.session.query(Expert).filter(Expert.region_id == current_user.region_id, Expert.active.is_(True)).all()


class ExpertFilter(BaseSQLAFilter):
    """Requests an expert serves or is proposed for."""

    def apply(self, query, value, alias=None):
        try:
            expert_id = int(value)
        except (TypeError, ValueError):
            return query
        served = db.select(Deployment.request_id).where(Deployment.expert_id == expert_id,
                                                        Deployment.state != "ended")
        return query.filter(Request.id.in_(served))

    def operation(self):
        return _l("equals")


class WaitingFilter(BaseSQLAFilter):
    """Requests waiting for an expert for more than N days."""

    def apply(self, query, value, alias=None):
        try:
            days = int(value)
        except (TypeError, ValueError):
            return query
        served = db.select(Deployment.request_id).where(Deployment.state == "active")
        return query.filter(Request.status.in_([s for s in OPEN_STATUSES if s != "transferred"]),
                            ~Request.id.in_(served), Request.received_on <= clock.today() - timedelta(days=days))

    def operation(self):
        return _l("more than (days)")

    def validate(self, value):
        return str(value).isdigit()


def _in_request() -> bool:
    return has_request_context() and current_user.is_authenticated


def _options(model):
    # Filter options are per region; outside a request (view set-up) there are none yet.
    return lambda: [(str(o.id), o.name) for o in db.session.query(model).filter(
        model.region_id == current_user.region_id).order_by(model.name)] if _in_request() else [("", "")]


def _expert_options():
    return [(str(e.id), e.name) for e in _region_experts()] if _in_request() else [("", "")]


def _code_link(view, context, model, name):
    return Markup('<a href="%s">%s</a>') % (url_for("casework_case.page", id=model.id), model.code)


class RequestView(SecureModelView):
    """The lead's request list: register and edit requests (never their status)."""

    roles = ("lead",)
    plugin = "casework"
    audit_views = True
    allow_delete = False
    can_view_details = False
    can_export = False
    column_labels = LABELS
    column_list = ("code", "received_on", "kind", "status", "urgency", "municipality", "partner", "experts",
                   "waiting", "conversations")
    column_default_sort = ("received_on", True)
    column_searchable_list = ("code",)
    column_filters = (
        FilterEqual(Request.status, _l("Status"), options=choices(STATUS_LABELS)),
        FilterEqual(Request.kind, _l("Kind"), options=choices(KIND_LABELS)),
        FilterEqual(Request.municipality_id, _l("Municipality"), options=_options(Municipality)),
        FilterEqual(Request.partner_id, _l("Organisation"), options=_options(Partner)),
        ExpertFilter(Request.id, _l("Expert"), options=_expert_options),
        WaitingFilter(Request.received_on, _l("Waiting for an expert")),
    )
    column_formatters = {
        "code": _code_link,
        "kind": formatter(KIND_LABELS), "status": formatter(STATUS_LABELS), "urgency": formatter(URGENCY_LABELS),
        "experts": lambda v, c, m, n: ", ".join(d.expert.name for d in m.deployments if d.state != "ended"),
        "waiting": lambda v, c, m, n: m.waiting_days() if m.waiting_for_expert else "",
        "conversations": lambda v, c, m, n: f"{m.conversation_count}/{m.conversation_limit}",
    }
    form_columns = ("received_on", "kind", "urgency", "partner", "professional_name", "professional_phone",
                    "professional_email", "responsible_professional", "municipality", "client_gender",
                    "client_perspective", "client_languages", "client_culture", "violence_type", "age_band",
                    "hours_estimate", "question", "requester_notes", "client_initials", "goal")
    form_overrides = {"kind": SelectField, "urgency": SelectField, "client_gender": SelectField,
                      "client_perspective": SelectField, "violence_type": SelectField, "age_band": SelectField,
                      "question": TextAreaField, "requester_notes": TextAreaField, "goal": TextAreaField}
    form_args = {
        "received_on": {"validators": [DataRequired()], "default": clock.today},
        "kind": {"choices": choices(KIND_LABELS)},
        "urgency": {"choices": choices(URGENCY_LABELS)},
        "client_gender": {"choices": choices(GENDER_LABELS, blank=True)},
        "client_perspective": {"choices": choices(PERSPECTIVE_LABELS, blank=True)},
        "violence_type": {"choices": choices(VIOLENCE_LABELS, blank=True)},
        "age_band": {"choices": [("", "")] + [(a, a) for a in AGE_BANDS]},
        "professional_name": {"validators": [DataRequired()]},
        "professional_email": {"validators": [Optional(), Length(max=254)]},
        "hours_estimate": {"validators": [Optional(), NumberRange(0.5, 24)]},
        "client_languages": {"description": _l("Comma separated language codes, e.g. nl, ar")},
        "client_initials": {"validators": [Optional(), Length(max=10)],
                            "description": _l("Only when the organisation insists; visible to the project lead only.")},
    }

    def _get_filter_groups(self):
        # Options are computed for the user's region on every request, never cached across regions.
        groups = super()._get_filter_groups()
        if not groups:
            return groups
        for items in groups.values():
            for item in items:
                _i, flt = self._filter_args[item["arg"]]
                options = flt.get_options(self)
                item["options"] = [(k, str(v)) for k, v in options] if options else None
        return groups

    def on_model_change(self, form, model, is_created):
        for name in ("client_gender", "client_perspective", "violence_type", "age_band"):
            if getattr(model, name) == "":
                setattr(model, name, None)
        super().on_model_change(form, model, is_created)
        try:
            with db.session.no_autoflush:
                rules.check_request(model)
            if is_created:
                rules.register_request(model, current_user)
        except rules.RuleError as exc:
            raise ValidationError(str(exc)) from exc


# -- forms of the request page ---------------------------------------------------

class ConsentForm(FlaskForm):
    consent_on = DateField(_l("Consent given on"), validators=[DataRequired()], default=clock.today)
    consent_how = SelectField(_l("How"), choices=choices(CONSENT_LABELS))
    consent_recorded_by = StringField(_l("Recorded by"), validators=[DataRequired(), Length(max=120)])


class ExpertForm(FlaskForm):
    expert = SelectField(_l("Expert"), coerce=int)


class StartForm(FlaskForm):
    start_on = DateField(_l("Start on"), validators=[DataRequired()], default=clock.today)


class EvaluationForm(FlaskForm):
    held_on = DateField(_l("Evaluated on"), validators=[DataRequired()], default=clock.today)
    outcome = TextAreaField(_l("Outcome"), validators=[DataRequired()])
    extension_agreed = BooleanField(_l("Extension agreed"))
    new_limit = IntegerField(_l("New conversation limit"), validators=[Optional(), NumberRange(1, 100)])
    agreed_with_professional = BooleanField(_l("Agreed with the requesting professional"))


class TransferForm(FlaskForm):
    note = TextAreaField(_l("What changed (move, other organisation)"), validators=[Length(max=2000)])


class CloseForm(FlaskForm):
    reason = StringField(_l("Reason for closing"), validators=[DataRequired(), Length(max=200)])
    closed_on = DateField(_l("Closed on"), validators=[DataRequired()], default=clock.today)
    handover_notes = TextAreaField(_l("Handover notes for the professional"))
    help_accepted = SelectField(_l("Help accepted"), choices=choices(HELP_LABELS), default="unknown")
    follow_up_agreed = SelectField(_l("Follow-up agreed"), choices=[("", ""), ("yes", _l("yes")), ("no", _l("no"))])


class ReconsiderForm(CloseForm):
    decision = SelectField(_l("Decision"), choices=choices(DECISION_LABELS))
    reason = StringField(_l("Reason for closing"), validators=[Optional(), Length(max=200)])


class WithdrawForm(FlaskForm):
    withdrawn_on = DateField(_l("Withdrawn on"), validators=[DataRequired()], default=clock.today)


class LinkForm(FlaskForm):
    other_code = StringField(_l("Case code of the other request"), validators=[DataRequired(), Length(max=20)])


class ContactForm_(FlaskForm):
    held_at = DateTimeLocalField(_l("Date and time"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
    duration_minutes = IntegerField(_l("Duration (minutes)"), validators=[DataRequired(), NumberRange(1, 600)],
                                    default=60)
    mode = SelectField(_l("Mode"), choices=choices(MODE_LABELS))
    with_professional = BooleanField(_l("With the professional"))
    summary = TextAreaField(_l("Summary for the professional (shared)"), validators=[Length(max=5000)])
    internal_note = TextAreaField(_l("Internal note (project lead and you only)"), validators=[Length(max=5000)])
    heaviness = SelectField(_l("How heavy was it (1 light - 5 very heavy)"), coerce=int,
                            choices=[(i, str(i)) for i in range(1, 6)], default=3)


class DeclineForm(FlaskForm):
    reason = SelectField(_l("Reason"), choices=choices(DECLINE_LABELS))
    note = TextAreaField(_l("Note (project lead only)"), validators=[Length(max=2000)])


def _yes_no(value: str):
    return {"yes": True, "no": False}.get(value)


def _form_errors(form) -> str:
    return "; ".join(f"{form[name].label.text}: {' '.join(errs)}" for name, errs in form.errors.items())


def _scoped_request(id: int) -> Request:
    req = db.session.get(Request, id)
    if req is None or req.region_id != current_user.region_id:
        abort(404)
    return req


# -- the lead's request page -------------------------------------------------------

class CaseView(SecureView):
    """One request: all fields, the timeline, and the steps allowed now."""

    roles = ("lead",)
    plugin = "casework"

    def is_visible(self) -> bool:
        return False

    @expose("/")
    def index(self):
        return redirect(url_for("casework_request.index_view"))

    @expose("/<int:id>")
    def page(self, id: int):
        req = _scoped_request(id)
        audit.record("view", req, region_id=req.region_id)
        unseen = db.session.execute(db.select(Decline).where(Decline.demand_key == req.demand_key,
                                                             Decline.seen_at.is_(None))).scalars().all()
        for decline in unseen:
            decline.seen_at = utcnow()
        db.session.commit()
        declines = db.session.execute(db.select(Decline).where(Decline.demand_key == req.demand_key)).scalars().all()
        expert_form = ExpertForm()
        expert_form.expert.choices = [(e.id, e.name) for e in _region_experts()]
        consent_form = ConsentForm(consent_recorded_by=current_user.name)
        return self.render(
            "casework/case.html", req=req, allowed=rules.allowed_transitions(req), blockers=rules.deployment_blockers(req),
            linked=rules.linked_requests(req), declines=declines, L=_labels(), expert_form=expert_form,
            consent_form=consent_form, start_form=StartForm(), evaluation_form=EvaluationForm(),
            transfer_form=TransferForm(), close_form=CloseForm(), reconsider_form=ReconsiderForm(),
            withdraw_form=WithdrawForm(), link_form=LinkForm())

    @expose("/<int:id>/<action>", methods=("POST",))
    def act(self, id: int, action: str):
        req = _scoped_request(id)
        handler = ACTIONS.get(action)
        if handler is None:
            abort(404)
        try:
            message = handler(req)
            db.session.commit()
            flash(message, "success")
        except (rules.RuleError, ValueError) as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        return redirect(url_for(".page", id=id))


def _valid(form):
    if not form.validate_on_submit():
        raise ValueError(_("Please correct: %(errors)s", errors=_form_errors(form) or _("the form is incomplete")))
    return form


def _expert_from(form) -> Expert:
    form.expert.choices = [(e.id, e.name) for e in _region_experts()]
    _valid(form)
    expert = db.session.get(Expert, form.expert.data)
    if expert is None or expert.region_id != current_user.region_id:
        raise ValueError(_("Choose an expert of your region."))
    return expert


def _act_simple(name):
    def run(req):
        getattr(rules, name)(req, user=current_user)
        return _("Done: %(step)s.", step=TRANSITION_LABELS[name])
    return run


def _act_consent(req):
    form = _valid(ConsentForm())
    rules.record_consent(req, form.consent_on.data, form.consent_how.data, form.consent_recorded_by.data, current_user)
    return _("Consent recorded.")


def _act_propose(req):
    expert = _expert_from(ExpertForm())
    rules.assign_expert(req, expert, current_user)
    return _("%(name)s is on this request now.", name=expert.name)


def _act_start(req):
    form = _valid(StartForm())
    rules.start_deployment(req, current_user, start_on=form.start_on.data)
    return _("The deployment has started.")


def _act_evaluation(req):
    form = _valid(EvaluationForm())
    rules.record_evaluation(req, form.held_on.data, form.outcome.data, form.extension_agreed.data,
                            form.new_limit.data, form.agreed_with_professional.data, current_user)
    if form.extension_agreed.data:
        rules.extend(req, current_user)
    return _("Evaluation recorded.")


def _act_transfer(req):
    form = _valid(TransferForm())
    rules.transfer(req, form.note.data, current_user)
    return _("Transfer recorded: decide whether to follow, close or start a new role.")


def _close_fields(form):
    return dict(reason=form.reason.data or "", closed_on=form.closed_on.data, handover_notes=form.handover_notes.data,
                help_accepted=form.help_accepted.data, follow_up_agreed=_yes_no(form.follow_up_agreed.data))


def _act_close(req):
    form = _valid(CloseForm())
    rules.close(req, user=current_user, **_close_fields(form))
    return _("The request is closed.")


def _act_reconsider(req):
    form = _valid(ReconsiderForm())
    rules.reconsider(req, form.decision.data, current_user, **_close_fields(form))
    return _("Decision recorded.")


def _act_withdraw(req):
    form = _valid(WithdrawForm())
    rules.withdraw_consent(req, form.withdrawn_on.data, current_user)
    return _("Consent withdrawn: the deployment ended and the case is closed.")


def _act_link(req):
    form = _valid(LinkForm())
    other = db.session.execute(db.select(Request).where(Request.code == form.other_code.data.strip(),
                                                        Request.region_id == req.region_id)).scalar_one_or_none()
    if other is None:
        raise ValueError(_("No request with that case code in your region."))
    rules.link_cases(req, other, current_user)
    return _("The requests are linked: no expert may serve both.")


def _act_end(req):
    deployment = next((d for d in req.deployments if d.id == request.form.get("deployment", type=int)), None)
    if deployment is None:
        raise ValueError(_("Unknown deployment."))
    rules.end_deployment(req, deployment, "ended-by-lead", current_user)
    return _("The deployment of %(name)s ended.", name=deployment.expert.name)


ACTIONS = {
    "start_intake": _act_simple("start_intake"), "start_evaluation": _act_simple("start_evaluation"),
    "resume": _act_simple("resume"), "start_deployment": _act_start, "consent": _act_consent,
    "assign": _act_propose, "evaluation": _act_evaluation, "transfer": _act_transfer, "close": _act_close,
    "reconsider": _act_reconsider, "withdraw_consent": _act_withdraw, "link": _act_link, "end": _act_end,
}


def _labels():
    return dict(kind=KIND_LABELS, status=STATUS_LABELS, event=EVENT_LABELS, gender=GENDER_LABELS,
                perspective=PERSPECTIVE_LABELS, violence=VIOLENCE_LABELS, urgency=URGENCY_LABELS,
                consent=CONSENT_LABELS, mode=MODE_LABELS, decision=DECISION_LABELS, help=HELP_LABELS,
                deployment=DEPLOYMENT_LABELS, transition=TRANSITION_LABELS, decline=DECLINE_LABELS, field=LABELS)


# -- the expert's own cases (need-to-know) --------------------------------------------

class MyCasesView(SecureView):
    """An expert's cases: case code, professional's contact details, goal, conversation count.

    Never the requester's question or notes, the client's initials, or other
    experts' contact forms: the templates show only those fields.
    """

    roles = ("expert",)
    plugin = "casework"

    def _deployment(self, id: int) -> Deployment:
        expert = current_user.expert
        deployment = next((d for d in rules.own_deployments(expert) if d.request_id == id), None)
        if deployment is None:
            abort(404)  # not theirs (or not in their region): no hint that it exists
        return deployment

    @expose("/")
    def index(self):
        return self.render("casework/mine.html", deployments=rules.own_deployments(current_user.expert), L=_labels())

    @expose("/<int:id>")
    def case(self, id: int):
        deployment = self._deployment(id)
        req = deployment.request
        audit.record("view", req, region_id=req.region_id, detail="expert page")
        db.session.commit()
        own = [c for c in req.contacts if c.expert_id == deployment.expert_id]
        return self.render("casework/my_case.html", d=deployment, req=req, contacts=own, L=_labels(),
                           contact_form=ContactForm_(), decline_form=DeclineForm(),
                           may_log=_may_log(req, deployment.expert))

    @expose("/<int:id>/contact", methods=("POST",))
    def contact(self, id: int):
        deployment = self._deployment(id)
        form = ContactForm_()
        try:
            _valid(form)
            rules.log_contact(deployment.request, deployment.expert, form.held_at.data, form.duration_minutes.data,
                              form.mode.data, form.with_professional.data, form.summary.data, form.internal_note.data,
                              form.heaviness.data, current_user)
            db.session.commit()
            flash(_("Contact form saved."), "success")
        except (rules.RuleError, ValueError) as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        return redirect(url_for(".case", id=id))

    @expose("/<int:id>/decline", methods=("POST",))
    def decline(self, id: int):
        deployment = self._deployment(id)
        form = DeclineForm()
        try:
            _valid(form)
            record_decline(deployment.expert, deployment.request.demand_key, form.reason.data, form.note.data,
                           current_user)
            db.session.commit()
        except (DeclineError, ValueError) as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return redirect(url_for(".case", id=id))
        flash(_("You declined this request; it goes back to the project lead."), "success")
        return redirect(url_for(".index"))


def _may_log(req, expert) -> str | None:
    try:
        rules.check_may_log_contact(req, expert)
    except rules.RuleError as exc:
        return str(exc)
    return None


# -- read-only overview ---------------------------------------------------------------------

class OverviewView(SecureView):
    """Coordinator (and lead): status of all requests, no content."""

    roles = ("lead", "coordinator")
    plugin = "casework"

    @expose("/")
    def index(self):
        status = request.args.get("status", "")
        query = db.select(Request).where(Request.region_id == current_user.region_id)
        if status in STATUS_LABELS:
            query = query.where(Request.status == status)
        rows = db.session.execute(query.order_by(Request.received_on.desc())).scalars().all()
        counts = {}
        for r in db.session.execute(db.select(Request.status).where(
                Request.region_id == current_user.region_id)).scalars():
            counts[r] = counts.get(r, 0) + 1
        return self.render("casework/overview.html", rows=rows, counts=counts, status=status, L=_labels())


def admin_views():
    return [
        RequestView(Request, name=_l("Requests"), category=CATEGORY, endpoint="casework_request",
                    url="casework/requests"),
        CaseView(name=_l("Request"), category=CATEGORY, endpoint="casework_case", url="casework/case"),
        MyCasesView(name=_l("My cases"), category=CATEGORY, endpoint="casework_mine", url="casework/mine"),
        OverviewView(name=_l("Casework overview"), category=CATEGORY, endpoint="casework_overview",
                     url="casework/overview"),
    ]
