"""The scheduler's sentences on the planning pages: keys and fields translated when a
page is rendered, nothing translated stored, every key worded in Dutch."""
from __future__ import annotations

import json
import string
import threading
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale

from eih.extensions import db
from eih.models import User
from eih.planning import service
from eih.planning.build import build_instance, iso_week
from eih.planning.models import PlanVersion, SolveRun
from eih.planning.wording import (
    PLANNING_TEMPLATES,
    PROGRESS_LENGTH,
    TRANSLATED,
    WebWording,
    progress_label,
    progress_value,
)
from eih.planning.wording import say as planning_say
from eih.scheduler import OBJECTIVE_LEVELS, solve
from eih.scheduler.model import STATUSES
from eih.scheduler.reasons import TEMPLATES, say
from tests.planning.conftest import expert_by_name, next_week, wait
from tests.planning.test_round import _solved_run, region

CATALOG = Path(__file__).resolve().parents[2] / "eih" / "planning" / "translations" / "nl" / "LC_MESSAGES" / "messages.po"
SAMPLE = {  # a value of the right kind for every field name a template uses
    "expert": "ed-1", "experts": ["ed-1", "ed-2"], "other": "testwork:men", "demand": "testwork:men",
    "first": "testwork:men", "second": "testwork:iv", "when": {"start": "2026-12-01T19:00", "end": "2026-12-01T21:00"},
    "until": "2026-12-02T07:00", "requires": {"gender": "male", "perspective": "perpetrator"}, "level": "coverage",
    "value": 13, "absence": "sickness", "status": "optimal", "week": "2026-W49", "day": "2026-12-01",
    "summary": {"key": "nobody_in_region", "fields": {"region": "noord"}},
    "problem": {"key": "excluded", "fields": {}}, "reason": {"key": "excluded", "fields": {}},
    "details": [{"key": "excluded", "fields": {}}], "reasons": [{"key": "excluded", "fields": {}}],
    "counts": [{"key": "count_of", "fields": {"count": 2, "reason": {"key": "is_gender", "fields": {"have": "female"}}}}],
}


def _placeholders(template) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(str(template)) if name}


def _sample(key: str) -> dict:
    english = {**TEMPLATES, **PLANNING_TEMPLATES}[key]
    return {name: SAMPLE.get(name, 3) for name in _placeholders(english)}


def test_every_key_of_the_scheduler_and_the_round_has_a_template_with_the_same_fields():
    english = {**TEMPLATES, **PLANNING_TEMPLATES}
    assert set(english) == set(TRANSLATED), "a new scheduler key needs a template in eih/planning/wording.py"
    for key, template in TRANSLATED.items():
        assert _placeholders(template) == _placeholders(english[key]), key


def test_every_template_has_a_dutch_translation_with_the_same_fields():
    catalog = {m.id: m.string for m in read_po(open(CATALOG, "rb")) if m.id and not m.fuzzy}
    for key, english in {**TEMPLATES, **PLANNING_TEMPLATES}.items():
        if _placeholders(english) == {"status"}:
            continue  # nothing to translate: the status has its own labels
        assert catalog.get(english), f"no Dutch for {key!r} (make translations)"
        assert _placeholders(catalog[english]) == _placeholders(english), key


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_every_key_renders_in_both_languages(app, locale):
    english = {**TEMPLATES, **PLANNING_TEMPLATES}
    with app.test_request_context(), force_locale(locale):
        wording = WebWording()
        for key, template in TRANSLATED.items():
            if locale == "en":
                assert str(template) == english[key], f"{key}: the msgid is not the scheduler's English"
            data = {"key": key, "fields": _sample(key)}
            text = wording.text(data)
            assert text and "{" not in text, (key, text)
            assert text != key, key  # the template was used, not the fallback


def test_times_levels_and_absences_are_said_in_dutch(app):
    with app.test_request_context(), force_locale("nl"):
        wording = WebWording()
        busy = say("unavailable_because", when={"start": "2026-12-01T19:00", "end": "2026-12-01T21:00"},
                   absence="sickness")
        assert wording.text(busy) == "is niet beschikbaar di 1 dec 19:00-21:00 (ziekte)"
        night = say("unavailable", when={"start": "2026-12-01T19:00", "end": "2026-12-02T07:00"})
        assert wording.text(night) == "is niet beschikbaar di 1 dec 19:00 tot wo 2 dec 07:00"
        assert wording.text(say("level_best_so_far", level="max_relative_load", value=1.2)) == \
            "hoogste relatieve belasting: 1.2 (beste tot nu toe)"


def test_a_sentence_names_other_work_by_its_label(app):
    with app.app_context():
        instance = build_instance(region(), next_week())
    demands = {d.id: d for d in instance.demands}
    with app.test_request_context(), force_locale("nl"):
        assert WebWording(demands).text(say("double_booked", other="testwork:men")) == \
            "is dan bezig met Mannengroep · Wijkcentrum"


