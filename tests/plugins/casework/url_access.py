"""Who may open which casework URL: the lead edits, the coordinator reads the overview,
an expert sees their own cases only, an admin sees no casework content."""
from eih.extensions import db
from eih.models import Expert, User
from eih.plugins.casework.models import ContactForm, Deployment, Request
from tests.access import PUBLIC, ROLES, only
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
    "casework_case.summary": LEAD,
    "casework_mine.incident": only("expert", ok=302),
    # a closed case Amal never served: not hers, so it does not exist for her
    "casework_mine.closed": only("expert", ok=404),
    # the public request form: switched on in the demo region, open to everyone
    "casework_public.public_form": PUBLIC,
    "casework_public.public_received": {role: 302 for role in ROLES},  # no request sent: back to the form
}
# The Flask-Admin detail page is replaced by the request page; nothing is deleted from casework.
EXPECTED["casework_request.details_view"] = only("lead", ok=302)
EXPECTED["casework_request.delete_view"] = only("lead", ok=302)
EXPECTED["casework_request.export"] = only("lead", ok=302)

def _closed_request():
    return db.session.execute(db.select(Request.id).where(Request.status == "closed").order_by(Request.id)
                              .limit(1)).scalar()


def _contact():
    req = _amal_request()
    return {"id": req, "contact_id": db.session.execute(db.select(ContactForm.id).filter_by(request_id=req)
                                                        .limit(1)).scalar()}


URL_ARGS = {
    "casework_case.summary": _contact,
    "casework_mine.incident": lambda: {"id": _amal_request()},
    "casework_mine.closed": lambda: {"id": _closed_request()},
    "casework_public.public_form": lambda: {"slug": "rotterdam-rijnmond"},
    "casework_public.public_received": lambda: {"slug": "rotterdam-rijnmond"},
    "casework_request.edit_view": lambda: {"id": _first_request()},
    "casework_request.details_view": lambda: {"id": _first_request()},
    "casework_request.export": lambda: {"export_type": "csv"},
    "casework_case.page": lambda: {"id": _first_request()},
    "casework_case.act": lambda: {"id": _first_request(), "action": "start_intake"},
    "casework_mine.case": lambda: {"id": _amal_request()},
    "casework_mine.contact": lambda: {"id": _amal_request()},
    "casework_mine.decline": lambda: {"id": _amal_request()},
}
