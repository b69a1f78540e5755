"""Policy tables (beleidsontwikkeling): the tables, working groups and platforms
experts join, their meetings with a preliminary talk and the experts who attend
(in rotation), and the contributions made, with what became of them.

Meeting times are naive wall-clock Europe/Amsterdam datetimes; record timestamps
are UTC (``utcnow``). Attendance and figures are derived from the rows.
"""
from __future__ import annotations

from datetime import date, datetime

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
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...extensions import db
from ...models import Expert, Partner, Region, utcnow

PLUGIN = "policy"
# Settings per region (PluginState.settings); these are the defaults, rules.settings() reads them.
DEFAULT_SETTINGS = {
    "load": 1,  # emotional load of one meeting for the planning round
}

LEVELS = ("strategic", "tactical", "operational")
KINDS = ("policy_table", "working_group", "platform", "critical_friends", "observation", "client_journey")
PERSPECTIVES = ("", "victim", "perpetrator")  # "" = any perspective
MEETING_STATUSES = ("planned", "held", "cancelled")
TALK_STATUSES = ("none", "planned", "done")
CONTRIBUTION_KINDS = ("oral", "written")
OUTCOMES = ("unknown", "adopted", "partly", "not_adopted")

meeting_expert = Table(
    "policy_meeting_expert", db.metadata,
    Column("meeting_id", ForeignKey("policy_meeting.id", ondelete="CASCADE"), primary_key=True),
    Column("expert_id", ForeignKey("expert.id", ondelete="CASCADE"), primary_key=True),
)
contribution_expert = Table(
    "policy_contribution_expert", db.metadata,
    Column("contribution_id", ForeignKey("policy_contribution.id", ondelete="CASCADE"), primary_key=True),
    Column("expert_id", ForeignKey("expert.id", ondelete="CASCADE"), primary_key=True),
)


class PolicyTable(db.Model):
    """A policy table, working group or platform the organisation sends experts to."""

    __tablename__ = "policy_table"
    __table_args__ = (UniqueConstraint("region_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    organisation: Mapped[str] = mapped_column(String(160), default="")
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id", ondelete="SET NULL"), index=True)
    level: Mapped[str] = mapped_column(String(12), default="tactical")
    kind: Mapped[str] = mapped_column(String(20), default="policy_table")
    description: Mapped[str] = mapped_column(Text, default="")
    # Who attends: a perspective (the scheduler's ``require``), specialties that fit (``prefer``).
    perspective: Mapped[str] = mapped_column(String(12), default="")
    preferred_specialties: Mapped[str] = mapped_column(String(300), default="")
    experts_needed: Mapped[int] = mapped_column(Integer, default=1)
    preparation_hours: Mapped[float] = mapped_column(Float, default=1)
    # Rotation: the planning avoids whoever went last time when another expert fits.
    rotation: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    region: Mapped[Region] = relationship()
    partner: Mapped[Partner | None] = relationship()
    meetings: Mapped[list[PolicyMeeting]] = relationship(back_populates="table", order_by="PolicyMeeting.starts_at")

    def __str__(self) -> str:
        return self.name


class PolicyMeeting(db.Model):
    """One meeting of a table, with its preliminary talk and the experts who attend."""

    __tablename__ = "policy_meeting"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("policy_table.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    place: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(10), default="planned")
    cancel_reason: Mapped[str] = mapped_column(String(200), default="")
    preparation_hours: Mapped[float | None] = mapped_column(Float)  # None: the table's
    # The preliminary talk (voorgesprek): the kind of meeting and the contribution expected.
    talk_status: Mapped[str] = mapped_column(String(10), default="none")
    talk_on: Mapped[date | None] = mapped_column(Date)
    talk_notes: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    region: Mapped[Region] = relationship()
    table: Mapped[PolicyTable] = relationship(back_populates="meetings")
    experts: Mapped[list[Expert]] = relationship(secondary=meeting_expert, order_by="Expert.id")

    @property
    def preparation(self) -> float:
        if self.preparation_hours is not None:
            return float(self.preparation_hours)
        return float(self.table.preparation_hours or 0) if self.table else 0.0

    def __str__(self) -> str:
        name = self.table.name if self.table else ""
        return f"{name} {self.starts_at:%d-%m-%Y %H:%M}" if self.starts_at else name


class PolicyContribution(db.Model):
    """Oral or written advice given at or for a table, and what became of it when known."""

    __tablename__ = "policy_contribution"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("policy_table.id"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("policy_meeting.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default="oral")
    given_on: Mapped[date] = mapped_column(Date)
    topic: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    hours: Mapped[float] = mapped_column(Float, default=0)  # writing time, on top of any meeting
    outcome: Mapped[str] = mapped_column(String(12), default="unknown")
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    outcome_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    region: Mapped[Region] = relationship()
    table: Mapped[PolicyTable] = relationship()
    meeting: Mapped[PolicyMeeting | None] = relationship()
    experts: Mapped[list[Expert]] = relationship(secondary=contribution_expert, order_by="Expert.id")

    def __str__(self) -> str:
        return self.topic or ""
