"""Peer support groups (lotgenotencontact): groups, sessions, participants, attendance.

Session times are naive wall-clock Europe/Amsterdam; record timestamps are UTC.
Counts and rates are never stored: see stats.py.
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

from ...extensions import db
from ...models import Expert, Partner, Region, utcnow

PLUGIN = "supportgroups"
# Settings per region (PluginState.settings); these are the defaults, rules.settings() reads them.
DEFAULT_SETTINGS = {
    "absence_alert": 3,  # warn after this many absences in a row
    "late_days": 7,  # a register saved later than this after the session is a late correction
}

KINDS = ("perpetrators", "victims", "other")
CADENCES = ("weekly", "biweekly", "custom")
SESSION_STATUSES = ("planned", "held", "cancelled")
PARTICIPANT_STATUSES = ("waitlist", "intake", "member", "left")
INTRO_STATUSES = ("none", "planned", "done")
ATTENDANCE_STATUSES = ("present", "absent-notice", "absent")

group_facilitator = Table(
    "supportgroups_group_facilitator", db.metadata,
    Column("group_id", ForeignKey("supportgroups_group.id", ondelete="CASCADE"), primary_key=True),
    Column("expert_id", ForeignKey("expert.id", ondelete="CASCADE"), primary_key=True),
)
session_facilitator = Table(
    "supportgroups_session_facilitator", db.metadata,
    Column("session_id", ForeignKey("supportgroups_session.id", ondelete="CASCADE"), primary_key=True),
    Column("expert_id", ForeignKey("expert.id", ondelete="CASCADE"), primary_key=True),
)


class Group(db.Model):
    """A peer support group: who it is for, when and where it meets, who leads it."""

    __tablename__ = "supportgroups_group"
    __table_args__ = (UniqueConstraint("region_id", "slug"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(20), default="other")
    # The facilitators' requirements: men lead the men's group, victims the victims' group.
    target_gender: Mapped[str | None] = mapped_column(String(10))
    perspective: Mapped[str | None] = mapped_column(String(20))
    cadence: Mapped[str] = mapped_column(String(10), default="weekly")
    weekday: Mapped[int] = mapped_column(Integer, default=0)  # Monday = 0
    start_time: Mapped[time] = mapped_column(Time, default=time(19, 0))
    duration_minutes: Mapped[int] = mapped_column(Integer, default=120)
    # the facilitators' preparation of each session: on their timesheets with the session
    prep_minutes: Mapped[int] = mapped_column(Integer, default=30)
    custom_dates: Mapped[str] = mapped_column(Text, default="")  # "2024-03-04, 2024-03-18" for cadence custom
    location: Mapped[str] = mapped_column(String(160), default="")
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)
    intro_required: Mapped[bool] = mapped_column(Boolean, default=True)
    capacity: Mapped[int] = mapped_column(Integer, default=8)
    facilitators_per_session: Mapped[int] = mapped_column(Integer, default=1)
    load: Mapped[float] = mapped_column(Float, default=3)
    first_name_only: Mapped[bool] = mapped_column(Boolean, default=False)
    active_from: Mapped[date] = mapped_column(Date)
    active_until: Mapped[date | None] = mapped_column(Date)

    region: Mapped[Region] = relationship()
    facilitators: Mapped[list[Expert]] = relationship(secondary=group_facilitator, order_by="Expert.id")
    sessions: Mapped[list[Session]] = relationship(back_populates="group", order_by="Session.starts_at",
                                                   cascade="all, delete-orphan")
    participants: Mapped[list[Participant]] = relationship(back_populates="group", cascade="all, delete-orphan")
    no_session_dates: Mapped[list[NoSessionDate]] = relationship(back_populates="group", cascade="all, delete-orphan")

    def __str__(self) -> str:
        return self.name


class NoSessionDate(db.Model):
    """A date the group does not meet (holiday, venue closed); generation skips it."""

    __tablename__ = "supportgroups_no_session"
    __table_args__ = (UniqueConstraint("group_id", "date"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("supportgroups_group.id"), index=True)
    date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")

    group: Mapped[Group] = relationship(back_populates="no_session_dates")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}"


class Session(db.Model):
    """One meeting of a group. The note holds no client data."""

    __tablename__ = "supportgroups_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("supportgroups_group.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(12), default="planned")
    cancel_reason: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(String(500), default="")
    # First save of the register; any later change is a late correction.
    register_saved_at: Mapped[datetime | None] = mapped_column(DateTime)

    group: Mapped[Group] = relationship(back_populates="sessions")
    facilitators: Mapped[list[Expert]] = relationship(secondary=session_facilitator, order_by="Expert.id")
    attendance: Mapped[list[Attendance]] = relationship(back_populates="session", cascade="all, delete-orphan")

    @property
    def date(self) -> date:
        return self.starts_at.date()

    @property
    def region_id(self) -> int | None:
        return self.group.region_id if self.group else None

    def __str__(self) -> str:
        return f"{self.group.name if self.group else ''} {self.starts_at:%Y-%m-%d %H:%M}"


class Participant(db.Model):
    """A group member or candidate: a first name or pseudonym, never more than needed."""

    __tablename__ = "supportgroups_participant"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("supportgroups_group.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))  # first name or pseudonym
    surname: Mapped[str | None] = mapped_column(String(80))  # never stored in first-name-only groups
    referral_partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id", ondelete="SET NULL"))
    referrer_contact: Mapped[str] = mapped_column(String(200), default="")
    intro_status: Mapped[str] = mapped_column(String(10), default="none")
    intro_by_id: Mapped[int | None] = mapped_column(ForeignKey("expert.id", ondelete="SET NULL"))
    intro_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="waitlist")
    registered_on: Mapped[date] = mapped_column(Date)
    # Coordinator's override of first come, first served: lower goes first.
    waitlist_rank: Mapped[int | None] = mapped_column(Integer)
    left_waitlist_on: Mapped[date | None] = mapped_column(Date)
    joined_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    left_reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    group: Mapped[Group] = relationship(back_populates="participants")
    referral_partner: Mapped[Partner | None] = relationship()
    intro_by: Mapped[Expert | None] = relationship()

    @property
    def region_id(self) -> int | None:
        return self.group.region_id if self.group else None

    def __str__(self) -> str:
        return self.name


class Attendance(db.Model):
    """One member at one session: present, absent with notice, absent without notice."""

    __tablename__ = "supportgroups_attendance"
    __table_args__ = (UniqueConstraint("session_id", "participant_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("supportgroups_session.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("supportgroups_participant.id", ondelete="CASCADE"),
                                                index=True)
    status: Mapped[str] = mapped_column(String(15))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    session: Mapped[Session] = relationship(back_populates="attendance")
    participant: Mapped[Participant] = relationship()
