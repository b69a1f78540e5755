"""Statistics on a small hand-made history with known answers.

Five weekly sessions of a group with members A, B, C, D (ids 1-4):

    session  status     facilitators  A   B   C   D
    1 Jan 2  held       ed-1          P   P   P   -
    2 Jan 9  held       ed-1          P   AN  A   -
    3 Jan 16 cancelled  -             -   -   -   -
    4 Jan 23 held       ed-2          P   P   A   P
    5 Jan 30 held       ed-2, ed-1    P   A   A   P

P present, AN absent with notice, A absent without notice.
"""
from datetime import date, datetime

from eih.extensions import db
from eih.plugins.supportgroups.models import Session
from eih.plugins.supportgroups.reports import (
    AttendanceRow,
    ParticipantRow,
    SessionRow,
    attendance_range,
    attendance_rate_per_member,
    average_attendance,
    consecutive_absences,
    distinct_participants,
    facilitator_continuity,
    group_stats,
    sessions_cancelled,
    sessions_held,
    waitlist_figures,
)
from eih.plugins.supportgroups.rules import record_attendance
from tests.dates import every_date

from .helpers import expert, group, person

S = [SessionRow(1, datetime(2024, 1, 2, 19), "held", frozenset({"ed-1"})),
     SessionRow(2, datetime(2024, 1, 9, 19), "held", frozenset({"ed-1"})),
     SessionRow(3, datetime(2024, 1, 16, 19), "cancelled"),
     SessionRow(4, datetime(2024, 1, 23, 19), "held", frozenset({"ed-2"})),
     SessionRow(5, datetime(2024, 1, 30, 19), "held", frozenset({"ed-2", "ed-1"}))]
GRID = {1: "P P P -", 2: "P AN A -", 4: "P P A P", 5: "P A A P"}
CODES = {"P": "present", "AN": "absent-notice", "A": "absent"}
A = [AttendanceRow(sid, pid, CODES[mark]) for sid, row in GRID.items()
     for pid, mark in enumerate(row.split(), start=1) if mark != "-"]
P = [ParticipantRow(1, "A", "member", date(2023, 12, 1)), ParticipantRow(2, "B", "member", date(2023, 12, 1)),
     ParticipantRow(3, "C", "member", date(2023, 12, 1)), ParticipantRow(4, "D", "member", date(2024, 1, 1)),
     ParticipantRow(5, "E", "waitlist", date(2024, 1, 10)),
     ParticipantRow(6, "F", "waitlist", date(2024, 1, 24)),
     ParticipantRow(7, "G", "member", date(2024, 1, 1), left_waitlist_on=date(2024, 1, 20))]


def test_sessions_held_and_cancelled():
    assert (sessions_held(S), sessions_cancelled(S)) == (4, 1)


def test_distinct_participants_counts_people_present_at_least_once():
    assert distinct_participants(S, A) == 4
    only_late_sessions = [r for r in A if r.session_id in (4, 5)]
    assert distinct_participants(S, only_late_sessions) == 3  # C was absent both times


def test_average_and_range_of_attendance_per_held_session():
    assert average_attendance(S, A) == 2.25  # (3 + 1 + 3 + 2) / 4
    assert attendance_range(S, A) == (1, 3)


def test_attendance_rate_per_member():
    assert attendance_rate_per_member(S, A) == {1: 1.0, 2: 0.5, 3: 0.25, 4: 1.0}


def test_members_with_three_absences_in_a_row():
    assert consecutive_absences(S, A, P, n=3) == {3: 3}
    assert consecutive_absences(S, A, P, n=2) == {3: 3}
    assert consecutive_absences(S, A, P, n=1) == {2: 1, 3: 3}


def test_someone_who_left_raises_no_alert():
    left = [p if p.id != 3 else ParticipantRow(3, "C", "left", p.registered_on) for p in P]
    assert consecutive_absences(S, A, left, n=3) == {}


def test_facilitator_continuity_and_changes():
    # pairs (1,2) kept, (2,4) changed, (4,5) kept: ed-2 led both; two changes of the set
    assert facilitator_continuity(S) == (0.667, 2)


def test_continuity_of_a_single_session_is_unknown():
    assert facilitator_continuity(S[:1]) == (None, 0)


def test_waitlist_length_and_waiting_time_on_a_date():
    # E waits 21 days, F 7 days; G had left the waitlist by then
    assert waitlist_figures(P, date(2024, 1, 31)) == {"waitlist_length": 2, "waiting_days_average": 14.0,
                                                      "waiting_days_max": 21}
    # on 15 January: E (5 days) and G (14 days) were waiting, F had not registered yet
    assert waitlist_figures(P, date(2024, 1, 15))["waitlist_length"] == 2


def test_group_stats_reads_the_same_history_from_the_database(app):
    with app.app_context():
        g = group(intro_required=False)
        people = [person(g, n) for n in "ABCD"]
        e1, e2 = expert("youssef"), expert("marco")
        leaders = {1: [e1], 2: [e1], 4: [e2], 5: [e2, e1]}
        g.facilitators_per_session = 2
        for row in S:
            start = row.starts_at
            session = Session(group=g, starts_at=start, ends_at=start.replace(hour=21), status="planned")
            db.session.add(session)
            if row.status == "cancelled":
                session.status, session.cancel_reason = "cancelled", "ziek"
                continue
            session.facilitators = leaders[row.id]
            marks = {people[i].id: CODES[m] for i, m in enumerate(GRID[row.id].split()) if m != "-"}
            record_attendance(session, marks, today=date(2024, 2, 1))
        figures = group_stats(g, date(2024, 1, 1), date(2024, 1, 31))
        assert (figures["sessions_held"], figures["sessions_cancelled"], figures["distinct_participants"]) == (4, 1, 4)
        assert (figures["average_attendance"], figures["attendance_min"], figures["attendance_max"]) == (2.25, 1, 3)
        assert figures["consecutive_absences"] == [{"participant": "C", "absences": 3}]
        assert (figures["facilitator_continuity"], figures["facilitator_changes"]) == (0.667, 2)
        assert [p["present"] for p in figures["attendance_per_session"]] == [3, 1, 3, 2]
        # a shorter period sees only its own rows
        assert group_stats(g, date(2024, 1, 1), date(2024, 1, 10))["sessions_held"] == 2


@every_date
def test_stats_page_shows_the_alert_and_a_chart(app, client, auth):
    from .helpers import by_slug
    with app.app_context():
        gid = by_slug("mannengroep").id
    auth.login("coordinator")
    page = client.get(f"/admin/supportgroups/group/{gid}/stats").get_data(as_text=True)
    assert "<svg" in page and "Kevin (3)" in page
    csv_text = client.get(f"/admin/supportgroups/group/{gid}/stats.csv").get_data(as_text=True)
    assert csv_text.splitlines()[0].startswith("group,start,end,sessions_held") and "Kevin" not in csv_text
