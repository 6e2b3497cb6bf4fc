"""Reads a structured plan workbook (plan_tree_layout) into checked priority areas,
outcomes, actions, measures and references.

Every problem found is collected with its sheet, row and column and raised together as
PlanFileError; nothing is written by this module. Columns are matched by header, ignoring
case, spacing and order.
"""

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from django.conf import settings
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from kpis.models import Frequency, Polarity, Unit
from spreadsheets.plan_cells import Cells, counted_rows, header_key
from spreadsheets.plan_text import fold, roman_number
from spreadsheets.plan_tree_layout import (
    ACTIONS_SHEET,
    AREAS_SHEET,
    COLUMNS,
    MEASURES_SHEET,
    OUTCOMES_SHEET,
    REFERENCES_SHEET,
    REQUIRED,
    due_date_from_words,
)
from spreadsheets.upload_checks import (
    PlanFileError,
    UploadLimits,
    sha256_hex,
    workbook_upload_check,
)

OUTCOME_CODE_RE = re.compile(r"^(\d+)\.(\d+)$")
ACTION_CODE_RE = re.compile(r"^(\d+\.\d+)[a-z]$")
# Sheets that must have at least one row below the header; the others may be empty.
NOT_EMPTY = (AREAS_SHEET, OUTCOMES_SHEET, ACTIONS_SHEET)


@dataclass(frozen=True)
class TreeArea:
    """A priority area (or area for improvement): the top level of the plan."""

    row: int
    number: int
    code: str
    short_name: str
    title: str
    statement: str
    lead: str


@dataclass(frozen=True)
class TreeOutcome:
    """A desired outcome under a priority area."""

    row: int
    code: str
    area_no: int
    text: str


@dataclass(frozen=True)
class TreeAction:
    """An action under an outcome, with when it is due and what it links to."""

    row: int
    code: str
    outcome_code: str
    text: str
    lead: str
    by_when: str
    due_date: date | None
    impact: str
    links: tuple[str, ...]
    lead_emails: tuple[str, ...]


@dataclass(frozen=True)
class TreeMeasure:
    """A measure of a priority area's impact; `also_relevant_to` holds other area numbers."""

    row: int
    area_no: int
    ref: str
    text: str
    also_relevant_to: tuple[int, ...]
    unit: str
    polarity: str
    frequency: str
    baseline: Decimal | None
    baseline_period: str
    target: Decimal | None
    target_period: str
    data_source: str


@dataclass(frozen=True)
class TreeReference:
    """A code from outside the plan that actions link to (e.g. a Safety Valve item)."""

    row: int
    code: str
    description: str


@dataclass(frozen=True)
class TreePlan:
    """A structured plan workbook read and checked."""

    name: str
    checksum: str
    areas: list[TreeArea]
    outcomes: list[TreeOutcome]
    actions: list[TreeAction]
    measures: list[TreeMeasure]
    references: list[TreeReference]
    warnings: list[str]


def is_tree_layout(sheetnames: list[str]) -> bool:
    """Whether a workbook with these sheets is laid out as a structured plan."""
    names = {header_key(name) for name in sheetnames}
    return header_key(ACTIONS_SHEET) in names and header_key(AREAS_SHEET) in names


def plan_tree_read(data: bytes, *, name: str) -> TreePlan:
    """Check an uploaded structured plan workbook and read every sheet.

    Raises PlanFileError naming each problem with its sheet, row and column.
    """
    limits = UploadLimits(max_bytes=settings.PLAN_UPLOAD_MAX_BYTES)
    warnings = workbook_upload_check(data, name=name, limits=limits)
    book = _open(data, name)
    try:
        rows = _sheet_rows(book)
    finally:
        book.close()
    reader = _Reader(rows, warnings)
    plan = reader.read(name, sha256_hex(data))
    if reader.problems:
        raise PlanFileError(reader.problems)
    return plan


