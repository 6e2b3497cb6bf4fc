"""Reads the delivery plan as council admins hold it: the plan's Word table pasted into Excel.

The layout is the plan document's own: title rows, a numbered commitment heading ("1.
INCLUSIVE") and its statement, a heading per sector, a repeated "Action | Lead | KPI /
Milestone" header row, and one row per action whose KPI cell holds "Outcome: ..." and
numbered measures "(i) ...". The result is the template reader's PlanRow list, so the
importer treats both files alike; what the published plan does not say (unit, targets,
lead e-mails...) is left empty, except a target the KPI's own words state plainly
(spreadsheets.plan_targets).

Problems that stop the file being read as a plan raise PlanFileError; everything else is
returned as warnings. Both name the sheet and row. Text is matched in a folded form but
stored in the source's own characters (see spreadsheets.plan_text). Nothing is written.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.utils import get_column_letter
from openpyxl.utils.escape import unescape
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from spreadsheets.plan_rows import PlanRow
from spreadsheets.plan_targets import stated_target
from spreadsheets.plan_text import (
    SECTOR_NAMES,
    ActionCode,
    ActionText,
    KPICell,
    Measure,
    action_code,
    clean_text,
    commitment_heading,
    drop_unnumbered_subheadings,
    fold,
    header_label,
    is_noise,
    numbering_gap,
    read_kpi_cell,
    sector_number,
)
from spreadsheets.upload_checks import PlanFileError

# Meant as an action code but not a valid one: "1.1a", "1,1(a)", "1.1[a]".
_CODE_LIKE_RE = re.compile(r"\d+[.,]\d+[(\[]?[a-z]{1,2}[)\]]?(?=\s|$)", re.IGNORECASE)
# Beyond the last column a sheet can have (Excel's limit is 16,384).
_NO_COLUMN = 1 << 15


@dataclass(frozen=True)
class _Cell:
    column: int
    text: str  # as in the file; a formula as written, behind an apostrophe
    formula: bool = False


@dataclass(frozen=True)
class _Layout:
    """Where an action row's cells are, as the latest header row says.

    The reference (where the table has a column for it) and the action text lie left of
    `lead`; the lead runs up to `kpi`; the KPI / Milestone cell runs from `kpi` up to
    `end`, where any further labelled column (such as "Notes") starts.
    """

    action: int
    lead: int
    kpi: int
    end: int = _NO_COLUMN


# Before a sheet's first header row: reference, action, lead and KPI in columns A to D.
_DEFAULT_LAYOUT = _Layout(action=2, lead=3, kpi=4)


@dataclass
class _Commitment:
    number: int
    title: str
    heading: str
    statement: str = ""


@dataclass
class _Action:
    sheet: str
    row: int
    code: str
    commitment: _Commitment
    sector_no: int
    text: ActionText = field(default_factory=ActionText)
    kpi_parts: list[tuple[int, str]] = field(default_factory=list)  # (row, raw KPI cell)
    kpi_column: int = 0  # where its KPI / Milestone cell starts

    @property
    def where(self) -> str:
        return _where(self.sheet, self.row)

    def add(self, row: int, cells: list[_Cell], layout: _Layout) -> None:
        """Add one row's action, lead and KPI cells."""

        def joined(start: int, stop: int) -> str:
            return "\n".join(cell.text for cell in cells if start <= cell.column < stop)

        self.text.add(joined(0, layout.lead), joined(layout.lead, layout.kpi))
        if kpi := joined(layout.kpi, layout.end):
            self.kpi_parts.append((row, kpi))
            self.kpi_column = self.kpi_column or layout.kpi


def _where(sheet: str, row: int, column: int | None = None) -> str:
    place = f'Sheet "{sheet}", row {row}'
    return f"{place}, column {get_column_letter(column)}" if column else place


# --------------------------------------------------------------------------- public API


def is_published_layout(book: Workbook) -> bool:
    """Whether `book` holds the plan as published: header rows and numbered commitment headings.

    The template has its column names ("Action code", ...) in row 1 and no headings.
    """
    return any({"header", "heading"} <= _plan_signs(sheet) for sheet in book.worksheets)


