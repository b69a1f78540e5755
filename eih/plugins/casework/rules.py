"""The lifecycle of a request and the basic rules (basisregels), one function each.

Views, the CLI, the planning round (``apply``) and the import all call these;
none of them changes a request's status or deployments by itself. A refused
step raises :class:`RuleError` (the core's, ``eih.rules``) with a message the
user can act on; nothing is changed then. The caller commits.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from flask_babel import gettext as _

from ... import audit, clock
from ...declines import declined_experts
from ...extensions import db
from ...labels import label
from ...models import Expert, Region
from ...plugins import plugin_settings
from ...rules import N_, RuleError
from .labels import STATUS_LABELS, TRANSITION_LABELS
from .models import (
    CONSENT_WAYS,
    CONTACT_MODES,
    DEFAULT_SETTINGS,
    FEEDBACK_CHANNELS,
    HELP_ACCEPTED,
    KINDS,
    NEW_REPORT,
    OPEN_STATUSES,
    PLUGIN,
    RUNNING_STATUSES,
    SAFETY_FLAGS,
    SOURCES,
    TRANSFER_DECISIONS,
    AfterContact,
    CaseEvent,
    CaseLink,
    ContactForm,
    Deployment,
    Evaluation,
    Feedback,
    Request,
)

# name -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "start_intake": (("registered",), "intake"),
    "start_deployment": (("intake", "registered"), "active"),  # registered only on the THV fast path
    "start_evaluation": (("active",), "evaluation"),
    "extend": (("evaluation",), "extended"),
    "resume": (("extended",), "active"),
    "transfer": (("active", "evaluation", "extended"), "transferred"),
    "reconsider": (("transferred",), ""),  # follow -> active, close -> closed, new role -> intake
    "close": (("registered", "intake", "evaluation", "transferred"), "closed"),
    "withdraw_consent": (OPEN_STATUSES, "closed"),
}


def settings(region: Region | int) -> dict:
    """The casework settings of a region (defaults in models.DEFAULT_SETTINGS)."""
    return plugin_settings(region, PLUGIN, DEFAULT_SETTINGS)


# -- helpers ---------------------------------------------------------------

def _event(req: Request, action: str, user=None, from_status: str = "", to_status: str = "", detail: str = "") -> None:
    req.events.append(CaseEvent(action=action, user_id=getattr(user, "id", None), from_status=from_status,
                                to_status=to_status, detail=detail[:300]))


def _audit(action: str, obj, req: Request, user=None, detail: str = "") -> None:
    audit.record(action, obj, region_id=req.region_id, user=user, detail=detail)


def _check_transition(req: Request, name: str) -> None:
    sources, _target = TRANSITIONS[name]
    if req.status not in sources:
        raise RuleError(N_("Not allowed: %(step)s is not possible for a request with status %(status)s."),
                        step=transition_label(name), status=status_label(req.status))


def _move(req: Request, name: str, to: str, user=None, detail: str = "") -> None:
    before = req.status
    req.status = to
    _event(req, name, user, before, to, detail)
    _audit("update", req, req, user, detail=f"transition {name}: {before} -> {to}")


def allowed_transitions(req: Request) -> list[str]:
    """Transitions whose start status fits now (the rules are checked when one is tried)."""
    names = [n for n, (sources, _t) in TRANSITIONS.items() if req.status in sources]
    if req.status == "registered" and req.kind != "thv":
        names.remove("start_deployment")
    if req.consent_on is None or req.consent_withdrawn_on is not None:
        names = [n for n in names if n != "withdraw_consent"]
    return names


def transition_label(name: str) -> str:
    return label(TRANSITION_LABELS, name)


def status_label(status: str) -> str:
    return label(STATUS_LABELS, status)


# -- registration ---------------------------------------------------------

def kind_allowed(region_id: int, kind: str) -> bool:
    """Direct contact (without a professional) is switched on per region; off by default."""
    if kind not in KINDS:
        return False
    if kind == "direct":
        return bool(settings(region_id)["direct_contact"])
    return True


def check_kind(region_id: int, kind: str) -> None:
    if kind not in KINDS:
        raise RuleError(N_("Unknown kind of request: %(kind)s."), kind=kind)
    if not kind_allowed(region_id, kind):
        raise RuleError(N_("Direct contact without a professional is not switched on for this region."))


THV_LONGEST_DAYS = 28  # a temporary restraining order lasts ten days and is extended to four weeks at most


def check_request(req: Request) -> None:
    """A request's own fields: a kind the region allows, a plausible e-mail of the professional,
    a THV's end date that fits a restraining order."""
    check_kind(req.region_id, req.kind)
    if req.professional_email and "@" not in req.professional_email:
        raise RuleError(N_("Enter a valid e-mail address of the professional."))
    req.source = req.source or "lead"
    if req.source not in SOURCES:
        raise RuleError(N_("Unknown source of a request."))
    if req.restraining_order_until is not None:
        if req.kind != "thv":
            req.restraining_order_until = None  # only a THV has a restraining order
        else:
            received = req.received_on or clock.today()
            if not received - timedelta(days=THV_LONGEST_DAYS) <= req.restraining_order_until \
                    <= received + timedelta(days=THV_LONGEST_DAYS):
                raise RuleError(N_("The restraining order ends within four weeks of the request; check the date."))


