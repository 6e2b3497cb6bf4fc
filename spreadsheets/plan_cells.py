"""Typed access to the cells of one spreadsheet row, shared by the plan readers.

Each reader names its columns by header; a header is matched in one normal form
(`header_key`), so a heading typed in full-width letters or with a non-breaking space still
matches. A problem with a cell is collected with its sheet,
row and column rather than stopping the read, so a council admin sees every problem at once.
"""

import re
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from spreadsheets.plan_text import fold
from spreadsheets.upload_checks import PlanFileError

# Spaces a spreadsheet keeps but no one sees: non-breaking, zero-width and byte-order marks.
# NFKC already turns U+00A0 into a space; the zero-width ones it leaves alone.
_HIDDEN_SPACES = dict.fromkeys(map(ord, "\u00a0\u200b\u200c\u200d\u2060\ufeff"), " ")


def header_key(header: object) -> str:
    """The form a column header (or a coded cell) is matched in, used by every reader:
    Unicode NFKC (full-width letters become ASCII), hidden spaces as spaces, then case,
    spaces, hyphens and underscores ignored."""
    text = unicodedata.normalize("NFKC", str(header or "")).translate(_HIDDEN_SPACES)
    return re.sub(r"[\s_\-]+", "", text).casefold()


class ColumnsToMatch(PlanFileError):
    """A header row with headings the reader does not know: someone must say which column
    each is (or that it is not needed) before the file can be read. `unknown` holds the
    headings as written, `missing` the required columns not found, `known` the columns found.
    """

    def __init__(self, sheet: str, *, unknown: list[str], missing: list[str], known: list[str]):
        self.sheet, self.unknown, self.missing, self.known = sheet, unknown, missing, known
        problems = [
            f'Sheet "{sheet}", row 1, column "{heading}": is not a column of the template. '
            "Rename it to one of the template's columns, or match it on the import page."
            for heading in unknown
        ]
        if missing:
            names = ", ".join(f'"{m}"' for m in missing)
            problems.append(f'Sheet "{sheet}", row 1: missing required column(s) {names}.')
        super().__init__(problems)

    def as_json(self) -> dict:
        return {
            "sheet": self.sheet,
            "unknown": self.unknown,
            "missing": self.missing,
            "known": self.known,
        }


class Cells:
    """Typed access to one row's cells, collecting problems instead of stopping at the first."""

    def __init__(
        self, sheet: str, row: int, values: tuple, columns: dict, problems: list, warnings: list
    ):
        self.sheet, self.row, self.values, self.columns = sheet, row, values, columns
        self.problems, self.warnings = problems, warnings

    def fail(self, column: str, message: str) -> None:
        self.problems.append(f'Sheet "{self.sheet}", row {self.row}, column "{column}": {message}')

    def text(self, column: str, required: bool = False) -> str:
        raw = self.raw(column)
        value = "" if raw is None else str(raw).strip()
        if value.startswith("="):
            # A formula is kept as text and never calculated; the apostrophe stops a
            # spreadsheet running it if the text is ever exported again.
            self.warnings.append(
                f'Sheet "{self.sheet}", row {self.row}, column "{column}": a formula was kept '
                "as text and not calculated."
            )
            value = "'" + value
        if required and not value:
            self.fail(column, "is empty.")
        return value

    def integer(self, column: str) -> int:
        value = fold(self.text(column, required=True))
        if value and not re.fullmatch(r"\d+(\.0+)?", value):
            self.fail(column, f'"{value}" is not a whole number.')
            return 0
        return int(float(value)) if value else 0

    def decimal(self, column: str) -> Decimal | None:
        value = fold(self.text(column)).replace(",", "").rstrip("%").strip()
        if not value:
            return None
        try:
            return Decimal(value)
        except InvalidOperation:
            self.fail(column, f'"{value}" is not a number.')
            return None

    def choice(self, column: str, choices: type) -> str:
        value = fold(self.text(column))
        if not value:
            return ""
        by_word = {header_key(c): c for c in choices.values} | {
            header_key(label): c for c, label in choices.choices
        }
        if header_key(value) not in by_word:
            allowed = ", ".join(choices.values)
            self.fail(column, f'"{value}" is not one of: {allowed}.')
            return ""
        return by_word[header_key(value)]

    def named(self, column: str) -> str:
        """The code of the comparator or group a cell names, by name or code."""
        value = fold(self.text(column))
        if not value:
            return ""
        known = self.columns["_named"][column]
        if header_key(value) not in known:
            names = ", ".join(sorted({name for _, name in known.values()}))
            self.fail(column, f'"{value}" is not one the service knows. Enter one of: {names}.')
            return ""
        return known[header_key(value)][0]

    def whole(self, column: str, least: int) -> int | None:
        value = fold(self.text(column))
        if not value:
            return None
        if not re.fullmatch(r"\d+(\.0+)?", value) or int(float(value)) < least:
            self.fail(column, f'"{value}" must be a whole number, {least} or more.')
            return None
        return int(float(value))

    def raw(self, column: str) -> object:
        """The cell's value as the workbook holds it (a date stays a date); None if absent."""
        index = self.columns.get(column)
        return self.values[index] if index is not None and index < len(self.values) else None

    def emails(self, column: str) -> tuple[str, ...]:
        """E-mail addresses separated by semicolons, commas or spaces, lower-cased."""
        return tuple(e.lower() for e in re.split(r"[;,\s]+", self.text(column)) if e)

    def date(self, column: str) -> date | None:
        """A date cell, or a date typed as text (2024-10-31 or 31/10/2024); None if blank."""
        value = self.raw(column)
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = fold(self.text(column))
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        if text:
            self.fail(column, f'"{text}" is not a date. Enter a date such as 31/10/2024.')
        return None


def too_many_rows(sheet: Worksheet | ReadOnlyWorksheet, limit: int) -> PlanFileError:
    return PlanFileError(
        [
            f'Sheet "{sheet.title}" has more than {limit:,} rows below its header row, the '
            "most a sheet may have. Remove empty or extra rows, or split the file."
        ]
    )


def counted_rows(sheet: ReadOnlyWorksheet) -> Iterator[tuple]:
    """The values of each row of a read-only sheet, refusing it past PLAN_IMPORT_MAX_ROWS
    rows below its header row (the first).

    A read-only sheet stops at the size its <dimension> element claims, which whatever wrote
    the file sets and may get wrong: rows past it would be dropped without a word, and a
    claim of a million rows would be padded out with empty ones. So the claim is dropped,
    and the rows actually in the file are read and counted as they come.
    """
    limit = settings.PLAN_IMPORT_MAX_ROWS
    sheet.reset_dimensions()
    for number, values in enumerate(sheet.iter_rows(values_only=True)):
        if number > limit:  # row 0 is the header
            raise too_many_rows(sheet, limit)
        yield values
