"""Scheduler input and output: all-expert slot demands, history, expected attendance."""
from datetime import date, datetime

from eih.extensions import db
from eih.plugins import Period
from eih.plugins.intervision import plugin, rules
from eih.plugins.intervision.models import IntervisionAttendance, IntervisionSession, TeamMeeting
from eih.scheduler import (
    Assignment,
    Contract,
    Expert,
    History,
    Instance,
    Plan,
    Settings,
    instance_from_dict,
    instance_to_dict,
)

from .conftest import add_session, expert, region

PERIOD = Period(date(2030, 2, 11), date(2030, 2, 24))


def _setup():
    rr = region()
    rules.generate(rr, date(2030, 1, 1), date(2030, 3, 31))
    db.session.commit()
    return rr


def test_sessions_and_team_meetings_become_all_expert_slot_demands(empty):
    with empty.app_context():
        rr = _setup()
        demands = plugin.demands(rr, PERIOD)
        session = db.session.query(IntervisionSession).filter(IntervisionSession.start >= datetime(2030, 2, 11)).first()
        meetings = db.session.query(TeamMeeting).filter(TeamMeeting.start >= datetime(2030, 2, 11),
                                                        TeamMeeting.start < datetime(2030, 2, 25)).all()
        ids = {d.id for d in demands}
        assert ids == {f"intervision:session-{session.id}"} | {f"intervision:meeting-{m.id}" for m in meetings}
        for d in demands:
            assert d.all_experts and d.load == 0 and d.region == rr.slug and d.slot is not None
            assert d.kind == ("intervision" if "session" in d.id else "teammeeting")
        cancelled = meetings[0]
        cancelled.status = "cancelled"
        db.session.commit()
        assert f"intervision:meeting-{cancelled.id}" not in {d.id for d in plugin.demands(rr, PERIOD)}


def test_the_demand_mapping_passes_the_schedulers_reader(empty):
    with empty.app_context():
        rr = _setup()
        history = plugin.expert_history(rr, PERIOD)
        experts = [Expert(id=e.code, name=e.name, region=rr.slug, gender=e.gender, perspectives=e.tags("perspectives"),
                          languages=e.tags("languages"),
                          contract=Contract(min_hours=e.min_hours, max_hours=e.max_hours),
                          history=History(last_intervision=history[e.code]["last_intervision"]))
                   for e in rules.region_experts(rr.id)]
        instance = Instance(PERIOD.start, PERIOD.end, Settings(), experts, plugin.demands(rr, PERIOD))
        data = instance_to_dict(instance)
        again = instance_from_dict(data)
        assert [d.id for d in again.demands] == [d.id for d in instance.demands]
        assert all(d.all_experts for d in again.demands)


def test_history_holds_the_last_intervision_attended_before_the_period(empty):
    with empty.app_context():
        rr = region()
        amal, marco = expert("Amal"), expert("Marco")
        add_session(rr.id, date(2030, 1, 2), present=[amal, marco])
        add_session(rr.id, date(2030, 1, 30), present=[amal], absent=[marco])
        add_session(rr.id, date(2030, 2, 13), present=[amal, marco])  # inside the period: not history
        db.session.commit()
        history = plugin.expert_history(rr, PERIOD)
        assert history[amal.code] == {"last_intervision": date(2030, 1, 30)}
        assert history[marco.code] == {"last_intervision": date(2030, 1, 2)}
        assert history[expert("Kwame").code] == {"last_intervision": None}


def test_apply_records_expected_attendance_once(empty):
    with empty.app_context():
        rr = _setup()
        demand = next(d for d in plugin.demands(rr, PERIOD) if "session" in d.id)
        session_id = int(demand.id.rsplit("-", 1)[1])
        amal, marco = expert("Amal"), expert("Marco")
        plan = Plan(status="optimal", assignments=[Assignment(demand.id, [amal.code, marco.code]),
                                                   Assignment("casework:1", [amal.code])],
                    unassigned=[], experts=[], objective={})
        plugin.apply(rr, plan)
        plugin.apply(rr, plan)
        db.session.commit()
        rows = db.session.query(IntervisionAttendance).filter_by(session_id=session_id).all()
        assert sorted((r.expert_id, r.status) for r in rows) == sorted([(amal.id, "expected"), (marco.id, "expected")])
        replan = Plan(status="optimal", assignments=[Assignment(demand.id, [amal.code])], unassigned=[], experts=[],
                      objective={})
        plugin.apply(rr, replan)
        db.session.commit()
        rows = db.session.query(IntervisionAttendance).filter_by(session_id=session_id).all()
        assert [(r.expert_id, r.status) for r in rows] == [(amal.id, "expected")]


def test_apply_ignores_experts_of_another_region(empty):
    with empty.app_context():
        rr = _setup()
        demand = next(d for d in plugin.demands(rr, PERIOD) if "session" in d.id)
        noor = db.session.execute(db.select(IntervisionAttendance.expert_id)).first()  # none yet
        assert noor is None
        from eih.models import Expert as ExpertRow
        from eih.models import User
        other = db.session.execute(db.select(ExpertRow).join(User).filter(User.email == "noor.haaglanden@eih.example")).scalar_one()
        plugin.apply(rr, Plan("optimal", [Assignment(demand.id, [other.code])], [], [], {}))
        assert db.session.query(IntervisionAttendance).count() == 0
