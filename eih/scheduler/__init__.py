"""Pure-Python scheduler engine for Ervaring in Huis (no Flask, no SQLAlchemy).

The web app turns its rows into an :class:`Instance`, calls :func:`solve`, and
stores the :class:`Plan`. The same objects read and write as JSON
(``eih-instance/1``, ``eih-plan/1``) through :mod:`eih.scheduler.io`. Every
sentence the engine says is a :class:`Reason`: English, with a key and fields that
a :class:`Wording` says in another language (:mod:`eih.scheduler.reasons`).
Importing this package loads OR-Tools and the standard library, nothing of the web app.
"""

from .eligibility import eligible, eligible_experts, ineligibility_reasons
from .explain import explain, explain_text
from .generator import generate
from .greedy import greedy
from .io import (
    InputError,
    dumps,
    instance_from_dict,
    instance_to_dict,
    plan_from_dict,
    plan_to_dict,
    read_instance,
    read_plan,
)
from .model import (
    INSTANCE_FORMAT,
    OBJECTIVE_LEVELS,
    PLAN_FORMAT,
    Assignment,
    Contract,
    Demand,
    Expert,
    ExpertSummary,
    History,
    Instance,
    Plan,
    Preferences,
    Requirements,
    Settings,
    Slot,
    Unassigned,
    Unavailable,
)
from .reasons import Reason, Wording
from .solver import solve
from .validator import Violation, validate, validate_assignments

__all__ = [
    "INSTANCE_FORMAT", "OBJECTIVE_LEVELS", "PLAN_FORMAT",
    "Assignment", "Contract", "Demand", "Expert", "ExpertSummary", "History",
    "Instance", "Plan", "Preferences", "Requirements", "Settings", "Slot",
    "Unassigned", "Unavailable",
    "InputError", "dumps", "instance_from_dict", "instance_to_dict",
    "plan_from_dict", "plan_to_dict", "read_instance", "read_plan",
    "eligible", "eligible_experts", "ineligibility_reasons",
    "Violation", "validate", "validate_assignments",
    "solve", "greedy", "explain", "explain_text", "generate", "Reason", "Wording",
]
