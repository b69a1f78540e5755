"""Import of the historical registration spreadsheet (CSV): all rows or none.

Every row is checked first; one bad row means nothing is imported and every
error is listed with its line number (the header is line 1). The historical
status is recorded as it was (the old sheet holds no consent or goal), marked
as imported on the timeline; the rules apply from then on (e.g. no
conversation on an imported case until its consent is recorded).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from ... import audit
from ...extensions import db
from ...models import GENDERS, PERSPECTIVES, Expert, Municipality, Partner, Region, User
from . import rules
from .models import KINDS, CaseEvent, Deployment, Request

COLUMNS = ("code", "received_on", "municipality", "partner", "kind", "client_gender", "client_perspective",
           "status", "closed_on", "expert_email")
IMPORT_STATUSES = ("registered", "intake", "active", "evaluation", "closed", "transferred")


@dataclass
class ImportResult:
    rows: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    imported: int = 0


def _date(value: str, name: str, errors: list[str], line: int) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(_("line %(line)s: %(column)s %(value)s is not a date (YYYY-MM-DD)", line=line, column=name,
                        value=repr(value)))
        return None


def parse(text: str, region: Region) -> ImportResult:
    """Check every row; return the parsed rows and all errors."""
    result = ImportResult()
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if tuple(header) != COLUMNS:
        result.errors.append(_("line 1: the columns must be exactly: %(columns)s", columns=",".join(COLUMNS)))
        return result
    towns = {m.name.lower(): m for m in db.session.query(Municipality).filter_by(region_id=region.id)}
    partners = {p.name.lower(): p for p in db.session.query(Partner).filter_by(region_id=region.id)}
    experts = {u.email.lower(): u.expert for u in db.session.query(User).join(Expert, Expert.user_id == User.id)
               .filter(Expert.region_id == region.id)}
    seen: set[str] = set()
    line = 1
    for raw in reader:
        line = reader.line_num
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        if None in raw:
            result.errors.append(_("line %(line)s: more cells than columns", line=line))
            continue
        errors: list[str] = []
        code = row["code"]
        if code:
            if len(code) > 20 or " " in code:
                errors.append(_("line %(line)s: code %(code)s is not a valid case code", line=line, code=repr(code)))
            elif code in seen or db.session.query(Request.id).filter_by(code=code).first():
                errors.append(_("line %(line)s: code %(code)s exists already", line=line, code=repr(code)))
            seen.add(code)
        received = _date(row["received_on"], "received_on", errors, line)
        if not row["received_on"]:
            errors.append(_("line %(line)s: received_on is required", line=line))
        closed = _date(row["closed_on"], "closed_on", errors, line)
        town = partner = expert = None
        if row["municipality"]:
            town = towns.get(row["municipality"].lower())
            if town is None:
                errors.append(_("line %(line)s: unknown municipality %(value)s in %(region)s", line=line,
                                value=repr(row["municipality"]), region=region.slug))
        if row["partner"]:
            partner = partners.get(row["partner"].lower())
            if partner is None:
                errors.append(_("line %(line)s: unknown partner organisation %(value)s in %(region)s", line=line,
                                value=repr(row["partner"]), region=region.slug))
        kind = row["kind"] or "regular"
        if kind not in KINDS:
            errors.append(_("line %(line)s: %(column)s %(value)s must be one of %(allowed)s", line=line,
                            column="kind", value=repr(kind), allowed=", ".join(KINDS)))
        elif not rules.kind_allowed(region.id, kind):
            errors.append(_("line %(line)s: kind 'direct' is not switched on for %(region)s", line=line,
                            region=region.slug))
        if row["client_gender"] and row["client_gender"] not in GENDERS:
            errors.append(_("line %(line)s: %(column)s %(value)s must be one of %(allowed)s", line=line,
                            column="client_gender", value=repr(row["client_gender"]), allowed=", ".join(GENDERS)))
        if row["client_perspective"] and row["client_perspective"] not in PERSPECTIVES:
            errors.append(_("line %(line)s: %(column)s %(value)s must be one of %(allowed)s", line=line,
                            column="client_perspective", value=repr(row["client_perspective"]),
                            allowed=", ".join(PERSPECTIVES)))
        status = row["status"]
        if status not in IMPORT_STATUSES:
            errors.append(_("line %(line)s: %(column)s %(value)s must be one of %(allowed)s", line=line,
                            column="status", value=repr(status), allowed=", ".join(IMPORT_STATUSES)))
        if closed and status != "closed":
            errors.append(_("line %(line)s: closed_on is given but the status is %(value)s", line=line,
                            value=repr(status)))
        if closed and received and closed < received:
            errors.append(_("line %(line)s: closed_on is before received_on", line=line))
        if row["expert_email"]:
            expert = experts.get(row["expert_email"].lower())
            if expert is None:
                errors.append(_("line %(line)s: no expert with e-mail %(value)s in %(region)s", line=line,
                                value=repr(row["expert_email"]), region=region.slug))
        result.errors.extend(errors)
        if not errors:
            result.rows.append(dict(line=line, code=code, received_on=received, municipality=town, partner=partner,
                                    kind=kind, client_gender=row["client_gender"] or None,
                                    client_perspective=row["client_perspective"] or None, status=status,
                                    closed_on=closed, expert=expert))
    if line == 1 and not result.errors:
        result.errors.append(_("line 2: the file has no rows"))
    return result


def import_requests(text: str, region: Region, dry_run: bool = False, user=None) -> ImportResult:
    """Parse and, when every row is good and not a dry run, store them all in one transaction."""
    result = parse(text, region)
    if result.errors or dry_run:
        return result
    try:
        for row in result.rows:
            _store(row, region, user)
        audit.record("create", object_type="Request", object_id="import", region_id=region.id, user=user,
                     detail=f"import of {len(result.rows)} rows")
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    result.imported = len(result.rows)
    return result


def _store(row: dict, region: Region, user) -> Request:
    req = Request(region_id=region.id, code=row["code"] or rules.next_code(row["received_on"].year),
                  received_on=row["received_on"], kind=row["kind"], status=row["status"],
                  municipality=row["municipality"], partner=row["partner"], client_gender=row["client_gender"],
                  client_perspective=row["client_perspective"], closed_on=row["closed_on"], imported=True,
                  close_reason="imported" if row["status"] == "closed" else "")
    db.session.add(req)
    req.events.append(CaseEvent(action="import", to_status=row["status"], user_id=getattr(user, "id", None),
                                detail=f"line {row['line']}"))
    expert = row["expert"]
    if expert is not None:
        state = {"registered": "proposed", "intake": "proposed", "closed": "ended"}.get(row["status"], "active")
        req.deployments.append(Deployment(expert_id=expert.id, state=state, end_on=row["closed_on"],
                                          ended_reason="imported" if state == "ended" else ""))
    db.session.flush()
    audit.record("create", req, region_id=region.id, user=user, detail=f"import line {row['line']}")
    return req
