"""The round-trip workbook's comparator columns: each figure with its period, read-only."""

import io

import pytest
from openpyxl import load_workbook

from kpis.models import Comparator, ComparatorValue, KPIValue
from spreadsheets.plan_export import ABOUT_SHEET, VALUE_COLUMNS, VALUES_SHEET
from spreadsheets.round_trip import COMPARATORS_READ_ONLY
from tests.factories import KPIValueFactory, ProgressUpdateFactory
from tests.spreadsheets.test_round_trip import confirm, edit, export, headline, saved, stage

pytestmark = pytest.mark.django_db

SLOT_ONE = ["Comparator 1", "Comparator 1 value", "Comparator 1 period"]
SLOT_TWO = ["Comparator 2", "Comparator 2 value", "Comparator 2 period"]


@pytest.fixture
def compared(lead, led_action, open_term):
    """A draft GLD figure for 2024/25 with England's for 2023/24 and North West's beside it."""
    ProgressUpdateFactory(action=led_action, term=open_term, status="draft")
    value = KPIValueFactory(
        kpi=led_action.kpis.get(ref="i"), term=open_term, value=66.9, data_period="2024/25"
    )
    for code, figure, period in (("england", 67.2, "2023/24"), ("north_west", 65, "2022/23")):
        ComparatorValue.objects.create(
            kpi_value=value,
            comparator=Comparator.objects.get(code=code),
            value=figure,
            period=period,
        )
    return value


def values_sheet(data: bytes):
    return load_workbook(io.BytesIO(data))[VALUES_SHEET]


def row_of(sheet, term, group: str) -> dict:
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        cells = dict(zip(header, row, strict=True))
        if (cells["Term"].value, cells["Group"].value) == (term.label, group):
            return cells
    raise AssertionError(f"no {group} row for {term}")


def stored(value: KPIValue) -> list[tuple]:
    return sorted(value.comparisons.values_list("comparator__code", "value", "period"))


def test_each_comparator_figure_is_exported_with_its_own_period_in_locked_columns(
    lead, compared, open_term
):
    sheet = values_sheet(export(lead))
    assert [c.value for c in sheet[1]] == [*VALUE_COLUMNS, *SLOT_ONE, *SLOT_TWO]
    row = row_of(sheet, open_term, "All pupils")
    assert row["Data period"].value == "2024/25"
    assert [row[h].value for h in [*SLOT_ONE, *SLOT_TWO]] == [
        "England",
        67.2,
        "2023/24",
        "North West",
        65,
        "2022/23",
    ]
    assert all(row[h].protection.locked for h in [*SLOT_ONE, *SLOT_TWO])
    assert not row["Value"].protection.locked
    assert [row_of(sheet, open_term, "Disadvantaged")[h].value for h in SLOT_ONE] == [None] * 3


def test_the_about_sheet_says_comparators_are_read_only(lead, compared):
    about = load_workbook(io.BytesIO(export(lead)))[ABOUT_SHEET]
    notes = {row[0]: row[1] for row in about.iter_rows(values_only=True)}
    assert "with the period it describes" in notes["Comparators"]
    assert "read-only" in notes["Comparators"]


def test_an_unchanged_export_with_comparators_reimports_as_a_no_op(lead, compared):
    before = stored(compared)
    staged = stage(export(lead), lead)
    assert staged.preview["groups"] == [] and staged.preview["problems"] == []
    assert not [w for w in staged.preview["warnings"] if "Comparator" in w]
    assert saved(confirm(staged, lead)) == 0
    assert stored(compared) == before


@pytest.mark.parametrize(
    ("changes", "column"),
    [
        ({"Comparator 1 value": 70}, "Comparator 1 value"),
        ({"Comparator 1 period": "2024/25"}, "Comparator 1 period"),
        ({"Comparator 2": "Greater Manchester"}, "Comparator 2"),
        ({"Comparator 1": None, "Comparator 1 value": None, "Comparator 1 period": None}, None),
    ],
)
def test_edited_comparator_cells_are_named_and_change_nothing_stored(
    lead, led_action, compared, open_term, changes, column
):
    before = stored(compared)
    data = edit(export(lead), VALUES_SHEET, headline(open_term, led_action), changes)
    # A real change in the same row is still saved, without the comparator edit.
    data = edit(data, VALUES_SHEET, headline(open_term, led_action), {"Value": 68})
    staged = stage(data, lead)
    preview = staged.preview
    assert preview["problems"] == []
    [warning] = [w for w in preview["warnings"] if COMPARATORS_READ_ONLY in w]
    row = row_of(values_sheet(export(lead)), open_term, "All pupils")["Value"].row
    where = f'Sheet "Values", row {row}, column "{column or "Comparator 1"}"'
    assert warning == f"{where}: {COMPARATORS_READ_ONLY}"
    [group] = preview["groups"]
    assert [c["field"] for c in group["changes"]] == ["(i) value"]
    assert saved(confirm(staged, lead)) == 1
    compared.refresh_from_db()
    assert compared.value == 68
    assert stored(compared) == before


def test_a_comparator_typed_into_an_empty_row_is_named_and_not_saved(
    lead, led_action, compared, open_term
):
    data = edit(
        export(lead),
        VALUES_SHEET,
        headline(open_term, led_action, group="Disadvantaged"),
        {"Comparator 1": "England", "Comparator 1 value": 50, "Comparator 1 period": "2023/24"},
    )
    staged = stage(data, lead)
    [warning] = [w for w in staged.preview["warnings"] if COMPARATORS_READ_ONLY in w]
    assert warning.startswith('Sheet "Values", row ') and 'column "Comparator 1"' in warning
    assert staged.preview["groups"] == []
    assert ComparatorValue.objects.count() == 2


def test_a_workbook_without_the_comparator_columns_still_reimports_as_a_no_op(lead, compared):
    book = load_workbook(io.BytesIO(export(lead)))
    book[VALUES_SHEET].delete_cols(len(VALUE_COLUMNS) + 1, 6)
    buffer = io.BytesIO()
    book.save(buffer)
    staged = stage(buffer.getvalue(), lead)
    assert staged.preview["groups"] == [] and staged.preview["problems"] == []
    assert not [w for w in staged.preview["warnings"] if COMPARATORS_READ_ONLY in w]
