"""The core admin views: audit, read-only roles, bad input, CSRF and the home page per role."""
from __future__ import annotations

import pytest

from eih.extensions import db
from eih.models import AuditEvent, Expert, Partner, Region, Unavailability, User
from tests.conftest import csrf_token


def _expert(email="amal@eih.example"):
    return db.session.query(Expert).join(User).filter(User.email == email).one()


def _region(slug="rotterdam-rijnmond"):
    return db.session.query(Region).filter_by(slug=slug).one()


def _expert_form(expert, **changes):
    data = {"user": str(expert.user_id), "region": str(expert.region_id), "gender": expert.gender,
            "perspectives": expert.perspectives, "cultures": expert.cultures, "languages": expert.languages,
            "specialties": expert.specialties, "min_hours": str(expert.min_hours), "max_hours": str(expert.max_hours),
            "overtime_hours": str(expert.overtime_hours), "max_load": "", "active": "y"}
    data.update(changes)
    return data


def _view(app, endpoint):
    return next(v for v in app.extensions["eih_admin"]._views if getattr(v, "endpoint", None) == endpoint)


# -- audit ----------------------------------------------------------------------

def test_create_update_and_delete_are_audited_without_content(app, auth, client):
    auth.login("lead")
    with app.app_context():
        rr = _region().id
    assert client.post("/admin/partner/new/", data={"region": rr, "name": "Wijkteam Noord", "active": "y"}).status_code == 302
    with app.app_context():
        partner = db.session.query(Partner).filter_by(name="Wijkteam Noord").one()
        pid = partner.id
    assert client.post(f"/admin/partner/edit/?id={pid}",
                       data={"region": rr, "name": "Wijkteam Zuid", "active": "y"}).status_code == 302
    assert client.post("/admin/partner/delete/", data={"id": pid}).status_code == 302
    with app.app_context():
        assert db.session.get(Partner, pid) is None
        events = db.session.query(AuditEvent).filter_by(object_type="Partner").order_by(AuditEvent.id).all()
        assert [(e.action, e.object_id, e.region_id, e.user.email) for e in events] == [
            ("create", str(pid), rr, "lead@eih.example"), ("update", str(pid), rr, "lead@eih.example"),
            ("delete", str(pid), rr, "lead@eih.example")]
        assert events[1].detail == "fields: name"
        assert not any("Wijkteam" in e.detail for e in events)


def test_a_new_users_password_never_reaches_the_audit_log(app, auth, client):
    auth.login("admin")
    with app.app_context():
        hl = _region("haaglanden").id
    response = client.post("/admin/user/new/", data={
        "name": "Eva", "email": "eva@eih.example", "role": "expert", "region": hl, "active": "y", "locale": "nl",
        "new_password": "a-long-enough-secret"})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.query(User).filter_by(email="eva@eih.example").one()
        assert user.check_password("a-long-enough-secret")
        event = db.session.query(AuditEvent).filter_by(object_type="User", action="create").one()
        assert "secret" not in event.detail and "eva" not in event.detail


def test_changing_a_users_password_is_audited_by_field_name_only(app, auth, client):
    auth.login("admin")
    with app.app_context():
        user = db.session.query(User).filter_by(email="yvonne@eih.example").one()
        data = {"name": user.name, "email": user.email, "role": user.role, "region": user.region_id,
                "active": "y", "locale": "nl", "new_password": "another-long-secret"}
        uid = user.id
    assert client.post(f"/admin/user/edit/?id={uid}", data=data).status_code == 302
    with app.app_context():
        event = db.session.query(AuditEvent).filter_by(object_type="User", action="update").one()
        assert event.detail == "fields: new_password"


# -- read-only roles and inline edit ------------------------------------------------------

@pytest.fixture
def editable_experts(app):
    view = _view(app, "expert")
    view.column_editable_list = ("active",)
    view._refresh_cache()
    return view


def test_inline_edit_is_forbidden_for_read_only_roles(app, auth, client, editable_experts):
    auth.login("coordinator")
    with app.app_context():
        eid = _expert().id
    response = client.post("/admin/expert/ajax/update/", data={"list_form_pk": eid, "active": ""})
    assert response.status_code == 403
    with app.app_context():
        assert _expert().active is True


