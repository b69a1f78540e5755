"""Demo casework: a dozen realistic requests in every state (idempotent)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from ...extensions import db
from ...models import Expert, Municipality, Partner, PluginState, Region, User
from ...safety import SafetyIncident
from . import rules
from .models import PLUGIN, Request

# days ago, kind, municipality, partner, gender, perspective, languages, culture, violence, state, expert, contacts
RIJNMOND = [
    (3, "regular", "Rotterdam", "Veilig Thuis Rotterdam Rijnmond", "female", "victim", "nl,ar", "moroccan", "partner",
     "registered", None, 0),
    (1, "thv", "Schiedam", "Politie", "female", "victim", "nl,tr", "turkish", "honour-related", "registered", None, 0),
    (12, "regular", "Vlaardingen", "Reclassering Nederland", "male", "perpetrator", "nl", "", "partner",
     "intake", "Youssef", 0),
    (40, "regular", "Rotterdam", "Arosa", "female", "victim", "nl,en", "", "stalking", "active", "Yvonne", 3),
    (55, "regular", "Nissewaard", "Reclassering Nederland", "male", "perpetrator", "nl", "", "partner",
     "active", "Marco", 5),
    (54, "regular", "Nissewaard", "Veilig Thuis Rotterdam Rijnmond", "female", "victim", "nl", "", "partner",
     "active", "Amal", 2),
    (90, "regular", "Capelle aan den IJssel", "Jeugdbescherming Rotterdam Rijnmond", "male", "victim", "nl,en",
     "ghanaian", "child-abuse", "extended", "Kwame", 6),
    (8, "thv", "Rotterdam", "Politie", "male", "perpetrator", "nl,ar", "moroccan", "partner", "active", "Youssef", 1),
    (120, "regular", "Rotterdam", "Fier", "female", "victim", "nl,tr", "turkish", "honour-related", "closed",
     "Sevda", 5),
    (70, "regular", "Barendrecht", "Dock", "female", "victim", "nl", "", "partner", "withdrawn", "Yvonne", 1),
    (60, "regular", "Ridderkerk", "Enver", "female", "victim", "nl", "", "partner", "transferred", "Sevda", 4),
]
HAAGLANDEN = [
    (2, "regular", "Den Haag", "Veilig Thuis Haaglanden", "female", "victim", "nl", "", "partner", "registered",
     None, 0),
    (30, "regular", "Delft", "Politie", "male", "perpetrator", "nl", "", "partner", "active", "Dennis", 2),
]


def _expert(region: Region, name: str | None) -> Expert | None:
    if not name:
        return None
    return db.session.execute(db.select(Expert).join(User, Expert.user_id == User.id).where(
        Expert.region_id == region.id, User.name == name)).scalar_one_or_none()


def load(region: Region, today: date) -> None:
    if db.session.execute(db.select(Request.id).where(Request.region_id == region.id)).first():
        return
    rows = RIJNMOND if region.slug == "rotterdam-rijnmond" else HAAGLANDEN if region.slug == "haaglanden" else []
    made = []
    for row in rows:
        made.append(_case(region, today, *row))
    if region.slug == "rotterdam-rijnmond" and len(made) >= 6:
        rules.link_cases(made[4], made[5])  # both partners of one family: never one expert for both
        _second_round(region, today, made)
    db.session.commit()


INTAKE = dict(
    intake_why_expert="Cliënte voelt zich niet begrepen door hulpverleners zonder eigen ervaring.",
    intake_role="Steun en herkenning; meedenken over veiligheid.",
    intake_expectations="Dat cliënte haar verhaal kwijt kan en meer grip krijgt.",
    intake_client_wishes="Iemand die weet hoe het is; liefst in het Arabisch.",
    intake_safety="Ex-partner weet het woonadres; niet thuis afspreken.",
)


def _second_round(region: Region, today: date, made: list[Request]) -> None:
    """The request form switched on, a request that came in through it, a THV deadline,
    a flagged case and an open safety incident: what the second round of casework shows."""
    state = db.session.execute(db.select(PluginState).filter_by(region_id=region.id, plugin=PLUGIN)).scalar_one()
    state.settings = {**(state.settings or {}), "public_form": True}
    from_form = made[0]
    from_form.source, from_form.professional_function = "form", "maatschappelijk werker"
    rules.record_intake(from_form, INTAKE)
    for req in made:
        if req.kind == "thv":  # a THV's restraining order lasts ten days
            req.restraining_order_until = req.received_on + timedelta(days=10)
    rules.set_safety_flags(made[5], ["address-confidential", "no-home-visits"])
    thv = made[7]
    reporter = thv.active_deployments[0].expert if thv.active_deployments else None
    db.session.add(SafetyIncident(
        region_id=region.id, subject=thv.demand_key, subject_label=thv.code, severity="medium",
        occurred_at=datetime.combine(today - timedelta(days=1), time(15, 30)),
        what="Partner stond onverwacht bij de afspraak en werd boos.", police_involved=False,
        reported_by_id=reporter.user_id if reporter else None))


def _case(region, today, ago, kind, town, partner, gender, perspective, languages, culture, violence, state,
          expert_name, contacts) -> Request:
    received = today - timedelta(days=ago)
    municipality = db.session.execute(db.select(Municipality).filter_by(region_id=region.id, name=town)).scalar_one_or_none()
    org = db.session.execute(db.select(Partner).filter_by(region_id=region.id, name=partner)).scalar_one_or_none()
    req = Request(region_id=region.id, received_on=received, kind=kind, municipality=municipality, partner=org,
                  urgency="urgent" if kind == "thv" else "normal", professional_name="M. de Vries",
                  professional_phone="010-1234567", professional_email="hulpverlener@partner.example",
                  client_gender=gender, client_perspective=perspective, client_languages=languages,
                  client_culture=culture, violence_type=violence, age_band="26-40",
                  question="Kan een ervaringsdeskundige meedenken over de veiligheid thuis?",
                  requester_notes="Voorgeschiedenis bekend bij Veilig Thuis.")
    rules.register_request(req)
    expert = _expert(region, expert_name)
    if state == "registered":
        return req
    if kind != "thv":
        rules.start_intake(req)
    req.goal = "Cliënt ervaart steun bij het doorbreken van het patroon."
    rules.record_consent(req, received + timedelta(days=1), "in-person", "M. de Vries")
    if expert is not None:
        rules.propose_expert(req, expert)
    if state == "intake":
        return req
    start = received + timedelta(days=2 if kind == "thv" else 7)
    rules.start_deployment(req, start_on=start)
    for n in range(contacts):
        if n == 5:
            rules.start_evaluation(req)
            rules.record_evaluation(req, start + timedelta(days=7 * n), "Goede voortgang; verlenging afgesproken.",
                                    True, 8, True)
            rules.extend(req)
            rules.resume(req)
        held = datetime.combine(min(start + timedelta(days=7 * n), today - timedelta(days=1)), time(10, 0))
        rules.log_contact(req, expert, held, 60, "in-person" if n % 2 == 0 else "phone", n == 0,
                          "Kennismaking en afspraken." if n == 0 else "Gesprek over de voortgang.",
                          "", 4 if n == 0 else 2 + n % 2, three_way=n == 0)
    if state == "extended":
        rules.start_evaluation(req)
        rules.record_evaluation(req, today - timedelta(days=2), "Verlenging afgesproken.", True, 10, True)
        rules.extend(req)
    elif state == "closed":
        rules.start_evaluation(req)
        rules.close(req, reason="Doel bereikt", closed_on=today - timedelta(days=20),
                    handover_notes="Overgedragen aan het wijkteam.", help_accepted="yes", follow_up_agreed=True)
    elif state == "withdrawn":
        rules.withdraw_consent(req, today - timedelta(days=30))
    elif state == "transferred":
        rules.transfer(req, "Cliënt verhuisd naar een andere gemeente.")
    return req
