"""Shared fixtures: a fresh copy of a migrated demo database for every test."""
from __future__ import annotations

import re
import shutil

import pytest

from eih import create_app
from eih.extensions import db

DEMO_PASSWORD = "demo-password-for-tests"
EMAILS = {
    "admin": "admin@eih.example",
    "lead": "lead@eih.example",
    "coordinator": "coordinator@eih.example",
    "expert": "amal@eih.example",
    "lead_b": "lead.haaglanden@eih.example",
}


def make_app(tmp_path, database, **config):
    settings = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "WTF_CSRF_ENABLED": False,
    }
    settings.update(config)
    return create_app(settings)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """Migrate an empty database with Alembic, load the demo, keep the file."""
    from flask_migrate import upgrade

    from eih.demo import load_demo

    base = tmp_path_factory.mktemp("template")
    database = base / "eih.sqlite"
    app = make_app(base, database)
    with app.app_context():
        upgrade()
        load_demo(DEMO_PASSWORD)
        db.engine.dispose()
    return database


@pytest.fixture
def app(tmp_path, demo_template, request):
    database = tmp_path / "eih.sqlite"
    shutil.copy(demo_template, database)
    marker = request.node.get_closest_marker("app_config")
    app = make_app(tmp_path, database, **(marker.kwargs if marker else {}))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, who: str = "lead", password: str = DEMO_PASSWORD):
        email = EMAILS.get(who, who)
        response = self.client.post("/login", data={"email": email, "password": password})
        assert response.status_code == 302, f"login of {email} failed"
        return response

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, "no CSRF token in page"
    return match.group(1)


def pytest_configure(config):
    config.addinivalue_line("markers", "app_config(**kwargs): extra configuration for the app fixture")
