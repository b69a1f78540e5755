"""Casework tables: requests (aanmeldingen), deployments (inzet), contact forms,
evaluations, links between cases and the timeline.

No client name is stored anywhere; ``client_initials`` exists only for the
organisations that insist, and only the project lead ever sees it.
Counts (conversations, trajectory length) are derived from rows, never stored.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ... import clock
from ...extensions import db
from ...models import Expert, Municipality, Partner, Region, User, split_list, utcnow
from ...plugins import demand_id

PLUGIN = "casework"
# Settings per region (PluginState.settings); these are the defaults, rules.settings() reads them.
DEFAULT_SETTINGS = {
    "direct_contact": False,  # direct contact without a professional: a wish for 2024-2027, off by default
    "hours_by_kind": {"regular": 2, "thv": 4, "direct": 2},
    "load_by_kind": {"regular": 2, "thv": 4, "direct": 3},
    "heavy_rating": 4,  # a contact form this heavy (1-5) is heavy work: recovery time afterwards
    "public_form": False,  # the public request form for professionals: off until a region switches it on
    "thv_warn_days": 3,  # the lead is told when a THV's restraining order ends within this many days
}

KINDS = ("regular", "thv", "direct")
STATUSES = ("registered", "intake", "active", "evaluation", "extended", "transferred", "closed")
OPEN_STATUSES = ("registered", "intake", "active", "evaluation", "extended", "transferred")
RUNNING_STATUSES = ("active", "evaluation", "extended")
VIOLENCE_TYPES = ("partner", "honour-related", "stalking", "child-abuse", "other")
AGE_BANDS = ("<18", "18-25", "26-40", "41-60", "60+")
URGENCIES = ("normal", "urgent")
CONSENT_WAYS = ("in-person", "phone", "written", "via-professional")
CONTACT_MODES = ("in-person", "phone", "video", "message")
TRANSFER_DECISIONS = ("follow", "close", "new-role")
HELP_ACCEPTED = ("yes", "no", "unknown")
DEPLOYMENT_STATES = ("proposed", "active", "ended")
SOURCES = ("lead", "form", "import")
FEEDBACK_CHANNELS = ("email", "print")
SAFETY_FLAGS = ("never-alone", "address-confidential", "no-home-visits")
NEW_REPORT = ("yes", "no", "unknown")
DEFAULT_CONVERSATION_LIMIT = 5
NEW_REPORT_MONTHS = 6  # a new report of violence within six months of closing counts as an outcome


class Request(db.Model):
    """A request (aanmelding) from a professional for an expert by experience."""

    __tablename__ = "casework_request"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    received_on: Mapped[date] = mapped_column(Date, default=clock.today)
    kind: Mapped[str] = mapped_column(String(10), default="regular")
    status: Mapped[str] = mapped_column(String(12), default="registered", index=True)
    urgency: Mapped[str] = mapped_column(String(10), default="normal")
    # The requesting professional (stays responsible unless another is named).
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id"), index=True)
    professional_name: Mapped[str] = mapped_column(String(120), default="")
    professional_phone: Mapped[str] = mapped_column(String(40), default="")
    professional_email: Mapped[str] = mapped_column(String(254), default="")
    professional_function: Mapped[str] = mapped_column(String(120), default="")
    # "Other" organisation on the public form: the lead confirms it (and links a partner).
    partner_other: Mapped[str] = mapped_column(String(160), default="")
    source: Mapped[str] = mapped_column(String(10), default="lead")
    # A THV request: the end date of the temporary restraining order.
    restraining_order_until: Mapped[date | None] = mapped_column(Date)
    responsible_professional: Mapped[str] = mapped_column(String(120), default="")
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"), index=True)
    # What the match needs.
    client_gender: Mapped[str | None] = mapped_column(String(10))
    client_perspective: Mapped[str | None] = mapped_column(String(12))
    client_languages: Mapped[str] = mapped_column(String(100), default="nl")
    client_culture: Mapped[str] = mapped_column(String(100), default="")
    violence_type: Mapped[str | None] = mapped_column(String(20))
    age_band: Mapped[str | None] = mapped_column(String(10))
    hours_estimate: Mapped[float | None] = mapped_column(Float)
    # Lead only.
    question: Mapped[str] = mapped_column(Text, default="")
    requester_notes: Mapped[str] = mapped_column(Text, default="")
    client_initials: Mapped[str] = mapped_column(String(10), default="")
    # The standard intake questions (from the public form or filled in by the lead).
    intake_why_expert: Mapped[str] = mapped_column(Text, default="")
    intake_role: Mapped[str] = mapped_column(Text, default="")
    intake_expectations: Mapped[str] = mapped_column(Text, default="")
    intake_client_wishes: Mapped[str] = mapped_column(Text, default="")
    intake_safety: Mapped[str] = mapped_column(Text, default="")
    agreed_role: Mapped[str] = mapped_column(Text, default="")
    agreed_expectations: Mapped[str] = mapped_column(Text, default="")
    # Someone asked for an expert by name: a preference for the planning round, never a pin.
    requested_expert_name: Mapped[str] = mapped_column(String(120), default="")
    requested_expert_id: Mapped[int | None] = mapped_column(ForeignKey("expert.id", ondelete="SET NULL"))
    feedback_channel: Mapped[str] = mapped_column(String(10), default="email")
    # Safety flags the experts see before each contact (comma separated, SAFETY_FLAGS).
    safety_flags: Mapped[str] = mapped_column(String(120), default="")
    # Basic rules: consent, goal.
    goal: Mapped[str] = mapped_column(Text, default="")
    consent_on: Mapped[date | None] = mapped_column(Date)
    consent_how: Mapped[str | None] = mapped_column(String(20))
    consent_recorded_by: Mapped[str] = mapped_column(String(120), default="")
    consent_withdrawn_on: Mapped[date | None] = mapped_column(Date)
    # Transfer (reconsideration moment).
    transfer_note: Mapped[str] = mapped_column(Text, default="")
    transfer_decision: Mapped[str | None] = mapped_column(String(10))
    # Closing and handover.
    closed_on: Mapped[date | None] = mapped_column(Date)
    close_reason: Mapped[str] = mapped_column(String(200), default="")
    handover_notes: Mapped[str] = mapped_column(Text, default="")
    help_accepted: Mapped[str | None] = mapped_column(String(10))
    follow_up_agreed: Mapped[bool | None] = mapped_column(Boolean)
    # Outcome filled in later: a new report of violence known within six months of closing.
    new_report: Mapped[str | None] = mapped_column(String(10))
    new_report_recorded_on: Mapped[date | None] = mapped_column(Date)
    imported: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    region: Mapped[Region] = relationship()
    partner: Mapped[Partner | None] = relationship()
    municipality: Mapped[Municipality | None] = relationship()
    requested_expert: Mapped[Expert | None] = relationship(foreign_keys=[requested_expert_id])
    deployments: Mapped[list[Deployment]] = relationship(back_populates="request", order_by="Deployment.id",
                                                         cascade="all, delete-orphan")
    contacts: Mapped[list[ContactForm]] = relationship(back_populates="request", order_by="ContactForm.held_at",
                                                       cascade="all, delete-orphan")
    evaluations: Mapped[list[Evaluation]] = relationship(back_populates="request", order_by="Evaluation.id",
                                                         cascade="all, delete-orphan")
    events: Mapped[list[CaseEvent]] = relationship(back_populates="request", order_by="CaseEvent.id",
                                                   cascade="all, delete-orphan")
    feedback: Mapped[list[Feedback]] = relationship(back_populates="request", order_by="Feedback.id",
                                                    cascade="all, delete-orphan")
    after_contacts: Mapped[list[AfterContact]] = relationship(back_populates="request", order_by="AfterContact.id",
                                                              cascade="all, delete-orphan")

    @property
    def demand_key(self) -> str:
        return demand_id(PLUGIN, "req", self.id)

    @property
    def conversation_count(self) -> int:
        return len(self.contacts)

    @property
    def flags(self) -> list[str]:
        return [f for f in split_list(self.safety_flags) if f in SAFETY_FLAGS]

    def days_left(self, today: date | None = None) -> int | None:
        """Days until a THV's restraining order ends (0: ends today, negative: ended); None otherwise."""
        if self.kind != "thv" or self.restraining_order_until is None:
            return None
        return (self.restraining_order_until - (today or clock.today())).days

    @property
    def conversation_limit(self) -> int:
        agreed = [e.new_limit for e in self.evaluations if e.extension_agreed and e.new_limit]
        return max([DEFAULT_CONVERSATION_LIMIT, *agreed])

    @property
    def consent_given(self) -> bool:
        return self.consent_on is not None and self.consent_withdrawn_on is None

    @property
    def active_deployments(self) -> list[Deployment]:
        return [d for d in self.deployments if d.state == "active"]

    @property
    def proposed_deployments(self) -> list[Deployment]:
        return [d for d in self.deployments if d.state == "proposed"]

    @property
    def waiting_for_expert(self) -> bool:
        return self.status in OPEN_STATUSES and self.status != "transferred" and not self.active_deployments

    def waiting_days(self, today: date | None = None) -> int:
        return ((today or clock.today()) - self.received_on).days

    @property
    def trajectory_days(self) -> int | None:
        starts = [d.start_on for d in self.deployments if d.start_on]
        if not starts or self.closed_on is None:
            return None
        return (self.closed_on - min(starts)).days

    def __str__(self) -> str:
        return self.code


