"""The funders' figures (report) and the experts' hours (worked) on hand-made data with known answers,
and the home panels."""
from __future__ import annotations

import json
from datetime import date, timedelta

from eih import clock
from eih.extensions import db
from eih.models import Municipality, Partner
from eih.plugins import Period, WorkItem, get_plugin
from eih.plugins.outreach import rules

from .helpers import expert, menu_item, order, region, session_for, topic

YEAR = Period(date(2031, 1, 1), date(2031, 12, 31))  # far from the demo's dates


def _town(name):
    return db.session.execute(db.select(Municipality).filter_by(name=name)).scalar_one()


def _given(made, day, reached, who, score=None, hour=10):
    item = session_for(made, day, hour=hour, length=120)
    rules.set_session_experts(item, [expert(n) for n in who])
    rules.record_given(item, reached, date(2032, 1, 31))
    if score is not None:
        rules.record_evaluation(item, score, "", date(2032, 1, 31))
    return item


def _hand_made_year():
    stalking = topic(name="Stalking (test)")
    lunch = menu_item("Lunch 2031", form="theme_lunch", topic_obj=stalking, preparation_hours=1)
    workshop = menu_item("Workshop 2031", form="workshop", topic_obj=topic(name="Werken met ED (test)"),
                         preparation_hours=2.5, experts_needed=2)
    police = order(lunch, "Politie 2031", today=date(2031, 2, 1), municipality=_town("Rotterdam"))
    school = order(workshop, "Hogeschool 2031", today=date(2031, 3, 1), municipality=_town("Schiedam"))
    unknown = order(workshop, "Buurthuis 2031", today=date(2031, 4, 1))
    order(lunch, "Nog niets gegeven 2031", today=date(2031, 5, 1))
    _given(police, date(2031, 3, 10), 40, ["youssef"], score=5)
    _given(police, date(2031, 6, 10), 35, ["youssef"], score=3)
    _given(school, date(2031, 4, 15), 25, ["amal", "yvonne"], score=4)
    _given(unknown, date(2031, 5, 20), 8, ["amal"])
    session_for(unknown, date(2031, 11, 1))  # planned, not given: counts nowhere
    rules.agree_follow_up(police, "Nieuwe lichting", date(2031, 9, 1))
    rules.complete_follow_up(police, date(2031, 9, 2))
    rules.agree_follow_up(school, "Terugkomdag", date(2031, 10, 1))
    db.session.flush()


def test_the_report_counts_sessions_reach_organisations_evaluations_and_follow_ups(app):
    with app.app_context():
        _hand_made_year()
        figures = get_plugin("outreach").report(region(), YEAR)
        assert figures == {
            "sessions_given": 4,
            "by_form": {"theme_lunch": 2, "workshop": 2},
            "by_topic": {"Stalking (test)": 2, "Werken met ED (test)": 2},
            "people_reached": 108,
            "organisations_served": 3,
            "organisations": [
                {"organisation": "Buurthuis 2031", "municipality": "", "sessions": 1, "people_reached": 8},
                {"organisation": "Hogeschool 2031", "municipality": "Schiedam", "sessions": 1, "people_reached": 25},
                {"organisation": "Politie 2031", "municipality": "Rotterdam", "sessions": 2, "people_reached": 75},
            ],
            "by_municipality": {"?": 1, "Rotterdam": 2, "Schiedam": 1},
            "from_agreements": 0,
            "evaluations": {"count": 3, "average_score": 4.0,
                            "by_score": {"1": 0, "2": 0, "3": 1, "4": 1, "5": 1}},
            "orders_received": 4,
            "orders_by_source": {"lead": 4},
            "follow_ups": {"agreed": 2, "done": 1, "open": 1},
        }
        json.dumps(figures)  # JSON-ready
        quarter = get_plugin("outreach").report(region(), Period(date(2031, 4, 1), date(2031, 6, 30)))
        assert (quarter["sessions_given"], quarter["people_reached"], quarter["orders_received"]) == (3, 68, 2)


def test_worked_gives_each_session_an_expert_gave_with_its_preparation(app):
    with app.app_context():
        _hand_made_year()
        amal = get_plugin("outreach").worked(region(), expert("amal"), YEAR)
        schiedam = _town("Schiedam").id
        assert [(w.day, w.hours, w.activity, w.label, w.municipality_id) for w in amal] == [
            (date(2031, 4, 15), 4.5, "outreach", "Workshop 2031 · Hogeschool 2031", schiedam),
            (date(2031, 5, 20), 4.5, "outreach", "Workshop 2031 · Buurthuis 2031", None),
        ]
        assert all(isinstance(w, WorkItem) and w.source.startswith("outreach:session-") for w in amal)
        # the load the session was planned with counts in the load history, from its start
        assert [(w.load, w.start.date()) for w in amal] == [(1.0, date(2031, 4, 15)), (1.0, date(2031, 5, 20))]
        youssef = get_plugin("outreach").worked(region(), expert("youssef"), Period(date(2031, 3, 1),
                                                                                    date(2031, 3, 31)))
        assert [(w.day, w.hours) for w in youssef] == [(date(2031, 3, 10), 3.0)]
        assert get_plugin("outreach").worked(region(), expert("marco"), YEAR) == []


def test_a_session_of_a_partner_reaches_the_timesheet_with_that_partner(app):
    with app.app_context():
        arosa = db.session.execute(db.select(Partner).filter_by(name="Arosa")).scalar_one()
        made = order(menu_item(), "Arosa", today=date(2031, 1, 5), partner=arosa)
        _given(made, date(2031, 1, 20), 10, ["sevda"])
        [item] = get_plugin("outreach").worked(region(), expert("sevda"), YEAR)
        assert item.partner_id == arosa.id


def test_the_home_page_tells_the_lead_of_new_orders_and_follow_ups_due(app, client, auth):
    with app.app_context():
        today = clock.today()
        made = order(menu_item(), "Kinderopvang De Zon", today=today - timedelta(days=30))
        item = session_for(made, today - timedelta(days=20))
        rules.set_session_experts(item, [expert("amal")])
        rules.record_given(item, 12, today)
        rules.agree_follow_up(made, "Bellen over een vervolg", today - timedelta(days=1))
        db.session.commit()
    auth.login("lead")
    html = client.get("/admin/").get_data(as_text=True)
    assert "Voorlichting: 1 nieuwe aanvraag" in html and "Wijkteam Schiedam-Noord" in html
    assert "Voorlichting: vervolgafspraken die aan de beurt zijn" in html
    assert "Kinderopvang De Zon" in html
    assert "Beleid: overleggen in de komende twee weken" in html


def test_the_home_page_shows_an_expert_their_next_sessions(app, client, auth):
    with app.app_context():
        item = session_for(order(menu_item("Workshop voor Amal")), clock.today() + timedelta(days=5))
        rules.set_session_experts(item, [expert("amal")])
        db.session.commit()
    auth.login("expert")
    html = client.get("/admin/").get_data(as_text=True)
    assert "Mijn voorlichtingssessies" in html and "Workshop voor Amal" in html
    assert "Mijn grenzen bij mijn verhaal" in html
