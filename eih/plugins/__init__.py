"""The plugin contract, discovery and per-region enablement.

A plugin is one object registered under the entry-point group ``eih.plugins``.
Every extension point the core calls (a *hook*) is declared on :class:`Plugin`
below, with its signature, what it must return and a default that does
nothing; a plugin overrides the hooks it needs and the core calls them
directly, never looking one up by name. Start-up checks every override against
its declaration (:func:`check_plugin`), so a hook with the wrong parameters
stops start-up with a :class:`PluginError` naming the plugin and the hook.

The core owns security: plugin views subclass eih.admin's secure classes and
declare ``plugin = "<name>"``, so a disabled plugin's pages 404 for that region.

Ids shared with the scheduler are built and read here and in eih.models, in
one function each: demand ids ``<plugin>:<kind>-<number>`` (:func:`demand_id`,
:func:`parse_demand_id`), expert codes ``ed-<id>`` (``eih.models.expert_code``,
``eih.models.parse_expert_code``).
"""
from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from flask import current_app
from flask_babel import gettext

from ..extensions import db
from ..models import PluginState, Region
from ..rules import RuleError

if TYPE_CHECKING:  # pragma: no cover - names for annotations only
    from flask import Flask

    from ..models import Expert

ENTRY_POINT_GROUP = "eih.plugins"


class PluginError(RuntimeError):
    """A plugin is unknown, broken or has unmet requirements: start-up stops."""


@dataclass(frozen=True)
class Period:
    """A planning period, both ends inclusive (dates)."""

    start: date
    end: date


# -- what hooks exchange with the core ---------------------------------------

@dataclass(frozen=True)
class Problem:
    """Something a plugin could not do with a published plan; shown to the project lead.

    ``message`` is English source text with ``%(name)s`` fields, marked with
    ``eih.rules.N_`` so it is in the plugin's catalog; ``details`` are more
    source texts (for example what is missing). They are stored untranslated
    with the plan version and read in the reader's language (:meth:`text`).
    """

    demand: str
    message: str
    fields: Mapping[str, Any] = field(default_factory=dict)
    details: tuple[str, ...] = ()

    @classmethod
    def from_error(cls, demand: str, error: RuleError) -> Problem:
        """The problem of a rule that refused a step of ``demand``."""
        return cls(demand, error.message, _plain(error.fields))

    def text(self) -> str:
        text = gettext(self.message, **self.fields)
        return f"{text} {'; '.join(gettext(d) for d in self.details)}" if self.details else text

    def to_dict(self) -> dict:
        return {"demand": self.demand, "message": self.message, "fields": dict(self.fields),
                "details": list(self.details)}

    @classmethod
    def from_dict(cls, data: Mapping) -> Problem:
        return cls(data["demand"], data["message"], dict(data.get("fields") or {}), tuple(data.get("details") or ()))


def _plain(fields: Mapping) -> dict:
    """Field values fit for JSON: numbers stay numbers, everything else becomes text."""
    return {k: v if isinstance(v, (int, float)) or v is None else str(v) for k, v in fields.items()}


@dataclass(frozen=True)
class WorkItem:
    """Work an expert did, for the timesheets (see :meth:`Plugin.worked`).

    The timesheets add up ``hours``; the planning round's load history adds up
    ``load`` of the weeks worked (each piece of work once) and takes the latest
    end of heavy work for the recovery rule: ``heavy_until`` when the plugin
    rates the work heavy itself (a contact form whose heaviness reaches the
    region's threshold), else, for work with a ``start``, heavy like a planned
    slot (``load`` at least the region's heavy load), ending ``hours`` later.
    """

    day: date
    hours: float
    activity: str  # the plugin name, or a kind of work ("casework", "intervision")
    label: str  # what the expert reads on the timesheet: no client data
    municipality_id: int | None = None
    partner_id: int | None = None
    heavy_until: datetime | None = None  # the end of work the plugin rates heavy: recovery starts then
    source: str = ""  # a stable key of the record, e.g. "casework:contact-12"
    load: float = 0.0  # emotional load, on the scale of the scheduler's demands
    start: datetime | None = None  # work at a fixed time that is rated like a planned slot (a held session)


# -- demand ids ----------------------------------------------------------------

_DEMAND_ID = re.compile(r"^(?P<plugin>[a-z][a-z0-9_]*):(?P<kind>[a-z][a-z0-9_]*)(?:-(?P<number>\d+))?$")


@dataclass(frozen=True)
class DemandRef:
    """A demand id read back: ``casework:req-12`` -> plugin casework, kind req, number 12."""

    plugin: str
    kind: str
    number: int | None = None

    def __str__(self) -> str:
        return demand_id(self.plugin, self.kind, self.number)


