"""Contract and overtime per week (shrunk by leave as the solver shrinks it), the overtime
balance with time off in lieu, and the monthly CSV for the salary administration."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta

from eih.extensions import db
from eih.hours import rules
from eih.hours.salary import month_weeks
from eih.hours.work import Row, balance, figures
from eih.models import AuditEvent, Unavailability
from tests.hours.helpers import new_expert, this_monday


def _row(day, hours, activity="training"):
    return Row(day=day, hours=hours, activity=activity, label="", origin="own")


def test_a_weeks_contract_shrinks_by_whole_days_of_leave_and_overtime_is_above_the_maximum(app):
    with app.app_context():
        tess = new_expert(min_hours=16, max_hours=24, overtime_hours=4)
        monday = date(2026, 11, 16)
        # Thursday and Friday off: 5 of 7 days left
        db.session.add(Unavailability(expert=tess, reason="leave", start=datetime.combine(monday + timedelta(days=3), time()),
                                      end=datetime.combine(monday + timedelta(days=5), time())))
        db.session.flush()
        week = figures(tess, monday, [_row(monday, 10), _row(monday + timedelta(days=1), 10)])
        assert (week.leave_days, week.min_hours, week.max_hours, week.limit_hours) == (2, 11.43, 17.14, 20.0)
        assert week.overtime == 2.86 and not week.above_limit
        more = figures(tess, monday, [_row(monday, 12), _row(monday + timedelta(days=1), 9)])
        assert more.above_limit  # 21 h against 20 h with overtime


def test_time_off_in_lieu_counts_for_the_minimum_but_is_not_work(app):
    with app.app_context():
        tess = new_expert(min_hours=16, max_hours=24)
        monday = date(2026, 11, 16)
        week = figures(tess, monday, [_row(monday, 12), _row(monday + timedelta(days=1), 4, "compensation")])
        assert (week.worked, week.compensation, week.below_min, week.overtime) == (12, 4, 0, 0)
        assert figures(tess, monday, [_row(monday, 12)]).below_min == 4


def _approved_week(person, monday, days, lead=None, approve=True):
    for i, (hours, activity) in enumerate(days):
        rules.add_row(person, monday, day=monday + timedelta(days=i), hours=hours, activity=activity)
    sheet = rules.submit(person, monday)
    if approve:
        rules.approve(sheet, lead)
    return sheet


def test_the_balance_adds_overtime_of_approved_weeks_and_takes_off_time_off_in_lieu(app):
    with app.app_context():
        tess = new_expert(min_hours=16, max_hours=24, overtime_hours=4)
        this = this_monday()
        _approved_week(tess, this - timedelta(weeks=3), [(7, "training")] * 4)  # 28 h: 4 over
        _approved_week(tess, this - timedelta(weeks=2), [(8, "training")] * 2 + [(3, "compensation")])  # 3 off
        _approved_week(tess, this - timedelta(weeks=1), [(9, "training")] * 3, approve=False)  # 27 h, not approved
        db.session.commit()
        assert balance(tess) == 1
        assert balance(tess, until=this - timedelta(weeks=3)) == 4


def test_the_expert_reads_the_balance_in_my_schedule_and_the_lead_on_the_load_overview(app, client, auth):
    with app.app_context():
        tess = new_expert(min_hours=16, max_hours=24, overtime_hours=4)
        _approved_week(tess, this_monday() - timedelta(weeks=2), [(7.75, "training")] * 4)  # 31 h: 7 over
        db.session.commit()
    auth.login("tess@test.example")
    assert "Overurensaldo: <strong>7 u</strong>" in client.get("/admin/my-schedule/").get_data(as_text=True)
    assert "7 u" in client.get("/admin/hours/").get_data(as_text=True)
    auth.logout()
    auth.login("lead")
    page = client.get("/admin/load/").get_data(as_text=True)
    assert "overurensaldo 7 u" in page


def test_a_week_belongs_to_the_month_of_its_thursday():
    assert month_weeks(2026, 11) == [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]
    assert month_weeks(2026, 12)[-1] == date(2026, 12, 28)  # Thursday 31 December
    assert month_weeks(2027, 1)[0] == date(2027, 1, 4)  # 1 January 2027 is a Friday


def test_the_monthly_csv_for_the_salary_administration(app, client, auth):
    with app.app_context():
        tess = new_expert(min_hours=16, max_hours=24, overtime_hours=4)
        monday = this_monday() - timedelta(weeks=2)
        _approved_week(tess, monday, [(7, "training")] * 3 + [(5, "travel")])  # 26 h: 2 over
        db.session.commit()
        tess_id = tess.id
    thursday = monday + timedelta(days=3)
    auth.login("lead")
    response = client.get(f"/admin/hours/month.csv?expert={tess_id}&month={thursday:%Y-%m}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    header, weeks = rows[0], {r[0]: r for r in rows[1:]}
    assert header[:4] == ["Week", "Maandag", "Status", "Verlofdagen"] and "Reistijd (u)" in header
    row = dict(zip(header, weeks[f"{monday:%G-W%V}"]))
    assert row["Status"] == "goedgekeurd" and row["Gewerkt (u)"] == "26.0" and row["Overuren (u)"] == "2.0"
    assert row["Overurensaldo na deze week (u)"] == "2.0" and row["Training (u)"] == "21.0"
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(action="export", detail="salary csv").count() == 1
    assert client.get(f"/admin/hours/month.csv?expert={tess_id}&month=dertien").status_code == 302
