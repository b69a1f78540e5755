"""What the hours change in the planning round: blocked hours of other work count
against the contract, the load history comes from what happened (each piece of work
once), a heavy contact form asks for recovery, and a light week keeps heavy work away;
the explanations say why."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from eih.extensions import db
from eih.hours import rules
from eih.hours.models import Timesheet
from eih.planning.build import build_instance
from eih.planning.models import PlanVersion
from eih.planning.service import run_plan, start_run
from eih.planning.wording import reason
from eih.plugins import Period, Plugin, set_enabled
from eih.scheduler import Demand, Requirements, Slot
from tests.dates import DATES
from tests.hours.helpers import at, contact, new_expert, region, this_monday

THURSDAY = [d for d in DATES if d.id == "thu"]  # Thursday 3 December 2026, 14:00 in Amsterdam


class Probe(Plugin):
    """Work only Tess can do (she alone speaks "xx"): two cases of six hours, and on the
    period's first Monday at 07:00 a heavy group evening and a light task."""

    name = "probe"
    label = "Probe"

    def demands(self, region, period):
        monday = period.start
        xx = Requirements(languages=["xx"])
        return [
            Demand(id="probe:case-1", kind="casework", label="PROBE-1", region=region.slug, hours=6, load=1,
                   require=xx),
            Demand(id="probe:case-2", kind="casework", label="PROBE-2", region=region.slug, hours=6, load=1,
                   require=xx),
            Demand(id="probe:heavy-1", kind="supportgroup", label="Zware avond", region=region.slug,
                   slot=Slot(at(monday, 7), at(monday, 9)), load=3, require=xx),
            Demand(id="probe:light-1", kind="supportgroup", label="Lichte taak", region=region.slug,
                   slot=Slot(at(monday + timedelta(days=2), 10), at(monday + timedelta(days=2), 11)), load=1,
                   require=xx),
        ]


def _tess(**fields):
    tess = new_expert(languages="nl, xx", min_hours=0, **fields)
    set_enabled(region().id, "probe", True)
    db.session.commit()
    return tess


def _plan(period: Period) -> tuple[dict, dict, object]:
    run = start_run(region(), period, background=False)
    plan = run_plan(run)
    return ({a.demand: list(a.experts) for a in plan.assignments}, {u.demand: u.reasons for u in plan.unassigned},
            plan)


def _next_week() -> Period:
    monday = this_monday() + timedelta(weeks=1)
    return Period(monday, monday + timedelta(days=6))


# -- blocked hours ------------------------------------------------------------------

@pytest.mark.app_config(EXTRA_PLUGINS=[Probe()], PLUGINS=["probe"])
def test_blocked_hours_keep_the_plan_within_the_contract(app):
    with app.app_context():
        tess = _tess(max_hours=24, overtime_hours=0)
        period = _next_week()
        assigned, _open, _plan_ = _plan(period)
        assert assigned["probe:case-1"] == assigned["probe:case-2"] == [tess.code]  # 12 + 3 h fit in 24
        block = rules.add_block(tess, period.start, 16, "Training weerbaarheid")
        db.session.commit()
        assigned, unassigned, plan = _plan(period)
        # 16 h kept free: with both cases she would have 16 + 12 + 3 = 31 h of 24
        assert assigned[f"hours:block-{block.id}"] == [tess.code]
        cases = [d for d in ("probe:case-1", "probe:case-2") if tess.code in assigned.get(d, [])]
        assert len(cases) == 1
        hours = next(s.hours for s in plan.experts if s.id == tess.code)
        assert 16 < hours <= 24
        case = next(d for d in ("probe:case-1", "probe:case-2") if d not in cases)
        keys = json.dumps([r.data() for r in unassigned[case]])
        assert '"at_contract"' in keys and '"limit": 24' in keys  # she is at her 24 h limit, blocked hours included


