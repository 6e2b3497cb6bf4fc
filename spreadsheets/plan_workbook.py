"""Reads a plan file: the one-row-per-KPI plan template or the plan as published into
checked rows, or a structured plan workbook (plan_tree_read) into its tree.

Every problem found is reported with its sheet, row and column; nothing is
written by this module. Columns are matched by header in any order: by the template's
names or their synonyms (plan_template), in plan_cells.header_key form, or by what an
admin said a plan's unknown headings mean (HeaderMapping). A heading matched by none of
these stops the read (ColumnsToMatch) rather than being guessed at.
"""

import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from actions.models import Commitment, Plan, Sector
from kpis.models import (
    Cohort,
    Comparator,
    ComparatorBasis,
    Frequency,
    Polarity,
    TargetKind,
    Unit,
)
from spreadsheets.models import HeaderMapping
from spreadsheets.plan_cells import Cells, ColumnsToMatch, counted_rows, header_key, too_many_rows
from spreadsheets.plan_published import is_published_layout, published_read
from spreadsheets.plan_rows import PlanRow
from spreadsheets.plan_targets import stated_target
from spreadsheets.plan_template import (
    COLUMN_BY_KEY,
    PAIRED_COLUMNS,
    REQUIRED_COLUMNS,
    SHEET_NAME,
    TEMPLATE_COLUMNS,
)
from spreadsheets.plan_text import fold, numbering_gap, roman, roman_number
from spreadsheets.plan_tree_read import TreePlan, is_tree_layout, plan_tree_read
from spreadsheets.upload_checks import (
    PlanFileError,
    UploadLimits,
    sha256_hex,
    workbook_upload_check,
)

CODE_RE = re.compile(r"^(\d+)\.(\d+)\(([a-z]+)\)$")
ROMAN_RE = re.compile(r"^(?=[ivxlc])c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")


@dataclass
class PlanFile:
    """A plan file read and checked: its rows (or, laid out as a structured plan, its tree),
    what to warn about, and what it was."""

    name: str
    checksum: str
    layout: str  # "template", "published" or "structured"
    rows: list[PlanRow]
    warnings: list[str]
    tree: TreePlan | None = None

    @property
    def is_structured(self) -> bool:
        return self.layout == STRUCTURED

    def extent(self) -> str:
        """What the file holds, in a few words, e.g. "541 KPI rows"."""
        if self.tree is None:
            return f"{len(self.rows)} KPI rows"
        tree = self.tree
        return (
            f"{len(tree.areas)} areas, {len(tree.outcomes)} outcomes, {len(tree.actions)} "
            f"actions, {len(tree.measures)} measures, {len(tree.references)} references"
        )


STRUCTURED = "structured"


def plan_workbook_read(path: Path) -> list[PlanRow]:
    """Read and check every row of the plan file at `path`; raise PlanFileError if any fail."""
    return plan_file_read(path.read_bytes(), name=path.name).rows


def plan_file_read(data: bytes, *, name: str, plan: Plan | None = None) -> PlanFile:
    """Check an uploaded plan workbook, detect its layout and read every row.

    Headings are read as `plan`'s saved matches say, and a commitment or sector given only
    by name or number is looked up among the plan's own. Raises PlanFileError naming each
    problem with its sheet, row and column (ColumnsToMatch for unknown headings); nothing
    is written to the database here.
    """
    limits = UploadLimits(max_bytes=settings.PLAN_UPLOAD_MAX_BYTES)
    warnings = workbook_upload_check(data, name=name, limits=limits)
    book = _open(data, name, read_only=True)
    try:
        structured = is_tree_layout(book.sheetnames)
        saved = header_mappings(plan)
        sheet = None if structured else _template_sheet(book, saved)
        if sheet is not None:
            rows, more = _template_read(sheet, saved, _Levels(plan))
            return PlanFile(name, sha256_hex(data), "template", rows, warnings + more)
    finally:
        book.close()
    if structured:
        tree = plan_tree_read(data, name=name)
        return PlanFile(name, tree.checksum, STRUCTURED, [], tree.warnings, tree=tree)
    book = _open(data, name, read_only=False)  # merged cells and hidden rows need the full model
    _check_row_limit(book.worksheets)
    if not is_published_layout(book):
        raise PlanFileError(
            [
                f"{name} is neither the plan template (a header row with "
                f"{', '.join(REQUIRED_COLUMNS)}) nor the plan as published (commitment headings "
                "and an Action | Lead | KPI / Milestone table). Download the template from the "
                "import page and copy the plan into it."
            ]
        )
    rows, more = published_read(book)
    return PlanFile(name, sha256_hex(data), "published", rows, warnings + more)


