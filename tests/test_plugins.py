"""The plugin system: discovery, requirements, per-region switches that act at once."""
from __future__ import annotations

import pytest
from flask_admin import expose

from eih import create_app
from eih.admin import SecureView
from eih.extensions import db
from eih.models import AuditEvent, PluginState, Region
from eih.plugins import Plugin, PluginError, enabled_plugins, is_enabled, load_plugins, set_enabled
from tests.conftest import make_app


class ProbePage(SecureView):
    roles = ("admin", "lead", "coordinator", "expert")
    plugin = "probe"

    @expose("/")
    def index(self):
        return "probe page"


class ProbePlugin(Plugin):
    name = "probe"
    label = "Probe"

    def admin_views(self):
        return [ProbePage(name="Probe page", category="Probe", endpoint="probe_page", url="probe")]

    def home_panels(self, user):
        return [{"title": "Probe panel", "items": [("probe item", None)]}]


def simple(name, requires=()):
    return type(f"{name.title()}Plugin", (Plugin,), {"name": name, "label": name, "requires": tuple(requires)})()


CHAIN = [simple("grandchild", ["child"]), simple("child", ["base"]), simple("base")]
PROBE = {"EXTRA_PLUGINS": [ProbePlugin()], "PLUGINS": ["probe"]}
FAMILY = {"EXTRA_PLUGINS": CHAIN, "PLUGINS": ["grandchild", "child", "base"]}


def region_id(slug):
    return db.session.query(Region.id).filter_by(slug=slug).scalar()


# -- loading ------------------------------------------------------------------

def test_installed_plugins_are_found_through_the_entry_point_group():
    from eih.plugins import _discover
    assert {"casework", "supportgroups", "intervision"} <= set(_discover())


def test_an_unknown_plugin_in_plugins_stops_start_up_with_a_clear_message(tmp_path):
    with pytest.raises(PluginError, match=r"unknown plugin 'nonexistent' in PLUGINS; installed: .*casework"):
        make_app(tmp_path, tmp_path / "db.sqlite", PLUGINS=["nonexistent"])


def test_a_broken_plugin_stops_start_up_with_a_clear_message(tmp_path, monkeypatch):
    class BrokenEntryPoint:
        def load(self):
            raise ImportError("No module named 'missing_dependency'")

    monkeypatch.setattr("eih.plugins._discover", lambda: {"broken": BrokenEntryPoint()})
    with pytest.raises(PluginError, match=r"plugin 'broken' cannot be loaded: ImportError: No module named"):
        make_app(tmp_path, tmp_path / "db.sqlite", PLUGINS=["broken"])


def test_an_entry_point_that_is_not_a_plugin_stops_start_up(tmp_path, monkeypatch):
    class WrongEntryPoint:
        def load(self):
            return object()

    monkeypatch.setattr("eih.plugins._discover", lambda: {"wrong": WrongEntryPoint()})
    with pytest.raises(PluginError, match="does not provide a Plugin object named 'wrong'"):
        make_app(tmp_path, tmp_path / "db.sqlite", PLUGINS=["wrong"])


def test_plugins_load_after_what_they_require(tmp_path):
    app = make_app(tmp_path, tmp_path / "db.sqlite", **FAMILY)
    assert list(app.extensions["eih_plugins"]) == ["base", "child", "grandchild"]


def test_a_missing_requirement_stops_start_up(tmp_path):
    with pytest.raises(PluginError, match="plugin 'child' requires 'base'"):
        make_app(tmp_path, tmp_path / "db.sqlite", EXTRA_PLUGINS=CHAIN, PLUGINS=["child"])


def test_plugins_requiring_each_other_in_a_cycle_stop_start_up(tmp_path):
    cycle = [simple("egg", ["hen"]), simple("hen", ["egg"])]
    with pytest.raises(PluginError, match="cycle"):
        make_app(tmp_path, tmp_path / "db.sqlite", EXTRA_PLUGINS=cycle, PLUGINS=["egg", "hen"])


def test_plugins_limits_which_installed_plugins_load(tmp_path):
    app = make_app(tmp_path, tmp_path / "db.sqlite", EXTRA_PLUGINS=CHAIN, PLUGINS=["base"])
    assert list(app.extensions["eih_plugins"]) == ["base"]
    with app.app_context():
        assert load_plugins(app)[0].name == "base"


def test_a_plugin_translation_folder_is_added_to_babel(tmp_path):
    folder = tmp_path / "probe_translations"
    folder.mkdir()
    plugin = simple("translated")
    plugin.translations_dir = str(folder)
    app = make_app(tmp_path, tmp_path / "db.sqlite", EXTRA_PLUGINS=[plugin], PLUGINS=["translated"])
    assert str(folder) in app.extensions["babel"].translation_directories


# -- requirements when switching -------------------------------------------------

@pytest.mark.app_config(**FAMILY)
def test_enabling_a_plugin_enables_what_it_requires(app):
    with app.app_context():
        hl = region_id("haaglanden")
        changed = set_enabled(hl, "grandchild", True)
        db.session.commit()
        assert sorted(changed) == ["base", "child", "grandchild"]
        assert all(is_enabled(hl, name) for name in ("base", "child", "grandchild"))


