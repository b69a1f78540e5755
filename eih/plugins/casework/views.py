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

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_admin import expose
from flask_admin.contrib.sqla.filters import BaseSQLAFilter, FilterEqual
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_mailman import EmailMessage
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ... import audit, clock, notify, safety
from ...admin import SecureModelView, SecureView
from ...declines import DeclineError, record_decline
from ...extensions import db, limiter
from ...labels import DECLINE_LABELS, choices, formatter
from ...models import Decline, Expert, Municipality, Partner, Region, User, utcnow
from ...plugins import is_enabled
from . import demands, rules
from .labels import (
    CONSENT_LABELS,
    DECISION_LABELS,
    DEPLOYMENT_LABELS,
    EVENT_LABELS,
    FEEDBACK_LABELS,
    FLAG_LABELS,
    GENDER_LABELS,
    HELP_LABELS,
    INTAKE_LABELS,
    KIND_LABELS,
    MODE_LABELS,
    NEW_REPORT_LABELS,
    PERSPECTIVE_LABELS,
    SOURCE_LABELS,
    STATUS_LABELS,
    TRANSITION_LABELS,
    URGENCY_LABELS,
    VIOLENCE_LABELS,
)
from .models import AGE_BANDS, OPEN_STATUSES, PLUGIN, ContactForm, Deployment, Request

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
    professional_function=_l("Function"), partner_other=_l("Other organisation (to confirm)"),
    restraining_order_until=_l("Restraining order until"), days_left=_l("THV: days left"), source=_l("Arrived via"),
    requested_expert_name=_l("Expert asked for by name"),
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


