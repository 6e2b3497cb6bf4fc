"""Workbooks the tests build themselves, in the import template's layout."""

import io

from openpyxl import Workbook

from kpis.plan_template import REQUIRED_COLUMNS, SHEET_NAME

HEADER = list(REQUIRED_COLUMNS)


def workbook_bytes(rows: list[list], header: list[str] = HEADER) -> bytes:
    """An .xlsx with one sheet named as the template's, a header row and `rows`."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_NAME
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
