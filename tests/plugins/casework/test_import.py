"""Import of the historical registration sheet: all rows or none.

Errors are Dutch, like the support-group import's: the default locale, also outside a request (CLI)."""
from eih.extensions import db
from eih.models import AuditEvent
from eih.plugins.casework.models import Request

HEADER = "code,received_on,municipality,partner,kind,client_gender,client_perspective,status,closed_on,expert_email\n"
GOOD = HEADER + (
    "EIH-2022-001,2022-01-10,Rotterdam,Arosa,regular,female,victim,closed,2022-04-01,amal@eih.example\n"
    "EIH-2022-002,2022-02-03,Schiedam,Politie,thv,male,perpetrator,active,,youssef@eih.example\n"
    "EIH-2022-003,2022-03-15,,,,,,registered,,\n"
)


def _write(tmp_path, text):
    path = tmp_path / "sheet.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def _imported(app):
    with app.app_context():
        return {r.code: r for r in db.session.query(Request).filter(Request.code.like("EIH-2022-%"))}


def test_good_file_imports_exactly(app, runner, tmp_path):
    result = runner.invoke(args=["casework", "import", _write(tmp_path, GOOD), "--region", "rotterdam-rijnmond"])
    assert result.exit_code == 0, result.output
    assert "imported 3" in result.output
    with app.app_context():
        rows = {r.code: r for r in db.session.query(Request).filter(Request.code.like("EIH-2022-%"))}
        assert set(rows) == {"EIH-2022-001", "EIH-2022-002", "EIH-2022-003"}
        first, second, third = rows["EIH-2022-001"], rows["EIH-2022-002"], rows["EIH-2022-003"]
        assert (first.status, str(first.closed_on), first.municipality.name, first.partner.name) == \
            ("closed", "2022-04-01", "Rotterdam", "Arosa")
        assert [(d.expert.name, d.state) for d in first.deployments] == [("Amal", "ended")]
        assert second.kind == "thv" and second.client_gender == "male" and second.status == "active"
        assert [(d.expert.name, d.state) for d in second.deployments] == [("Youssef", "active")]
        assert third.kind == "regular" and third.municipality is None and third.client_gender is None
        assert all(r.imported and r.events[0].action == "import" for r in rows.values())
        created = db.session.query(AuditEvent).filter_by(action="create", object_type="Request").count()
        assert created >= 3


def test_one_bad_row_imports_nothing_and_names_the_row(app, runner, tmp_path):
    bad = GOOD + "EIH-2022-004,2022-13-01,Atlantis,Arosa,regular,female,victim,active,,\n"
    result = runner.invoke(args=["casework", "import", _write(tmp_path, bad), "--region", "rotterdam-rijnmond"])
    assert result.exit_code == 2
    assert "regel 5: received_on '2022-13-01' is geen datum" in result.output
    assert "regel 5: onbekende gemeente 'Atlantis'" in result.output
    assert "nothing was imported" in result.output
    assert _imported(app) == {}


def test_every_kind_of_error_is_listed(app, runner, tmp_path):
    bad = HEADER + (
        "EIH-2022-001,2022-01-10,Rotterdam,Nobody,weird,x,y,done,,ghost@eih.example\n"
        "EIH-2022-001,2022-01-10,,,,,,active,2022-02-01,\n"
        "EIH-2022-009,2022-05-10,,,direct,,,closed,2022-01-01,noor.haaglanden@eih.example\n"
    )
    result = runner.invoke(args=["casework", "import", _write(tmp_path, bad), "--region", "rotterdam-rijnmond"])
    assert result.exit_code == 2
    for expected in ("regel 2: onbekende partnerorganisatie 'Nobody'", "regel 2: kind 'weird'",
                     "regel 2: client_gender 'x'", "regel 2: client_perspective 'y'", "regel 2: status 'done'",
                     "regel 2: geen ervaringsdeskundige met e-mailadres", "regel 3: code 'EIH-2022-001' bestaat al",
                     "regel 3: closed_on is ingevuld, maar de status is", "regel 4: kind 'direct' staat niet aan",
                     "regel 4: closed_on ligt vóór received_on",
                     "regel 4: geen ervaringsdeskundige met e-mailadres 'noor.haaglanden@eih.example'"):
        assert expected in result.output
    assert _imported(app) == {}


def test_dry_run_checks_but_imports_nothing(app, runner, tmp_path):
    result = runner.invoke(args=["casework", "import", _write(tmp_path, GOOD), "--region", "rotterdam-rijnmond",
                                 "--dry-run"])
    assert result.exit_code == 0 and "3 rows are correct" in result.output
    assert _imported(app) == {}


def test_wrong_columns_unknown_region_and_missing_file_are_refused(app, runner, tmp_path):
    result = runner.invoke(args=["casework", "import", _write(tmp_path, "code,date\nA,B\n"), "--region",
                                 "rotterdam-rijnmond"])
    assert result.exit_code == 2 and "regel 1: de kolommen moeten precies zijn" in result.output
    result = runner.invoke(args=["casework", "import", _write(tmp_path, GOOD), "--region", "atlantis"])
    assert result.exit_code == 2 and "unknown region 'atlantis'" in result.output
    result = runner.invoke(args=["casework", "import", str(tmp_path / "nope.csv"), "--region", "rotterdam-rijnmond"])
    assert result.exit_code == 2 and "cannot read" in result.output
    assert _imported(app) == {}


def test_import_twice_refuses_the_duplicates(app, runner, tmp_path):
    path = _write(tmp_path, GOOD)
    assert runner.invoke(args=["casework", "import", path, "--region", "rotterdam-rijnmond"]).exit_code == 0
    again = runner.invoke(args=["casework", "import", path, "--region", "rotterdam-rijnmond"])
    assert again.exit_code == 2 and "bestaat al" in again.output
    assert len(_imported(app)) == 3
