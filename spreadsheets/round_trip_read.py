"""Reads an edited plan-and-figures workbook (spreadsheets/plan_export) back into typed cells.

The same safety checks as the plan import run on the raw bytes first. Columns are
found by header in the "Values" and "Ratings" sheets (with the read-only comparator
columns of Values, so the round trip can say when they were edited); every cell that
cannot be read is reported by sheet, row and column, and nothing is written here.

A workbook is of one plan, named in the Plan column of every row: action codes are unique
only within a plan, so a workbook whose plan is missing, unknown or mixed is refused.
"""

import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import TextChoices
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from actions.models import Plan
from bury_eis.exports import FORMULA_STARTS
from kpis.comparisons import SLOT_HEADER
from kpis.figures import FigureError, figure_problem, parse_figure
from kpis.models import KPI
from spreadsheets.plan_cells import header_key
from spreadsheets.plan_export import (
    PLAN_COLUMN,
    RATING_COLUMNS,
    RATING_FIELDS,
    RATINGS_SHEET,
    VALUE_COLUMNS,
    VALUE_FIELDS,
    VALUES_SHEET,
)
from spreadsheets.plan_workbook import counted_rows
from spreadsheets.upload_checks import (
    PlanFileError,
    UploadLimits,
    sha256_hex,
    workbook_upload_check,
)

VALUE_KEYS = ("Action code", "KPI ref", "Term", "Group")
RATING_KEYS = ("Action code", "Term")


@dataclass
class SheetRow:
    """One row of a sheet: where it is and its cells by column header."""

    sheet: str
    number: int
    cells: dict[str, object]

    def where(self, column: str | None = None) -> str:
        at = f'Sheet "{self.sheet}", row {self.number}'
        return f'{at}, column "{column}"' if column else at


@dataclass
class RoundTripFile:
    """The workbook's plan (None when it has no rows), its Values and Ratings rows, and what
    to warn about."""

    checksum: str
    values: list[SheetRow]
    ratings: list[SheetRow]
    warnings: list[str] = field(default_factory=list)
    plan: Plan | None = None


def round_trip_file_read(data: bytes, *, name: str) -> RoundTripFile:
    """Check the upload as the plan import does, then read its two sheets.

    Raises PlanFileError (what and where) if it is not a workbook this page exported.
    """
    limits = UploadLimits(max_bytes=settings.PLAN_UPLOAD_MAX_BYTES)
    warnings = workbook_upload_check(data, name=name, limits=limits)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise PlanFileError(
            [f"{name} is not an Excel workbook (.xlsx) that can be read: {exc}"]
        ) from None
    try:
        if VALUES_SHEET not in book.sheetnames and RATINGS_SHEET not in book.sheetnames:
            raise PlanFileError(
                [
                    f'{name} has no "{VALUES_SHEET}" or "{RATINGS_SHEET}" sheet. Download the plan '
                    "with its figures from this page, fill it in and upload that."
                ]
            )
        values = _sheet_rows(book, VALUES_SHEET, VALUE_COLUMNS, VALUE_KEYS)
        ratings = _sheet_rows(book, RATINGS_SHEET, RATING_COLUMNS, RATING_KEYS)
    finally:
        book.close()
    plan = _workbook_plan([*values, *ratings])
    return RoundTripFile(sha256_hex(data), values, ratings, warnings, plan)


