"""The printable menu and the public order form: no account, CSRF, rate limited,
per region; hostile input is refused with nothing stored and never rendered as markup."""
from __future__ import annotations

import pytest

from eih.extensions import db
from eih.models import AuditEvent, Municipality
from eih.plugins import set_enabled
from eih.plugins.outreach.models import OutreachOrder
from tests.conftest import csrf_token

from .helpers import menu_item, offer, region, topic

MENU = "/voorlichting/rotterdam-rijnmond/menukaart"
FORM = "/voorlichting/rotterdam-rijnmond/bestellen"
SCRIPT = "<script>alert(1)</script>"


def _valid(app, **changes) -> dict:
    with app.app_context():
        data = {"offer": offer("Themalunch stalking").id, "organisation": "Wijkteam Maassluis", "municipality": 0,
                "contact_name": "Karin Smit", "contact_email": "karin@wijkteam.example", "contact_phone": "010-1234567",
                "audience": "Nieuwe medewerkers", "audience_size": 10, "wished_dates": "In april",
                "goal": "Weten wat een ervaringsdeskundige doet."}
    data.update(changes)
    return data


def _orders(app) -> int:
    with app.app_context():
        return db.session.execute(db.select(db.func.count(OutreachOrder.id))).scalar_one()


def test_the_printable_menu_lists_the_published_items_by_topic_and_links_to_the_order_form(app, client):
    with app.app_context():
        menu_item("Verborgen workshop", published=False)
        menu_item("Workshop van een oud thema", topic_obj=topic(name="Oud thema", active=False))
        db.session.commit()
    html = client.get(MENU).get_data(as_text=True)
    assert "Menukaart voorlichting" in html and "Het plegerperspectief" in html
    assert "Lezing: het plegerperspectief" in html and "lezing" in html and "90 minuten" in html
    assert "30 tot 150 personen" in html and "plegerperspectief" in html
    assert "Verborgen workshop" not in html and "Workshop van een oud thema" not in html
    assert 'href="/voorlichting/rotterdam-rijnmond/bestellen"' in html
    assert "@media print" in html


def test_an_order_from_the_form_arrives_as_new_with_a_reference_and_an_access_log_entry(app, client):
    form = client.get(FORM).get_data(as_text=True)
    assert "Een sessie aanvragen" in form and "Themalunch stalking (themalunch)" in form and "Schiedam" in form
    with app.app_context():
        schiedam = db.session.execute(db.select(Municipality.id).filter_by(name="Schiedam")).scalar_one()
    before = _orders(app)
    response = client.post(FORM, data=_valid(app, municipality=schiedam))
    assert response.status_code == 302
    with app.app_context():
        made = db.session.execute(db.select(OutreachOrder).filter_by(organisation="Wijkteam Maassluis")).scalar_one()
        assert (made.status, made.source, made.municipality.name, made.audience_size) == (
            "new", "public", "Schiedam", 10)
        assert db.session.execute(db.select(AuditEvent).filter_by(
            object_type="OutreachOrder", object_id=str(made.id), action="create")).scalar_one().user_id is None
        reference = made.reference
    assert _orders(app) == before + 1
    confirmation = client.get(response.location).get_data(as_text=True)
    assert reference in confirmation and "voorgesprek" in confirmation


def test_the_confirmation_page_without_an_order_sends_back_to_the_form(client):
    response = client.get(FORM + "/ontvangen")
    assert response.status_code == 302 and response.location.endswith(FORM)