CODE_RE = re.compile(r"^EIH-(\d{4})-(\d{3,})$")


def next_code(year: int) -> str:
    """The next free pseudonymous case code of ``year``: EIH-2026-041."""
    codes = db.session.execute(db.select(Request.code).where(Request.code.like(f"EIH-{year}-%"))).scalars()
    numbers = [int(m.group(2)) for m in map(CODE_RE.match, codes) if m]
    return f"EIH-{year}-{(max(numbers, default=0) + 1):03d}"


def register_request(req: Request, user=None) -> Request:
    """A new request: code generated, status registered, on the timeline.

    A request from the public form arrives the same way (``source`` "form"),
    with everything the professional filled in."""
    with db.session.no_autoflush:  # the new row may already be in the session, still without a code
        check_request(req)
        req.received_on = req.received_on or clock.today()
        if not req.code:
            req.code = next_code(req.received_on.year)
    req.status = "registered"
    if not req.responsible_professional:
        req.responsible_professional = req.professional_name or ""
    if req.id is None:
        db.session.add(req)
    db.session.flush()
    _event(req, "register", user, "", "registered")
    return req


# -- intake (the standard questions, agreed role, requested expert, safety flags) ----------

INTAKE_FIELDS = ("intake_why_expert", "intake_role", "intake_expectations", "intake_client_wishes", "intake_safety",
                 "agreed_role", "agreed_expectations", "goal")


def record_intake(req: Request, values: dict, user=None) -> list[str]:
    """The structured intake: the standard questions, the agreed role and expectations, the goal.
    Returns the names of the fields that changed (audited by name, never by content)."""
    if req.status == "closed":
        raise RuleError(N_("This request is closed."))
    changed = []
    for name in INTAKE_FIELDS:
        if name not in values:
            continue
        value = (values[name] or "").strip()
        if value != (getattr(req, name) or ""):
            setattr(req, name, value)
            changed.append(name)
    if changed:
        _event(req, "record_intake", user)
        _audit("update", req, req, user, detail="fields: " + ", ".join(changed))
    return changed


def set_requested_expert(req: Request, expert: Expert | None, user=None) -> None:
    """Someone asked for this expert by name: a preference for the planning round (never a pin).
    The same rules as serving apply: the region's, not declined, not on a linked case."""
    if expert is not None:
        check_may_serve(req, expert)
    if (expert.id if expert else None) == req.requested_expert_id:
        return
    req.requested_expert_id = expert.id if expert else None
    req.requested_expert = expert
    _event(req, "request_expert", user, detail=expert.code if expert else "")
    _audit("update", req, req, user, detail="fields: requested_expert_id")


