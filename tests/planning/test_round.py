"""The weekly planning round: collect, solve, review, adjust, publish."""
from __future__ import annotations

import json
import re
import threading
from datetime import date, timedelta

import pytest

from eih import clock
from eih.extensions import db
from eih.models import AuditEvent, Decline, Region
from eih.planning.build import PeriodError, build_instance, iso_week, parse_week
from eih.planning.models import PlanVersion, SolveRun
from eih.planning.service import PlanningError, pin, start_run, swap_choices, violations
from eih.plugins import Period, set_enabled
from eih.scheduler import instance_from_dict, instance_to_dict, plan_to_dict, solve
from tests.dates import every_date
from tests.planning.conftest import REGION, expert_by_name, next_week, wait


def region():
    return db.session.execute(db.select(Region).filter_by(slug=REGION)).scalar_one()


def test_instance_collects_enabled_plugins_and_passes_the_scheduler_reader(app):
    with app.app_context():
        instance = build_instance(region(), next_week())
        again = instance_from_dict(json.loads(json.dumps(instance_to_dict(instance), default=str)))
        assert {d.id for d in again.demands} == {"testwork:case-1", "testwork:men", "testwork:iv"}
        # only the region's active experts; the other region's experts are never offered
        names = {e.name for e in again.experts}
        assert "Amal" in names and "Noor" not in names and len(names) == 7
        priya = next(e for e in again.experts if e.name == "Priya")
        assert priya.unavailable, "leave must reach the scheduler"


def test_a_disabled_plugin_contributes_no_demands(app):
    with app.app_context():
        set_enabled(region().id, "testwork", False)
        db.session.commit()
        assert build_instance(region(), next_week()).demands == []


def test_declined_work_excludes_that_expert_from_the_next_solve(app):
    from eih.declines import record_decline
    with app.app_context():
        amal = expert_by_name("Amal")
        record_decline(amal, "testwork:case-1", "unsafe", "")
        db.session.commit()
        instance = build_instance(region(), next_week())
        assert amal.code in instance.demand("testwork:case-1").exclude
        run = start_run(region(), next_week(), background=False)
        plan = json.loads(run.plan_json)
        assigned = {a["demand"]: a["experts"] for a in plan["assignments"]}
        assert amal.code not in assigned.get("testwork:case-1", [])


def test_the_stored_instance_solved_again_gives_the_stored_plan(app):
    with app.app_context():
        run = start_run(region(), next_week(), background=False)
        instance = instance_from_dict(json.loads(run.instance_json))
        again = plan_to_dict(solve(instance), include_time=False)
        stored = json.loads(run.plan_json)
        stored.pop("solve_seconds")
        assert again == stored


def test_web_server_answers_while_a_solve_runs(app, client, auth):
    release = threading.Event()
    started = threading.Event()

    def slow_solver(instance, progress=None):
        started.set()
        release.wait(timeout=60)
        return solve(instance, progress=progress)

    app.config["PLANNING_SOLVER"] = slow_solver
    auth.login("lead")
    week = iso_week(next_week())
    response = client.post("/admin/planning/solve", data={"week": week})
    assert response.status_code == 302
    run_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    assert started.wait(timeout=60)
    # the solve is still busy, and the server answers other pages meanwhile
    assert client.get("/admin/").status_code == 200
    page = client.get(f"/admin/planning/run/{run_id}")
    assert page.status_code == 200 and b'data-run-status="running"' in page.data
    assert b'http-equiv="refresh"' in page.data
    release.set()
    wait(app, run_id)
    page = client.get(f"/admin/planning/run/{run_id}")
    assert b"data-run-status" not in page.data and b"Mannengroep" in page.data


def _solved_run(app, client, auth):
    auth.login("lead")
    response = client.post("/admin/planning/solve", data={"week": iso_week(next_week())})
    run_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    wait(app, run_id)
    return run_id


