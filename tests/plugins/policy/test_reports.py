"""The funders' figures (report) and the experts' hours (worked) on hand-made data with known answers,
and the home panels."""
from __future__ import annotations

import json
from datetime import date, timedelta

from eih import clock
from eih.extensions import db
from eih.models import Partner
from eih.plugins import Period, get_plugin
from eih.plugins.policy import rules
from eih.plugins.policy.models import PolicyContribution

from .helpers import expert, meeting, region, table

YEAR = Period(date(2031, 1, 1), date(2031, 12, 31))  # far from the demo's dates


def _held(of, day, who, minutes=120):
    made = meeting(of, day, minutes=minutes)
    rules.record_held(made, [expert(n) for n in who], date(2032, 1, 31))
    return made


def _advice(of, day, topic, kind, outcome, who=(), hours=0, at=None, note=""):
    made = PolicyContribution(region_id=region().id, table=of, meeting=at, kind=kind, given_on=day, topic=topic,
                              outcome=outcome, outcome_note=note, hours=hours, experts=[expert(n) for n in who])
    rules.check_contribution(made, date(2032, 1, 31))
    db.session.add(made)
    db.session.flush()
    return made


def _hand_made_year():
    vt = db.session.execute(db.select(Partner).filter_by(name="Veilig Thuis Rotterdam Rijnmond")).scalar_one()
    platform = table("Platform 2031", level="tactical", preparation_hours=1, partner=vt)
    friends = table("Vrienden 2031", level="strategic", experts_needed=2, preparation_hours=2)
    first = _held(platform, date(2031, 2, 3), ["amal"])
    _held(platform, date(2031, 3, 17), ["yvonne"])
    _held(friends, date(2031, 5, 12), ["amal", "sevda"], minutes=90)
    meeting(platform, date(2031, 6, 2))  # planned: counts nowhere
    cancelled = meeting(platform, date(2031, 7, 1))
    rules.cancel_meeting(cancelled, "Geen agenda")
    _advice(platform, date(2031, 2, 3), "Avondbereikbaarheid", "oral", "adopted", ["amal"], at=first,
            note="In het actieplan")
    _advice(friends, date(2031, 5, 20), "Folder", "written", "partly", ["amal", "sevda"], hours=3)
    _advice(friends, date(2031, 9, 1), "Wachtlijsten", "written", "unknown", ["sevda"], hours=1.5)


def test_the_report_counts_meetings_attended_and_contributions_with_what_became_of_them(app):
    with app.app_context():
        _hand_made_year()
        figures = get_plugin("policy").report(region(), YEAR)
        assert {k: v for k, v in figures.items() if k != "tables_active"} == {
            "meetings_attended": 3,
            "expert_attendances": 4,
            "distinct_experts": 3,
            "by_level": {"strategic": 1, "tactical": 2},
            "by_table": {"Platform 2031": 2, "Vrienden 2031": 1},
            "contributions": 3,
            "contributions_by_kind": {"oral": 1, "written": 2},
            "contributions_by_outcome": {"adopted": 1, "partly": 1, "unknown": 1},
            "contribution_list": [
                {"date": "2031-02-03", "table": "Platform 2031", "topic": "Avondbereikbaarheid", "kind": "oral",
                 "outcome": "adopted", "outcome_note": "In het actieplan"},
                {"date": "2031-05-20", "table": "Vrienden 2031", "topic": "Folder", "kind": "written",
                 "outcome": "partly", "outcome_note": ""},
                {"date": "2031-09-01", "table": "Vrienden 2031", "topic": "Wachtlijsten", "kind": "written",
                 "outcome": "unknown", "outcome_note": ""},
            ],
        }
        assert figures["tables_active"] == 4 + 2  # the demo's four and these two
        json.dumps(figures)
        first_quarter = get_plugin("policy").report(region(), Period(date(2031, 1, 1), date(2031, 3, 31)))
        assert (first_quarter["meetings_attended"], first_quarter["contributions"]) == (2, 1)


def test_worked_gives_the_meetings_attended_with_preparation_and_the_writing_hours(app):
    with app.app_context():
        _hand_made_year()
        vt = db.session.execute(db.select(Partner.id).filter_by(name="Veilig Thuis Rotterdam Rijnmond")).scalar_one()
        amal = get_plugin("policy").worked(region(), expert("amal"), YEAR)
        assert [(w.day, w.hours, w.activity, w.label, w.partner_id, w.source.split("-")[0]) for w in amal] == [
            (date(2031, 2, 3), 3.0, "policy", "Platform 2031 · Gemeente", vt, "policy:meeting"),
            (date(2031, 5, 12), 3.5, "policy", "Vrienden 2031 · Gemeente", None, "policy:meeting"),
            (date(2031, 5, 20), 3.0, "policy", "Folder · Vrienden 2031", None, "policy:contribution"),
        ]
        sevda = get_plugin("policy").worked(region(), expert("sevda"), Period(date(2031, 9, 1), date(2031, 9, 30)))
        assert [(w.day, w.hours) for w in sevda] == [(date(2031, 9, 1), 1.5)]
        assert get_plugin("policy").worked(region(), expert("kwame"), YEAR) == []


def test_the_home_page_shows_meetings_soon_and_advice_awaiting_its_outcome(app, client, auth):
    auth.login("lead")
    html = client.get("/admin/").get_data(as_text=True)
    assert "Beleid: overleggen in de komende twee weken" in html and "Tactisch platform huiselijk geweld" in html
    assert "voorgesprek nog niet gehouden" in html  # the critical friends' meeting
    assert "Signalen van terugval bij plegers" in html


def test_the_home_page_shows_an_expert_their_next_meetings(app, client, auth):
    with app.app_context():
        soon = meeting(table("Tafel voor Amal"), clock.today() + timedelta(days=4))
        rules.set_meeting_experts(soon, [expert("amal")])
        db.session.commit()
    auth.login("expert")
    html = client.get("/admin/").get_data(as_text=True)
    assert "Mijn beleidsoverleggen" in html and "Tafel voor Amal" in html