def set_safety_flags(req: Request, flags: list[str], user=None) -> None:
    """Safety flags the experts see before each contact; "never-alone" makes the work need two experts."""
    unknown = [f for f in flags if f not in SAFETY_FLAGS]
    if unknown:
        raise RuleError(N_("Unknown safety flag: %(flag)s."), flag=", ".join(unknown))
    value = ",".join(f for f in SAFETY_FLAGS if f in flags)
    if value != (req.safety_flags or ""):
        req.safety_flags = value
        _event(req, "safety_flags", user)  # the flags themselves are on the case
        _audit("update", req, req, user, detail="fields: safety_flags")


def experts_needed(req: Request) -> int:
    """One expert, or two when the case is flagged "never alone"; never fewer than serve it now."""
    return max(2 if "never-alone" in req.flags else 1, len(req.active_deployments))


def set_feedback_channel(req: Request, channel: str, user=None) -> None:
    if channel not in FEEDBACK_CHANNELS:
        raise RuleError(N_("Choose how the professional gets the summaries: by e-mail or printed."))
    if channel != req.feedback_channel:
        req.feedback_channel = channel
        _audit("update", req, req, user, detail="fields: feedback_channel")


# -- who may serve ----------------------------------------------------------

def linked_requests(req: Request) -> list[Request]:
    links = db.session.execute(db.select(CaseLink).where(
        (CaseLink.request_a_id == req.id) | (CaseLink.request_b_id == req.id))).scalars()
    return [link.request_b if link.request_a_id == req.id else link.request_a for link in links]


def experts_on(req: Request) -> set[int]:
    """Experts who serve a request now or are proposed for it."""
    return {d.expert_id for d in req.deployments if d.state in ("proposed", "active")}


def own_deployments(expert: Expert | None) -> list[Deployment]:
    """The requests an expert serves or is proposed for (need to know: only these)."""
    if expert is None:
        return []
    return db.session.execute(db.select(Deployment).join(Request).where(
        Deployment.expert_id == expert.id, Deployment.state != "ended",
        Request.region_id == expert.region_id).order_by(Request.received_on.desc())).scalars().all()


AFTER_CLOSING_DAYS = 365  # how long an expert still finds a closed case to record contact after closing


def served_closed(expert: Expert | None, today: date | None = None) -> list[Request]:
    """Closed cases the expert served, closed within the last year: for contact after closing."""
    if expert is None:
        return []
    since = (today or clock.today()) - timedelta(days=AFTER_CLOSING_DAYS)
    served = db.select(Deployment.request_id).where(Deployment.expert_id == expert.id,
                                                    Deployment.start_on.isnot(None))
    return db.session.execute(db.select(Request).where(
        Request.id.in_(served), Request.status == "closed", Request.region_id == expert.region_id,
        Request.closed_on >= since).order_by(Request.closed_on.desc())).scalars().all()


def linked_case_experts(req: Request) -> set[int]:
    return {eid for other in linked_requests(req) for eid in experts_on(other)}


def check_may_serve(req: Request, expert: Expert) -> None:
    """Same region, active, not declined, not serving a linked case (safety)."""
    if expert.region_id != req.region_id or not expert.active:
        raise RuleError(N_("This expert does not work in the request's region."))
    if expert.code in declined_experts(req.demand_key):
        raise RuleError(N_("%(name)s declined this request and cannot be assigned to it again."), name=expert.name)
    if expert.id in linked_case_experts(req):
        raise RuleError(N_("%(name)s serves a linked case of the same family or system; "
                           "one expert may never serve both."), name=expert.name)


