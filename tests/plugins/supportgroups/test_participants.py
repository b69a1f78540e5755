"""Participants: waitlist order, joining, leaving, first names only, need-to-know access."""
from datetime import date

import pytest

from eih import clock
from eih.extensions import db
from eih.models import AuditEvent
from eih.plugins.supportgroups.models import Participant
from eih.plugins.supportgroups.rules import RuleError, change_status, put_first_on_waitlist, waitlist

from .helpers import by_slug, group, person


def test_waitlist_is_first_come_first_served(app):
    with app.app_context():
        g = group()
        late = person(g, "Late", "waitlist", date(2024, 3, 1))
        early = person(g, "Early", "waitlist", date(2024, 1, 1))
        middle = person(g, "Middle", "waitlist", date(2024, 2, 1))
        person(g, "Member", "member")
        assert waitlist(g) == [early, middle, late]


def test_coordinator_override_puts_someone_first_and_the_rest_keeps_its_order(app):
    with app.app_context():
        g = group()
        a, b, c = (person(g, n, "waitlist", date(2024, 1, d)) for n, d in (("A", 1), ("B", 2), ("C", 3)))
        put_first_on_waitlist(c)
        assert waitlist(g) == [c, a, b]
        put_first_on_waitlist(b)
        assert waitlist(g) == [b, c, a]


def test_override_on_the_web_page_moves_to_the_front(app, client, auth):
    with app.app_context():
        women = by_slug("vrouwengroep")
        newcomer = person(women, "Nieuw", "waitlist", clock.today())
        db.session.commit()
        gid, pid = women.id, newcomer.id
    auth.login("coordinator")
    assert client.post(f"/admin/supportgroups/participant/{pid}/first").status_code == 302
    with app.app_context():
        assert waitlist(db.session.get(Participant, pid).group)[0].id == pid
    page = client.get(f"/admin/supportgroups/group/{gid}/").get_data(as_text=True)
    assert page.index("Nieuw") < page.index("Linde")


def test_joining_needs_the_get_acquainted_talk(app):
    with app.app_context():
        g = group(intro_required=True)
        p = person(g, "Jan", "waitlist")
        with pytest.raises(RuleError, match="kennismakingsgesprek"):
            change_status(p, "member", date(2024, 2, 1))
        p.intro_status = "done"
        change_status(p, "intake", date(2024, 2, 1))
        change_status(p, "member", date(2024, 2, 8))
        assert (p.status, p.joined_on, p.left_waitlist_on) == ("member", date(2024, 2, 8), date(2024, 2, 1))


def test_a_full_group_takes_no_new_member(app):
    with app.app_context():
        g = group(capacity=1, intro_required=False)
        person(g, "Een", "member")
        with pytest.raises(RuleError, match="vol"):
            change_status(person(g, "Twee", "intake"), "member", date(2024, 2, 1))


def test_a_closed_group_takes_no_newcomers_once_started(app):
    from eih.plugins.supportgroups.rules import generate_sessions
    with app.app_context():
        g = group(is_open=False, intro_required=False)
        generate_sessions(g, date(2024, 1, 1), date(2024, 1, 10))[0].status = "held"
        with pytest.raises(RuleError, match="gesloten"):
            change_status(person(g, "Laat", "intake"), "member", date(2024, 1, 20))


def test_leaving_needs_a_reason_and_keeps_the_date(app):
    with app.app_context():
        p = person(group(), "Piet", "member")
        with pytest.raises(RuleError, match="reden"):
            change_status(p, "left", date(2024, 5, 1))
        change_status(p, "left", date(2024, 5, 1), "moved away")
        assert (p.status, p.left_on, p.left_reason) == ("left", date(2024, 5, 1), "moved away")
        with pytest.raises(RuleError):
            change_status(p, "member", date(2024, 6, 1))


def test_first_name_only_group_stores_no_surname(app, client, auth):
    auth.login("coordinator")
    with app.app_context():
        men = by_slug("mannengroep")
        gid = men.id
    form = {"group": gid, "name": "Sander", "surname": "de Vries", "status": "waitlist", "intro_status": "none",
            "registered_on": "2024-05-01", "referrer_contact": "", "left_reason": ""}
    client.post("/admin/supportgroups_participant/new/", data=form)
    client.post("/admin/supportgroups_participant/new/", data={**form, "surname": "", "name": "Sander de Vries"})
    with app.app_context():
        assert db.session.query(Participant).filter(Participant.name.like("Sander%")).count() == 0
    client.post("/admin/supportgroups_participant/new/", data={**form, "surname": ""})
    with app.app_context():
        saved = db.session.query(Participant).filter_by(name="Sander").one()
        assert saved.surname is None and saved.status == "waitlist"


def test_switching_to_first_names_only_erases_every_surname(app, client, auth):
    auth.login("coordinator")
    with app.app_context():
        g = group(first_name_only=False)
        person(g, "Anna", surname="Jansen")
        db.session.commit()
        gid = g.id
        form = {c.name: getattr(g, c.name) for c in g.__table__.columns if c.name not in ("id", "region_id")}
    form.update(first_name_only="y", start_time="19:00", active_from="2024-01-01", active_until="",
                target_gender="", perspective="", custom_dates="", load="3")
    form = {k: v for k, v in form.items() if v is not None and v is not False}
    response = client.post(f"/admin/supportgroups_group/edit/?id={gid}", data=form)
    assert response.status_code == 302
    with app.app_context():
        anna = db.session.query(Participant).filter_by(name="Anna").one()
        assert anna.surname is None and anna.group.first_name_only


def test_facilitator_of_one_group_cannot_open_another_groups_participants(app, client, auth):
    with app.app_context():
        men, women = by_slug("mannengroep"), by_slug("vrouwengroep")
        man = db.session.query(Participant).filter_by(group_id=men.id).first().id
        woman = db.session.query(Participant).filter_by(group_id=women.id).first().id
        men_id = men.id
    auth.login("expert")  # Amal leads the women's group only
    assert client.get(f"/admin/supportgroups_participant/details/?id={woman}").status_code == 200
    assert client.get(f"/admin/supportgroups_participant/details/?id={man}").status_code == 404
    assert client.get(f"/admin/supportgroups/group/{men_id}/").status_code == 403
    assert client.get(f"/admin/supportgroups/group/{men_id}/stats").status_code == 403
    listing = client.get("/admin/supportgroups_participant/").get_data(as_text=True)
    assert "Jasmijn" in listing and "Kevin" not in listing


def test_admin_has_no_access_to_participants(client, auth):
    auth.login("admin")
    assert client.get("/admin/supportgroups_participant/").status_code == 403


def test_opening_a_participant_is_logged(app, client, auth):
    with app.app_context():
        pid = db.session.query(Participant.id).first()[0]
    auth.login("coordinator")
    client.get(f"/admin/supportgroups_participant/details/?id={pid}")
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(action="view", object_type="Participant",
                                                      object_id=str(pid)).count() == 1