def demand_id(plugin: str, kind: str, number: int | None = None) -> str:
    """The stable scheduler id of a piece of work: ``<plugin>:<kind>-<number>``.

    ``number`` is the id of the record behind the work (a request, a session);
    work without one is ``<plugin>:<kind>``. Declines are stored by this id.
    """
    return f"{plugin}:{kind}" if number is None else f"{plugin}:{kind}-{number}"


def parse_demand_id(value: str) -> DemandRef | None:
    """``'casework:req-12'`` -> ``DemandRef('casework', 'req', 12)``; None for anything else."""
    match = _DEMAND_ID.match(value) if isinstance(value, str) else None
    if match is None:
        return None
    number = match.group("number")
    return DemandRef(match.group("plugin"), match.group("kind"), int(number) if number else None)


# -- the contract --------------------------------------------------------------

class Plugin:
    """Base class and contract of an activity plugin.

    Attributes (class attributes of the plugin; checked at start-up):

    ``name``
        Stable id: URLs, ``PluginState`` rows, demand ids, settings.
    ``label``
        The menu label, translated (``lazy_gettext``).
    ``requires``
        Names of the plugins it needs; they are loaded and enabled first.
    ``default_settings``
        Settings of a region where nothing was set (``settings_for``).
    ``cli``
        A click group, ``flask --app eih <name> ...``, or None.
    ``translations_dir``
        The folder of its catalog; None: ``translations/`` next to its package.
    ``shows_declines``
        True when its home panel lists the declines of its own work; the
        planning round's panel then leaves them out.

    Hooks are the methods below; the core calls them with the arguments shown,
    positionally. The defaults do nothing.
    """

    name: str = ""
    label: Any = ""
    requires: tuple[str, ...] = ()
    default_settings: Mapping[str, Any] = {}
    cli: click.Command | None = None
    translations_dir: str | Path | None = None
    shows_declines: bool = False

    # -- set-up ---------------------------------------------------------------
    def init_app(self, app: Flask) -> None:
        """Register the plugin's blueprints and template folder on ``app``.

        Called once at start-up, in the order of ``requires``, before the
        admin views are added. Models must be imported by then (their tables
        join the metadata).
        """

    def admin_views(self) -> list:
        """The plugin's Flask-Admin views.

        Each subclasses ``eih.admin.SecureModelView`` or ``SecureView`` and
        declares ``plugin = <name>``, so role, region and enablement are
        checked by the core.

        :returns: view instances, in menu order
        """
        return []

    # -- the weekly planning round ----------------------------------------------
    def demands(self, region: Region, period: Period) -> list:
        """The work of this plugin the scheduler should staff in ``period``.

        :param region: a region the plugin is enabled for
        :param period: the planning week
        :returns: ``eih.scheduler.Demand`` objects, ids made by :func:`demand_id`
        """
        return []

    def expert_history(self, region: Region, period: Period) -> dict[str, dict]:
        """What the plugin knows of each expert's past that is not a piece of work, before ``period``.

        Recent load and heavy work come from :meth:`worked` (weeks worked) and
        the published plans (weeks not yet worked), so each piece of work counts
        once; a ``load_recent`` given here is not used.

        :returns: expert code -> any of ``last_intervision`` (date),
            ``last_heavy_end`` (datetime; the latest over plugins and work counts)
        """
        return {}

    def apply(self, region: Region, plan, instance=None, user=None) -> list[Problem]:
        """Receive a published plan and act on the plugin's own demands.

        Called when the project lead publishes; idempotent (publishing the same
        plan twice changes nothing). Never bypasses a rule: what a rule refuses
        is left undone and reported. The core commits.

        :param plan: the published ``eih.scheduler.Plan``
        :param instance: the ``eih.scheduler.Instance`` it was made for
        :param user: who publishes (for the audit trail)
        :returns: the problems met, one :class:`Problem` per refused or
            unfinished step; stored with the version and shown to the lead
        """
        return []

    def on_decline(self, expert: Expert, demand: DemandRef, reason: str) -> None:
        """An expert declined one of this plugin's demands (``eih.declines``).

        The decline is recorded already and excludes the expert from the demand
        in later rounds; the plugin undoes what the expert had (a deployment, a
        facilitator's place). The caller commits.

        :param demand: the declined demand's id, read back
        :param reason: one of ``eih.models.DECLINE_REASONS``
        """

    # -- records and reports --------------------------------------------------------
    def worked(self, region: Region, expert: Expert, period: Period) -> list[WorkItem]:
        """The work ``expert`` did in ``period`` according to the plugin's records.

        For the timesheets and the load history: contact forms, held sessions,
        attended intervision. Only work that happened (not what was planned),
        dated within ``period``.

        :returns: :class:`WorkItem` objects, each with a stable ``source`` key
        """
        return []

    def report(self, region: Region, period: Period) -> dict:
        """Figures for the funders' report: counts only, never names.

        :returns: a JSON-ready dict
        """
        return {}

    # -- pages and data ------------------------------------------------------------
    def home_panels(self, user) -> list[dict]:
        """Panels for ``user``'s home page (only called when enabled for their region).

        :returns: ``dict(title=..., items=[(text, url or None)], empty=..., alert=bool)``
        """
        return []

    def demo(self, region: Region, today: date) -> None:
        """Add demo data to ``region`` around ``today``; idempotent. The caller commits."""

    # -- helpers (not hooks) ---------------------------------------------------------------
    def settings_for(self, region: Region | int) -> dict[str, Any]:
        """The plugin's settings in ``region``: its defaults, overridden by what was set there."""
        return plugin_settings(region, self.name, self.default_settings)

    def catalog_folder(self) -> str | None:
        """The folder of the plugin's translations, when there is one."""
        if self.translations_dir is not None:
            return str(self.translations_dir)
        module = sys.modules.get(type(self).__module__)
        folder = Path(module.__file__).resolve().parent / "translations" if module and module.__file__ else None
        return str(folder) if folder is not None and folder.is_dir() else None


