"""The engine stands on its own: no web stack when it is imported, no import cycles inside."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "eih" / "scheduler"
WEB_STACK = ("flask", "flask_admin", "flask_babel", "flask_login", "flask_sqlalchemy", "flask_wtf", "sqlalchemy")


def test_importing_the_scheduler_loads_no_flask_flask_admin_or_sqlalchemy():
    code = ("import sys, eih.scheduler, eih.scheduler.cli; "
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {WEB_STACK!r}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_web_apps_factory_is_still_found_as_eih_create_app():
    code = "import eih, inspect; print(inspect.isfunction(eih.create_app), eih.create_app.__module__)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "eih.app"]


def _imported_modules(path: Path) -> set[str]:
    """The scheduler's modules a file imports (relative imports, anywhere in the file)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            names = [node.module] if node.module else [a.name for a in node.names]
            out |= {name.split(".")[0] for name in names if (PACKAGE / f"{name.split('.')[0]}.py").exists()}
    return out


def test_the_schedulers_modules_import_each_other_without_a_cycle():
    graph = {p.stem: _imported_modules(p) for p in PACKAGE.glob("*.py") if p.stem not in ("__init__", "__main__")}
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, " -> ".join(path + (module,))
        if module in done:
            return
        for other in sorted(graph.get(module, ())):
            visit(other, path + (module,))
        done.add(module)

    for module in sorted(graph):
        visit(module, ())


def test_an_import_inside_a_function_says_why_it_is_not_at_the_top():
    for path in PACKAGE.glob("*.py"):
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        top = set(map(id, tree.body))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in top:
                line = lines[node.lineno - 1]
                above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
                assert "#" in line or above.startswith("#"), f"{path.name}:{node.lineno}: {line.strip()}"
