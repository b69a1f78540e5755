"""Importing attendance (all rows or none) and the stats command."""
# Messages are Dutch: the default locale, also outside a request (CLI).
import json
from datetime import date

from eih import clock
from eih.extensions import db
from eih.plugins.supportgroups.models import Attendance, Participant, Session
from tests.dates import every_date

from .helpers import by_slug, group, person


def _counts(app):
    with app.app_context():
        return (db.session.query(Session).count(), db.session.query(Participant).count(),
                db.session.query(Attendance).count())


def _write(tmp_path, text):
    path = tmp_path / "attendance.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_import_creates_held_sessions_and_members(app, runner, tmp_path):
    with app.app_context():
        group(slug="oud", intro_required=False)
        db.session.commit()
    path = _write(tmp_path, "session_date,participant,status\n2024-01-02,Jan,present\n2024-01-02,Piet,absent-notice\n"
                            "2024-01-09,Jan,absent\n")
    result = runner.invoke(args=["supportgroups", "import-attendance", path, "--group", "oud"])
    assert result.exit_code == 0, result.output
    assert "2 sessions and 2 participants created" in result.output
    with app.app_context():
        g = by_slug("oud")
        assert [(s.date, s.status, s.starts_at.hour) for s in g.sessions] == [
            (date(2024, 1, 2), "held", 19), (date(2024, 1, 9), "held", 19)]
        assert sorted((p.name, p.status) for p in g.participants) == [("Jan", "member"), ("Piet", "member")]
        marks = {(a.session.date.day, a.participant.name): a.status
                 for a in db.session.query(Attendance).join(Session).filter(Session.group_id == g.id)}
        assert marks == {(2, "Jan"): "present", (2, "Piet"): "absent-notice", (9, "Jan"): "absent"}


def test_import_with_one_bad_line_imports_nothing_and_names_every_line(app, runner, tmp_path):
    before = _counts(app)
    path = _write(tmp_path, "session_date,participant,status\n2024-01-02,Jan,present\n2024-13-01,Piet,present\n"
                            "2024-01-02,Kees,late\n2024-01-02,Jan,absent\n2024-01-09,Anna\n")
    result = runner.invoke(args=["supportgroups", "import-attendance", path, "--group", "mannengroep"])
    assert result.exit_code == 2
    for line in ("regel 3: geen datum", "regel 4: onbekende status", "regel 5: Jan staat twee keer", "regel 6: 3 kolommen"):
        assert line in result.output
    assert "nothing was imported" in result.output
    assert _counts(app) == before


def test_import_into_a_first_name_only_group_refuses_surnames(app, runner, tmp_path):
    before = _counts(app)
    path = _write(tmp_path, "session_date,participant,status\n2024-01-02,Jan,present\n2024-01-02,Jan de Vries,present\n")
    result = runner.invoke(args=["supportgroups", "import-attendance", path, "--group", "mannengroep"])
    assert result.exit_code == 2 and "regel 3: Deze groep bewaart alleen voornamen" in result.output
    assert _counts(app) == before


def test_import_refuses_someone_on_the_waitlist(app, runner, tmp_path):
    before = _counts(app)
    path = _write(tmp_path, "session_date,participant,status\n2024-01-02,Rachid,present\n")
    result = runner.invoke(args=["supportgroups", "import-attendance", path, "--group", "mannengroep"])
    assert result.exit_code == 2 and "Rachid was toen geen lid" in result.output
    assert _counts(app) == before


def test_import_refuses_future_dates_a_wrong_header_and_an_unknown_group(app, runner, tmp_path):
    before = _counts(app)
    future = _write(tmp_path, "session_date,participant,status\n2999-01-01,Jan,present\n")
    assert "ligt in de toekomst" in runner.invoke(
        args=["supportgroups", "import-attendance", future, "--group", "mannengroep"]).output
    header = _write(tmp_path, "date,name,status\n2024-01-02,Jan,present\n")
    assert "regel 1: de kopregel moet" in runner.invoke(
        args=["supportgroups", "import-attendance", header, "--group", "mannengroep"]).output
    result = runner.invoke(args=["supportgroups", "import-attendance", header, "--group", "nope"])
    assert result.exit_code == 2 and "unknown group 'nope'" in result.output
    assert _counts(app) == before


