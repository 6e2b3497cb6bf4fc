"""Tests for spreadsheets/plan_tree_read.py: reading and checking a structured plan workbook."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook

from spreadsheets.plan_tree_layout import COLUMNS, due_date_from_words, plan_tree_write
from spreadsheets.plan_tree_read import TreePlan, is_tree_layout, plan_tree_read
from spreadsheets.upload_checks import PlanFileError

AREAS = [
    [1, "PA 1", "Strategy", "Priority Action 1", "Implement the strategy.", "J Richards"],
    [2, "AFI 1", "Communication", "Area for Improvement 1", "Communicate.", "K Waterhouse"],
]
OUTCOMES = [["1.1", 1, "Better lived experiences"], ["2.1", 2, "Families understand"]]
ACTIONS = [
    ["1.1a", "1.1", "Create the strategy", None, "October 2024", date(2024, 10, 31), "", "", ""],
    ["1.1b", "1.1", "Gather feedback", None, "September – December 2024", None, "", "", ""],
    ["2.1a", "2.1", "Review communications", None, "June 2024", None, "", "", "a@bury.gov.uk"],
]
MEASURES = [
    [
        *(1, "i", "Requests for assessment", "", "count", "lower_better", "annual"),
        *(10, "2023/24", 8, "2025/26", "SEN2"),
    ],
    [1, "ii", "Feedback from parents", "communication", "", "", "", None, "", None, "", ""],
    [2, "i", "Confidence in the partnership", "", "", "", "", None, "", None, "", ""],
]
REFERENCES = [["PSV 10", "Safety Valve programme (PSV) item 10"]]


def good_rows() -> dict[str, list[list]]:
    """The rows of a small good plan, by sheet, fresh for each test to change."""
    rows = (AREAS, OUTCOMES, ACTIONS, MEASURES, REFERENCES)
    return {sheet: [list(row) for row in r] for sheet, r in zip(COLUMNS, rows, strict=True)}


def written(rows: dict[str, list[list]]) -> bytes:
    buffer = io.BytesIO()
    plan_tree_write(buffer, *rows.values())
    return buffer.getvalue()


def raw_workbook(sheets: dict[str, list[list]]) -> bytes:
    """A workbook with exactly these sheets and rows (header row first)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read(rows: dict[str, list[list]]) -> TreePlan:
    return plan_tree_read(written(rows), name="plan.xlsx")


def problems(rows: dict[str, list[list]]) -> list[str]:
    with pytest.raises(PlanFileError) as raised:
        read(rows)
    return raised.value.problems


def set_cell(rows: dict[str, list[list]], sheet: str, row: int, column: str, value) -> None:
    """Set the cell at spreadsheet row `row` (data starts on row 2) of `sheet`."""
    rows[sheet][row - 2][COLUMNS[sheet].index(column)] = value


# --------------------------------------------------------------------------- a good plan


def test_a_good_small_workbook_reads() -> None:
    plan = read(good_rows())
    assert [(a.number, a.code, a.short_name) for a in plan.areas] == [
        (1, "PA 1", "Strategy"),
        (2, "AFI 1", "Communication"),
    ]
    assert [(o.code, o.area_no) for o in plan.outcomes] == [("1.1", 1), ("2.1", 2)]
    assert [a.due_date for a in plan.actions] == [
        date(2024, 10, 31),
        date(2024, 12, 31),
        date(2024, 6, 30),
    ]
    assert plan.actions[2].lead_emails == ("a@bury.gov.uk",)
    first = plan.measures[0]
    assert (first.unit, first.polarity, first.frequency) == ("count", "lower_better", "annual")
    assert (first.baseline, first.target, first.data_source) == (Decimal(10), Decimal(8), "SEN2")
    assert plan.measures[1].also_relevant_to == (2,)
    assert plan.references[0].code == "PSV 10"
    assert plan.warnings == []


def test_links_resolve_to_actions_area_codes_area_titles_and_references() -> None:
    rows = good_rows()
    links = "2.1a; AFI 1; priority action 1; PSV 10"
    set_cell(rows, "Actions", 2, "Links and dependencies", links)
    assert read(rows).actions[0].links == ("2.1a", "AFI 1", "priority action 1", "PSV 10")


def test_headers_and_sheet_names_are_matched_ignoring_case_and_spacing() -> None:
    sheets = {
        name.upper(): [[h.lower().replace(" ", "_") for h in COLUMNS[name]], *rows]
        for name, rows in good_rows().items()
    }
    plan = plan_tree_read(raw_workbook(sheets), name="plan.xlsx")
    assert len(plan.actions) == 3


