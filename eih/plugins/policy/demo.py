"""Demo data for Rotterdam-Rijnmond: four tables at the three levels, meetings held
in rotation, a few meetings in the coming weeks (so the planning round shows
them, with last time's expert to avoid) and contributions with their outcome.
Idempotent: nothing is added when the region has tables already."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from ...extensions import db
from ...models import Expert, Partner, Region, User
from . import rules
from .models import PolicyContribution, PolicyTable


def _expert(name: str) -> Expert | None:
    return db.session.execute(db.select(Expert).join(User).where(User.email == f"{name}@eih.example")) \
        .scalar_one_or_none()


def _partner(region: Region, name: str) -> Partner | None:
    return db.session.execute(db.select(Partner).filter_by(region_id=region.id, name=name)).scalar_one_or_none()


def workday(day: date) -> date:
    """The day itself, or the Monday after it when it falls in a weekend: tables meet on weekdays."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def _meeting(table, day: date, hour: int, minutes: int, place: str):
    start = datetime.combine(workday(day), time(hour, 0))
    meeting = rules.plan_meeting(table, start, start + timedelta(minutes=minutes), place)
    db.session.flush()
    return meeting


def _held(table, day, hour, minutes, place, experts, today):
    meeting = _meeting(table, day, hour, minutes, place)
    rules.record_talk(meeting, meeting.starts_at.date() - timedelta(days=7),
                      "Vaste bijdrage: de ervaring van cliënten met het onderwerp van de agenda.", today)
    rules.record_held(meeting, [e for e in experts if e is not None], today)
    return meeting


def load(region: Region, today: date) -> None:
    if region.slug != "rotterdam-rijnmond":
        return
    if db.session.execute(db.select(PolicyTable.id).filter_by(region_id=region.id)).first():
        return  # idempotent
    amal, yvonne, sevda, priya, youssef = (_expert(n) for n in ("amal", "yvonne", "sevda", "priya", "youssef"))
    platform = PolicyTable(region_id=region.id, name="Tactisch platform huiselijk geweld", organisation="Gemeente "
                           "Rotterdam", partner=_partner(region, "Gemeente Rotterdam"), level="tactical",
                           kind="platform", experts_needed=1, preparation_hours=1, rotation=True, active=True,
                           description="Gemeente, Veilig Thuis en zorgpartners stemmen de aanpak in de regio af.")
    perpetrators = PolicyTable(region_id=region.id, name="Werkgroep plegeraanpak", organisation="Reclassering "
                               "Nederland", partner=_partner(region, "Reclassering Nederland"), level="operational",
                               kind="working_group", perspective="perpetrator", preferred_specialties="partner",
                               experts_needed=1, preparation_hours=1, rotation=True, active=True,
                               description="Uitvoerders bespreken de aanpak van plegers en de aansluiting van hulp.")
    friends = PolicyTable(region_id=region.id, name="Critical friends Veilig Thuis", organisation="Veilig Thuis "
                          "Rotterdam Rijnmond", partner=_partner(region, "Veilig Thuis Rotterdam Rijnmond"),
                          level="strategic", kind="critical_friends", experts_needed=2, preparation_hours=2,
                          rotation=True, active=True,
                          description="Ervaringsdeskundigen kijken kritisch mee met beleid en werkwijzen.")
    journey = PolicyTable(region_id=region.id, name="Klantreis slachtoffers", organisation="Zorg- en "
                          "Veiligheidshuis Rotterdam Rijnmond", level="operational", kind="client_journey",
                          experts_needed=1, preparation_hours=2, rotation=False, active=True,
                          description="De weg van een slachtoffer door de hulp in kaart brengen.")
    for table in (platform, perpetrators, friends, journey):
        rules.check_table(table)
    db.session.add_all([platform, perpetrators, friends, journey])
    db.session.flush()

    place = "Stadhuis Rotterdam"
    _held(platform, today - timedelta(weeks=8), 10, 90, place, [yvonne], today)
    last = _held(platform, today - timedelta(weeks=4), 10, 90, place, [amal], today)
    soon = _meeting(platform, today + timedelta(days=4), 10, 90, place)
    rules.record_talk(soon, today - timedelta(days=2), "Agendapunt: bereikbaarheid van hulp in de avonduren. "
                      "Verwachting: een korte bijdrage uit eigen ervaring.", today)
    held = _held(perpetrators, today - timedelta(weeks=3), 14, 120, "Reclassering, Rotterdam-Zuid", [youssef], today)
    later = _meeting(perpetrators, today + timedelta(days=11), 14, 120, "Reclassering, Rotterdam-Zuid")
    rules.plan_talk(later, today + timedelta(days=5))
    friends_held = _held(friends, today - timedelta(weeks=10), 13, 120, "VTRR, Rotterdam", [sevda, priya], today)
    _meeting(friends, today + timedelta(days=6), 13, 120, "VTRR, Rotterdam")

    contributions = [
        PolicyContribution(region_id=region.id, table=platform, meeting=last, kind="oral",
                     given_on=last.starts_at.date(), topic="Bereikbaarheid van hulp in de avonduren",
                     summary="Slachtoffers zoeken vaak 's avonds hulp; dan is niemand bereikbaar.",
                     experts=[e for e in (amal,) if e], outcome="adopted",
                     outcome_note="Opgenomen in het regionale actieplan.", outcome_on=today - timedelta(weeks=1)),
        PolicyContribution(region_id=region.id, table=friends, meeting=friends_held, kind="written",
                     given_on=friends_held.starts_at.date() + timedelta(days=3),
                     topic="Advies over de folder voor slachtoffers", hours=3,
                     summary="Tekst eenvoudiger, minder jargon, een telefoonnummer dat 's avonds werkt.",
                     experts=[e for e in (sevda, priya) if e], outcome="partly",
                     outcome_note="Taal aangepast; het avondnummer nog niet.",
                     outcome_on=today - timedelta(weeks=5)),
        PolicyContribution(region_id=region.id, table=perpetrators, meeting=held, kind="oral",
                     given_on=held.starts_at.date(), topic="Signalen van terugval bij plegers",
                     experts=[e for e in (youssef,) if e], outcome="unknown"),
    ]
    for contribution in contributions:
        rules.check_contribution(contribution, today)
    db.session.add_all(contributions)
    db.session.flush()