def test_inline_edit_works_for_editors_and_is_audited(app, auth, client, editable_experts):
    auth.login("lead")
    with app.app_context():
        eid = _expert().id
    response = client.post("/admin/expert/ajax/update/", data={"list_form_pk": eid, "active": ""})
    assert response.status_code == 200
    with app.app_context():
        assert _expert().active is False
        assert db.session.query(AuditEvent).filter_by(object_type="Expert", action="update").count() == 1


def test_inline_edit_of_another_regions_record_is_not_found(app, auth, client, editable_experts):
    auth.login("lead_b")
    with app.app_context():
        eid = _expert().id
    assert client.post("/admin/expert/ajax/update/", data={"list_form_pk": eid, "active": ""}).status_code == 404
    with app.app_context():
        assert _expert().active is True


def test_read_only_roles_see_no_create_edit_or_delete_buttons(auth, client):
    auth.login("coordinator")
    html = client.get("/admin/expert/").get_data(as_text=True)
    assert "/admin/expert/new/" not in html and "/admin/expert/edit/" not in html
    assert "/admin/expert/delete/" not in html


@pytest.mark.parametrize("who", ["coordinator", "expert"])
def test_read_only_roles_cannot_post_changes(app, auth, client, who):
    auth.login(who)
    with app.app_context():
        expert = _expert()
        data, eid = _expert_form(expert, min_hours="1"), expert.id
    client.post(f"/admin/expert/edit/?id={eid}", data=data)
    client.post("/admin/expert/delete/", data={"id": eid})
    with app.app_context():
        assert _expert().min_hours == 16


# -- bad input: a clear message, nothing changed ---------------------------------------------

@pytest.mark.parametrize("changes,message", [
    ({"min_hours": "30", "max_hours": "20"}, "Het contractminimum kan niet boven het maximum liggen."),
    ({"min_hours": "500"}, "Nummer moet tussen 0 en 40 liggen."),
    ({"min_hours": "veel"}, "Ongeldige float-waarde."),
    ({"perspectives": "victim,alien"}, "Onbekende waarde: alien"),
    ({"gender": "robot"}, "Ongeldige keuze."),
])
def test_absurd_expert_values_are_refused(app, auth, client, changes, message):
    auth.login("lead")
    with app.app_context():
        expert = _expert()
        data, eid = _expert_form(expert, **changes), expert.id
    response = client.post(f"/admin/expert/edit/?id={eid}", data=data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    with app.app_context():
        expert = _expert()
        assert (expert.min_hours, expert.max_hours, expert.perspectives, expert.gender) == (16, 24, "victim", "female")
        assert db.session.query(AuditEvent).filter_by(object_type="Expert").count() == 0


def test_leave_that_ends_before_it_starts_is_refused(app, auth, client):
    auth.login("coordinator")
    with app.app_context():
        eid = _expert().id
        before = db.session.query(Unavailability).count()
    response = client.post("/admin/unavailability/new/", data={
        "expert": eid, "reason": "leave", "start": "2030-01-05 00:00:00", "end": "2030-01-01 00:00:00", "note": ""})
    assert "Het einde moet na het begin liggen." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Unavailability).count() == before


def test_a_duplicate_partner_gets_a_clear_message_not_a_database_error(app, auth, client):
    auth.login("lead")
    with app.app_context():
        rr = _region().id
    response = client.post("/admin/partner/new/", data={"region": rr, "name": "Arosa", "active": "y"},
                           follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "botst met een ander" in html
    assert "UNIQUE constraint" not in html and "INSERT INTO" not in html
    with app.app_context():
        assert db.session.query(Partner).filter_by(name="Arosa").count() == 1


def test_deleting_a_user_who_is_an_expert_is_refused_with_a_clear_message(app, auth, client):
    auth.login("admin")
    with app.app_context():
        uid = db.session.query(User.id).filter_by(email="marco@eih.example").scalar()
    response = client.post("/admin/user/delete/", data={"id": uid}, follow_redirects=True)
    assert "wordt elders nog gebruikt" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, uid) is not None


