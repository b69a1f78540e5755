"""The plugin contract: every hook declared on eih.plugins.Plugin, checked at start-up,
one return type for apply(), one way to build and read demand ids and expert codes."""
from __future__ import annotations

import ast
import inspect
from datetime import date
from pathlib import Path

import click
import pytest
from flask_babel import force_locale

from eih.models import expert_code, parse_expert_code
from eih.plugins import (
    ATTRIBUTES,
    HOOKS,
    DemandRef,
    Period,
    Plugin,
    PluginError,
    Problem,
    WorkItem,
    check_plugin,
    demand_id,
    parse_demand_id,
)
from eih.plugins.casework import plugin as casework
from eih.plugins.intervision import plugin as intervision
from eih.plugins.outreach import plugin as outreach
from eih.plugins.policy import plugin as policy
from eih.plugins.supportgroups import plugin as supportgroups
from tests.conftest import make_app

EIH = Path(__file__).resolve().parent.parent / "eih"
BUILT_IN = (casework, supportgroups, intervision, outreach, policy)


# -- the declaration ---------------------------------------------------------------

def test_every_hook_is_declared_with_a_docstring_and_a_default_that_does_nothing():
    plain = Plugin()
    for hook in HOOKS:
        method = getattr(Plugin, hook)
        assert inspect.getdoc(method), f"hook {hook} has no docstring"
        arguments = [object()] * (len(inspect.signature(method).parameters) - 1)
        assert not getattr(plain, hook)(*arguments), f"the default of {hook} does something"
    assert plain.cli is None and plain.translations_dir is None and plain.shows_declines is False


def test_the_built_in_plugins_keep_to_the_contract():
    for plugin in BUILT_IN:
        check_plugin(plugin)
        own = {name for name, value in vars(type(plugin)).items() if not name.startswith("_")}
        declared = set(HOOKS) | set(ATTRIBUTES) | {"name", "label"}
        assert own <= declared, f"{plugin.name} has hooks the core does not declare: {own - declared}"


def _core_and_plugin_sources():
    for path in EIH.rglob("*.py"):
        if "scheduler" not in path.parts and "migrations" not in path.parts:
            yield path


def test_the_core_never_looks_a_hook_up_by_name():
    names = set(HOOKS) | set(ATTRIBUTES)
    found = []
    for path in _core_and_plugin_sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("getattr", "hasattr") and len(node.args) >= 2
                    and isinstance(node.args[1], ast.Constant) and node.args[1].value in names):
                found.append(f"{path.relative_to(EIH.parent)}:{node.lineno}")
    assert not found, "hooks looked up with getattr: " + ", ".join(found)


# -- the check at start-up -------------------------------------------------------------

class _Named(Plugin):
    name = "wrong"
    label = "Wrong"


class WrongApply(_Named):
    def apply(self, region, plan):
        return []


class WrongNames(_Named):
    def home_panels(self, person):
        return []


class ExtraRequired(_Named):
    def demo(self, region, today, size):
        pass


class NotAMethod(_Named):
    home_panels = []


class WrongCli(_Named):
    cli = "wrong"


@pytest.mark.parametrize("plugin, hook", [(WrongApply(), "apply"), (WrongNames(), "home_panels"),
                                          (ExtraRequired(), "demo"), (NotAMethod(), "home_panels"),
                                          (WrongCli(), "cli")])
def test_a_plugin_whose_hook_has_the_wrong_signature_stops_start_up(tmp_path, plugin, hook):
    with pytest.raises(PluginError, match=rf"plugin 'wrong': (hook|attribute) '{hook}'"):
        make_app(tmp_path, tmp_path / "db.sqlite", EXTRA_PLUGINS=[plugin], PLUGINS=["wrong"])


class WithExtras(_Named):
    cli = click.Group("wrong")

    def apply(self, region, plan, instance=None, user=None, dry_run=False):
        return []

    def home_panels(self, user, *more):
        return []


def test_a_hook_may_add_parameters_with_a_default(tmp_path):
    app = make_app(tmp_path, tmp_path / "db.sqlite", EXTRA_PLUGINS=[WithExtras()], PLUGINS=["wrong"])
    assert "wrong" in app.extensions["eih_plugins"]


# -- what hooks exchange ---------------------------------------------------------------

def test_demand_ids_are_built_and_read_by_one_function_each():
    assert demand_id("casework", "req", 12) == "casework:req-12"
    assert demand_id("testwork", "men") == "testwork:men"
    assert parse_demand_id("casework:req-12") == DemandRef("casework", "req", 12)
    assert parse_demand_id("intervision:meeting-3") == DemandRef("intervision", "meeting", 3)
    assert parse_demand_id("testwork:men") == DemandRef("testwork", "men", None)
    for bad in ("", "casework", "casework:", ":req-1", "Casework:req-1", "casework:req-x1", None, 12):
        assert parse_demand_id(bad) is None, bad
    ref = parse_demand_id("supportgroups:session-7")
    assert str(ref) == "supportgroups:session-7"


def test_expert_codes_are_built_and_read_by_one_function_each():
    assert expert_code(12) == "ed-12"
    assert parse_expert_code(expert_code(12)) == 12
    for bad in ("ed-", "ed-x", "12", "ex-12", None):
        assert parse_expert_code(bad) is None


def test_a_problem_is_stored_untranslated_and_read_in_the_readers_language(app):
    problem = Problem("casework:req-1", "%(case)s cannot start yet: %(experts)s is proposed. Missing:",
                      {"case": "EIH-2026-001", "experts": "Amal"}, ("an agreed goal",))
    stored = problem.to_dict()
    assert stored["message"].startswith("%(case)s cannot start yet")
    again = Problem.from_dict(stored)
    assert again == problem
    with app.test_request_context():
        with force_locale("nl"):
            assert again.text() == ("EIH-2026-001 kan nog niet starten: Amal is voorgesteld. "
                                    "Nog nodig: een afgesproken doel")
        with force_locale("en"):
            assert again.text() == "EIH-2026-001 cannot start yet: Amal is proposed. Missing: an agreed goal"


def test_the_work_item_of_the_timesheets_has_its_fields():
    item = WorkItem(day=date(2026, 12, 1), hours=1.5, activity="casework", label="EIH-2026-001",
                    source="casework:contact-12")
    assert (item.municipality_id, item.partner_id, item.heavy_until) == (None, None, None)
    assert Plugin().worked(None, None, Period(date(2026, 11, 30), date(2026, 12, 6))) == []
