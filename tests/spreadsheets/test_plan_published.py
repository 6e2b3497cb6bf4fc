"""spreadsheets/plan_published.py: reading the plan as published (the Word table in Excel).

Every workbook is built here. Each is saved and opened again the way the importer opens it
(load_workbook, data_only=False, not read-only), so merged and hidden rows are as in a file.
"""

import io
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from fixtures.build_delivery_plan import SEED_PATH, WORKBOOK_PATH, ActionRow, Plan, parse_plan
from spreadsheets.plan_published import is_published_layout, published_read
from spreadsheets.plan_rows import PlanRow
from spreadsheets.plan_text import roman
from spreadsheets.plan_workbook import plan_file_read, plan_workbook_read
from spreadsheets.upload_checks import PlanFileError
from tests.workbooks import with_dimension

HEADER = [None, "Action", "Lead", "KPI / Milestone"]
TITLES = [["Bury Education and Inclusion Strategy"], ["Delivery Plan (Draft)"], []]
# Rows 1-7 of every small plan: titles, a blank, the heading and statement, sector, header.
OPENING = [*TITLES, ["1. INCLUSIVE"], ["Every child belongs"], ["All Settings"], HEADER]


def reopen(book: Workbook, folder: Path) -> Workbook:
    path = folder / "published.xlsx"
    book.save(path)
    return load_workbook(path, data_only=False)


def make_book(rows: list[list], title: str = "Plan") -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    return book


def read(rows: list[list], folder: Path) -> tuple[list[PlanRow], list[str]]:
    return published_read(reopen(make_book(rows), folder))


def problems_of(rows: list[list], folder: Path) -> list[str]:
    with pytest.raises(PlanFileError) as caught:
        read(rows, folder)
    return caught.value.problems


def measures(rows: list[PlanRow], code: str) -> list[tuple[str, str]]:
    return [(row.ref, row.kpi) for row in rows if row.code == code]


def kpi_cell(outcome: str, *texts: str) -> str:
    numbered = [f"({roman(n)}) {text}" for n, text in enumerate(texts, start=1)]
    return "\n".join([f"Outcome: {outcome}", *numbered])


# --------------------------------------------------------------------------- the real plan


def published_rows(plan: Plan) -> list[list]:
    """The real plan laid out as the council's Word table pasted into Excel."""

    def action_row(action: ActionRow) -> list:
        cell = "\n".join(
            [f"Outcome: {action.outcome}", *(f"({k.ref}) {k.text}" for k in action.kpis)]
        )
        return [action.code, action.text, action.lead or None, cell]

    rows = list(TITLES)
    sectors = dict(plan.sectors)
    for commitment in plan.commitments:
        rows += [[f"{commitment.number}. {commitment.title}"], [commitment.statement], []]
        for sector_no, name in sectors.items():
            actions = [
                a
                for a in plan.actions
                if (a.commitment, a.sector) == (commitment.number, sector_no)
            ]
            if actions:
                rows += [[name], HEADER, *(action_row(a) for a in actions), []]
    return rows


