"""Comparator figures always carry their own period: the rules, the chart, the table beside
it and the action page."""

import re
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from actions.models import Season
from kpis.charts import Series, line_chart_svg
from kpis.comparisons import Comparison, newest_from_points, same_period
from kpis.models import Comparator, ComparatorValue
from kpis.templatetags.trends import trend_chart, trend_table
from tests.factories import (
    ActionFactory,
    KPIFactory,
    KPIValueFactory,
    ProgressUpdateFactory,
    TermFactory,
)

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("2022/23", "2022/23", True),
        ("2022/23", "2022-23 academic year", True),
        ("2022/2023", " 2022/23 ", True),
        ("2024-25 financial year", "FY 2024/25", True),
        # by the one set of period rules (kpis.periods): a financial year ends in March,
        # the academic year "2024/25" in August
        ("2024-25 financial year", "2024/25", False),
        ("2022/23", "2023/24", False),
        ("2022/23", "2023", False),
        ("2023", "2023 (as cited)", True),  # the same year, with a note
        ("Each year", "each  year", True),  # no date: the same words
        ("", "", False),
        ("2022/23", "", False),
    ],
)
def test_two_periods_are_the_same_only_when_they_name_one_period(one, other, same):
    assert same_period(one, other) is same
    assert same_period(other, one) is (same and bool(other.strip()))


def test_a_comparison_reads_name_figure_and_period():
    england = Comparison("England", Decimal("67.2000"), "2022/23")
    assert england.text("percent") == "England 67.2% (2022/23)"
    assert england.figure("rate_per_10000") == "67.2 per 10,000 (2022/23)"
    assert Comparison("England", 5, "").text("count") == "England 5 (period not recorded)"


def test_the_newest_figure_of_each_comparator_is_found_from_a_trends_points():
    older = {
        "comparators": {"England": 65.0, "North West": 62.0},
        "comparator_periods": {"England": "2021/22", "North West": "2021/22"},
    }
    newer = {"comparators": {"England": 67.2}, "comparator_periods": {"England": "2022/23"}}
    found = newest_from_points([older, None, newer, {"comparators": {}}])
    assert [c.text("percent") for c in found] == [
        "England 67.2% (2022/23)",
        "North West 62% (2021/22)",
    ]


def legend(svg: str) -> list[str]:
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    return [el.text for el in root.iter() if el.get("class") == "eis-chart__legend-label"]


def description(svg: str) -> str:
    return ET.fromstring(svg).find(f"{SVG}desc").text  # noqa: S314 - our own output


def draw(*series: Series) -> str:
    return line_chart_svg(
        chart_id="gld",
        title="(iv) GLD",
        x_labels=("Autumn 2024", "Autumn 2025", "Autumn 2026"),
        series=(Series("Bury", (65.7, 66.9, 68.1)), *series),
        unit="percent",
    )


def test_a_comparator_line_is_labelled_with_the_period_its_figures_describe():
    england = Series("England", (67.2, None, None), "comparator", ("2022/23", "", ""))
    svg = draw(england)
    assert legend(svg) == ["Bury", "England (2022/23)"]
    assert "England: 67.2% (2022/23) in Autumn 2024." in description(svg)


def test_a_comparator_with_several_periods_is_labelled_with_their_span():
    periods = ("2021/22", "2022/23", "2023/24")
    svg = draw(Series("England", (65.2, 67.2, 67.7), "comparator", periods))
    assert legend(svg)[1] == "England (2021/22 to 2023/24)"
    assert "England: 65.2% (2021/22) in Autumn 2024 to 67.7% (2023/24) in Autumn 2026." in (
        description(svg)
    )


def test_a_line_without_periods_keeps_its_plain_name():
    svg = draw(Series("England", (67.2, None, None), "comparator"))
    assert legend(svg)[1] == "England"


def test_periods_must_match_the_terms():
    with pytest.raises(ValueError, match="2 periods for 3 labels"):
        draw(Series("England", (67.2, None, None), "comparator", ("2022/23", "")))


def point(value, period, comparators=None, periods=None) -> dict:
    return {
        "value": value,
        "data_period": period,
        "comparators": comparators or {},
        "comparator_periods": periods or {},
    }


def trend(points: list, **extra) -> dict:
    return {
        "kpi_pk": 1,
        "ref": "iv",
        "text": "% achieving GLD",
        "unit": "percent",
        "target": None,
        "target_upper": None,
        "target_text": "Target not yet agreed",
        "baseline": None,
        "baseline_period": "",
        "target_period": "",
        "target_kind": "to_be_agreed",
        "polarity": "higher_better",
        "polarity_label": "Higher is better",
        "terms": ["Autumn 2024", "Autumn 2025"][: len(points)],
        "points": points,
        "cohorts": [],
        **extra,
    }


