"""The experts' safety: an incident on a case or a session reaches the lead and the
coordinator at once (home page and mail), is followed up and closed with a note."""
from __future__ import annotations

from datetime import timedelta

from eih import clock
from eih.extensions import db
from eih.models import AuditEvent
from eih.safety import SafetyIncident
from tests.plugins.casework.helpers import expert, new_request, running


def _incident_data(**changes):
    when = (clock.now() - timedelta(hours=2)).replace(second=0, microsecond=0)
    data = {"occurred_at": when.strftime("%Y-%m-%dT%H:%M"), "what": "De partner stond bij de deur en schreeuwde.",
            "severity": "high", "police_involved": "y"}
    data.update(changes)
    return data


def test_an_incident_reported_by_an_expert_reaches_lead_and_coordinator_at_once(app, client, auth, smtp):
    with app.app_context():
        req = running(new_request(), expert("amal"))
        db.session.commit()
        req_id, code = req.id, req.code
    auth.login("amal@eih.example")
    assert client.post(f"/admin/casework/mine/{req_id}/incident", data=_incident_data()).status_code == 302
    with app.app_context():
        incident = db.session.execute(db.select(SafetyIncident).filter_by(subject_label=code)).scalar_one()
        assert (incident.severity, incident.police_involved, incident.status) == ("high", True, "open")
        assert incident.subject == f"casework:req-{req_id}"
        assert db.session.query(AuditEvent).filter_by(object_type="SafetyIncident", action="create").count() == 1
        incident_id = incident.id
    for address in ("lead@eih.example", "coordinator@eih.example"):
        mails = smtp.to(address)
        assert len(mails) == 1 and code in mails[0].subject and f"/admin/safety/{incident_id}" in mails[0].body
        assert "schreeuwde" not in mails[0].body  # what happened stays in the app
    assert smtp.to("lead.haaglanden@eih.example") == []
    auth.logout()
    for who in ("lead", "coordinator"):
        auth.login(who)
        home = client.get("/admin/").get_data(as_text=True)
        assert "Veiligheidsincidenten om op te volgen" in home and code in home
        auth.logout()


def test_the_lead_follows_an_incident_up_and_closes_it_with_a_note(app, client, auth):
    with app.app_context():
        incident_id = db.session.execute(db.select(SafetyIncident.id).limit(1)).scalar_one()  # the demo's
    auth.login("lead")
    client.post(f"/admin/safety/{incident_id}/action", data={"text": "Gebeld met de expert; nazorg afgesproken."})
    client.post(f"/admin/safety/{incident_id}/close", data={"note": ""})  # a note is needed
    with app.app_context():
        incident = db.session.get(SafetyIncident, incident_id)
        assert len(incident.actions) == 1 and incident.status == "open"
    client.post(f"/admin/safety/{incident_id}/close", data={"note": "Besproken in supervisie; afgesloten."})
    with app.app_context():
        incident = db.session.get(SafetyIncident, incident_id)
        assert incident.status == "closed" and incident.closing_note.startswith("Besproken")
        assert incident.closed_by.email == "lead@eih.example"
    page = client.get(f"/admin/safety/{incident_id}").get_data(as_text=True)
    assert "Besproken in supervisie" in page and "Gebeld met de expert" in page
    assert "Veiligheidsincidenten om op te volgen" in client.get("/admin/").get_data(as_text=True)
    client.post(f"/admin/safety/{incident_id}/action", data={"text": "te laat"})
    with app.app_context():
        assert len(db.session.get(SafetyIncident, incident_id).actions) == 1  # closed: no more actions


def test_an_incident_without_what_happened_or_in_the_future_is_refused(app, client, auth, smtp):
    with app.app_context():
        req = running(new_request(), expert("amal"))
        db.session.commit()
        req_id = req.id
        before = db.session.query(SafetyIncident).count()
    auth.login("amal@eih.example")
    client.post(f"/admin/casework/mine/{req_id}/incident", data=_incident_data(what=""))
    future = (clock.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    client.post(f"/admin/casework/mine/{req_id}/incident", data=_incident_data(occurred_at=future))
    client.post(f"/admin/casework/mine/{req_id}/incident", data=_incident_data(severity="apocalyptic"))
    with app.app_context():
        assert db.session.query(SafetyIncident).count() == before
    assert smtp.mails == []


def test_an_incident_at_a_support_group_session_is_reported_from_the_register(app, client, auth, smtp):
    from eih.plugins.supportgroups.models import Session
    with app.app_context():
        session = db.session.execute(db.select(Session).where(Session.status == "held").order_by(
            Session.starts_at.desc()).limit(1)).scalar_one()
        session_id, group = session.id, session.group.name
    auth.login("coordinator")
    assert "Veiligheidsincident melden" in client.get(f"/admin/supportgroups/session/{session_id}/register").get_data(
        as_text=True)
    client.post(f"/admin/supportgroups/session/{session_id}/incident", data=_incident_data(severity="low"))
    with app.app_context():
        incident = db.session.execute(db.select(SafetyIncident).filter_by(
            subject=f"supportgroups:session-{session_id}")).scalar_one()
        assert incident.subject_label.startswith(group)
    assert len(smtp.to("lead@eih.example")) == 1


def test_another_regions_lead_cannot_open_an_incident(app, client, auth):
    with app.app_context():
        incident_id = db.session.execute(db.select(SafetyIncident.id).limit(1)).scalar_one()
    auth.login("lead_b")
    assert client.get(f"/admin/safety/{incident_id}").status_code == 404