def published_read(book: Workbook) -> tuple[list[PlanRow], list[str]]:
    """Read the published-layout plan in `book` into template rows, with warnings.

    Only sheets with an "Action | Lead | KPI / Milestone" header row and commitment headings
    or actions are read, in workbook order, so cover and notes sheets are passed over.
    Raises PlanFileError listing every problem that stops the file being read as a plan.
    """

    sheets = [sheet for sheet in book.worksheets if _is_plan_sheet(_plan_signs(sheet))]
    reader = _Reader()
    for sheet in sheets:
        reader.read_sheet(sheet)
    rows = reader.finish()
    if not reader.actions and not reader.problems:
        names = ", ".join(f'"{sheet.title}"' for sheet in sheets or book.worksheets)
        reader.problems.append(
            f"No actions found: no row of sheet(s) {names} has an action code such as "
            '1.1(a) under an "Action | Lead | KPI / Milestone" header row.'
        )
    if reader.problems:
        raise PlanFileError(reader.problems)
    return rows, reader.warnings


# --------------------------------------------------------------------------- cells


def _plan_signs(sheet: Worksheet) -> set[str]:
    """Which marks of the published plan `sheet` has: "header" rows, commitment "heading"s,
    and "action" rows (a code in the first cell of a row with more)."""
    signs = set()
    for _number, _hidden, cells in _sheet_rows(sheet):
        first = clean_text(cells[0].text)
        if _layout(cells):
            signs.add("header")
        elif len(cells) == 1 and commitment_heading(first):
            signs.add("heading")
        elif len(cells) > 1 and action_code(first):
            signs.add("action")
    return signs


def _is_plan_sheet(signs: set[str]) -> bool:
    return "header" in signs and bool(signs & {"heading", "action"})


def _sheet_rows(sheet: Worksheet) -> Iterator[tuple[int, bool, list[_Cell]]]:
    """(row number, whether hidden, cells with content) for each row that is not blank."""
    for row in sheet.iter_rows():
        cells = [found for cell in row if (found := _cell(cell)) is not None]
        if cells:
            dimension = sheet.row_dimensions.get(row[0].row)
            yield row[0].row, bool(dimension and dimension.hidden), cells


def _cell(cell: Cell | MergedCell) -> _Cell | None:
    # A merged range's value is its top-left cell's; the rest of the range is passed over,
    # so its text is read once rather than once per column or row the range spans.
    if isinstance(cell, MergedCell) or cell.value is None:
        return None
    value = cell.value.text if isinstance(cell.value, ArrayFormula) else cell.value
    # Excel writes characters such as a Windows line ending's carriage return as _x000D_,
    # and openpyxl leaves that escape in the text.
    text = unescape(value) if isinstance(value, str) else str(value)
    if not fold(clean_text(text)):
        return None
    if text.startswith("="):
        # Never evaluated: the formula is kept as text, marked as Excel marks text.
        return _Cell(cell.column, "'" + text, formula=True)
    return _Cell(cell.column, text)


def _layout(cells: list[_Cell]) -> _Layout | None:
    """The layout a header row sets; None if the row is not a header row."""
    labels: dict[str, int] = {}
    for cell in cells:
        if label := header_label(clean_text(cell.text)):
            labels.setdefault(label, cell.column)
    if "action" not in labels or "kpi" not in labels:
        return None
    kpi = labels["kpi"]
    end = min((cell.column for cell in cells if cell.column > kpi), default=_NO_COLUMN)
    return _Layout(action=labels["action"], lead=labels.get("lead", kpi), kpi=kpi, end=end)


def _malformed(front: list[_Cell], layout: _Layout) -> _Cell | None:
    """The cell meant to hold an action code that does not hold a valid one, if any.

    That is anything in the unlabelled reference column, or a cell that starts like a code
    ("1.1a") wherever the table writes the code.
    """
    first = front[0]
    if first.column < layout.action or _CODE_LIKE_RE.match(fold(clean_text(first.text))):
        return first
    return None


# --------------------------------------------------------------------------- reader