HOOKS = ("init_app", "admin_views", "demands", "expert_history", "apply", "on_decline", "worked", "report",
         "home_panels", "demo")
ATTRIBUTES = {"requires": tuple, "default_settings": Mapping, "cli": (click.Command, type(None)),
              "translations_dir": (str, Path, type(None)), "shows_declines": bool}


def plugin_settings(region: Region | int, name: str, defaults: Mapping[str, Any]) -> dict[str, Any]:
    """``defaults``, overridden by the settings stored for plugin ``name`` in ``region``."""
    region_id = region if isinstance(region, int) else region.id
    state = db.session.execute(
        db.select(PluginState).filter_by(region_id=region_id, plugin=name)
    ).scalar_one_or_none()
    return {**defaults, **((state.settings or {}) if state else {})}


def _parameters(func) -> list[inspect.Parameter]:
    return list(inspect.signature(func).parameters.values())[1:]  # without self


def _describe(params: list[inspect.Parameter]) -> str:
    return "(" + ", ".join(str(p) for p in params) + ")"


def check_plugin(plugin: Plugin) -> None:
    """Every attribute of the right type, every overridden hook with the declared parameters.

    An override takes the declared parameters, same names, same order; it may
    add parameters with a default. Anything else stops start-up.
    """
    for attribute, kind in ATTRIBUTES.items():
        if not isinstance(getattr(plugin, attribute), kind):
            raise PluginError(f"plugin {plugin.name!r}: attribute {attribute!r} has the wrong type "
                              f"({type(getattr(plugin, attribute)).__name__})")
    for hook in HOOKS:
        given = inspect.getattr_static(plugin, hook)
        declared = getattr(Plugin, hook)
        if given is declared:
            continue
        if not inspect.isfunction(given):
            raise PluginError(f"plugin {plugin.name!r}: hook {hook!r} must be a method like "
                              f"{hook}{_describe(_parameters(declared))}")
        want, got = _parameters(declared), _parameters(given)
        positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        names_fit = [p.name for p in got[:len(want)]] == [p.name for p in want] and all(
            p.kind in positional for p in got[:len(want)])
        extra_fit = all(p.default is not inspect.Parameter.empty or p.kind in (
            inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD) for p in got[len(want):])
        if not (names_fit and extra_fit):
            raise PluginError(f"plugin {plugin.name!r}: hook {hook!r} must take {_describe(want)}, "
                              f"not {_describe(got)}")


# -- discovery and loading --------------------------------------------------------

def _discover() -> dict[str, Any]:
    found = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        found[ep.name] = ep
    return found


def _load(name: str, ep) -> Plugin:
    try:
        plugin = ep.load()
    except Exception as exc:  # a broken plugin must stop start-up, loudly
        raise PluginError(f"plugin {name!r} cannot be loaded: {type(exc).__name__}: {exc}") from exc
    if isinstance(plugin, type):
        plugin = plugin()
    if not isinstance(plugin, Plugin) or plugin.name != name:
        raise PluginError(f"plugin {name!r} does not provide a Plugin object named {name!r}")
    return plugin


