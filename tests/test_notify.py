"""Notifications by e-mail: the file folder without a server, the per-user switches on the
account page, and each kind sent to a real SMTP server with the right recipient and no
client details."""
from __future__ import annotations

from datetime import timedelta

from eih import clock, notify
from eih.declines import record_decline
from eih.extensions import db
from eih.models import User
from eih.notify import Notification
from tests.plugins.casework.helpers import expert, new_request, running, user


def test_without_a_mail_server_mail_is_written_to_the_instance_folder(app):
    with app.app_context():
        assert app.config["MAIL_BACKEND"] == "file"
        told = notify.request_received(new_request(), "/admin/casework/case/1")
        assert [u.email for u in told] == ["lead@eih.example"]
        folder = app.config["MAIL_FILE_PATH"]
        assert folder.startswith(app.instance_path)
        import os
        written = [open(os.path.join(folder, f), encoding="utf-8").read() for f in os.listdir(folder)]
        assert len(written) == 1 and "lead@eih.example" in written[0]


def test_a_lead_switches_decline_mails_off_on_the_account_page(app, client, auth, smtp):
    auth.login("lead")
    page = client.get("/admin/account/").get_data(as_text=True)
    assert 'name="notify-declined"' in page and 'name="notify-absence_alert"' not in page  # the coordinator's
    response = client.post("/admin/account/", data={"notify-sent": "1", "notify-request_received": "on",
                                                    "notify-thv_deadline": "on"})
    assert response.status_code == 302
    with app.app_context():
        lead = user("lead@eih.example")
        assert not notify.wants(lead, "declined") and notify.wants(lead, "request_received")
        req = running(new_request(), expert("amal"))
        record_decline(expert("amal"), req.demand_key, "unsafe", work=req.code)
        db.session.commit()
    assert smtp.to("lead@eih.example") == []


def test_a_decline_reaches_the_regions_lead_with_the_case_code_only(app, smtp):
    with app.app_context():
        req = running(new_request(), expert("amal"))
        record_decline(expert("amal"), req.demand_key, "unsafe", "Ik voel me niet veilig bij dit adres", work=req.code)
        db.session.commit()
        code = req.code
    mails = smtp.to("lead@eih.example")
    assert len(mails) == 1 and code in mails[0].body and "Amal" in mails[0].subject
    assert "niet veilig" not in mails[0].body  # the expert's note stays in the app
    assert "SECRET" not in mails[0].body and "X.Q." not in mails[0].body
    assert smtp.to("lead.haaglanden@eih.example") == [] and smtp.to("coordinator@eih.example") == []


def test_a_decline_in_my_schedule_is_mailed_through_the_web_page_as_well(app, client, auth, smtp):
    with app.app_context():
        req = running(new_request(), expert("amal"))
        db.session.commit()
        req_id = req.id
    auth.login("amal@eih.example")
    client.post(f"/admin/casework/mine/{req_id}/decline", data={"reason": "capacity", "note": ""})
    assert len(smtp.to("lead@eih.example")) == 1


def test_a_submitted_timesheet_is_mailed_to_the_lead(app, smtp, auth, client):
    with app.app_context():
        monday = clock.today() - timedelta(days=clock.today().weekday() + 21)  # not one of the demo's weeks
        week = f"{monday:%G-W%V}"
    auth.login("expert")
    response = client.post("/admin/hours/week/submit", query_string={"week": week})
    assert response.status_code == 302
    mails = smtp.to("lead@eih.example")
    assert len(mails) == 1 and "Amal" in mails[0].subject and week in mails[0].subject
    assert "/admin/hours/week?expert=" in mails[0].body and "casework" not in mails[0].body


def test_mails_are_in_the_recipients_language_and_link_to_the_configured_address(app, smtp):
    app.config["BASE_URL"] = "https://eih.example.org"
    with app.app_context():
        lead = user("lead@eih.example")
        lead.locale = "en"
        req = new_request()
        notify.request_received(req, f"/admin/casework/case/{req.id}")
        db.session.commit()
    mail = smtp.to("lead@eih.example")[0]
    assert mail.subject.startswith("New request") and "https://eih.example.org/admin/casework/case/" in mail.body


def test_an_inactive_user_gets_no_mail_and_every_mail_sent_is_recorded(app, smtp):
    with app.app_context():
        coordinator = user("coordinator@eih.example")
        coordinator.active = False
        told = notify.absence_alert(coordinator.region_id, "Vrouwengroep", 3, "absence-test", "/admin/")
        assert told == []
        coordinator.active = True
        told = notify.absence_alert(coordinator.region_id, "Vrouwengroep", 3, "absence-test", "/admin/")
        assert [u.email for u in told] == ["coordinator@eih.example"]
        db.session.commit()
        assert db.session.query(Notification).filter_by(kind="absence_alert", key="absence-test").count() == 1
        # once per key
        assert notify.absence_alert(coordinator.region_id, "Vrouwengroep", 3, "absence-test", "/admin/") == []


def test_a_mail_server_that_is_down_does_not_undo_the_action(app):
    app.extensions["mailman"].backend = "smtp"
    app.extensions["mailman"].server, app.extensions["mailman"].port = "127.0.0.1", 9  # nothing listens
    with app.app_context():
        req = running(new_request(), expert("amal"))
        record_decline(expert("amal"), req.demand_key, "capacity", work=req.code)
        db.session.commit()
        assert db.session.query(Notification).count() == 0
        assert db.session.query(User).filter_by(email="lead@eih.example").one()


def test_the_coordinator_is_mailed_when_a_member_reaches_the_absence_alert_without_the_members_name(app, client,
                                                                                                     auth, smtp):
    from eih import clock
    from eih.plugins.supportgroups.models import Attendance, Session
    with app.app_context():
        # the demo's last held session of a group where one member was absent three times in a row
        row = db.session.execute(db.select(Attendance).join(Session).where(
            Attendance.status == "absent", Session.starts_at < clock.now()).order_by(Session.starts_at.desc())
            .limit(1)).scalar_one()
        session, absentee = row.session, row.participant
        marks = {f"p-{a.participant_id}": a.status for a in session.attendance}
        session_id, group, name = session.id, session.group.name, absentee.name
    auth.login("coordinator")
    # saving the register again (a late correction) with the run still there tells the coordinator once
    client.post(f"/admin/supportgroups/session/{session_id}/register", data=marks)
    mails = smtp.to("coordinator@eih.example")
    assert len(mails) == 1 and group in mails[0].subject
    assert name not in mails[0].subject + mails[0].body
    client.post(f"/admin/supportgroups/session/{session_id}/register", data=marks)
    assert len(smtp.to("coordinator@eih.example")) == 1
    assert smtp.to("lead@eih.example") == []
