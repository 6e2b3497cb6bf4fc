"""Tables out to CSV and Excel, with every cell made safe to open in a spreadsheet."""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

# A spreadsheet treats text starting with these as a formula (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe.

    Numbers are left as numbers: a negative number is data, not a formula.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel reads £ and accents correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(sheets: dict[str, Iterable[Sequence[object]]], *, banner: str = "") -> bytes:
    """One worksheet per entry; the first row of each is its bold, frozen header.

    A `banner` (e.g. that the figures are demo data) goes above the header of every sheet,
    bold and frozen with it, and into every printed page's header.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    top = 2 if banner else 1
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title[:31])
        if banner:
            sheet.append([neutralise(banner)])
            sheet.oddHeader.center.text = banner.replace("&", "&&")
        for row in rows:
            sheet.append([neutralise(v) for v in row])
        for row in sheet.iter_rows(min_row=1, max_row=top):
            for cell in row:
                cell.font = Font(bold=True)
        sheet.freeze_panes = f"A{top + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def table_download(rows: Iterable[Sequence[object]], fmt: str, stem: str) -> HttpResponse:
    """A table's rows (header first) as `stem`.csv or `stem`.xlsx."""
    rows = list(rows)
    if fmt == "xlsx":
        return download(xlsx_bytes({stem: rows}), XLSX_TYPE, f"{stem}.xlsx")
    return download(csv_bytes(rows), CSV_TYPE, f"{stem}.csv")
