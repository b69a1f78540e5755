"""Logging in and out, throttling, safe redirects, password change and language."""
from __future__ import annotations

import pytest

from eih.extensions import db
from eih.models import AuditEvent, User
from tests.conftest import DEMO_PASSWORD, EMAILS


def _user(app, who="lead"):
    with app.app_context():
        return db.session.query(User).filter_by(email=EMAILS.get(who, who)).one()


def _login(client, email, password=DEMO_PASSWORD, **kwargs):
    return client.post("/login", data={"email": email, "password": password}, **kwargs)


def test_login_page_has_email_and_password_fields(client):
    page = client.get("/login")
    assert page.status_code == 200
    assert b'name="email"' in page.data and b'name="password"' in page.data


def test_wrong_password_is_refused_with_a_clear_message(client):
    response = _login(client, "lead@eih.example", "not-the-password")
    assert response.status_code == 401
    assert "Onbekend e-mailadres of verkeerd wachtwoord" in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


def test_unknown_address_gets_the_same_message_as_a_wrong_password(client):
    unknown = _login(client, "nobody@eih.example", "whatever-password")
    wrong = _login(client, "lead@eih.example", "whatever-password")
    assert unknown.status_code == wrong.status_code == 401
    assert "Onbekend e-mailadres of verkeerd wachtwoord" in unknown.get_data(as_text=True)


@pytest.mark.parametrize("data", [{}, {"email": "lead@eih.example"}, {"password": "x"},
                                  {"email": "not an address", "password": "x"}])
def test_incomplete_login_form_is_refused_and_shows_the_field_error(client, data):
    response = client.post("/login", data=data)
    assert response.status_code == 400
    assert "invalid-feedback" in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


def test_login_is_case_insensitive_for_the_address(client):
    assert _login(client, "  Lead@EIH.example ").status_code == 302


def test_inactive_user_cannot_log_in(app, client):
    with app.app_context():
        db.session.query(User).filter_by(email="lead@eih.example").one().active = False
        db.session.commit()
    response = _login(client, "lead@eih.example")
    assert response.status_code == 401
    assert client.get("/admin/").status_code == 302


def test_deactivated_user_loses_an_open_session(app, client, auth):
    auth.login("lead")
    assert client.get("/admin/expert/").status_code == 200
    with app.app_context():
        db.session.query(User).filter_by(email="lead@eih.example").one().active = False
        db.session.commit()
    response = client.get("/admin/expert/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_logout_ends_the_session_and_is_audited(app, client, auth):
    auth.login("coordinator")
    response = client.post("/logout")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 302
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(action="logout").count() == 1


@pytest.mark.parametrize("target", ["/admin/expert/?page=1", "/admin/account/"])
def test_login_returns_to_the_page_asked_for(client, target):
    response = client.post(f"/login?next={target}", data={"email": "lead@eih.example", "password": DEMO_PASSWORD})
    assert response.headers["Location"] == target


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/",
                                    "/\t/evil.example/", "javascript:alert(1)", "evil.example"])