def test_the_table_beside_the_chart_gives_each_comparator_figure_its_own_period():
    gld = trend(
        [
            point(65.7, "2022/23", {"England": 67.2}, {"England": "2022/23"}),
            point(66.9, "2023/24", {"England": 67.2}, {"England": "2022/23"}),
        ]
    )
    rows = trend_table(gld)["rows"]
    same, lagging = rows[0]["comparators"][0], rows[1]["comparators"][0]
    assert (same["text"], same["differs"]) == ("67.2% (2022/23)", False)
    assert (lagging["text"], lagging["differs"]) == ("67.2% (2022/23)", True)
    html = render_to_string("kpis/_trend.html", {"trend": gld, "chart_id": "gld"})
    html = html[html.index("<table") :]
    assert html.count("67.2% (2022/23)") == 2
    assert html.count("Not the same period as Bury's figure (2023/24)") == 1
    assert "England (2022/23)" in str(trend_chart(gld, "gld"))


def test_a_pack_frozen_before_periods_were_kept_says_the_period_is_not_recorded():
    old = trend([{"value": 65.7, "data_period": "2022/23", "comparators": {"England": 67.2}}])
    [row] = trend_table(old)["rows"]
    assert row["comparators"][0] == {
        "text": "67.2% (period not recorded)",
        "differs": False,
        "bury_period": "2022/23",
    }
    assert legend(str(trend_chart(old, "gld")))[1] == "England"


@pytest.fixture
def gld(db):
    """GLD with Bury's 2023/24 figure beside England's 2022/23 one, as the council reports it,
    and North West's 2021/22 beside Bury's 2022/23 figure a year earlier."""
    action = ActionFactory(code="1.2(a)")
    kpi = KPIFactory(action=action, ref="iv", text="% achieving GLD")
    autumn24 = TermFactory(
        academic_year="2024/25",
        season=Season.AUTUMN,
        start_date=date(2024, 9, 2),
        end_date=date(2024, 12, 20),
        due_date=date(2024, 12, 6),
    )
    autumn25 = TermFactory()
    for term, value, period in ((autumn24, 65.7, "2022/23"), (autumn25, 66.9, "2023/24")):
        ProgressUpdateFactory(action=action, term=term)
        KPIValueFactory(kpi=kpi, term=term, value=value, data_period=period)
    compare(kpi, autumn24, "north_west", 62, "2021/22")
    compare(kpi, autumn25, "england", 67.2, "2022/23")
    return kpi


def compare(kpi, term, code, value, period):
    ComparatorValue.objects.create(
        kpi_value=kpi.values.get(term=term, cohort__code="all"),
        comparator=Comparator.objects.get(code=code),
        value=value,
        period=period,
    )


def test_the_action_page_shows_each_comparator_beside_the_latest_figure_with_its_period(
    board_client, gld
):
    page = board_client.get(reverse("kpis:action", args=[gld.action_id])).content.decode()
    row = re.search(r'<tr class="govuk-table__row" id="kpi-iv">.*?</tr>', page, re.S)[0]
    assert "66.9%" in row
    assert "<li>England 67.2% (2022/23)</li>" in row
    assert "<li>North West 62% (2021/22)</li>" in row


def test_the_action_pages_chart_and_table_show_comparator_periods(board_client, gld):
    page = board_client.get(reverse("kpis:action", args=[gld.action_id])).content.decode()
    table = re.search(r"<caption[^>]*>Figures for \(iv\) by term</caption>.*?</table>", page, re.S)
    rows = re.findall(r"<tbody.*?</tbody>", table[0], re.S)[0].split("</tr>")
    cells = [re.findall(r'<td class="govuk-table__cell">(.*?)</td>', row, re.S) for row in rows]
    # Bury, then each comparator in the order the figures name them, then Bury's period.
    assert cells[0][:3] == [
        "65.7%",
        '62% (2021/22)<br><span class="govuk-body-s eis-muted">Not the same period as '
        "Bury's figure (2022/23)</span>",
        "–",
    ]
    assert cells[1][:3] == [
        "66.9%",
        "–",
        '67.2% (2022/23)<br><span class="govuk-body-s eis-muted">Not the same period as '
        "Bury's figure (2023/24)</span>",
    ]
    assert ">England (2022/23)</text>" in page
    assert ">North West (2021/22)</text>" in page
    assert "England: 67.2% (2022/23) in Autumn 2025." in page


def test_a_long_period_is_shortened_in_the_legend_but_given_in_full_in_the_description():
    period = "2022/23, children looked after continuously for twelve months or more, all ages"
    svg = draw(Series("Statistical neighbours", (60.0, None, None), "comparator", (period, "", "")))
    label = legend(svg)[1]
    assert len(label) <= 80 and label.endswith("…")
    assert label.startswith("Statistical neighbours (2022/23, children looked after")
    assert f"Statistical neighbours: 60% ({period}) in Autumn 2024." in description(svg)


def test_a_comparator_target_names_its_comparators_line_as_the_target():
    """1.2(a)(i), 'at or above the Greater Manchester average', drew no target at all."""
    ofsted = trend(
        [point(95.8, "2023", {"Greater Manchester": 96.0}, {"Greater Manchester": "2023"})],
        target_kind="comparator",
        target_comparator="Greater Manchester",
        target_text="At or better than Greater Manchester",
    )
    svg = str(trend_chart(ofsted, "ofsted"))
    assert legend(svg)[1] == "Greater Manchester (target) (2023)"
    assert "Greater Manchester (target): 96% (2023)" in svg  # the description says so too
