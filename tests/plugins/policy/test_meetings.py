"""Meetings (preliminary talk, who goes, held, cancelled) and contributions, through the rules and the pages."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from eih import clock
from eih.extensions import db
from eih.models import AuditEvent
from eih.plugins.policy import rules
from eih.plugins.policy.models import PolicyContribution, PolicyMeeting

from .helpers import demo_table, expert, meeting, refused, region, table


def test_a_table_needs_a_name_a_known_level_and_kind_and_a_sensible_size(app):
    with app.app_context():
        for fields, part in (({"name": " "}, "name"), ({"level": "national"}, "level"), ({"kind": "club"}, "kind"),
                             ({"perspective": "witness"}, "perspective"), ({"experts_needed": 0}, "1 to 4"),
                             ({"preparation_hours": 50}, "Preparation")):
            with refused(part):
                table(**fields)


def test_a_meeting_ends_after_it_starts_at_an_active_table_of_the_region(app):
    with app.app_context():
        made = table()
        start = datetime.combine(clock.today() + timedelta(days=3), time(10))
        with refused("end must come after"):
            rules.plan_meeting(made, start, start)
        with refused("at most 12 hours"):
            rules.plan_meeting(made, start, start + timedelta(hours=13))
        made.active = False
        with refused("not active"):
            rules.plan_meeting(made, start, start + timedelta(hours=1))


def test_the_preliminary_talk_is_planned_then_held_with_what_was_agreed(app, client, auth):
    with app.app_context():
        soon = meeting(table(), clock.today() + timedelta(days=5))
        db.session.commit()
        meeting_id = soon.id
    auth.login("lead")
    page = f"/admin/policy/meeting/{meeting_id}"
    today = clock.today()
    client.post(f"{page}/talk", data={"talk_on": (today + timedelta(days=1)).isoformat()})
    with app.app_context():
        assert db.session.get(PolicyMeeting, meeting_id).talk_status == "planned"
    refused_page = client.post(f"{page}/talk", data={"talk_on": today.isoformat(), "held": "y"},
                               follow_redirects=True).get_data(as_text=True)
    assert "Schrijf op wat is afgesproken" in refused_page
    future = client.post(f"{page}/talk", data={"talk_on": (today + timedelta(days=1)).isoformat(), "held": "y",
                                               "talk_notes": "x"}, follow_redirects=True).get_data(as_text=True)
    assert "niet in de toekomst" in future
    client.post(f"{page}/talk", data={"talk_on": today.isoformat(), "held": "y",
                                      "talk_notes": "Een korte bijdrage over bereikbaarheid; geen besluiten."})
    with app.app_context():
        done = db.session.get(PolicyMeeting, meeting_id)
        assert (done.talk_status, done.talk_on, done.talk_notes) == (
            "done", today, "Een korte bijdrage over bereikbaarheid; geen besluiten.")
        assert db.session.execute(db.select(AuditEvent).filter_by(
            object_type="PolicyMeeting", object_id=str(meeting_id), action="update")).scalars().first() is not None


def test_the_lead_chooses_who_goes_within_the_tables_perspective_and_size(app, client, auth):
    with app.app_context():
        made = table("Werkgroep (test)", perspective="perpetrator")
        soon = meeting(made, clock.today() + timedelta(days=5))
        with refused("perspective the table asks for"):
            rules.set_meeting_experts(soon, [expert("amal")])
        with refused("not more"):
            rules.set_meeting_experts(soon, [expert("marco"), expert("kwame")])
        db.session.commit()
        meeting_id, marco, amal = soon.id, expert("marco").id, expert("amal").id
    auth.login("lead")
    page = client.post(f"/admin/policy/meeting/{meeting_id}/experts", data={"expert": [amal]},
                       follow_redirects=True).get_data(as_text=True)
    assert "Amal heeft niet het perspectief dat de tafel vraagt." in page
    client.post(f"/admin/policy/meeting/{meeting_id}/experts", data={"expert": [marco]})
    assert client.post(f"/admin/policy/meeting/{meeting_id}/experts", data={"expert": ["x"]}).status_code == 400
    with app.app_context():
        assert [e.name for e in db.session.get(PolicyMeeting, meeting_id).experts] == ["Marco"]


def test_a_meeting_is_held_with_who_attended_not_before_its_day(app, client, auth):
    with app.app_context():
        made = table()
        later = meeting(made, clock.today() + timedelta(days=2))
        with refused("future"):
            rules.record_held(later, [expert("amal")], clock.today())
        today = meeting(made, clock.today(), hour=0)
        with refused("Mark who attended"):
            rules.record_held(today, [], clock.today())
        db.session.commit()
        meeting_id, sevda, priya = today.id, expert("sevda").id, expert("priya").id
    auth.login("lead")
    client.post(f"/admin/policy/meeting/{meeting_id}/held", data={"expert": [sevda, priya]})
    with app.app_context():
        held = db.session.get(PolicyMeeting, meeting_id)
        assert (held.status, [e.name for e in held.experts]) == ("held", ["Sevda", "Priya"])


def test_a_cancelled_meeting_needs_a_reason_and_loses_its_experts(app):
    with app.app_context():
        soon = meeting(table(), clock.today() + timedelta(days=2))
        rules.set_meeting_experts(soon, [expert("amal")])
        with refused("reason"):
            rules.cancel_meeting(soon, "")
        rules.cancel_meeting(soon, "Tafel verzet")
        assert (soon.status, soon.experts, soon.cancel_reason) == ("cancelled", [], "Tafel verzet")
        with refused("Only a planned meeting"):
            rules.cancel_meeting(soon, "nogmaals")


def test_the_coordinator_reads_a_meeting_but_cannot_change_it(app, client, auth):
    with app.app_context():
        soon = next(m for m in demo_table().meetings if m.status == "planned").id
    auth.login("coordinator")
    assert client.get(f"/admin/policy/meeting/{soon}/").status_code == 200
    assert client.get("/admin/policy/").status_code == 200
    for action in ("talk", "experts", "held", "cancel"):
        assert client.post(f"/admin/policy/meeting/{soon}/{action}", data={"reason": "x"}).status_code == 403
    with app.app_context():
        assert db.session.get(PolicyMeeting, soon).status == "planned"


def test_an_expert_sees_only_the_meetings_they_go_to(app, client, auth):
    with app.app_context():
        platform = demo_table()
        amals = next(m for m in platform.meetings if expert("amal") in m.experts).id
        others = next(m for m in platform.meetings if m.experts and expert("amal") not in m.experts).id
    auth.login("expert")
    assert client.get(f"/admin/policy/meeting/{amals}/").status_code == 200
    assert client.get(f"/admin/policy/meeting/{others}/").status_code == 403
    assert client.get("/admin/policy/").status_code == 403
    listing = client.get("/admin/policy_meeting/").get_data(as_text=True)
    assert f"/admin/policy/meeting/{amals}/" in listing and f"/admin/policy/meeting/{others}/" not in listing
    contributions = client.get("/admin/policy_contribution/").get_data(as_text=True)
    assert "Bereikbaarheid van hulp in de avonduren" in contributions
    assert "Signalen van terugval bij plegers" not in contributions


def _contribution(**fields) -> PolicyContribution:
    values = dict(region_id=region().id, table=demo_table(), kind="oral", given_on=clock.today(), topic="Advies",
                  outcome="unknown")
    values.update(fields)
    return PolicyContribution(**values)


def test_a_contribution_is_advice_at_a_table_on_a_past_date_with_its_outcome_known_afterwards(app):
    with app.app_context():
        today = clock.today()
        other = demo_table("Werkgroep plegeraanpak").meetings[0]
        for fields, part in (({"kind": "email"}, "oral or written"), ({"topic": " "}, "topic"),
                             ({"given_on": today + timedelta(days=1)}, "not in the future"),
                             ({"meeting": other}, "another table"), ({"hours": 100}, "between 0 and 80"),
                             ({"outcome": "ignored"}, "from the list"),
                             ({"outcome": "adopted", "outcome_on": today - timedelta(days=3),
                               "given_on": today - timedelta(days=1)}, "after it was given"),
                             ({"experts": [expert("noor.haaglanden")]}, "experts of this region")):
            with refused(part):
                rules.check_contribution(_contribution(**fields), today)
        known = _contribution(outcome="partly")
        rules.check_contribution(known, today)
        assert known.outcome_on == today


def test_the_lead_records_a_contribution_and_its_outcome(app, client, auth):
    with app.app_context():
        table_id, amal = demo_table().id, expert("amal").id
    auth.login("lead")
    response = client.post("/admin/policy_contribution/new/", data={
        "table": table_id, "kind": "written", "given_on": clock.today().isoformat(), "topic": "Reactie op de nota",
        "summary": "Drie punten uit de praktijk.", "experts": [amal], "hours": "2.5",
        "outcome": "unknown"})
    assert response.status_code == 302
    with app.app_context():
        made = db.session.execute(db.select(PolicyContribution).filter_by(topic="Reactie op de nota")).scalar_one()
        assert (made.kind, made.hours, [e.name for e in made.experts], made.region_id) == (
            "written", 2.5, ["Amal"], region().id)
    refused_page = client.post("/admin/policy_contribution/new/", data={
        "table": table_id, "kind": "oral", "given_on": (clock.today() + timedelta(days=3)).isoformat(),
        "topic": "Toekomstig advies", "outcome": "unknown", "hours": 0}).get_data(as_text=True)
    assert "niet in de toekomst" in refused_page
    with app.app_context():
        assert db.session.execute(db.select(PolicyContribution).filter_by(topic="Toekomstig advies")).first() is None


def test_the_command_line_plans_a_tables_meetings_once(app, runner):
    first_day = date(2031, 3, 4)
    args = ["policy", "plan", "--region", "rotterdam-rijnmond", "--table", "Klantreis slachtoffers",
            "--first", f"{first_day}T10:00", "--minutes", "90", "--every-weeks", "6", "--count", "3"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0 and result.output.strip() == "planned 3 meetings of Klantreis slachtoffers"
    assert runner.invoke(args=args).output.strip() == "planned 0 meetings of Klantreis slachtoffers"
    with app.app_context():
        days = sorted(m.starts_at for m in demo_table("Klantreis slachtoffers").meetings)
        assert days == [datetime.combine(first_day + timedelta(weeks=6 * k), time(10)) for k in range(3)]
    for bad in (["--table", "Onbekend"], ["--first", "morgen"], ["--first", "2031-03-04T10:00+01:00"],
                ["--count", "0"], ["--region", "nergens"]):
        changed = list(args)
        changed[changed.index(bad[0]) + 1] = bad[1]
        result = runner.invoke(args=changed)
        assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1, bad
        assert "Traceback" not in result.output
