"""The structured plan workbook: a plan shaped priority area -> outcome -> action.

Plans such as the SEND Priority Impact Plan are written as priority areas (each with a
statement, a lead and measures of impact), outcomes under each area and actions under
each outcome. This workbook holds such a plan as one sheet per level. The reader
(plan_tree_read) and the fixture builder (fixtures/build_send_pip.py) both take the
sheets, columns and the reading of a "By when" from here; the codes come from the models'
choices.
"""

import calendar
import re
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from bury_eis.exports import DATE_FORMAT, format_sheet
from kpis.models import Frequency, Polarity, Unit
from spreadsheets.plan_template import FIXED_TIMESTAMP, style_header, style_notes_sheet

AREAS_SHEET = "Priority areas"
OUTCOMES_SHEET = "Outcomes"
ACTIONS_SHEET = "Actions"
MEASURES_SHEET = "Measures"
REFERENCES_SHEET = "Other references"
NOTES_SHEET = "Notes"
LINK_SEPARATOR = "; "

# Sheet -> column header -> what goes in it. The order is the sheets' and columns' order.
NOTES: dict[str, dict[str, str]] = {
    AREAS_SHEET: {
        "Area no": "Position of the priority area in the plan: 1, 2, 3 ... Required.",
        "Area code": 'The plan\'s short code for the area, e.g. "PA 1" or "AFI 1". Required.',
        "Short name": 'A name of a few words for the area, e.g. "Strategy". Required.',
        "Title": 'The area\'s heading, e.g. "Priority Action 1" or "Area for Improvement 1". '
        "Required.",
        "Statement": "What the area asks for, as worded in the plan; one line per bullet.",
        "Lead": "Who leads the area, as named in the plan.",
    },
    OUTCOMES_SHEET: {
        "Outcome code": 'The plan\'s code for the outcome: area number.outcome number, e.g. "1.1". '
        "Required.",
        "Area no": "Number of the priority area the outcome sits under. Required.",
        "Outcome": "The desired outcome for children and young people, as worded. Required.",
    },
    ACTIONS_SHEET: {
        "Action code": 'The plan\'s code for the action: outcome code and a letter, e.g. "1.1a". '
        "Required.",
        "Outcome code": "Code of the outcome the action sits under. Required.",
        "Action": "What the partnership will do, as worded in the plan. Required.",
        "Lead": "Who leads the action; blank where the plan names only the area's lead.",
        "By when": "When the action is due, in the plan's words, e.g. "
        '"September – December 2024".',
        "Due date": "The date the action is due: the last day of the month it is due in (for a "
        "range of months, the last). Blank to read it from By when.",
        "How will we measure impact?": "The plan's milestones and evidence of impact, as worded.",
        "Links and dependencies": "What the action links to or depends on, separated by "
        'semicolons: action codes (e.g. "6.1b"), priority area codes or titles (e.g. "AFI 1", '
        '"Priority Action 1") or codes from the Other references sheet (e.g. "PSV 10").',
        "Lead e-mails": "E-mail addresses of the officers who update this action, separated by "
        "semicolons. They must already have accounts.",
    },
    MEASURES_SHEET: {
        "Area no": "Number of the priority area whose impact the measure shows. Required.",
        "Measure ref": "The measure's number within its area, in lower-case roman numerals "
        "(i, ii, ...). Required.",
        "Measure": "The measure, as worded in the plan. Required.",
        "Also relevant to": "Other priority areas the measure shows impact on, by short name, "
        "code or number, separated by semicolons.",
        "Unit": "What the measure is counted in. Pick one code from the list.",
        "Polarity": "Which direction is good. Pick one code from the list.",
        "Frequency": "How often the measure is reported. Pick one code from the list.",
        "Baseline": "The starting value of the measure, as a number in the chosen unit.",
        "Baseline period": "When the baseline was measured, e.g. 2024/25 or Summer 2025.",
        "Target": "The value the measure should reach, as a number in the chosen unit.",
        "Target period": "When the target should be reached, e.g. 2025/26.",
        "Data source": "Where the figures come from (system, survey, return or dataset).",
    },
    REFERENCES_SHEET: {
        "Code": 'A code that actions link to from outside this plan, e.g. "PSV 10". Required.',
        "Description": "What the code stands for. Required.",
    },
}
COLUMNS: dict[str, list[str]] = {sheet: list(notes) for sheet, notes in NOTES.items()}
REQUIRED: dict[str, list[str]] = {
    sheet: [column for column, note in notes.items() if note.endswith("Required.")]
    for sheet, notes in NOTES.items()
}
ALLOWED_CODES: dict[str, list[str]] = {
    "Unit": list(Unit.values),
    "Polarity": list(Polarity.values),
    "Frequency": list(Frequency.values),
}
WIDE_COLUMNS: dict[str, int] = {
    "Statement": 70,
    "Outcome": 60,
    "Action": 60,
    "How will we measure impact?": 70,
    "Measure": 70,
    "Description": 50,
    "Lead": 40,
    "Links and dependencies": 28,
    "Also relevant to": 28,
    "By when": 26,
    "Data source": 30,
}
_MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name} | {
    name.lower(): n for n, name in enumerate(calendar.month_abbr) if name
}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
# "October 2024"; a range "September – December 2024" (any dash, spaced or not), or
# "September 2024 - March 2025": the plan's range is due at its end.
_BY_WHEN_RE = re.compile(
    rf"^(?:{_MONTH}(?:\s+\d{{4}})?\s*[-–—]\s*)?{_MONTH}\s+(\d{{4}})$", re.IGNORECASE
)


