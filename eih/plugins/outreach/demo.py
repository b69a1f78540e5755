"""Demo data for Rotterdam-Rijnmond: the menu of the report's recommendations,
orders at every step of the flow, a yearly calendar agreement, a few sessions in
the coming weeks (so the planning round shows them) and some story boundaries.
Idempotent: nothing is added when the region has topics already."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from ...extensions import db
from ...models import Expert, Municipality, Partner, Region, User
from . import rules
from .models import OutreachAgreement, OutreachOffer, OutreachOrder, OutreachTopic, StoryBoundary

# name, perspective, required specialties, preferred specialties, description
TOPICS = [
    ("Houding naar cliënten", "", "", "partner",
     "Wat helpt en wat schaadt in het contact met slachtoffers en plegers, vanuit eigen ervaring."),
    ("Het plegerperspectief", "perpetrator", "", "partner",
     "Hoe een pleger het geweld, de hulp en de weg naar verandering beleefde."),
    ("Schadelijke traditionele praktijken en eergerelateerd geweld", "", "honour-related", "",
     "Eer, schaamte en familiedruk: signalen herkennen en in gesprek blijven."),
    ("Stalking", "", "", "stalking", "Wat stalking met een leven doet, en wat professionals kunnen doen."),
    ("Chronische stress en huiselijk geweld", "", "", "child-abuse,partner",
     "Langdurige onveiligheid en wat die met lichaam en gedrag doet."),
    ("Werken met ervaringsdeskundigen", "", "", "",
     "Samen Deskundig: hoe een ervaringsdeskundige naast de professional werkt."),
]
# title, form, topic, minutes, preparation, audience from, up to, experts, description
OFFERS = [
    ("Lezing: het plegerperspectief", "lecture", 1, 90, 3, 30, 150, 1,
     "Een ervaringsdeskundige vertelt over het plegerperspectief; daarna vragen uit de zaal."),
    ("Workshop plegerperspectief", "workshop", 1, 120, 3, 8, 25, 1,
     "Interactieve workshop met oefeningen in gespreksvoering met plegers."),
    ("Gastles eergerelateerd geweld", "guest_lecture", 2, 90, 2, 15, 60, 1,
     "Voor hogescholen en opleidingen: eer, schaamte en familiedruk."),
    ("Casuïstiekbespreking: houding naar cliënten", "case_discussion", 0, 90, 1, 5, 15, 1,
     "Een team brengt een (geanonimiseerde) casus in; de ervaringsdeskundige kijkt mee."),
    ("Themalunch stalking", "theme_lunch", 3, 60, 1, 8, 25, 1, "Een lunchbijeenkomst over stalking."),
    ("Webinar chronische stress en huiselijk geweld", "podcast_webinar", 4, 60, 3, 10, 200, 1,
     "Een online sessie die wordt opgenomen en later terug te kijken is."),
    ("Workshop werken met ervaringsdeskundigen", "workshop", 5, 120, 2, 8, 25, 2,
     "Voor nieuwe medewerkers: wat een ervaringsdeskundige doet en hoe je samenwerkt."),
]


def _expert(name: str) -> Expert | None:
    return db.session.execute(db.select(Expert).join(User).where(User.email == f"{name}@eih.example")) \
        .scalar_one_or_none()


def _named(model, region: Region, name: str):
    return db.session.execute(db.select(model).filter_by(region_id=region.id, name=name)).scalar_one_or_none()


def workday(day: date) -> date:
    """The day itself, or the Monday after it when it falls in a weekend: sessions are on weekdays."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(workday(day), time(hour, minute))


def load(region: Region, today: date) -> None:
    if region.slug != "rotterdam-rijnmond":
        return
    if db.session.execute(db.select(OutreachTopic.id).filter_by(region_id=region.id)).first():
        return  # idempotent
    topics = []
    for name, perspective, required, preferred, description in TOPICS:
        topic = OutreachTopic(region_id=region.id, name=name, perspective=perspective, required_specialties=required,
                      preferred_specialties=preferred, description=description, active=True)
        rules.check_topic(topic)
        topics.append(topic)
    db.session.add_all(topics)
    offers = []
    for title, form, topic, minutes, prep, low, high, experts, description in OFFERS:
        offer = OutreachOffer(region_id=region.id, title=title, form=form, topic=topics[topic],
                              duration_minutes=minutes,
                      preparation_hours=prep, audience_min=low, audience_max=high, experts_needed=experts,
                      description=description, published=True)
        rules.check_offer(offer)
        offers.append(offer)
    db.session.add_all(offers)
    db.session.flush()
    _boundaries()
    _orders(region, offers, today)
    _agreement(region, offers[6], today)
    db.session.flush()