@every_date
def test_end_to_end_solve_review_pin_resolve_publish_and_the_expert_sees_it(app, client, auth, work):
    run_id = _solved_run(app, client, auth)
    review = client.get(f"/admin/planning/run/{run_id}").get_data(as_text=True)
    assert "EIH-TEST-001" in review and "Mannengroep" in review
    with app.app_context():
        run = db.session.get(SolveRun, run_id)
        men = run.working["testwork:men"]
        choices = swap_choices(run, "testwork:men")
        marco, youssef = expert_by_name("Marco").code, expert_by_name("Youssef").code
        # only eligible experts (men with the perpetrator perspective) are offered
        assert set(choices) | set(men) <= {marco, youssef, expert_by_name("Kwame").code}
        other = marco if men != [marco] else youssef
    response = client.post(f"/admin/planning/run/{run_id}/edit",
                           data={"action": "pin", "demand": "testwork:men", "new_expert": other})
    assert response.status_code == 302
    response = client.post(f"/admin/planning/run/{run_id}/resolve")
    new_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    wait(app, new_id)
    with app.app_context():
        new = db.session.get(SolveRun, new_id)
        assert new.pins == {"testwork:men": [other]}
        assert new.working["testwork:men"] == [other], "a re-solve keeps the pin"
    response = client.post(f"/admin/planning/run/{new_id}/publish")
    assert response.status_code == 302 and "/version/" in response.headers["Location"]
    assert work.applied and work.applied[-1]["testwork:men"] == [other]
    auth.logout()
    # the pinned expert sees exactly their work
    email = "marco@eih.example" if other == marco else "youssef@eih.example"
    auth.login(email)
    page = client.get("/admin/my-schedule/").get_data(as_text=True)
    assert "Mannengroep" in page and "Intervisie" in page
    assert "EIH-TEST-001" not in page, "someone else's case is not in this schedule"


def test_decline_returns_work_to_the_lead_and_the_next_solve_does_not_give_it_back(app, client, auth):
    run_id = _solved_run(app, client, auth)
    client.post(f"/admin/planning/run/{run_id}/publish")
    with app.app_context():
        run = db.session.get(SolveRun, run_id)
        code = run.working["testwork:case-1"][0]
        from eih.models import Expert
        expert = db.session.get(Expert, int(code[3:]))
        email = expert.user.email
    auth.logout()
    auth.login(email)
    response = client.post("/admin/my-schedule/decline", data={"demand": "testwork:case-1", "reason": "unsafe", "note": "bekende van mij"})
    assert response.status_code == 302
    assert "EIH-TEST-001" not in client.get("/admin/my-schedule/").get_data(as_text=True)
    auth.logout()
    auth.login("lead")
    home = client.get("/admin/").get_data(as_text=True)
    assert "EIH-TEST-001" in home and "onveilig" in home, "the lead sees the decline on the home page"
    new_id = _solved_run(app, client, auth)
    with app.app_context():
        new = db.session.get(SolveRun, new_id)
        assert code not in new.working.get("testwork:case-1", [])
        # a pin cannot override the decline
        with pytest.raises(PlanningError):
            pin(new, "testwork:case-1", code)
        assert db.session.query(Decline).count() == 1


def test_decline_needs_a_reason_and_own_work(app, client, auth):
    run_id = _solved_run(app, client, auth)
    client.post(f"/admin/planning/run/{run_id}/publish")
    auth.logout()
    auth.login("amal@eih.example")
    response = client.post("/admin/my-schedule/decline", data={"demand": "testwork:men", "reason": "unsafe"}, follow_redirects=True)
    assert "niet in je rooster".encode() in response.data or b"not in your schedule" in response.data
    response = client.post("/admin/my-schedule/decline", data={"demand": "testwork:case-1", "reason": "bored"}, follow_redirects=True)
    with app.app_context():
        assert db.session.query(Decline).count() == 0


def test_publishing_a_plan_that_breaks_a_rule_needs_confirmation_and_is_audited(app, client, auth):
    run_id = _solved_run(app, client, auth)
    with app.app_context():
        run = db.session.get(SolveRun, run_id)
        # force a violation the way a hand edit could: a woman on the men's group
        working = dict(run.working)
        working["testwork:men"] = [expert_by_name("Amal").code]
        run.working = working
        db.session.commit()
        assert violations(run)
    response = client.post(f"/admin/planning/run/{run_id}/publish")
    with app.app_context():
        assert db.session.query(PlanVersion).count() == 0
    response = client.post(f"/admin/planning/run/{run_id}/publish", data={"confirm": "y"})
    assert response.status_code == 302
    with app.app_context():
        version = db.session.query(PlanVersion).one()
        assert version.violations
        event = db.session.query(AuditEvent).filter_by(action="publish").one()
        assert "violation" in event.detail


