"""Outreach tables (voorlichting en kennisoverdracht): the menu of topics and offers,
orders from organisations with their preliminary talk and follow-up, the sessions
given with their evaluation, yearly calendar agreements, and the experts' story
boundaries.

Session times are naive wall-clock Europe/Amsterdam datetimes; record timestamps
are UTC (``utcnow``). Nothing here is a counter: reach, evaluations and hours are
derived from the session rows.
"""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ... import clock
from ...extensions import db
from ...models import Expert, Municipality, Partner, Region, utcnow

PLUGIN = "outreach"
# Settings per region (PluginState.settings); these are the defaults, rules.settings() reads them.
DEFAULT_SETTINGS = {
    "load": 1,  # emotional load of one session for the planning round
    "large_audience": 30,  # from this many people a session is a "large audience" setting
    "talk_required": True,  # a session is planned only after the preliminary talk was held
}

FORMS = ("lecture", "workshop", "case_discussion", "guest_lecture", "theme_lunch", "podcast_webinar")
PERSPECTIVES = ("", "victim", "perpetrator")  # "" = any perspective
ORDER_SOURCES = ("public", "lead")
ORDER_STATUSES = ("new", "talk", "planned", "given", "evaluated", "closed", "cancelled")
OPEN_ORDER_STATUSES = ("new", "talk", "planned", "given", "evaluated")
TALK_STATUSES = ("none", "planned", "done")
SESSION_STATUSES = ("planned", "given", "cancelled")
SCORES = (1, 2, 3, 4, 5)
# Where an expert tells (part of) their story, and how much of it they share there.
STORY_SETTINGS = ("small_group", "large_audience", "recorded", "education")
STORY_LEVELS = ("full", "partial", "none")

session_expert = Table(
    "outreach_session_expert", db.metadata,
    Column("session_id", ForeignKey("outreach_session.id", ondelete="CASCADE"), primary_key=True),
    Column("expert_id", ForeignKey("expert.id", ondelete="CASCADE"), primary_key=True),
)