def test_also_relevant_to_names_areas_by_number_code_or_short_name() -> None:
    rows = good_rows()
    set_cell(rows, "Measures", 3, "Also relevant to", "2")
    set_cell(rows, "Measures", 4, "Also relevant to", "pa1; STRATEGY")
    plan = read(rows)
    assert [m.also_relevant_to for m in plan.measures[1:]] == [(2,), (1,)]


@pytest.mark.parametrize(
    ("words", "due"),
    [
        ("October 2024", date(2024, 10, 31)),
        ("September – December 2024", date(2024, 12, 31)),
        ("September - December 2024", date(2024, 12, 31)),
        ("September- December 2024", date(2024, 12, 31)),
        ("February 2024", date(2024, 2, 29)),
        ("Each term", None),
    ],
)
def test_by_when_words_give_the_last_day_of_the_last_month(words: str, due) -> None:
    assert due_date_from_words(words) == due


def test_is_tree_layout_needs_actions_and_priority_areas_sheets() -> None:
    assert is_tree_layout(["Priority areas", "Outcomes", "Actions"])
    assert not is_tree_layout(["Delivery plan", "Notes"])
    assert not is_tree_layout(["Actions"])


# --------------------------------------------------------------------------- bad input


def test_missing_sheets_are_named() -> None:
    sheets = {"Priority areas": [COLUMNS["Priority areas"], *AREAS]}
    with pytest.raises(PlanFileError) as raised:
        plan_tree_read(raw_workbook(sheets), name="plan.xlsx")
    assert '"Outcomes", "Actions", "Measures", "Other references"' in raised.value.problems[0]


def test_missing_columns_are_named_on_every_sheet() -> None:
    sheets = {name: [COLUMNS[name], *rows] for name, rows in good_rows().items()}
    sheets["Actions"][0] = [h for h in COLUMNS["Actions"] if h != "Action code"]
    sheets["Outcomes"][0] = ["Outcome code", "Area"]
    with pytest.raises(PlanFileError) as raised:
        plan_tree_read(raw_workbook(sheets), name="plan.xlsx")
    assert raised.value.problems == [
        'Sheet "Outcomes", row 1: missing required column(s) "Area no", "Outcome".',
        'Sheet "Actions", row 1: missing required column(s) "Action code".',
    ]


def test_area_numbers_must_be_whole_and_unique() -> None:
    rows = good_rows()
    rows["Priority areas"].append([1, "PA 2", "Early", "Priority Action 2", "", ""])
    set_cell(rows, "Priority areas", 3, "Area no", "two")
    found = problems(rows)
    assert 'Sheet "Priority areas", row 3, column "Area no": "two" is not a whole number.' in found
    assert (
        'Sheet "Priority areas", row 4, column "Area no": "1" is already on row 2. '
        "Each row needs its own area no." in found
    )


def test_outcome_codes_are_checked_against_their_area() -> None:
    rows = good_rows()
    set_cell(rows, "Outcomes", 2, "Outcome code", "1")
    set_cell(rows, "Outcomes", 3, "Outcome code", "1.2")
    rows["Outcomes"] += [["5.1", 5, "Nowhere"], ["5.1", 5, "Twice"]]
    found = problems(rows)
    assert (
        'Sheet "Outcomes", row 2, column "Outcome code": "1" is not an outcome code like 1.1.'
        in (found)
    )
    assert (
        'Sheet "Outcomes", row 3, column "Outcome code": "1.2" does not belong to area 2.' in found
    )
    assert (
        'Sheet "Outcomes", row 4, column "Area no": there is no area 5 on the "Priority areas" '
        "sheet." in found
    )
    assert (
        'Sheet "Outcomes", row 5, column "Outcome code": "5.1" is already on row 4. '
        "Each row needs its own outcome code." in found
    )


def test_action_codes_are_checked_against_their_outcome() -> None:
    rows = good_rows()
    set_cell(rows, "Actions", 2, "Action code", "1.1")
    set_cell(rows, "Actions", 3, "Action code", "2.1b")
    set_cell(rows, "Actions", 4, "Outcome code", "2.9")
    set_cell(rows, "Actions", 4, "Action code", "2.9a")
    rows["Actions"].append(["2.9a", "2.9", "Again", None, "May 2025", None, "", "", ""])
    found = problems(rows)
    assert (
        'Sheet "Actions", row 2, column "Action code": "1.1" is not an action code like 1.1a.'
        in (found)
    )
    assert (
        'Sheet "Actions", row 3, column "Action code": "2.1b" does not belong to outcome 1.1.'
        in found
    )
    assert (
        'Sheet "Actions", row 4, column "Outcome code": there is no outcome 2.9 on the '
        '"Outcomes" sheet.' in found
    )
    assert (
        'Sheet "Actions", row 5, column "Action code": "2.9a" is already on row 4. '
        "Each row needs its own action code." in found
    )