def test_import_adds_a_new_member_only_through_the_membership_rule(app, runner, tmp_path):
    with app.app_context():
        group(slug="kennismaking", intro_required=True)
        db.session.commit()
    before = _counts(app)
    path = _write(tmp_path, "session_date,participant,status\n2024-01-02,Jan,present\n")
    result = runner.invoke(args=["supportgroups", "import-attendance", path, "--group", "kennismaking"])
    assert result.exit_code == 2
    assert "2024-01-02: Jan heeft eerst het kennismakingsgesprek nodig" in result.output
    assert _counts(app) == before


def test_import_refuses_more_members_than_the_group_holds(app, runner, tmp_path):
    with app.app_context():
        group(slug="klein", intro_required=False, capacity=1)
        db.session.commit()
    before = _counts(app)
    path = _write(tmp_path, "session_date,participant,status\n2024-01-02,Jan,present\n2024-01-02,Piet,present\n")
    result = runner.invoke(args=["supportgroups", "import-attendance", path, "--group", "klein"])
    assert result.exit_code == 2 and "De groep is vol (1 leden)." in result.output
    assert _counts(app) == before


def test_import_takes_no_newcomer_into_a_closed_group_once_it_has_started(app, runner, tmp_path):
    with app.app_context():
        group(slug="gesloten", intro_required=False, is_open=False)
        db.session.commit()
    before = _counts(app)
    path = _write(tmp_path, "session_date,participant,status\n2024-01-02,Jan,present\n2024-01-09,Jan,present\n"
                            "2024-01-09,Piet,present\n")
    result = runner.invoke(args=["supportgroups", "import-attendance", path, "--group", "gesloten"])
    assert result.exit_code == 2 and "2024-01-09: Dit is een gesloten groep" in result.output
    assert _counts(app) == before


def test_import_into_an_existing_session_marks_it_held(app, runner, tmp_path):
    with app.app_context():
        g = group(slug="bestaand", intro_required=False)
        from eih.plugins.supportgroups.rules import generate_sessions
        generate_sessions(g, date(2024, 1, 1), date(2024, 1, 3))
        person(g, "Jan")
        db.session.commit()
    path = _write(tmp_path, "session_date,participant,status\n2024-01-02,jan,present\n")
    assert runner.invoke(args=["supportgroups", "import-attendance", path, "--group", "bestaand"]).exit_code == 0
    with app.app_context():
        g = by_slug("bestaand")
        assert len(g.sessions) == 1 and g.sessions[0].status == "held" and len(g.participants) == 1


@every_date
def test_stats_command_prints_json_with_every_figure(app, runner):
    result = runner.invoke(args=["supportgroups", "stats", "--group", "mannengroep", "--from",
                                 "2000-01-01",
                                 "--to", clock.today().isoformat(), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    for key in ("sessions_held", "sessions_cancelled", "distinct_participants", "average_attendance",
                "attendance_min", "attendance_max", "attendance_rate", "consecutive_absences", "waitlist_length",
                "waiting_days_average", "facilitator_continuity", "facilitator_changes"):
        assert key in figures
    assert figures["distinct_participants"] == 7 and figures["waitlist_length"] == 2
    assert figures["consecutive_absences"] == [{"participant": "Kevin", "absences": 3}]
    text = runner.invoke(args=["supportgroups", "stats", "--group", "mannengroep", "--from", "2000-01-01",
                               "--to", clock.today().isoformat()]).output
    assert "distinct participants:  7" in text


def test_stats_command_refuses_bad_dates(runner):
    result = runner.invoke(args=["supportgroups", "stats", "--group", "mannengroep", "--from", "yesterday",
                                 "--to", "2024-01-01"])
    assert result.exit_code == 2 and "--from: not a date" in result.output
    result = runner.invoke(args=["supportgroups", "stats", "--group", "mannengroep", "--from", "2024-02-01",
                                 "--to", "2024-01-01"])
    assert result.exit_code == 2


def test_register_export_holds_pseudonyms_only_and_reads_back_as_import(app, client, auth):
    with app.app_context():
        women = by_slug("vrouwengroep")
        women.participants[0].surname = "Achternaam"
        db.session.commit()
        gid = women.id
    auth.login("coordinator")
    text = client.get(f"/admin/supportgroups/group/{gid}/register.csv?start=2000-01-01").get_data(as_text=True)
    assert text.splitlines()[0] == "session_date,participant,status"
    assert "Roos" in text and "Achternaam" not in text
