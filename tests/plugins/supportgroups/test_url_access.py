"""Every support-group URL answers as url_access.py expects, for every role."""
import pytest
from flask import url_for

from tests.access import ROLES
from tests.conftest import DEMO_PASSWORD, EMAILS

from .url_access import EXPECTED, URL_ARGS


@pytest.mark.parametrize("role", ROLES)
def test_support_group_urls_answer_as_expected_for(role, app):
    client = app.test_client()
    if role != "anonymous":
        assert client.post("/login", data={"email": EMAILS[role], "password": DEMO_PASSWORD}).status_code == 302
    ours = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("supportgroups")]
    assert {r.endpoint for r in ours} == set(EXPECTED)
    wrong = []
    for rule in ours:
        with app.test_request_context():
            url = url_for(rule.endpoint, **URL_ARGS.get(rule.endpoint, dict)())
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(url, method=method)
        if response.status_code != EXPECTED[rule.endpoint][role]:
            wrong.append(f"{method} {url}: got {response.status_code}, expected {EXPECTED[rule.endpoint][role]}")
    assert not wrong, "\n".join(wrong)
