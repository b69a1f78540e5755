"""Who may open which policy URL (see tests/test_url_map.py).

The lead manages, the coordinator reads, an expert opens only the meetings they
go to and the contributions they made; admins have no access to the content.
"""
from eih.extensions import db
from eih.models import Expert, User
from eih.plugins.policy.models import PolicyContribution, PolicyTable, meeting_expert
from tests.access import only
from tests.test_url_map import model_view

STAFF = ["lead", "coordinator"]
LEAD_POST = {**only("lead", ok=302), "coordinator": 403, "expert": 403}  # an empty form: refused, back to the page


def _amal():
    return (db.session.query(Expert.id).join(User, Expert.user_id == User.id)
            .filter(User.email == "amal@eih.example").scalar())


def _amals_meeting():
    return (db.session.query(meeting_expert.c.meeting_id).filter(meeting_expert.c.expert_id == _amal())
            .order_by(meeting_expert.c.meeting_id).limit(1).scalar())


def _amals_contribution():
    return {"id": db.session.query(PolicyContribution.id).filter(PolicyContribution.experts.any(Expert.id == _amal()))
            .order_by(PolicyContribution.id).limit(1).scalar()}


def _first(model):
    return lambda: {"id": db.session.query(model.id).order_by(model.id).limit(1).scalar()}


EXPECTED = {
    "policy.index": only(*STAFF),
    "policy.meeting": only(*STAFF, "expert"),
    "policy.talk": LEAD_POST, "policy.experts": LEAD_POST, "policy.held": LEAD_POST, "policy.cancel": LEAD_POST,
    **model_view("policy_table", STAFF, ["lead"]),
    **model_view("policy_meeting", STAFF + ["expert"], ["lead"]),
    **model_view("policy_contribution", STAFF + ["expert"], ["lead"]),
}

URL_ARGS = {
    **{f"policy.{name}": (lambda: {"meeting_id": _amals_meeting()}) for name in ("meeting", "talk", "experts", "held",
                                                                                "cancel")},
    "policy_table.edit_view": _first(PolicyTable), "policy_table.details_view": _first(PolicyTable),
    "policy_meeting.edit_view": lambda: {"id": _amals_meeting()},
    "policy_meeting.details_view": lambda: {"id": _amals_meeting()},
    "policy_contribution.edit_view": _amals_contribution, "policy_contribution.details_view": _amals_contribution,
    **{f"policy_{v}.export": (lambda: {"export_type": "csv"}) for v in ("table", "meeting", "contribution")},
}