def link_cases(a: Request, b: Request, user=None) -> CaseLink:
    """Mark two requests as the same family or system."""
    if a.id == b.id or a.region_id != b.region_id:
        raise RuleError(N_("Choose another request of the same region to link."))
    if b in linked_requests(a):
        raise RuleError(N_("These requests are already linked."))
    shared = experts_on(a) & experts_on(b)
    if shared:
        raise RuleError(N_("These requests cannot be linked while one expert serves both; end one deployment first."))
    link = CaseLink(region_id=a.region_id, request_a_id=a.id, request_b_id=b.id)
    db.session.add(link)
    db.session.flush()
    _event(a, "link", user, detail=b.code)
    _event(b, "link", user, detail=a.code)
    _audit("create", link, a, user)
    return link


# -- consent and deployment -------------------------------------------------

def record_consent(req: Request, on: date, how: str, recorded_by: str, user=None) -> None:
    if on is None or how not in CONSENT_WAYS or not (recorded_by or "").strip():
        raise RuleError(N_("Record the date of consent, how it was given and who recorded it."))
    if req.status == "closed":
        raise RuleError(N_("This request is closed."))
    req.consent_on, req.consent_how, req.consent_recorded_by = on, how, recorded_by.strip()
    req.consent_withdrawn_on = None
    _event(req, "record_consent", user)
    _audit("update", req, req, user, detail="fields: consent_on, consent_how, consent_recorded_by")


def deployment_blockers(req: Request) -> list[str]:
    """What is missing before a deployment may start (basic rules 1-3), as source
    texts: ``_(text)`` shows one in the reader's language."""
    missing = []
    if not req.consent_given:
        missing.append(N_("the client's recorded consent (date, how, recorded by)"))
    if not (req.responsible_professional or "").strip():
        missing.append(N_("a named responsible professional"))
    if not (req.goal or "").strip():
        missing.append(N_("an agreed goal"))
    return missing


def check_may_deploy(req: Request) -> None:
    missing = deployment_blockers(req)
    if missing:
        raise RuleError(N_("The deployment cannot start without %(missing)s."),
                        missing="; ".join(_(m) for m in missing))


def propose_expert(req: Request, expert: Expert, user=None, weekly_hours: float | None = None) -> Deployment:
    """Record that ``expert`` should serve ``req`` once the deployment can start."""
    current = next((d for d in req.deployments if d.expert_id == expert.id and d.state in ("proposed", "active")), None)
    if current is not None:
        return current
    if req.status not in OPEN_STATUSES:
        raise RuleError(N_("This request is closed."))
    check_may_serve(req, expert)
    deployment = Deployment(expert_id=expert.id, state="proposed", weekly_hours=weekly_hours or req.hours_estimate)
    deployment.expert = expert
    req.deployments.append(deployment)
    db.session.flush()
    _event(req, "propose_expert", user, detail=expert.code)
    _audit("create", deployment, req, user, detail=f"proposed {expert.code}")
    return deployment


def _activate(req: Request, deployment: Deployment, start_on: date, user=None) -> None:
    deployment.state = "active"
    deployment.start_on = start_on
    _event(req, "deploy_expert", user, detail=deployment.expert.code if deployment.expert else "")
    _audit("update", deployment, req, user, detail="state: active")


def start_deployment(req: Request, user=None, experts: list[Expert] | None = None, start_on: date | None = None) -> None:
    """intake -> active (THV: registered -> active): consent, professional and goal first."""
    _check_transition(req, "start_deployment")
    if req.status == "registered" and req.kind != "thv":
        raise RuleError(N_("Only a temporary restraining order (THV) may skip the intake."))
    check_may_deploy(req)
    for expert in experts or []:
        propose_expert(req, expert, user)
    if not req.proposed_deployments and not req.active_deployments:
        raise RuleError(N_("Choose the expert who will serve this request first."))
    for deployment in req.proposed_deployments:
        check_may_serve(req, deployment.expert)
        _activate(req, deployment, start_on or clock.today(), user)
    _move(req, "start_deployment", "active", user)