@pytest.mark.app_config(EXTRA_PLUGINS=[Probe()], PLUGINS=["probe"])
def test_blocked_hours_are_fixed_work_of_that_expert_only(app):
    with app.app_context():
        tess = _tess()
        block = rules.add_block(tess, _next_week().start, 4, "Presentatie bij Arosa")
        db.session.commit()
        demand = build_instance(region(), _next_week()).demand(f"hours:block-{block.id}")
        assert (demand.kind, demand.hours, demand.load, demand.pinned) == ("otherwork", 4, 0, [tess.code])
        assert tess.code not in demand.exclude and len(demand.exclude) == 7  # nobody else may take it


# -- the load history ------------------------------------------------------------------

def _publish(period: Period, demand_id: str, code: str, load: float = 2) -> None:
    """A published plan of ``period`` giving ``code`` a running case of ``load`` each week."""
    instance = {"format": "eih-instance/1", "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
                "experts": [{"id": code}], "demands": [{"id": demand_id, "kind": "casework", "hours": 2, "load": load}]}
    plan = {"format": "eih-plan/1", "status": "optimal", "assignments": [{"demand": demand_id, "experts": [code],
                                                                           "why": []}],
            "unassigned": [], "experts": [], "objective": {}, "solve_seconds": 0}
    db.session.add(PlanVersion(region_id=region().id, period_start=period.start, period_end=period.end, number=1,
                               instance_json=json.dumps(instance), plan_json=json.dumps(plan)))
    db.session.flush()


def _week(monday: date) -> Period:
    return Period(monday, monday + timedelta(days=6))


@pytest.mark.parametrize("travel", THURSDAY, indirect=True)
def test_the_load_history_counts_each_piece_of_work_once(app, travel):
    with app.app_context():
        tess = new_expert()
        this = this_monday()  # Monday 30 November
        worked = this - timedelta(weeks=2)  # over: what happened counts
        first = contact(tess, at(worked + timedelta(days=1), 10), heaviness=3)
        contact(tess, at(worked + timedelta(days=3), 10), heaviness=2)
        case = first.request.demand_key
        _publish(_week(worked), case, tess.code)  # planned as well: must not count again
        _publish(_week(this), case, tess.code)  # this week is not yet worked: its plan counts
        contact(tess, at(this + timedelta(days=1), 10), heaviness=1)  # ... and not yet its records
        db.session.commit()
        instance = build_instance(region(), _week(this + timedelta(weeks=1)))
        # 3 + 2 from the contact forms of the week worked, 2 planned for this week
        assert instance.expert(tess.code).history.load_recent == 7


@pytest.mark.parametrize("travel", THURSDAY, indirect=True)
def test_a_submitted_week_counts_what_was_worked_instead_of_the_plan(app, travel):
    with app.app_context():
        tess = new_expert()
        this = this_monday()
        form = contact(tess, at(this + timedelta(days=1), 10), heaviness=1)
        _publish(_week(this), form.request.demand_key, tess.code, load=2)
        db.session.commit()
        rules.submit(tess, this)
        db.session.commit()
        assert db.session.query(Timesheet).filter_by(expert_id=tess.id).one().status == "submitted"
        instance = build_instance(region(), _week(this + timedelta(weeks=1)))
        assert instance.expert(tess.code).history.load_recent == 1


# -- recovery after a heavy contact form --------------------------------------------------

@pytest.mark.parametrize("travel", THURSDAY, indirect=True)
@pytest.mark.app_config(EXTRA_PLUGINS=[Probe()], PLUGINS=["casework", "probe"])
def test_a_heavy_contact_form_keeps_the_expert_from_heavy_work_in_the_recovery_hours(app, travel):
    with app.app_context():
        tess = _tess()
        this = this_monday()
        contact(tess, at(this - timedelta(days=1), 20), minutes=60, heaviness=4)  # Sunday 20:00-21:00
        db.session.commit()
        period = _week(this)
        instance = build_instance(region(), period)
        assert instance.expert(tess.code).history.last_heavy_end == at(this - timedelta(days=1), 21)
        assigned, unassigned, _plan_ = _plan(period)
        assert "probe:heavy-1" not in assigned  # Monday 07:00 is within 12 hours of Sunday 21:00
        assert assigned["probe:light-1"] == [tess.code]  # light work is fine
        keys = json.dumps([r.data() for r in unassigned["probe:heavy-1"]])
        assert "recovery_history" in keys
        with app.test_request_context():
            said = " ".join(reason(r) for r in unassigned["probe:heavy-1"])
        assert "in herstel tot ma 30 nov 09:00 na zwaar werk" in said


