"""Who may open which support-group URL (demo data: Amal leads the women's group, not the men's)."""

from eih.extensions import db
from eih.plugins.supportgroups.models import Group, NoSessionDate, Participant, Session
from tests.access import only
from tests.test_url_map import model_view

READ = ["lead", "coordinator", "expert"]
MANAGE = ["lead", "coordinator"]


def women():
    return db.session.query(Group).filter_by(slug="vrouwengroep").one()


def _id(model, **filters):
    def args():
        query = db.session.query(model.id)
        if hasattr(model, "group_id"):
            query = query.filter(model.group_id == women().id)
        return {"id": query.filter_by(**filters).order_by(model.id).limit(1).scalar()}
    return args


def past_session():
    session = db.session.query(Session).filter(Session.group_id == women().id, Session.status == "held").first()
    return {"session_id": session.id}


def planned_session():
    session = db.session.query(Session).filter(Session.group_id == women().id, Session.status == "planned").first()
    return {"session_id": session.id}


EXPECTED = {
    **model_view("supportgroups_group", READ, MANAGE),
    **model_view("supportgroups_session", READ, MANAGE),
    **model_view("supportgroups_participant", READ, MANAGE),
    **model_view("supportgroups_nosession", MANAGE, MANAGE),
    "supportgroups.index": only(*READ),
    "supportgroups.group": only(*READ),
    "supportgroups.stats": only(*READ),
    "supportgroups.stats_csv": only(*READ),
    "supportgroups.register_csv": only(*READ),
    "supportgroups.register": only(*READ),
    "supportgroups.generate": only(*MANAGE, ok=302),
    "supportgroups.put_first": only(*MANAGE, ok=302),
    "supportgroups.cancel": only(*MANAGE, ok=302),
    "supportgroups.incident": only(*READ, ok=302),  # who may fill the register may report an incident there
}

# No-session dates are added or removed, never edited.
EXPECTED["supportgroups_nosession.edit_view"] = only(*MANAGE, ok=302)
EXPECTED["supportgroups_nosession.ajax_update"] = only()

URL_ARGS = {
    "supportgroups_group.edit_view": lambda: {"id": women().id},
    "supportgroups_group.details_view": lambda: {"id": women().id},
    "supportgroups_session.edit_view": _id(Session), "supportgroups_session.details_view": _id(Session),
    "supportgroups_participant.edit_view": _id(Participant),
    "supportgroups_participant.details_view": _id(Participant),
    "supportgroups_nosession.edit_view": _id(NoSessionDate), "supportgroups_nosession.details_view": _id(NoSessionDate),
    "supportgroups_group.export": lambda: {"export_type": "csv"},
    "supportgroups_session.export": lambda: {"export_type": "csv"},
    "supportgroups_participant.export": lambda: {"export_type": "csv"},
    "supportgroups_nosession.export": lambda: {"export_type": "csv"},
    "supportgroups.group": lambda: {"group_id": women().id},
    "supportgroups.stats": lambda: {"group_id": women().id},
    "supportgroups.stats_csv": lambda: {"group_id": women().id},
    "supportgroups.register_csv": lambda: {"group_id": women().id},
    "supportgroups.generate": lambda: {"group_id": women().id},
    "supportgroups.register": past_session,
    "supportgroups.cancel": planned_session,
    "supportgroups.incident": past_session,
    "supportgroups.put_first": lambda: {"participant_id": db.session.query(Participant.id).filter_by(
        group_id=women().id, status="waitlist").limit(1).scalar()},
}
