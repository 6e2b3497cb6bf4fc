"""The KPI list as at a term: status, movement, filters, sorting and exports of filtered rows."""

import csv
import io
import re
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import Movement, Season
from kpis.models import Comparator, ComparatorValue, KPIValue
from kpis.selectors import kpi_list
from tests.factories import (
    ActionFactory,
    KPIFactory,
    KPIValueFactory,
    ProgressUpdateFactory,
    TermFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def terms():
    spring = TermFactory(
        season=Season.SPRING, start_date=date(2026, 1, 5), end_date=date(2026, 3, 27)
    )
    summer = TermFactory(
        season=Season.SUMMER, start_date=date(2026, 4, 13), end_date=date(2026, 7, 20)
    )
    return spring, summer


def reported(kpi, term, value, status, update_status="approved", period="2025/26"):
    ProgressUpdateFactory(action=kpi.action, term=term, status=update_status)
    KPIValueFactory(kpi=kpi, term=term, value=value, status=status, data_period=period)


def compared(kpi, term, code, value, period):
    """A comparator's figure beside the KPI's all-pupil figure reported in `term`."""
    return ComparatorValue.objects.create(
        kpi_value=KPIValue.objects.get(kpi=kpi, term=term, cohort__code="all"),
        comparator=Comparator.objects.get(code=code),
        value=value,
        period=period,
    )


@pytest.fixture
def measured():
    """Four KPIs whose standing in Summer is worked out by hand in each test's expectation.

    i    Red in Spring, Green in Summer: improved, reported this term.
    ii   Green in Spring, Red in Summer: worse.
    iii  Green in Spring, nothing new in Summer: still Green (an annual figure), same, stale.
    iv   A Summer figure whose update is still a draft: no approved figure, stale.
    """
    spring, summer = terms()
    lead = UserFactory(username="hannah", first_name="Hannah", last_name="Clarke")
    one = KPIFactory(ref="i", action=ActionFactory(code="1.1(a)"), text="=cmd|' /C calc'!A0")
    one.action.leads.add(lead)
    reported(one, spring, 60, "red", period="2024/25")
    reported(one, summer, 1250.5, "green")
    two = KPIFactory(ref="ii", action=ActionFactory(code="1.1(b)"), text="Attendance of pupils")
    reported(two, spring, 91, "green", period="2024/25")
    reported(two, summer, 85, "red")
    three = KPIFactory(
        ref="iii",
        action=ActionFactory(code="2.1(a)", commitment__number=2, sector__position=2),
        unit="count",
    )
    reported(three, spring, 12, "green", period="2024/25")
    four = KPIFactory(ref="iv", action=ActionFactory(code="1.2(a)"))
    reported(four, summer, 40, "red", update_status="draft")
    return {"spring": spring, "summer": summer, "lead": lead, "kpis": [one, two, three, four]}


def refs(page: str) -> list[str]:
    """The KPI refs the table lists, in order (each action link names its KPI)."""
    return re.findall(r'<span class="govuk-visually-hidden"> KPI \((\w+)\)</span>', page)


def test_each_kpi_stands_as_worked_out_by_hand(measured):
    rows = {k.ref: k for k in kpi_list(measured["summer"], measured["spring"])}
    assert rows["i"].status == "green" and rows["i"].previous_status == "red"
    assert rows["ii"].status == "red" and rows["ii"].previous_status == "green"
    assert rows["iii"].status == "green" and rows["iii"].latest_period == "2024/25"
    assert rows["iii"].latest_term_id == measured["spring"].pk
    assert rows["iv"].status is None
    assert {r.ref: r.reported for r in rows.values()} == {
        "i": True,
        "ii": True,
        "iii": False,
        "iv": False,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "green"}, {"i", "iii"}),
        ({"status": "red"}, {"ii"}),
        ({"status": "none"}, {"iv"}),
        ({"movement": Movement.IMPROVED}, {"i"}),
        ({"movement": Movement.WORSE}, {"ii"}),
        ({"movement": Movement.SAME}, {"iii"}),
        ({"stale": "yes"}, {"iii", "iv"}),
        ({"stale": "no"}, {"i", "ii"}),
        ({"q": "calc"}, {"i"}),
        ({"q": "2.1(a)"}, {"iii"}),
    ],
)
def test_each_filter_selects_its_kpis(board_client, measured, query, expected):
    page = board_client.get(reverse("kpis:kpi_list"), query).content.decode()
    assert set(refs(page)) == expected


def test_lead_filter_selects_the_kpis_of_actions_they_lead(board_client, measured):
    page = board_client.get(reverse("kpis:kpi_list"), {"lead": measured["lead"].pk})
    assert refs(page.content.decode()) == ["i"]


