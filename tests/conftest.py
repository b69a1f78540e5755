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
from tests import dates
from tests.dates import travel  # noqa: F401  (the fixture that moves the clock, for every test directory)

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
def migrated_template(tmp_path_factory):
    """An empty database migrated with Alembic: the schema is the same on every date."""
    from flask_migrate import upgrade

    base = tmp_path_factory.mktemp("migrated")
    name = f"eih_migrated_{os.getpid()}"
    database = pg_create(name) if POSTGRES else base / "eih.sqlite"
    app = make_app(base, database)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return name if POSTGRES else database


def _load_demo_into(migrated, base, name: str):
    """A copy of the migrated database with the demo loaded on the clock's date; kept."""
    from eih.demo import load_demo

    if POSTGRES:
        database = pg_create(name, template=migrated)
    else:
        database = base / "eih.sqlite"
        shutil.copy(migrated, database)
    app = make_app(base, database)
    with app.app_context():
        load_demo(DEMO_PASSWORD)
        db.engine.dispose()
    return name if POSTGRES else database


@pytest.fixture(scope="session")
def demo_template(migrated_template, tmp_path_factory):
    """The demo, loaded once per session on the real date."""
    return _load_demo_into(migrated_template, tmp_path_factory.mktemp("template"), f"eih_template_{os.getpid()}")


@pytest.fixture(scope="session")
def demo_templates(migrated_template, tmp_path_factory):
    """The demo loaded at a travelled moment (tests/dates.py): built on first use, one per moment."""
    made = {}

    def at(moment):
        name = dates.key(moment)
        if name not in made:
            made[name] = _load_demo_into(migrated_template, tmp_path_factory.mktemp(f"template-{name}"),
                                         f"eih_template_{os.getpid()}_{name}")
        return made[name]
    return at


def demo_database(request):
    """The demo template for a test: loaded at the travelled moment when the test travels."""
    if "travel" in request.fixturenames:
        return request.getfixturevalue("demo_templates")(request.getfixturevalue("travel"))
    return request.getfixturevalue("demo_template")


@pytest.fixture
def app(tmp_path, request):
    database = fresh_copy(demo_database(request), tmp_path)
    marker = request.node.get_closest_marker("app_config")
    config = dict(marker.kwargs if marker else {})
    if "smtp" in request.fixturenames:  # mail goes to the test's own SMTP server
        config.update(request.getfixturevalue("smtp").config)
    app = make_app(tmp_path, database, **config)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def smtp():
    """A real SMTP server (aiosmtpd) on a free loopback port; the app sends its mail there."""
    from tests.mailbox import Mailbox
    box = Mailbox()
    box.start()
    yield box
    box.stop()


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
    config.addinivalue_line("markers", "every_date: runs on each date of tests/dates.py (select with -m every_date)")