def _days_left(req: Request):
    """THV days left for an open request, as the list and the home page show them."""
    if req.status not in OPEN_STATUSES:
        return ""
    days = req.days_left()
    return "" if days is None else days


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
    column_list = ("code", "received_on", "kind", "days_left", "status", "urgency", "municipality", "partner",
                   "experts", "waiting", "conversations")
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
        "days_left": lambda v, c, m, n: _days_left(m),
        "conversations": lambda v, c, m, n: f"{m.conversation_count}/{m.conversation_limit}",
    }
    form_columns = ("received_on", "kind", "restraining_order_until", "urgency", "partner", "partner_other",
                    "professional_name", "professional_function", "professional_phone",
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
        "restraining_order_until": {"validators": [Optional()],
                                    "description": _l("THV only: the last day of the temporary restraining order.")},
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
    three_way = BooleanField(_l("Three-way conversation (expert, client and professional)"))


class DeclineForm(FlaskForm):
    reason = SelectField(_l("Reason"), choices=choices(DECLINE_LABELS))
    note = TextAreaField(_l("Note (project lead only)"), validators=[Length(max=2000)])


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class IntakeForm(FlaskForm):
    """The structured intake on the case page: the form's questions, what was agreed, the wishes."""

    intake_why_expert = TextAreaField(INTAKE_LABELS["intake_why_expert"], validators=[Length(max=2000)])
    intake_role = TextAreaField(INTAKE_LABELS["intake_role"], validators=[Length(max=2000)])
    intake_expectations = TextAreaField(INTAKE_LABELS["intake_expectations"], validators=[Length(max=2000)])
    intake_client_wishes = TextAreaField(INTAKE_LABELS["intake_client_wishes"], validators=[Length(max=2000)])
    intake_safety = TextAreaField(INTAKE_LABELS["intake_safety"], validators=[Length(max=2000)])
    agreed_role = TextAreaField(INTAKE_LABELS["agreed_role"], validators=[Length(max=2000)])
    agreed_expectations = TextAreaField(INTAKE_LABELS["agreed_expectations"], validators=[Length(max=2000)])
    goal = TextAreaField(INTAKE_LABELS["goal"], validators=[Length(max=2000)])
    requested_expert = SelectField(_l("Expert asked for by name (a preference for the planning round)"),
                                   coerce=int, validate_choice=True)
    safety_flags = MultiCheckboxField(_l("Safety flags"), choices=choices(FLAG_LABELS))
    feedback_channel = SelectField(_l("Summaries to the professional"), choices=choices(FEEDBACK_LABELS))


class AskForm(FlaskForm):
    message = TextAreaField(_l("What would you like to know from the professional?"),
                            validators=[DataRequired(), Length(max=3000)])


class FeedbackForm(FlaskForm):
    contact = IntegerField(validators=[DataRequired()])


class AfterContactForm(FlaskForm):
    held_on = DateField(_l("Date of the contact"), validators=[DataRequired()], default=clock.today)
    mode = SelectField(_l("Mode"), choices=choices(MODE_LABELS), default="phone")
    note = TextAreaField(_l("Note for supervision"), validators=[Length(max=3000)])


class NewReportForm(FlaskForm):
    new_report = SelectField(_l("New report of violence within six months of closing"),
                             choices=choices(NEW_REPORT_LABELS))


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
        eligible, others = demands.assignment_candidates(req) if req.status != "closed" else ([], [])
        expert_form = ExpertForm()
        expert_form.expert.choices = [(c.expert.id, c.expert.name) for c in eligible]
        consent_form = ConsentForm(consent_recorded_by=current_user.name)
        intake_form = _intake_form(req, obj=req)
        return self.render(
            "casework/case.html", req=req, allowed=rules.allowed_transitions(req), blockers=rules.deployment_blockers(req),
            linked=rules.linked_requests(req), declines=declines, L=_labels(), expert_form=expert_form,
            eligible=eligible, others=others,
            consent_form=consent_form, start_form=StartForm(), evaluation_form=EvaluationForm(),
            transfer_form=TransferForm(), close_form=CloseForm(), reconsider_form=ReconsiderForm(),
            withdraw_form=WithdrawForm(), link_form=LinkForm(), intake_form=intake_form, ask_form=AskForm(),
            after_form=AfterContactForm(), new_report_form=NewReportForm(new_report=req.new_report or "unknown"),
            incident_form=safety.IncidentForm(), incidents=safety.incidents_on(req.demand_key),
            days_left=_days_left(req))

    @expose("/<int:id>/summary/<int:contact_id>")
    def summary(self, id: int, contact_id: int):
        """The printable summary of one contact form for the professional (never the internal note)."""
        req = _scoped_request(id)
        contact = next((c for c in req.contacts if c.id == contact_id), None)
        if contact is None:
            abort(404)
        audit.record("view", contact, object_type="ContactForm", region_id=req.region_id, detail="printable summary")
        db.session.commit()
        return render_template("casework/summary.html", req=req, contact=contact, L=_labels())

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
        if action == "feedback" and req.feedback_channel == "print":
            return redirect(url_for(".summary", id=id, contact_id=req.feedback[-1].contact_id))
        return redirect(url_for(".page", id=id))


def _valid(form):
    if not form.validate_on_submit():
        raise ValueError(_("Please correct: %(errors)s", errors=_form_errors(form) or _("the form is incomplete")))
    return form


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
    form = ExpertForm()
    eligible, _others = demands.assignment_candidates(req)
    form.expert.choices = [(c.expert.id, c.expert.name) for c in eligible]
    if not form.validate_on_submit():
        raise ValueError(_("Choose one of the eligible experts."))
    expert = db.session.get(Expert, form.expert.data)
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


def _intake_form(req: Request, **kwargs) -> IntakeForm:
    form = IntakeForm(**kwargs)
    form.requested_expert.choices = [(0, "")] + [(e.id, e.name) for e in _region_experts()]
    if request.method == "GET":
        form.requested_expert.data = req.requested_expert_id or 0
        form.safety_flags.data = req.flags
    return form


def _act_intake(req):
    form = _valid(_intake_form(req))
    values = {name: form[name].data for name in rules.INTAKE_FIELDS}
    rules.record_intake(req, values, current_user)
    chosen = db.session.get(Expert, form.requested_expert.data) if form.requested_expert.data else None
    if chosen is not None and chosen.region_id != req.region_id:
        raise ValueError(_("Choose an expert of your region."))
    rules.set_requested_expert(req, chosen, current_user)
    rules.set_safety_flags(req, form.safety_flags.data or [], current_user)
    rules.set_feedback_channel(req, form.feedback_channel.data, current_user)
    return _("Intake saved.")


def _act_ask(req):
    form = _valid(AskForm())
    rules.check_may_ask(req, form.message.data)
    body = _("Dear %(name)s,\n\nAbout your request %(code)s to Ervaring in Huis:\n\n%(message)s\n\n"
             "Kind regards,\n%(lead)s\nErvaring in Huis", name=req.professional_name, code=req.code,
             message=form.message.data.strip(), lead=current_user.name)
    _mail(req.professional_email, _("Your request %(code)s: a question", code=req.code), body,
          reply_to=current_user.email)
    rules.record_question(req, current_user)
    return _("Your question was sent to %(email)s.", email=req.professional_email)


def _mail(to: str, subject: str, body: str, reply_to: str | None = None) -> None:
    """A mail to a professional; a server that refuses it is an error the lead reads."""
    try:
        EmailMessage(subject=subject, body=body, to=[to], reply_to=[reply_to] if reply_to else None,
                     from_email=current_app.config["MAIL_DEFAULT_SENDER"]).send()
    except Exception as exc:  # SMTP errors and refused addresses: tell the lead, change nothing
        current_app.logger.warning("mail to a professional failed: %s", type(exc).__name__)
        raise ValueError(_("The mail could not be sent; nothing was recorded. Try again later.")) from exc


def _act_feedback(req):
    form = _valid(FeedbackForm())
    contact = next((c for c in req.contacts if c.id == form.contact.data), None)
    if contact is None:
        raise ValueError(_("Unknown contact form."))
    channel = req.feedback_channel or "email"
    rules.check_feedback(req, contact, channel)
    if channel == "email":
        _mail(req.professional_email, _("Summary of a conversation, %(code)s", code=req.code),
              _feedback_text(req, contact), reply_to=current_user.email)
    rules.record_feedback(req, contact, channel, current_user)
    if channel == "print":
        return _("Print the summary from the page that opens.")
    return _("The summary was sent to %(email)s.", email=req.professional_email)


def _feedback_text(req: Request, contact: ContactForm) -> str:
    """The shared summary only: the case code, the date, the summary; never the internal note."""
    when = format_date(contact.held_at.date(), "d MMMM yyyy")
    return _("Dear %(name)s,\n\nSummary of the conversation of %(date)s in case %(code)s:\n\n%(summary)s\n\n"
             "Kind regards,\nErvaring in Huis", name=req.responsible_professional or req.professional_name,
             date=when, code=req.code, summary=contact.summary.strip())


def _act_after_contact(req):
    form = _valid(AfterContactForm())
    rules.record_after_contact(req, None, form.held_on.data, form.mode.data, form.note.data, current_user)
    return _("Contact after closing recorded; the case stays closed.")


def _act_new_report(req):
    form = _valid(NewReportForm())
    rules.record_new_report(req, form.new_report.data, current_user)
    return _("Outcome recorded.")


def _act_incident(req):
    safety.report_from_form(safety.IncidentForm(), req.region_id, req.demand_key, req.code, current_user)
    return _("Incident reported; the project lead and the coordinator are told.")


ACTIONS = {
    "start_intake": _act_simple("start_intake"), "start_evaluation": _act_simple("start_evaluation"),
    "resume": _act_simple("resume"), "start_deployment": _act_start, "consent": _act_consent,
    "assign": _act_propose, "evaluation": _act_evaluation, "transfer": _act_transfer, "close": _act_close,
    "reconsider": _act_reconsider, "withdraw_consent": _act_withdraw, "link": _act_link, "end": _act_end,
    "intake": _act_intake, "ask": _act_ask, "feedback": _act_feedback, "after_contact": _act_after_contact,
    "new_report": _act_new_report, "incident": _act_incident,
}


def _labels():
    return dict(kind=KIND_LABELS, status=STATUS_LABELS, event=EVENT_LABELS, gender=GENDER_LABELS,
                perspective=PERSPECTIVE_LABELS, violence=VIOLENCE_LABELS, urgency=URGENCY_LABELS,
                consent=CONSENT_LABELS, mode=MODE_LABELS, decision=DECISION_LABELS, help=HELP_LABELS,
                deployment=DEPLOYMENT_LABELS, transition=TRANSITION_LABELS, decline=DECLINE_LABELS, field=LABELS,
                source=SOURCE_LABELS, feedback=FEEDBACK_LABELS, flag=FLAG_LABELS, new_report=NEW_REPORT_LABELS,
                intake=INTAKE_LABELS, severity=safety.SEVERITY_LABELS)


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
        return self.render("casework/mine.html", deployments=rules.own_deployments(current_user.expert),
                           closed=rules.served_closed(current_user.expert), L=_labels())

    @expose("/<int:id>")
    def case(self, id: int):
        deployment = self._deployment(id)
        req = deployment.request
        audit.record("view", req, region_id=req.region_id, detail="expert page")
        db.session.commit()
        own = [c for c in req.contacts if c.expert_id == deployment.expert_id]
        # the first conversation is usually the three-way talk with client and professional
        contact_form = ContactForm_(three_way=not req.contacts)
        return self.render("casework/my_case.html", d=deployment, req=req, contacts=own, L=_labels(),
                           contact_form=contact_form, decline_form=DeclineForm(),
                           may_log=_may_log(req, deployment.expert), incident_form=safety.IncidentForm(),
                           incidents=[i for i in safety.incidents_on(req.demand_key)
                                      if i.reported_by_id == current_user.id])

    @expose("/<int:id>/contact", methods=("POST",))
    def contact(self, id: int):
        deployment = self._deployment(id)
        form = ContactForm_()
        try:
            _valid(form)
            rules.log_contact(deployment.request, deployment.expert, form.held_at.data, form.duration_minutes.data,
                              form.mode.data, form.with_professional.data, form.summary.data, form.internal_note.data,
                              form.heaviness.data, current_user, three_way=form.three_way.data)
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
                           current_user, work=deployment.request.code)
            db.session.commit()
        except (DeclineError, ValueError) as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return redirect(url_for(".case", id=id))
        flash(_("You declined this request; it goes back to the project lead."), "success")
        return redirect(url_for(".index"))


    @expose("/<int:id>/incident", methods=("POST",))
    def incident(self, id: int):
        deployment = self._deployment(id)
        req = deployment.request
        try:
            safety.report_from_form(safety.IncidentForm(), req.region_id, req.demand_key, req.code, current_user)
            db.session.commit()
            flash(_("Incident reported; the project lead and the coordinator are told."), "success")
        except rules.RuleError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        return redirect(url_for(".case", id=id))

    def _closed(self, id: int) -> Request:
        req = next((r for r in rules.served_closed(current_user.expert) if r.id == id), None)
        if req is None:
            abort(404)
        return req

    @expose("/closed/<int:id>", methods=("GET", "POST"))
    def closed(self, id: int):
        """A closed case the expert served: record contact after closing (for supervision)."""
        req = self._closed(id)
        form = AfterContactForm()
        if request.method == "POST":
            try:
                _valid(form)
                rules.record_after_contact(req, current_user.expert, form.held_on.data, form.mode.data,
                                           form.note.data, current_user)
                db.session.commit()
                flash(_("Contact after closing recorded; the case stays closed."), "success")
                return redirect(url_for(".closed", id=id))
            except (rules.RuleError, ValueError) as exc:
                db.session.rollback()
                flash(str(exc), "danger")
        else:
            audit.record("view", req, region_id=req.region_id, detail="expert page, closed case")
            db.session.commit()
        mine = [a for a in req.after_contacts if a.expert_id == current_user.expert.id]
        return self.render("casework/my_closed_case.html", req=req, form=form, after=mine, L=_labels())


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