def test_commitment_and_sector_filters(board_client, measured):
    three = measured["kpis"][2].action
    url = reverse("kpis:kpi_list")
    by_commitment = board_client.get(url, {"commitment": three.commitment_id}).content.decode()
    by_sector = board_client.get(url, {"sector": three.sector_id}).content.decode()
    assert refs(by_commitment) == refs(by_sector) == ["iii"]


def test_the_remit_filter_takes_several_commitments(board_client, measured):
    one = measured["kpis"][0].action.commitment_id
    two = measured["kpis"][2].action.commitment_id
    url = reverse("kpis:kpi_list")
    assert set(refs(board_client.get(url, {"commitments": f"{one},{two}"}).content.decode())) == {
        "i",
        "ii",
        "iii",
        "iv",
    }
    assert refs(board_client.get(url, {"commitments": str(two)}).content.decode()) == ["iii"]


def test_an_earlier_term_shows_the_figures_up_to_then(board_client, measured):
    page = board_client.get(
        reverse("kpis:kpi_list"), {"term": measured["spring"].pk, "status": "red"}
    ).content.decode()
    assert refs(page) == ["i"]
    assert "60%" in page and "reported Spring 2026" in page


def test_the_page_shows_figures_in_their_unit_and_status_in_words(board_client, measured):
    page = board_client.get(reverse("kpis:kpi_list")).content.decode()
    assert "1,250.5%" in page
    assert "2024/25, reported Spring 2026" in page
    assert '<span class="eis-rating eis-rating--red">Red</span>' in page
    assert '<span class="eis-rating eis-rating--none">No figure</span>' in page
    assert f'href="/actions/{measured["kpis"][0].action_id}/#kpi-i"' in page


def test_sorting_by_status_puts_red_first_and_no_figure_last(board_client, measured):
    page = board_client.get(reverse("kpis:kpi_list"), {"sort": "status"}).content.decode()
    assert refs(page)[0] == "ii" and refs(page)[-1] == "iv"
    page = board_client.get(reverse("kpis:kpi_list"), {"sort": "-status"}).content.decode()
    assert refs(page)[0] == "iv"