class OutreachTopic(db.Model):
    """A topic of the menu and the expert profile that can give it."""

    __tablename__ = "outreach_topic"
    __table_args__ = (UniqueConstraint("region_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    # Requirements for the experts (the scheduler's ``require``): a perspective, specialties.
    perspective: Mapped[str] = mapped_column(String(12), default="")
    required_specialties: Mapped[str] = mapped_column(String(300), default="")
    # Preferences (the scheduler's ``prefer``): specialties that fit the topic well.
    preferred_specialties: Mapped[str] = mapped_column(String(300), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    region: Mapped[Region] = relationship()

    def __str__(self) -> str:
        return self.name


class OutreachOffer(db.Model):
    """One item of the menu (menukaart): a form on a topic, with its size and hours."""

    __tablename__ = "outreach_offer"
    __table_args__ = (UniqueConstraint("region_id", "title"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    form: Mapped[str] = mapped_column(String(20), default="workshop")
    topic_id: Mapped[int] = mapped_column(ForeignKey("outreach_topic.id"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    duration_minutes: Mapped[int] = mapped_column(Integer, default=90)
    preparation_hours: Mapped[float] = mapped_column(Float, default=2)
    audience_min: Mapped[int] = mapped_column(Integer, default=5)
    audience_max: Mapped[int] = mapped_column(Integer, default=30)
    experts_needed: Mapped[int] = mapped_column(Integer, default=1)
    # On the printable menu and the public order form.
    published: Mapped[bool] = mapped_column(Boolean, default=True)

    region: Mapped[Region] = relationship()
    topic: Mapped[OutreachTopic] = relationship()

    def __str__(self) -> str:
        return self.title


class OutreachOrder(db.Model):
    """An organisation's order of a session from the menu, from arrival to follow-up."""

    __tablename__ = "outreach_order"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    reference: Mapped[str | None] = mapped_column(String(20), unique=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("outreach_offer.id"), index=True)
    source: Mapped[str] = mapped_column(String(10), default="lead")
    status: Mapped[str] = mapped_column(String(10), default="new", index=True)
    received_on: Mapped[date] = mapped_column(Date, default=clock.today)
    # Who orders: the organisation (a partner, or any organisation by name) and its contact.
    organisation: Mapped[str] = mapped_column(String(160))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id", ondelete="SET NULL"), index=True)
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id", ondelete="SET NULL"),
                                                        index=True)
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    # What they ask.
    audience: Mapped[str] = mapped_column(String(200), default="")
    audience_size: Mapped[int | None] = mapped_column(Integer)
    wished_dates: Mapped[str] = mapped_column(String(300), default="")
    goal: Mapped[str] = mapped_column(Text, default="")
    # The preliminary talk (voorgesprek) on goal and expectations.
    talk_status: Mapped[str] = mapped_column(String(10), default="none")
    talk_on: Mapped[date | None] = mapped_column(Date)
    agreed_goal: Mapped[str] = mapped_column(Text, default="")
    expectations: Mapped[str] = mapped_column(Text, default="")
    # The follow-up agreed afterwards, with a reminder date.
    follow_up: Mapped[str] = mapped_column(Text, default="")
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    follow_up_done_on: Mapped[date | None] = mapped_column(Date)
    cancel_reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    region: Mapped[Region] = relationship()
    offer: Mapped[OutreachOffer] = relationship()
    partner: Mapped[Partner | None] = relationship()
    municipality: Mapped[Municipality | None] = relationship()
    sessions: Mapped[list[OutreachSession]] = relationship(back_populates="order",
                                                           order_by="OutreachSession.starts_at")

    def __str__(self) -> str:
        return f"{self.reference or ''} {self.organisation}".strip()


class OutreachAgreement(db.Model):
    """A yearly calendar agreement: a recurring session with an organisation
    (for example in every onboarding of new staff)."""

    __tablename__ = "outreach_agreement"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    organisation: Mapped[str] = mapped_column(String(160))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id", ondelete="SET NULL"), index=True)
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id", ondelete="SET NULL"),
                                                        index=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("outreach_offer.id"), index=True)
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    first_date: Mapped[date] = mapped_column(Date)
    last_date: Mapped[date | None] = mapped_column(Date)  # None: the end of the first date's year
    interval_weeks: Mapped[int] = mapped_column(Integer, default=13)
    start_time: Mapped[time] = mapped_column(Time, default=time(13, 0))
    place: Mapped[str] = mapped_column(String(200), default="")
    audience_size: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    region: Mapped[Region] = relationship()
    offer: Mapped[OutreachOffer] = relationship()
    partner: Mapped[Partner | None] = relationship()
    municipality: Mapped[Municipality | None] = relationship()
    sessions: Mapped[list[OutreachSession]] = relationship(back_populates="agreement",
                                                           order_by="OutreachSession.starts_at")

    def __str__(self) -> str:
        return f"{self.organisation} {self.first_date:%Y}" if self.first_date else self.organisation


class OutreachSession(db.Model):
    """One session given (or to be given), with the experts and the evaluation."""

    __tablename__ = "outreach_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("outreach_offer.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("outreach_order.id"), index=True)
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("outreach_agreement.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    place: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(10), default="planned")
    cancel_reason: Mapped[str] = mapped_column(String(200), default="")
    # Afterwards: how many people were reached, and the organiser's evaluation.
    audience_reached: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[int | None] = mapped_column(Integer)
    remarks: Mapped[str] = mapped_column(Text, default="")
    evaluated_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    region: Mapped[Region] = relationship()
    offer: Mapped[OutreachOffer] = relationship()
    order: Mapped[OutreachOrder | None] = relationship(back_populates="sessions")
    agreement: Mapped[OutreachAgreement | None] = relationship(back_populates="sessions")
    experts: Mapped[list[Expert]] = relationship(secondary=session_expert, order_by="Expert.id")

    @property
    def organisation(self) -> str:
        source = self.order or self.agreement
        return source.organisation if source is not None else ""

    @property
    def municipality(self) -> Municipality | None:
        source = self.order or self.agreement
        return source.municipality if source is not None else None

    @property
    def partner(self) -> Partner | None:
        source = self.order or self.agreement
        return source.partner if source is not None else None

    @property
    def expected_audience(self) -> int | None:
        source = self.order or self.agreement
        return source.audience_size if source is not None else None

    def __str__(self) -> str:
        title = self.offer.title if self.offer else ""
        return f"{title} {self.starts_at:%d-%m-%Y %H:%M}" if self.starts_at else title


class StoryBoundary(db.Model):
    """What part of their story an expert shares in one setting (kept on the expert's profile)."""

    __tablename__ = "outreach_story_boundary"
    __table_args__ = (UniqueConstraint("expert_id", "setting"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id", ondelete="CASCADE"), index=True)
    setting: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(10), default="partial")
    note: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    expert: Mapped[Expert] = relationship()

    @property
    def region_id(self) -> int | None:
        return self.expert.region_id if self.expert else None

    def __str__(self) -> str:
        return f"{self.expert.name if self.expert else ''} {self.setting}".strip()
