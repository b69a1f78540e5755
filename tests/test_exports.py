"""Downloads: formula protection, the access log, and XLSX that reads back as written."""
from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from eih.exports import csv_response, safe_cell, safe_filename, xlsx_response
from eih.extensions import db
from eih.models import AuditEvent


def test_a_cell_that_would_be_a_spreadsheet_formula_is_quoted():
    for hostile in ("=1+2", "+31 6", "-cmd", "@SUM(A1)", "\t=1", "\r=1"):
        assert safe_cell(hostile) == "'" + hostile
    assert safe_cell("Rotterdam") == "Rotterdam"
    assert safe_cell(12) == 12 and safe_cell(-3.5) == -3.5  # numbers stay numbers


def test_a_file_name_keeps_nothing_that_could_break_the_header():
    assert safe_filename('rapport "2026"\r\n.csv') == "rapport-2026-.csv"
    assert safe_filename("../../etc/passwd") == "etc-passwd"


def test_csv_and_xlsx_downloads_are_logged_and_read_back(app):
    with app.test_request_context():
        response = csv_response("aanvragen.csv", ["gemeente", "aantal"], [["Schiedam", 3], ["=HYPERLINK()", 1]],
                                object_type="Request", region_id=None)
        text = response.get_data(as_text=True).lstrip("\ufeff")
        rows = list(csv.reader(io.StringIO(text)))
        assert rows == [["gemeente", "aantal"], ["Schiedam", "3"], ["'=HYPERLINK()", "1"]]
        assert 'filename="aanvragen.csv"' in response.headers["Content-Disposition"]
        response = xlsx_response("aanvragen.xlsx", [("Gemeenten: 2026/Q1", ["gemeente", "aantal"], [["Schiedam", 3]])],
                                 object_type="Request")
        book = load_workbook(io.BytesIO(response.get_data()))
        sheet = book.worksheets[0]
        assert sheet.title == "Gemeenten- 2026-Q1"
        assert [[c.value for c in row] for row in sheet.iter_rows()] == [["gemeente", "aantal"], ["Schiedam", 3]]
        exports = db.session.query(AuditEvent).filter_by(action="export", object_type="Request").count()
        assert exports == 2