def _boundaries() -> None:
    rows = [
        ("amal", "small_group", "full", ""),
        ("amal", "large_audience", "partial", "Vertelt over haar herstel, niet over de details van het geweld."),
        ("amal", "recorded", "none", "Geen opnames: ze wil niet herkenbaar zijn."),
        ("youssef", "large_audience", "full", ""),
        ("youssef", "recorded", "partial", "Wel over zijn verandering, niet over zijn familie."),
        ("sevda", "education", "partial", "Deelt haar verhaal zonder namen van plaatsen of familie."),
        ("sevda", "recorded", "none", ""),
        ("marco", "small_group", "full", ""),
    ]
    for name, setting, level, note in rows:
        expert = _expert(name)
        if expert is not None:
            db.session.add(StoryBoundary(expert_id=expert.id, setting=setting, level=level, note=note))
    db.session.flush()


def _order(region, offer, today, received_days, organisation, contact, municipality=None, partner=None,
           audience="", size=None, wished="", goal="", source="lead") -> OutreachOrder:
    return rules.receive_order(
        region, offer, organisation=organisation, contact_name=contact[0], contact_email=contact[1],
        audience=audience, audience_size=size, wished_dates=wished, goal=goal, source=source,
        municipality=municipality, partner=partner, today=today - timedelta(days=received_days))


def _given(order, offer_start: datetime, minutes: int, place: str, experts, reached: int, today: date,
           score: int | None = None, remarks: str = ""):
    session = rules.plan_session(order, offer_start, offer_start + timedelta(minutes=minutes), place)
    db.session.flush()
    rules.set_session_experts(session, [e for e in experts if e is not None])
    rules.record_given(session, reached, today)
    if score is not None:
        rules.record_evaluation(session, score, remarks, today)
    return session


