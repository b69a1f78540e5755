"""The plugin contract, discovery and per-region enablement.

A plugin is one object registered under the entry-point group ``eih.plugins``.
The core owns security: plugin views subclass eih.admin's secure classes and
declare ``plugin = "<name>"``, so a disabled plugin's pages 404 for that region.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models import PluginState, Region

if TYPE_CHECKING:  # pragma: no cover
    from flask import Flask

ENTRY_POINT_GROUP = "eih.plugins"


class PluginError(RuntimeError):
    """A plugin is unknown, broken or has unmet requirements: start-up stops."""


@dataclass(frozen=True)
class Period:
    """A planning period, both ends inclusive (dates)."""

    start: date
    end: date


class Plugin:
    """Base class and contract of an activity plugin."""

    name: str = ""
    label: Any = ""
    requires: tuple[str, ...] = ()
    # Default settings, merged with PluginState.settings of a region.
    default_settings: dict[str, Any] = {}

    def init_app(self, app: Flask) -> None:
        """Register blueprints, templates and CLI commands."""

    def admin_views(self) -> list:
        """Flask-Admin views (subclasses of eih.admin secure classes)."""
        return []

    def demands(self, region: Region, period: Period) -> list:
        """The scheduler demands (eih.scheduler.Demand) of this region and period."""
        return []

    def apply(self, region: Region, plan, instance=None) -> None:
        """Receive a published plan (eih.scheduler.Plan)."""

    def report(self, region: Region, period: Period) -> dict:
        """Figures for the funders' report."""
        return {}

    def settings_for(self, region: Region | int) -> dict[str, Any]:
        region_id = region if isinstance(region, int) else region.id
        state = db.session.execute(
            db.select(PluginState).filter_by(region_id=region_id, plugin=self.name)
        ).scalar_one_or_none()
        return {**self.default_settings, **((state.settings or {}) if state else {})}


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
    """Find, filter (config PLUGINS) and order the plugins; fail fast on problems."""
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
    return _order(plugins)


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


__all__ = ["Plugin", "PluginError", "Period", "registry", "get_plugin", "is_enabled",
           "enabled_plugins", "set_enabled", "_l"]
