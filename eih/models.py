"""Core tables: who works where, and what happened.

Event times that people plan by (leave, sessions) are wall-clock times in
Europe/Amsterdam, stored naive; record timestamps (audit, creation) are UTC.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from .clock import utcnow  # the models' record stamps; importers use it from here too
from .extensions import db

ROLES = ("admin", "lead", "coordinator", "expert")
GENDERS = ("female", "male", "other")
PERSPECTIVES = ("victim", "perpetrator")
UNAVAILABILITY_REASONS = ("leave", "sickness", "training", "other")
AUDIT_ACTIONS = ("view", "create", "update", "delete", "export", "login", "login-failed", "logout", "publish", "decline")


def split_list(value: str | None) -> list[str]:
    """'nl, ar' -> ['nl', 'ar']; the storage form of small tag lists."""
    return [part.strip() for part in (value or "").split(",") if part.strip()]


class Region(db.Model):
    __tablename__ = "region"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)

    municipalities: Mapped[list[Municipality]] = relationship(back_populates="region", order_by="Municipality.name")

    @property
    def central_municipality(self) -> Municipality | None:
        return next((m for m in self.municipalities if m.is_central), None)

    def __str__(self) -> str:
        return self.name


class Municipality(db.Model):
    __tablename__ = "municipality"
    __table_args__ = (UniqueConstraint("region_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    is_central: Mapped[bool] = mapped_column(Boolean, default=False)
    # Funders' reports group cases by the municipalities that pay.
    is_funder: Mapped[bool] = mapped_column(Boolean, default=False)

    region: Mapped[Region] = relationship(back_populates="municipalities")

    def __str__(self) -> str:
        return self.name


class Partner(db.Model):
    """A partner organisation (beschermpartner) that requests experts."""

    __tablename__ = "partner"
    __table_args__ = (UniqueConstraint("region_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    region: Mapped[Region] = relationship()

    def __str__(self) -> str:
        return self.name


class User(UserMixin, db.Model):
    __tablename__ = "user"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    role: Mapped[str] = mapped_column(String(20), default="expert")
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)

    region: Mapped[Region | None] = relationship()
    expert: Mapped[Expert | None] = relationship(back_populates="user", uselist=False)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return bool(self.active)

    def set_password(self, password: str) -> None:
        # scrypt, werkzeug's default: memory-hard and salted.
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class Expert(db.Model):
    """The profile of an expert by experience (ervaringsdeskundige)."""

    __tablename__ = "expert"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), unique=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    gender: Mapped[str] = mapped_column(String(10))
    perspectives: Mapped[str] = mapped_column(String(60), default="")
    cultures: Mapped[str] = mapped_column(String(200), default="")
    languages: Mapped[str] = mapped_column(String(200), default="nl")
    specialties: Mapped[str] = mapped_column(String(300), default="")
    min_hours: Mapped[float] = mapped_column(Float, default=16)
    max_hours: Mapped[float] = mapped_column(Float, default=24)
    overtime_hours: Mapped[float] = mapped_column(Float, default=0)
    max_load: Mapped[float | None] = mapped_column(Float)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    user: Mapped[User] = relationship(back_populates="expert")
    region: Mapped[Region] = relationship()
    unavailability: Mapped[list[Unavailability]] = relationship(
        back_populates="expert", order_by="Unavailability.start", cascade="all, delete-orphan"
    )

    @property
    def name(self) -> str:
        return self.user.name if self.user else ""

    @property
    def code(self) -> str:
        """Stable id of this expert in scheduler instances and plans."""
        return expert_code(self.id)

    def tags(self, field: str) -> list[str]:
        return split_list(getattr(self, field))

    def __str__(self) -> str:
        return self.name


class Unavailability(db.Model):
    __tablename__ = "unavailability"
    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id"), index=True)
    start: Mapped[datetime] = mapped_column(DateTime)
    end: Mapped[datetime] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(String(20), default="leave")
    note: Mapped[str] = mapped_column(String(200), default="")

    expert: Mapped[Expert] = relationship(back_populates="unavailability")

    def __str__(self) -> str:
        return f"{self.reason} {self.start:%Y-%m-%d} - {self.end:%Y-%m-%d}"


class PluginState(db.Model):
    """Whether a plugin is switched on for a region, and its settings there."""

    __tablename__ = "plugin_state"
    __table_args__ = (UniqueConstraint("region_id", "plugin"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    plugin: Mapped[str] = mapped_column(String(60))
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    region: Mapped[Region] = relationship()


class AuditEvent(db.Model):
    """Who did what to which record, when. Never the content itself."""

    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(20), index=True)
    object_type: Mapped[str] = mapped_column(String(60), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="")
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id", ondelete="SET NULL"), index=True)
    ip: Mapped[str] = mapped_column(String(45), default="")
    detail: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User | None] = relationship()
    region: Mapped[Region | None] = relationship()


DECLINE_REASONS = ("unsafe", "conflict", "capacity", "other")


def expert_code(expert_id: int) -> str:
    """12 -> 'ed-12': an expert's id in scheduler instances and plans (Expert.code)."""
    return f"ed-{expert_id}"


def parse_expert_code(code: str) -> int | None:
    """'ed-12' -> 12 (the id of Expert.code); None for anything else."""
    if isinstance(code, str) and code.startswith("ed-") and code[3:].isdigit():
        return int(code[3:])
    return None


class Decline(db.Model):
    """An expert said no to a piece of work. Kept for good: no one may erase it.

    ``demand_key`` is the stable scheduler demand id (``<plugin>:<local id>``);
    the expert is excluded from that demand from then on.
    """

    __tablename__ = "decline"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id"), index=True)
    demand_key: Mapped[str] = mapped_column(String(120), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")  # private: the expert and the lead only
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # The lead has seen it (acknowledged on the home page); the decline itself stays.
    seen_at: Mapped[datetime | None] = mapped_column(DateTime)

    expert: Mapped[Expert] = relationship()
    region: Mapped[Region] = relationship()