def _orders(region: Region, offers: list[OutreachOffer], today: date) -> None:
    rotterdam = _named(Municipality, region, "Rotterdam")
    schiedam = _named(Municipality, region, "Schiedam")
    nissewaard = _named(Municipality, region, "Nissewaard")
    vlaardingen = _named(Municipality, region, "Vlaardingen")
    lecture, workshop, guest, case, lunch, webinar, team = offers
    # 1. New, from the public order form: waits for the lead.
    _order(region, lunch, today, 2, "Wijkteam Schiedam-Noord", ("Ineke Bos", "i.bos@wijkteam-schiedam.example"),
           municipality=schiedam, audience="Medewerkers van het wijkteam", size=14, wished="Een dinsdag in "
           "de komende twee maanden, tussen de middag", goal="Stalking beter herkennen bij meldingen.", source="public")
    # 2. Preliminary talk planned.
    talk = _order(region, guest, today, 9, "Hogeschool Rotterdam, opleiding Social Work",
                  ("Dr. M. Yilmaz", "m.yilmaz@hogeschool.example"), municipality=rotterdam,
                  audience="Tweedejaarsstudenten Social Work", size=45, wished="Periode 3",
                  goal="Studenten leren signalen van eergerelateerd geweld kennen.")
    rules.plan_talk(talk, today + timedelta(days=3))
    # 3. Talk held, session planned in the coming days: the planning round staffs it.
    arosa = _named(Partner, region, "Arosa")
    planned = _order(region, team, today, 20, "Arosa", ("Sanne de Vries", "s.devries@arosa.example"),
                     partner=arosa, municipality=rotterdam, audience="Nieuwe medewerkers opvang", size=16,
                     wished="Zo snel mogelijk", goal="Nieuwe collega's weten wat een ervaringsdeskundige doet.")
    rules.record_talk(planned, today - timedelta(days=10), "Nieuwe medewerkers kennen de rol van de "
                      "ervaringsdeskundige en weten hoe ze een inzet aanvragen.",
                      "Twee ervaringsdeskundigen, één met slachtoffer- en één met plegerperspectief.", today)
    day = workday(today + timedelta(days=3))
    rules.plan_session(planned, _at(day, 13, 30), _at(day, 15, 30), "Arosa, Rotterdam-Centrum")
    # 4. Given to the police (the lecture that reached 80+ people), evaluated, follow-up agreed.
    police = _named(Partner, region, "Politie")
    done = _order(region, lecture, today, 60, "Politie eenheid Rotterdam", ("Inspecteur R. Koster",
                  "r.koster@politie.example"), partner=police, municipality=rotterdam,
                  audience="Wijkagenten en rechercheurs", size=80, wished="Voor de zomer",
                  goal="Meer begrip voor wat er in een pleger omgaat.")
    rules.record_talk(done, today - timedelta(days=45), "Agenten begrijpen beter wat er in een pleger omgaat.",
                      "Eén lezing met ruimte voor vragen; geen casuïstiek.", today)
    _given(done, _at(today - timedelta(days=21), 10), 90, "Politiebureau Zuid, Rotterdam", [_expert("youssef")],
           86, today, 5, "Indrukwekkend en eerlijk verhaal; veel vragen uit de zaal.")
    rules.agree_follow_up(done, "Tweede lezing voor de nieuwe lichting wijkagenten.", today + timedelta(days=14))
    # 5. Given to probation, evaluation still to come.
    probation = _named(Partner, region, "Reclassering Nederland")
    given = _order(region, workshop, today, 40, "Reclassering Nederland, unit Rotterdam",
                   ("Tom Hendriks", "t.hendriks@reclassering.example"), partner=probation, municipality=nissewaard,
                   audience="Reclasseringswerkers", size=18, wished="September", goal="Gesprekken met plegers "
                   "beter laten aansluiten.")
    rules.record_talk(given, today - timedelta(days=30), "Gespreksvoering met plegers oefenen.", "", today)
    _given(given, _at(today - timedelta(days=10), 9, 30), 120, "Reclassering, Spijkenisse", [_expert("marco")], 18,
           today)
    # 6. Closed: evaluated and followed up.
    vt = _named(Partner, region, "Veilig Thuis Rotterdam Rijnmond")
    closed = _order(region, case, today, 90, "Veilig Thuis Rotterdam Rijnmond", ("Anouk Smit",
                    "a.smit@vtrr.example"), partner=vt, municipality=vlaardingen, audience="Team crisisinterventie",
                    size=12, wished="Teamoverleg", goal="Reflectie op de houding naar cliënten.")
    rules.record_talk(closed, today - timedelta(days=80), "Reflectie op de eigen houding in contact met cliënten.",
                      "", today)
    _given(closed, _at(today - timedelta(days=60), 14), 90, "VTRR, Rotterdam", [_expert("amal")], 11, today, 4,
           "Waardevol; volgende keer meer tijd.")
    rules.agree_follow_up(closed, "Nabellen of het team een vervolg wil.", today - timedelta(days=30))
    rules.complete_follow_up(closed, today - timedelta(days=20))
    # 7. A webinar next week: a recorded setting (Amal and Sevda ruled it out).
    online = _order(region, webinar, today, 15, "Gemeente Rotterdam, cluster Maatschappelijke Ontwikkeling",
                    ("Lisa Janssen", "l.janssen@rotterdam.example"), partner=_named(Partner, region,
                    "Gemeente Rotterdam"), municipality=rotterdam, audience="Beleidsmedewerkers en wijkteams",
                    size=120, wished="Volgende week", goal="Chronische stress bij gezinnen beter begrijpen.")
    rules.record_talk(online, today - timedelta(days=7), "Deelnemers kennen de gevolgen van chronische stress.",
                      "Webinar van een uur, wordt opgenomen.", today)
    day = workday(today + timedelta(days=9))
    rules.plan_session(online, _at(day, 15), _at(day, 16), "Online (Teams)")


def _agreement(region: Region, offer: OutreachOffer, today: date) -> None:
    """Every onboarding of new staff at the youth protection service: every four weeks,
    from six weeks ago for a year; the sessions from today on go into the calendar."""
    first = workday(today - timedelta(weeks=6))
    agreement = OutreachAgreement(region_id=region.id, organisation="Jeugdbescherming Rotterdam Rijnmond",
                          partner=_named(Partner, region, "Jeugdbescherming Rotterdam Rijnmond"),
                          municipality=_named(Municipality, region, "Rotterdam"), offer=offer,
                          contact_name="Femke Visser", contact_email="f.visser@jbrr.example", first_date=first,
                          last_date=first + timedelta(days=364), interval_weeks=4, start_time=time(13, 30),
                          place="JBRR, Rotterdam", audience_size=15, active=True,
                          note="In elke inwerkperiode van nieuwe jeugdbeschermers.")
    db.session.add(agreement)
    db.session.flush()
    rules.generate_agreement_sessions(agreement, today)
