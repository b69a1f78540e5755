"""The flask commands: creating users, loading the demo, printing its logins."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from eih.extensions import db
from eih.models import Expert, Municipality, Partner, PluginState, Region, Unavailability, User
from eih.plugins import Plugin, is_enabled, set_enabled
from tests.conftest import DEMO_PASSWORD


def _create(runner, *args, password="a-long-enough-password"):
    return runner.invoke(args=["eih", "users", "create", *args, "--password-stdin"], input=password + "\n")


def test_an_admin_creates_a_user_from_the_command_line(app, runner):
    result = _create(runner, "--email", "New.Lead@eih.example", "--role", "lead", "--region", "haaglanden",
                     "--name", "Nieuwe leider")
    assert result.exit_code == 0, result.output
    assert "created lead new.lead@eih.example" in result.output
    with app.app_context():
        user = db.session.query(User).filter_by(email="new.lead@eih.example").one()
        assert (user.role, user.region.slug, user.name, user.active) == ("lead", "haaglanden", "Nieuwe leider", True)
        assert user.check_password("a-long-enough-password")
        assert user.password_hash.startswith("scrypt:")


def test_an_administrator_needs_no_region(app, runner):
    assert _create(runner, "--email", "root@eih.example", "--role", "admin").exit_code == 0


def test_the_password_is_asked_twice_without_stdin(app, runner):
    result = runner.invoke(args=["eih", "users", "create", "--email", "x@eih.example", "--role", "admin"],
                           input="a-long-enough-password\na-long-enough-password\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.query(User).filter_by(email="x@eih.example").one().check_password("a-long-enough-password")


@pytest.mark.parametrize("args,password,message", [
    (["--email", "lead@eih.example", "--role", "lead", "--region", "haaglanden"], None, "already exists"),
    (["--email", "z@eih.example", "--role", "wizard", "--region", "haaglanden"], None, "unknown role 'wizard'"),
    (["--email", "z@eih.example", "--role", "lead", "--region", "atlantis"], None, "unknown region 'atlantis'"),
    (["--email", "z@eih.example", "--role", "lead"], None, "--region is required"),
    (["--email", "not-an-address", "--role", "admin"], None, "not a valid e-mail address"),
    (["--email", "z@eih.example", "--role", "lead", "--region", "haaglanden"], "short", "at least 10 characters"),
])
def test_bad_input_gives_one_line_on_stderr_and_exit_status_2(app, runner, args, password, message):
    with app.app_context():
        before = db.session.query(User).count()
    result = _create(runner, *args, password=password or "a-long-enough-password")
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("error: ")
    assert "Traceback" not in result.output
    with app.app_context():
        assert db.session.query(User).count() == before


def _counts():
    return {model.__name__: db.session.query(model).count()
            for model in (Region, Municipality, Partner, User, Expert, Unavailability, PluginState)}


def test_the_demo_is_idempotent(app, runner):
    with app.app_context():
        before = _counts()
    for _ in range(2):
        result = runner.invoke(args=["eih", "demo", "--password", DEMO_PASSWORD])
        assert result.exit_code == 0, result.output
    with app.app_context():
        assert _counts() == before


def test_the_demo_has_the_regions_roles_and_experts_it_promises(app):
    with app.app_context():
        rr = db.session.query(Region).filter_by(slug="rotterdam-rijnmond").one()
        towns = db.session.query(Municipality).filter_by(region_id=rr.id).all()
        assert len(towns) == 14
        assert [m.name for m in towns if m.is_central] == ["Rotterdam"]
        roles = sorted(u.role for u in db.session.query(User).filter_by(region_id=rr.id))
        assert roles.count("admin") == 1 and roles.count("lead") == 1 and roles.count("coordinator") == 1
        experts = db.session.query(Expert).filter_by(region_id=rr.id).all()
        assert len(experts) == 7
        assert {e.gender for e in experts} == {"female", "male"}
        on_leave = [e.name for e in experts if e.unavailability]
        assert on_leave == ["Priya"]


class _Probe(Plugin):
    name = "probe"
    label = "Probe"


@pytest.mark.app_config(EXTRA_PLUGINS=[_Probe()], PLUGINS=["probe"])
def test_the_demo_switches_plugins_on_once_and_keeps_what_an_admin_switched_off(app, runner):
    assert runner.invoke(args=["eih", "demo", "--password", DEMO_PASSWORD]).exit_code == 0
    with app.app_context():
        rr = db.session.query(Region).filter_by(slug="rotterdam-rijnmond").one().id
        assert is_enabled(rr, "probe")
        set_enabled(rr, "probe", False)
        db.session.commit()
    assert runner.invoke(args=["eih", "demo", "--password", DEMO_PASSWORD]).exit_code == 0
    with app.app_context():
        assert not is_enabled(rr, "probe")


def test_every_demo_account_can_log_in(app):
    with app.app_context():
        emails = [u.email for u in db.session.query(User).filter(User.email.like("%@eih.example"))]
    assert len(emails) == 13
    for email in emails:
        client = app.test_client()
        response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        assert client.get("/admin/").status_code == 200


def test_the_demo_password_is_kept_in_the_instance_folder_for_the_owner_only(app, runner):
    runner.invoke(args=["eih", "demo", "--password", "another-demo-password"])
    path = Path(app.instance_path) / "demo_password"
    assert path.read_text() == "another-demo-password"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    result = runner.invoke(args=["eih", "demo-logins"])
    assert "another-demo-password" in result.output and "coordinator@eih.example" in result.output
    # the printed password works, also for accounts that existed before
    response = app.test_client().post("/login", data={"email": "lead@eih.example", "password": "another-demo-password"})
    assert response.status_code == 302


def test_a_random_demo_password_is_made_when_none_is_given(app, runner):
    path = Path(app.instance_path) / "demo_password"
    if path.exists():
        path.unlink()
    result = runner.invoke(args=["eih", "demo"])
    assert result.exit_code == 0
    password = path.read_text()
    assert password.startswith("demo-") and len(password) > 12
    assert f"password for all: {password}" in result.output


def test_no_demo_logins_are_printed_outside_demo_mode(app, runner):
    path = Path(app.instance_path) / "demo_password"
    if path.exists():
        path.unlink()
    result = runner.invoke(args=["eih", "demo-logins"])
    assert result.exit_code == 0 and result.output == ""


def test_has_data_tells_an_empty_database_from_a_filled_one(app, runner, tmp_path):
    assert runner.invoke(args=["eih", "has-data"]).exit_code == 0
    from flask_migrate import upgrade

    from tests.conftest import make_app
    empty = make_app(tmp_path / "empty", tmp_path / "empty.sqlite")
    with empty.app_context():
        upgrade()
        db.create_all()
        db.engine.dispose()
    assert empty.test_cli_runner().invoke(args=["eih", "has-data"]).exit_code == 1
