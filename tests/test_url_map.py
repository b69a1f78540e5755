"""Every URL of the app, for every role: the expected outcome, or the test fails.

A new view without an entry here (core) or in its plugin's
``tests/plugins/<plugin>/url_access.py`` makes this test fail.
"""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest
from flask import url_for

from eih.extensions import db
from eih.models import Expert, Municipality, Partner, Region, Unavailability, User
from tests.access import EVERYONE, PUBLIC, ROLES, only
from tests.conftest import DEMO_PASSWORD, EMAILS

STAFF_READ = only("admin", "lead", "coordinator")
ADMIN = only("admin")
MODEL_VIEW = {  # Flask-Admin endpoints of a model view that only admins may open
    "index_view": ADMIN, "create_view": ADMIN, "edit_view": ADMIN, "details_view": ADMIN,
    "delete_view": ADMIN, "action_view": ADMIN, "ajax_update": ADMIN, "ajax_lookup": ADMIN, "export": ADMIN,
}


def model_view(endpoint, read, write, export=None):
    """Expectations for a model view: ``read`` may list and open, ``write`` may change."""
    r, w = only(*read), only(*write)
    # an empty POST to delete/action redirects back for whoever may write
    w_post = {k: (302 if v == 200 else v) for k, v in w.items()}
    return {
        f"{endpoint}.index_view": r, f"{endpoint}.details_view": r,
        f"{endpoint}.create_view": {k: (302 if (v == 403 and k in read) else v) for k, v in w.items()},
        f"{endpoint}.edit_view": {k: (302 if (v == 403 and k in read) else v) for k, v in w.items()},
        f"{endpoint}.delete_view": {k: (302 if (v == 403 and k in read) else v) for k, v in w_post.items()},
        f"{endpoint}.action_view": {k: (302 if k in read else v) for k, v in only(*read).items()},
        f"{endpoint}.ajax_update": {k: (404 if v == 200 else v) for k, v in w.items()},
        f"{endpoint}.ajax_lookup": {k: (404 if v == 200 else v) for k, v in r.items()},  # no ajax fields
        f"{endpoint}.export": {k: (302 if (v == 200) else v) for k, v in (export or r).items()},
    }


def _first_id(model):
    return lambda: {"id": db.session.query(model.id).order_by(model.id).limit(1).scalar()}


CORE = {
    "static": PUBLIC,
    "admin.static": PUBLIC,
    "auth.login": {role: (200 if role == "anonymous" else 302) for role in ROLES},
    "auth.root": {role: 302 for role in ROLES},
    "auth.logout": {role: 302 for role in ROLES},
    "admin.index": {role: (302 if role == "anonymous" else 200) for role in ROLES},
    "account.index": only(*EVERYONE),
    "plugins.index": ADMIN,
    **model_view("user", ["admin"], ["admin"]),
    **model_view("region", ["admin"], ["admin"]),
    **model_view("municipality", ["admin", "lead", "coordinator"], ["admin"]),
    **model_view("partner", ["admin", "lead", "coordinator"], ["admin", "lead"]),
    **model_view("expert", ["admin", "lead", "coordinator"], ["admin", "lead"]),
    **model_view("unavailability", ["admin", "lead", "coordinator"], ["admin", "lead", "coordinator"]),
    **model_view("auditevent", ["admin"], []),
}
CORE["auditevent.details_view"] = {**ADMIN, "admin": 302}  # the log has no detail page
CORE_ARGS = {
    "static": lambda: {"filename": "eih.css"},
    "admin.static": lambda: {"filename": "admin/js/helpers.js"},
    "user.export": lambda: {"export_type": "csv"},
    "region.export": lambda: {"export_type": "csv"},
    "municipality.export": lambda: {"export_type": "csv"},
    "partner.export": lambda: {"export_type": "csv"},
    "expert.export": lambda: {"export_type": "csv"},
    "unavailability.export": lambda: {"export_type": "csv"},
    "auditevent.export": lambda: {"export_type": "csv"},
    "user.edit_view": _first_id(User), "user.details_view": _first_id(User),
    "region.edit_view": _first_id(Region), "region.details_view": _first_id(Region),
    "municipality.edit_view": _first_id(Municipality), "municipality.details_view": _first_id(Municipality),
    "partner.edit_view": _first_id(Partner), "partner.details_view": _first_id(Partner),
    "expert.edit_view": _first_id(Expert), "expert.details_view": _first_id(Expert),
    "unavailability.edit_view": _first_id(Unavailability), "unavailability.details_view": _first_id(Unavailability),
}


def collect_expectations():
    expected, args = dict(CORE), dict(CORE_ARGS)
    import tests.plugins as plugin_tests
    for info in pkgutil.iter_modules(plugin_tests.__path__):
        try:
            module = importlib.import_module(f"tests.plugins.{info.name}.url_access")
        except ModuleNotFoundError:
            continue
        expected.update(module.EXPECTED)
        args.update(getattr(module, "URL_ARGS", {}))
    # core packages keep theirs in tests/<package>_access.py
    for path in sorted(Path(__file__).parent.glob("*_access.py")):
        module = importlib.import_module(f"tests.{path.stem}")
        expected.update(module.EXPECTED)
        args.update(getattr(module, "URL_ARGS", {}))
    return expected, args


def test_every_endpoint_has_an_expectation(app):
    expected, _ = collect_expectations()
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(endpoints - set(expected))
    stale = sorted(set(expected) - endpoints)
    assert not missing, f"endpoints without an access rule: {missing}"
    assert not stale, f"access rules for endpoints that do not exist: {stale}"


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_as_expected_for(role, app):
    expected, url_args = collect_expectations()
    client = app.test_client()
    if role != "anonymous":
        response = client.post("/login", data={"email": EMAILS[role], "password": DEMO_PASSWORD})
        assert response.status_code == 302
    wrong = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in ("auth.logout",):
            continue  # would end this client's session; covered by test_auth
        with app.test_request_context():
            kwargs = url_args.get(rule.endpoint, dict)()
            url = url_for(rule.endpoint, **kwargs)
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(url, method=method)
        want = expected[rule.endpoint][role]
        if response.status_code != want:
            wrong.append(f"{method} {url} ({rule.endpoint}): got {response.status_code}, expected {want}")
    assert not wrong, "\n".join(wrong)