def _open(data: bytes, name: str) -> Workbook:
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise PlanFileError(
            [f"{name} is not an Excel workbook (.xlsx) that can be read: {exc}"]
        ) from None


# A sheet as read: its title in the file, its header row and its other rows.
_SheetRows = tuple[str, tuple, list[tuple]]


def _sheet_rows(book: Workbook) -> dict[str, _SheetRows]:
    """Each expected sheet's rows, found by name ignoring case and spacing; every missing
    sheet is reported at once."""
    by_key = {header_key(title): title for title in book.sheetnames}
    missing = [sheet for sheet in COLUMNS if header_key(sheet) not in by_key]
    if missing:
        names = ", ".join(f'"{m}"' for m in missing)
        raise PlanFileError(
            [
                f"The workbook has no sheet called {names}. A structured plan needs the sheets "
                f"{', '.join(COLUMNS)}. Download the template and copy the plan into it."
            ]
        )
    found = {}
    for sheet in COLUMNS:
        title = by_key[header_key(sheet)]
        rows = counted_rows(book[title])
        header = next(rows, None) or ()
        found[sheet] = (title, header, list(rows))
    return found


def _columns(title: str, sheet: str, header: tuple) -> tuple[dict[str, int], str | None]:
    """Where each known column is, and the problem if a required one is missing."""
    found = {header_key(h): i for i, h in enumerate(header) if h not in (None, "")}
    missing = [c for c in REQUIRED[sheet] if header_key(c) not in found]
    problem = None
    if missing:
        names = ", ".join(f'"{m}"' for m in missing)
        problem = f'Sheet "{title}", row 1: missing required column(s) {names}.'
    columns = {c: found[header_key(c)] for c in COLUMNS[sheet] if header_key(c) in found}
    return columns, problem