def _open(data: bytes, name: str, read_only: bool) -> Workbook:
    try:
        return load_workbook(io.BytesIO(data), read_only=read_only, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise PlanFileError(
            [f"{name} is not an Excel workbook (.xlsx) that can be read: {exc}"]
        ) from None


def header_mappings(plan: Plan | None) -> dict[str, str]:
    """What `plan`'s unknown headings were matched to: heading key -> template column, or ""
    for a column not needed."""
    if plan is None:
        return {}
    saved = HeaderMapping.objects.filter(plan=plan).values_list("header_key", "column")
    return {key: column for key, column in saved if column in TEMPLATE_COLUMNS or not column}


def _template_sheet(book: Workbook, saved: dict[str, str]) -> ReadOnlyWorksheet | None:
    """The sheet laid out as the template: the named one, else the first whose header row
    has two or more template columns (so a template missing a column is still reported as one)."""
    sheets = [book[SHEET_NAME]] if SHEET_NAME in book.sheetnames else []
    sheets += [s for s in book.worksheets if s.title != SHEET_NAME]
    known = set(COLUMN_BY_KEY) | {key for key, column in saved.items() if column}
    for sheet in sheets:
        header = next(sheet.iter_rows(max_row=1, values_only=True), ())
        if len(known & {header_key(h) for h in header if h}) >= 2:
            return sheet
    return None


def _check_row_limit(sheets: list[Worksheet]) -> None:
    """Refuse a fully loaded sheet with too many rows (its max_row counts the cells read)."""
    limit = settings.PLAN_IMPORT_MAX_ROWS
    for sheet in sheets:
        if (sheet.max_row or 0) > limit + 1:  # the header row is not counted
            raise too_many_rows(sheet, limit)


def _template_read(
    sheet: ReadOnlyWorksheet, saved: dict[str, str], levels: "_Levels"
) -> tuple[list[PlanRow], list[str]]:
    rows = counted_rows(sheet)
    columns: dict = _columns(sheet.title, next(rows, None), saved)
    columns["_named"], columns["_levels"] = _Named(), levels
    problems: list[str] = []
    warnings: list[str] = []
    result = [
        parsed
        for number, values in enumerate(rows, start=2)
        if any(v not in (None, "") for v in values)
        and (parsed := _row(sheet.title, number, values, columns, problems, warnings)) is not None
    ]
    problems += _consistency(sheet.title, result)
    warnings += _numbering_gaps(sheet.title, result)
    if not result and not problems:
        problems.append(f'Sheet "{sheet.title}" has a header row but no KPI rows.')
    if problems:
        raise PlanFileError(problems)
    return result, warnings


class _Named:
    """Comparators' and groups' codes and names by folded name or code, read from the
    database the first time a cell names one (most plans name none)."""

    models = {"Target comparator": Comparator, "Target group": Cohort}

    def __init__(self) -> None:
        self.found: dict[str, dict[str, tuple[str, str]]] = {}

    def __getitem__(self, column: str) -> dict[str, tuple[str, str]]:
        if column not in self.found:
            rows = self.models[column].objects.values_list("code", "name")
            self.found[column] = {
                header_key(v): (code, name) for code, name in rows for v in (code, name)
            }
        return self.found[column]


def _columns(sheet: str, header: tuple | None, saved: dict[str, str]) -> dict[str, int]:
    """Each template column's place in the header row. Raises ColumnsToMatch if a heading is
    unknown, else PlanFileError if a required column is missing or two headings are one
    column."""
    columns: dict[str, int] = {}
    unknown: dict[str, str] = {}
    problems: list[str] = []
    for index, heading in enumerate(header or ()):
        if not (key := header_key(heading)):
            continue
        column = saved[key] if key in saved else COLUMN_BY_KEY.get(key)
        if column is None:
            unknown.setdefault(key, str(heading).strip())
        elif column in columns:
            problems.append(
                f'Sheet "{sheet}", row 1: columns {get_column_letter(columns[column] + 1)} and '
                f'{get_column_letter(index + 1)} are both read as "{column}". Keep one of them.'
            )
        elif column:  # blank: matched as not needed
            columns[column] = index
    missing = [
        name
        for name in REQUIRED_COLUMNS
        if name not in columns and PAIRED_COLUMNS.get(name) not in columns
    ]
    if problems:
        raise PlanFileError(problems)
    if unknown:
        known = list(columns)
        raise ColumnsToMatch(sheet, unknown=list(unknown.values()), missing=missing, known=known)
    if missing:
        names = ", ".join(f'"{m}"' for m in missing)
        raise PlanFileError([f'Sheet "{sheet}", row 1: missing required column(s) {names}.'])
    return columns


class _Levels:
    """The plan's commitments and sectors by number and by name, read from the database the
    first time a file gives one of them only by name or only by number."""

    def __init__(self, plan: Plan | None) -> None:
        self.plan, self.found = plan, {}

    def __getitem__(self, column: str) -> tuple[str, dict[int, str], dict[str, int]]:
        """For "Commitment" or "Sector": the level's plural name, its names by number and
        its numbers by name (header_key form, of its title, short name or code)."""
        if column not in self.found:
            self.found[column] = self._load(column)
        return self.found[column]

    def _load(self, column: str) -> tuple[str, dict[int, str], dict[str, int]]:
        plan = self.plan
        if column == "Commitment":
            plural = plan.area_name_plural if plan else "Commitments"
            rows = Commitment.objects.filter(plan=plan).values_list(
                "number", "title", "short_name", "code"
            )
        else:
            plural = plan.group_name_plural if plan else "Sectors"
            rows = Sector.objects.filter(plan=plan).values_list("position", "name", "code")
        names = {row[0]: row[1] for row in rows}
        numbers = {header_key(name): row[0] for row in rows for name in row[1:] if name}
        return plural.lower(), names, numbers


def _row(sheet: str, number: int, values: tuple, columns: dict, problems: list, warnings: list):
    cells = Cells(sheet, number, values, columns, problems, warnings)
    before = len(problems)
    code = fold(cells.text("Action code", required=True)).replace(" ", "")
    match = CODE_RE.match(code)
    commitment_no, commitment = _level(cells, "Commitment no", "Commitment")
    sector_no, sector = _level(cells, "Sector no", "Sector")
    if code and not match:
        cells.fail("Action code", f'"{code}" is not an action code like 1.1(a).')
    elif match and (int(match[1]), int(match[2])) != (commitment_no, sector_no):
        cells.fail(
            "Action code",
            f'"{code}" does not belong to commitment {commitment_no}, sector {sector_no}.',
        )
    target = cells.decimal("Target")
    ref = fold(cells.text("KPI ref", required=True)).lower().strip("()")
    if ref and not ROMAN_RE.match(ref):
        cells.fail("KPI ref", f'"{ref}" is not a lower-case roman numeral like iv.')
    row = PlanRow(
        row=number,
        commitment_no=commitment_no,
        commitment=commitment,
        statement=cells.text("Commitment statement"),
        sector_no=sector_no,
        sector=sector,
        code=code,
        action=cells.text("Action", required=True),
        lead=cells.text("Lead"),
        outcome=cells.text("Outcome"),
        ref=ref,
        kpi=(kpi := cells.text("KPI", required=True)),
        unit=cells.choice("Unit", Unit),
        polarity=cells.choice("Polarity", Polarity),
        baseline=cells.decimal("Baseline"),
        baseline_period=cells.text("Baseline period"),
        target=target,
        target_period=cells.text("Target period"),
        target_kind=cells.choice("Target kind", TargetKind),
        target_not_agreed=_not_agreed(cells, target),
        tolerance=cells.decimal("Tolerance"),
        lead_emails=cells.emails("Lead e-mails"),
        data_source=cells.text("Data source"),
        frequency=cells.choice("Frequency", Frequency),
        **_shape(cells, target),
        stated=stated_target(kpi),
    )
    return row if len(problems) == before else None


def _level(cells: Cells, number_column: str, name_column: str) -> tuple[int, str]:
    """A commitment's (or sector's) number and name: as written when the file has both
    columns, else from the one it has (a number or a name in either) and the plan's own."""
    if number_column in cells.columns and name_column in cells.columns:
        return cells.integer(number_column), cells.text(name_column, required=True)
    column = number_column if number_column in cells.columns else name_column
    given = fold(cells.text(column, required=True))
    if not given:
        return 0, ""
    plural, names, numbers = cells.columns["_levels"][name_column]
    number = (
        int(float(given)) if re.fullmatch(r"\d+(\.0+)?", given) else numbers.get(header_key(given))
    )
    if number in names:
        return number, names[number]
    if not names:
        cells.fail(
            column,
            f'"{given}" cannot be looked up: the plan has no {plural} yet. Add the '
            f'"{number_column}" and "{name_column}" columns.',
        )
    else:
        listed = "; ".join(f"{n} {name}" for n, name in sorted(names.items()))
        cells.fail(column, f'"{given}" is not one of the plan\'s {plural}. Enter one of: {listed}.')
    return 0, ""


def _shape(cells: Cells, target: Decimal | None) -> dict:
    """The columns that say how the target is judged (kpis.status), checked together."""
    upper = cells.decimal("Upper target")
    if upper is not None and target is not None and upper < target:
        cells.fail("Upper target", f"must be at least the Target ({target:f}).")
    comparator = cells.named("Target comparator")
    basis = cells.choice("Comparator basis", ComparatorBasis)
    if basis and not comparator and not cells.text("Target comparator"):
        cells.fail("Comparator basis", 'needs a "Target comparator" to compare with.')
    narrowing = cells.decimal("Gap narrowing")
    if narrowing is not None and narrowing <= 0:
        cells.fail("Gap narrowing", f'"{narrowing:f}" must be more than 0.')
    least = cells.decimal("Trend minimum change")
    if least is not None and least < 0:
        cells.fail("Trend minimum change", f'"{least:f}" must be 0 or more.')
    return {
        "target_upper": upper,
        "target_comparator": comparator,
        "comparator_basis": basis,
        "target_group": cells.named("Target group"),
        "gap_narrowing": narrowing,
        "trend_periods": cells.whole("Trend figures", 2),
        "trend_min_change": least,
    }


def _not_agreed(cells: Cells, target: Decimal | None) -> bool | None:
    """Yes/no as written; a target implies agreed; blank with no target says nothing."""
    flag = cells.text("Target not agreed").lower()
    if flag not in ("", "yes", "no", "true", "false", "y", "n"):
        cells.fail("Target not agreed", f'"{flag}" should be yes or no.')
    has_target = target is not None
    if flag in ("yes", "true", "y") and has_target:
        cells.fail("Target", "has a value but the target is marked as not agreed.")
    if flag in ("yes", "true", "y"):
        return True
    if flag in ("no", "false", "n") or has_target:
        return False
    return None


def _numbering_gaps(sheet: str, rows: list[PlanRow]) -> list[str]:
    """Warn where an action's KPI refs skip a number, e.g. (iv) straight after (ii)."""
    present: dict[str, set[str]] = {}
    for row in rows:
        present.setdefault(row.code, set()).add(row.ref)
    warnings, last = [], {}
    for row in rows:
        number = roman_number(row.ref) or 0
        previous = last.get(row.code, 0)
        if number > previous + 1:
            earlier = roman(previous) if previous else ""
            if gap := numbering_gap(row.code, earlier, row.ref, present[row.code]):
                warnings.append(f'Sheet "{sheet}", row {row.row}: {gap}')
        last[row.code] = max(previous, number)
    return warnings


def _consistency(sheet: str, rows: list[PlanRow]) -> list[str]:
    """Rows of one action must agree on its details; a KPI ref may appear once per action."""
    problems: list[str] = []
    first_of_action: dict[str, PlanRow] = {}
    seen_refs: dict[tuple[str, str], int] = {}
    for row in rows:
        first = first_of_action.setdefault(row.code, row)
        for field, label in (("action", "Action"), ("outcome", "Outcome"), ("lead", "Lead")):
            if getattr(row, field) != getattr(first, field) and getattr(row, field):
                problems.append(
                    f'Sheet "{sheet}", row {row.row}, column "{label}": differs from '
                    f"row {first.row} for the same action {row.code}."
                )
        if (row.code, row.ref) in seen_refs:
            problems.append(
                f'Sheet "{sheet}", row {row.row}, column "KPI ref": ({row.ref}) of {row.code} '
                f"is already on row {seen_refs[row.code, row.ref]}. Give each measure of an "
                "action its own number."
            )
        seen_refs.setdefault((row.code, row.ref), row.row)
    return problems