@pytest.mark.parametrize("data,message", [
    ({"role": "lead", "region": "", "new_password": "long-enough-pass"}, "hoort bij een regio"),
    ({"role": "expert", "new_password": ""}, "heeft een wachtwoord nodig"),
    ({"role": "expert", "new_password": "short"}, "minstens 10 tekens"),
    ({"role": "wizard", "new_password": "long-enough-pass"}, "Ongeldige keuze."),
    ({"email": "lead@eih.example", "new_password": "long-enough-pass"}, "Er bestaat al"),
])
def test_bad_new_users_are_refused(app, auth, client, data, message):
    auth.login("admin")
    with app.app_context():
        hl = _region("haaglanden").id
        before = db.session.query(User).count()
    form = {"name": "Nieuw", "email": "nieuw@eih.example", "role": "expert", "region": hl, "active": "y",
            "locale": "nl", **data}
    html = client.post("/admin/user/new/", data=form, follow_redirects=True).get_data(as_text=True)
    assert message in html
    with app.app_context():
        assert db.session.query(User).count() == before


@pytest.mark.parametrize("query", ["?id=99999", "?id=abc", "?id=", ""])
@pytest.mark.parametrize("page", ["edit", "details"])
def test_unknown_ids_in_urls_are_not_found(auth, client, query, page):
    auth.login("lead")
    response = client.get(f"/admin/partner/{page}/{query}")
    assert response.status_code in (302, 404)
    if response.status_code == 404:
        assert "Pagina niet gevonden" in response.get_data(as_text=True)


def test_an_unknown_url_shows_a_friendly_page(auth, client):
    auth.login("lead")
    response = client.get("/admin/does-not-exist/")
    assert response.status_code == 404
    assert "Terug naar de startpagina" in response.get_data(as_text=True)


def test_a_forbidden_page_says_so(auth, client):
    auth.login("expert")
    response = client.get("/admin/partner/")
    assert response.status_code == 403
    assert "Je rol geeft geen toegang tot deze pagina." in response.get_data(as_text=True)


# -- CSRF -------------------------------------------------------------------------

@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_login_without_a_csrf_token_is_rejected(client):
    response = client.post("/login", data={"email": "lead@eih.example", "password": "demo-password-for-tests"})
    assert response.status_code == 400
    assert client.get("/admin/").status_code == 302


def _login_with_token(client, email="lead@eih.example"):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": email, "password": "demo-password-for-tests", "csrf_token": token})
    assert response.status_code == 302


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_an_admin_form_without_a_csrf_token_is_rejected_and_with_one_accepted(app, client):
    _login_with_token(client)
    with app.app_context():
        rr = _region().id
    response = client.post("/admin/partner/new/", data={"region": rr, "name": "Zonder token", "active": "y"})
    assert response.status_code == 400
    token = csrf_token(client.get("/admin/partner/new/").get_data(as_text=True))
    response = client.post("/admin/partner/new/", data={"region": rr, "name": "Met token", "active": "y",
                                                        "csrf_token": token})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.query(Partner).filter_by(name="Zonder token").count() == 0
        assert db.session.query(Partner).filter_by(name="Met token").count() == 1


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
@pytest.mark.parametrize("url,data", [
    ("/logout", {}),
    ("/admin/account/", {"lang-locale": "en"}),
    ("/admin/account/", {"pw-current": "demo-password-for-tests", "pw-new": "x" * 12, "pw-confirm": "x" * 12}),
])
def test_account_and_logout_posts_without_a_token_are_rejected(app, client, url, data):
    _login_with_token(client)
    assert client.post(url, data=data).status_code == 400
    assert client.get("/admin/").status_code == 200  # still logged in
    with app.app_context():
        user = db.session.query(User).filter_by(email="lead@eih.example").one()
        assert user.locale == "nl" and user.check_password("demo-password-for-tests")


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_the_plugin_matrix_without_a_token_is_rejected(app, client):
    _login_with_token(client, "admin@eih.example")
    with app.app_context():
        hl = _region("haaglanden").id
    assert client.post("/admin/plugins/", data={"region_id": hl, "plugin": "casework", "enabled": "0"}).status_code == 400


# -- home page per role ---------------------------------------------------------------

def test_the_admin_home_page_gives_an_overview_of_the_organisation(auth, client):
    auth.login("admin")
    html = client.get("/admin/").get_data(as_text=True)
    assert "13 actieve gebruikers" in html and "2 regio&#39;s" in html
    assert "/admin/plugins/" in html and "/admin/auditevent/" in html


