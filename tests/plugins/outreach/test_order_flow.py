"""The order flow: menu -> order -> preliminary talk -> session -> given -> evaluation -> follow-up."""
from __future__ import annotations

from datetime import timedelta

from eih import clock
from eih.extensions import db
from eih.models import AuditEvent
from eih.plugins.outreach import rules
from eih.plugins.outreach.models import OutreachOrder, OutreachSession

from .helpers import RR, expert, menu_item, offer, order, refused, region, session_for

FORM = "/voorlichting/rotterdam-rijnmond/bestellen"


def _order_id(app, reference):
    with app.app_context():
        return db.session.execute(db.select(OutreachOrder.id).filter_by(reference=reference)).scalar_one()


def test_an_order_goes_from_the_menu_through_talk_session_and_evaluation_to_a_follow_up(app, client, auth):
    menu = client.get("/voorlichting/rotterdam-rijnmond/menukaart").get_data(as_text=True)
    assert "Themalunch stalking" in menu and FORM in menu
    with app.app_context():
        lunch = offer("Themalunch stalking").id
    sent = client.post(FORM, data={
        "offer": lunch, "organisation": "Buurtteam Vlaardingen", "municipality": 0, "contact_name": "Ella de Boer",
        "contact_email": "ella@buurtteam.example", "audience": "Het hele team", "audience_size": 12,
        "wished_dates": "Een donderdag in maart", "goal": "Stalking eerder herkennen."})
    assert sent.status_code == 302 and sent.location.endswith("/bestellen/ontvangen")
    confirmation = client.get(sent.location).get_data(as_text=True)
    with app.app_context():
        made = db.session.execute(db.select(OutreachOrder).filter_by(organisation="Buurtteam Vlaardingen")).scalar_one()
        reference, order_id = made.reference, made.id
        assert (made.status, made.source, made.received_on) == ("new", "public", clock.today())
    assert reference in confirmation and "uw aanvraag is ontvangen" in confirmation

    auth.login("lead")
    assert reference in client.get("/admin/").get_data(as_text=True)  # on the lead's home page as new
    page = f"/admin/outreach/order/{order_id}"
    today = clock.today()
    client.post(f"{page}/talk", data={"talk_on": today.isoformat()})
    refused = client.post(f"{page}/session", data={"day": today.isoformat(), "start": "10:00", "end": "11:00"},
                          follow_redirects=True).get_data(as_text=True)
    assert "Houd eerst het voorgesprek" in refused
    client.post(f"{page}/talk", data={"talk_on": today.isoformat(), "held": "y",
                                      "agreed_goal": "Signalen van stalking herkennen.", "expectations": "Een uur."})
    planned = client.post(f"{page}/session", data={"day": today.isoformat(), "start": "10:00", "end": "11:00",
                                                   "place": "Stadskantoor Vlaardingen"})
    session_page = planned.location
    assert "/admin/outreach/session/" in session_page
    with app.app_context():
        session_id = db.session.execute(db.select(OutreachSession.id).filter_by(order_id=order_id)).scalar_one()
        yvonne = expert("yvonne").id
        assert db.session.get(OutreachOrder, order_id).status == "planned"
    client.post(f"/admin/outreach/session/{session_id}/experts", data={"expert": [yvonne]})
    client.post(f"/admin/outreach/session/{session_id}/given", data={"audience_reached": 11})
    client.post(f"/admin/outreach/session/{session_id}/evaluation", data={"score": 4, "remarks": "Heel leerzaam."})
    with app.app_context():
        assert db.session.get(OutreachOrder, order_id).status == "evaluated"
    remind = today + timedelta(weeks=6)
    client.post(f"{page}/follow-up", data={"follow_up": "Terugkomsessie na de zomer.", "remind_on": remind.isoformat()})
    client.post(f"{page}/follow-up-done")
    with app.app_context():
        done = db.session.get(OutreachOrder, order_id)
        given = db.session.get(OutreachSession, session_id)
        assert (done.status, done.agreed_goal, done.follow_up_on, done.follow_up_done_on) == (
            "closed", "Signalen van stalking herkennen.", remind, today)
        assert ([e.name for e in given.experts], given.status, given.audience_reached, given.score) == (
            ["Yvonne"], "given", 11, 4)
        actions = db.session.execute(db.select(AuditEvent.action, AuditEvent.object_type).where(
            AuditEvent.object_id.in_([str(order_id), str(session_id)]))).all()
        assert ("create", "OutreachOrder") in actions and ("update", "OutreachSession") in actions