class _Reader:
    """Reads the sheets in order (areas first, since the rest refer to them), collecting
    every problem."""

    def __init__(self, rows: dict[str, _SheetRows], warnings: list[str]):
        self.rows, self.warnings = rows, warnings
        self.problems: list[str] = []
        self.also_relevant: dict[int, str] = {}  # measure row -> its "Also relevant to" cell

    def read(self, name: str, checksum: str) -> TreePlan:
        columns = {}
        for sheet, (title, header, _rows) in self.rows.items():
            columns[sheet], problem = _columns(title, sheet, header)
            if problem:
                self.problems.append(problem)
        if self.problems:
            return TreePlan(name, checksum, [], [], [], [], [], self.warnings)
        areas = self._each(AREAS_SHEET, columns, self._area)
        outcomes = self._each(OUTCOMES_SHEET, columns, self._outcome)
        actions = self._each(ACTIONS_SHEET, columns, self._action)
        measures = self._each(MEASURES_SHEET, columns, self._measure)
        references = self._each(REFERENCES_SHEET, columns, self._reference)
        self._check_tree(areas, outcomes, actions)
        measures = self._check_measures(areas, measures)
        self._check_links(areas, actions, references)
        return TreePlan(
            name, checksum, areas, outcomes, actions, measures, references, self.warnings
        )

    def _each(self, sheet: str, columns: dict, read_row: Callable[[Cells], object]) -> list:
        title, _header, rows = self.rows[sheet]
        read = [
            read_row(Cells(title, number, values, columns[sheet], self.problems, self.warnings))
            for number, values in enumerate(rows, start=2)
            if any(v not in (None, "") for v in values)
        ]
        if not read and sheet in NOT_EMPTY:
            self.problems.append(f'Sheet "{title}" has a header row but no rows below it.')
        return read

    def _area(self, cells: Cells) -> TreeArea:
        return TreeArea(
            row=cells.row,
            number=cells.integer("Area no"),
            code=fold(cells.text("Area code", required=True)),
            short_name=fold(cells.text("Short name", required=True)),
            title=fold(cells.text("Title", required=True)),
            statement=cells.text("Statement"),
            lead=cells.text("Lead"),
        )

    def _outcome(self, cells: Cells) -> TreeOutcome:
        code = fold(cells.text("Outcome code", required=True)).replace(" ", "")
        area_no = cells.integer("Area no")
        match = OUTCOME_CODE_RE.match(code)
        if code and not match:
            cells.fail("Outcome code", f'"{code}" is not an outcome code like 1.1.')
        elif match and int(match[1]) != area_no:
            cells.fail("Outcome code", f'"{code}" does not belong to area {area_no}.')
        text = cells.text("Outcome", required=True)
        return TreeOutcome(row=cells.row, code=code, area_no=area_no, text=text)

    def _action(self, cells: Cells) -> TreeAction:
        code = fold(cells.text("Action code", required=True)).replace(" ", "")
        outcome_code = fold(cells.text("Outcome code", required=True)).replace(" ", "")
        match = ACTION_CODE_RE.match(code)
        if code and not match:
            cells.fail("Action code", f'"{code}" is not an action code like 1.1a.')
        elif match and outcome_code and match[1] != outcome_code:
            cells.fail("Action code", f'"{code}" does not belong to outcome {outcome_code}.')
        by_when = fold(cells.text("By when"))
        return TreeAction(
            row=cells.row,
            code=code,
            outcome_code=outcome_code,
            text=cells.text("Action", required=True),
            lead=cells.text("Lead"),
            by_when=by_when,
            due_date=_due_date(cells, by_when),
            impact=cells.text("How will we measure impact?"),
            links=_split(cells.text("Links and dependencies")),
            lead_emails=cells.emails("Lead e-mails"),
        )

    def _measure(self, cells: Cells) -> TreeMeasure:
        ref = fold(cells.text("Measure ref", required=True)).lower().strip("()")
        if ref and roman_number(ref) is None:
            cells.fail("Measure ref", f'"{ref}" is not a lower-case roman numeral like iv.')
        self.also_relevant[cells.row] = cells.text("Also relevant to")
        return TreeMeasure(
            row=cells.row,
            area_no=cells.integer("Area no"),
            ref=ref,
            text=cells.text("Measure", required=True),
            also_relevant_to=(),  # resolved against the areas in _check_measures
            unit=cells.choice("Unit", Unit),
            polarity=cells.choice("Polarity", Polarity),
            frequency=cells.choice("Frequency", Frequency),
            baseline=cells.decimal("Baseline"),
            baseline_period=cells.text("Baseline period"),
            target=cells.decimal("Target"),
            target_period=cells.text("Target period"),
            data_source=cells.text("Data source"),
        )

    def _reference(self, cells: Cells) -> TreeReference:
        return TreeReference(
            row=cells.row,
            code=fold(cells.text("Code", required=True)),
            description=cells.text("Description", required=True),
        )

    def _check_tree(self, areas: list[TreeArea], outcomes: list, actions: list) -> None:
        """Numbers and codes are unique, and each outcome and action sits under one that exists."""
        self._unique(AREAS_SHEET, "Area no", [(a.row, a.number, a.number) for a in areas])
        self._unique(OUTCOMES_SHEET, "Outcome code", [(o.row, o.code, o.code) for o in outcomes])
        self._unique(ACTIONS_SHEET, "Action code", [(a.row, a.code, a.code) for a in actions])
        numbers = {area.number for area in areas}
        for outcome in outcomes:
            if outcome.area_no and outcome.area_no not in numbers:
                self._fail(
                    OUTCOMES_SHEET,
                    outcome.row,
                    "Area no",
                    f'there is no area {outcome.area_no} on the "{AREAS_SHEET}" sheet.',
                )
        codes = {outcome.code for outcome in outcomes}
        for action in actions:
            if action.outcome_code and action.outcome_code not in codes:
                self._fail(
                    ACTIONS_SHEET,
                    action.row,
                    "Outcome code",
                    f'there is no outcome {action.outcome_code} on the "{OUTCOMES_SHEET}" sheet.',
                )

    def _check_measures(self, areas: list[TreeArea], measures: list) -> list[TreeMeasure]:
        """Each measure's area exists and its refs are unique within it; resolve the other
        areas it is also relevant to (by number, code or short name)."""
        by_name = {
            header_key(fold(name)): area.number
            for area in areas
            for name in (str(area.number), area.code, area.short_name)
            if name
        }
        numbers = {area.number for area in areas}
        refs = [(m.row, (m.area_no, m.ref), m.ref) for m in measures]
        self._unique(MEASURES_SHEET, "Measure ref", refs, within="its area")
        resolved = []
        for measure in measures:
            if measure.area_no and measure.area_no not in numbers:
                self._fail(
                    MEASURES_SHEET,
                    measure.row,
                    "Area no",
                    f'there is no area {measure.area_no} on the "{AREAS_SHEET}" sheet.',
                )
            others = self._also_relevant(measure, by_name)
            resolved.append(replace(measure, also_relevant_to=others))
        return resolved

    def _also_relevant(self, measure: TreeMeasure, by_name: dict[str, int]) -> tuple[int, ...]:
        found: list[int] = []
        for name in _split(self.also_relevant[measure.row]):
            number = by_name.get(header_key(name))
            if number is None:
                message = (
                    f'"{name}" is not a priority area. Name an area by its number, code or '
                    f'short name as on the "{AREAS_SHEET}" sheet.'
                )
            elif number == measure.area_no:
                message = f'"{name}" is the measure\'s own area. List only other areas.'
            else:
                if number not in found:
                    found.append(number)
                continue
            self._fail(MEASURES_SHEET, measure.row, "Also relevant to", message)
        return tuple(found)

    def _check_links(self, areas: list[TreeArea], actions: list, references: list) -> None:
        """Every link names an action in the file, a priority area (by code or title) or a
        code on the Other references sheet."""
        codes = [(r.row, header_key(r.code), r.code) for r in references]
        self._unique(REFERENCES_SHEET, "Code", codes)
        known = {header_key(action.code) for action in actions}
        known |= {header_key(name) for area in areas for name in (area.code, area.title)}
        known |= {header_key(reference.code) for reference in references}
        for action in actions:
            for link in action.links:
                if header_key(link) not in known:
                    self._fail(
                        ACTIONS_SHEET,
                        action.row,
                        "Links and dependencies",
                        f'"{link}" is not an action code in this file, a priority area or a '
                        f'code on the "{REFERENCES_SHEET}" sheet.',
                    )

    def _unique(
        self, sheet: str, column: str, keyed: list[tuple[int, object, object]], within: str = ""
    ) -> None:
        """Report each row whose value in `column` an earlier row already has; keyed holds
        (row, what is compared, what is shown), and blank values are left to the required
        check."""
        first: dict[object, int] = {}
        scope = f" within {within}" if within else ""
        for row, key, shown in keyed:
            if not shown:
                continue
            if key in first:
                self._fail(
                    sheet,
                    row,
                    column,
                    f'"{shown}" is already on row {first[key]}. Each row needs its own '
                    f"{column.lower()}{scope}.",
                )
            first.setdefault(key, row)

    def _fail(self, sheet: str, row: int, column: str, message: str) -> None:
        title = self.rows[sheet][0]
        self.problems.append(f'Sheet "{title}", row {row}, column "{column}": {message}')


def _due_date(cells: Cells, by_when: str) -> date | None:
    """The Due date cell; blank, the date the By when words give; neither is a problem."""
    if cells.text("Due date"):
        return cells.date("Due date")
    if due := due_date_from_words(by_when):
        return due
    cells.problems.append(
        f'Sheet "{cells.sheet}", row {cells.row}, columns "Due date" and "By when": neither '
        'gives a date. Enter the due date, or a month and year in By when such as "October 2024".'
    )
    return None


def _split(text: str) -> tuple[str, ...]:
    """The items of a semicolon-separated cell, folded, without empty ones."""
    return tuple(item for part in text.split(";") if (item := fold(part)))