# -- the public request form for professionals ------------------------------------------------

public_bp = Blueprint("casework_public", __name__, template_folder="templates")
ONE_LINE = Regexp(r"^[^\x00-\x1f\x7f]*$", message=_l("Use one line without special characters."))
PHONE = Regexp(r"^[0-9+()\- ]{6,40}$", message=_l("Enter a phone number (digits, spaces, + - and brackets)."))


def _no_control_characters(form, field):
    """Text areas keep line breaks, nothing else below a space (a NUL breaks PostgreSQL)."""
    if field.data and any(ord(c) < 32 and c not in "\r\n\t" or ord(c) == 127 for c in field.data):
        raise ValidationError(_("Remove the special characters from this text."))


def _question(label):
    return TextAreaField(label, validators=[DataRequired(), Length(max=2000), _no_control_characters])


class PublicRequestForm(FlaskForm):
    """What a professional fills in; no client name (the app makes the pseudonymous code)."""

    partner = SelectField(_l("Your organisation"), validators=[DataRequired()])
    partner_other = StringField(_l("Name of your organisation (when it is not in the list)"),
                                validators=[Optional(), Length(max=160), ONE_LINE])
    professional_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120), ONE_LINE])
    professional_function = StringField(_l("Your function"), validators=[DataRequired(), Length(max=120), ONE_LINE])
    professional_phone = StringField(_l("Your phone number"), validators=[DataRequired(), PHONE])
    professional_email = EmailField(_l("Your e-mail address"), validators=[
        DataRequired(), Length(max=254), ONE_LINE, Email(check_deliverability=False)])
    municipality = SelectField(_l("The client's municipality"), validators=[DataRequired()])
    kind = SelectField(_l("Kind of request"))
    restraining_order_until = DateField(_l("THV: last day of the temporary restraining order"),
                                        validators=[Optional()])
    client_gender = SelectField(_l("The client's gender"), choices=choices(GENDER_LABELS, blank=True),
                                validators=[DataRequired()])
    client_perspective = SelectField(_l("The client is"), choices=choices(PERSPECTIVE_LABELS, blank=True),
                                     validators=[DataRequired()])
    intake_why_expert = _question(INTAKE_LABELS["intake_why_expert"])
    intake_role = _question(INTAKE_LABELS["intake_role"])
    intake_expectations = _question(INTAKE_LABELS["intake_expectations"])
    intake_client_wishes = _question(INTAKE_LABELS["intake_client_wishes"])
    intake_safety = TextAreaField(_l("Safety concerns (for the expert's and the client's safety)"),
                                  validators=[Optional(), Length(max=2000), _no_control_characters])
    requested_expert_name = StringField(_l("Do you or the client ask for a particular expert? Their name"),
                                        validators=[Optional(), Length(max=120), ONE_LINE])

    def __init__(self, region: Region, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        partners = db.session.execute(db.select(Partner).where(Partner.region_id == region.id, Partner.active.is_(True))
                                      .order_by(Partner.name)).scalars()
        self.partner.choices = [("", "")] + [(str(p.id), p.name) for p in partners] + [
            ("other", _("Another organisation"))]
        towns = db.session.execute(db.select(Municipality).where(Municipality.region_id == region.id)
                                   .order_by(Municipality.name)).scalars()
        self.municipality.choices = [("", "")] + [(str(m.id), m.name) for m in towns]
        self.kind.choices = [(k, v) for k, v in KIND_LABELS.items() if rules.kind_allowed(region.id, k)]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # checked here, not inline: Optional() ends a field's validators when it is empty
        field = self.restraining_order_until
        if self.kind.data == "thv" and not field.errors:
            today = clock.today()
            if field.data is None:
                field.errors.append(_("A THV request needs the last day of the restraining order."))
            elif not today - timedelta(days=1) <= field.data <= today + timedelta(days=rules.THV_LONGEST_DAYS):
                field.errors.append(_("Give a date from today up to four weeks ahead."))
            valid = valid and not field.errors
        if self.partner.data == "other" and not (self.partner_other.data or "").strip():
            self.partner_other.errors = [*self.partner_other.errors, _("Give the name of your organisation.")]
            valid = False
        return valid


def _public_region(slug: str) -> Region:
    """The region whose form this is, only while casework and its form are switched on there."""
    region = db.session.execute(db.select(Region).filter_by(slug=slug)).scalar_one_or_none()
    if region is None or not is_enabled(region.id, PLUGIN) or not rules.settings(region).get("public_form"):
        abort(404)
    return region


def _form_limit() -> str:
    return current_app.config["REQUEST_FORM_RATE_LIMIT"]


def _request_from(form: PublicRequestForm, region: Region) -> Request:
    partner_id = None if form.partner.data == "other" else int(form.partner.data)
    req = Request(region_id=region.id, source="form", received_on=clock.today(), kind=form.kind.data,
                  partner_id=partner_id, partner_other=(form.partner_other.data or "").strip()
                  if partner_id is None else "",
                  professional_name=form.professional_name.data.strip(),
                  professional_function=form.professional_function.data.strip(),
                  professional_phone=form.professional_phone.data.strip(),
                  professional_email=form.professional_email.data.strip(),
                  municipality_id=int(form.municipality.data), client_gender=form.client_gender.data,
                  client_perspective=form.client_perspective.data,
                  restraining_order_until=form.restraining_order_until.data if form.kind.data == "thv" else None,
                  requested_expert_name=(form.requested_expert_name.data or "").strip())
    for name in ("intake_why_expert", "intake_role", "intake_expectations", "intake_client_wishes", "intake_safety"):
        setattr(req, name, (form[name].data or "").strip())
    if req.partner_id is not None and db.session.get(Partner, req.partner_id).region_id != region.id:
        abort(400)
    if db.session.get(Municipality, req.municipality_id).region_id != region.id:
        abort(400)
    if req.requested_expert_name:  # a name that is exactly one of the region's experts becomes the wish
        req.requested_expert = db.session.execute(db.select(Expert).join(User, Expert.user_id == User.id).where(
            Expert.region_id == region.id, Expert.active.is_(True),
            db.func.lower(User.name) == req.requested_expert_name.lower())).scalars().first()
    return req


@public_bp.route("/aanvraag/<slug>", methods=("GET", "POST"))
@limiter.limit(_form_limit, methods=["POST"])
def public_form(slug: str):
    region = _public_region(slug)
    form = PublicRequestForm(region)
    if form.validate_on_submit():
        try:
            req = rules.register_request(_request_from(form, region))
        except rules.RuleError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return render_template("casework/public_form.html", form=form, region=region), 400
        audit.record("create", req, region_id=region.id, detail="public request form")
        db.session.commit()
        notify.request_received(req, f"/admin/casework/case/{req.id}")
        db.session.commit()
        session["casework_reference"] = req.code
        return redirect(url_for(".public_received", slug=slug))
    status = 400 if request.method == "POST" else 200
    return render_template("casework/public_form.html", form=form, region=region), status


@public_bp.route("/aanvraag/<slug>/ontvangen")
def public_received(slug: str):
    """The confirmation with the reference; only right after sending (the reference is in the session)."""
    region = _public_region(slug)
    reference = session.pop("casework_reference", None)
    if reference is None:
        return redirect(url_for(".public_form", slug=slug))
    return render_template("casework/public_received.html", region=region, reference=reference)