def test_a_session_is_planned_only_after_the_preliminary_talk_unless_the_region_waives_it(app):
    with app.app_context():
        made = order(menu_item(), talk=False)
        with refused("preliminary talk first"):
            session_for(made, clock.today() + timedelta(days=7))
        rules.plan_talk(made, clock.today() + timedelta(days=2))
        assert made.status == "talk"
        with refused(""):
            session_for(made, clock.today() + timedelta(days=7))
        from eih.models import PluginState
        db.session.execute(db.select(PluginState).filter_by(region_id=region().id, plugin="outreach")).scalar_one() \
            .settings = {"talk_required": False}
        assert session_for(made, clock.today() + timedelta(days=7)).status == "planned"


def test_a_session_in_the_future_or_without_experts_cannot_be_recorded_as_given(app):
    with app.app_context():
        made = order(menu_item())
        later = session_for(made, clock.today() + timedelta(days=3))
        rules.set_session_experts(later, [expert("amal")])
        with refused("future"):
            rules.record_given(later, 10, clock.today())
        now = session_for(made, clock.today())
        with refused("No expert"):
            rules.record_given(now, 10, clock.today())
        rules.set_session_experts(now, [expert("amal")])
        with refused("people reached"):
            rules.record_given(now, -1, clock.today())
        assert now.status == "planned"


def test_only_a_given_session_is_evaluated_with_a_score_from_one_to_five(app):
    with app.app_context():
        made = order(menu_item())
        item = session_for(made, clock.today())
        with refused("given can be evaluated"):
            rules.record_evaluation(item, 4, "", clock.today())
        rules.set_session_experts(item, [expert("amal")])
        rules.record_given(item, 8, clock.today())
        assert made.status == "given"
        for bad in (0, 6, None):
            with refused("1 to 5"):
                rules.record_evaluation(item, bad, "", clock.today())
        rules.record_evaluation(item, 5, "Prima", clock.today(), audience_reached=9)
        assert (made.status, item.audience_reached, item.evaluated_on) == ("evaluated", 9, clock.today())


def test_a_follow_up_is_agreed_after_the_session_with_a_text_and_a_reminder_date(app):
    with app.app_context():
        made = order(menu_item())
        with refused("after the session"):
            rules.agree_follow_up(made, "Vervolg", clock.today())
        item = session_for(made, clock.today())
        rules.set_session_experts(item, [expert("amal")])
        rules.record_given(item, 8, clock.today())
        with refused("reminder date"):
            rules.agree_follow_up(made, "Vervolg", None)
        with refused("reminder date"):
            rules.agree_follow_up(made, "  ", clock.today())
        with refused("No follow-up"):
            rules.complete_follow_up(made, clock.today())
        rules.agree_follow_up(made, "Vervolg", clock.today() + timedelta(days=30))
        with refused("after its evaluation"):
            rules.close_order(made)
        rules.complete_follow_up(made, clock.today())
        assert made.status == "closed"
        with refused("closed or cancelled"):
            rules.plan_talk(made, clock.today())


def test_an_evaluated_order_closes_without_follow_up_but_not_with_an_open_one(app):
    with app.app_context():
        made = order(menu_item())
        item = session_for(made, clock.today())
        rules.set_session_experts(item, [expert("amal")])
        rules.record_given(item, 8, clock.today())
        rules.record_evaluation(item, 3, "", clock.today())
        rules.agree_follow_up(made, "Nabellen", clock.today() + timedelta(days=7))
        with refused("not done yet"):
            rules.close_order(made)
        made.follow_up, made.follow_up_on = "", None
        rules.close_order(made)
        assert made.status == "closed"


