"""``flask --app eih eih hours``: per expert contract, planned, worked per activity, overtime
and balance, as text, JSON (eih-hours/1) or CSV; bad input is one line and exit status 2."""
from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest

from eih.extensions import db
from eih.hours import rules
from tests.hours.helpers import new_expert, this_monday


def _tess_week(app):
    with app.app_context():
        tess = new_expert(min_hours=16, max_hours=24, overtime_hours=4)
        monday = this_monday() - timedelta(weeks=1)
        for i in range(4):
            rules.add_row(tess, monday, day=monday + timedelta(days=i), hours=6.5, activity="training")
        rules.add_row(tess, monday, day=monday + timedelta(days=4), hours=2, activity="travel")
        rules.approve(rules.submit(tess, monday), None)
        db.session.commit()
        return tess.code, monday


def test_json_gives_every_expert_with_contract_planned_worked_overtime_and_balance(app, runner):
    code, monday = _tess_week(app)
    result = runner.invoke(args=["eih", "hours", "--region", "rotterdam-rijnmond", "--week", f"{monday:%G-W%V}",
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["format"] == "eih-hours/1" and data["weeks"] == [f"{monday:%G-W%V}"]
    assert (data["from"], data["to"]) == (monday.isoformat(), (monday + timedelta(days=6)).isoformat())
    tess = next(e for e in data["experts"] if e["expert"] == code)
    assert tess["contract"] == {"min_hours": 16, "max_hours": 24, "overtime_hours": 4}
    assert (tess["min_hours"], tess["max_hours"], tess["limit_hours"]) == (16, 24, 28)
    assert (tess["worked_hours"], tess["overtime_hours"], tess["balance_hours"]) == (28, 4, 4)
    assert tess["by_activity"] == {"training": 26, "travel": 2} and tess["planned_hours"] == 0
    assert tess["weeks"][0]["status"] == "approved"
    assert len(data["experts"]) == 8  # the region's seven and Tess, never another region's


def test_text_and_csv_say_the_same(app, runner):
    code, monday = _tess_week(app)
    args = ["eih", "hours", "--region", "rotterdam-rijnmond", "--from", monday.isoformat(),
            "--to", (monday + timedelta(days=2)).isoformat()]
    text = runner.invoke(args=args)
    assert text.exit_code == 0 and "Tess" in text.output and "training 26, travel 2" in text.output
    table = runner.invoke(args=args + ["--format", "csv"])
    rows = {r["expert"]: r for r in csv.DictReader(io.StringIO(table.output))}
    assert rows[code]["worked_hours"] == "28.0" and rows[code]["training"] == "26.0"


@pytest.mark.parametrize("args, message", [
    (["--region", "nergens", "--week", "2026-W49"], "unknown region"),
    (["--region", "rotterdam-rijnmond"], "give --week, or --from and --to"),
    (["--region", "rotterdam-rijnmond", "--week", "2026-49"], "not an ISO week"),
    (["--region", "rotterdam-rijnmond", "--week", "2026-W49", "--from", "2026-12-01"], "not both"),
    (["--region", "rotterdam-rijnmond", "--from", "2026-12-01", "--to", "1 dec"], "--to is not a date"),
    (["--region", "rotterdam-rijnmond", "--from", "2026-12-08", "--to", "2026-12-01"], "--to is before --from"),
    (["--region", "rotterdam-rijnmond", "--from", "2020-01-01", "--to", "2026-12-01"], "at most 60 weeks"),
    (["--region", "rotterdam-rijnmond", "--week", "2026-W49", "--format", "xml"], "unknown format"),
])
def test_bad_input_is_one_line_and_exit_status_2(app, runner, args, message):
    result = runner.invoke(args=["eih", "hours", *args])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line]
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]
