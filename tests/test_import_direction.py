"""The arrows between the parts, read from the source: the scheduler imports nothing of
the web app, plugins never import the planning round or the hours, the core never imports
a plugin.

Every import counts, also one inside a function."""
from __future__ import annotations

import ast
from pathlib import Path

EIH = Path(__file__).resolve().parent.parent / "eih"
WEB_STACK = ("flask", "flask_admin", "flask_babel", "flask_login", "flask_wtf", "flask_sqlalchemy", "flask_migrate",
             "sqlalchemy", "wtforms", "werkzeug", "jinja2")
PLUGIN_PACKAGES = sorted(p.name for p in (EIH / "plugins").iterdir() if (p / "__init__.py").exists())


def _module(path: Path) -> list[str]:
    parts = list(path.relative_to(EIH.parent).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in ``path``, relative ones resolved."""
    package = _module(path) if path.name == "__init__.py" else _module(path)[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def _sources(*folders: str, files_of: str | None = None):
    for folder in folders:
        yield from (EIH / folder).rglob("*.py")
    if files_of is not None:
        yield from (EIH / files_of).glob("*.py")


def _violations(paths, forbidden) -> list[str]:
    return [f"{path.relative_to(EIH.parent)}:{line} imports {name}"
            for path in paths for line, name in imports(path) if forbidden(name)]


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_the_scheduler_imports_nothing_of_the_web_app():
    def forbidden(name):
        if _within(name, "eih"):
            return not _within(name, "eih.scheduler")
        return name.split(".")[0] in WEB_STACK
    assert not _violations(_sources("scheduler"), forbidden)


def test_plugins_never_import_the_planning_round_or_the_hours():
    plugins = [p for p in _sources("plugins") if p.parent != EIH / "plugins"]
    assert not _violations(plugins, lambda name: _within(name, "eih.planning") or _within(name, "eih.hours"))


def test_the_hours_package_imports_nothing_when_it_is_imported():
    """The planning round imports eih.hours.work while it is itself being imported; the
    package's own __init__ must not import the pages, which read the published plans."""
    assert [name for _line, name in imports(EIH / "hours" / "__init__.py")] == []


def test_the_core_never_imports_a_plugin_package():
    core = list(_sources("auth", "planning", "hours", files_of="."))
    core += (EIH / "plugins").glob("*.py")  # the contract and the registry are core as well
    assert PLUGIN_PACKAGES, "no plugin packages found"
    assert not _violations(core, lambda name: any(_within(name, f"eih.plugins.{p}") for p in PLUGIN_PACKAGES))


def test_the_reader_resolves_relative_imports():
    """The checks above only mean something when the reader sees through ``from ..x import y``."""
    casework_demands = imports(EIH / "plugins" / "casework" / "demands.py")
    assert any(name == "eih.scheduler" for _line, name in casework_demands)
    assert any(name == "eih.plugins.casework.rules" for _line, name in casework_demands)
    planning = imports(EIH / "planning" / "__init__.py")
    assert any(name == "eih.home.register_home_panel" for _line, name in planning)