def test_cancelling_an_order_cancels_its_planned_sessions_and_frees_their_experts(app):
    with app.app_context():
        made = order(menu_item())
        item = session_for(made, clock.today() + timedelta(days=5))
        rules.set_session_experts(item, [expert("amal")])
        with refused("reason"):
            rules.cancel_order(made, " ")
        assert rules.cancel_order(made, "Budget ingetrokken") == [item]
        assert (made.status, item.status, item.experts, item.cancel_reason) == (
            "cancelled", "cancelled", [], "Budget ingetrokken")


def test_the_coordinator_reads_an_order_but_cannot_change_it(app, client, auth):
    with app.app_context():
        order_id = db.session.execute(db.select(OutreachOrder.id).filter_by(status="new")).scalars().first()
    auth.login("coordinator")
    assert client.get(f"/admin/outreach/order/{order_id}/").status_code == 200
    assert client.post(f"/admin/outreach/order/{order_id}/talk", data={"talk_on": "2026-01-05"}).status_code == 403
    assert client.post(f"/admin/outreach/order/{order_id}/cancel", data={"reason": "x"}).status_code == 403
    with app.app_context():
        assert db.session.get(OutreachOrder, order_id).status == "new"


def test_a_refused_step_says_why_in_dutch_and_changes_nothing(app, client, auth):
    with app.app_context():
        made = order(menu_item())
        item = session_for(made, clock.today() + timedelta(days=4))
        rules.set_session_experts(item, [expert("amal")])
        db.session.commit()
        session_id = item.id
    auth.login("lead")
    page = client.post(f"/admin/outreach/session/{session_id}/given", data={"audience_reached": 20},
                       follow_redirects=True).get_data(as_text=True)
    assert "Een sessie in de toekomst kan nog niet gegeven zijn." in page
    with app.app_context():
        assert db.session.get(OutreachSession, session_id).status == "planned"


def test_another_regions_lead_gets_404_for_an_order_of_rotterdam(app, client, auth):
    from eih.plugins import set_enabled
    with app.app_context():
        set_enabled(region("haaglanden").id, "outreach", True)
        db.session.commit()
        order_id = db.session.execute(db.select(OutreachOrder.id)).scalars().first()
        session_id = db.session.execute(db.select(OutreachSession.id)).scalars().first()
    auth.login("lead_b")
    assert client.get(f"/admin/outreach/order/{order_id}/").status_code == 404
    assert client.get(f"/admin/outreach/session/{session_id}/").status_code == 404
    assert client.get(f"/admin/outreach_order/details/?id={order_id}").status_code == 404
    assert client.post(f"/admin/outreach/order/{order_id}/cancel", data={"reason": "x"}).status_code == 404


def test_the_lead_enters_an_order_taken_by_phone_and_it_gets_a_reference(app, client, auth):
    with app.app_context():
        lunch = offer("Themalunch stalking").id
    auth.login("lead")
    response = client.post("/admin/outreach_order/new/", data={
        "offer": lunch, "organisation": "Huisartsenpraktijk De Linde", "contact_name": "Dr. Bakker",
        "contact_email": "bakker@delinde.example", "audience": "Praktijkondersteuners", "audience_size": 6,
        "wished_dates": "Voorjaar", "goal": "Signalen herkennen."})
    assert response.status_code == 302
    with app.app_context():
        made = db.session.execute(db.select(OutreachOrder).filter_by(organisation="Huisartsenpraktijk De Linde")) \
            .scalar_one()
        assert (made.source, made.status, made.region.slug) == ("lead", "new", RR)
        assert made.reference == f"VL-{made.received_on:%Y}-{made.id:04d}"