@pytest.mark.app_config(**FAMILY)
def test_disabling_a_plugin_disables_its_dependants_only(app):
    with app.app_context():
        hl = region_id("haaglanden")
        set_enabled(hl, "grandchild", True)
        changed = set_enabled(hl, "child", False)
        db.session.commit()
        assert sorted(changed) == ["child", "grandchild"]
        assert is_enabled(hl, "base") and not is_enabled(hl, "child") and not is_enabled(hl, "grandchild")


# -- the switch acts at once, for one region only ---------------------------------------

@pytest.mark.app_config(**PROBE)
def test_a_plugin_switched_off_disappears_for_that_region_only(app, auth, client):
    with app.app_context():
        set_enabled(region_id("rotterdam-rijnmond"), "probe", True)
        db.session.commit()
    other = app.test_client()
    assert other.post("/login", data={"email": "lead.haaglanden@eih.example",
                                      "password": "demo-password-for-tests"}).status_code == 302
    auth.login("lead")
    home = client.get("/admin/").get_data(as_text=True)
    assert "/admin/probe/" in home and "Probe panel" in home
    assert client.get("/admin/probe/").status_code == 200
    # Haaglanden never had it
    assert other.get("/admin/probe/").status_code == 404
    assert "/admin/probe/" not in other.get("/admin/").get_data(as_text=True)

    with app.app_context():
        set_enabled(region_id("rotterdam-rijnmond"), "probe", False)
        db.session.commit()
        assert enabled_plugins(region_id("rotterdam-rijnmond")) == []
    home = client.get("/admin/").get_data(as_text=True)
    assert "/admin/probe/" not in home and "Probe panel" not in home
    assert client.get("/admin/probe/").status_code == 404
    with app.app_context():  # its state row (and so its settings) is kept
        state = db.session.query(PluginState).filter_by(plugin="probe").one()
        assert state.enabled is False


@pytest.mark.app_config(**PROBE)
def test_admins_switch_plugins_in_the_matrix_and_it_is_audited(app, auth, client):
    auth.login("admin")
    with app.app_context():
        rr = region_id("rotterdam-rijnmond")
    page = client.get("/admin/plugins/")
    assert page.status_code == 200 and 'aria-label="probe Rotterdam-Rijnmond"' in page.get_data(as_text=True)
    response = client.post("/admin/plugins/", data={"region_id": rr, "plugin": "probe", "enabled": "1"},
                           follow_redirects=True)
    assert "Aangezet voor Rotterdam-Rijnmond: Probe." in response.get_data(as_text=True)
    with app.app_context():
        assert is_enabled(rr, "probe")
        event = db.session.query(AuditEvent).filter_by(object_type="PluginState").one()
        assert (event.action, event.object_id, event.detail) == ("update", "rotterdam-rijnmond:probe", "enabled")
    client.post("/admin/plugins/", data={"region_id": rr, "plugin": "probe", "enabled": "0"})
    with app.app_context():
        assert not is_enabled(rr, "probe")


@pytest.mark.app_config(**PROBE)
@pytest.mark.parametrize("data", [{"region_id": 9999, "plugin": "probe", "enabled": "1"},
                                  {"region_id": "abc", "plugin": "probe", "enabled": "1"},
                                  {"plugin": "nonexistent", "enabled": "1"}, {}])
def test_the_matrix_refuses_unknown_regions_and_plugins(app, auth, client, data):
    auth.login("admin")
    if "region_id" not in data and data:
        with app.app_context():
            data["region_id"] = region_id("haaglanden")
    response = client.post("/admin/plugins/", data=data, follow_redirects=True)
    assert "Onbekende regio of plug-in; er is niets gewijzigd." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(PluginState).filter_by(plugin="probe").count() == 0
        assert db.session.query(PluginState).filter_by(plugin="nonexistent").count() == 0


@pytest.mark.app_config(**PROBE)
@pytest.mark.parametrize("who", ["lead", "coordinator", "expert"])
def test_only_admins_may_switch_plugins(app, auth, client, who):
    auth.login(who)
    with app.app_context():
        rr = region_id("rotterdam-rijnmond")
    assert client.post("/admin/plugins/", data={"region_id": rr, "plugin": "probe", "enabled": "1"}).status_code == 403
    with app.app_context():
        assert not is_enabled(rr, "probe")


def test_the_demo_switches_every_installed_plugin_on_in_rotterdam_rijnmond(app):
    with app.app_context():
        names = list(app.extensions["eih_plugins"])
        assert [p.name for p in enabled_plugins(region_id("rotterdam-rijnmond"))] == names
        assert [p.name for p in enabled_plugins(region_id("haaglanden"))] == [n for n in names if n == "casework"]


def test_create_app_can_run_twice_in_one_process(tmp_path):
    first = create_app({"INSTANCE_PATH": str(tmp_path / "a"), "PLUGINS": [], "SECRET_KEY": "x"})
    second = create_app({"INSTANCE_PATH": str(tmp_path / "b"), "PLUGINS": [], "SECRET_KEY": "x"})
    assert first.extensions["eih_admin"] is not second.extensions["eih_admin"]