def assign_expert(req: Request, expert: Expert, user=None, start_on: date | None = None) -> Deployment:
    """Add an expert: a running case gets them at once (rules checked), a waiting one as a proposal."""
    deployment = propose_expert(req, expert, user)
    if req.status in RUNNING_STATUSES and deployment.state == "proposed":
        check_may_deploy(req)
        _activate(req, deployment, start_on or clock.today(), user)
    return deployment


def end_deployment(req: Request, deployment: Deployment, reason: str, user=None, on: date | None = None) -> None:
    if deployment.state == "ended":
        return
    deployment.state = "ended"
    deployment.end_on = on or clock.today()
    deployment.ended_reason = reason
    _event(req, "end_deployment", user, detail=f"{deployment.expert.code if deployment.expert else ''} {reason}")
    _audit("update", deployment, req, user, detail=f"state: ended ({reason})")


def withdraw_consent(req: Request, on: date | None = None, user=None) -> None:
    """Consent withdrawn: every deployment ends, the case closes, no identifiable reporting."""
    if req.consent_on is None or req.consent_withdrawn_on is not None:
        raise RuleError(N_("There is no recorded consent to withdraw."))
    _check_transition(req, "withdraw_consent")
    on = on or clock.today()
    req.consent_withdrawn_on = on
    for deployment in list(req.deployments):
        end_deployment(req, deployment, "consent-withdrawn", user, on)
    req.closed_on = on
    req.close_reason = "consent withdrawn"
    _move(req, "withdraw_consent", "closed", user)


# -- conversations and evaluation -------------------------------------------

def start_intake(req: Request, user=None) -> None:
    _check_transition(req, "start_intake")
    _move(req, "start_intake", "intake", user)


def start_evaluation(req: Request, user=None) -> None:
    _check_transition(req, "start_evaluation")
    _move(req, "start_evaluation", "evaluation", user)


def record_evaluation(req: Request, held_on: date, outcome: str, extension_agreed: bool, new_limit: int | None,
                      agreed_with_professional: bool, user=None) -> Evaluation:
    """The evaluation (rule 4): outcome, and for an extension the new limit agreed with the professional."""
    if req.status != "evaluation":
        raise RuleError(N_("Start the evaluation first; the request is %(status)s."), status=status_label(req.status))
    if held_on is None or not (outcome or "").strip():
        raise RuleError(N_("Record the date and the outcome of the evaluation."))
    if extension_agreed:
        if not new_limit or new_limit <= req.conversation_count:
            raise RuleError(N_("An extension needs a new conversation limit above the %(n)s conversations held."),
                            n=req.conversation_count)
        if not agreed_with_professional:
            raise RuleError(N_("An extension is always agreed with the requesting professional."))
    evaluation = Evaluation(held_on=held_on, outcome=outcome.strip(), extension_agreed=bool(extension_agreed),
                            new_limit=new_limit if extension_agreed else None,
                            agreed_with_professional=bool(agreed_with_professional),
                            recorded_by_id=getattr(user, "id", None))
    req.evaluations.append(evaluation)
    db.session.flush()
    _event(req, "record_evaluation", user, detail=f"limit {req.conversation_limit}")
    _audit("create", evaluation, req, user)
    return evaluation


def extend(req: Request, user=None) -> None:
    _check_transition(req, "extend")
    if not any(e.extension_agreed for e in req.evaluations):
        raise RuleError(N_("Record an evaluation with an agreed extension first."))
    _move(req, "extend", "extended", user, detail=f"limit {req.conversation_limit}")


def resume(req: Request, user=None) -> None:
    _check_transition(req, "resume")
    _move(req, "resume", "active", user)


def check_may_log_contact(req: Request, expert: Expert) -> None:
    if req.status not in RUNNING_STATUSES:
        raise RuleError(N_("Conversations can only be logged while the deployment runs."))
    if not req.consent_given:
        raise RuleError(N_("There is no valid consent of the client; no conversation can be logged."))
    if not any(d.expert_id == expert.id for d in req.active_deployments):
        raise RuleError(N_("Only an expert deployed on this request can log a conversation."))
    if req.conversation_count >= req.conversation_limit:
        raise RuleError(N_("Conversation %(n)s cannot be logged: after %(limit)s conversations the deployment is "
                           "evaluated first (outcome, agreed extension and new limit, with the professional)."),
                        n=req.conversation_count + 1, limit=req.conversation_limit)


