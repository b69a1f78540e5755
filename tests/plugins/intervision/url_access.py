"""Access expectations for every intervision URL (see tests/test_url_map.py).

Admins are not the team: 403 everywhere. Supervision: the lead's queue is the
lead's only; an expert's own requests are the expert's only.
"""
from eih.extensions import db
from eih.models import Expert, User
from eih.plugins.intervision.models import Cycle, IntervisionSession, SupervisionRequest, TeamMeeting
from tests.access import only
from tests.test_url_map import model_view

STAFF = ["lead", "coordinator"]


def _first(model, **filters):
    return lambda: {"id": db.session.query(model.id).filter_by(**filters).order_by(model.id).limit(1).scalar()}


def _amals_request():
    expert_id = (db.session.query(Expert.id).join(User, Expert.user_id == User.id)
                 .filter(User.email == "amal@eih.example").scalar())
    return {"id": db.session.query(SupervisionRequest.id).filter_by(expert_id=expert_id)
            .order_by(SupervisionRequest.id).limit(1).scalar()}


EXPECTED = {
    "intervision_rhythm.index": only(*STAFF),
    "intervision_rhythm.generate": {**only(*STAFF), "lead": 400, "coordinator": 400},  # empty form
    "intervision_rhythm.register": only(*STAFF),
    **model_view("intervision_cycle", STAFF, STAFF),
    **model_view("intervision_session", STAFF + ["expert"], STAFF),
    **model_view("intervision_meeting", STAFF + ["expert"], STAFF),
    **model_view("intervision_supervision", ["lead"], ["lead"]),
    **model_view("intervision_mysupervision", ["expert"], ["expert"]),
}
# Requests come from experts: the lead's queue has no create page (redirects back to the list).
EXPECTED["intervision_supervision.create_view"] = {**only("lead"), "lead": 302}

URL_ARGS = {
    "intervision_rhythm.register": lambda: {"kind": "session", "item_id": _first(IntervisionSession)()["id"]},
    "intervision_cycle.edit_view": _first(Cycle), "intervision_cycle.details_view": _first(Cycle),
    "intervision_session.edit_view": _first(IntervisionSession),
    "intervision_session.details_view": _first(IntervisionSession),
    "intervision_meeting.edit_view": _first(TeamMeeting), "intervision_meeting.details_view": _first(TeamMeeting),
    "intervision_supervision.edit_view": _amals_request, "intervision_supervision.details_view": _amals_request,
    "intervision_mysupervision.edit_view": _amals_request, "intervision_mysupervision.details_view": _amals_request,
    **{f"intervision_{v}.export": (lambda: {"export_type": "csv"})
       for v in ("cycle", "session", "meeting", "supervision", "mysupervision")},
}
