"""One plugin shape: the same files for the same roles in every plugin, the plugin
object alone in ``__init__.py``, every stored value labelled, one error base."""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from eih import rules as core_rules
from eih.models import GENDERS, PERSPECTIVES

PLUGINS_DIR = Path(__file__).resolve().parents[2] / "eih" / "plugins"
PLUGINS = ("casework", "supportgroups", "intervision", "outreach", "policy")
SHAPE = {"__init__.py", "models.py", "labels.py", "rules.py", "views.py", "demands.py", "reports.py", "home.py",
         "cli.py", "demo.py"}
OPTIONAL = {"importer.py"}
# module name -> the function the plugin object hands each hook to
ROLES = {"views": "admin_views", "demands": "demands", "reports": "report", "home": "home_panels", "demo": "load",
         "rules": "settings"}


@pytest.mark.parametrize("name", PLUGINS)
def test_every_plugin_has_the_same_files_for_the_same_roles(name):
    folder = PLUGINS_DIR / name
    modules = {p.name for p in folder.glob("*.py")}
    assert SHAPE <= modules, f"{name} lacks {SHAPE - modules}"
    assert modules <= SHAPE | OPTIONAL, f"{name} has modules outside the shape: {modules - SHAPE - OPTIONAL}"
    assert (folder / "templates" / name).is_dir() and (folder / "translations").is_dir()
    assert (folder / "README.md").exists()
    for module, function in ROLES.items():
        assert callable(getattr(importlib.import_module(f"eih.plugins.{name}.{module}"), function, None)), \
            f"{name}.{module} has no {function}()"
    assert importlib.import_module(f"eih.plugins.{name}.cli").commands.name == name


@pytest.mark.parametrize("name", PLUGINS)
def test_the_package_holds_the_plugin_object_only(name):
    tree = ast.parse((PLUGINS_DIR / name / "__init__.py").read_text(encoding="utf-8"))
    kinds = [type(node).__name__ for node in tree.body
             if not isinstance(node, (ast.Import, ast.ImportFrom))
             and not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))]
    assert kinds == ["ClassDef", "Assign"], f"{name}/__init__.py holds more than the plugin object: {kinds}"
    assert importlib.import_module(f"eih.plugins.{name}").plugin.name == name


@pytest.mark.parametrize("name", PLUGINS)
def test_rule_violations_share_the_cores_error(name):
    rules = importlib.import_module(f"eih.plugins.{name}.rules")
    assert rules.RuleError is core_rules.RuleError
    for path in (PLUGINS_DIR / name).glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = {getattr(b, "id", getattr(b, "attr", "")) for b in node.bases}
                assert not bases & {"Exception", "ValueError", "RuntimeError"}, \
                    f"{path.name} defines its own error {node.name}"


def _vocabularies():
    from eih.plugins.casework import labels as cl
    from eih.plugins.casework import models as cm
    from eih.plugins.intervision import labels as il
    from eih.plugins.intervision import models as im
    from eih.plugins.outreach import labels as ol
    from eih.plugins.outreach import models as om
    from eih.plugins.policy import labels as pl
    from eih.plugins.policy import models as pm
    from eih.plugins.supportgroups import labels as sl
    from eih.plugins.supportgroups import models as sm
    return [
        (cm.KINDS, cl.KIND_LABELS), (cm.STATUSES, cl.STATUS_LABELS), (cm.VIOLENCE_TYPES, cl.VIOLENCE_LABELS),
        (cm.URGENCIES, cl.URGENCY_LABELS), (cm.CONSENT_WAYS, cl.CONSENT_LABELS), (cm.CONTACT_MODES, cl.MODE_LABELS),
        (cm.TRANSFER_DECISIONS, cl.DECISION_LABELS), (cm.HELP_ACCEPTED, cl.HELP_LABELS),
        (cm.DEPLOYMENT_STATES, cl.DEPLOYMENT_LABELS), (GENDERS, cl.GENDER_LABELS),
        (cm.SOURCES, cl.SOURCE_LABELS), (cm.FEEDBACK_CHANNELS, cl.FEEDBACK_LABELS), (cm.SAFETY_FLAGS, cl.FLAG_LABELS),
        (cm.NEW_REPORT, cl.NEW_REPORT_LABELS),
        (PERSPECTIVES, cl.PERSPECTIVE_LABELS),
        (sm.KINDS, sl.KIND_LABELS), (sm.CADENCES, sl.CADENCE_LABELS), (sm.SESSION_STATUSES, sl.SESSION_STATUS_LABELS),
        (sm.PARTICIPANT_STATUSES, sl.PARTICIPANT_STATUS_LABELS), (sm.INTRO_STATUSES, sl.INTRO_LABELS),
        (sm.ATTENDANCE_STATUSES, sl.ATTENDANCE_LABELS), (("", *GENDERS), sl.GENDER_LABELS),
        (("", *PERSPECTIVES), sl.PERSPECTIVE_LABELS),
        (im.SESSION_STATUSES, il.STATUS_LABELS), (im.ATTENDANCE_STATUSES, il.ATTENDANCE_LABELS),
        (im.ABSENCE_REASONS, il.ABSENCE_LABELS), (im.MEETING_MODES, il.MODE_LABELS),
        (im.SUPERVISION_REASONS, il.SUPERVISION_REASON_LABELS), (im.SUPERVISION_STATUSES, il.SUPERVISION_STATUS_LABELS),
        (om.FORMS, ol.FORM_LABELS), (om.PERSPECTIVES, ol.PERSPECTIVE_LABELS), (om.ORDER_SOURCES, ol.SOURCE_LABELS),
        (om.ORDER_STATUSES, ol.ORDER_STATUS_LABELS), (om.TALK_STATUSES, ol.TALK_LABELS),
        (om.SESSION_STATUSES, ol.SESSION_STATUS_LABELS), (om.SCORES, ol.SCORE_LABELS),
        (om.STORY_SETTINGS, ol.STORY_SETTING_LABELS), (om.STORY_LEVELS, ol.STORY_LEVEL_LABELS),
        (pm.LEVELS, pl.LEVEL_LABELS), (pm.KINDS, pl.KIND_LABELS), (pm.PERSPECTIVES, pl.PERSPECTIVE_LABELS),
        (pm.MEETING_STATUSES, pl.MEETING_STATUS_LABELS), (pm.TALK_STATUSES, pl.TALK_LABELS),
        (pm.CONTRIBUTION_KINDS, pl.CONTRIBUTION_KIND_LABELS), (pm.OUTCOMES, pl.OUTCOME_LABELS),
    ]


def test_every_stored_value_has_a_label():
    for values, labels in _vocabularies():
        assert set(values) == set(labels), f"labels {sorted(labels)} do not match the values {sorted(values)}"


@pytest.mark.parametrize("name", PLUGINS)
def test_settings_are_defaulted_in_one_place(app, name):
    from eih.extensions import db
    from eih.models import Region
    package = importlib.import_module(f"eih.plugins.{name}")
    models = importlib.import_module(f"eih.plugins.{name}.models")
    rules = importlib.import_module(f"eih.plugins.{name}.rules")
    assert package.plugin.default_settings is models.DEFAULT_SETTINGS
    with app.app_context():
        region = db.session.execute(db.select(Region).filter_by(slug="haaglanden")).scalar_one()
        assert rules.settings(region) == package.plugin.settings_for(region) == models.DEFAULT_SETTINGS
