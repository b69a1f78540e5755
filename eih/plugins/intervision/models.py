"""Intervision tables: the cycle per region, sessions, team meetings, attendance
and supervision requests.

Session and meeting times are naive wall-clock Europe/Amsterdam datetimes;
record timestamps are UTC (``utcnow``). Nothing here is a counter: the rhythm
(last attended, days since, overdue) is derived from the attendance rows.
"""
from __future__ import annotations

from datetime import datetime, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...extensions import db
from ...models import Expert, Region, utcnow

PLUGIN = "intervision"
# Settings per region (PluginState.settings); these are the defaults, rules.settings() reads them.
# A region's cycle starts from them and keeps its own values afterwards.
DEFAULT_SETTINGS = {"interval_weeks": 6, "overdue_days": 42, "long_leave_days": 14, "meeting_interval_weeks": 2}

SESSION_STATUSES = ("planned", "held", "cancelled")
ATTENDANCE_STATUSES = ("expected", "present", "absent")
ABSENCE_REASONS = ("sickness", "leave", "client_work", "personal", "other")
MEETING_MODES = ("online", "on_site")
SUPERVISION_REASONS = ("emotional_load", "specific_case", "personal", "professional_growth", "other")
SUPERVISION_STATUSES = ("requested", "approved", "planned", "done", "declined")


class Cycle(db.Model):
    """The rhythm of one region: intervision every N weeks, team meetings every M weeks."""

    __tablename__ = "intervision_cycle"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), unique=True)
    interval_weeks: Mapped[int] = mapped_column(Integer, default=DEFAULT_SETTINGS["interval_weeks"])
    facilitator_name: Mapped[str] = mapped_column(String(120), default="")
    facilitator_contact: Mapped[str] = mapped_column(String(200), default="")
    weekday: Mapped[int] = mapped_column(Integer, default=2)  # 0 = Monday
    start_time: Mapped[time] = mapped_column(Time, default=time(13, 0))
    duration_minutes: Mapped[int] = mapped_column(Integer, default=150)
    location: Mapped[str] = mapped_column(String(160), default="")
    # Team meetings: the second, simpler rhythm competing for the same hours.
    meeting_interval_weeks: Mapped[int] = mapped_column(Integer, default=DEFAULT_SETTINGS["meeting_interval_weeks"])
    meeting_weekday: Mapped[int] = mapped_column(Integer, default=0)
    meeting_time: Mapped[time] = mapped_column(Time, default=time(10, 0))
    meeting_minutes: Mapped[int] = mapped_column(Integer, default=60)
    meeting_mode: Mapped[str] = mapped_column(String(10), default="online")
    meeting_location: Mapped[str] = mapped_column(String(160), default="")
    # Dashboard thresholds, editable by lead and coordinator.
    overdue_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_SETTINGS["overdue_days"])
    long_leave_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_SETTINGS["long_leave_days"])

    region: Mapped[Region] = relationship()

    def __str__(self) -> str:
        return str(_l("Intervision cycle")) + (f" {self.region.name}" if self.region else "")


class _AttendanceMixin:
    status: Mapped[str] = mapped_column(String(10), default="expected")
    reason: Mapped[str] = mapped_column(String(20), default="")  # absence reason category only
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class IntervisionSession(db.Model):
    """One guided intervision session with the external facilitator."""

    __tablename__ = "intervision_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    start: Mapped[datetime] = mapped_column(DateTime, index=True)
    end: Mapped[datetime] = mapped_column(DateTime)
    location: Mapped[str] = mapped_column(String(160), default="")
    facilitator_name: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[str] = mapped_column(String(10), default="planned")
    # Free text, never client data; shown to the team of the region only.
    themes: Mapped[str] = mapped_column(Text, default="")
    # Where it was first planned: a moved session keeps its history visible.
    moved_from: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    region: Mapped[Region] = relationship()
    attendance: Mapped[list[IntervisionAttendance]] = relationship(
        back_populates="session", cascade="all, delete-orphan")

    def __str__(self) -> str:
        label = str(_l("Intervision"))
        return f"{label} {self.start:%d-%m-%Y %H:%M}" if self.start else label


class IntervisionAttendance(_AttendanceMixin, db.Model):
    __tablename__ = "intervision_attendance"
    __table_args__ = (UniqueConstraint("session_id", "expert_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("intervision_session.id", ondelete="CASCADE"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id"), index=True)

    session: Mapped[IntervisionSession] = relationship(back_populates="attendance")
    expert: Mapped[Expert] = relationship()


class TeamMeeting(db.Model):
    """The two-weekly team meeting, online or on site."""

    __tablename__ = "intervision_team_meeting"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    start: Mapped[datetime] = mapped_column(DateTime, index=True)
    end: Mapped[datetime] = mapped_column(DateTime)
    mode: Mapped[str] = mapped_column(String(10), default="online")
    location: Mapped[str] = mapped_column(String(160), default="")
    status: Mapped[str] = mapped_column(String(10), default="planned")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    region: Mapped[Region] = relationship()
    attendance: Mapped[list[TeamMeetingAttendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan")

    def __str__(self) -> str:
        label = str(_l("Team meeting"))
        return f"{label} {self.start:%d-%m-%Y %H:%M}" if self.start else label


class TeamMeetingAttendance(_AttendanceMixin, db.Model):
    __tablename__ = "intervision_team_meeting_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "expert_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("intervision_team_meeting.id", ondelete="CASCADE"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id"), index=True)

    meeting: Mapped[TeamMeeting] = relationship(back_populates="attendance")
    expert: Mapped[Expert] = relationship()


class SupervisionRequest(db.Model):
    """An expert's request for individual supervision.

    ``details`` are private: the requesting expert and the project lead only.
    """

    __tablename__ = "intervision_supervision_request"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id"), index=True)
    reason: Mapped[str] = mapped_column(String(30))
    details: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="requested")
    supervisor_name: Mapped[str] = mapped_column(String(120), default="")  # may be external: a name only
    planned_for: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    external: Mapped[bool] = mapped_column(Boolean, default=False)

    region: Mapped[Region] = relationship()
    expert: Mapped[Expert] = relationship()

    def __str__(self) -> str:
        return str(_l("Supervision request")) + f" #{self.id}"
