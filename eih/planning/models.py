"""Planning tables: settings per region, solve runs, published plan versions,
calendar tokens.

A run keeps the exact instance and plan it produced (eih-instance/1 and
eih-plan/1 JSON), so any plan can be reproduced with ``eih-schedule``. The
lead's manual edits live on the run as ``working`` assignments, ``pins`` and
``removals``; publishing freezes the working assignments into a PlanVersion,
which is never edited afterwards.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import Expert, Region, User, utcnow

RUN_STATES = ("queued", "running", "done", "failed")
# A region's planning settings until the lead changes them (PlanningSettings); the one place of these defaults.
DEFAULT_SETTINGS = {"heavy_load": 3, "recovery_hours": 12, "max_heavy_per_day": 1, "max_load_per_week": None,
                    "buffer_minutes": 30, "intervision_days": 42, "time_limit_s": 10}


class PlanningSettings(db.Model):
    __tablename__ = "planning_settings"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), unique=True)
    heavy_load: Mapped[float] = mapped_column(Float, default=DEFAULT_SETTINGS["heavy_load"])
    recovery_hours: Mapped[float] = mapped_column(Float, default=DEFAULT_SETTINGS["recovery_hours"])
    max_heavy_per_day: Mapped[int] = mapped_column(Integer, default=DEFAULT_SETTINGS["max_heavy_per_day"])
    max_load_per_week: Mapped[float | None] = mapped_column(Float, default=DEFAULT_SETTINGS["max_load_per_week"])
    buffer_minutes: Mapped[int] = mapped_column(Integer, default=DEFAULT_SETTINGS["buffer_minutes"])
    intervision_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_SETTINGS["intervision_days"])
    time_limit_s: Mapped[float] = mapped_column(Float, default=DEFAULT_SETTINGS["time_limit_s"])

    region: Mapped[Region] = relationship()


class SolveRun(db.Model):
    __tablename__ = "planning_run"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    progress: Mapped[str] = mapped_column(String(200), default="")
    error: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("planning_run.id", ondelete="SET NULL"))
    instance_json: Mapped[str] = mapped_column(Text, default="")
    plan_json: Mapped[str] = mapped_column(Text, default="")
    # The lead's working copy: demand id -> expert codes; pins and removals
    # carry over to a re-solve.
    working: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    pins: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    removals: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    region: Mapped[Region] = relationship()
    created_by: Mapped[User | None] = relationship()

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")


class PlanVersion(db.Model):
    """A published plan: immutable; the newest version of a period is in force."""

    __tablename__ = "planning_version"
    __table_args__ = (UniqueConstraint("region_id", "period_start", "period_end", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    period_start: Mapped[date] = mapped_column(Date, index=True)
    period_end: Mapped[date] = mapped_column(Date)
    number: Mapped[int] = mapped_column(Integer)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("planning_run.id", ondelete="SET NULL"))
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    published_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    instance_json: Mapped[str] = mapped_column(Text)
    plan_json: Mapped[str] = mapped_column(Text)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    violations: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # What the plugins could not carry out when it was published (eih.plugins.Problem.to_dict),
    # untranslated: the version page shows them in the reader's language.
    problems: Mapped[list[Any]] = mapped_column(JSON, default=list)

    region: Mapped[Region] = relationship()
    published_by: Mapped[User | None] = relationship()


class CalendarToken(db.Model):
    """A personal calendar feed. Only a hash of the secret is stored."""

    __tablename__ = "planning_calendar_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    expert: Mapped[Expert] = relationship()
