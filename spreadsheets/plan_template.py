"""The plan template's layout: its columns, what each means, and how the workbook is written.

The importer (plan_workbook) reads this layout and the fixture builder writes it,
so the columns and the allowed codes live here once; the codes come from the
models' choices.
"""

import io
import re
import zipfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from bury_eis.exports import format_sheet
from kpis.models import ComparatorBasis, Frequency, Polarity, TargetKind, Unit
from spreadsheets.plan_cells import header_key

SHEET_NAME = "Delivery plan"
NOTES_SHEET_NAME = "Notes"

# Column header -> what goes in it. The order is the template's column order.
NOTES: dict[str, str] = {
    "Commitment no": "Number of the strategy commitment (1-5) the action sits under.",
    "Commitment": "Short title of the commitment, as in its heading (e.g. INCLUSIVE).",
    "Commitment statement": "The commitment's full statement from the strategy.",
    "Sector no": "Position of the sector in the plan: 1 All Settings, 2 Early Years, "
    "3 Schools, 4 Alternative Provision and EOTAS, 5 Post 16.",
    "Sector": "Name of the sector the action belongs to.",
    "Action code": "The plan's code for the action: commitment.sector(letter), e.g. 3.1(f).",
    "Action": "What the partnership will do, as worded in the plan.",
    "Lead": "Who leads the action (initials, role or board); blank where the plan names no one.",
    "Outcome": "The outcome the action aims for, without the 'Outcome:' prefix.",
    "KPI ref": "The measure's number within the action, in lower-case roman numerals (i, ii, ...).",
    "KPI": "The measure or milestone, as worded in the plan.",
    "Unit": "What the measure is counted in. Pick one code from the list.",
    "Polarity": "Which direction is good. Pick one code from the list.",
    "Baseline": "The starting value of the measure, as a number in the chosen unit.",
    "Baseline period": "When the baseline was measured, e.g. 2024/25 or Summer 2025.",
    "Target": "The value the measure should reach, as a number in the chosen unit. For a "
    "change target, the change itself (e.g. 9 for an increase of 9 percentage points); for a "
    "range, the bottom of the band.",
    "Target period": "The target date: when the target should be reached, read as the day the "
    "period ends. An academic year (2027/28) ends on 31 August 2028, a financial year (2025-26 "
    "or FY 2025/26) on 31 March 2026, a term (Summer 2026) on its last day, a year (2028) on "
    "31 December unless the baseline is an academic or financial year, when it is that kind of "
    "year. Before the date a figure is judged against the straight line from the baseline to "
    'the target. Words with no date ("Each year") are kept as written.',
    "Target kind": "How the target is expressed. Pick one code from the list: absolute, "
    "change, cumulative (reach a number, by the target date if given), threshold (stay beyond "
    "it), range (stay between Target and Upper target), comparator (against Target comparator), "
    "gap (Target group's gap closes), trend (moves the better way), milestone, to_be_agreed.",
    "Target not agreed": "yes while the council has not agreed a target for this measure; "
    "else no. Leave blank to decide from whether a Target is given.",
    "Tolerance": "How far short of target still counts as Amber rather than Red, in the "
    "chosen unit.",
    "Upper target": "For a range: the top of the band, at least the Target. Blank otherwise.",
    "Target comparator": "For a comparator target, the comparator it names; for a gap target, "
    "the comparator the gap is to (blank: the gap to all pupils). Its name or code, e.g. "
    "England, Greater Manchester, North West, Statistical neighbours.",
    "Comparator basis": "For a comparator target: at_or_better (at or better than the "
    "comparator; short by no more than the Tolerance is Amber) or in_line (within the "
    "Tolerance either side, or better, is Green). Blank means at_or_better.",
    "Target group": "The group the target is for, judged on that group's figure, by name or "
    "code, e.g. Disadvantaged, EHCP; for a gap target, the group whose gap should close. Blank "
    "means all pupils.",
    "Gap narrowing": "For a gap target: how much the gap should narrow each period, a number "
    "above 0 in the chosen unit.",
    "Trend figures": "For a trend target: how many figures the trend is judged over, a whole "
    "number of 2 or more. Blank means 2: each figure against the one before.",
    "Trend minimum change": "For a trend target: the least change in the better direction "
    "that counts as on track, in the chosen unit. Blank means any change for the better.",
    "Lead e-mails": "E-mail addresses of the officers who update this action, separated by "
    "semicolons. They must already have accounts.",
    "Data source": "Where the figures come from (system, survey, return or dataset).",
    "Frequency": "How often the measure is reported. Pick one code from the list.",
}
TEMPLATE_COLUMNS: list[str] = list(NOTES)
REQUIRED_COLUMNS: list[str] = [
    "Commitment no",
    "Commitment",
    "Sector no",
    "Sector",
    "Action code",
    "Action",
    "KPI ref",
    "KPI",
]
# A commitment or sector may be given by number or by name alone: the plan's own
# commitments and sectors supply the other (plan_workbook), so either column of a pair will do.
PAIRED_COLUMNS: dict[str, str] = {
    "Commitment no": "Commitment",
    "Commitment": "Commitment no",
    "Sector no": "Sector",
    "Sector": "Sector no",
}
# Other headings plans give the template's columns -> the column each means. Matched in
# header_key form, so "Action Ref", "action_ref" and "ACTION-REF" are all "Action ref".
SYNONYMS: dict[str, str] = {
    "Commitment number": "Commitment no",
    "Commitment ref": "Commitment no",
    "Pillar no": "Commitment no",
    "Pillar number": "Commitment no",
    "Commitment name": "Commitment",
    "Commitment title": "Commitment",
    "Pillar": "Commitment",
    "Statement": "Commitment statement",
    "Sector number": "Sector no",
    "Sector name": "Sector",
    "Setting": "Sector",
    "Action ref": "Action code",
    "Action reference": "Action code",
    "Action no": "Action code",
    "Action number": "Action code",
    "Ref": "Action code",
    "Action description": "Action",
    "Actions": "Action",
    "Lead officer": "Lead",
    "Owner": "Lead",
    "Responsible": "Lead",
    "Outcomes": "Outcome",
    "KPI number": "KPI ref",
    "KPI no": "KPI ref",
    "Measure ref": "KPI ref",
    "Measure no": "KPI ref",
    "Measure": "KPI",
    "Indicator": "KPI",
    "KPI / Milestone": "KPI",
    "KPI or milestone": "KPI",
    "Milestone": "KPI",
    "Units": "Unit",
    "Direction": "Polarity",
    "Good is": "Polarity",
    "Baseline year": "Baseline period",
    "Baseline date": "Baseline period",
    "Target date": "Target period",
    "Target year": "Target period",
    "By when": "Target period",
    "Target type": "Target kind",
    "Email": "Lead e-mails",
    "Emails": "Lead e-mails",
    "Lead email": "Lead e-mails",
    "Source": "Data source",
    "Reporting frequency": "Frequency",
}
# Every heading the template's columns are known by, in header_key form -> the column.
COLUMN_BY_KEY: dict[str, str] = {header_key(s): c for s, c in SYNONYMS.items()} | {
    header_key(c): c for c in TEMPLATE_COLUMNS
}
ALLOWED_CODES: dict[str, list[str]] = {
    "Unit": list(Unit.values),
    "Polarity": list(Polarity.values),
    "Target kind": list(TargetKind.values),
    "Target not agreed": ["yes", "no"],
    "Comparator basis": list(ComparatorBasis.values),
    "Frequency": list(Frequency.values),
}
COLUMN_WIDTHS: dict[str, int] = {
    "Commitment": 24,
    "Commitment statement": 50,
    "Sector": 22,
    "Action": 60,
    "Outcome": 60,
    "KPI": 70,
    "Data source": 30,
}
WRAPPED_COLUMNS = {"Commitment statement", "Action", "Outcome", "KPI"}

