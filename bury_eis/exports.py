"""Tables out to CSV and Excel, with every cell made safe to open in a spreadsheet.

In Excel every figure is a number and every date a date, each with a number format saying
how to show it (`number_format`); identifiers such as action codes ("1.10") and periods
("2028") are text formatted as text, so Excel never turns them into numbers.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

# A spreadsheet treats text starting with these as a formula (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

DATE_FORMAT = "d mmm yyyy"
DATETIME_FORMAT = "d mmm yyyy hh:mm"
WHOLE_FORMAT = "#,##0"
TEXT_FORMAT = "@"
# Figures are stored to 4 decimal places (kpis.models); a float shows no more than that.
MOST_PLACES = 4
# Columns whose cells are names, codes or periods, never figures, by their header: "1.10",
# "1.2(a)(i)" and "2028" stay as written. A header ending " period" is one too.
TEXT_COLUMNS = frozenset(
    {
        "Code",
        "Action code",
        "Action",
        "KPI ref",
        "KPI",
        "Ref",
        "Measure ref",
        "Outcome code",
        "Area code",
        "Risk",
        "Term",
        "Reported in",
        "Period",
    }
)


def neutralise(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe.

    Numbers are left as numbers: a negative number is data, not a formula.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def excel_value(value: object) -> object:
    """A value as its cell holds it: a Decimal as the int or float it is (74, 38.7), text
    neutralised against formulas, anything else as it is."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return neutralise(value)


def number_format(value: object) -> str | None:
    """How a cell holding `value` shows it: dates as dates, whole numbers with thousands
    separators, other figures with their own decimals (38.7, 6.25) and no padding zeros;
    None (Excel's General) for text, blanks and true/false."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return None
    if isinstance(value, datetime):
        return DATETIME_FORMAT
    if isinstance(value, date):
        return DATE_FORMAT
    if isinstance(value, int):
        return WHOLE_FORMAT
    if isinstance(value, float | Decimal):
        places = -Decimal(str(value)).normalize().as_tuple().exponent
        places = min(max(places, 0), MOST_PLACES)
        return WHOLE_FORMAT + ("." + "0" * places if places else "")
    return None


def is_text_column(header: object) -> bool:
    """Whether a column (by its header) holds names, codes or periods, never figures."""
    return isinstance(header, str) and (header in TEXT_COLUMNS or header.endswith(" period"))


def format_cell(cell: Cell, *, text: bool = False) -> None:
    """Give `cell` the number format its value needs; in a `text` column, text and blanks
    are formatted as text so a code typed there stays one."""
    shown = number_format(cell.value)
    if shown:
        cell.number_format = shown
    elif text and (cell.value is None or isinstance(cell.value, str)):
        cell.number_format = TEXT_FORMAT


def format_sheet(sheet: Worksheet, *, header_row: int = 1) -> None:
    """Number formats for every cell of `sheet`; below its header (`header_row`), the text
    columns are told by their header (`is_text_column`)."""
    headers = [cell.value for cell in sheet[header_row]]
    text = {i for i, header in enumerate(headers) if is_text_column(header)}
    for row in sheet.iter_rows():
        for index, cell in enumerate(row):
            format_cell(cell, text=cell.row > header_row and index in text)


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
            sheet.append([excel_value(v) for v in row])
        for row in sheet.iter_rows(min_row=1, max_row=top):
            for cell in row:
                cell.font = Font(bold=True)
        sheet.freeze_panes = f"A{top + 1}"
        format_sheet(sheet, header_row=top)
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