def _order(plugins: dict[str, Plugin]) -> list[Plugin]:
    """Topological order by ``requires``; unknown requirements and cycles are errors."""
    ordered: list[Plugin] = []
    state: dict[str, str] = {}

    def visit(name: str, chain: tuple[str, ...]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            raise PluginError("plugins require each other in a cycle: " + " -> ".join(chain + (name,)))
        state[name] = "visiting"
        for req in plugins[name].requires:
            if req not in plugins:
                raise PluginError(f"plugin {name!r} requires {req!r}, which is not installed or not enabled in PLUGINS")
            visit(req, chain + (name,))
        state[name] = "done"
        ordered.append(plugins[name])

    for name in sorted(plugins):
        visit(name, ())
    return ordered


def load_plugins(app: Flask) -> list[Plugin]:
    """Find, filter (config PLUGINS), check and order the plugins; fail fast on problems."""
    available = _discover()
    extra = {p.name: p for p in app.config.get("EXTRA_PLUGINS") or []}
    wanted = app.config.get("PLUGINS")
    if isinstance(wanted, str):
        wanted = [w.strip() for w in wanted.split(",") if w.strip()]
    names = list(wanted) if wanted is not None else sorted(set(available) | set(extra))
    plugins: dict[str, Plugin] = {}
    for name in names:
        if name in extra:
            plugins[name] = extra[name]
        elif name in available:
            plugins[name] = _load(name, available[name])
        else:
            raise PluginError(f"unknown plugin {name!r} in PLUGINS; installed: {', '.join(sorted(available)) or 'none'}")
        check_plugin(plugins[name])
    return _order(plugins)


def planning_instance(region: Region, period: Period):
    """The ``eih.scheduler.Instance`` the planning round would solve for ``region`` and
    ``period`` now: the demands of every enabled plugin, the experts with their
    contracts, leave and recent load, and the plan published for the period
    (``previous``). A plugin asks the scheduler's own rules about it
    (``eih.scheduler.eligibility``) instead of re-implementing them.

    The planning round registers its builder at start-up; plugins never import it.
    """
    builder = current_app.extensions.get("eih_instance_builder")
    if builder is None:
        raise PluginError("the planning round is not loaded: no scheduler instance can be built")
    return builder(region, period)


def registry() -> dict[str, Plugin]:
    return current_app.extensions["eih_plugins"]


def get_plugin(name: str) -> Plugin | None:
    return registry().get(name)


def is_enabled(region_id: int | None, name: str) -> bool:
    if region_id is None or name not in registry():
        return False
    return bool(db.session.execute(
        db.select(PluginState.enabled).filter_by(region_id=region_id, plugin=name)
    ).scalar_one_or_none())


def enabled_plugins(region: Region | int) -> list[Plugin]:
    region_id = region if isinstance(region, int) else region.id
    on = set(db.session.execute(
        db.select(PluginState.plugin).filter_by(region_id=region_id, enabled=True)
    ).scalars())
    return [p for p in registry().values() if p.name in on]


def _set(region_id: int, name: str, enabled: bool) -> None:
    state = db.session.execute(
        db.select(PluginState).filter_by(region_id=region_id, plugin=name)
    ).scalar_one_or_none()
    if state is None:
        state = PluginState(region_id=region_id, plugin=name, settings={})
        db.session.add(state)
    state.enabled = enabled


def set_enabled(region_id: int, name: str, enabled: bool) -> list[str]:
    """Switch a plugin for a region; returns every plugin whose state changed.

    Enabling also enables what the plugin requires; disabling also disables
    the plugins that require it. Data is never deleted.
    """
    plugins = registry()
    if name not in plugins:
        raise PluginError(f"unknown plugin {name!r}")
    changed: list[str] = []
    todo = [name]
    seen: set[str] = set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        if is_enabled(region_id, current) != enabled:
            changed.append(current)
        _set(region_id, current, enabled)
        if enabled:
            todo.extend(plugins[current].requires)
        else:
            todo.extend(p.name for p in plugins.values() if current in p.requires)
    return changed


def init_plugins(app: Flask) -> list[Plugin]:
    plugins = load_plugins(app)
    app.extensions["eih_plugins"] = {p.name: p for p in plugins}
    for plugin in plugins:
        plugin.init_app(app)
    return plugins


__all__ = ["Plugin", "PluginError", "Period", "Problem", "WorkItem", "DemandRef", "demand_id", "parse_demand_id",
           "plugin_settings", "check_plugin", "planning_instance", "registry", "get_plugin", "is_enabled", "enabled_plugins",
           "set_enabled"]
