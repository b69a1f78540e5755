"""Access expectations of the planning round's pages (see test_url_map)."""
from eih.extensions import db
from eih.models import Unavailability
from tests.access import ROLES, only

LEAD = only("lead")
POST_LEAD = {**only("lead"), "lead": 302}


def _first(model):
    return lambda: db.session.query(model.id).order_by(model.id).limit(1).scalar() or 1


EXPECTED = {
    "planning.index": LEAD,
    "planning.solve": POST_LEAD,
    "planning.run": {**LEAD, "lead": 404},  # no run in the demo: unknown ids are 404
    "planning.edit": {**LEAD, "lead": 404},
    "planning.resolve": {**LEAD, "lead": 404},
    "planning.publish": {**LEAD, "lead": 404},
    "planning.run_instance_json": {**LEAD, "lead": 404},
    "planning.run_plan_json": {**LEAD, "lead": 404},
    "planning.version": {**LEAD, "lead": 404},
    "planning.version_plan_json": {**LEAD, "lead": 404},
    "planning.settings": LEAD,
    "planning.decline_seen": {**LEAD, "lead": 404},
    "planning.declines": LEAD,
    "load.index": only("lead", "coordinator"),
    "myschedule.index": only("expert"),
    "myschedule.decline": {**only("expert"), "expert": 302},
    "myschedule.availability": {**only("expert"), "expert": 302},
    "myschedule.availability_delete": {**only("expert"), "expert": 404},
    "myschedule.calendar": only("expert"),
    # the team's schedules: lead and coordinator look, never act for the expert
    "schedules.index": only("lead", "coordinator"),
    "schedules.decline": only(),
    "schedules.availability": only(),
    "schedules.availability_delete": only(),
    "schedules.calendar": only(),
    "calendar.feed": {role: 404 for role in ROLES},
}
URL_ARGS = {
    "planning.run": lambda: {"run_id": 999}, "planning.edit": lambda: {"run_id": 999},
    "planning.resolve": lambda: {"run_id": 999}, "planning.publish": lambda: {"run_id": 999},
    "planning.run_instance_json": lambda: {"run_id": 999}, "planning.run_plan_json": lambda: {"run_id": 999},
    "planning.version": lambda: {"version_id": 999}, "planning.version_plan_json": lambda: {"version_id": 999},
    "planning.decline_seen": lambda: {"decline_id": 999},
    "myschedule.availability_delete": _first(Unavailability),
    "calendar.feed": lambda: {"token": "not-a-real-token"},
}
URL_ARGS["schedules.availability_delete"] = lambda: {"row_id": 1}
URL_ARGS["myschedule.availability_delete"] = lambda: {"row_id": db.session.query(Unavailability.id).order_by(Unavailability.id).limit(1).scalar()}
