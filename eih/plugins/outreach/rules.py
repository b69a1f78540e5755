"""The outreach rules, one named function each: the menu, the order flow (arrival,
preliminary talk, session, given, evaluation, follow-up), the calendar agreements
and who may give a session (profile and story boundaries).

Views, the public order form, the CLI, the demo and the scheduler hooks call
these; none re-implements a rule. A refused step raises RuleError (the core's,
``eih.rules``) with a message the user can act on; nothing is changed then. The
caller commits.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from ...extensions import db
from ...models import Expert, Municipality, Partner, Region, split_list
from ...plugins import plugin_settings
from ...rules import N_, RuleError
from .models import (
    DEFAULT_SETTINGS,
    FORMS,
    OPEN_ORDER_STATUSES,
    PERSPECTIVES,
    PLUGIN,
    SCORES,
    STORY_LEVELS,
    STORY_SETTINGS,
    OutreachAgreement,
    OutreachOffer,
    OutreachOrder,
    OutreachSession,
    OutreachTopic,
    StoryBoundary,
)

MAX_AUDIENCE = 5000
MAX_SESSION_HOURS = 12


def settings(region: Region | int) -> dict:
    """The region's outreach settings: the defaults, overridden by what was set there."""
    return plugin_settings(region, PLUGIN, DEFAULT_SETTINGS)


def _region_id(region: Region | int) -> int:
    return region if isinstance(region, int) else region.id


def _clean_tags(value: str) -> str:
    return ",".join(dict.fromkeys(t.lower() for t in split_list(value)))


# -- the menu ----------------------------------------------------------------------------

def check_topic(topic: OutreachTopic) -> None:
    """A topic has a name and a known perspective; specialties are stored as a clean list."""
    topic.name = (topic.name or "").strip()
    if not topic.name:
        raise RuleError(N_("Give the topic a name."))
    topic.perspective = topic.perspective or ""
    if topic.perspective not in PERSPECTIVES:
        raise RuleError(N_("Choose a perspective from the list."))
    topic.required_specialties = _clean_tags(topic.required_specialties)
    topic.preferred_specialties = _clean_tags(topic.preferred_specialties)


def check_offer(offer: OutreachOffer) -> None:
    """An item of the menu: a form on a topic of the same region, a sensible size and duration."""
    offer.title = (offer.title or "").strip()
    if not offer.title:
        raise RuleError(N_("Give the item a title."))
    if offer.form not in FORMS:
        raise RuleError(N_("Choose a form from the list."))
    if offer.topic is None or offer.topic.region_id != offer.region_id:
        raise RuleError(N_("Choose a topic of this region."))
    if not 15 <= (offer.duration_minutes or 0) <= MAX_SESSION_HOURS * 60:
        raise RuleError(N_("The duration lies between 15 minutes and 12 hours."))
    if not 0 <= (offer.preparation_hours or 0) <= 40:
        raise RuleError(N_("Preparation lies between 0 and 40 hours."))
    if not 1 <= (offer.audience_min or 0) <= (offer.audience_max or 0) <= MAX_AUDIENCE:
        raise RuleError(N_("The audience size runs from at least 1 to a maximum that is not smaller "
                           "(at most %(max)s)."), max=MAX_AUDIENCE)
    if not 1 <= (offer.experts_needed or 0) <= 4:
        raise RuleError(N_("A session needs 1 to 4 experts."))


def published_offers(region: Region | int) -> list[OutreachOffer]:
    """The menu as partner organisations see it: published items with an active topic."""
    return list(db.session.execute(
        db.select(OutreachOffer).join(OutreachTopic, OutreachOffer.topic_id == OutreachTopic.id).where(
            OutreachOffer.region_id == _region_id(region), OutreachOffer.published.is_(True),
            OutreachTopic.active.is_(True))
        .order_by(OutreachTopic.name, OutreachOffer.form, OutreachOffer.title)).scalars())


def profile_text(topic: OutreachTopic) -> dict:
    """Who can give a topic: the perspective and specialties it requires (stored values)."""
    return {"perspective": topic.perspective or "", "specialties": split_list(topic.required_specialties)}


# -- orders --------------------------------------------------------------------------------

