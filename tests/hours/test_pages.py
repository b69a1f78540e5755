"""The hours in Dutch: a complete catalog, the home panels, the load overview's warnings
from what was worked."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from eih.extensions import db
from eih.hours import rules
from eih.planning.schedule import worked_overview
from tests.hours.helpers import at, contact, held_session, new_expert, this_monday

HOURS = Path(__file__).resolve().parents[2] / "eih" / "hours"
CATALOG = HOURS / "translations" / "nl" / "LC_MESSAGES"


def test_every_string_of_the_hours_has_dutch_and_is_compiled():
    keywords = {"_": None, "gettext": None, "N_": None, "_l": None, "lazy_gettext": None}
    method_map = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
    found = {m[2] for m in extract_from_dir(HOURS, method_map, keywords=keywords)}
    po = {m.id: m.string for m in read_po(open(CATALOG / "messages.po", "rb")) if m.id and not m.fuzzy}
    assert not sorted(found - {k for k, v in po.items() if v}), "run `make translations` and translate"
    mo = {m.id: m.string for m in read_mo(open(CATALOG / "messages.mo", "rb")) if m.id}
    assert all(mo.get(k) == v for k, v in po.items()), "run `make compile`"


def test_the_lead_is_asked_to_approve_and_the_expert_to_hand_in(app, client, auth):
    with app.app_context():
        tess = new_expert()
        rules.submit(tess, this_monday() - timedelta(weeks=2))
        db.session.commit()
    auth.login("lead")
    page = client.get("/admin/").get_data(as_text=True)
    assert "Urenverantwoording om goed te keuren" in page and "Tess, week" in page
    auth.logout()
    auth.login("tess@test.example")
    page = client.get("/admin/").get_data(as_text=True)
    assert "Dien je uren van week" in page


def test_the_overview_warns_about_heavy_work_too_soon_after_heavy_work_as_it_was_worked(app):
    with app.app_context():
        tess = new_expert()
        monday = this_monday() - timedelta(weeks=1)
        contact(tess, at(monday + timedelta(days=1), 9), minutes=60, heaviness=5)  # heavy until Tuesday 10:00
        held_session(tess, at(monday + timedelta(days=1), 19), load=3)  # heavy, 9 hours later
        held_session(tess, at(monday + timedelta(days=3), 19), load=3)  # two days later: rested
        overview = worked_overview(tess, 12, this_monday() + timedelta(days=2), heavy_load=3, recovery_hours=12)
        assert overview.short_recoveries == [(at(monday + timedelta(days=1), 10), at(monday + timedelta(days=1), 19))]
        week = next(w for w in overview.weeks if w.monday == monday)
        assert (week.hours, week.load) == (1 + 2 + 0.75 + 2 + 0.75, 5 + 3 + 3)


def test_three_heavy_weeks_worked_in_a_row_ask_for_recovery(app, client, auth):
    with app.app_context():
        tess = new_expert(max_hours=16)
        for weeks_ago in (1, 2, 3):
            monday = this_monday() - timedelta(weeks=weeks_ago)
            for day in range(3):  # load 9 of a 16-hour contract: heavy
                contact(tess, at(monday + timedelta(days=day), 10), heaviness=3)
        db.session.commit()
        overview = worked_overview(tess, 12, this_monday(), heavy_load=3, recovery_hours=12)
        assert overview.heavy_runs == [this_monday() - timedelta(weeks=1)]
    auth.login("lead")
    page = client.get("/admin/load/").get_data(as_text=True)
    start = page.index("Tess")
    assert "herstel: drie zware weken op rij" in page[start:start + 400]
