"""Configuration precedence, instance folder, database location and the secret key."""
from __future__ import annotations

import os
import stat

import pytest

from eih import create_app

ENV_KEYS = ("EIH_INSTANCE_PATH", "EIH_DATABASE_URL", "EIH_LOGIN_WINDOW_MINUTES", "EIH_PLUGINS", "EIH_SECRET_KEY")


@pytest.fixture
def clean_env(monkeypatch):
    for key in ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("EIH_PLUGINS", "[]")  # configuration only: no plugin code needed
    return monkeypatch


def _instance(tmp_path, text=None):
    folder = tmp_path / "instance"
    folder.mkdir(exist_ok=True)
    if text is not None:
        (folder / "config.py").write_text(text)
    return folder


def test_defaults_apply_without_any_configuration(tmp_path, clean_env):
    app = create_app({"INSTANCE_PATH": str(_instance(tmp_path))})
    assert app.config["LOGIN_WINDOW_MINUTES"] == 15
    assert app.config["BABEL_DEFAULT_LOCALE"] == "nl"
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_instance_config_overrides_the_defaults(tmp_path, clean_env):
    folder = _instance(tmp_path, "LOGIN_WINDOW_MINUTES = 20\nLOGIN_MAX_FAILURES_PER_ACCOUNT = 7\n")
    app = create_app({"INSTANCE_PATH": str(folder)})
    assert app.config["LOGIN_WINDOW_MINUTES"] == 20 and app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] == 7


def test_environment_overrides_the_instance_config(tmp_path, clean_env):
    folder = _instance(tmp_path, "LOGIN_WINDOW_MINUTES = 20\nLOGIN_MAX_FAILURES_PER_ACCOUNT = 7\n")
    clean_env.setenv("EIH_LOGIN_WINDOW_MINUTES", "30")
    app = create_app({"INSTANCE_PATH": str(folder)})
    assert app.config["LOGIN_WINDOW_MINUTES"] == 30
    assert app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] == 7


def test_the_config_argument_overrides_everything(tmp_path, clean_env):
    folder = _instance(tmp_path, "LOGIN_WINDOW_MINUTES = 20\n")
    clean_env.setenv("EIH_LOGIN_WINDOW_MINUTES", "30")
    app = create_app({"INSTANCE_PATH": str(folder), "LOGIN_WINDOW_MINUTES": 40})
    assert app.config["LOGIN_WINDOW_MINUTES"] == 40


def test_instance_path_comes_from_the_environment(tmp_path, clean_env):
    folder = tmp_path / "elsewhere"
    clean_env.setenv("EIH_INSTANCE_PATH", str(folder))
    app = create_app()
    assert app.instance_path == str(folder)
    assert folder.is_dir()


def test_the_database_is_a_sqlite_file_in_the_instance_folder_by_default(tmp_path, clean_env):
    folder = _instance(tmp_path)
    app = create_app({"INSTANCE_PATH": str(folder)})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{folder / 'eih.sqlite'}"


def test_two_instances_never_share_a_database(tmp_path, clean_env):
    one = create_app({"INSTANCE_PATH": str(tmp_path / "one")})
    two = create_app({"INSTANCE_PATH": str(tmp_path / "two")})
    assert one.config["SQLALCHEMY_DATABASE_URI"] != two.config["SQLALCHEMY_DATABASE_URI"]


def test_database_url_comes_from_the_environment(tmp_path, clean_env):
    url = f"sqlite:///{tmp_path / 'chosen.sqlite'}"
    clean_env.setenv("EIH_DATABASE_URL", url)
    app = create_app({"INSTANCE_PATH": str(_instance(tmp_path))})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == url


def test_database_url_in_the_environment_beats_the_instance_config(tmp_path, clean_env):
    folder = _instance(tmp_path, f"DATABASE_URL = 'sqlite:///{tmp_path / 'file.sqlite'}'\n")
    url = f"sqlite:///{tmp_path / 'env.sqlite'}"
    clean_env.setenv("EIH_DATABASE_URL", url)
    assert create_app({"INSTANCE_PATH": str(folder)}).config["SQLALCHEMY_DATABASE_URI"] == url


def test_plugins_list_comes_from_the_environment_as_comma_separated_names(tmp_path, clean_env):
    clean_env.setenv("EIH_PLUGINS", "")
    app = create_app({"INSTANCE_PATH": str(_instance(tmp_path))})
    assert app.extensions["eih_plugins"] == {}


def test_a_secret_key_is_written_once_readable_by_the_owner_only(tmp_path, clean_env):
    folder = _instance(tmp_path)
    first = create_app({"INSTANCE_PATH": str(folder)})
    key_file = folder / "secret_key"
    assert key_file.exists()
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert len(first.config["SECRET_KEY"]) >= 32
    second = create_app({"INSTANCE_PATH": str(folder)})
    assert second.config["SECRET_KEY"] == first.config["SECRET_KEY"]


def test_a_configured_secret_key_is_used_and_nothing_is_written(tmp_path, clean_env):
    folder = _instance(tmp_path, "SECRET_KEY = 'from-the-instance-config'\n")
    app = create_app({"INSTANCE_PATH": str(folder)})
    assert app.config["SECRET_KEY"] == "from-the-instance-config"
    assert not (folder / "secret_key").exists()


def test_every_response_carries_the_security_headers(client):
    response = client.get("/login")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_of_logged_in_users_are_not_cached(client, auth):
    auth.login("lead")
    assert client.get("/admin/").headers["Cache-Control"] == "no-store"


def test_the_session_cookie_is_http_only(client, auth):
    response = auth.login("lead")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_database_url_in_the_environment_beats_a_sqlalchemy_uri_in_the_instance_config(tmp_path, clean_env):
    folder = _instance(tmp_path, f"SQLALCHEMY_DATABASE_URI = 'sqlite:///{tmp_path / 'file.sqlite'}'\n")
    url = f"sqlite:///{tmp_path / 'env.sqlite'}"
    clean_env.setenv("EIH_DATABASE_URL", url)
    assert create_app({"INSTANCE_PATH": str(folder)}).config["SQLALCHEMY_DATABASE_URI"] == url


def test_tests_never_reach_the_database_named_in_the_environment(tmp_path, clean_env):
    clean_env.setenv("EIH_DATABASE_URL", f"sqlite:///{tmp_path / 'production.sqlite'}")
    mine = f"sqlite:///{tmp_path / 'test.sqlite'}"
    app = create_app({"INSTANCE_PATH": str(_instance(tmp_path)), "SQLALCHEMY_DATABASE_URI": mine})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == mine
