import io
from decimal import Decimal
from pathlib import Path
from string import ascii_lowercase

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from actions.models import Action, Commitment, Sector
from kpis.models import KPI
from tests.conftest import PLAN_WORKBOOK
from tests.factories import UserFactory
from tests.workbooks import HEADER, with_dimension, workbook_bytes

pytestmark = pytest.mark.django_db

ROW = [1, "INCLUSIVE", 1, "All Settings", "1.1(a)", "Building a culture", "i", "% feeling safe"]


def run(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("import_plan", str(path), "--plan", "eis", *args, stdout=out)
    return out.getvalue()


def workbook(tmp_path: Path, rows: list[list], header: list[str] = HEADER) -> Path:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(workbook_bytes(rows, header))
    return path


def counts() -> tuple[int, int, int, int]:
    return (
        Commitment.objects.count(),
        Sector.objects.count(),
        Action.objects.count(),
        KPI.objects.count(),
    )


def test_it_imports_the_real_plan():
    output = run(PLAN_WORKBOOK)
    assert counts() == (5, 5, 95, 541)
    assert "Actions: 95 created, 0 updated, 0 unchanged" in output
    assert "KPIs: 541 created" in output
    action = Action.objects.get(code="2.4(b)")
    assert action.commitment.number == 2
    assert action.sector.name == "Alternative Provision and EOTAS"
    assert list(action.kpis.values_list("ref", flat=True))[:3] == ["i", "ii", "iii"]


def test_a_second_run_changes_nothing():
    run(PLAN_WORKBOOK)
    before = list(KPI.objects.order_by("pk").values())
    output = run(PLAN_WORKBOOK)
    assert "Actions: 0 created, 0 updated, 95 unchanged" in output
    assert "KPIs: 0 created, 0 updated, 541 unchanged" in output
    assert "Nothing to change" in output
    assert list(KPI.objects.order_by("pk").values()) == before


def test_dry_run_reports_and_writes_nothing():
    output = run(PLAN_WORKBOOK, "--dry-run")
    assert "Dry run: nothing was changed" in output
    assert "Actions: 95 created" in output
    assert counts() == (0, 0, 0, 0)


def test_changed_wording_updates_in_place(tmp_path):
    run(workbook(tmp_path, [ROW]))
    kpi_pk = KPI.objects.get().pk
    output = run(workbook(tmp_path, [[*ROW[:7], "% of learners feeling safe"]]))
    assert "KPIs: 0 created, 1 updated" in output
    assert KPI.objects.get().pk == kpi_pk
    assert KPI.objects.get().text == "% of learners feeling safe"


def test_blank_optional_cells_keep_what_is_stored(tmp_path):
    run(PLAN_WORKBOOK)
    kpi = KPI.objects.get(action__code="1.2(a)", ref="iii")
    kpi.unit, kpi.target_value, kpi.target_not_agreed = "percent", 74, False
    kpi.save()
    output = run(PLAN_WORKBOOK)
    kpi.refresh_from_db()
    assert (kpi.unit, kpi.target_value, kpi.target_not_agreed) == ("percent", 74, False)
    assert "KPIs: 0 created, 0 updated, 541 unchanged" in output


def test_not_agreed_written_in_the_file_clears_a_target(tmp_path):
    header = [*HEADER, "Target", "Target not agreed"]
    run(workbook(tmp_path, [[*ROW, 74, ""]], header=header))
    assert KPI.objects.get().target_value == 74
    run(workbook(tmp_path, [[*ROW, "", "yes"]], header=header))
    kpi = KPI.objects.get()
    assert (kpi.target_value, kpi.target_not_agreed) == (None, True)


def test_a_target_marked_not_agreed_is_refused(tmp_path):
    header = [*HEADER, "Target", "Target not agreed"]
    with pytest.raises(CommandError, match='column "Target": has a value but the target is marked'):
        run(workbook(tmp_path, [[*ROW, 74, "yes"]], header=header))


def test_columns_are_matched_by_header_in_any_order_and_case(tmp_path):
    header = [h.upper().replace(" ", "  ") for h in reversed(HEADER)]
    run(workbook(tmp_path, [list(reversed(ROW))], header=header))
    assert KPI.objects.get().text == "% feeling safe"


def test_optional_columns_fill_the_kpi(tmp_path):
    header = [*HEADER, "Unit", "Polarity", "Baseline", "Target", "Target period", "Target kind"]
    row = [*ROW, "Percentage", "higher_better", "61.5", 74, "2028", "absolute"]
    run(workbook(tmp_path, [row], header=header))
    kpi = KPI.objects.get()
    assert (kpi.unit, kpi.polarity, kpi.target_kind) == ("percent", "higher_better", "absolute")
    assert (float(kpi.baseline_value), float(kpi.target_value)) == (61.5, 74)
    assert kpi.target_not_agreed is False


def test_lead_emails_assign_known_users_and_warn_about_others(tmp_path):
    user = UserFactory(email="lead@example.org")
    output = run(
        workbook(
            tmp_path, [[*ROW, "lead@example.org; nobody@example.org"]], [*HEADER, "Lead e-mails"]
        )
    )
    assert list(Action.objects.get().leads.all()) == [user]
    assert "nobody@example.org" in output


def test_missing_columns_are_named_and_nothing_is_written(tmp_path):
    path = workbook(tmp_path, [ROW[:6]], header=HEADER[:6])
    with pytest.raises(CommandError, match='missing required column\\(s\\) "KPI ref", "KPI"'):
        run(path)
    assert counts() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("column", "bad", "message"),
    [
        (4, "1.1a", 'row 2, column "Action code": "1.1a" is not an action code like 1.1(a)'),
        (
            4,
            "2.1(a)",
            'row 2, column "Action code": "2.1(a)" does not belong to commitment 1, sector 1',
        ),
        (6, "4", 'row 2, column "KPI ref": "4" is not a lower-case roman numeral'),
        (0, "one", 'row 2, column "Commitment no": "one" is not a whole number'),
        (7, "", 'row 2, column "KPI": is empty'),
    ],
)
def test_bad_cells_are_reported_with_sheet_row_and_column(tmp_path, column, bad, message):
    row = list(ROW)
    row[column] = bad
    with pytest.raises(CommandError) as error:
        run(workbook(tmp_path, [row]))
    assert 'Sheet "Delivery plan", ' + message in str(error.value)
    assert "nothing was changed" in str(error.value)