class _Reader:
    """Walks the plan sheets row by row, tracking the commitment, sector and action it is in."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.warnings: list[str] = []
        self.actions: list[_Action] = []
        self.commitment: _Commitment | None = None
        self.awaiting_statement = False
        self.sector_no, self.sector_heading = 1, SECTOR_NAMES[0]
        self.current: _Action | None = None
        self.layout = _DEFAULT_LAYOUT
        self.first_use: dict[str, str] = {}
        self.sheet = ""
        self.headless_reported = False

    def read_sheet(self, sheet: Worksheet) -> None:
        """Read every visible row of `sheet`; a hidden row is skipped with a warning.

        The commitment and sector carry on from the sheet before, but an action does not.
        """
        self.sheet, self.current = sheet.title, None
        for number, hidden, cells in _sheet_rows(sheet):
            if hidden:
                self.warnings.append(f"{_where(self.sheet, number)}: hidden row skipped.")
            else:
                self.read_row(number, cells)

    def read_row(self, number: int, cells: list[_Cell]) -> None:
        """Read one visible row: a heading, statement, header, title, or part of the table."""
        for cell in cells:
            if cell.formula:
                self.warnings.append(
                    f"{_where(self.sheet, number, cell.column)}: formula {cell.text[1:]} "
                    "kept as text, not calculated."
                )
        texts = [clean_text(cell.text) for cell in cells]
        single = texts[0] if len(texts) == 1 else ""
        if single and (heading := commitment_heading(single)):
            self.start_commitment(*heading, single)
        elif layout := _layout(cells):
            self.layout = layout
        elif is_noise(texts):
            return
        elif single and (sector := sector_number(single)):
            self.sector_no, self.sector_heading = sector, single
            self.current, self.awaiting_statement = None, False
        elif single and self.awaiting_statement and self.commitment:
            self.commitment.statement, self.awaiting_statement = single, False
        else:
            self.read_table_row(number, cells)

    def start_commitment(self, number: int, title: str, heading: str) -> None:
        """Begin commitment `number`; its statement is the next row of text."""
        self.commitment = _Commitment(number=number, title=title, heading=heading)
        # "All Settings" comes first and may be left implicit before the first header row.
        self.sector_no, self.sector_heading = 1, SECTOR_NAMES[0]
        self.current, self.awaiting_statement = None, True

    def read_table_row(self, number: int, cells: list[_Cell]) -> None:
        """An action's first row (it has a code), a page-break continuation, or a stray row."""
        front = [cell for cell in cells if cell.column < self.layout.lead]
        code = action_code(clean_text(front[0].text)) if front else None
        # A note alone in the reference column is neither a code nor an action's wording.
        stray = len(cells) == 1 and cells[0].column < self.layout.action
        if code:
            # The code's cell keeps only the text after the code, as action text.
            self.start_action(number, code, [replace(front[0], text=code.rest), *cells[1:]])
        elif self.commitment is None:
            return  # introduction or cover text above the first commitment heading
        elif front and not stray and (bad := _malformed(front, self.layout)):
            self.problems.append(
                f'{_where(self.sheet, number, bad.column)}: "{clean_text(bad.text)}" is not '
                "an action code like 1.1(a)."
            )
            self.current = None
        elif self.current and not stray:
            self.current.add(number, cells, self.layout)
        else:
            self.warnings.append(f"{_where(self.sheet, number)}: not part of any action; ignored.")

    def start_action(self, number: int, code: ActionCode, cells: list[_Cell]) -> None:
        """Begin action `code` at row `number`, unless it cannot be placed in the plan."""
        where, self.current, self.awaiting_statement = _where(self.sheet, number), None, False
        if self.commitment is None:
            if not self.headless_reported:  # once: every action up to the heading has it
                self.headless_reported = True
                self.problems.append(
                    f"{where}: action {code.code} comes before any commitment heading "
                    'such as "1. INCLUSIVE".'
                )
            return
        if code.code in self.first_use:
            self.problems.append(
                f"{where}: duplicate action code {code.code}; it is already used on "
                f"{self.first_use[code.code]}."
            )
            return
        self.first_use[code.code] = where
        self.check_code(where, code, self.commitment)
        self.current = _Action(self.sheet, number, code.code, self.commitment, self.sector_no)
        self.current.add(number, cells, self.layout)
        self.actions.append(self.current)

    def check_code(self, where: str, code: ActionCode, commitment: _Commitment) -> None:
        """Warn where a code's digits disagree with the headings it sits under."""
        if code.commitment != commitment.number:
            self.warnings.append(
                f'{where}: code {code.code} does not match its commitment heading "'
                f'{commitment.heading}" (commitment {commitment.number}).'
            )
        if code.sector != self.sector_no:
            self.warnings.append(
                f'{where}: code {code.code} does not match its sector heading "'
                f'{self.sector_heading}" (sector {self.sector_no}).'
            )

    def finish(self) -> list[PlanRow]:
        """The template rows of every action read, in plan order."""
        return [row for action in self.actions for row in self.action_rows(action)]

    def action_rows(self, action: _Action) -> list[PlanRow]:
        """One template row per numbered measure of `action`."""
        cell, row_at = _kpi_cell(action.kpi_parts)
        if not action.text.text:
            self.problems.append(f"{action.where}: {action.code} has no action text.")
        if not cell.measures:
            self.problems.append(
                f"{action.where}: {action.code} has no numbered measures such as (i) in its "
                "KPI / Milestone cell."
            )
            return []
        self.check_measures(action, cell, row_at)
        return [_plan_row(action, cell, measure) for measure in cell.measures if measure.text]

    def check_measures(self, action: _Action, cell: KPICell, row_at: Callable[[int], int]) -> None:
        """Warn of a missing "Outcome:", gaps in numbering, refs out of order, empty measures;
        refuse a ref written twice."""
        code, warn = action.code, self.warnings.append
        if not cell.has_outcome_prefix:
            kept = "; its opening text is taken as the outcome" if cell.outcome else ""
            warn(
                f"{action.where}: the KPI / Milestone cell of {code} does not start with "
                f'"Outcome:"{kept}.'
            )
        for previous, measure in cell.gaps():
            if gap := numbering_gap(code, previous, measure.ref):
                warn(f"{_where(action.sheet, row_at(measure.start))}: {gap}")
        self.check_strays(action, cell, row_at)
        for measure in cell.measures:
            if not measure.text:
                where = _where(action.sheet, row_at(measure.start))
                warn(f"{where}: ({measure.ref}) of {code} has no wording; skipped.")

    def check_strays(self, action: _Action, cell: KPICell, row_at: Callable[[int], int]) -> None:
        """A "(ref)" left inside a measure's wording: out of order, it stays as wording with a
        warning; the ref of another measure, it is a ref written twice, which is refused,
        since which measure is meant is unknown (read on, one would swallow the other)."""
        starts = {measure.ref: measure.start for measure in cell.measures}
        for measure in cell.measures:
            for ref, position in measure.strays:
                where = _where(action.sheet, row_at(position))
                if ref not in starts:
                    self.warnings.append(
                        f"{where}: ({ref}) is out of order in {action.code}; kept as wording "
                        f"of ({measure.ref})."
                    )
                    continue
                first, second = sorted([starts[ref], position])
                earlier = (
                    "earlier in the same cell"
                    if row_at(first) == row_at(second)
                    else f"on row {row_at(first)}"
                )
                self.problems.append(
                    f"{_where(action.sheet, row_at(second), action.kpi_column)}: ({ref}) of "
                    f"{action.code} is already {earlier}. Give each measure of an action its "
                    "own number."
                )


