"""The one CSV writer of every export (reports today): cells a spreadsheet would evaluate are
neutralised.

A cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel, LibreOffice
and Google Sheets as a formula (`=HYPERLINK(...)` in an account id or a mention's text reached
the engagement CSV). Such text cells get a leading `'`, which spreadsheets show as text and
hide; numbers are written as numbers (a negative count stays a number).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """The value as written: None is empty; text that would be evaluated is quoted with `'`."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(rows: Iterable[Mapping[str, Any]]) -> str:
    """Rows as CSV, columns in order of first appearance; headers are escaped like cells."""
    rows = list(rows)
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    out = io.StringIO()
    # RFC 4180 line ends: the writer then quotes any cell holding a CR or LF of its own.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([cell(c) for c in columns])
    for row in rows:
        writer.writerow([cell(row.get(c)) for c in columns])
    return out.getvalue()
