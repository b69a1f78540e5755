"""Demo data: a cycle with its external facilitator, sessions every six weeks from
about four months ago to three months ahead with attendance, team meetings every
two weeks, and two supervision requests. Idempotent: nothing is added twice."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from ...extensions import db
from ...models import Region
from . import rules
from .models import Cycle, IntervisionSession, SupervisionRequest, TeamMeeting

FACILITATOR = ("Marieke de Wit (extern)", "intervisie@dewit-coaching.example")
THEMES = "Grenzen stellen bij zware casuïstiek; zelfzorg na een crisisinzet; samenwerking met de professional."


def load(region: Region, today: date) -> None:
    if rules.cycle_for(region) is not None:
        return
    db.session.add(Cycle(region_id=region.id, facilitator_name=FACILITATOR[0], facilitator_contact=FACILITATOR[1],
                         weekday=2, start_time=time(13, 0), duration_minutes=150, location="Rotterdam, kantoor VTRR",
                         meeting_weekday=0, meeting_time=time(10, 0), meeting_mode="online"))
    db.session.flush()
    rules.generate(region, today - timedelta(days=120), today + timedelta(days=90))
    experts = rules.region_experts(region.id)
    now = datetime.combine(today, datetime.min.time())
    past = db.session.execute(db.select(IntervisionSession).filter(
        IntervisionSession.region_id == region.id, IntervisionSession.start < now)
        .order_by(IntervisionSession.start)).scalars().all()
    for i, session in enumerate(past):
        last = i == len(past) - 1
        marks = {e.id: ("present", "") for e in experts}
        if last and len(experts) > 5:  # one expert missed the last one: overdue on the dashboard
            marks[experts[5].id] = ("absent", "client_work")
        rules.record_attendance(session, "session", marks, now=now)
        session.themes = THEMES if last else ""
    meetings = db.session.execute(db.select(TeamMeeting).filter(
        TeamMeeting.region_id == region.id, TeamMeeting.start < now)).scalars().all()
    for meeting in meetings:
        marks = {e.id: ("present", "") for e in experts}
        if experts:
            marks[experts[0].id] = ("absent", "leave") if meeting.id % 3 == 0 else ("present", "")
        rules.record_attendance(meeting, "meeting", marks, now=now)
    _requests(region, experts, today)
    db.session.flush()


def _requests(region: Region, experts, today: date) -> None:
    by_name = {e.name: e for e in experts}
    amal, youssef = by_name.get("Amal"), by_name.get("Youssef")
    if amal is not None:
        db.session.add(SupervisionRequest(region_id=region.id, expert_id=amal.id, reason="emotional_load",
                                          details="Na een zware inzet wil ik graag even individueel sparren."))
    if youssef is not None:
        db.session.add(SupervisionRequest(
            region_id=region.id, expert_id=youssef.id, reason="professional_growth", status="planned",
            supervisor_name="Peter Jansen (extern)", external=True,
            planned_for=datetime.combine(today + timedelta(days=9), time(15, 0))))
