"""Demo data: two regions, every role, seven experts; idempotent.

Demo accounts share one password, random per installation and kept in the
instance folder (mode 600), so a demo install never ships a known password.
"""
from __future__ import annotations

import os
import secrets
from datetime import date, datetime, timedelta
from pathlib import Path

from flask import current_app

from . import clock
from .extensions import db
from .hours import demo as hours_demo
from .models import Expert, Municipality, Partner, PluginState, Region, Unavailability, User
from .plugins import is_enabled, registry, set_enabled

RIJNMOND_MUNICIPALITIES = [
    "Albrandswaard", "Barendrecht", "Capelle aan den IJssel", "Goeree-Overflakkee", "Hoeksche Waard",
    "Krimpen aan den IJssel", "Lansingerland", "Maassluis", "Nissewaard", "Ridderkerk", "Schiedam",
    "Vlaardingen", "Voorne aan Zee",
]
FUNDERS = {"Rotterdam", "Nissewaard"}
PARTNERS = [
    "Reclassering Nederland", "Arosa", "Dock", "Veilig Thuis Rotterdam Rijnmond",
    "Jeugdbescherming Rotterdam Rijnmond", "Gemeente Rotterdam", "Zorg- en Veiligheidshuis Rotterdam Rijnmond",
    "de Waag", "Fier", "Politie", "Openbaar Ministerie", "Enver",
]
HAAGLANDEN = ["Den Haag", "Delft", "Zoetermeer", "Westland", "Rijswijk"]

# name, gender, perspectives, cultures, languages, specialties, min, max, overtime
EXPERTS = [
    ("Amal", "female", "victim", "moroccan", "nl,ar", "honour-related,partner", 16, 24, 4),
    ("Yvonne", "female", "victim", "dutch", "nl,en", "partner,stalking", 16, 20, 2),
    ("Sevda", "female", "victim", "turkish", "nl,tr", "honour-related", 16, 24, 4),
    ("Priya", "female", "victim", "surinamese", "nl,en,srn", "child-abuse,partner", 16, 16, 0),
    ("Youssef", "male", "perpetrator", "moroccan", "nl,ar", "partner", 16, 24, 4),
    ("Marco", "male", "perpetrator", "dutch", "nl", "partner,stalking", 16, 20, 2),
    ("Kwame", "male", "perpetrator,victim", "ghanaian", "nl,en", "child-abuse", 16, 18, 0),
]


def demo_password(password: str | None = None) -> str:
    """The demo accounts' password: the given one, else the kept one, else a new random one.

    It is kept in ``instance/demo_password`` (mode 600); that file is what makes
    an installation a demo installation (``eih demo-logins`` prints nothing without it).
    """
    path = Path(current_app.instance_path) / "demo_password"
    if not password and path.exists():
        return path.read_text().strip()
    password = password or "demo-" + secrets.token_urlsafe(9)
    if path.exists():
        path.unlink()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(password)
    return password


def _get(model, defaults=None, **keys):
    obj = db.session.query(model).filter_by(**keys).one_or_none()
    if obj is None:
        obj = model(**keys, **(defaults or {}))
        db.session.add(obj)
        db.session.flush()
    return obj


def _user(email, name, role, region, password, reset_password=False):
    user = db.session.query(User).filter_by(email=email).one_or_none()
    if user is None:
        user = User(email=email, name=name, role=role, region=region, active=True, locale="nl")
        user.set_password(password)
        db.session.add(user)
        db.session.flush()
    elif reset_password and not user.check_password(password):
        # an explicit --password applies to existing demo accounts too, so the printed logins work
        user.set_password(password)
    return user


def _region(name, slug, central, others, funders=()):
    region = _get(Region, name=name, slug=slug)
    for town in [central, *others]:
        _get(Municipality, region_id=region.id, name=town,
             defaults={"is_central": town == central, "is_funder": town in funders})
    return region


def load_demo(password: str | None = None, today: date | None = None):
    """Create the demo; returns ([(email, role)], password)."""
    reset = bool(password)
    password = demo_password(password)
    today = today or clock.today()
    rr = _region("Rotterdam-Rijnmond", "rotterdam-rijnmond", "Rotterdam", RIJNMOND_MUNICIPALITIES, FUNDERS)
    hl = _region("Haaglanden", "haaglanden", "Den Haag", HAAGLANDEN[1:])
    for name in PARTNERS:
        _get(Partner, region_id=rr.id, name=name)
    for name in ("Veilig Thuis Haaglanden", "Politie", "Reclassering Nederland"):
        _get(Partner, region_id=hl.id, name=name)

    logins = [
        ("admin@eih.example", "Beheerder", "admin", rr),
        ("lead@eih.example", "Fatima (projectleider)", "lead", rr),
        ("coordinator@eih.example", "Joost (teamcoördinator)", "coordinator", rr),
        ("lead.haaglanden@eih.example", "Sanne (projectleider Haaglanden)", "lead", hl),
    ]
    for email, name, role, region in logins:
        _user(email, name, role, region, password, reset)
    monday = today - timedelta(days=today.weekday())
    for i, (name, gender, persp, cult, langs, spec, lo, hi, ot) in enumerate(EXPERTS):
        email = f"{name.lower()}@eih.example"
        user = _user(email, name, "expert", rr, password, reset)
        expert = _get(Expert, user_id=user.id, defaults=dict(
            region_id=rr.id, gender=gender, perspectives=persp, cultures=cult, languages=langs,
            specialties=spec, min_hours=lo, max_hours=hi, overtime_hours=ot, active=True))
        logins.append((email, name, "expert", rr))
        if name == "Priya" and not expert.unavailability:
            # On leave this week and next: shows the leave rules in the planning.
            db.session.add(Unavailability(expert=expert, reason="leave", note="vakantie",
                                          start=datetime.combine(monday, datetime.min.time()),
                                          end=datetime.combine(monday + timedelta(days=14), datetime.min.time())))
    for name, gender, persp in (("Noor", "female", "victim"), ("Dennis", "male", "perpetrator")):
        email = f"{name.lower()}.haaglanden@eih.example"
        user = _user(email, name, "expert", hl, password, reset)
        _get(Expert, user_id=user.id, defaults=dict(region_id=hl.id, gender=gender, perspectives=persp,
                                                    cultures="dutch", languages="nl", min_hours=16, max_hours=20))
        logins.append((email, name, "expert", hl))

    plugins = registry()
    # Switch plugins on only the first time: a later run keeps what an admin switched off.
    for region, names in ((rr, list(plugins)), (hl, [n for n in ("casework",) if n in plugins])):
        for name in names:
            if db.session.query(PluginState).filter_by(region_id=region.id, plugin=name).first() is None:
                set_enabled(region.id, name, True)
    db.session.commit()
    for plugin in plugins.values():
        for region in (rr, hl):
            if is_enabled(region.id, plugin.name):
                plugin.demo(region, today)
    hours_demo.load(rr, today)
    db.session.commit()
    return [(email, role) for email, _name, role, _region_obj in logins], password