def due_date_from_words(text: str) -> date | None:
    """The last day of the month a "By when" names (for a range, its last month); None if
    the words name no month and year."""
    match = _BY_WHEN_RE.match(" ".join(text.split()))
    if not match:
        return None
    month, year = _MONTHS[match[2].lower()], int(match[3])
    return date(year, month, calendar.monthrange(year, month)[1])


def plan_tree_write(
    target: Path | BinaryIO,
    areas: Iterable[Sequence],
    outcomes: Iterable[Sequence],
    actions: Iterable[Sequence],
    measures: Iterable[Sequence],
    references: Iterable[Sequence],
    *,
    creator: str = "Bury EIS",
) -> None:
    """Write a structured plan workbook to `target` (a path, replaced if it exists, or a
    binary buffer). Each row is a sequence of cell values in its sheet's COLUMNS order."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    rows = (areas, outcomes, actions, measures, references)
    for sheet_name, sheet_rows in zip(COLUMNS, rows, strict=True):
        _fill_sheet(workbook.create_sheet(sheet_name), COLUMNS[sheet_name], sheet_rows)
    _fill_notes(workbook.create_sheet(NOTES_SHEET))
    workbook.properties.creator = creator
    workbook.properties.created = FIXED_TIMESTAMP
    if isinstance(target, Path):
        target.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(target)


def _fill_sheet(sheet: Worksheet, columns: list[str], rows: Iterable[Sequence]) -> None:
    sheet.append(columns)
    for row in rows:
        sheet.append(list(row))
    style_header(sheet)
    wrap = Alignment(wrap_text=True, vertical="top")
    for index, header in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = WIDE_COLUMNS.get(header, max(12, len(header) + 3))
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.alignment = wrap
            if header == "Due date":
                cell.number_format = DATE_FORMAT
        if header in ALLOWED_CODES:
            _add_validation(sheet, header, f"{letter}2:{letter}{max(sheet.max_row, 2)}")
    # Numbers, dates and codes formatted as in every workbook the service writes; a blank
    # Due date keeps the date format, so a date typed there shows as one.
    format_sheet(sheet)
    sheet.auto_filter.ref = sheet.dimensions


def _add_validation(sheet: Worksheet, header: str, cells: str) -> None:
    """A drop-down list of the allowed codes on a column the council fills in."""
    codes = ALLOWED_CODES[header]
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(codes) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=f"Invalid {header.lower()}",
        error=f"Choose one of: {', '.join(codes)}",
    )
    validation.add(cells)
    sheet.add_data_validation(validation)


def _fill_notes(sheet: Worksheet) -> None:
    sheet.append(["Sheet", "Column", "What goes in it", "Allowed codes"])
    for sheet_name, notes in NOTES.items():
        for column, note in notes.items():
            sheet.append([sheet_name, column, note, ", ".join(ALLOWED_CODES.get(column, []))])
    style_notes_sheet(sheet, (18, 28, 90, 50))