def test_a_second_publication_is_a_new_version_and_keeps_the_first(app, client, auth):
    run_id = _solved_run(app, client, auth)
    client.post(f"/admin/planning/run/{run_id}/publish")
    with app.app_context():
        run = db.session.get(SolveRun, run_id)
        current = run.working["testwork:men"][0]
        other = next(c for c in swap_choices(run, "testwork:men") if c != current)
    client.post(f"/admin/planning/run/{run_id}/edit", data={"action": "swap", "demand": "testwork:men", "expert": current, "new_expert": other})
    client.post(f"/admin/planning/run/{run_id}/publish")
    with app.app_context():
        versions = db.session.query(PlanVersion).order_by(PlanVersion.number).all()
        assert [v.number for v in versions] == [1, 2]
        assert versions[1].changes[other]["added"] == ["testwork:men"]
        assert versions[1].changes[current]["removed"] == ["testwork:men"]
        assert json.loads(versions[0].plan_json) != json.loads(versions[1].plan_json)


def test_swap_to_an_ineligible_expert_is_refused_and_changes_nothing(app, client, auth):
    run_id = _solved_run(app, client, auth)
    with app.app_context():
        before = dict(db.session.get(SolveRun, run_id).working)
        current = before["testwork:men"][0]
        amal = expert_by_name("Amal").code
    response = client.post(f"/admin/planning/run/{run_id}/edit",
                           data={"action": "swap", "demand": "testwork:men", "expert": current, "new_expert": amal},
                           follow_redirects=True)
    assert response.status_code == 200
    with app.app_context():
        assert db.session.get(SolveRun, run_id).working == before
    for data in ({"action": "explode"}, {"action": "pin", "demand": "nope", "new_expert": amal},
                 {"action": "remove", "demand": "testwork:men", "expert": "ed-999"}):
        assert client.post(f"/admin/planning/run/{run_id}/edit", data=data).status_code == 302
    with app.app_context():
        assert db.session.get(SolveRun, run_id).working == before


def test_another_regions_lead_cannot_open_a_run(app, client, auth):
    run_id = _solved_run(app, client, auth)
    auth.logout()
    auth.login("lead_b")
    assert client.get(f"/admin/planning/run/{run_id}").status_code == 404
    assert client.get(f"/admin/planning/run/{run_id}/instance.json").status_code == 404
    assert client.post(f"/admin/planning/run/{run_id}/publish").status_code == 404


def test_settings_refuse_absurd_values_and_change_nothing(app, client, auth):
    auth.login("lead")
    response = client.post("/admin/planning/settings", data={
        "heavy_load": "-4", "recovery_hours": "12", "max_heavy_per_day": "1", "max_load_per_week": "",
        "buffer_minutes": "30", "intervision_days": "42", "time_limit_s": "10"})
    assert response.status_code == 400
    response = client.post("/admin/planning/settings", data={
        "heavy_load": "4", "recovery_hours": "24", "max_heavy_per_day": "1", "max_load_per_week": "",
        "buffer_minutes": "15", "intervision_days": "42", "time_limit_s": "5"})
    assert response.status_code == 302
    with app.app_context():
        instance = build_instance(region(), next_week())
        assert instance.settings.heavy_load == 4 and instance.settings.recovery_hours == 24


def test_solve_command_prints_the_plan_and_saves_the_instance(app, runner, tmp_path):
    target = tmp_path / "instance.json"
    result = runner.invoke(args=["eih", "solve", "--region", REGION, "--week", iso_week(next_week()), "--json",
                                 "--save-instance", str(target)])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["format"] == "eih-plan/1"
    saved = instance_from_dict(json.loads(target.read_text()))
    assert {d.id for d in saved.demands} == {"testwork:case-1", "testwork:men", "testwork:iv"}


