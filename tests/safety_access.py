"""Who may open the safety incidents: the lead and the coordinator of the region."""
from eih.extensions import db
from eih.safety import SafetyIncident
from tests.access import only

MANAGERS = only("lead", "coordinator")

EXPECTED = {
    "safety.index": MANAGERS,
    "safety.page": MANAGERS,
    "safety.action": only("lead", "coordinator", ok=302),
    "safety.close": only("lead", "coordinator", ok=302),
}


def _incident():
    return {"id": db.session.execute(db.select(SafetyIncident.id).order_by(SafetyIncident.id).limit(1)).scalar()}


URL_ARGS = {"safety.page": _incident, "safety.action": _incident, "safety.close": _incident}
