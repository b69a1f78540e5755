"""Who may open which casework URL: the lead edits, the coordinator reads the overview,
an expert sees their own cases only, an admin sees no casework content."""
from eih.extensions import db
from eih.models import Expert, User
from eih.plugins.casework.models import Deployment, Request
from tests.access import only
from tests.test_url_map import model_view

LEAD = only("lead")
LEAD_POST = only("lead", ok=302)


def _amal_request():
    return db.session.execute(db.select(Deployment.request_id).join(Expert, Deployment.expert_id == Expert.id)
                              .join(User, Expert.user_id == User.id).where(User.email == "amal@eih.example",
                                                                           Deployment.state == "active")
                              .limit(1)).scalar()


def _first_request():
    return db.session.execute(db.select(Request.id).where(Request.code.isnot(None)).order_by(Request.id).limit(1)).scalar()


EXPECTED = {
    **model_view("casework_request", ["lead"], ["lead"]),
    "casework_case.index": only("lead", ok=302),
    "casework_case.page": LEAD,
    "casework_case.act": LEAD_POST,
    "casework_mine.index": only("expert"),
    "casework_mine.case": only("expert"),
    "casework_mine.contact": only("expert", ok=302),
    "casework_mine.decline": only("expert", ok=302),
    "casework_overview.index": only("lead", "coordinator"),
}
# The Flask-Admin detail page is replaced by the request page; nothing is deleted from casework.
EXPECTED["casework_request.details_view"] = only("lead", ok=302)
EXPECTED["casework_request.delete_view"] = only("lead", ok=302)
EXPECTED["casework_request.export"] = only("lead", ok=302)

URL_ARGS = {
    "casework_request.edit_view": lambda: {"id": _first_request()},
    "casework_request.details_view": lambda: {"id": _first_request()},
    "casework_request.export": lambda: {"export_type": "csv"},
    "casework_case.page": lambda: {"id": _first_request()},
    "casework_case.act": lambda: {"id": _first_request(), "action": "start_intake"},
    "casework_mine.case": lambda: {"id": _amal_request()},
    "casework_mine.contact": lambda: {"id": _amal_request()},
    "casework_mine.decline": lambda: {"id": _amal_request()},
}