class Deployment(db.Model):
    """An expert serving a request (inzet): proposed, active or ended."""

    __tablename__ = "casework_deployment"
    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("casework_request.id"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id"), index=True)
    state: Mapped[str] = mapped_column(String(10), default="proposed")
    start_on: Mapped[date | None] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    weekly_hours: Mapped[float | None] = mapped_column(Float)
    ended_reason: Mapped[str] = mapped_column(String(30), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    request: Mapped[Request] = relationship(back_populates="deployments")
    expert: Mapped[Expert] = relationship()

    @property
    def region_id(self) -> int:
        return self.request.region_id

    @property
    def conversation_count(self) -> int:
        return sum(1 for c in self.request.contacts if c.expert_id == self.expert_id)


class ContactForm(db.Model):
    """One conversation (contactformulier). The conversation count derives from these rows."""

    __tablename__ = "casework_contact"
    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("casework_request.id"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id"), index=True)
    held_at: Mapped[datetime] = mapped_column(DateTime)  # wall-clock Europe/Amsterdam
    duration_minutes: Mapped[int] = mapped_column(Integer, default=60)
    mode: Mapped[str] = mapped_column(String(12), default="in-person")
    with_professional: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[str] = mapped_column(Text, default="")  # shared with the professional
    internal_note: Mapped[str] = mapped_column(Text, default="")  # lead and this expert only
    heaviness: Mapped[int] = mapped_column(Integer, default=3)  # 1-5, the expert's own rating
    # A three-way conversation (driegesprek): expert, client and professional together.
    three_way: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    request: Mapped[Request] = relationship(back_populates="contacts")
    expert: Mapped[Expert] = relationship()

    @property
    def region_id(self) -> int:
        return self.request.region_id

    @property
    def ends_at(self) -> datetime:
        return self.held_at + timedelta(minutes=self.duration_minutes or 0)


class Evaluation(db.Model):
    """The evaluation after (at most) the fifth conversation."""

    __tablename__ = "casework_evaluation"
    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("casework_request.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(Text, default="")
    extension_agreed: Mapped[bool] = mapped_column(Boolean, default=False)
    new_limit: Mapped[int | None] = mapped_column(Integer)
    agreed_with_professional: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    request: Mapped[Request] = relationship(back_populates="evaluations")


class CaseLink(db.Model):
    """Two requests of the same family or system: no expert may serve both."""

    __tablename__ = "casework_link"
    __table_args__ = (UniqueConstraint("request_a_id", "request_b_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    request_a_id: Mapped[int] = mapped_column(ForeignKey("casework_request.id"), index=True)
    request_b_id: Mapped[int] = mapped_column(ForeignKey("casework_request.id"), index=True)

    request_a: Mapped[Request] = relationship(foreign_keys=[request_a_id])
    request_b: Mapped[Request] = relationship(foreign_keys=[request_b_id])


class CaseEvent(db.Model):
    """The timeline of a request: every transition and recorded rule, in order."""

    __tablename__ = "casework_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("casework_request.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str] = mapped_column(String(12), default="")
    to_status: Mapped[str] = mapped_column(String(12), default="")
    detail: Mapped[str] = mapped_column(String(300), default="")  # never client content

    request: Mapped[Request] = relationship(back_populates="events")
    user: Mapped[User | None] = relationship()


class Feedback(db.Model):
    """A contact form's shared summary sent to the responsible professional (by e-mail or printed)."""

    __tablename__ = "casework_feedback"
    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("casework_request.id"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("casework_contact.id"), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    sent_to: Mapped[str] = mapped_column(String(254), default="")
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    request: Mapped[Request] = relationship(back_populates="feedback")
    contact: Mapped[ContactForm] = relationship()
    by_user: Mapped[User | None] = relationship()


class AfterContact(db.Model):
    """Contact with a client after the case was closed, for supervision; the case stays closed."""

    __tablename__ = "casework_after_contact"
    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("casework_request.id"), index=True)
    expert_id: Mapped[int | None] = mapped_column(ForeignKey("expert.id", ondelete="SET NULL"))
    held_on: Mapped[date] = mapped_column(Date)
    mode: Mapped[str] = mapped_column(String(12), default="phone")
    note: Mapped[str] = mapped_column(Text, default="")  # for supervision: lead and this expert only
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    request: Mapped[Request] = relationship(back_populates="after_contacts")
    expert: Mapped[Expert | None] = relationship()