def check_order(order: OutreachOrder) -> None:
    """What every order needs, however it came in: an offer of its region, an
    organisation, a way to reach its contact, and a sensible audience size."""
    order.organisation = (order.organisation or "").strip()
    if order.offer is None or order.offer.region_id != order.region_id:
        raise RuleError(N_("Choose an item from the menu of this region."))
    if not order.organisation:
        raise RuleError(N_("Give the name of the organisation."))
    if order.audience_size is not None and not 1 <= order.audience_size <= MAX_AUDIENCE:
        raise RuleError(N_("The audience size lies between 1 and %(max)s."), max=MAX_AUDIENCE)
    for related in (order.partner, order.municipality):
        if related is not None and related.region_id != order.region_id:
            raise RuleError(N_("Choose an organisation and a municipality of this region."))


def assign_reference(order: OutreachOrder) -> str:
    """The order's reference for the organisation: VL-<year>-<number>, given once."""
    if not order.reference:
        db.session.flush()
        order.reference = f"VL-{order.received_on:%Y}-{order.id:04d}"
    return order.reference


def receive_order(region: Region, offer: OutreachOffer | None, *, organisation: str, contact_name: str,
                  contact_email: str, contact_phone: str = "", audience: str = "", audience_size: int | None = None,
                  wished_dates: str = "", goal: str = "", municipality: Municipality | None = None,
                  partner: Partner | None = None, source: str = "public", today: date) -> OutreachOrder:
    """An order arrives (public form or entered by the lead): status *new*, with a reference."""
    if offer is None or offer.region_id != region.id or (source == "public" and not offer.published):
        raise RuleError(N_("Choose an item from the menu of this region."))
    if not (contact_name or "").strip() or not (contact_email or "").strip():
        raise RuleError(N_("Give a contact person and an e-mail address."))
    order = OutreachOrder(region_id=region.id, offer=offer, source=source, status="new", received_on=today,
                  organisation=organisation, contact_name=contact_name.strip(), contact_email=contact_email.strip(),
                  contact_phone=(contact_phone or "").strip(), audience=(audience or "").strip(),
                  audience_size=audience_size, wished_dates=(wished_dates or "").strip(), goal=(goal or "").strip(),
                  municipality=municipality, partner=partner)
    check_order(order)
    db.session.add(order)
    assign_reference(order)
    return order


def _open(order: OutreachOrder) -> None:
    if order.status not in OPEN_ORDER_STATUSES:
        raise RuleError(N_("This order is closed or cancelled; nothing can be changed."))


def plan_talk(order: OutreachOrder, on: date | None) -> None:
    """Plan the preliminary talk (voorgesprek) with whoever ordered."""
    _open(order)
    if on is None:
        raise RuleError(N_("Give the date of the preliminary talk."))
    if order.talk_status == "done":
        raise RuleError(N_("The preliminary talk was held already."))
    order.talk_status, order.talk_on = "planned", on
    if order.status == "new":
        order.status = "talk"


def record_talk(order: OutreachOrder, on: date | None, agreed_goal: str, expectations: str, today: date) -> None:
    """The preliminary talk was held: the goal and expectations agreed are recorded."""
    _open(order)
    if on is None or on > today:
        raise RuleError(N_("A talk that was held has a date, not in the future."))
    if not (agreed_goal or "").strip():
        raise RuleError(N_("Write down the goal agreed in the preliminary talk."))
    order.talk_status, order.talk_on = "done", on
    order.agreed_goal, order.expectations = agreed_goal.strip(), (expectations or "").strip()
    if order.status == "new":
        order.status = "talk"


def check_times(starts_at: datetime | None, ends_at: datetime | None) -> None:
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise RuleError(N_("The end must come after the start."))
    if ends_at - starts_at > timedelta(hours=MAX_SESSION_HOURS):
        raise RuleError(N_("A session lasts at most %(hours)s hours."), hours=MAX_SESSION_HOURS)


