"""End to end on the demo data with the real plugins: collect, solve, review,
pin, re-solve, publish; every expert sees exactly their work; a decline goes
back to the lead and the next solve does not give it back."""
from __future__ import annotations

import json
from datetime import timedelta

from eih import clock
from eih.extensions import db
from eih.models import Expert, Region
from eih.planning.build import build_instance, iso_week, week_of
from eih.planning.models import PlanVersion, SolveRun
from eih.planning.schedule import items_for
from eih.planning.service import swap_choices
from eih.plugins import enabled_plugins
from tests.dates import every_date


def _run_id(response) -> int:
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def _wait(app, run_id):
    app.extensions["eih_planning_futures"][run_id].result(timeout=300)


@every_date
def test_demo_week_round_trip(app, client, auth):
    period = week_of(clock.today() + timedelta(days=7))
    week = iso_week(period)
    with app.app_context():
        region = db.session.execute(db.select(Region).filter_by(slug="rotterdam-rijnmond")).scalar_one()
        kinds = {d.kind for d in build_instance(region, period).demands}
        from eih.plugins import Period
        six_weeks = Period(period.start, period.start + timedelta(weeks=6) - timedelta(days=1))
        longer = {d.kind for d in build_instance(region, six_weeks).demands}
        plugins = {p.name for p in enabled_plugins(region)}
    assert {"casework", "supportgroups", "intervision"} <= plugins
    assert {"casework", "supportgroup"} <= kinds, "casework and groups bring work to the demo week"
    assert "intervision" in longer, "intervision comes every six weeks"

    auth.login("lead")
    run_id = _run_id(client.post("/admin/planning/solve", data={"week": week}))
    _wait(app, run_id)
    review = client.get(f"/admin/planning/run/{run_id}")
    assert review.status_code == 200
    with app.app_context():
        run = db.session.get(SolveRun, run_id)
        assert run.status == "done", run.error
        # pin: an assigned demand with another eligible expert
        target = next((d for d, codes in run.working.items() if swap_choices(run, d)), None)
        assert target is not None, "the demo has work with more than one eligible expert"
        other = swap_choices(run, target)[0]
    response = client.post(f"/admin/planning/run/{run_id}/edit", data={"action": "pin", "demand": target, "new_expert": other})
    assert response.status_code == 302
    new_id = _run_id(client.post(f"/admin/planning/run/{run_id}/resolve"))
    _wait(app, new_id)
    with app.app_context():
        new = db.session.get(SolveRun, new_id)
        assert other in new.working[target], "the re-solve keeps the pin"
    assert client.post(f"/admin/planning/run/{new_id}/publish").status_code == 302

    with app.app_context():
        version = db.session.query(PlanVersion).one()
        mapping = {a["demand"]: a["experts"] for a in json.loads(version.plan_json)["assignments"]}
        experts = db.session.query(Expert).filter_by(region_id=region.id).all()
        expected = {e.user.email: {d for d, codes in mapping.items() if e.code in codes} for e in experts}
        for expert in experts:
            seen = {i.demand for i in items_for(expert, period.start, period.end)}
            assert seen == expected[expert.user.email], f"{expert.name} sees exactly their own work"
        # something declinable: work of one expert that is not a whole-team meeting
        instance = json.loads(version.instance_json)
        team = {d["id"] for d in instance["demands"] if d.get("all_experts")}
        victim_email, demand = next((email, d) for email, ds in expected.items() for d in sorted(ds) if d not in team)
        label = next(d["label"] for d in instance["demands"] if d["id"] == demand)
        title = label.split(",")[0].split(" · ")[0]  # case code, or the group's name
        code = next(e.code for e in experts if e.user.email == victim_email)
    auth.logout()

    auth.login(victim_email)
    assert client.post("/admin/my-schedule/decline", data={"demand": demand, "reason": "unsafe"}).status_code == 302
    auth.logout()
    auth.login("lead")
    assert title in client.get("/admin/").get_data(as_text=True), "the lead sees the decline at home"
    again = _run_id(client.post("/admin/planning/solve", data={"week": week}))
    _wait(app, again)
    with app.app_context():
        run = db.session.get(SolveRun, again)
        assert run.status == "done"
        assert code not in run.working.get(demand, []), "the next solve does not give it back"