@pytest.mark.parametrize("column", ["action", "text", "sector", "latest_value", "status"])
@pytest.mark.parametrize("direction", ["", "-"])
def test_every_sortable_column_sorts(board_client, measured, column, direction):
    response = board_client.get(reverse("kpis:kpi_list"), {"sort": f"{direction}{column}"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "aria-sort=" in page
    assert sorted(refs(page)) == ["i", "ii", "iii", "iv"]


def test_csv_export_has_exactly_the_filtered_rows(board_client, measured):
    response = board_client.get(reverse("kpis:kpi_list"), {"stale": "no", "export": "csv"})
    assert 'filename="kpis-summer-2026.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["Action"], r["Ref"]) for r in rows] == [("1.1(a)", "i"), ("1.1(b)", "ii")]
    first = rows[0]
    assert first["Latest figure"] == "1250.5"
    assert first["Unit"] == "Percentage"
    assert first["Reported in"] == "Summer 2026"
    assert (first["Status"], first["Previous status"], first["Since previous term"]) == (
        "Green",
        "Red",
        "Improved",
    )


def test_excel_export_neutralises_formula_like_text(board_client, measured):
    response = board_client.get(reverse("kpis:kpi_list"), {"q": "calc", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][3] == "'=cmd|' /C calc'!A0"


def test_excel_export_stores_figures_as_numbers(board_client, measured):
    """Excel stored "1250.5" as text, so it could not sum or chart the figures."""
    response = board_client.get(reverse("kpis:kpi_list"), {"stale": "no", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, first, *_ = list(sheet.iter_rows(values_only=True))
    cell = first[header.index("Latest figure")]
    assert cell == 1250.5 and isinstance(cell, float)


def test_exports_are_not_paginated(board_client, measured):
    for n in range(30):
        KPIFactory(ref=f"x{n}", action=measured["kpis"][1].action)
    response = board_client.get(reverse("kpis:kpi_list"), {"export": "csv"})
    assert len(response.content.decode("utf-8-sig").strip().splitlines()) == 1 + 4 + 30


@pytest.mark.parametrize("size", [3, 12])
@pytest.mark.parametrize("comparators", [True, False])
def test_query_count_does_not_grow_with_kpis(
    board_client, django_assert_num_queries, size, comparators
):
    _, summer = terms()
    for n in range(size):
        kpi = KPIFactory(ref=f"k{n}", action=ActionFactory(code=f"1.1({n})"))
        reported(kpi, summer, 50 + n, "amber")
        if comparators:
            compared(kpi, summer, "england", 60 + n, "2024/25")
            compared(kpi, summer, "north_west", 58 + n, "2023/24")
    # session, user with the data version, groups, terms, commitments + sectors + leads
    # for the filter form, count, rows, leads, comparator figures (the same query whether
    # or not there are any), the approver permission for the navigation
    with django_assert_num_queries(14):
        response = board_client.get(reverse("kpis:kpi_list"))
    page = response.content.decode()
    assert len(refs(page)) == size
    assert page.count("England") == (size if comparators else 0)


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("kpis:kpi_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_officer_reads_it_too(officer_client, measured):
    assert officer_client.get(reverse("kpis:kpi_list")).status_code == 200


def test_an_account_without_a_role_is_refused(client):
    client.force_login(UserFactory(username="norole"))
    assert client.get(reverse("kpis:kpi_list")).status_code == 403


@pytest.fixture
def with_comparators(measured):
    """KPI (i) has England beside both its figures and North West beside its Spring one;
    (iv) has England beside a figure whose update is still a draft."""
    one, _, _, four = measured["kpis"]
    compared(one, measured["spring"], "england", 58, "2023/24")
    compared(one, measured["spring"], "north_west", 55.5, "2022/23")
    compared(one, measured["summer"], "england", 61.25, "2024/25")
    compared(four, measured["summer"], "england", 70, "2024/25")
    return measured


def comparators_cell(page: str, ref: str) -> str:
    """The Comparators cell of the row of KPI `ref`."""
    row = re.search(rf"KPI \({ref}\)</span></a>.*?</tr>", page, re.S)[0]
    return re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[6]


def test_each_comparators_newest_figure_is_listed_with_its_own_period(
    board_client, with_comparators
):
    page = board_client.get(reverse("kpis:kpi_list")).content.decode()
    assert re.search(r'<th scope="col" class="govuk-table__header">\s*Comparators\s*</th>', page)
    cell = comparators_cell(page, "i")
    assert "<li>England 61.25% (2024/25)</li>" in cell
    assert "<li>North West 55.5% (2022/23)</li>" in cell
    assert cell.index("England") < cell.index("North West")
    assert "England 58%" not in page  # an older England figure is not the newest
    assert comparators_cell(page, "ii").strip() == "–"


def test_an_earlier_term_lists_the_comparator_figures_up_to_then(board_client, with_comparators):
    page = board_client.get(
        reverse("kpis:kpi_list"), {"term": with_comparators["spring"].pk}
    ).content.decode()
    cell = comparators_cell(page, "i")
    assert "England 58% (2023/24)" in cell and "61.25" not in page


def test_comparator_figures_beside_an_unapproved_figure_are_not_listed(
    board_client, with_comparators
):
    page = board_client.get(reverse("kpis:kpi_list")).content.decode()
    assert comparators_cell(page, "iv").strip() == "–"
    assert "70%" not in page


def test_csv_export_gives_each_comparator_a_name_value_and_period_column(
    board_client, with_comparators
):
    response = board_client.get(reverse("kpis:kpi_list"), {"export": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert "Comparators" not in rows[0]
    by_ref = {r["Ref"]: r for r in rows}
    cells = [
        (by_ref[ref][f"Comparator {n}"], by_ref[ref][f"Comparator {n} value"])
        for ref in ("i", "ii")
        for n in (1, 2)
    ]
    assert cells == [("England", "61.25"), ("North West", "55.5"), ("", ""), ("", "")]
    assert (by_ref["i"]["Comparator 1 period"], by_ref["i"]["Comparator 2 period"]) == (
        "2024/25",
        "2022/23",
    )
    assert "Comparator 3" not in rows[0]


def test_the_same_comparator_keeps_its_columns_on_every_row(board_client, with_comparators):
    two = with_comparators["kpis"][1]
    compared(two, with_comparators["summer"], "north_west", 80, "2025/26")
    response = board_client.get(reverse("kpis:kpi_list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    at = {name: header.index(name) for name in header}
    by_ref = {row[at["Ref"]]: row for row in rows}
    ii = by_ref["ii"]
    assert ii[at["Comparator 1"]] is None  # no England figure beside (ii)
    assert [ii[at[f"Comparator 2{part}"]] for part in ("", " value", " period")] == [
        "North West",
        80,  # a number Excel can sum and chart, not the text "80"
        "2025/26",
    ]


def test_the_export_has_empty_comparator_columns_when_there_are_none(board_client, measured):
    response = board_client.get(reverse("kpis:kpi_list"), {"export": "csv"})
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header[-3:] == ["Comparator 1", "Comparator 1 value", "Comparator 1 period"]
