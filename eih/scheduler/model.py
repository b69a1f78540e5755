"""The scheduler's data model: plain dataclasses, no behaviour beyond small helpers.

Times are naive local datetimes (Europe/Amsterdam, no offset); dates are
``datetime.date``. The JSON formats ``eih-instance/1`` and ``eih-plan/1`` map
one to one onto these classes (see :mod:`eih.scheduler.io`).

Decisions where the contract is silent (documented here so the web app and the
solver agree):

* A demand's ``hours`` defaults to its slot length; a capacity demand (no slot)
  must give ``hours``.
* A capacity demand costs its ``hours`` and ``load`` in every ISO week of the
  period; a slot demand counts in the ISO week of its start.
* A demand with ``all_experts`` ignores ``experts_needed``: it needs every expert
  of its region who is available in its slot (and meets its ``require``/``exclude``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

INSTANCE_FORMAT = "eih-instance/1"
PLAN_FORMAT = "eih-plan/1"

STATUS_OPTIMAL = "optimal"
STATUS_FEASIBLE = "feasible"
STATUS_INVALID_INPUT = "invalid-input"
STATUSES = (STATUS_OPTIMAL, STATUS_FEASIBLE, STATUS_INVALID_INPUT)

#: Objective keys in strict priority order, with their sense.
OBJECTIVE_LEVELS = (
    ("coverage", "max"),
    ("continuity", "max"),
    ("changes", "min"),
    ("intervision_overdue", "min"),
    ("overtime", "min"),
    ("max_relative_load", "min"),
    ("below_min", "min"),
    ("preferences", "max"),
    ("spread", "min"),
)


@dataclass
class Slot:
    start: datetime
    end: datetime

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600


@dataclass
class Requirements:
    gender: str | None = None
    perspective: str | None = None
    languages: list[str] = field(default_factory=list)
    specialties: list[str] = field(default_factory=list)


@dataclass
class Preferences:
    cultures: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    specialties: list[str] = field(default_factory=list)


@dataclass
class Demand:
    id: str
    kind: str  # casework, supportgroup, intervision, teammeeting, information, policy, ... (free)
    label: str = ""
    region: str | None = None
    slot: Slot | None = None  # None = capacity demand
    hours: float | None = None  # None -> slot length (required for capacity demands)
    load: float = 0
    priority: int = 1
    experts_needed: int = 1
    require: Requirements = field(default_factory=Requirements)
    prefer: Preferences = field(default_factory=Preferences)
    continuity: list[str] = field(default_factory=list)
    pinned: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    all_experts: bool = False
    # why an expert of ``exclude`` is excluded: expert id -> a short code the web app words
    # ("light-week"); an exclusion without one is said as plain "excluded"
    exclude_reasons: dict[str, str] = field(default_factory=dict)

    @property
    def effective_hours(self) -> float:
        """Hours the demand costs (per week for capacity demands)."""
        if self.hours is not None:
            return float(self.hours)
        if self.slot is not None:
            return self.slot.hours
        return 0.0


@dataclass
class Contract:
    min_hours: float = 0
    max_hours: float = 0
    overtime_hours: float = 0


@dataclass
class Unavailable:
    start: datetime
    end: datetime
    reason: str = ""


@dataclass
class History:
    load_recent: float = 0
    last_intervision: date | None = None
    last_heavy_end: datetime | None = None


@dataclass
class Expert:
    id: str
    name: str = ""
    region: str | None = None
    gender: str | None = None
    perspectives: list[str] = field(default_factory=list)
    cultures: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    specialties: list[str] = field(default_factory=list)
    contract: Contract = field(default_factory=Contract)
    max_load: float | None = None
    unavailable: list[Unavailable] = field(default_factory=list)
    history: History = field(default_factory=History)


@dataclass
class Settings:
    heavy_load: float = 3
    recovery_hours: float = 12
    max_heavy_per_day: int = 1
    max_load_per_week: float | None = None
    buffer_minutes: int = 0
    intervision_days: int = 42
    time_limit_s: float = 10
    seed: int = 0


@dataclass
class Instance:
    period_start: date
    period_end: date
    settings: Settings
    experts: list[Expert]
    demands: list[Demand]
    previous: dict[str, list[str]] = field(default_factory=dict)

    def expert(self, expert_id: str) -> Expert:
        for e in self.experts:
            if e.id == expert_id:
                return e
        raise KeyError(expert_id)

    def demand(self, demand_id: str) -> Demand:
        for d in self.demands:
            if d.id == demand_id:
                return d
        raise KeyError(demand_id)

    @property
    def period_start_dt(self) -> datetime:
        return datetime.combine(self.period_start, datetime.min.time())

    @property
    def period_end_dt(self) -> datetime:
        """Exclusive end: midnight after the period's last day."""
        return datetime.combine(self.period_end, datetime.min.time()) + timedelta(days=1)


@dataclass
class Assignment:
    demand: str
    experts: list[str]
    why: list[str] = field(default_factory=list)


@dataclass
class Unassigned:
    demand: str
    reasons: list[str] = field(default_factory=list)


@dataclass
class ExpertSummary:
    id: str
    hours: float
    load: float
    relative_load: float
    overtime: float
    below_min: float


@dataclass
class Plan:
    status: str
    assignments: list[Assignment]
    unassigned: list[Unassigned]
    experts: list[ExpertSummary]
    objective: dict
    solve_seconds: float = 0.0

    def mapping(self) -> dict[str, list[str]]:
        """Demand id -> assigned expert ids."""
        return {a.demand: list(a.experts) for a in self.assignments}
