"""What every spreadsheet export (Excel or CSV) writes into a cell.

A text that begins with =, +, -, @, tab or CR is a formula to Excel, LibreOffice and WPS ("CSV injection"): a
constituent's title `=HYPERLINK(...)` would become a live link in the staff member's register. Following OWASP,
such a text gets a leading single quote, which makes it plain text to every spreadsheet program; openpyxl then
writes it as a string cell, never as a formula. Numbers, dates and None are left as they are.
"""

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]
