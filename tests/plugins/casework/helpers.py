"""Small builders for casework tests (call inside an app context)."""
from __future__ import annotations

from datetime import datetime, timedelta

from eih import clock
from eih.extensions import db
from eih.models import Expert, Municipality, Region, User
from eih.plugins.casework import rules
from eih.plugins.casework.models import Request


def region(slug: str = "rotterdam-rijnmond") -> Region:
    return db.session.execute(db.select(Region).filter_by(slug=slug)).scalar_one()


def expert(name: str) -> Expert:
    email = name if "@" in name else f"{name}@eih.example"
    return db.session.execute(db.select(Expert).join(User, Expert.user_id == User.id)
                              .where(User.email == email)).scalar_one()


def user(email: str) -> User:
    return db.session.execute(db.select(User).filter_by(email=email)).scalar_one()


def new_request(kind: str = "regular", slug: str = "rotterdam-rijnmond", town: str = "Schiedam", **fields) -> Request:
    reg = region(slug)
    municipality = db.session.execute(db.select(Municipality).filter_by(region_id=reg.id, name=town)).scalar_one_or_none()
    values = dict(professional_name="P. Jansen", professional_phone="010-7654321", professional_email="p@partner.example",
                  client_gender="female", client_perspective="victim", question="SECRET-QUESTION",
                  requester_notes="SECRET-NOTES", client_initials="X.Q.", received_on=clock.today() - timedelta(days=4))
    values.update(fields)
    req = Request(region_id=reg.id, kind=kind, municipality=municipality, **values)
    rules.register_request(req)
    return req


def make_ready(req: Request, goal: str = "Steun bij veiligheid") -> Request:
    req.goal = goal
    rules.record_consent(req, clock.today(), "in-person", "P. Jansen")
    return req


def running(req: Request, *experts: Expert) -> Request:
    """Registered -> intake -> active with the given experts."""
    if req.kind != "thv":
        rules.start_intake(req)
    make_ready(req)
    rules.start_deployment(req, experts=list(experts))
    return req


def talk(req: Request, who: Expert, times: int = 1, heaviness: int = 2, start: datetime | None = None) -> None:
    start = start or clock.now().replace(microsecond=0) - timedelta(days=10)
    for n in range(times):
        rules.log_contact(req, who, start + timedelta(days=n), 60, "in-person", False,
                          f"summary {who.name} {n}", f"internal {who.name} {n}", heaviness)