def test_the_lead_home_page_shows_the_team_and_who_is_away(auth, client):
    auth.login("lead")
    html = client.get("/admin/").get_data(as_text=True)
    assert "7 actieve ervaringsdeskundigen" in html and "12 partnerorganisaties" in html
    assert "Priya: verlof tot" in html


def test_the_expert_home_page_shows_the_own_profile_only(auth, client):
    auth.login("expert")
    html = client.get("/admin/").get_data(as_text=True)
    assert "Contract: 16 tot 24 uur per week" in html and "Talen: nl, ar" in html
    assert "Priya" not in html and "/admin/expert/" not in html


def test_an_expert_sees_no_staff_menu(auth, client):
    auth.login("expert")
    html = client.get("/admin/").get_data(as_text=True)
    for url in ("/admin/expert/", "/admin/partner/", "/admin/user/", "/admin/plugins/", "/admin/unavailability/"):
        assert url not in html


# -- an administrator cannot lock themselves out ---------------------------------------

@pytest.mark.parametrize("changes", [{"role": "lead"}, {"active": ""}])
def test_an_admin_cannot_demote_or_deactivate_themselves(app, auth, client, changes):
    auth.login("admin")
    with app.app_context():
        me = db.session.query(User).filter_by(email="admin@eih.example").one()
        data = {"name": me.name, "email": me.email, "role": me.role, "region": me.region_id, "active": "y",
                "locale": "nl", "new_password": "", **changes}
        uid = me.id
    html = client.post(f"/admin/user/edit/?id={uid}", data=data).get_data(as_text=True)
    assert "Je kunt je eigen beheerdersrol niet afnemen" in html
    with app.app_context():
        me = db.session.get(User, uid)
        assert (me.role, me.active) == ("admin", True)


def test_an_admin_cannot_delete_their_own_account(app, auth, client):
    auth.login("admin")
    with app.app_context():
        uid = db.session.query(User.id).filter_by(email="admin@eih.example").scalar()
    html = client.post("/admin/user/delete/", data={"id": uid}, follow_redirects=True).get_data(as_text=True)
    assert "Je kunt je eigen account niet verwijderen." in html
    with app.app_context():
        assert db.session.get(User, uid) is not None


def test_the_bulk_delete_action_audits_every_deleted_record(app, auth, client):
    auth.login("lead")
    with app.app_context():
        rr = _region().id
        partners = [Partner(region_id=rr, name=f"Tijdelijk {i}") for i in range(3)]
        db.session.add_all(partners)
        db.session.commit()
        ids = [str(p.id) for p in partners]
    client.post("/admin/partner/action/", data={"action": "delete", "rowid": ids})
    with app.app_context():
        assert db.session.query(Partner).filter(Partner.name.like("Tijdelijk%")).count() == 0
        deleted = {e.object_id for e in db.session.query(AuditEvent).filter_by(action="delete", object_type="Partner")}
        assert deleted == set(ids)


def test_a_bulk_delete_with_ids_that_are_no_numbers_is_refused_and_deletes_nothing(app, auth, client):
    auth.login("lead")
    with app.app_context():
        before = db.session.query(Partner).count()
    response = client.post("/admin/partner/action/", data={"action": "delete", "rowid": ["1", "1 OR 1=1"]})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.query(Partner).count() == before


def test_a_get_on_a_form_address_gets_a_dutch_page_not_a_stack(client, auth):
    auth.login("lead")
    response = client.get("/admin/planning/solve")
    assert response.status_code == 405
    assert "Dit adres verwacht een formulier" in response.get_data(as_text=True)


def test_an_unexpected_error_shows_a_plain_page_and_changes_nothing(app, client, auth):
    from eih.models import Partner
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken():
        db.session.add(Partner(region_id=1, name="Half opgeslagen"))
        db.session.flush()
        raise RuntimeError("database details that must not reach the user")

    app.add_url_rule("/broken", view_func=broken)
    response = client.get("/broken")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Er ging iets mis" in page and "database details" not in page and "Traceback" not in page
    with app.app_context():
        assert db.session.query(Partner).filter_by(name="Half opgeslagen").count() == 0
