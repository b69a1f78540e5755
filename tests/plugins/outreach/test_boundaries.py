"""Story boundaries: kept on the expert's profile, theirs to edit (and the lead's),
shown next to the candidates of a session, and respected by every choice of experts."""
from __future__ import annotations

from datetime import timedelta

from eih import clock
from eih.extensions import db
from eih.plugins.outreach import rules
from eih.plugins.outreach.models import OutreachSession, StoryBoundary

from .helpers import boundary, expert, menu_item, order, refused, session_for


def _boundaries_of(name):
    return {b.setting: (b.level, b.note) for b in db.session.execute(
        db.select(StoryBoundary).filter_by(expert_id=expert(name).id)).scalars()}


def test_an_expert_keeps_their_own_story_boundaries_and_sees_no_one_elses(app, client, auth):
    with app.app_context():
        youssefs = db.session.execute(db.select(StoryBoundary.id).filter_by(expert_id=expert("youssef").id)).scalar()
        amals = db.session.execute(db.select(StoryBoundary.id).filter_by(expert_id=expert("amal").id,
                                                                        setting="small_group")).scalar_one()
    auth.login("expert")  # Amal
    listing = client.get("/admin/outreach_myboundary/").get_data(as_text=True)
    assert "Geen opnames: ze wil niet herkenbaar zijn." in listing and "Wel over zijn verandering" not in listing
    response = client.post("/admin/outreach_myboundary/new/", data={
        "setting": "education", "level": "partial", "note": "Alleen over mijn herstel."})
    assert response.status_code == 302
    client.post(f"/admin/outreach_myboundary/edit/?id={amals}", data={
        "setting": "small_group", "level": "partial", "note": "Niet over mijn kinderen."})
    assert client.get(f"/admin/outreach_myboundary/edit/?id={youssefs}").status_code == 404
    assert client.post(f"/admin/outreach_myboundary/edit/?id={youssefs}", data={
        "setting": "recorded", "level": "none", "note": "gewijzigd"}).status_code == 404
    assert client.get("/admin/outreach_boundary/").status_code == 403
    with app.app_context():
        mine = _boundaries_of("amal")
        assert mine["education"] == ("partial", "Alleen over mijn herstel.")
        assert mine["small_group"] == ("partial", "Niet over mijn kinderen.")
        assert _boundaries_of("youssef")["recorded"][1] != "gewijzigd"


def test_a_boundary_needs_a_known_setting_and_level(app, client, auth):
    auth.login("expert")
    with app.app_context():
        before = len(_boundaries_of("amal"))
    for data in ({"setting": "tv", "level": "full"}, {"setting": "education", "level": "alles"}):
        assert client.post("/admin/outreach_myboundary/new/", data=data).status_code == 200  # the form again
    with app.app_context():
        assert len(_boundaries_of("amal")) == before


def test_the_lead_edits_an_experts_boundary_and_the_coordinator_only_reads(app, client, auth):
    with app.app_context():
        kwame = expert("kwame").id
    auth.login("lead")
    assert client.post("/admin/outreach_boundary/new/", data={
        "expert": kwame, "setting": "large_audience", "level": "none",
        "note": "Liever kleine groepen."}).status_code == 302
    auth.logout()
    auth.login("coordinator")
    assert "Liever kleine groepen." in client.get("/admin/outreach_boundary/").get_data(as_text=True)
    assert client.post("/admin/outreach_boundary/new/", data={
        "expert": kwame, "setting": "education", "level": "none"}).status_code == 302
    with app.app_context():
        assert set(_boundaries_of("kwame")) == {"large_audience"}


def test_a_sessions_setting_follows_its_form_and_expected_audience(app):
    with app.app_context():
        today = clock.today() + timedelta(days=2)
        small = session_for(order(menu_item("Klein", audience_max=20)), today)
        assert rules.setting_of(small, 30) == "small_group"
        big = session_for(order(menu_item("Groot", audience_max=20), audience_size=45), today)
        assert rules.setting_of(big, 30) == "large_audience"
        recorded = session_for(order(menu_item("Podcast", form="podcast_webinar")), today)
        assert rules.setting_of(recorded, 30) == "recorded"
        lecture = session_for(order(menu_item("Gastles", form="guest_lecture", audience_max=200)), today)
        assert rules.setting_of(lecture, 30) == "education"


def test_the_session_page_shows_each_candidates_boundary_in_the_sessions_setting(app, client, auth):
    with app.app_context():
        webinar = db.session.execute(db.select(OutreachSession).where(
            OutreachSession.status == "planned", OutreachSession.offer.has(form="podcast_webinar"))).scalars().first()
        session_id = webinar.id
    auth.login("lead")
    html = client.get(f"/admin/outreach/session/{session_id}/").get_data(as_text=True)
    assert "opgenomen (podcast, webinar)" in html
    assert "Geen opnames: ze wil niet herkenbaar zijn." in html
    assert "Amal deelt het eigen verhaal niet in deze setting." in html
    assert "Wel over zijn verandering, niet over zijn familie." in html
    assert f'value="{_expert_id(app, "amal")}" id="expert-{_expert_id(app, "amal")}" aria-label="Amal" disabled' in html


def _expert_id(app, name):
    with app.app_context():
        return expert(name).id


def test_no_one_gives_a_session_in_a_setting_they_ruled_out(app, client, auth):
    with app.app_context():
        item = session_for(order(menu_item("Kleine workshop")), clock.today() + timedelta(days=3))
        boundary(expert("yvonne"), "small_group", "none", "Niet in kleine groepen.")
        with refused("does not share their story"):
            rules.set_session_experts(item, [expert("yvonne")])
        db.session.commit()
        session_id, yvonne = item.id, expert("yvonne").id
    auth.login("lead")
    page = client.post(f"/admin/outreach/session/{session_id}/experts", data={"expert": [yvonne]},
                       follow_redirects=True).get_data(as_text=True)
    assert "Yvonne deelt het eigen verhaal niet in deze setting." in page
    with app.app_context():
        assert db.session.get(OutreachSession, session_id).experts == []


def test_an_expert_sees_their_own_boundary_on_the_session_they_give_and_nothing_of_the_contact(app, client, auth):
    with app.app_context():
        made = order(menu_item("Kleine workshop"), contact_phone="06-12345678")
        item = session_for(made, clock.today() + timedelta(days=3))
        rules.set_session_experts(item, [expert("amal")])
        other = session_for(made, clock.today() + timedelta(days=10))
        db.session.commit()
        mine, not_mine = item.id, other.id
    auth.login("expert")
    html = client.get(f"/admin/outreach/session/{mine}/").get_data(as_text=True)
    assert "Mijn grens bij mijn verhaal in deze setting" in html and "deelt het hele verhaal" in html
    assert "Het afgesproken doel." in html
    assert "c@example.org" not in html and "06-12345678" not in html
    assert client.get(f"/admin/outreach/session/{not_mine}/").status_code == 403
    listing = client.get("/admin/outreach_session/").get_data(as_text=True)
    assert f"/admin/outreach/session/{mine}/" in listing and f"/admin/outreach/session/{not_mine}/" not in listing