HOSTILE = {
    "no organisation": {"organisation": ""},
    "organisation too long": {"organisation": "x" * 161},
    "no contact": {"contact_name": "  "},
    "no e-mail address": {"contact_email": ""},
    "not an e-mail address": {"contact_email": "karin at wijkteam"},
    "script as e-mail address": {"contact_email": SCRIPT},
    "letters as phone": {"contact_phone": "bel me " + SCRIPT},
    "no item": {"offer": 0},
    "unknown item": {"offer": 999999},
    "not a number as item": {"offer": "abc"},
    "unknown municipality": {"municipality": 999999},
    "audience size zero": {"audience_size": 0},
    "negative audience": {"audience_size": -5},
    "huge audience": {"audience_size": 10 ** 9},
    "audience size text": {"audience_size": SCRIPT},
    "goal too long": {"goal": "x" * 2001},
    "null byte in the goal": {"goal": "een doel\x00"},
    "control character in the audience": {"audience": "team\x1b[31m"},
    "no wished dates": {"wished_dates": ""},
}


@pytest.mark.parametrize("change", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_refused_order_stores_nothing_and_renders_no_markup(app, client, change):
    before = _orders(app)
    response = client.post(FORM, data=_valid(app, **{k: v for k, v in change.items()}))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Niet alles is goed ingevuld; er is niets verstuurd." in html
    assert SCRIPT not in html
    assert _orders(app) == before


def test_an_item_of_another_region_or_off_the_menu_cannot_be_ordered(app, client):
    with app.app_context():
        set_enabled(region("haaglanden").id, "outreach", True)
        elsewhere = menu_item("Haagse workshop", region_obj=region("haaglanden")).id
        hidden = menu_item("Nog niet op de kaart", published=False).id
        db.session.commit()
    before = _orders(app)
    for offer_id in (elsewhere, hidden):
        assert client.post(FORM, data=_valid(app, offer=offer_id)).status_code == 400
    assert _orders(app) == before


def test_script_in_an_accepted_order_is_shown_as_text_to_the_lead(app, client, auth):
    client.post(FORM, data=_valid(app, organisation=SCRIPT + " BV", goal=SCRIPT))
    with app.app_context():
        order_id = db.session.execute(db.select(OutreachOrder.id).filter_by(organisation=SCRIPT + " BV")).scalar_one()
    auth.login("lead")
    for url in ("/admin/outreach/", f"/admin/outreach/order/{order_id}/", "/admin/outreach_order/", "/admin/"):
        html = client.get(url).get_data(as_text=True)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and SCRIPT not in html, url


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_the_order_form_needs_its_csrf_token(app, client):
    before = _orders(app)
    assert client.post(FORM, data=_valid(app)).status_code == 400
    assert _orders(app) == before
    token = csrf_token(client.get(FORM).get_data(as_text=True))
    assert client.post(FORM, data=_valid(app, csrf_token=token)).status_code == 302
    assert _orders(app) == before + 1


def test_too_many_orders_from_one_address_get_a_dutch_page_and_change_nothing(app, client):
    before = _orders(app)
    for n in range(5):
        assert client.post(FORM, data=_valid(app, organisation=f"Organisatie {n}")).status_code == 302
    blocked = client.post(FORM, data=_valid(app, organisation="Organisatie 6"))
    assert blocked.status_code == 429 and "Te vaak geprobeerd" in blocked.get_data(as_text=True)
    assert _orders(app) == before + 5
    assert client.get(FORM).status_code == 200  # reading the form is not limited


def test_menu_and_order_form_answer_404_where_outreach_is_off(app, client):
    assert client.get("/voorlichting/haaglanden/menukaart").status_code == 404
    assert client.get("/voorlichting/haaglanden/bestellen").status_code == 404
    assert client.get("/voorlichting/nergens/bestellen").status_code == 404
    with app.app_context():
        set_enabled(region().id, "outreach", False)
        db.session.commit()
    before = _orders(app)
    assert client.get(MENU).status_code == 404
    assert client.post(FORM, data=_valid(app)).status_code == 404
    assert _orders(app) == before


def test_the_order_form_reads_in_english_on_request(client):
    html = client.get(FORM + "?lang=en").get_data(as_text=True)
    assert "Order a session" in html and "Een sessie aanvragen" not in html