def _kpi_cell(parts: list[tuple[int, str]]) -> tuple[KPICell, Callable[[int], int]]:
    """Read an action's KPI cells, over all its rows, as one; with a position -> row map."""
    starts: list[int] = []
    rows: list[int] = []
    texts: list[str] = []
    for row, raw in parts:
        if text := clean_text(drop_unnumbered_subheadings(raw)):
            starts.append(sum(len(t) + 1 for t in texts))
            rows.append(row)
            texts.append(text)
    cell = read_kpi_cell(" ".join(texts))
    return cell, lambda position: rows[bisect.bisect_right(starts, position) - 1]


def _plan_row(action: _Action, cell: KPICell, measure: Measure) -> PlanRow:

    commitment = action.commitment
    return PlanRow(
        row=action.row,
        commitment_no=commitment.number,
        commitment=commitment.title,
        statement=commitment.statement,
        sector_no=action.sector_no,
        sector=SECTOR_NAMES[action.sector_no - 1],
        code=action.code,
        action=action.text.text,
        lead=action.text.lead,
        outcome=cell.outcome,
        ref=measure.ref,
        kpi=measure.text,
        unit="",
        polarity="",
        baseline=None,
        baseline_period="",
        target=None,
        target_period="",
        target_kind="",
        target_not_agreed=None,
        tolerance=None,
        lead_emails=(),
        data_source="",
        frequency="",
        stated=stated_target(measure.text),
    )