def test_a_bad_row_leaves_an_existing_plan_untouched(tmp_path):
    run(PLAN_WORKBOOK)
    before = list(KPI.objects.order_by("pk").values())
    good = [*ROW[:7], "Reworded"]
    with pytest.raises(CommandError):
        run(
            workbook(
                tmp_path,
                [good, [*ROW[:4], "1.1(b)", "x", "i", "% bad", "oops"], [*ROW[:6], "zz", "x"]],
            )
        )
    assert list(KPI.objects.order_by("pk").values()) == before


def test_duplicate_refs_are_refused(tmp_path):
    with pytest.raises(
        CommandError, match=r"row 3, column \"KPI ref\": \(i\) of 1.1\(a\) is already on row 2"
    ):
        run(workbook(tmp_path, [ROW, ROW]))


def many_actions(count: int) -> bytes:
    """A template workbook of `count` rows, each its own action (1.1(a)... 1.1(aa)...)."""
    codes = [*ascii_lowercase, *(a + b for a in ascii_lowercase for b in ascii_lowercase)]
    return workbook_bytes(
        [
            [*ROW[:4], f"1.1({codes[n]})", "Building a culture", "i", f"Measure {n}"]
            for n in range(count)
        ]
    )


def test_rows_past_the_size_the_sheet_claims_are_read(tmp_path):
    data = with_dimension(many_actions(40), "A1:H3")
    path = tmp_path / "plan.xlsx"
    path.write_bytes(data)
    run(path)
    assert KPI.objects.count() == 40


def test_the_row_limit_counts_the_rows_in_the_file_not_the_size_it_claims(tmp_path, settings):
    settings.PLAN_IMPORT_MAX_ROWS = 30
    path = tmp_path / "plan.xlsx"
    path.write_bytes(with_dimension(many_actions(40), "A1:H10"))
    with pytest.raises(CommandError, match='Sheet "Delivery plan" has more than 30 rows'):
        run(path)
    assert KPI.objects.count() == 0


def test_a_sheet_claiming_a_million_rows_is_read_as_the_rows_it_has(tmp_path, settings):
    settings.PLAN_IMPORT_MAX_ROWS = 30
    path = tmp_path / "plan.xlsx"
    path.write_bytes(with_dimension(many_actions(5), "A1:H1048576"))
    run(path)
    assert KPI.objects.count() == 5


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_text("Commitment,Action\n1,Do things\n")
    with pytest.raises(CommandError, match="is not an Excel workbook"):
        run(path)
    assert counts() == (0, 0, 0, 0)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run(tmp_path / "nope.xlsx")


def test_the_committed_workbook_has_the_template_headers():
    sheet = load_workbook(PLAN_WORKBOOK, read_only=True)["Delivery plan"]
    header = next(sheet.iter_rows(values_only=True))
    assert list(header[:8]) == [
        "Commitment no",
        "Commitment",
        "Commitment statement",
        "Sector no",
        "Sector",
        "Action code",
        "Action",
        "Lead",
    ]


SHAPE = [
    *HEADER,
    "Target kind",
    "Target",
    "Upper target",
    "Target comparator",
    "Comparator basis",
    "Target group",
    "Gap narrowing",
    "Trend figures",
    "Trend minimum change",
]


