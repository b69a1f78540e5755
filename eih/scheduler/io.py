"""Strict reading and writing of ``eih-instance/1`` and ``eih-plan/1``.

Reading is strict on purpose: a typo in a field name would otherwise silently
drop a constraint about a vulnerable client. Every error is an
:class:`InputError` whose message is one line naming the object and the field,
e.g. ``demand "case-7": field "slot.end" is before "slot.start"``.

Choices where the contract is silent:

* ids must be unique non-empty strings (experts and demands separately);
* a slot demand's start must lie within the period (``period.start`` 00:00 up
  to the midnight after ``period.end``);
* ``all_experts`` demands need a slot (attendance is "available in its slot");
* ``previous`` may name only known demands and known experts;
* numbers: ``hours``, ``load``, contract hours, loads and ``recovery_hours`` are
  non-negative; ``experts_needed`` >= 1; ``priority`` >= 0; contract
  ``min_hours`` <= ``max_hours``;
* times are ``YYYY-MM-DDTHH:MM`` (seconds allowed), dates ``YYYY-MM-DD``; an
  offset or ``Z`` is rejected since all times are local (Europe/Amsterdam).

In a plan, ``why`` and ``reasons`` are the English sentences; ``why_keys`` and
``reason_keys`` (optional, one entry per sentence: ``{"key", "fields"}`` or null)
carry each sentence's key and fields (:mod:`eih.scheduler.reasons`). They are
written when the sentences have keys and read back onto them; a plan without
them (older files, hand-written plans) reads as before. Keys are not checked
against the scheduler's own: the web app adds its own (e.g. a change by the
project lead), and a key nobody knows is shown as its English text.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .model import (
    INSTANCE_FORMAT,
    OBJECTIVE_LEVELS,
    PLAN_FORMAT,
    STATUSES,
    Assignment,
    Contract,
    Demand,
    Expert,
    ExpertSummary,
    History,
    Instance,
    Plan,
    Preferences,
    Requirements,
    Settings,
    Slot,
    Unassigned,
    Unavailable,
)
from .reasons import data_of, reason_from_data


class InputError(ValueError):
    """Malformed input; the message is one line naming the field and the object."""


# --------------------------------------------------------------------------- helpers


class _Ctx:
    """Where we are in the document, for messages: the object and a field prefix."""

    def __init__(self, what: str, prefix: str = ""):
        self.what = what
        self.prefix = prefix

    def sub(self, name: str) -> "_Ctx":
        return _Ctx(self.what, f"{self.prefix}{name}.")

    def fail(self, field: str, problem: str) -> InputError:
        return InputError(f'{self.what}: field "{self.prefix}{field}" {problem}')


def _obj(value: Any, ctx: _Ctx, field: str | None, allowed: set[str], required: set[str] = frozenset()) -> dict:
    if not isinstance(value, dict):
        if field is None:
            raise InputError(f"{ctx.what}: must be a JSON object, got {_typename(value)}")
        raise ctx.fail(field, f"must be an object, got {_typename(value)}")
    inner = ctx if field is None else ctx.sub(field)
    for key in value:
        if key not in allowed:
            raise inner.fail(key, "is unknown")
    for key in sorted(required):
        if key not in value:
            raise inner.fail(key, "is missing")
    return value


def _typename(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, (int, float)):
        return "a number"
    if isinstance(v, str):
        return "a string"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "an object"
    return type(v).__name__


def _str(d: dict, key: str, ctx: _Ctx, default: Any = ..., nullable: bool = False, nonempty: bool = False):
    if key not in d:
        if default is ...:
            raise ctx.fail(key, "is missing")
        return default
    v = d[key]
    if v is None and nullable:
        return None
    if not isinstance(v, str):
        raise ctx.fail(key, f"must be a string, got {_typename(v)}")
    if nonempty and not v:
        raise ctx.fail(key, "must not be empty")
    return v


def _num(d: dict, key: str, ctx: _Ctx, default: Any = ..., nullable: bool = False, minimum: float | None = 0):
    if key not in d:
        if default is ...:
            raise ctx.fail(key, "is missing")
        return default
    v = d[key]
    if v is None and nullable:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ctx.fail(key, f"must be a number, got {_typename(v)}")
    if v != v or v in (float("inf"), float("-inf")):
        raise ctx.fail(key, "must be a finite number")
    if minimum is not None and v < minimum:
        raise ctx.fail(key, f"must be at least {minimum:g}, got {v:g}")
    return v


def _int(d: dict, key: str, ctx: _Ctx, default: Any = ..., minimum: int | None = 0):
    if key not in d:
        if default is ...:
            raise ctx.fail(key, "is missing")
        return default
    v = d[key]
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, bool) or not isinstance(v, int):
        raise ctx.fail(key, f"must be a whole number, got {_typename(v) if not isinstance(v, float) else v}")
    if minimum is not None and v < minimum:
        raise ctx.fail(key, f"must be at least {minimum}, got {v}")
    return v


def _bool(d: dict, key: str, ctx: _Ctx, default: bool = False) -> bool:
    if key not in d:
        return default
    v = d[key]
    if not isinstance(v, bool):
        raise ctx.fail(key, f"must be true or false, got {_typename(v)}")
    return v


def _strlist(d: dict, key: str, ctx: _Ctx) -> list[str]:
    if key not in d:
        return []
    v = d[key]
    if not isinstance(v, list):
        raise ctx.fail(key, f"must be a list of strings, got {_typename(v)}")
    for i, item in enumerate(v):
        if not isinstance(item, str):
            raise ctx.fail(f"{key}[{i}]", f"must be a string, got {_typename(item)}")
    return list(v)


def _explanations(d: dict, key: str, keys: str, ctx: _Ctx) -> list[str]:
    """The sentences of ``key`` (English) with their keys and fields from ``keys``, when
    the file has them: a list as long as ``key``, each ``{"key", "fields"}`` or null."""
    texts = _strlist(d, key, ctx)
    if keys not in d:
        return texts
    data = d[keys]
    if not isinstance(data, list) or len(data) != len(texts):
        raise ctx.fail(keys, f'must be a list as long as "{key}", got {_typename(data)}'
                       + (f" of {len(data)}" if isinstance(data, list) else ""))
    out = []
    for i, (text, item) in enumerate(zip(texts, data)):
        if item is not None:
            _obj(item, ctx, f"{keys}[{i}]", {"key", "fields"}, {"key"})
            _str(item, "key", ctx.sub(f"{keys}[{i}]"), nonempty=True)
            if not isinstance(item.get("fields", {}), dict):
                raise ctx.sub(f"{keys}[{i}]").fail("fields", f"must be an object, got {_typename(item['fields'])}")
        out.append(reason_from_data(text, item))
    return out


def _date(d: dict, key: str, ctx: _Ctx, default: Any = ..., nullable: bool = False):
    v = _str(d, key, ctx, default=default, nullable=nullable)
    if v is None or v is default:
        return v
    try:
        if len(v) != 10:
            raise ValueError
        return date.fromisoformat(v)
    except ValueError:
        raise ctx.fail(key, f'must be a date like 2026-11-30, got "{v}"') from None


def _datetime(d: dict, key: str, ctx: _Ctx, default: Any = ..., nullable: bool = False):
    v = _str(d, key, ctx, default=default, nullable=nullable)
    if v is None or v is default:
        return v
    try:
        if "T" not in v or len(v) not in (16, 19):
            raise ValueError
        return datetime.fromisoformat(v)
    except ValueError:
        raise ctx.fail(key, f'must be a local time like 2026-11-30T19:00, got "{v}"') from None


def _fmt_dt(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%S") if dt.second else dt.strftime("%Y-%m-%dT%H:%M")


def _num_out(v: float) -> int | float:
    """Whole numbers as ints (so 24.0 is written 24), others rounded to 4 decimals."""
    if v is None:
        return None
    f = round(float(v), 4)
    return int(f) if f.is_integer() else f


# --------------------------------------------------------------------------- instance

_SETTINGS_FIELDS = {
    "heavy_load", "recovery_hours", "max_heavy_per_day", "max_load_per_week",
    "buffer_minutes", "intervision_days", "time_limit_s", "seed",
}
_EXPERT_FIELDS = {
    "id", "name", "region", "gender", "perspectives", "cultures", "languages",
    "specialties", "contract", "max_load", "unavailable", "history",
}
_DEMAND_FIELDS = {
    "id", "kind", "label", "region", "slot", "hours", "load", "priority",
    "experts_needed", "require", "prefer", "continuity", "pinned", "exclude",
    "all_experts", "exclude_reasons",
}


def _settings_from(d: Any) -> Settings:
    ctx = _Ctx("settings")
    _obj(d, ctx, None, _SETTINGS_FIELDS)
    s = Settings()
    return Settings(
        heavy_load=_num(d, "heavy_load", ctx, s.heavy_load),
        recovery_hours=_num(d, "recovery_hours", ctx, s.recovery_hours),
        max_heavy_per_day=_int(d, "max_heavy_per_day", ctx, s.max_heavy_per_day),
        max_load_per_week=_num(d, "max_load_per_week", ctx, s.max_load_per_week, nullable=True),
        buffer_minutes=_int(d, "buffer_minutes", ctx, s.buffer_minutes),
        intervision_days=_int(d, "intervision_days", ctx, s.intervision_days),
        time_limit_s=_num(d, "time_limit_s", ctx, s.time_limit_s),
        seed=_int(d, "seed", ctx, s.seed, minimum=None),
    )


def _expert_from(d: Any, index: int) -> Expert:
    pre = _Ctx(f"experts[{index}]")
    _obj(d, pre, None, set(d) if isinstance(d, dict) else set())
    eid = _str(d, "id", pre, nonempty=True)
    ctx = _Ctx(f'expert "{eid}"')
    _obj(d, ctx, None, _EXPERT_FIELDS)

    c = _obj(d.get("contract", {}), ctx, "contract", {"min_hours", "max_hours", "overtime_hours"})
    cctx = ctx.sub("contract")
    contract = Contract(
        min_hours=_num(c, "min_hours", cctx, 0),
        max_hours=_num(c, "max_hours", cctx, 0),
        overtime_hours=_num(c, "overtime_hours", cctx, 0),
    )
    if contract.min_hours > contract.max_hours:
        raise ctx.fail("contract.min_hours", f"({contract.min_hours:g}) is above contract.max_hours ({contract.max_hours:g})")

    raw_un = d.get("unavailable", [])
    if not isinstance(raw_un, list):
        raise ctx.fail("unavailable", f"must be a list, got {_typename(raw_un)}")
    unavailable = []
    for i, u in enumerate(raw_un):
        uctx = ctx.sub(f"unavailable[{i}]")
        _obj(u, ctx, f"unavailable[{i}]", {"start", "end", "reason"}, set())
        start = _datetime(u, "start", uctx)
        end = _datetime(u, "end", uctx)
        if end < start:
            raise uctx.fail("end", 'is before "start"')
        unavailable.append(Unavailable(start, end, _str(u, "reason", uctx, "")))

    h = _obj(d.get("history", {}), ctx, "history", {"load_recent", "last_intervision", "last_heavy_end"})
    hctx = ctx.sub("history")
    history = History(
        load_recent=_num(h, "load_recent", hctx, 0),
        last_intervision=_date(h, "last_intervision", hctx, None, nullable=True),
        last_heavy_end=_datetime(h, "last_heavy_end", hctx, None, nullable=True),
    )
    return Expert(
        id=eid,
        name=_str(d, "name", ctx, ""),
        region=_str(d, "region", ctx, None, nullable=True),
        gender=_str(d, "gender", ctx, None, nullable=True),
        perspectives=_strlist(d, "perspectives", ctx),
        cultures=_strlist(d, "cultures", ctx),
        languages=_strlist(d, "languages", ctx),
        specialties=_strlist(d, "specialties", ctx),
        contract=contract,
        max_load=_num(d, "max_load", ctx, None, nullable=True),
        unavailable=unavailable,
        history=history,
    )


def _demand_from(d: Any, index: int) -> Demand:
    pre = _Ctx(f"demands[{index}]")
    _obj(d, pre, None, set(d) if isinstance(d, dict) else set())
    did = _str(d, "id", pre, nonempty=True)
    ctx = _Ctx(f'demand "{did}"')
    _obj(d, ctx, None, _DEMAND_FIELDS, {"kind"})

    slot = None
    if d.get("slot") is not None:
        s = _obj(d["slot"], ctx, "slot", {"start", "end"}, {"start", "end"})
        sctx = ctx.sub("slot")
        slot = Slot(_datetime(s, "start", sctx), _datetime(s, "end", sctx))
        if slot.end < slot.start:
            raise sctx.fail("end", 'is before "start"')

    r = _obj(d.get("require", {}), ctx, "require", {"gender", "perspective", "languages", "specialties"})
    rctx = ctx.sub("require")
    require = Requirements(
        gender=_str(r, "gender", rctx, None, nullable=True),
        perspective=_str(r, "perspective", rctx, None, nullable=True),
        languages=_strlist(r, "languages", rctx),
        specialties=_strlist(r, "specialties", rctx),
    )
    p = _obj(d.get("prefer", {}), ctx, "prefer", {"cultures", "languages", "specialties"})
    pctx = ctx.sub("prefer")
    prefer = Preferences(
        cultures=_strlist(p, "cultures", pctx),
        languages=_strlist(p, "languages", pctx),
        specialties=_strlist(p, "specialties", pctx),
    )
    hours = _num(d, "hours", ctx, None, nullable=True)
    all_experts = _bool(d, "all_experts", ctx)
    if slot is None and hours is None:
        raise ctx.fail("hours", "is missing (a demand without a slot needs hours)")
    if slot is None and all_experts:
        raise ctx.fail("slot", "is missing (an all_experts demand needs a slot)")
    return Demand(
        id=did,
        kind=_str(d, "kind", ctx, nonempty=True),
        label=_str(d, "label", ctx, ""),
        region=_str(d, "region", ctx, None, nullable=True),
        slot=slot,
        hours=hours,
        load=_num(d, "load", ctx, 0),
        priority=_int(d, "priority", ctx, 1),
        experts_needed=_int(d, "experts_needed", ctx, 1, minimum=1),
        require=require,
        prefer=prefer,
        continuity=_strlist(d, "continuity", ctx),
        pinned=_strlist(d, "pinned", ctx),
        exclude=_strlist(d, "exclude", ctx),
        all_experts=all_experts,
        exclude_reasons=_exclude_reasons(d, ctx),
    )


def _exclude_reasons(d: dict, ctx: _Ctx) -> dict[str, str]:
    """``{"ed-3": "light-week"}``: each key an expert of ``exclude``, each value a non-empty code."""
    reasons = _obj(d.get("exclude_reasons", {}), ctx, "exclude_reasons", set(d.get("exclude_reasons") or {}))
    excluded = set(d.get("exclude") or [])
    for eid in reasons:
        _str(reasons, eid, ctx.sub("exclude_reasons"), nonempty=True)
        if eid not in excluded:
            raise ctx.sub("exclude_reasons").fail(eid, 'names an expert who is not in "exclude"')
    return dict(reasons)


def instance_from_dict(d: Any) -> Instance:
    """Build an :class:`Instance` from parsed JSON; raise :class:`InputError` on any defect."""
    top = _Ctx("instance")
    _obj(d, top, None, {"format", "period", "settings", "experts", "demands", "previous"}, {"format", "period"})
    if d["format"] != INSTANCE_FORMAT:
        raise top.fail("format", f'must be "{INSTANCE_FORMAT}", got {json.dumps(d["format"])}')
    per = _obj(d["period"], top, "period", {"start", "end"}, {"start", "end"})
    pctx = top.sub("period")
    start, end = _date(per, "start", pctx), _date(per, "end", pctx)
    if end < start:
        raise pctx.fail("end", 'is before "start"')
    settings = _settings_from(d.get("settings", {}))

    for key in ("experts", "demands"):
        if not isinstance(d.get(key, []), list):
            raise top.fail(key, f"must be a list, got {_typename(d[key])}")
    experts = [_expert_from(e, i) for i, e in enumerate(d.get("experts", []))]
    demands = [_demand_from(x, i) for i, x in enumerate(d.get("demands", []))]

    inst = Instance(start, end, settings, experts, demands, {})
    _check_ids(inst)
    prev = d.get("previous", {})
    if not isinstance(prev, dict):
        raise top.fail("previous", f"must be an object, got {_typename(prev)}")
    demand_ids = {x.id for x in demands}
    expert_ids = {e.id for e in experts}
    for did in sorted(prev):
        if did not in demand_ids:
            raise InputError(f'previous: field "previous.{did}" names an unknown demand "{did}"')
        ids = _strlist(prev, did, _Ctx(f'demand "{did}"', "previous."))
        for eid in ids:
            if eid not in expert_ids:
                raise InputError(f'demand "{did}": field "previous" names an unknown expert "{eid}"')
        inst.previous[did] = ids
    return inst


def _check_ids(inst: Instance) -> None:
    seen: set[str] = set()
    for e in inst.experts:
        if e.id in seen:
            raise InputError(f'expert "{e.id}": field "id" is used twice')
        seen.add(e.id)
    dseen: set[str] = set()
    for x in inst.demands:
        if x.id in dseen:
            raise InputError(f'demand "{x.id}": field "id" is used twice')
        dseen.add(x.id)
        for key in ("pinned", "continuity", "exclude"):
            for eid in getattr(x, key):
                if eid not in seen:
                    raise InputError(f'demand "{x.id}": field "{key}" names an unknown expert "{eid}"')
        if x.slot is not None and not (inst.period_start_dt <= x.slot.start < inst.period_end_dt):
            raise InputError(
                f'demand "{x.id}": field "slot.start" ({_fmt_dt(x.slot.start)}) is outside the period '
                f"{inst.period_start.isoformat()} to {inst.period_end.isoformat()}"
            )
        if len(set(x.pinned)) != len(x.pinned):
            raise InputError(f'demand "{x.id}": field "pinned" names an expert twice')


def instance_to_dict(inst: Instance) -> dict:
    """The instance as an ``eih-instance/1`` dict; defaults are left out."""
    s = inst.settings
    out: dict[str, Any] = {
        "format": INSTANCE_FORMAT,
        "period": {"start": inst.period_start.isoformat(), "end": inst.period_end.isoformat()},
        "settings": {
            "heavy_load": _num_out(s.heavy_load), "recovery_hours": _num_out(s.recovery_hours),
            "max_heavy_per_day": s.max_heavy_per_day, "max_load_per_week": _num_out(s.max_load_per_week),
            "buffer_minutes": s.buffer_minutes, "intervision_days": s.intervision_days,
            "time_limit_s": _num_out(s.time_limit_s), "seed": s.seed,
        },
        "experts": [_expert_to(e) for e in inst.experts],
        "demands": [_demand_to(x) for x in inst.demands],
    }
    if inst.previous:
        out["previous"] = {k: list(v) for k, v in inst.previous.items()}
    return out


def _nonempty(d: dict) -> dict:
    return {k: v for k, v in d.items() if v not in (None, [], {}, "")}


def _expert_to(e: Expert) -> dict:
    h = e.history
    return _nonempty({
        "id": e.id, "name": e.name, "region": e.region, "gender": e.gender,
        "perspectives": list(e.perspectives), "cultures": list(e.cultures),
        "languages": list(e.languages), "specialties": list(e.specialties),
        "contract": {"min_hours": _num_out(e.contract.min_hours), "max_hours": _num_out(e.contract.max_hours),
                     "overtime_hours": _num_out(e.contract.overtime_hours)},
        "max_load": _num_out(e.max_load),
        "unavailable": [_nonempty({"start": _fmt_dt(u.start), "end": _fmt_dt(u.end), "reason": u.reason})
                        for u in e.unavailable],
        "history": _nonempty({
            "load_recent": _num_out(h.load_recent) or None,
            "last_intervision": h.last_intervision.isoformat() if h.last_intervision else None,
            "last_heavy_end": _fmt_dt(h.last_heavy_end) if h.last_heavy_end else None,
        }),
    })


def _demand_to(x: Demand) -> dict:
    out = _nonempty({
        "id": x.id, "kind": x.kind, "label": x.label, "region": x.region,
        "slot": {"start": _fmt_dt(x.slot.start), "end": _fmt_dt(x.slot.end)} if x.slot else None,
        "hours": _num_out(x.hours),
        "require": _nonempty({"gender": x.require.gender, "perspective": x.require.perspective,
                              "languages": list(x.require.languages), "specialties": list(x.require.specialties)}),
        "prefer": _nonempty({"cultures": list(x.prefer.cultures), "languages": list(x.prefer.languages),
                             "specialties": list(x.prefer.specialties)}),
        "continuity": list(x.continuity), "pinned": list(x.pinned), "exclude": list(x.exclude),
        "exclude_reasons": dict(x.exclude_reasons),
    })
    out["load"] = _num_out(x.load)
    out["priority"] = x.priority
    out["experts_needed"] = x.experts_needed
    if x.all_experts:
        out["all_experts"] = True
    return out


def _load_json(path_or_file: Any, what: str) -> Any:
    try:
        if hasattr(path_or_file, "read"):
            text = path_or_file.read()
            name = getattr(path_or_file, "name", what)
        else:
            name = str(path_or_file)
            text = Path(path_or_file).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{what} file {path_or_file}: not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{what} file {path_or_file}: cannot be read ({exc.__class__.__name__})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{what} file {name}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None


def read_instance(path_or_file: Any) -> Instance:
    return instance_from_dict(_load_json(path_or_file, "instance"))


# --------------------------------------------------------------------------- plan

_PLAN_FIELDS = {"format", "status", "assignments", "unassigned", "experts", "objective", "solve_seconds"}


def plan_from_dict(d: Any, instance: Instance | None = None) -> Plan:
    """Build a :class:`Plan`; with ``instance``, demand and expert ids must exist in it."""
    top = _Ctx("plan")
    _obj(d, top, None, _PLAN_FIELDS, {"format", "assignments"})
    if d["format"] != PLAN_FORMAT:
        raise top.fail("format", f'must be "{PLAN_FORMAT}", got {json.dumps(d["format"])}')
    status = _str(d, "status", top, "feasible")
    if status not in STATUSES:
        raise top.fail("status", f'must be one of {", ".join(STATUSES)}, got "{status}"')
    for key in ("assignments", "unassigned", "experts"):
        if not isinstance(d.get(key, []), list):
            raise top.fail(key, f"must be a list, got {_typename(d[key])}")
    demand_ids = {x.id for x in instance.demands} if instance else None
    expert_ids = {e.id for e in instance.experts} if instance else None

    assignments = []
    seen: set[str] = set()
    for i, a in enumerate(d.get("assignments", [])):
        pre = _Ctx(f"assignments[{i}]")
        _obj(a, pre, None, {"demand", "experts", "why", "why_keys"}, {"demand", "experts"})
        did = _str(a, "demand", pre, nonempty=True)
        ctx = _Ctx(f'assignment "{did}"')
        if demand_ids is not None and did not in demand_ids:
            raise ctx.fail("demand", f'names an unknown demand "{did}"')
        if did in seen:
            raise ctx.fail("demand", "is assigned twice")
        seen.add(did)
        experts = _strlist(a, "experts", ctx)
        for eid in experts:
            if expert_ids is not None and eid not in expert_ids:
                raise ctx.fail("experts", f'names an unknown expert "{eid}"')
        assignments.append(Assignment(did, experts, _explanations(a, "why", "why_keys", ctx)))

    unassigned = []
    for i, u in enumerate(d.get("unassigned", [])):
        pre = _Ctx(f"unassigned[{i}]")
        _obj(u, pre, None, {"demand", "reasons", "reason_keys"}, {"demand"})
        did = _str(u, "demand", pre, nonempty=True)
        ctx = _Ctx(f'unassigned "{did}"')
        if demand_ids is not None and did not in demand_ids:
            raise ctx.fail("demand", f'names an unknown demand "{did}"')
        unassigned.append(Unassigned(did, _explanations(u, "reasons", "reason_keys", ctx)))

    summaries = []
    for i, s in enumerate(d.get("experts", [])):
        pre = _Ctx(f"experts[{i}]")
        fields = {"id", "hours", "load", "relative_load", "overtime", "below_min"}
        _obj(s, pre, None, fields, {"id"})
        eid = _str(s, "id", pre, nonempty=True)
        ctx = _Ctx(f'expert summary "{eid}"')
        if expert_ids is not None and eid not in expert_ids:
            raise ctx.fail("id", f'names an unknown expert "{eid}"')
        summaries.append(ExpertSummary(eid, *(float(_num(s, k, ctx, 0)) for k in
                                              ("hours", "load", "relative_load", "overtime", "below_min"))))

    objective = d.get("objective", {})
    _obj(objective, top, "objective", {k for k, _ in OBJECTIVE_LEVELS})
    octx = top.sub("objective")
    for k in objective:
        _num(objective, k, octx, minimum=None)
    return Plan(status, assignments, unassigned, summaries, dict(objective),
                float(_num(d, "solve_seconds", top, 0.0)))


def plan_to_dict(plan: Plan, *, include_time: bool = True) -> dict:
    """The plan as an ``eih-plan/1`` dict.

    ``include_time=False`` leaves out ``solve_seconds``, the only part of a plan
    that differs between two runs with the same instance and seed; that is what
    "same plan, byte for byte" compares (``eih-schedule solve --no-time``).
    """
    out: dict[str, Any] = {
        "format": PLAN_FORMAT,
        "status": plan.status,
        "assignments": [{"demand": a.demand, "experts": list(a.experts), **_keyed(a.why, "why", "why_keys")}
                        for a in plan.assignments],
        "unassigned": [{"demand": u.demand, **_keyed(u.reasons, "reasons", "reason_keys")} for u in plan.unassigned],
        "experts": [{"id": s.id, "hours": _num_out(s.hours), "load": _num_out(s.load),
                     "relative_load": _num_out(s.relative_load), "overtime": _num_out(s.overtime),
                     "below_min": _num_out(s.below_min)} for s in plan.experts],
        "objective": {k: _num_out(plan.objective[k]) for k, _ in OBJECTIVE_LEVELS if k in plan.objective},
    }
    if include_time:
        out["solve_seconds"] = round(float(plan.solve_seconds), 3)
    return out


def _keyed(texts: list[str], key: str, keys: str) -> dict:
    """The English sentences, and beside them their keys and fields when any has one."""
    out: dict[str, Any] = {key: [str(t) for t in texts]}
    data = [data_of(t) for t in texts]
    if any(data):
        out[keys] = data
    return out


def read_plan(path_or_file: Any, instance: Instance | None = None) -> Plan:
    return plan_from_dict(_load_json(path_or_file, "plan"), instance)


def dumps(obj: dict) -> str:
    """Stable JSON: keys in the order written (documents are built in a fixed order), 2-space indent."""
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"
