"""Downloads people take away: CSV and XLSX tables.

Every export goes through here so that each one is written to the access log,
protected against spreadsheet formulas (a cell starting with = + - @ or a tab or
carriage return is prefixed with an apostrophe, as OWASP advises for CSV
injection) and sent with a safe file name.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from flask import Response
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from . import audit
from .extensions import db

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIMETYPE = "text/csv; charset=utf-8"


def safe_cell(value):
    """A value as it may go into a spreadsheet: text that would start a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_filename(name: str) -> str:
    """Letters, digits, dot, dash and underscore only: nothing that breaks a header."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "export"


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return out.getvalue()


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]]) -> bytes:
    """One workbook; each sheet is (title, header, rows). Numbers stay numbers."""
    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title=safe_sheet_title(title))
        sheet.append([safe_cell(h) for h in header])
        for row in rows:
            sheet.append([safe_cell(v) for v in row])
        for i, name in enumerate(header, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = max(10, min(60, len(str(name)) + 4))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def safe_sheet_title(title: str) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name."""
    return re.sub(r"[\[\]:*?/\\]", "-", str(title))[:31] or "Blad"


def _log(obj, object_type: str | None, object_id, region_id, detail: str) -> None:
    audit.record("export", obj, object_type=object_type, object_id=object_id if object_id is not None else "*",
                 region_id=region_id, detail=detail)
    db.session.commit()


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence], *, obj=None,
                 object_type: str | None = None, object_id=None, region_id: int | None = None,
                 detail: str = "") -> Response:
    """A CSV download, logged as an export (the caller has checked access)."""
    body = csv_text(header, rows)
    _log(obj, object_type, object_id, region_id, detail or "csv")
    # the byte order mark lets spreadsheet programs read the UTF-8 (ë, ü) correctly
    return Response("\ufeff" + body, mimetype=CSV_MIMETYPE,
                    headers={"Content-Disposition": f'attachment; filename="{safe_filename(filename)}"'})


def xlsx_response(filename: str, sheets, *, obj=None, object_type: str | None = None, object_id=None,
                  region_id: int | None = None, detail: str = "") -> Response:
    """An XLSX download (openpyxl), logged as an export."""
    body = xlsx_bytes(sheets)
    _log(obj, object_type, object_id, region_id, detail or "xlsx")
    return Response(body, mimetype=XLSX_MIMETYPE,
                    headers={"Content-Disposition": f'attachment; filename="{safe_filename(filename)}"'})
