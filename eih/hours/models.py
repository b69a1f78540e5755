"""Hours tables: a timesheet per expert and ISO week with its rows, blocked
hours of other work and light weeks.

Rows from the plugins' records are not stored while a week is open: the
timesheet shows them live, so a corrected contact form corrects the week.
Submitting stores them with the expert's own rows (``origin`` "record" and
"own"); an approved week is locked. Returning a week drops the stored record
rows again. Totals, overtime and balances are derived from rows, never stored.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import Expert, Municipality, Partner, Region, User, utcnow

STATUSES = ("open", "submitted", "returned", "approved")
LOCKED = ("submitted", "approved")  # the stored rows are the week; the expert cannot change them
# What an expert writes for work outside the plugins; "compensation" is time off in lieu of overtime.
OWN_ACTIVITIES = ("travel", "preparation", "training", "administration", "other", "compensation")
COMPENSATION = "compensation"
ORIGINS = ("record", "own")


class Timesheet(db.Model):
    """One expert's week (Monday ``week_start``): its state and the lead's decision."""

    __tablename__ = "hours_timesheet"
    __table_args__ = (UniqueConstraint("expert_id", "week_start"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id"), index=True)
    week_start: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(10), default="open")
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    comment: Mapped[str] = mapped_column(Text, default="")  # the lead's comment when returning the week

    region: Mapped[Region] = relationship()
    expert: Mapped[Expert] = relationship()
    decided_by: Mapped[User | None] = relationship()
    entries: Mapped[list[Entry]] = relationship(back_populates="timesheet", cascade="all, delete-orphan",
                                                order_by=lambda: (Entry.day, Entry.id))

    @property
    def locked(self) -> bool:
        return self.status in LOCKED

    @property
    def week(self) -> str:
        """The ISO week, e.g. 2026-W49."""
        return f"{self.week_start:%G-W%V}"

    def __str__(self) -> str:
        return f"{self.expert.name if self.expert else ''} {self.week_start:%G-W%V}"


class Entry(db.Model):
    """One row of a timesheet: work on a day, never client data."""

    __tablename__ = "hours_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    timesheet_id: Mapped[int] = mapped_column(ForeignKey("hours_timesheet.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    hours: Mapped[float] = mapped_column(Float)
    activity: Mapped[str] = mapped_column(String(30))
    label: Mapped[str] = mapped_column(String(200), default="")
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id", ondelete="SET NULL"))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id", ondelete="SET NULL"))
    origin: Mapped[str] = mapped_column(String(10), default="own")
    source: Mapped[str] = mapped_column(String(120), default="")  # the plugin record's key, for "record" rows
    load: Mapped[float] = mapped_column(Float, default=0)
    start: Mapped[datetime | None] = mapped_column(DateTime)
    heavy_until: Mapped[datetime | None] = mapped_column(DateTime)

    timesheet: Mapped[Timesheet] = relationship(back_populates="entries")
    municipality: Mapped[Municipality | None] = relationship()
    partner: Mapped[Partner | None] = relationship()

    @property
    def region_id(self) -> int:
        return self.timesheet.region_id


class Block(db.Model):
    """Hours of an expert's week kept for other work (a training, a presentation):
    the planning round gives them to the expert as fixed work."""

    __tablename__ = "hours_block"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id"), index=True)
    week_start: Mapped[date] = mapped_column(Date, index=True)
    hours: Mapped[float] = mapped_column(Float)
    description: Mapped[str] = mapped_column(String(120))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    expert: Mapped[Expert] = relationship()
    created_by: Mapped[User | None] = relationship()


class LightWeek(db.Model):
    """A week of lighter work (*lichter werk*): the expert gets no heavy demands."""

    __tablename__ = "hours_light_week"
    __table_args__ = (UniqueConstraint("expert_id", "week_start"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id"), index=True)
    week_start: Mapped[date] = mapped_column(Date, index=True)
    note: Mapped[str] = mapped_column(String(200), default="")  # only the expert, the lead and the coordinator see it
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    expert: Mapped[Expert] = relationship()
    created_by: Mapped[User | None] = relationship()