# A fixed timestamp so rebuilding the workbook gives byte-identical output (no git noise).
FIXED_TIMESTAMP = datetime(2026, 1, 1)


def plan_template_workbook(rows: Iterable[list] = (), *, creator: str = "Bury EIS") -> Workbook:
    """The template as a workbook, for callers that add sheets of their own (plan_export)."""
    workbook = Workbook()
    data = workbook.active
    data.title = SHEET_NAME
    _fill_data_sheet(data, rows)
    _add_validations(data)
    _fill_notes_sheet(workbook.create_sheet(NOTES_SHEET_NAME))
    workbook.properties.creator = creator
    workbook.properties.created = FIXED_TIMESTAMP
    return workbook


def plan_template_bytes(rows: Iterable[list] = (), *, creator: str = "Bury EIS") -> bytes:
    """The template as .xlsx bytes: empty for admins to fill in, or holding `rows`."""
    workbook = plan_template_workbook(rows, creator=creator)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _normalise_xlsx(buffer.getvalue())


def plan_template_write(rows: Iterable[list], target: Path, *, creator: str) -> None:
    """Write the template with `rows` (cell values in TEMPLATE_COLUMNS order) to `target`.

    Replaces any existing file. Timestamps are pinned so the same rows always
    give the same bytes.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(plan_template_bytes(rows, creator=creator))


def _fill_data_sheet(sheet: Worksheet, rows: Iterable[list]) -> None:
    sheet.append(TEMPLATE_COLUMNS)
    for row in rows:
        sheet.append(row)
    style_header(sheet)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for index, header in enumerate(TEMPLATE_COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = COLUMN_WIDTHS.get(header, max(12, len(header) + 3))
        alignment = wrap if header in WRAPPED_COLUMNS else top
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.alignment = alignment
    # Figures as numbers, codes ("1.10") and periods ("2028") as text (bury_eis.exports).
    format_sheet(sheet)
    sheet.auto_filter.ref = sheet.dimensions


def _add_validations(sheet: Worksheet) -> None:
    """Drop-down lists of the allowed codes on the columns the council fills in."""
    last_row = max(sheet.max_row, 2)
    for header, codes in ALLOWED_CODES.items():
        validation = DataValidation(
            type="list",
            formula1='"' + ",".join(codes) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=f"Invalid {header.lower()}",
            error=f"Choose one of: {', '.join(codes)}",
        )
        letter = get_column_letter(TEMPLATE_COLUMNS.index(header) + 1)
        validation.add(f"{letter}2:{letter}{last_row}")
        sheet.add_data_validation(validation)


def _fill_notes_sheet(sheet: Worksheet) -> None:
    sheet.append(["Column", "What goes in it", "Allowed codes", "Other headings read as it"])
    others: dict[str, list[str]] = {}
    for synonym, column in SYNONYMS.items():
        others.setdefault(column, []).append(synonym)
    for header in TEMPLATE_COLUMNS:
        required = " Required." if header in REQUIRED_COLUMNS else ""
        codes = ", ".join(ALLOWED_CODES.get(header, []))
        sheet.append([header, NOTES[header] + required, codes, ", ".join(others.get(header, []))])
    sheet.append([])
    sheet.append(
        [
            "Headings",
            "Headings are matched in any order, ignoring case, spaces, hyphens, underscores, "
            "full-width letters and invisible spaces, by the column's name or the other names "
            "in column D. A heading the import does not know is not guessed: the import page "
            "asks once which column it is, and remembers the answer for the plan. The plan is "
            "chosen on the import page (or with import_plan --plan).",
        ]
    )
    style_notes_sheet(sheet, (24, 90, 60, 40))


def style_notes_sheet(sheet: Worksheet, widths: tuple[int, ...]) -> None:
    """A Notes sheet's look, in every workbook the service writes: a bold, frozen header
    row, columns `widths` wide from A, and wrapped text aligned to the top."""
    style_header(sheet)
    for letter, width in zip("ABCDEFGH", widths, strict=False):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def style_header(sheet: Worksheet) -> None:
    """Bold the header row and freeze it so it stays visible while scrolling."""
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"


def _normalise_xlsx(content: bytes) -> bytes:
    """Pin the timestamps openpyxl stamps with 'now' so rebuilds are byte-identical.

    openpyxl overwrites the 'modified' property on save and zips each part with
    the current time; both are rewritten to FIXED_TIMESTAMP.
    """
    stamp = FIXED_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    data,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, data)
    return output.getvalue()