def plan_session(order: OutreachOrder, starts_at: datetime | None, ends_at: datetime | None,
                 place: str) -> OutreachSession:
    """A session for an order, after the preliminary talk (when the region requires it)."""
    _open(order)
    if settings(order.region_id)["talk_required"] and order.talk_status != "done":
        raise RuleError(N_("Hold the preliminary talk first: goal and expectations are agreed before a "
                           "session is planned."))
    check_times(starts_at, ends_at)
    session = OutreachSession(region_id=order.region_id, offer=order.offer, order=order, starts_at=starts_at,
                      ends_at=ends_at, place=(place or "").strip(), status="planned")
    db.session.add(session)
    if order.status in ("new", "talk", "given", "evaluated"):
        order.status = "planned"
    return session


def _advance(order: OutreachOrder | None) -> None:
    """An order's status follows its sessions: given when none is planned any more,
    evaluated when every given session has its evaluation."""
    if order is None or order.status not in ("planned", "given", "evaluated"):
        return
    sessions = [s for s in order.sessions if s.status != "cancelled"]
    if not sessions:
        order.status = "talk"  # every session was cancelled: a new one can be planned
        return
    if any(s.status == "planned" for s in sessions):
        order.status = "planned"
        return
    order.status = "evaluated" if all(s.evaluated_on is not None for s in sessions) else "given"


def record_given(session: OutreachSession, audience_reached: int | None, today: date) -> None:
    """The session took place: how many people it reached."""
    if session.status != "planned":
        raise RuleError(N_("Only a planned session can be marked as given."))
    if session.starts_at.date() > today:
        raise RuleError(N_("A session in the future cannot have been given yet."))
    if not session.experts:
        raise RuleError(N_("No expert is set for this session; set who gave it first."))
    if audience_reached is None or not 0 <= audience_reached <= MAX_AUDIENCE:
        raise RuleError(N_("Give the number of people reached (0 to %(max)s)."), max=MAX_AUDIENCE)
    session.status, session.audience_reached = "given", audience_reached
    _advance(session.order)


def record_evaluation(session: OutreachSession, score: int | None, remarks: str, today: date,
                      audience_reached: int | None = None) -> None:
    """The organiser's evaluation afterwards: a score from 1 to 5 and remarks (reach may be corrected)."""
    if session.status != "given":
        raise RuleError(N_("Only a session that was given can be evaluated."))
    if score not in SCORES:
        raise RuleError(N_("Choose a score from 1 to 5."))
    if audience_reached is not None:
        if not 0 <= audience_reached <= MAX_AUDIENCE:
            raise RuleError(N_("Give the number of people reached (0 to %(max)s)."), max=MAX_AUDIENCE)
        session.audience_reached = audience_reached
    session.score, session.remarks, session.evaluated_on = score, (remarks or "").strip(), today
    _advance(session.order)


def agree_follow_up(order: OutreachOrder, text: str, remind_on: date | None) -> None:
    """A follow-up agreed with the organisation, with the date the lead is reminded."""
    if order.status not in ("given", "evaluated"):
        raise RuleError(N_("A follow-up is agreed after the session was given."))
    if not (text or "").strip() or remind_on is None:
        raise RuleError(N_("Describe the follow-up and give a reminder date."))
    order.follow_up, order.follow_up_on, order.follow_up_done_on = text.strip(), remind_on, None


def complete_follow_up(order: OutreachOrder, today: date) -> None:
    """The follow-up was done: the order is closed."""
    if not order.follow_up or order.follow_up_on is None:
        raise RuleError(N_("No follow-up was agreed for this order."))
    if order.follow_up_done_on is not None:
        raise RuleError(N_("The follow-up is done already."))
    order.follow_up_done_on = today
    if order.status in ("given", "evaluated"):
        order.status = "closed"


def close_order(order: OutreachOrder) -> None:
    """Close an evaluated order without (further) follow-up."""
    if order.status != "evaluated":
        raise RuleError(N_("An order is closed after its evaluation."))
    if order.follow_up and order.follow_up_done_on is None:
        raise RuleError(N_("The agreed follow-up is not done yet."))
    order.status = "closed"


def cancel_order(order: OutreachOrder, reason: str) -> list[OutreachSession]:
    """Cancel an order and its planned sessions; returns the sessions cancelled."""
    _open(order)
    if not (reason or "").strip():
        raise RuleError(N_("Give a reason for the cancellation."))
    cancelled = []
    for session in order.sessions:
        if session.status == "planned":
            session.status, session.cancel_reason = "cancelled", reason.strip()
            session.experts = []
            cancelled.append(session)
    order.status, order.cancel_reason = "cancelled", reason.strip()
    return cancelled