def log_contact(req: Request, expert: Expert, held_at: datetime, duration_minutes: int, mode: str,
                with_professional: bool, summary: str, internal_note: str, heaviness: int, user=None,
                three_way: bool = False) -> ContactForm:
    """A contact form; the conversation count is the number of these rows.

    A three-way conversation (driegesprek: expert, client and professional, as
    the first one usually is) is recorded as such, always with the professional."""
    if held_at is None or not duration_minutes or duration_minutes <= 0 or duration_minutes > 600:
        raise RuleError(N_("Give the date, time and duration (in minutes) of the conversation."))
    if mode not in CONTACT_MODES:
        raise RuleError(N_("Choose how the conversation took place."))
    if heaviness not in (1, 2, 3, 4, 5):
        raise RuleError(N_("Rate how heavy the conversation was, from 1 to 5."))
    check_may_log_contact(req, expert)
    contact = ContactForm(expert_id=expert.id, held_at=held_at, duration_minutes=duration_minutes, mode=mode,
                          with_professional=bool(with_professional), summary=(summary or "").strip(),
                          internal_note=(internal_note or "").strip(), heaviness=heaviness,
                          three_way=bool(three_way))
    if three_way:
        contact.with_professional = True
    req.contacts.append(contact)
    db.session.flush()
    _event(req, "log_contact", user, detail=f"{expert.code} #{req.conversation_count}")
    _audit("create", contact, req, user)
    return contact


# -- transfer and closing ------------------------------------------------------

def transfer(req: Request, note: str = "", user=None) -> None:
    """The client moved or changed organisation: a reconsideration moment."""
    _check_transition(req, "transfer")
    req.transfer_note = (note or "").strip()
    req.transfer_decision = None
    _move(req, "transfer", "transferred", user)


def reconsider(req: Request, decision: str, user=None, **close_fields) -> None:
    """The decision at a transfer: follow the client, close, or start a new role (a new intake)."""
    _check_transition(req, "reconsider")
    if decision not in TRANSFER_DECISIONS:
        raise RuleError(N_("Choose a decision: follow, close or new role."))
    req.transfer_decision = decision
    if decision == "close":
        _event(req, "reconsider", user, detail=decision)
        close(req, user=user, **close_fields)
    elif decision == "follow":
        _move(req, "reconsider", "active", user, detail=decision)
    else:
        for deployment in list(req.active_deployments):
            end_deployment(req, deployment, "new-role", user)
        _move(req, "reconsider", "intake", user, detail=decision)


def close(req: Request, reason: str = "", closed_on: date | None = None, handover_notes: str = "",
          help_accepted: str = "unknown", follow_up_agreed: bool | None = None, user=None) -> None:
    """Closing and handover: reason, notes for the professional, outcome fields for research."""
    _check_transition(req, "close")
    if not (reason or "").strip():
        raise RuleError(N_("Give the reason for closing."))
    if help_accepted not in HELP_ACCEPTED:
        raise RuleError(N_("Choose whether the help was accepted: yes, no or unknown."))
    closed_on = closed_on or clock.today()
    if closed_on < req.received_on:
        raise RuleError(N_("The closing date cannot be before the request was received."))
    for deployment in list(req.deployments):
        end_deployment(req, deployment, "closed", user, closed_on)
    req.closed_on, req.close_reason = closed_on, reason.strip()
    req.handover_notes = (handover_notes or "").strip()
    req.help_accepted, req.follow_up_agreed = help_accepted, follow_up_agreed
    _move(req, "close", "closed", user)


# -- declines (called through eih.declines.record_decline) ----------------------

