"""Publishing a plan: what casework could not carry out reaches the project lead."""
from datetime import date, timedelta

from eih.extensions import db
from eih.planning.build import week_of
from eih.planning.models import PlanVersion
from eih.planning.service import publish, start_run
from eih.plugins.casework import rules
from eih.plugins.casework.models import Request
from eih.scheduler import Assignment, Plan

from .helpers import expert, new_request, region, user


def _plan_with(demand_key: str, code: str):
    def solver(instance, progress=None):
        return Plan("feasible", [Assignment(demand_key, [code], ["planned by the test"])], [], [], {})
    return solver


def test_a_case_that_cannot_start_is_shown_to_the_lead_on_the_published_version(app, client, auth):
    with app.app_context():
        req = new_request()
        rules.start_intake(req)  # in intake, but no consent and no goal yet
        amal = expert("amal")
        demand_key, code, case, req_id = req.demand_key, amal.code, req.code, req.id
        db.session.commit()
    app.config["PLANNING_SOLVER"] = _plan_with(demand_key, code)
    with app.app_context():
        lead = user("lead@eih.example")
        run = start_run(region(), week_of(date.today() + timedelta(days=7)), lead, background=False)
        version = publish(run, lead, confirm_violations=True)
        version_id = version.id
        stored = db.session.get(PlanVersion, version_id).problems
        assert [p["demand"] for p in stored] == [demand_key]
        assert stored[0]["message"] == "%(case)s cannot start yet: %(experts)s is proposed. Missing:"
        assert stored[0]["details"] == ["the client's recorded consent (date, how, recorded by)", "an agreed goal"]
        req = db.session.get(Request, req_id)
        assert [(d.expert.name, d.state) for d in req.deployments] == [("Amal", "proposed")]
        assert req.status == "intake"

    auth.login("lead")
    page = client.get(f"/admin/planning/version/{version_id}").get_data(as_text=True)
    assert (f"{case} kan nog niet starten: Amal is voorgesteld. Nog nodig: de vastgelegde toestemming van de "
            "cliënt (datum, hoe, vastgelegd door); een afgesproken doel") in page.replace("&#39;", "'")
    with app.app_context():
        user("lead@eih.example").locale = "en"
        db.session.commit()
    page = client.get(f"/admin/planning/version/{version_id}").get_data(as_text=True)
    assert (f"{case} cannot start yet: Amal is proposed. Missing: the client's recorded consent (date, how, "
            "recorded by); an agreed goal") in page.replace("&#39;", "'")


def test_a_case_that_starts_leaves_no_problem(app):
    with app.app_context():
        req = new_request(kind="thv", goal="Veiligheid")
        rules.record_consent(req, date.today(), "in-person", "P. Jansen")
        demand_key, code, req_id = req.demand_key, expert("sevda").code, req.id
        db.session.commit()
    app.config["PLANNING_SOLVER"] = _plan_with(demand_key, code)
    with app.app_context():
        lead = user("lead@eih.example")
        run = start_run(region(), week_of(date.today() + timedelta(days=7)), lead, background=False)
        version = publish(run, lead, confirm_violations=True)
        assert version.problems == []
        assert db.session.get(Request, req_id).status == "active"