def cancel_session(session: OutreachSession, reason: str) -> None:
    if session.status != "planned":
        raise RuleError(N_("Only a planned session can be cancelled."))
    if not (reason or "").strip():
        raise RuleError(N_("Give a reason for the cancellation."))
    session.status, session.cancel_reason, session.experts = "cancelled", reason.strip(), []
    _advance(session.order)


def follow_ups_due(region: Region | int, today: date) -> list[OutreachOrder]:
    """Orders whose follow-up reminder date has come and that are not done."""
    return list(db.session.execute(db.select(OutreachOrder).where(
        OutreachOrder.region_id == _region_id(region), OutreachOrder.follow_up_on.is_not(None),
        OutreachOrder.follow_up_on <= today, OutreachOrder.follow_up_done_on.is_(None),
        OutreachOrder.status != "cancelled").order_by(OutreachOrder.follow_up_on)).scalars())


# -- who may give a session -----------------------------------------------------------------

def setting_of(session: OutreachSession, large_audience: int) -> str:
    """The setting a session puts the expert's story in: recorded (podcast, webinar),
    education (guest lecture), a large audience (the expected size, or the item's
    maximum, reaches the region's threshold) or a small group."""
    offer = session.offer
    if offer.form == "podcast_webinar":
        return "recorded"
    if offer.form == "guest_lecture":
        return "education"
    expected = session.expected_audience or offer.audience_max or 0
    return "large_audience" if expected >= large_audience else "small_group"


def boundaries_of(experts: Iterable[Expert]) -> dict[int, dict[str, StoryBoundary]]:
    """expert id -> setting -> boundary."""
    ids = [e.id for e in experts]
    result: dict[int, dict[str, StoryBoundary]] = {i: {} for i in ids}
    if ids:
        for row in db.session.execute(db.select(StoryBoundary).where(StoryBoundary.expert_id.in_(ids))).scalars():
            result[row.expert_id][row.setting] = row
    return result


def misfits(expert: Expert, session: OutreachSession, boundary: StoryBoundary | None) -> list[str]:
    """Why ``expert`` cannot give ``session`` (source texts with a ``%(name)s`` field;
    empty when they can):
    the topic's perspective and specialties, and the expert's own story boundary."""
    topic = session.offer.topic
    reasons = []
    if topic.perspective and topic.perspective not in expert.tags("perspectives"):
        reasons.append(N_("%(name)s lacks the perspective the topic asks for."))
    missing = set(split_list(topic.required_specialties)) - set(expert.tags("specialties"))
    if missing:
        reasons.append(N_("%(name)s lacks a specialty the topic asks for."))
    if boundary is not None and boundary.level == "none":
        reasons.append(N_("%(name)s does not share their story in this setting."))
    return reasons


def region_experts(region: Region | int) -> list[Expert]:
    return list(db.session.execute(db.select(Expert).where(
        Expert.region_id == _region_id(region), Expert.active.is_(True)).order_by(Expert.id)).scalars())


def candidates(session: OutreachSession) -> list[dict]:
    """The region's active experts for a session, with their boundary in its setting and
    whether they fit; those who fit first (the matching view of the session page)."""
    setting = setting_of(session, int(settings(session.region_id)["large_audience"]))
    experts = region_experts(session.region_id)
    bounds = boundaries_of(experts)
    rows = []
    for expert in experts:
        boundary = bounds[expert.id].get(setting)
        rows.append({"expert": expert, "boundary": boundary, "misfits": misfits(expert, session, boundary),
                     "chosen": expert in session.experts, "all_boundaries": bounds[expert.id]})
    rows.sort(key=lambda r: (bool(r["misfits"]), r["expert"].name.lower()))
    return rows


