"""Who may open which outreach URL (see tests/test_url_map.py).

The lead manages, the coordinator reads, an expert opens only the sessions they
give and keeps their own story boundaries; admins have no access to the content.
The printable menu and the order form are public (no account needed).
"""
from eih.extensions import db
from eih.models import Expert, User
from eih.plugins.outreach.models import (
    OutreachAgreement,
    OutreachOffer,
    OutreachOrder,
    OutreachTopic,
    StoryBoundary,
    session_expert,
)
from tests.access import PUBLIC, ROLES, only
from tests.test_url_map import model_view

STAFF = ["lead", "coordinator"]
LEAD_POST = {**only("lead", ok=302), "coordinator": 403, "expert": 403}  # an empty form: refused, back to the page


def _amal():
    return (db.session.query(Expert.id).join(User, Expert.user_id == User.id)
            .filter(User.email == "amal@eih.example").scalar())


def _first(model, **filters):
    return lambda: {"id": db.session.query(model.id).filter_by(**filters).order_by(model.id).limit(1).scalar()}


def _amals_session():
    """A session Amal gave (the demo's closed case discussion)."""
    return (db.session.query(session_expert.c.session_id).filter(session_expert.c.expert_id == _amal())
            .order_by(session_expert.c.session_id).limit(1).scalar())


def _amals_boundary():
    return {"id": db.session.query(StoryBoundary.id).filter_by(expert_id=_amal()).order_by(StoryBoundary.id)
            .limit(1).scalar()}


def _new_order():
    return {"order_id": db.session.query(OutreachOrder.id).filter_by(status="new").order_by(OutreachOrder.id)
            .limit(1).scalar()}


EXPECTED = {
    "outreach.index": only(*STAFF),
    "outreach.order": only(*STAFF),
    "outreach.talk": LEAD_POST, "outreach.plan": LEAD_POST, "outreach.follow_up": LEAD_POST,
    "outreach.follow_up_done": LEAD_POST, "outreach.close": LEAD_POST, "outreach.cancel": LEAD_POST,
    "outreach.session_page": only(*STAFF, "expert"),
    "outreach.experts": LEAD_POST, "outreach.given": LEAD_POST, "outreach.evaluation": LEAD_POST,
    "outreach.cancel_session": LEAD_POST, "outreach.generate": LEAD_POST,
    **model_view("outreach_order", STAFF, ["lead"]),
    **model_view("outreach_session", STAFF + ["expert"], ["lead"]),
    **model_view("outreach_agreement", STAFF, ["lead"]),
    **model_view("outreach_offer", STAFF, ["lead"]),
    **model_view("outreach_topic", STAFF, ["lead"]),
    **model_view("outreach_boundary", STAFF, ["lead"]),
    **model_view("outreach_myboundary", ["expert"], ["expert"]),
    # public: anyone, logged in or not
    "outreach_public.menu": PUBLIC,
    "outreach_public.order_form": PUBLIC,
    "outreach_public.order_received": {role: 302 for role in ROLES},  # nothing ordered yet: back to the form
}
# Sessions come from an order or an agreement: no create page (back to the list).
EXPECTED["outreach_session.create_view"] = {**EXPECTED["outreach_session.create_view"], "lead": 302}

URL_ARGS = {
    "outreach.order": _new_order, "outreach.talk": _new_order, "outreach.plan": _new_order,
    "outreach.follow_up": _new_order, "outreach.follow_up_done": _new_order, "outreach.close": _new_order,
    "outreach.cancel": _new_order,
    **{f"outreach.{name}": (lambda: {"session_id": _amals_session()})
       for name in ("session_page", "experts", "given", "evaluation", "cancel_session")},
    "outreach.generate": lambda: {"agreement_id": _first(OutreachAgreement)()["id"]},
    "outreach_public.menu": lambda: {"slug": "rotterdam-rijnmond"},
    "outreach_public.order_form": lambda: {"slug": "rotterdam-rijnmond"},
    "outreach_public.order_received": lambda: {"slug": "rotterdam-rijnmond"},
    "outreach_order.edit_view": _first(OutreachOrder), "outreach_order.details_view": _first(OutreachOrder),
    "outreach_session.edit_view": lambda: {"id": _amals_session()},
    "outreach_session.details_view": lambda: {"id": _amals_session()},
    "outreach_agreement.edit_view": _first(OutreachAgreement),
    "outreach_agreement.details_view": _first(OutreachAgreement),
    "outreach_offer.edit_view": _first(OutreachOffer), "outreach_offer.details_view": _first(OutreachOffer),
    "outreach_topic.edit_view": _first(OutreachTopic), "outreach_topic.details_view": _first(OutreachTopic),
    "outreach_boundary.edit_view": _amals_boundary, "outreach_boundary.details_view": _amals_boundary,
    "outreach_myboundary.edit_view": _amals_boundary, "outreach_myboundary.details_view": _amals_boundary,
    **{f"outreach_{v}.export": (lambda: {"export_type": "csv"})
       for v in ("order", "session", "agreement", "offer", "topic", "boundary", "myboundary")},
}
