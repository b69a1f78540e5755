"""Demo data: the two groups of the domain with members, a waitlist and weeks of history."""
from __future__ import annotations

from datetime import date, time, timedelta

from ... import clock
from ...extensions import db
from ...models import Expert, Partner, Region, User
from .models import Attendance, Group, NoSessionDate, Participant
from .rules import generate_sessions

MEN = ["Ahmed", "Bas", "Dirk", "Erik", "Henk", "Jerry", "Kevin"]
MEN_WAITING = ["Rachid", "Tom"]
WOMEN = ["Roos", "Lotus", "Jasmijn", "Iris", "Madelief"]
WOMEN_WAITING = ["Linde"]


def _expert(name: str) -> Expert | None:
    return db.session.execute(db.select(Expert).join(User).where(User.email == f"{name}@eih.example")).scalar_one_or_none()


def _partner(region: Region, name: str) -> Partner | None:
    return db.session.execute(db.select(Partner).filter_by(region_id=region.id, name=name)).scalar_one_or_none()


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def load(region: Region, today: date) -> None:
    if region.slug != "rotterdam-rijnmond":
        return
    if db.session.execute(db.select(Group.id).filter_by(region_id=region.id, slug="mannengroep")).first():
        return  # idempotent
    start = _monday(today) - timedelta(weeks=8)
    youssef, marco, amal, yvonne = (_expert(n) for n in ("youssef", "marco", "amal", "yvonne"))
    men = Group(region_id=region.id, name="Mannengroep", slug="mannengroep", kind="perpetrators",
                target_gender="male", perspective="perpetrator", cadence="weekly", weekday=1, start_time=time(19, 30),
                duration_minutes=120, location="Buurthuis De Brug, Rotterdam-Zuid", is_open=True,
                intro_required=True, capacity=8, facilitators_per_session=1, load=3, first_name_only=True,
                active_from=start, facilitators=[e for e in (youssef,) if e])
    women = Group(region_id=region.id, name="Vrouwengroep", slug="vrouwengroep", kind="victims",
                  target_gender="female", perspective="victim", cadence="biweekly", weekday=3, start_time=time(10, 0),
                  duration_minutes=120, location="Wijkcentrum Het Anker, Schiedam", is_open=True,
                  intro_required=True, capacity=8, facilitators_per_session=2, load=3, first_name_only=False,
                  active_from=start, active_until=start + timedelta(weeks=20),
                  facilitators=[e for e in (amal, yvonne) if e])
    db.session.add_all([men, women])
    db.session.flush()
    # A holiday: the women's group does not meet on its third date.
    db.session.add(NoSessionDate(group=women, date=start + timedelta(days=3 + 28), reason="schoolvakantie"))
    db.session.flush()
    _people(men, MEN, MEN_WAITING, start, _partner(region, "Reclassering Nederland"), youssef, today)
    _people(women, WOMEN, WOMEN_WAITING, start, _partner(region, "Fier"), amal, today)
    for group in (men, women):
        generate_sessions(group, start, today + timedelta(weeks=4))
    db.session.flush()
    _history(men, today, regular=[youssef], stand_in=[marco], absentee="Kevin")
    _history(women, today, regular=[amal, yvonne], stand_in=[], absentee=None, cancel_every=3)
    db.session.flush()


def _people(group, members, waiting, start, partner, intro_by, today):
    for i, name in enumerate(members):
        db.session.add(Participant(group=group, name=name, status="member", registered_on=start - timedelta(days=30 - i),
                                   left_waitlist_on=start - timedelta(days=10), joined_on=start,
                                   referral_partner=partner, referrer_contact="casemanager, via het team",
                                   intro_status="done", intro_by=intro_by, intro_date=start - timedelta(days=7)))
    for i, name in enumerate(waiting):
        db.session.add(Participant(group=group, name=name, status="waitlist",
                                   registered_on=today - timedelta(days=20 - 6 * i), referral_partner=partner,
                                   intro_status="planned" if i == 0 else "none"))


def _history(group, today, regular, stand_in, absentee, cancel_every=0):
    past = [s for s in group.sessions if s.date < today]
    future = [s for s in group.sessions if s.date >= today]
    members = [p for p in group.participants if p.status == "member"]
    for i, session in enumerate(past):
        if cancel_every and i % cancel_every == 2:
            session.status, session.cancel_reason = "cancelled", "te veel afmeldingen (zorgtaken)"
            continue
        # One stand-in session shows what a facilitator change does to continuity.
        leaders = stand_in if stand_in and i == len(past) // 2 else regular
        session.facilitators = [e for e in leaders if e]
        session.status = "held"
        session.register_saved_at = clock.utc(session.starts_at)  # a record stamp, in UTC
        for j, person in enumerate(members):
            if person.name == absentee and i >= len(past) - 3:
                status = "absent"
            elif person.name == absentee and i == len(past) - 4:
                status = "present"  # so the run of absences is three on every weekday the demo is loaded
            elif (i * 3 + j * 5) % 7 == 0:
                status = "absent-notice"
            else:
                status = "present"
            db.session.add(Attendance(session=session, participant=person, status=status))
    # Next week onwards the regulars are planned; this week's sessions still need the planning round.
    next_monday = _monday(today) + timedelta(days=7)
    for session in future:
        if session.date >= next_monday:
            session.facilitators = [e for e in regular if e]