def end_after_decline(req: Request, expert: Expert, reason: str) -> None:
    """The expert said no: their deployment ends and the request waits for the lead again."""
    for deployment in list(req.deployments):
        if deployment.expert_id == expert.id and deployment.state != "ended":
            end_deployment(req, deployment, f"declined-{reason}", None)
    _event(req, "decline", None, detail=f"{expert.code} {reason}")


# -- feedback to the professional, more information -------------------------------------

def check_feedback(req: Request, contact: ContactForm, channel: str) -> None:
    """Only the shared summary of one of this case's contact forms, by the case's channel."""
    if contact.request_id != req.id:
        raise RuleError(N_("This contact form belongs to another case."))
    if channel not in FEEDBACK_CHANNELS:
        raise RuleError(N_("Choose how the professional gets the summaries: by e-mail or printed."))
    if not (contact.summary or "").strip():
        raise RuleError(N_("This contact form has no summary for the professional."))
    if channel == "email" and "@" not in (req.professional_email or ""):
        raise RuleError(N_("There is no e-mail address of the professional; record it or print the summary."))


def record_feedback(req: Request, contact: ContactForm, channel: str, user=None) -> Feedback:
    """A summary went to the professional (mailed or printed): audited and shown on the case."""
    check_feedback(req, contact, channel)
    feedback = Feedback(contact_id=contact.id, channel=channel, by_user_id=getattr(user, "id", None),
                        sent_to=req.professional_email if channel == "email" else "")
    req.feedback.append(feedback)
    db.session.flush()
    _event(req, "feedback", user)
    audit.record("export", feedback, region_id=req.region_id, user=user,
                 detail=f"summary of contact {contact.id} by {channel}")
    return feedback


def check_may_ask(req: Request, message: str) -> None:
    if req.status == "closed":
        raise RuleError(N_("This request is closed."))
    if "@" not in (req.professional_email or ""):
        raise RuleError(N_("There is no e-mail address of the professional to ask."))
    if not (message or "").strip():
        raise RuleError(N_("Write what you would like to know."))


def record_question(req: Request, user=None) -> None:
    """The lead asked the professional for more information (the mail itself is the view's)."""
    _event(req, "ask_information", user)
    _audit("update", req, req, user, detail="asked the professional for more information")


# -- after closing: contact for supervision, the outcome known later ---------------------

def record_after_contact(req: Request, expert: Expert | None, held_on: date, mode: str, note: str,
                         user=None) -> AfterContact:
    """Contact with the client after closing, recorded for supervision; the case stays closed."""
    if req.status != "closed":
        raise RuleError(N_("Contact after closing is recorded on a closed case; log a contact form instead."))
    if held_on is None or held_on < (req.closed_on or held_on) or held_on > clock.today():
        raise RuleError(N_("Give the date of the contact: after the case was closed and not in the future."))
    if mode not in CONTACT_MODES:
        raise RuleError(N_("Choose how the conversation took place."))
    if expert is not None and not any(d.expert_id == expert.id for d in req.deployments):
        raise RuleError(N_("Only an expert who served this case can record contact after closing."))
    row = AfterContact(expert_id=expert.id if expert else None, held_on=held_on, mode=mode,
                       note=(note or "").strip(), recorded_by_id=getattr(user, "id", None))
    req.after_contacts.append(row)
    db.session.flush()
    _event(req, "after_contact", user, detail=expert.code if expert else "")
    _audit("create", row, req, user)
    return row


def record_new_report(req: Request, value: str, user=None, today: date | None = None) -> None:
    """Outcome: is a new report of violence known within six months of closing (filled in later)."""
    if req.status != "closed" or req.closed_on is None:
        raise RuleError(N_("The outcome after six months is recorded once the case is closed."))
    if value not in NEW_REPORT:
        raise RuleError(N_("Choose whether a new report is known: yes, no or unknown."))
    req.new_report, req.new_report_recorded_on = value, today or clock.today()
    _event(req, "new_report", user)
    _audit("update", req, req, user, detail="fields: new_report")
