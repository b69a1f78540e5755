"""Region isolation: a lead of Haaglanden never lists, opens or changes a Rotterdam-Rijnmond record."""
from __future__ import annotations

import pytest

from eih.extensions import db
from eih.models import AuditEvent, Expert, Municipality, Partner, Unavailability, User

RR = "rotterdam-rijnmond"


def _rr_ids(app):
    with app.app_context():
        priya = db.session.query(Expert).join(User).filter(User.email == "priya@eih.example").one()
        return {
            "partner": db.session.query(Partner).filter_by(name="Arosa").one().id,
            "expert": db.session.query(Expert).join(User).filter(User.email == "amal@eih.example").one().id,
            "unavailability": priya.unavailability[0].id,
            "municipality": db.session.query(Municipality).filter_by(name="Schiedam").one().id,
        }


@pytest.fixture
def rr_ids(app):
    return _rr_ids(app)


@pytest.fixture
def lead_b(auth):
    auth.login("lead_b")
    return auth.client


@pytest.mark.parametrize("endpoint,foreign,own", [
    ("partner", "Arosa", "Veilig Thuis Haaglanden"),
    ("expert", "Amal", "Noor"),
    ("unavailability", "vakantie", None),
    ("municipality", "Schiedam", "Delft"),
])
def test_the_list_shows_only_records_of_the_own_region(lead_b, endpoint, foreign, own):
    page = lead_b.get(f"/admin/{endpoint}/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert foreign not in html
    if own:
        assert own in html


@pytest.mark.parametrize("endpoint", ["partner", "expert", "unavailability", "municipality"])
@pytest.mark.parametrize("page", ["edit", "details"])
def test_opening_a_record_of_another_region_by_id_is_not_found(lead_b, rr_ids, endpoint, page):
    response = lead_b.get(f"/admin/{endpoint}/{page}/?id={rr_ids[endpoint]}")
    if endpoint == "municipality" and page == "edit":  # leads may not edit municipalities at all
        assert response.status_code == 302 and "Schiedam" not in response.get_data(as_text=True)
    else:
        assert response.status_code == 404


def test_posting_an_edit_of_another_regions_partner_changes_nothing(app, lead_b, rr_ids):
    response = lead_b.post(f"/admin/partner/edit/?id={rr_ids['partner']}", data={"name": "Taken over", "active": "y"})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Partner, rr_ids["partner"]).name == "Arosa"
        assert db.session.query(AuditEvent).filter_by(object_type="Partner").count() == 0


def test_posting_an_edit_of_another_regions_expert_changes_nothing(app, lead_b, rr_ids):
    response = lead_b.post(f"/admin/expert/edit/?id={rr_ids['expert']}", data={"gender": "male", "min_hours": "1"})
    assert response.status_code == 404
    with app.app_context():
        expert = db.session.get(Expert, rr_ids["expert"])
        assert (expert.gender, expert.min_hours) == ("female", 16)


def test_posting_an_edit_of_another_regions_leave_changes_nothing(app, lead_b, rr_ids):
    response = lead_b.post(f"/admin/unavailability/edit/?id={rr_ids['unavailability']}",
                           data={"reason": "other", "note": "changed", "start": "2030-01-01 00:00:00",
                                 "end": "2030-01-02 00:00:00"})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Unavailability, rr_ids["unavailability"]).note == "vakantie"


@pytest.mark.parametrize("endpoint,model", [("partner", Partner), ("unavailability", Unavailability)])
def test_deleting_a_record_of_another_region_by_id_changes_nothing(app, lead_b, rr_ids, endpoint, model):
    assert lead_b.post(f"/admin/{endpoint}/delete/", data={"id": rr_ids[endpoint]}).status_code == 404
    with app.app_context():
        assert db.session.get(model, rr_ids[endpoint]) is not None


def test_the_bulk_delete_action_skips_records_of_another_region(app, lead_b, rr_ids):
    lead_b.post("/admin/partner/action/", data={"action": "delete", "rowid": [str(rr_ids["partner"])]})
    with app.app_context():
        assert db.session.get(Partner, rr_ids["partner"]) is not None


def test_create_forms_offer_only_the_own_regions_records(lead_b):
    expert_form = lead_b.get("/admin/expert/new/").get_data(as_text=True)
    assert "Noor" in expert_form and "Amal" not in expert_form and "Rotterdam-Rijnmond" not in expert_form
    leave_form = lead_b.get("/admin/unavailability/new/").get_data(as_text=True)
    assert "Noor" in leave_form and "Priya" not in leave_form and "Amal" not in leave_form
    partner_form = lead_b.get("/admin/partner/new/").get_data(as_text=True)
    assert "Haaglanden" in partner_form and "Rotterdam-Rijnmond" not in partner_form


def test_a_partner_cannot_be_created_in_another_region(app, lead_b):
    with app.app_context():
        from eih.models import Region
        rr = db.session.query(Region).filter_by(slug=RR).one().id
    response = lead_b.post("/admin/partner/new/", data={"region": str(rr), "name": "Smuggled", "active": "y"})
    assert response.status_code == 200  # the form again, with the error
    with app.app_context():
        assert db.session.query(Partner).filter_by(name="Smuggled").count() == 0


def test_leave_cannot_be_entered_for_an_expert_of_another_region(app, lead_b, rr_ids):
    response = lead_b.post("/admin/unavailability/new/", data={
        "expert": str(rr_ids["expert"]), "reason": "leave", "start": "2030-01-01 00:00:00",
        "end": "2030-01-05 00:00:00", "note": ""})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.query(Unavailability).filter_by(expert_id=rr_ids["expert"]).count() == 0


def test_a_partner_created_by_a_lead_lands_in_the_leads_region(app, lead_b):
    with app.app_context():
        from eih.models import Region
        hl = db.session.query(Region).filter_by(slug="haaglanden").one().id
    response = lead_b.post("/admin/partner/new/", data={"region": str(hl), "name": "Wijkteam Delft", "active": "y"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.query(Partner).filter_by(name="Wijkteam Delft").one().region_id == hl


def test_admins_see_every_region(app, auth, client, rr_ids):
    auth.login("admin")
    html = client.get("/admin/partner/").get_data(as_text=True)
    assert "Arosa" in html and "Veilig Thuis Haaglanden" in html
    assert client.get(f"/admin/partner/edit/?id={rr_ids['partner']}").status_code == 200
