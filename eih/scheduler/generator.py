"""Realistic synthetic instances for tests and benchmarks (``eih-schedule generate``).

Shaped after the team described in the domain notes: experts with a mix of genders,
victim/perpetrator perspectives, cultures and languages, 16-24 h contracts with some
overtime, some leave, recent load and intervision history. Per region and week:
running cases (capacity demands that keep their current expert), new cases (some
urgent THV cases, heavy), the weekly men's group (one male facilitator with a
perpetrator perspective, continuity), the biweekly women's group (two female
facilitators), information and policy sessions (now and then pinned to the expert
a partner asked for), and intervision every six weeks for everyone of the region.
About four demands per expert per week: the real team of 7 gets about 30.
The same arguments always give the same instance.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from .model import (
    Contract,
    Demand,
    Expert,
    History,
    Instance,
    Preferences,
    Requirements,
    Settings,
    Slot,
    Unavailable,
)

DEFAULT_START = date(2026, 11, 30)  # a Monday
REGIONS = ["rotterdam-rijnmond", "haaglanden", "utrecht", "amsterdam-amstelland", "twente", "limburg-zuid",
           "groningen", "brabant-noord", "gelderland-midden", "zeeland"]
NAMES = ["Amal", "Youssef", "Sanne", "Mehmet", "Priya", "Kees", "Dewi", "Farid", "Lotte", "Ricardo", "Ayse",
         "Bram", "Naima", "Jurgen", "Esther", "Kofi", "Iris", "Tarik", "Mila", "Gerrit"]
CULTURES = [("dutch", []), ("moroccan", ["ar"]), ("turkish", ["tr"]), ("surinamese", ["srn"]),
            ("antillean", ["pap"]), ("cape-verdean", ["pt"]), ("polish", ["pl"])]
CULTURE_WEIGHTS = [45, 15, 12, 12, 6, 5, 5]
SPECIALTIES = ["honour-related", "stalking", "child-abuse", "addiction", "lgbtq", "elderly"]


def generate(experts: int, weeks: int = 1, seed: int = 0, regions: int = 1, start: date | None = None) -> Instance:
    """An instance with ``experts`` experts over ``weeks`` ISO weeks in ``regions`` regions."""
    if experts < 1 or weeks < 1 or regions < 1:
        raise ValueError("experts, weeks and regions must be at least 1")
    rng = random.Random(f"eih-generate/{experts}/{weeks}/{seed}/{regions}")
    start = start or DEFAULT_START
    start = start - timedelta(days=start.weekday())
    end = start + timedelta(days=7 * weeks - 1)
    region_names = [REGIONS[i] if i < len(REGIONS) else f"region-{i + 1}" for i in range(regions)]
    team: list[Expert] = []
    demands: list[Demand] = []
    previous: dict[str, list[str]] = {}
    for r, region in enumerate(region_names):
        size = experts // regions + (1 if r < experts % regions else 0)
        if size == 0:
            continue
        members = [_expert(rng, region, len(team) + i, start, weeks) for i in range(size)]
        team += members
        _demands(rng, region, r, members, start, weeks, demands, previous)
    settings = Settings(heavy_load=3, recovery_hours=12, max_heavy_per_day=1, max_load_per_week=14,
                        buffer_minutes=30, intervision_days=42, time_limit_s=10, seed=seed)
    return Instance(start, end, settings, team, demands, previous)


def _expert(rng: random.Random, region: str, n: int, start: date, weeks: int) -> Expert:
    gender = "female" if rng.random() < 0.55 else "male"
    if gender == "female":
        perspectives = ["victim"] if rng.random() < 0.8 else ["victim", "perpetrator"]
    else:
        perspectives = ["perpetrator"] if rng.random() < 0.7 else (["victim"] if rng.random() < 0.5
                                                                    else ["victim", "perpetrator"])
    culture, extra = rng.choices(CULTURES, CULTURE_WEIGHTS)[0]
    languages = ["nl"] + extra + (["en"] if rng.random() < 0.5 else [])
    specialties = rng.sample(SPECIALTIES, rng.choice([0, 1, 1, 2]))
    if culture in ("moroccan", "turkish") and rng.random() < 0.6 and "honour-related" not in specialties:
        specialties.append("honour-related")
    max_h = rng.choice([16, 20, 20, 24, 24])
    contract = Contract(min_hours=16, max_hours=max_h, overtime_hours=rng.choice([0, 2, 4]))
    unavailable = []
    for w in range(weeks):
        monday = datetime.combine(start + timedelta(days=7 * w), time())
        roll = rng.random()
        if roll < 0.04:
            unavailable.append(Unavailable(monday, monday + timedelta(days=7), "leave"))
        elif roll < 0.18:
            first = rng.randrange(5)
            unavailable.append(Unavailable(monday + timedelta(days=first),
                                           monday + timedelta(days=first + rng.randint(1, 3)), "leave"))
        elif roll < 0.30:
            day = monday + timedelta(days=rng.randrange(5), hours=rng.choice([9, 13]))
            unavailable.append(Unavailable(day, day + timedelta(hours=4), "appointment"))
    history = History(
        load_recent=float(rng.randint(0, 24)),
        last_intervision=start - timedelta(days=rng.randint(3, 50)) if rng.random() < 0.9 else None,
        last_heavy_end=(datetime.combine(start, time(20)) - timedelta(days=1)) if rng.random() < 0.15 else None,
    )
    name = NAMES[n % len(NAMES)]
    return Expert(id=f"ed-{n + 1:03d}", name=f"{name} {n + 1}" if n >= len(NAMES) else name, region=region,
                  gender=gender, perspectives=perspectives, cultures=[culture], languages=languages,
                  specialties=sorted(specialties), contract=contract, max_load=None,
                  unavailable=unavailable, history=history)


def _slot(rng: random.Random, day: date, hours: float, evening: bool = False) -> Slot:
    hour = rng.choice([18, 19]) if evening else rng.choice([9, 9.5, 10, 11, 13, 13.5, 14, 15])
    begin = datetime.combine(day, time()) + timedelta(hours=hour)
    return Slot(begin, begin + timedelta(hours=hours))


def _client(rng: random.Random) -> tuple[Requirements, Preferences, str]:
    """Requirements of a case: men with men, women with women, perspective; sometimes language."""
    victim = rng.random() < 0.65
    gender = "female" if (victim and rng.random() < 0.85) or (not victim and rng.random() < 0.1) else "male"
    culture, langs = rng.choices(CULTURES, CULTURE_WEIGHTS)[0]
    require = Requirements(gender=gender, perspective="victim" if victim else "perpetrator")
    if langs and rng.random() < 0.3:
        require.languages = list(langs)
    prefer = Preferences(cultures=[culture] if culture != "dutch" else [], languages=list(langs))
    if culture in ("moroccan", "turkish") and rng.random() < 0.4:
        prefer.specialties = ["honour-related"]
    return require, prefer, culture


def _fits(e: Expert, require: Requirements) -> bool:
    return (e.gender == require.gender and require.perspective in e.perspectives
            and all(x in e.languages for x in require.languages))


def _demands(rng, region, r, members, start, weeks, demands, previous) -> None:
    k = len(members)
    tag = region.split("-")[0][:3]
    running_hours = {e.id: 0.0 for e in members}
    # running cases: hours every week, keep the current expert (continuity), published before
    for i in range(max(1, round(k * 1.4))):
        require, prefer, culture = _client(rng)
        hours = rng.choice([2, 2.5, 3, 4])
        current = [e for e in members if _fits(e, require) and running_hours[e.id] + hours <= 10]
        did = f"case-{tag}-r{i + 1:03d}"
        d = Demand(id=did, kind="casework", label=f"running case ({culture})", region=region, hours=hours,
                   load=rng.choice([1.5, 2, 2.5]), priority=2, require=require, prefer=prefer)
        if current:
            who = rng.choice(current)
            running_hours[who.id] += hours
            d.continuity = [who.id]
            previous[did] = [who.id]
        demands.append(d)
    rotation = rng.randrange(6) if r else 0
    men = [e for e in members if e.gender == "male" and "perpetrator" in e.perspectives]
    women = [e for e in members if e.gender == "female" and "victim" in e.perspectives]
    men_facilitator = rng.choice(men).id if men else None
    women_facilitators = [e.id for e in rng.sample(women, 2)] if len(women) >= 2 else []
    for w in range(weeks):
        monday = start + timedelta(days=7 * w)
        days = [monday + timedelta(days=i) for i in range(5)]
        pinned_this_week: set[str] = set()
        for i in range(max(1, round(k * 1.2))):
            require, prefer, culture = _client(rng)
            urgent = rng.random() < 0.2
            did = f"case-{tag}-w{w + 1}-n{i + 1:03d}"
            d = Demand(id=did, kind="casework", label=("THV " if urgent else "new case ") + f"({culture})",
                       region=region, slot=_slot(rng, rng.choice(days), rng.choice([1.5, 2])),
                       hours=rng.choice([3, 3.5]), load=4 if urgent else rng.choice([2, 3]),
                       priority=3 if urgent else 1, require=require, prefer=prefer)
            if rng.random() < 0.05:
                d.exclude = [rng.choice(members).id]  # knows the family
            demands.append(d)
        for g in range(max(1, k // 12)):
            did = f"sg-men-{tag}-{g + 1}-w{w + 1}"
            d = Demand(id=did, kind="supportgroup", label="Men's group", region=region,
                       slot=_slot(rng, monday + timedelta(days=1 + g % 3), 2, evening=True), hours=3, load=3,
                       priority=2, require=Requirements(gender="male", perspective="perpetrator"))
            if men_facilitator and g == 0:
                d.continuity = [men_facilitator]
                previous[did] = [men_facilitator]
            demands.append(d)
        if w % 2 == 0:
            for g in range(max(1, k // 20)):
                did = f"sg-women-{tag}-{g + 1}-w{w + 1}"
                d = Demand(id=did, kind="supportgroup", label="Women's group", region=region,
                           slot=_slot(rng, monday + timedelta(days=3 - g % 2), 2), hours=3, load=3, priority=2,
                           experts_needed=2, require=Requirements(gender="female", perspective="victim"))
                if g == 0:
                    d.continuity = list(women_facilitators)
                demands.append(d)
        for i in range(max(1, round(k * 0.45))):
            did = f"info-{tag}-w{w + 1}-{i + 1:03d}"
            d = Demand(id=did, kind="information", label=rng.choice(["workshop", "guest lecture", "team visit",
                                                                      "theme lunch"]),
                       region=region, slot=_slot(rng, rng.choice(days), rng.choice([1.5, 2, 3])), load=1,
                       priority=1, experts_needed=rng.choice([1, 1, 2]),
                       prefer=Preferences(specialties=rng.sample(SPECIALTIES, 1)))
            asked = [e for e in members if e.id not in pinned_this_week
                     and not any(u.start < d.slot.end and d.slot.start < u.end for u in e.unavailable)]
            if asked and rng.random() < 0.15:  # a partner asked for this expert by name
                d.pinned = [rng.choice(asked).id]
                d.experts_needed = 1
                pinned_this_week.add(d.pinned[0])
            demands.append(d)
        for i in range(max(1, round(k * 0.35))):
            did = f"policy-{tag}-w{w + 1}-{i + 1:03d}"
            demands.append(Demand(id=did, kind="policy", label=rng.choice(["policy table", "working group",
                                                                           "critical friends"]),
                                  region=region, slot=_slot(rng, rng.choice(days), rng.choice([1.5, 2])), load=0.5,
                                  priority=1, require=Requirements(perspective=rng.choice(["victim", "perpetrator"]))))
        if (w - rotation) % 6 == 0:
            demands.append(Demand(id=f"iv-{tag}-w{w + 1}", kind="intervision", label="Guided intervision",
                                  region=region, slot=_slot(rng, monday + timedelta(days=2), 2.5), load=0,
                                  priority=3, experts_needed=1, all_experts=True))