@pytest.fixture(scope="module")
def real_book(tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    plan = parse_plan(SEED_PATH.read_text(encoding="utf-8"))
    return reopen(make_book(published_rows(plan)), tmp_path_factory.mktemp("real"))


@pytest.fixture(scope="module")
def real_read(real_book: Workbook) -> tuple[list[PlanRow], list[str]]:
    return published_read(real_book)


def test_real_plan_gives_95_actions_and_541_measures(real_read) -> None:
    rows, _warnings = real_read
    assert len({row.code for row in rows}) == 95
    assert len(rows) == 541


def test_real_plan_rows_equal_the_template_rows_but_for_the_row_number(real_read) -> None:
    rows, _warnings = real_read
    template = plan_workbook_read(WORKBOOK_PATH)
    assert [(r.code, r.ref, r.kpi) for r in rows] == [(r.code, r.ref, r.kpi) for r in template]
    assert [replace(r, row=0) for r in rows] == [replace(r, row=0) for r in template]


def test_real_plan_reads_without_warnings(real_read) -> None:
    assert real_read[1] == []


def test_real_plan_row_is_the_actions_sheet_row(real_book: Workbook, real_read) -> None:
    rows, _warnings = real_read
    first = rows[0]
    assert (first.code, real_book["Plan"].cell(first.row, 1).value) == ("1.1(a)", "1.1(a)")


def test_the_template_is_not_the_published_layout() -> None:
    assert not is_published_layout(load_workbook(WORKBOOK_PATH, data_only=False))


def test_the_real_plan_is_the_published_layout(real_book: Workbook) -> None:
    assert is_published_layout(real_book)


# --------------------------------------------------------------------------- a small plan

SMALL = [
    *OPENING,
    ["1.1(a)", "First action", "AB", kpi_cell("Things improve", "One", "Two")],
    ["1.1(b)", "Second action", None, kpi_cell("Better", "Only one")],
    ["Early Years"],
    HEADER,
    ["1.2(a)", "EY action", None, kpi_cell("Ready", "Ready to go")],
]


def test_small_plan_gives_one_template_row_per_measure(tmp_path: Path) -> None:
    rows, warnings = read(SMALL, tmp_path)
    assert warnings == []
    assert [(r.row, r.code, r.ref, r.kpi) for r in rows] == [
        (8, "1.1(a)", "i", "One"),
        (8, "1.1(a)", "ii", "Two"),
        (9, "1.1(b)", "i", "Only one"),
        (12, "1.2(a)", "i", "Ready to go"),
    ]
    first = rows[0]
    assert (first.commitment_no, first.commitment, first.statement) == (
        1,
        "INCLUSIVE",
        "Every child belongs",
    )
    assert (first.sector_no, first.sector, first.action, first.lead, first.outcome) == (
        1,
        "All Settings",
        "First action",
        "AB",
        "Things improve",
    )
    assert (rows[3].sector_no, rows[3].sector) == (2, "Early Years")


def test_details_the_published_plan_lacks_are_left_empty(tmp_path: Path) -> None:
    row = read(SMALL, tmp_path)[0][0]
    assert (row.unit, row.polarity, row.target_kind, row.frequency, row.data_source) == ("",) * 5
    assert (row.baseline, row.target, row.tolerance, row.target_not_agreed) == (None,) * 4
    assert (row.baseline_period, row.target_period, row.lead_emails) == ("", "", ())


@pytest.mark.parametrize(
    "rows",
    [
        SMALL,
        [*OPENING[:-1], ["Action", "Lead", "KPI / Milestone"], ["1.1(a) Act", None, "(i) One"]],
        [["3. effective and high attaining"], ["Text"], ["post-16"], HEADER, ["3.5(a)", "Act"]],
    ],
)
def test_small_plans_are_the_published_layout(tmp_path: Path, rows: list[list]) -> None:
    assert is_published_layout(reopen(make_book(rows), tmp_path))


def test_a_cover_sheet_alone_is_not_the_published_layout() -> None:
    assert not is_published_layout(make_book([*TITLES, ["Version", "0.3"]], title="Cover"))


# --------------------------------------------------------------------------- awkward features


def test_page_break_continuation_row_adds_action_text_and_measures(tmp_path: Path) -> None:
    rows, warnings = read(
        [
            *OPENING,
            ["1.1(a)", "First half of the", None, "Outcome: Things improve\n(i) One"],
            [None, "action text", None, "(ii) Two, which"],
            [None, None, None, "goes on"],
            ["1.1(b)", "Next", None, kpi_cell("Better", "Only one")],
        ],
        tmp_path,
    )
    assert warnings == []
    first = rows[0]
    assert (first.row, first.action, first.outcome) == (
        8,
        "First half of the action text",
        "Things improve",
    )
    assert measures(rows, "1.1(a)") == [("i", "One"), ("ii", "Two, which goes on")]


def test_a_word_hyphenated_across_the_page_break_is_rejoined(tmp_path: Path) -> None:
    rows, _ = read(
        [
            *OPENING,
            ["1.1(a)", "Schools and Multi-", None, kpi_cell("X", "One")],
            [None, "Academy Trusts", None, None],
        ],
        tmp_path,
    )
    assert rows[0].action == "Schools and Multi-Academy Trusts"


def test_a_lead_repeated_on_the_continuation_row_counts_once(tmp_path: Path) -> None:
    rows, _ = read(
        [
            *OPENING,
            ["1.1(a)", "Action", "AB", kpi_cell("X", "One")],
            [None, None, "AB", "(ii) Two"],
        ],
        tmp_path,
    )
    assert rows[0].lead == "AB"


def test_measures_run_together_on_one_line_are_split(tmp_path: Path) -> None:
    cell = "Outcome: Things improve (i) One; see (c) below (ii) Two (iii) Three"
    rows, warnings = read([*OPENING, ["1.1(a)", "Action", None, cell]], tmp_path)
    assert warnings == []
    assert rows[0].outcome == "Things improve"
    assert measures(rows, "1.1(a)") == [
        ("i", "One; see (c) below"),
        ("ii", "Two"),
        ("iii", "Three"),
    ]


def test_merged_cells_are_read_once_from_their_top_left_cell(tmp_path: Path) -> None:
    book = make_book(
        [
            *TITLES,
            ["1. INCLUSIVE"],
            ["Every child belongs"],
            ["All Settings"],
            HEADER,
            ["1.1(a)", "First half", None, kpi_cell("Things improve", "One", "Two")],
            [None, "second half", None, None],
            ["1.1(b)", "Wide action text", None, kpi_cell("Better", "Only one")],
        ]
    )
    sheet = book.active
    for cells in ("A4:D4", "A5:D5", "A6:D6", "B7:C7", "A8:A9", "C8:C9", "D8:D9", "B10:C10"):
        sheet.merge_cells(cells)
    book = reopen(book, tmp_path)
    assert is_published_layout(book)
    rows, warnings = published_read(book)
    assert warnings == []
    assert (rows[0].commitment, rows[0].statement) == ("INCLUSIVE", "Every child belongs")
    assert rows[0].action == "First half second half"
    assert measures(rows, "1.1(a)") == [("i", "One"), ("ii", "Two")]
    assert (rows[-1].code, rows[-1].action, rows[-1].lead) == ("1.1(b)", "Wide action text", "")


def test_blank_and_title_rows_are_passed_over(tmp_path: Path) -> None:
    rows, warnings = read(
        [
            [],
            *OPENING,
            [],
            ["1.1(a)", "First half", None, kpi_cell("X", "One")],
            ["DRAFT"],
            [],
            ["Delivery Plan (Draft)"],
            ["Bury Education & Inclusion Strategy"],
            HEADER,
            [None, "second half", None, "(ii) Two"],
            [None, None, None, None],
        ],
        tmp_path,
    )
    assert warnings == []
    assert rows[0].action == "First half second half"
    assert measures(rows, "1.1(a)") == [("i", "One"), ("ii", "Two")]


def test_only_the_sheet_holding_the_plan_is_read(tmp_path: Path) -> None:
    book = make_book([*TITLES, ["Version", "0.3"], ["1. Introduction"]], title="Cover")
    plan = book.create_sheet("Plan")
    for row in SMALL:
        plan.append(row)
    notes = book.create_sheet("Notes")
    notes.append(["Action", "Lead", "KPI / Milestone"])  # a legend of the columns
    notes.append(["What is done", "Who leads it", "How progress is measured"])
    book = reopen(book, tmp_path)
    assert is_published_layout(book)
    rows, warnings = published_read(book)
    assert warnings == []
    assert rows == read(SMALL, tmp_path)[0]


def test_a_plan_split_over_sheets_is_read_in_sheet_order(tmp_path: Path) -> None:
    book = make_book(SMALL[:9], title="Part 1")
    second = book.create_sheet("Part 2")
    for row in [["Early Years"], HEADER, ["1.2(a)", "EY action", None, kpi_cell("X", "One")]]:
        second.append(row)
    rows, warnings = published_read(reopen(book, tmp_path))
    assert warnings == []
    assert [(r.code, r.commitment_no, r.sector_no) for r in rows][-2:] == [
        ("1.1(b)", 1, 1),
        ("1.2(a)", 1, 2),
    ]


def test_hidden_row_is_skipped_with_a_warning_naming_it(tmp_path: Path) -> None:
    book = make_book(SMALL)
    book.active.row_dimensions[9].hidden = True
    book = reopen(book, tmp_path)
    assert is_published_layout(book)
    rows, warnings = published_read(book)
    assert warnings == ['Sheet "Plan", row 9: hidden row skipped.']
    assert "1.1(b)" not in {row.code for row in rows}


@pytest.mark.parametrize(
    "header, action_row",
    [
        # No reference column: the code starts the Action cell.
        (["Action", "Lead", "KPI / Milestone"], ["1.1(a) First action", "AB"]),
        (["Action", "Lead", "KPI / Milestone"], ["1.1(a)\nFirst action", "AB"]),
        # The header row lacks the unlabelled cell, so its labels sit one column left.
        (["Action", None, "Lead", "KPI / Milestone"], ["1.1(a)", "First action", "AB"]),
    ],
)
def test_a_table_without_an_unlabelled_reference_column_is_read(
    tmp_path: Path, header: list, action_row: list
) -> None:
    cell = kpi_cell("Things improve", "One", "Two")
    rows, warnings = read([*OPENING[:-1], header, [*action_row, cell]], tmp_path)
    assert warnings == []
    assert [(r.code, r.action, r.lead, r.ref, r.kpi) for r in rows] == [
        ("1.1(a)", "First action", "AB", "i", "One"),
        ("1.1(a)", "First action", "AB", "ii", "Two"),
    ]


@pytest.mark.parametrize(
    "heading, sector, number, title, sector_no",
    [
        ("3. EFFECTIVE & HIGH ATTAINING", "Post 16", 3, "EFFECTIVE & HIGH ATTAINING", 5),
        ("3. Effective and High Attaining", "Post-16", 3, "Effective and High Attaining", 5),
        ("4. collaborative & connected", "alternative provision & eotas", 4,
         "collaborative & connected", 4),
        ("2. SAFE", "EARLY YEARS", 2, "SAFE", 2),
    ],
)  # fmt: skip
def test_headings_match_in_any_case_with_and_or_ampersand(
    tmp_path: Path, heading: str, sector: str, number: int, title: str, sector_no: int
) -> None:
    code = f"{number}.{sector_no}(a)"
    rows, warnings = read(
        [[heading], ["Statement"], [sector], HEADER, [code, "Action", None, kpi_cell("X", "One")]],
        tmp_path,
    )
    assert warnings == []
    assert (rows[0].commitment_no, rows[0].commitment, rows[0].sector_no) == (
        number,
        title,
        sector_no,
    )


def test_odd_spaces_and_full_width_text_are_matched_but_kept_as_written() -> None:
    # Read in memory: saving would lose the "\r" (XML reading turns "\r\n" into "\n").
    book = make_book(
        [
            ["\u00a01.\u00a0INCLUSIVE "],
            ["Every child\u00a0belongs\r\n"],
            ["Early\u00a0Years\u200b"],
            [None, "Ａｃｔｉｏｎ", "Lead", "KPI\u00a0/ Milestone"],
            [
                "\u200b１.２(ａ) ",
                " Inclu\u200bsive  action\r\n",
                None,
                "Ｏｕｔｃｏｍｅ：\u00a0Ready\r\n(ｉ)\u200b Ready\u00a0to go\r\n"
                "（ii） Ｆｕｌｌ width",
            ],
        ]
    )
    rows, warnings = published_read(book)
    assert warnings == []
    first = rows[0]
    assert (first.code, first.commitment, first.statement) == (
        "1.2(a)",
        "INCLUSIVE",
        "Every child belongs",
    )
    assert (first.sector_no, first.action, first.outcome) == (2, "Inclu\u200bsive action", "Ready")
    assert measures(rows, "1.2(a)") == [("i", "Ready to go"), ("ii", "Ｆｕｌｌ width")]


def test_excels_escaped_carriage_returns_are_line_ends(tmp_path: Path) -> None:
    cell = "Outcome: Ready_x000D_\n(i) One_x000D_\n(ii) Two"
    rows, _ = read([*OPENING, ["1.1(a)", "Action_x000D_\ntext", None, cell]], tmp_path)
    assert rows[0].action == "Action text"
    assert measures(rows, "1.1(a)") == [("i", "One"), ("ii", "Two")]


def test_markup_is_stripped_as_the_fixture_builder_does(tmp_path: Path) -> None:
    cell = (
        "<p>Outcome: Things improve</p> <p>Unnumbered heading</p> <ul> (i) **Bold** "
        "$\\geq 90\\%$ (<90%) [assets.pub...ice.gov.uk]</ul>"
    )
    rows, _ = read([*OPENING, ["<p>1.1(a)</p>", "<p>Action</p>", None, cell]], tmp_path)
    assert (rows[0].code, rows[0].action, rows[0].outcome) == ("1.1(a)", "Action", "Things improve")
    assert measures(rows, "1.1(a)") == [("i", "Bold ≥90% (<90%)")]


def test_a_formula_is_kept_as_text_with_a_warning(tmp_path: Path) -> None:
    rows, warnings = read(
        [*OPENING, ["1.1(a)", "Action", "=SUM(A1)", kpi_cell("X", "One")]], tmp_path
    )
    assert rows[0].lead == "'=SUM(A1)"
    assert warnings == [
        'Sheet "Plan", row 8, column C: formula =SUM(A1) kept as text, not calculated.'
    ]


# --------------------------------------------------------------------------- warnings


def test_a_gap_in_kpi_numbering_is_warned_at_the_row_it_is_on(tmp_path: Path) -> None:
    rows, warnings = read(
        [
            *OPENING,
            ["1.1(a)", "Action", None, kpi_cell("X", "One", "Two")],
            [None, None, None, "(iv) Four"],
        ],
        tmp_path,
    )
    assert warnings == ['Sheet "Plan", row 9: (iv) follows (ii) in 1.1(a): (iii) is missing.']
    assert measures(rows, "1.1(a)") == [("i", "One"), ("ii", "Two"), ("iv", "Four")]


def test_measures_not_starting_at_i_are_warned(tmp_path: Path) -> None:
    _, warnings = read([*OPENING, ["1.1(a)", "Action", None, "Outcome: X (ii) Two"]], tmp_path)
    assert warnings == [
        'Sheet "Plan", row 8: 1.1(a) starts its measures at (ii), not (i): (i) is missing.'
    ]


def test_a_gap_of_several_refs_names_each(tmp_path: Path) -> None:
    cell = "Outcome: X (i) One (v) Five"
    rows, warnings = read([*OPENING, ["1.1(a)", "Action", None, cell]], tmp_path)
    assert warnings == [
        'Sheet "Plan", row 8: (v) follows (i) in 1.1(a): (ii), (iii), (iv) are missing.'
    ]
    assert measures(rows, "1.1(a)") == [("i", "One"), ("v", "Five")]


def test_a_ref_out_of_order_is_kept_as_wording_with_a_warning(tmp_path: Path) -> None:
    cell = "Outcome: X (i) One (iii) Three (ii) Two"
    rows, warnings = read([*OPENING, ["1.1(a)", "Action", None, cell]], tmp_path)
    assert measures(rows, "1.1(a)") == [("i", "One (iii) Three"), ("ii", "Two")]
    assert warnings == [
        'Sheet "Plan", row 8: (iii) is out of order in 1.1(a); kept as wording of (i).'
    ]


def test_a_kpi_cell_without_outcome_is_warned(tmp_path: Path) -> None:
    rows, warnings = read([*OPENING, ["1.1(a)", "Action", None, "Aims (i) One"]], tmp_path)
    assert rows[0].outcome == "Aims"
    assert warnings == [
        'Sheet "Plan", row 8: the KPI / Milestone cell of 1.1(a) does not start with '
        '"Outcome:"; its opening text is taken as the outcome.'
    ]


def test_a_code_under_the_wrong_sector_heading_is_warned(tmp_path: Path) -> None:
    rows, warnings = read(
        [*OPENING, ["Early Years"], HEADER, ["1.3(a)", "Action", None, kpi_cell("X", "One")]],
        tmp_path,
    )
    assert warnings == [
        'Sheet "Plan", row 10: code 1.3(a) does not match its sector heading "Early Years" '
        "(sector 2)."
    ]
    assert (rows[0].code, rows[0].sector_no) == ("1.3(a)", 2)


def test_a_code_under_the_wrong_commitment_heading_is_warned(tmp_path: Path) -> None:
    _, warnings = read([*OPENING, ["2.1(a)", "Action", None, kpi_cell("X", "One")]], tmp_path)
    assert warnings == [
        'Sheet "Plan", row 8: code 2.1(a) does not match its commitment heading '
        '"1. INCLUSIVE" (commitment 1).'
    ]


def test_a_note_outside_any_action_is_ignored_with_a_warning(tmp_path: Path) -> None:
    rows, warnings = read(
        [*OPENING, ["Note to self"], ["1.1(a)", "Action", None, kpi_cell("X", "One")]], tmp_path
    )
    assert warnings == ['Sheet "Plan", row 8: not part of any action; ignored.']
    assert [r.code for r in rows] == ["1.1(a)"]


# --------------------------------------------------------------------------- refused files


def test_a_duplicate_action_code_is_refused(tmp_path: Path) -> None:
    problems = problems_of([*SMALL, ["1.1(a)", "Again", None, kpi_cell("X", "One")]], tmp_path)
    assert problems == [
        'Sheet "Plan", row 13: duplicate action code 1.1(a); it is already used on '
        'Sheet "Plan", row 8.'
    ]


def test_a_ref_written_twice_in_one_action_is_refused_naming_both_rows(tmp_path: Path) -> None:
    problems = problems_of(
        [
            *OPENING,
            ["1.1(a)", "Action", None, kpi_cell("X", "One", "Two")],
            [None, None, None, "(i) One again"],
        ],
        tmp_path,
    )
    assert problems == [
        'Sheet "Plan", row 9, column D: (i) of 1.1(a) is already on row 8. Give each measure '
        "of an action its own number."
    ]


def test_a_ref_written_twice_in_one_cell_is_refused(tmp_path: Path) -> None:
    cell = "Outcome: X (i) One (ii) Two (ii) Again"
    problems = problems_of([*OPENING, ["1.1(a)", "Action", None, cell]], tmp_path)
    assert problems == [
        'Sheet "Plan", row 8, column D: (ii) of 1.1(a) is already earlier in the same cell. '
        "Give each measure of an action its own number."
    ]


@pytest.mark.parametrize(
    "header, action_row, written",
    [
        (HEADER, ["1.1a", "Action", None], "1.1a"),
        (HEADER, ["1.1", "Action", None], "1.1"),
        (
            HEADER,
            ["Action in the reference column", "more", None],
            "Action in the reference column",
        ),
        (["Action", "Lead", "KPI / Milestone"], ["1,1(a) Action", None], "1,1(a) Action"),
        (["Action", None, "Lead", "KPI / Milestone"], ["1.1[a]", "Action", None], "1.1[a]"),
    ],
)
def test_a_malformed_action_code_is_refused(
    tmp_path: Path, header: list, action_row: list, written: str
) -> None:
    problems = problems_of([*OPENING[:-1], header, [*action_row, kpi_cell("X", "One")]], tmp_path)
    assert problems == [
        f'Sheet "Plan", row 8, column A: "{written}" is not an action code like 1.1(a).'
    ]


def test_an_action_before_any_commitment_heading_is_refused(tmp_path: Path) -> None:
    problems = problems_of(
        [
            *TITLES,
            HEADER,
            ["1.1(a)", "Action", None, kpi_cell("X", "One")],
            ["1.1(b)", "Action", None, kpi_cell("X", "One")],
            ["1. INCLUSIVE"],
        ],
        tmp_path,
    )
    assert problems == [
        'Sheet "Plan", row 5: action 1.1(a) comes before any commitment heading such as '
        '"1. INCLUSIVE".'
    ]


def test_a_plan_without_actions_is_refused(tmp_path: Path) -> None:
    problems = problems_of(OPENING, tmp_path)
    assert problems == [
        'No actions found: no row of sheet(s) "Plan" has an action code such as 1.1(a) '
        'under an "Action | Lead | KPI / Milestone" header row.'
    ]


def test_a_workbook_without_the_plan_table_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PlanFileError, match='sheet\\(s\\) "Cover" has an action code'):
        published_read(reopen(make_book([*TITLES, ["1. INCLUSIVE"]], title="Cover"), tmp_path))


def test_an_action_without_numbered_measures_is_refused(tmp_path: Path) -> None:
    problems = problems_of([*OPENING, ["1.1(a)", "Action", None, "Outcome: X"]], tmp_path)
    assert problems == [
        'Sheet "Plan", row 8: 1.1(a) has no numbered measures such as (i) in its '
        "KPI / Milestone cell."
    ]


def test_the_row_limit_counts_the_rows_in_the_file_not_the_size_it_claims(settings) -> None:
    settings.PLAN_IMPORT_MAX_ROWS = 20
    rows = [
        *OPENING,
        *(
            ([f"1.1({letter})", "Action", None, kpi_cell("X", "One")])
            for letter in "abcdefghijklmnop"
        ),
    ]
    buffer = io.BytesIO()
    make_book(rows).save(buffer)
    with pytest.raises(PlanFileError, match='Sheet "Plan" has more than 20 rows'):
        plan_file_read(with_dimension(buffer.getvalue(), "A1:D8"), name="plan.xlsx")