def test_the_target_shape_columns_fill_the_kpi(tmp_path):
    rows = [
        [*ROW, "range", 5, 10, "", "", "", "", "", ""],
        [*ROW[:6], "ii", "GLD", "comparator", "", "", "Greater Manchester", "in_line"],
        [*ROW[:6], "iii", "KS2 gap", "gap", "", "", "england", "", "Disadvantaged", 0.5],
        [*ROW[:6], "iv", "Suspensions", "trend", "", "", "", "", "", "", 3, 0.5],
    ]
    run(workbook(tmp_path, rows, header=SHAPE))
    band, comparator, gap, trend = KPI.objects.order_by("ref")
    assert (band.target_kind, band.target_value, band.target_upper_value) == ("range", 5, 10)
    assert (comparator.target_comparator.code, comparator.comparator_basis) == (
        "greater_manchester",
        "in_line",
    )
    assert (gap.target_cohort.code, gap.target_comparator.code, gap.gap_narrowing) == (
        "disadvantaged",
        "england",
        Decimal("0.5"),
    )
    assert (trend.trend_periods, trend.trend_min_change) == (3, Decimal("0.5"))
    # Targets judged against other figures are targets agreed, though they hold no number.
    assert not comparator.target_not_agreed and not gap.target_not_agreed
    assert not trend.target_not_agreed


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (
            ["range", 10, 5],
            'column "Upper target": must be at least the Target (10).',
        ),
        (
            ["comparator", "", "", "Wales"],
            'column "Target comparator": "Wales" is not one the service knows. Enter one of: '
            "England, Greater Manchester, North West, Statistical neighbours.",
        ),
        (
            ["comparator", "", "", "", "in_line"],
            'column "Comparator basis": needs a "Target comparator" to compare with.',
        ),
        (
            ["comparator", "", "", "England", "roughly"],
            'column "Comparator basis": "roughly" is not one of: at_or_better, in_line.',
        ),
        (["gap", "", "", "", "", "Pupils with red hair"], 'column "Target group": "Pupils with'),
        (["gap", "", "", "", "", "ehcp", 0], 'column "Gap narrowing": "0" must be more than 0.'),
        (
            ["trend", "", "", "", "", "", "", 1],
            'column "Trend figures": "1" must be a whole number, 2 or more.',
        ),
        (
            ["trend", "", "", "", "", "", "", 3, -1],
            'column "Trend minimum change": "-1" must be 0 or more.',
        ),
    ],
)
def test_bad_target_shapes_are_named_by_sheet_row_and_column(tmp_path, cells, message):
    with pytest.raises(CommandError) as error:
        run(workbook(tmp_path, [[*ROW, *cells]], header=SHAPE))
    assert 'Sheet "Delivery plan", row 2, ' + message in str(error.value)
    assert KPI.objects.count() == 0


def test_targets_the_plan_states_plainly_are_taken_and_nothing_else():
    run(PLAN_WORKBOOK)
    stated = {
        (k.action.code, k.ref): (k.unit, k.polarity, k.target_kind, k.target_value)
        for k in KPI.objects.select_related("action").filter(target_not_agreed=False)
    }
    threshold = ("percent", "higher_better", "threshold")
    # "(target: ≥90%)", "≥85% of settings attend…", "95% settings receive…", "100% of …"
    assert stated[("3.1(a)", "i")] == (*threshold, Decimal("90"))
    assert stated[("3.3(c)", "i")] == (*threshold, Decimal("85"))
    assert stated[("3.3(a)", "ii")] == (*threshold, Decimal("95"))
    assert stated[("5.4(a)", "x")] == (*threshold, Decimal("100"))
    # A number that defines the measure, two targets in one text, or an example, is not taken.
    for left in [("3.2(b)", "ix"), ("3.1(b)", "ii"), ("5.3(a)", "iv"), ("2.3(c)", "ii")]:
        assert left not in stated
    # Every other KPI stays "to be agreed", with no unit or direction invented.
    others = KPI.objects.filter(target_not_agreed=True)
    assert set(others.values_list("target_kind", "unit", "polarity")) == {
        ("to_be_agreed", "", "none")
    }
    assert len(stated) + others.count() == 541


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("% achieving GLD: 74% by 2028", ("absolute", "74", "higher_better", "2028")),
        ("School attendance consistently above 90%", ("threshold", "90", "higher_better", "")),
        ("GLD: an increase of 9 percentage points", ("change", "9", "higher_better", "")),
        ("A reduction of 2 percentage points in suspensions", ("change", "2", "lower_better", "")),
        ("% attending ≥90% of funded hours", None),
        ("Band for surplus places (e.g., 5–10%)", None),
        ("Persistent absence rate (% below 90%), with reductions over time.", None),
    ],
)
def test_the_stated_target_patterns(text, fields):
    from spreadsheets.plan_targets import stated_target

    found = stated_target(text)
    if fields is None:
        assert found == {}
        return
    kind, target, polarity, period = fields
    assert (found["target_kind"], found["target_value"], found["polarity"]) == (
        kind,
        Decimal(target),
        polarity,
    )
    assert found.get("target_period", "") == period