def test_login_never_redirects_to_another_site(client, target):
    response = client.post("/login", query_string={"next": target},
                           data={"email": "lead@eih.example", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"


def test_a_protected_page_sends_anonymous_users_to_login_and_back(client):
    response = client.get("/admin/expert/")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/login?next=")
    back = client.post(location, data={"email": "lead@eih.example", "password": DEMO_PASSWORD})
    assert back.headers["Location"].startswith("/admin/expert/")


@pytest.mark.app_config(LOGIN_MAX_FAILURES_PER_ACCOUNT=3, LOGIN_MAX_FAILURES_PER_ADDRESS=100)
def test_an_account_is_throttled_after_repeated_failures(app, client):
    for _ in range(3):
        assert _login(client, "lead@eih.example", "wrong-password").status_code == 401
    blocked = _login(client, "lead@eih.example")  # even the right password now waits
    assert blocked.status_code == 429
    assert "Te veel mislukte pogingen" in blocked.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302
    # other accounts from the same address are not affected
    assert _login(client, "coordinator@eih.example").status_code == 302


@pytest.mark.app_config(LOGIN_MAX_FAILURES_PER_ACCOUNT=100, LOGIN_MAX_FAILURES_PER_ADDRESS=3)
def test_an_address_is_throttled_after_failures_on_different_accounts(app, client):
    for email in ("a@eih.example", "b@eih.example", "c@eih.example"):
        assert _login(client, email, "wrong-password").status_code == 401
    assert _login(client, "lead@eih.example").status_code == 429
    other = app.test_client()
    assert _login(other, "lead@eih.example", environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 302


@pytest.mark.app_config(LOGIN_MAX_FAILURES_PER_ACCOUNT=2, LOGIN_WINDOW_MINUTES=0)
def test_throttling_counts_only_failures_inside_the_window(client):
    for _ in range(3):
        _login(client, "lead@eih.example", "wrong-password")
    assert _login(client, "lead@eih.example").status_code == 302


def test_failed_logins_are_audited_without_the_address_or_password(app, client):
    _login(client, "lead@eih.example", "secret-guess-123")
    _login(client, "lead@eih.example")
    with app.app_context():
        failed = db.session.query(AuditEvent).filter_by(action="login-failed").one()
        ok = db.session.query(AuditEvent).filter_by(action="login").one()
        assert "secret-guess" not in failed.detail and "lead@" not in failed.object_id
        assert failed.user_id is None and failed.ip == "127.0.0.1"
        assert ok.user.email == "lead@eih.example" and ok.detail == ""


# -- password change ----------------------------------------------------------

def _change(client, current, new, confirm):
    return client.post("/admin/account/", data={"pw-current": current, "pw-new": new, "pw-confirm": confirm})


def test_password_change_works_with_the_current_password(app, client, auth):
    auth.login("expert")
    response = _change(client, DEMO_PASSWORD, "a-brand-new-passphrase", "a-brand-new-passphrase")
    assert response.status_code == 302
    auth.logout()
    assert _login(client, EMAILS["expert"], DEMO_PASSWORD).status_code == 401
    assert _login(client, EMAILS["expert"], "a-brand-new-passphrase").status_code == 302
    with app.app_context():
        event = db.session.query(AuditEvent).filter_by(action="update", object_type="User").one()
        assert event.detail == "fields: password"


@pytest.mark.parametrize("current,new,confirm,message", [
    ("wrong-current-password", "a-brand-new-passphrase", "a-brand-new-passphrase", "huidige wachtwoord klopt niet"),
    (DEMO_PASSWORD, "short", "short", "minstens 10 tekens"),
    (DEMO_PASSWORD, "a-brand-new-passphrase", "a-different-passphrase", "verschillen"),
    ("", "", "", "invalid-feedback"),
])
def test_bad_password_change_changes_nothing(app, client, auth, current, new, confirm, message):
    auth.login("expert")
    before = _user(app, "expert").password_hash
    response = _change(client, current, new, confirm)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _user(app, "expert").password_hash == before


# -- language -----------------------------------------------------------------

def test_a_user_switches_to_english_and_back(app, client, auth):
    auth.login("coordinator")
    assert "Uitloggen" in client.get("/admin/").get_data(as_text=True)
    assert client.post("/admin/account/", data={"lang-locale": "en"}).status_code == 302
    assert _user(app, "coordinator").locale == "en"
    page = client.get("/admin/").get_data(as_text=True)
    assert "Log out" in page and "Uitloggen" not in page
    client.post("/admin/account/", data={"lang-locale": "nl"})
    assert "Uitloggen" in client.get("/admin/").get_data(as_text=True)


def test_an_unknown_language_is_refused(app, client, auth):
    auth.login("coordinator")
    response = client.post("/admin/account/", data={"lang-locale": "xx"})
    assert response.status_code == 400
    assert _user(app, "coordinator").locale == "nl"


def test_anonymous_visitors_choose_the_language_of_the_login_page(client):
    assert "Inloggen" in client.get("/login").get_data(as_text=True)
    assert "Log in" in client.get("/login?lang=en").get_data(as_text=True)
    assert "Log in" in client.get("/login").get_data(as_text=True)  # remembered in the session