@pytest.mark.parametrize("travel", THURSDAY, indirect=True)
@pytest.mark.app_config(EXTRA_PLUGINS=[Probe()], PLUGINS=["casework", "probe"])
def test_a_contact_form_below_the_threshold_asks_no_recovery(app, travel):
    with app.app_context():
        tess = _tess()
        this = this_monday()
        contact(tess, at(this - timedelta(days=1), 20), minutes=60, heaviness=3)
        db.session.commit()
        assigned, _unassigned, _plan_ = _plan(_week(this))
        assert assigned["probe:heavy-1"] == [tess.code]


# -- light weeks -------------------------------------------------------------------------

@pytest.mark.app_config(EXTRA_PLUGINS=[Probe()], PLUGINS=["probe"])
def test_a_light_week_keeps_heavy_demands_away_and_the_plan_says_why(app):
    with app.app_context():
        tess = _tess()
        period = _next_week()
        assert _plan(period)[0]["probe:heavy-1"] == [tess.code]
        rules.mark_light_week(tess, period.start, "na een zware periode")
        db.session.commit()
        instance = build_instance(region(), period)
        heavy = instance.demand("probe:heavy-1")
        assert tess.code in heavy.exclude and heavy.exclude_reasons == {tess.code: "light-week"}
        assert tess.code not in instance.demand("probe:light-1").exclude
        assigned, unassigned, _plan_ = _plan(period)
        assert "probe:heavy-1" not in assigned and assigned["probe:light-1"] == [tess.code]
        with app.test_request_context():
            said = " ".join(reason(r) for r in unassigned["probe:heavy-1"])
        assert "uitgesloten (lichte week: geen zwaar werk)" in said


# -- shown on the plan and in "my schedule" ------------------------------------------------

@pytest.mark.app_config(EXTRA_PLUGINS=[Probe()], PLUGINS=["probe"])
def test_blocked_hours_and_light_weeks_show_on_the_plan_and_in_my_schedule(app, client, auth):
    with app.app_context():
        tess = _tess()
        monday = this_monday()
        block = rules.add_block(tess, monday, 3, "Training weerbaarheid")
        rules.mark_light_week(tess, monday)
        db.session.commit()
        block_id = block.id
    auth.login("lead")
    response = client.post("/admin/planning/solve", data={"week": f"{monday:%G-W%V}"})
    run_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    app.extensions["eih_planning_futures"][run_id].result(timeout=120)
    page = client.get(f"/admin/planning/run/{run_id}").get_data(as_text=True)
    assert "Training weerbaarheid" in page and "ander werk" in page and "lichte week: geen zwaar werk" in page
    assert client.post(f"/admin/planning/run/{run_id}/publish").status_code == 302
    auth.logout()
    auth.login("tess@test.example")
    page = client.get("/admin/my-schedule/").get_data(as_text=True)
    assert "Vrijgehouden voor ander werk: 3 u, Training weerbaarheid" in page
    assert "lichte week: geen zwaar werk" in page and "Overurensaldo" in page
    # kept free by herself or the lead: not something to decline
    response = client.post("/admin/my-schedule/decline", data={"demand": f"hours:block-{block_id}", "reason": "other"})
    assert "Ander werk en lichte weken" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        from eih.models import Decline
        assert db.session.query(Decline).count() == 0
