"""Scheduler input (one slot demand per planned session) and output (facilitators set by the plan)."""
from datetime import timedelta

from eih import clock
from eih.declines import record_decline
from eih.extensions import db
from eih.models import Expert
from eih.plugins import Period, get_plugin
from eih.plugins.supportgroups.models import Session
from eih.scheduler import Assignment, Instance, Plan, Settings, Unassigned, instance_from_dict, instance_to_dict
from eih.scheduler import Expert as SchedExpert
from tests.dates import every_date

from .helpers import by_slug, expert, region


def weeks() -> Period:
    """Four weeks from today (read when a test runs, so a travelled clock counts)."""
    return Period(clock.today(), clock.today() + timedelta(weeks=4))


def _demands():
    return get_plugin("supportgroups").demands(region(), weeks())


@every_date
def test_every_planned_session_is_a_demand_that_passes_the_schedulers_reader(app):
    with app.app_context():
        demands = _demands()
        planned = db.session.query(Session).filter(Session.status == "planned",
                                                   Session.starts_at >= weeks().start).count()
        assert demands and len(demands) <= planned
        experts = [SchedExpert(id=e.code, name=e.name, region=e.region.slug, gender=e.gender,
                               perspectives=e.tags("perspectives"))
                   for e in db.session.query(Expert).filter_by(region_id=region().id)]
        instance = Instance(weeks().start, weeks().end, Settings(), experts, demands)
        again = instance_from_dict(instance_to_dict(instance))
        assert [d.id for d in again.demands] == [d.id for d in demands]
        assert all(d.id.startswith("supportgroups:session-") and d.kind == "supportgroup" for d in demands)


@every_date
def test_womens_group_session_asks_for_two_female_victim_perspective_facilitators(app):
    with app.app_context():
        women = by_slug("vrouwengroep")
        demand = next(d for d in _demands() if d.label.startswith("Vrouwengroep"))
        assert demand.experts_needed == 2
        assert (demand.require.gender, demand.require.perspective) == ("female", "victim")
        assert demand.continuity == [e.code for e in women.facilitators]
        assert demand.label == "Vrouwengroep · Wijkcentrum Het Anker, Schiedam"
        assert demand.load == 3 and demand.region == "rotterdam-rijnmond"
        assert demand.slot.end - demand.slot.start == timedelta(hours=2)


def test_mens_group_session_asks_for_one_male_perpetrator_perspective_facilitator(app):
    with app.app_context():
        demand = next(d for d in _demands() if d.label.startswith("Mannengroep"))
        assert (demand.experts_needed, demand.require.gender, demand.require.perspective) == (1, "male", "perpetrator")


def test_group_load_is_configurable(app):
    with app.app_context():
        by_slug("mannengroep").load = 2
        assert {d.load for d in _demands() if d.label.startswith("Mannengroep")} == {2}


def test_apply_sets_the_facilitators_and_is_idempotent(app):
    with app.app_context():
        demand = next(d for d in _demands() if d.label.startswith("Vrouwengroep"))
        sid = int(demand.id.rsplit("-", 1)[1])
        sevda, priya = expert("sevda"), expert("priya")
        plan = Plan("optimal", [Assignment(demand.id, [sevda.code, priya.code]),
                                Assignment("casework:request-1", ["ed-1"])], [], [], {})
        plugin = get_plugin("supportgroups")
        plugin.apply(region(), plan)
        plugin.apply(region(), plan)
        assert {e.id for e in db.session.get(Session, sid).facilitators} == {sevda.id, priya.id}


def test_unassigned_session_loses_its_facilitators(app):
    with app.app_context():
        demand = next(d for d in _demands() if d.label.startswith("Mannengroep"))
        sid = int(demand.id.rsplit("-", 1)[1])
        db.session.get(Session, sid).facilitators = [expert("youssef")]
        get_plugin("supportgroups").apply(region(), Plan("feasible", [], [Unassigned(demand.id, ["nobody"])], [], {}))
        assert db.session.get(Session, sid).facilitators == []


def test_declining_a_session_removes_the_expert_and_excludes_them_next_round(app):
    with app.app_context():
        demand = next(d for d in _demands() if d.label.startswith("Vrouwengroep") and d.continuity)
        sid = int(demand.id.rsplit("-", 1)[1])
        amal = expert("amal")
        db.session.get(Session, sid).facilitators = [amal]
        record_decline(amal, demand.id, "capacity")
        assert amal not in db.session.get(Session, sid).facilitators
        assert amal.code in next(d for d in _demands() if d.id == demand.id).exclude


@every_date
def test_report_gives_figures_per_group(app):
    with app.app_context():
        figures = get_plugin("supportgroups").report(region(), Period(clock.today() - timedelta(weeks=9), clock.today()))
        assert figures["groups"]["mannengroep"]["sessions_held"] >= 7
        assert figures["groups"]["mannengroep"]["distinct_participants"] == 7
        assert figures["groups"]["vrouwengroep"]["average_attendance"] > 0


def test_demo_is_idempotent(app):
    with app.app_context():
        before = db.session.query(Session).count()
        get_plugin("supportgroups").demo(region(), clock.today())
        assert db.session.query(Session).count() == before


def test_home_page_shows_the_coordinators_alerts_and_the_experts_next_sessions(app, client, auth):
    auth.login("coordinator")
    page = client.get("/admin/").get_data(as_text=True)
    assert "Kevin" in page and "Mannengroep" in page
    auth.logout()
    auth.login("expert")
    page = client.get("/admin/").get_data(as_text=True)
    assert "Vrouwengroep" in page and "Kevin" not in page