def set_session_experts(session: OutreachSession, experts: Sequence[Expert]) -> bool:
    """The experts who give a planned session; True when something changed.

    Each is an active expert of the session's region who fits the topic and has
    not ruled out telling their story in the session's setting; at most the
    number the item needs.
    """
    if session.status != "planned":
        raise RuleError(N_("Only a planned session gets its experts."))
    if len(experts) > session.offer.experts_needed:
        raise RuleError(N_("This session needs %(n)s expert(s), not more."), n=session.offer.experts_needed)
    setting = setting_of(session, int(settings(session.region_id)["large_audience"]))
    bounds = boundaries_of(experts)
    for expert in experts:
        if expert.region_id != session.region_id or not expert.active:
            raise RuleError(N_("%(name)s is not an active expert of this region."), name=expert.name)
        reasons = misfits(expert, session, bounds[expert.id].get(setting))
        if reasons:
            raise RuleError(reasons[0], name=expert.name)
    if [e.id for e in session.experts] == sorted(e.id for e in experts):
        return False
    session.experts = sorted(experts, key=lambda e: e.id)
    return True


def check_boundary(boundary: StoryBoundary) -> None:
    if boundary.setting not in STORY_SETTINGS:
        raise RuleError(N_("Choose a setting from the list."))
    if boundary.level not in STORY_LEVELS:
        raise RuleError(N_("Choose what you share from the list."))
    boundary.note = (boundary.note or "").strip()
    if len(boundary.note) > 500:
        raise RuleError(N_("Keep the note under %(n)s characters."), n=500)


# -- yearly calendar agreements ---------------------------------------------------------------

def year_end(day: date) -> date:
    return date(day.year, 12, 31)


def agreement_dates(first: date, last: date, interval_weeks: int, existing: Iterable[date], start: date) -> list[date]:
    """Dates in [max(first, start), last] on the agreement's rhythm (every
    ``interval_weeks`` from ``first``) that have no session yet.

    A session of the agreement (any status: a cancelled date is not planned again)
    within half an interval of a date takes its place, so a moved session is not
    planned a second time and generating twice creates nothing new.
    """
    if interval_weeks < 1 or last < first:
        return []
    days = sorted(set(existing))
    half = timedelta(days=interval_weeks * 7 / 2)
    new, day = [], first
    while day <= last:
        if day >= start and not any(abs(d - day) < half for d in days):
            new.append(day)
        day += timedelta(weeks=interval_weeks)
    return new


def check_agreement(agreement: OutreachAgreement) -> None:
    agreement.organisation = (agreement.organisation or "").strip()
    if not agreement.organisation:
        raise RuleError(N_("Give the name of the organisation."))
    if agreement.offer is None or agreement.offer.region_id != agreement.region_id:
        raise RuleError(N_("Choose an item from the menu of this region."))
    if agreement.first_date is None:
        raise RuleError(N_("Give the date of the first session."))
    if agreement.last_date is not None and agreement.last_date < agreement.first_date:
        raise RuleError(N_("The last date comes before the first."))
    if agreement.last_date is not None and agreement.last_date > agreement.first_date + timedelta(days=366):
        raise RuleError(N_("An agreement covers at most a year; make a new one for the next year."))
    if not 1 <= (agreement.interval_weeks or 0) <= 52:
        raise RuleError(N_("The interval lies between 1 and 52 weeks."))
    if agreement.audience_size is not None and not 1 <= agreement.audience_size <= MAX_AUDIENCE:
        raise RuleError(N_("The audience size lies between 1 and %(max)s."), max=MAX_AUDIENCE)


def generate_agreement_sessions(agreement: OutreachAgreement, today: date) -> list[OutreachSession]:
    """Put the agreement's sessions from today on into the calendar; idempotent."""
    check_agreement(agreement)
    if not agreement.active:
        raise RuleError(N_("This agreement is not active."))
    last = agreement.last_date or year_end(agreement.first_date)
    existing = [s.starts_at.date() for s in agreement.sessions]
    minutes = agreement.offer.duration_minutes
    created = []
    for day in agreement_dates(agreement.first_date, last, agreement.interval_weeks, existing, today):
        start = datetime.combine(day, agreement.start_time)
        session = OutreachSession(region_id=agreement.region_id, offer=agreement.offer, agreement=agreement,
                          starts_at=start, ends_at=start + timedelta(minutes=minutes), place=agreement.place,
                          status="planned")
        db.session.add(session)
        created.append(session)
    db.session.flush()
    return created
