"""Workbooks the tests build themselves, in the import template's layout."""

import io
import re
import zipfile

from openpyxl import Workbook

from spreadsheets.plan_template import REQUIRED_COLUMNS, SHEET_NAME

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


def with_dimension(data: bytes, ref: str) -> bytes:
    """The workbook with every sheet's <dimension> claiming `ref` (e.g. "A1:H10"), rows unchanged.

    Whatever writes a file sets this size; a reader that trusts it misses rows past it.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                content, found = re.subn(
                    rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), content
                )
                assert found == 1, item.filename
            target.writestr(item, content)
    return out.getvalue()