def _workbook_plan(rows: list[SheetRow]) -> Plan | None:
    """The one plan every row names, by name, short name or slug; PlanFileError naming each
    row whose plan is missing, unknown or not the first row's."""
    plans = list(Plan.objects.all())
    known = {header_key(p.name): p for p in plans} | {header_key(p.short_name): p for p in plans}
    known |= {header_key(p.slug): p for p in plans}
    names = ", ".join(f'"{p.name}"' for p in plans)
    problems: list[str] = []
    first: tuple[Plan, SheetRow] | None = None
    for row in rows:
        text = str(row.cells.get(PLAN_COLUMN) or "").strip()
        plan = known.get(header_key(text))
        if not text:
            problem = f"enter the plan the row belongs to, as downloaded: one of {names}."
        elif plan is None:
            problem = f'"{text[:60]}" is not a plan here; the plans are {names}.'
        elif first is None or first[0] == plan:
            first = first or (plan, row)
            continue
        else:
            problem = (
                f'the row is for "{plan.name}" but row {first[1].number} of sheet '
                f'"{first[1].sheet}" is for "{first[0].name}". A workbook holds one plan: '
                "download each plan's own."
            )
        problems.append(f"{row.where(PLAN_COLUMN)}: {problem}")
    if problems:
        raise PlanFileError(problems)
    return first[0] if first else None


def _sheet_rows(book, title: str, expected: list[str], keys: tuple[str, ...]) -> list[SheetRow]:
    if title not in book.sheetnames:
        return []
    # Counted as read, not as the sheet's <dimension> claims (see counted_rows).
    rows = counted_rows(book[title])
    header = next(rows, ()) or ()
    found = {header_key(h): i for i, h in enumerate(header) if h not in (None, "")}
    missing = [c for c in (PLAN_COLUMN, *keys, *_editable(title)) if header_key(c) not in found]
    if missing:
        names = ", ".join(f'"{m}"' for m in missing)
        raise PlanFileError([f'Sheet "{title}", row 1: missing column(s) {names}.'])
    columns = {name: found[header_key(name)] for name in expected if header_key(name) in found}
    if title == VALUES_SHEET:
        columns |= {h: i for i, h in enumerate(header) if SLOT_HEADER.fullmatch(str(h or ""))}
    result = []
    for number, values in enumerate(rows, start=2):
        cells = {n: values[i] if i < len(values) else None for n, i in columns.items()}
        if any(cells.get(k) not in (None, "") for k in keys):
            result.append(SheetRow(title, number, cells))
    return result


def _editable(title: str) -> list[str]:
    return VALUE_FIELDS if title == VALUES_SHEET else RATING_FIELDS


class Cells:
    """Typed reads of one row's cells that collect problems instead of stopping at the first."""

    def __init__(self, row: SheetRow, problems: list[str], warnings: list[str]):
        self.row, self.problems, self.warnings = row, problems, warnings

    def fail(self, column: str, message: str) -> None:
        self.problems.append(f"{self.row.where(column)}: {message}")

    def raw(self, column: str) -> object:
        value = self.row.cells.get(column)
        return None if value == "" else value

    def text(self, column: str) -> str:
        """The cell as text; the apostrophe the export put before formula-like text is dropped."""
        value = self.raw(column)
        if value is None:
            return ""
        text = str(value).strip()
        if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
            return text[1:]
        if text.startswith("="):
            self.warnings.append(
                f"{self.row.where(column)}: a formula was kept as text and not calculated."
            )
        return text

    def figure(self, column: str, kpi: KPI, noun: str, whole: bool = False) -> Decimal | None:
        """The cell as a figure, read as the update page reads one (kpis.figures)."""
        value = self.raw(column)
        if isinstance(value, str) and value.strip().startswith("="):
            self.fail(column, f'"{value.strip()[:40]}" is a formula; type the figure itself.')
            return None
        try:
            number = parse_figure(value, whole=whole)
        except FigureError as error:
            self.fail(column, f"{figure_problem(kpi, noun, error)}.")
            return None
        return int(number) if whole and number is not None else number

    def choice(self, column: str, choices: type[TextChoices]) -> str:
        text = self.text(column)
        if not text:
            return ""
        known = {header_key(code): code for code in choices.values}
        known |= {header_key(label): code for code, label in choices.choices}
        if header_key(text) not in known:
            self.fail(column, f'"{text[:40]}" is not one of: {", ".join(choices.labels)}.')
            return ""
        return known[header_key(text)]