def test_a_due_date_that_is_not_a_date_is_named() -> None:
    rows = good_rows()
    set_cell(rows, "Actions", 2, "Due date", "soon")
    assert problems(rows) == [
        'Sheet "Actions", row 2, column "Due date": "soon" is not a date. Enter a date such '
        "as 31/10/2024."
    ]


def test_an_action_with_no_readable_due_date_names_both_columns() -> None:
    rows = good_rows()
    set_cell(rows, "Actions", 3, "By when", "Ongoing")
    assert problems(rows) == [
        'Sheet "Actions", row 3, columns "Due date" and "By when": neither gives a date. Enter '
        'the due date, or a month and year in By when such as "October 2024".'
    ]


def test_measures_are_checked_against_the_areas() -> None:
    rows = good_rows()
    set_cell(rows, "Measures", 2, "Area no", 4)
    set_cell(rows, "Measures", 3, "Also relevant to", "Finance; Strategy")
    set_cell(rows, "Measures", 4, "Measure ref", "1")
    rows["Measures"].append([1, "ii", "Twice", "", "", "", "", None, "", None, "", ""])
    found = problems(rows)
    assert len(found) == 5
    for expected in (
        'Sheet "Measures", row 5, column "Measure ref": "ii" is already on row 3. Each row '
        "needs its own measure ref within its area.",
        'Sheet "Measures", row 4, column "Measure ref": "1" is not a lower-case roman numeral '
        "like iv.",
        'Sheet "Measures", row 2, column "Area no": there is no area 4 on the "Priority areas" '
        "sheet.",
        'Sheet "Measures", row 3, column "Also relevant to": "Finance" is not a priority area. '
        'Name an area by its number, code or short name as on the "Priority areas" sheet.',
        'Sheet "Measures", row 3, column "Also relevant to": "Strategy" is the measure\'s own '
        "area. List only other areas.",
    ):
        assert expected in found


def test_a_link_to_nothing_names_the_row_and_the_link() -> None:
    rows = good_rows()
    set_cell(rows, "Actions", 4, "Links and dependencies", "1.1a; PSV 99; AFI 7")
    assert problems(rows) == [
        f'Sheet "Actions", row 4, column "Links and dependencies": "{link}" is not an action '
        'code in this file, a priority area or a code on the "Other references" sheet.'
        for link in ("PSV 99", "AFI 7")
    ]


def test_a_bad_unit_is_named_with_the_allowed_codes() -> None:
    rows = good_rows()
    set_cell(rows, "Measures", 2, "Unit", "apples")
    assert problems(rows) == [
        'Sheet "Measures", row 2, column "Unit": "apples" is not one of: percent, '
        "percentage_points, count, rate_per_10000, money, days, weeks, score, milestone."
    ]


def test_every_problem_is_reported_not_just_the_first() -> None:
    rows = good_rows()
    set_cell(rows, "Priority areas", 2, "Short name", "")
    set_cell(rows, "Actions", 2, "Action", "")
    set_cell(rows, "Measures", 2, "Measure", "")
    assert problems(rows) == [
        'Sheet "Priority areas", row 2, column "Short name": is empty.',
        'Sheet "Actions", row 2, column "Action": is empty.',
        'Sheet "Measures", row 2, column "Measure": is empty.',
    ]


def test_a_sheet_with_no_rows_is_refused() -> None:
    rows = good_rows()
    rows["Actions"] = []
    assert 'Sheet "Actions" has a header row but no rows below it.' in problems(rows)


def test_too_many_rows_are_refused(settings) -> None:
    settings.PLAN_IMPORT_MAX_ROWS = 2
    with pytest.raises(PlanFileError) as raised:
        read(good_rows())
    assert raised.value.problems == [
        'Sheet "Actions" has more than 2 rows below its header row, the most a sheet may have. '
        "Remove empty or extra rows, or split the file."
    ]


def test_a_file_that_is_not_a_workbook_is_refused_before_it_is_opened() -> None:
    with pytest.raises(PlanFileError) as raised:
        plan_tree_read(b"Area no,Area code\n1,PA 1\n", name="plan.xlsx")
    assert "is not an Excel workbook (.xlsx)" in raised.value.problems[0]
