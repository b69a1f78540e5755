"""Shared fixtures: a fresh copy of a migrated demo database for every test.

SQLite by default. With ``EIH_TEST_POSTGRES`` set to a server URL (e.g.
``postgresql+psycopg://eih:eih@localhost/postgres``), the same tests run on
PostgreSQL: the demo is migrated once into a template database and every test
gets its own ``CREATE DATABASE ... TEMPLATE`` copy.
"""
from __future__ import annotations

import hashlib
import itertools
import os
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


POSTGRES = os.environ.get("EIH_TEST_POSTGRES")
_counter = itertools.count()
_created: list[str] = []


def _pg_admin():
    """A connection to the server's maintenance database, outside transactions."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool
    if not hasattr(_pg_admin, "engine"):
        _pg_admin.engine = create_engine(POSTGRES, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    return _pg_admin.engine


def _pg_url(name: str) -> str:
    from sqlalchemy.engine import make_url
    return make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)


def pg_create(name: str, template: str | None = None) -> str:
    from sqlalchemy import text
    with _pg_admin().connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    _created.append(name)
    return _pg_url(name)


def pg_drop(name: str) -> None:
    from sqlalchemy import text
    with _pg_admin().connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def database_uri(database) -> str:
    """A database for a test: a SQLite file, or its PostgreSQL counterpart."""
    if isinstance(database, str) and "://" in database:
        return database
    if POSTGRES:
        name = "eih_t_" + hashlib.sha1(str(database).encode()).hexdigest()[:12] + f"_{next(_counter)}"
        return pg_create(name)
    return f"sqlite:///{database}"


def fresh_copy(template, tmp_path) -> str:
    """A private copy of the migrated demo database."""
    if POSTGRES:
        return pg_create(f"eih_t_{os.getpid()}_{next(_counter)}", template=template)
    database = tmp_path / "eih.sqlite"
    shutil.copy(template, database)
    return f"sqlite:///{database}"


@pytest.fixture(scope="session", autouse=True)
def _drop_test_databases():
    yield
    if POSTGRES:
        for name in _created:
            pg_drop(name)


def make_app(tmp_path, database, **config):
    settings = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SQLALCHEMY_DATABASE_URI": database_uri(database),
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
    database = pg_create(f"eih_template_{os.getpid()}") if POSTGRES else base / "eih.sqlite"
    app = make_app(base, database)
    with app.app_context():
        upgrade()
        load_demo(DEMO_PASSWORD)
        db.engine.dispose()
    return f"eih_template_{os.getpid()}" if POSTGRES else database


@pytest.fixture
def app(tmp_path, demo_template, request):
    database = fresh_copy(demo_template, tmp_path)
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