def test_solve_command_publishes(app, runner, work):
    result = runner.invoke(args=["eih", "solve", "--region", REGION, "--week", iso_week(next_week()), "--publish"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.query(PlanVersion).count() == 1
    assert work.applied


@pytest.mark.parametrize("args, message", [
    (["--region", "atlantis", "--week", "2026-W49"], "unknown region"),
    (["--region", REGION, "--week", "2026-49"], "ISO week"),
    (["--region", REGION, "--week", "2026-W60"], "ISO week"),
])
def test_solve_command_refuses_bad_input_with_one_line(app, runner, args, message):
    result = runner.invoke(args=["eih", "solve", *args])
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    with app.app_context():
        assert db.session.query(SolveRun).count() == 0


@every_date
def test_the_planning_page_offers_last_week_to_four_weeks_ahead_and_opens_on_next_week(client, auth):
    auth.login("lead")
    page = client.get("/admin/planning/").get_data(as_text=True)
    offered = [parse_week(w) for w in re.findall(r'href="[^"]*\?week=(\d{4}-W\d\d)"', page)]
    today = clock.today()
    this_monday = today - timedelta(days=today.weekday())
    assert [w.start for w in offered] == [this_monday + timedelta(weeks=i) for i in range(-1, 5)]
    assert offered[1].start <= today <= offered[1].end
    opened = parse_week(re.search(r"Weekplanning · (\d{4}-W\d\d)", page).group(1))
    assert opened == offered[2] and opened.start <= today + timedelta(days=7) <= opened.end


def test_week_53_is_a_week_only_in_years_that_have_it():
    assert parse_week("2026-W53") == Period(date(2026, 12, 28), date(2027, 1, 3))
    with pytest.raises(PeriodError):
        parse_week("2027-W53")


def test_the_lead_marks_a_decline_as_seen_and_it_stays_on_record(app, client, auth):
    from eih.declines import record_decline
    with app.app_context():
        record_decline(expert_by_name("Amal"), "testwork:case-1", "conflict", "kent de familie")
        db.session.commit()
        decline_id = db.session.query(Decline).one().id
    auth.login("lead")
    page = client.get("/admin/planning/declines").get_data(as_text=True)
    assert "Amal" in page and "kent de familie" in page and "belangenconflict" in page
    assert client.post(f"/admin/planning/declines/{decline_id}/seen").status_code == 302
    with app.app_context():
        row = db.session.get(Decline, decline_id)
        assert row.seen_at is not None
        assert build_instance(region(), next_week()).demand("testwork:case-1").exclude == [expert_by_name("Amal").code]
    home = client.get("/admin/").get_data(as_text=True)
    assert "kent de familie" not in home and "Geweigerd werk terug in je wachtrij" not in home
    auth.logout()
    auth.login("lead_b")
    assert client.post(f"/admin/planning/declines/{decline_id}/seen").status_code == 404
    assert "kent de familie" not in client.get("/admin/planning/declines").get_data(as_text=True)


def test_the_stored_instance_solved_again_with_eih_schedule_gives_the_stored_plan(app, client, auth, tmp_path):
    import subprocess
    import sys
    from pathlib import Path
    run_id = _solved_run(app, client, auth)
    instance = client.get(f"/admin/planning/run/{run_id}/instance.json")
    stored = json.loads(client.get(f"/admin/planning/run/{run_id}/plan.json").data)
    (tmp_path / "instance.json").write_bytes(instance.data)
    script = Path(sys.executable).with_name("eih-schedule")
    result = subprocess.run([str(script), "solve", str(tmp_path / "instance.json"), "-o", str(tmp_path / "plan.json"),
                             "--no-time"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    stored.pop("solve_seconds")
    assert json.loads((tmp_path / "plan.json").read_text()) == stored
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(action="export", object_type="SolveRun").count() == 2


def test_run_status_and_solver_progress_are_in_the_leads_language(app, client, auth, work):
    """The plan's status and the solver's progress lines (English in the engine) read
    in Dutch on the lead's pages."""
    run_id = _solved_run(app, client, auth)
    review = client.get(f"/admin/planning/run/{run_id}").get_data(as_text=True)
    assert "<td>optimaal</td>" in review
    index = client.get("/admin/planning/").get_data(as_text=True)
    assert "klaar · optimaal" in index
    with app.test_request_context():
        from flask_babel import force_locale

        from eih.planning.wording import progress_label, progress_value
        from eih.scheduler.reasons import say
        with force_locale("nl"):
            spread = progress_value(say("level_best", level="spread", value=1.17))  # as the run stores it
            coverage = progress_value(say("level_optimal", level="coverage", value=13))
            assert progress_label(spread) == "spreiding van de belasting: 1.17 (beste gevonden)"
            assert progress_label(coverage) == "dekking (prioriteit van bemand werk): 13 (optimaal)"
            assert progress_label("something else") == "something else"


def test_a_regions_planning_settings_start_from_the_one_set_of_defaults(app):
    from eih.planning.build import settings_for
    from eih.planning.models import DEFAULT_SETTINGS, PlanningSettings
    with app.app_context():
        haaglanden = db.session.execute(db.select(Region).filter_by(slug="haaglanden")).scalar_one()
        db.session.execute(db.delete(PlanningSettings).filter_by(region_id=haaglanden.id))
        row = settings_for(haaglanden)
        assert {key: getattr(row, key) for key in DEFAULT_SETTINGS} == DEFAULT_SETTINGS
        assert PlanningSettings.__table__.c.buffer_minutes.default.arg == DEFAULT_SETTINGS["buffer_minutes"]