def test_the_longest_progress_line_fits_the_runs_column():
    lines = [say(key, level=level, value=123456.7891) for key in ("level_optimal", "level_best_so_far", "level_best")
             for level, _ in OBJECTIVE_LEVELS]
    lines += [planning_say("building_model")] + [planning_say("plan_status", status=s) for s in STATUSES]
    for line in lines:
        stored = progress_value(line)
        assert len(stored) <= PROGRESS_LENGTH and json.loads(stored)["key"] == line.key
    long_text = progress_value('a line "without" a key ' * 30)
    assert len(long_text) <= PROGRESS_LENGTH and json.loads(long_text)["text"].startswith("a line")


def _set_locale(app, email, locale):
    with app.app_context():
        db.session.query(User).filter_by(email=email).one().locale = locale
        db.session.commit()


def test_progress_is_stored_as_keys_and_an_english_lead_reads_it_in_english(app, client, auth):
    """A background thread has no user: what it stores must not be Dutch."""
    release, reported = threading.Event(), threading.Event()

    def solver(instance, progress=None):
        progress(say("level_optimal", level="coverage", value=13))
        reported.set()
        release.wait(timeout=60)
        return solve(instance, progress=progress)

    app.config["PLANNING_SOLVER"] = solver
    _set_locale(app, "lead@eih.example", "en")
    auth.login("lead")
    response = client.post("/admin/planning/solve", data={"week": iso_week(next_week())})
    run_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    assert reported.wait(timeout=60)
    with app.app_context():
        stored = db.session.get(SolveRun, run_id).progress
    assert json.loads(stored) == {"key": "level_optimal", "fields": {"level": "coverage", "value": 13}}
    page = client.get(f"/admin/planning/run/{run_id}").get_data(as_text=True)
    assert "coverage (priority of staffed work): 13 (optimal)" in page and "dekking" not in page
    release.set()
    wait(app, run_id)
    with app.app_context():
        assert json.loads(db.session.get(SolveRun, run_id).progress) == {"key": "plan_status",
                                                                       "fields": {"status": "optimal"}}
    assert "done · optimal" in client.get("/admin/planning/").get_data(as_text=True)


def test_a_run_stored_before_progress_had_keys_still_reads(app):
    with app.test_request_context(), force_locale("nl"):
        assert progress_label("optimal") == "optimaal"
        assert progress_label("model wordt opgebouwd") == "model wordt opgebouwd"


def test_broken_rules_are_dutch_on_the_run_and_the_published_version(app, client, auth):
    run_id = _solved_run(app, client, auth)
    with app.app_context():
        run = db.session.get(SolveRun, run_id)
        amal = expert_by_name("Amal").code
        run.working = {**run.working, "testwork:men": [amal]}  # a woman on the men's group
        db.session.commit()
    page = client.get(f"/admin/planning/run/{run_id}").get_data(as_text=True)
    assert f'ervaringsdeskundige &#34;{amal}&#34; kan werk &#34;Mannengroep · Wijkcentrum&#34; niet doen' in page
    assert "cannot serve" not in page
    client.post(f"/admin/planning/run/{run_id}/publish", data={"confirm": "y"})
    with app.app_context():
        version = db.session.query(PlanVersion).one()
        stored = next(v for v in version.violations if v["rule"] == "eligibility")
        assert stored["key"] == "cannot_serve" and stored["fields"]["expert"] == amal
        assert stored["message"].startswith(f'expert "{amal}" cannot serve demand "testwork:men"')
        assert all(w.key for a in service.plan_from_dict(json.loads(version.plan_json)).assignments for w in a.why)
        version_id = version.id
    page = client.get(f"/admin/planning/version/{version_id}").get_data(as_text=True)
    assert "kan werk &#34;Mannengroep · Wijkcentrum&#34; niet doen" in page


def test_the_leads_edits_are_explained_in_the_readers_language(app, client, auth):
    run_id = _solved_run(app, client, auth)
    with app.app_context():
        run = db.session.get(SolveRun, run_id)
        run.working = {k: v for k, v in run.working.items() if k != "testwork:case-1"}
        db.session.commit()
        plan = service.working_plan(run)
        removed = next(u for u in plan.unassigned if u.demand == "testwork:case-1").reasons[0]
        assert removed.key == "removed_by_lead" and removed == "removed by the project lead"
    assert "verwijderd door de projectleider" in client.get(f"/admin/planning/run/{run_id}").get_data(as_text=True)


def test_pinning_someone_who_may_not_do_the_work_says_why_in_dutch(app, client, auth):
    run_id = _solved_run(app, client, auth)
    with app.app_context():
        amal = expert_by_name("Amal").code
    page = client.post(f"/admin/planning/run/{run_id}/edit", data={"action": "pin", "demand": "testwork:men",
                                                                    "new_expert": amal}, follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "Deze ervaringsdeskundige kan dit werk niet doen: is female, vereist geslacht=male" in text
