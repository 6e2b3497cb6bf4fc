"""The disclosure-control rules (boards/suppression.py), figure by figure and by breakdown."""

import pytest

from boards.suppression import (
    WITHHELD_FIELDS,
    Row,
    public_content,
    suppress_breakdown,
    suppress_figures,
    suppress_point,
    suppress_rows,
    suppress_trend,
)

T = 5  # the threshold, as settings.SMALL_NUMBER_THRESHOLD sets by default


def fig(value=None, numerator=None, denominator=None, cohort_size=None, **extra) -> dict:
    return {
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
        "cohort_size": cohort_size,
        "status": "red",
        "note": "A note",
        "data_period": "2024/25 academic year",
        "comparators": {"England": 67.2},
        "suppressed": False,
        **extra,
    }


def withheld(point: dict | None) -> bool:
    return point is not None and point["suppressed"]


@pytest.mark.parametrize(
    ("point", "unit", "hidden"),
    [
        (fig(87.5, 7, 8), "percent", True),  # 8 less 7 leaves 1
        (fig(12.5, 1, 8), "percent", True),  # the numerator itself
        (fig(75, 15, 20), "percent", False),
        (fig(100, 4, 4), "percent", True),  # the denominator
        (fig(6, cohort_size=50), "percent", True),  # 6 % of 50 is 3
        (fig(94, cohort_size=50), "percent", True),  # 94 % of 50 leaves 3
        (fig(10, cohort_size=50), "percent", False),  # 5 and 45
        (fig(8.2, cohort_size=61), "percent", False),  # 8.15-8.25 % of 61 is 5, not 4
        (fig(6.7, cohort_size=45), "percent", True),  # 6.65-6.75 % of 45 is 3
        (fig(97.2, cohort_size=181), "percent", False),  # only 176 of 181: 5 are not
        (fig(97.3, cohort_size=181), "percent", True),  # no count gives it: 176 or 177
        (fig(99.9, cohort_size=5000), "percent", True),  # 4,993 to 4,997: 3 may not be
        (fig(97, cohort_size=181), "percent", False),  # 96.5-97.5 %: 175 or 176
        (fig(87.5, numerator=7), "percent", True),  # 7 at 87.5 % are 7 of 8
        (fig(20, cohort_size=2000), "rate_per_10000", True),  # 4 of 2,000
        (fig(25, cohort_size=2000), "rate_per_10000", False),  # 5 of 2,000
        (fig(20, denominator=2000), "rate_per_10000", True),
        (fig(4), "count", True),
        (fig(5), "count", False),
        (fig(0), "count", True),  # zero is under the threshold too
        (fig(45, cohort_size=48), "count", True),  # 3 of the 48 are not counted
        (fig(2.5), "days", False),  # not a count of children
        (fig(2.5, cohort_size=3), "days", True),  # but an average of 3 children is
        (fig(45.0), "percent", False),  # the all-pupils headline needs no base
        (fig(None, no_new_data=True), "percent", False),
    ],
)
def test_a_figure_is_withheld_when_any_count_it_reveals_is_small(point, unit, hidden):
    assert suppress_point(point, unit, T)["suppressed"] is hidden


@pytest.mark.parametrize("unit", ["percent", "rate_per_10000"])
def test_a_group_share_with_no_base_is_withheld(unit):
    assert suppress_point(fig(45.0), unit, T, group=True)["suppressed"]
    assert not suppress_point(fig(45.0, 45, 100), unit, T, group=True)["suppressed"]
    assert not suppress_point(fig(45.0), unit, T)["suppressed"]


def test_a_group_count_or_average_needs_no_base():
    assert not suppress_point(fig(12), "count", T, group=True)["suppressed"]
    assert not suppress_point(fig(3.5), "score", T, group=True)["suppressed"]


def test_a_withheld_figure_has_no_number_no_status_and_no_note_but_keeps_comparators():
    point = suppress_point(fig(87.5, 7, 8), "percent", T)
    assert all(point[f] is None for f in WITHHELD_FIELDS)
    assert point["note"] == "" and point["comparators"] == {"England": 67.2}
    assert point["data_period"] == "2024/25 academic year"


def test_a_shown_figure_keeps_its_numbers_and_status_and_loses_its_note():
    point = suppress_point(fig(90, 900, 1000), "percent", T)
    assert (point["value"], point["numerator"], point["status"]) == (90, 900, "red")
    assert point["note"] == "" and point["suppressed"] is False


def test_the_figure_given_is_left_alone():
    original = fig(87.5, 7, 8)
    suppress_point(original, "percent", T)
    assert original == fig(87.5, 7, 8)


# Secondary suppression --------------------------------------------------------------------


def test_the_next_smallest_group_is_withheld_so_the_total_gives_nothing_away():
    total = fig(60, 60, 100)
    groups = [fig(20, 2, 10), fig(70, 28, 40), fig(60, 30, 50)]
    head, shown = suppress_breakdown(total, groups, "percent", T)
    assert not withheld(head)
    assert [withheld(g) for g in shown] == [True, True, False]


def test_groups_are_withheld_until_together_they_hold_the_threshold():
    # 1 and 2 withheld hold 3 between them: the next smallest goes too.
    total = fig(40, 41, 102)
    groups = [fig(10, 1, 10), fig(8.3, 2, 24), fig(60, 18, 30), fig(52.6, 20, 38)]
    _, shown = suppress_breakdown(total, groups, "percent", T)
    assert [withheld(g) for g in shown] == [True, True, True, False]


def test_secondary_suppression_protects_the_complement_too():
    # 7 of 8 hides 1 who did not; 40 of 42 hides 2. The sum, 47 of 50, still hides 3.
    total = fig(80, 80, 100)
    groups = [fig(87.5, 7, 8), fig(95.2, 40, 42), fig(66, 33, 50)]
    _, shown = suppress_breakdown(total, groups, "percent", T)
    assert [withheld(g) for g in shown] == [True, True, True]


def test_a_group_withheld_for_want_of_a_base_takes_another_with_it():
    total = fig(60, 60, 100)
    groups = [fig(55.0), fig(70, 28, 40), fig(60, 30, 50)]
    _, shown = suppress_breakdown(total, groups, "percent", T)
    assert [withheld(g) for g in shown] == [True, True, False]


def test_no_second_group_is_withheld_when_the_total_cannot_be_subtracted_from():
    groups = [fig(20, 2, 10), fig(70, 28, 40)]
    for total in (None, fig(60), fig(75, 3, 4)):  # absent, no base, itself withheld
        _, shown = suppress_breakdown(total, groups, "percent", T)
        assert [withheld(g) for g in shown] == [True, False]


def test_nothing_more_is_withheld_when_no_group_is():
    total = fig(60, 60, 100)
    groups = [fig(50, 25, 50), fig(70, 35, 50)]
    _, shown = suppress_breakdown(total, groups, "percent", T)
    assert not any(withheld(g) for g in shown)


def test_a_group_with_no_figure_is_not_marked_withheld():
    total = fig(60, 60, 100)
    groups = [fig(20, 2, 10), fig(None, no_new_data=True), fig(70, 28, 40), fig(60, 30, 50)]
    _, shown = suppress_breakdown(total, groups, "percent", T)
    assert [withheld(g) for g in shown] == [True, False, True, False]
    assert shown[1]["no_new_data"]


def test_counts_are_protected_from_subtraction_as_percentages_are():
    total = fig(30)
    groups = [fig(3), fig(12), fig(15)]
    _, shown = suppress_breakdown(total, groups, "count", T)
    assert [withheld(g) for g in shown] == [True, True, False]


def test_only_groups_of_the_totals_period_are_a_breakdown_of_it():
    total = fig(60, 60, 100)
    older = {"data_period": "2023/24 academic year"}
    groups = [fig(20, 2, 10), fig(70, 28, 40, **older), fig(60, 30, 50)]
    _, shown = suppress_figures(total, groups, "percent", T)
    # The 2023/24 group is no part of the 2024/25 total: the 2024/25 one goes instead.
    assert [withheld(g) for g in shown] == [True, False, True]


def test_rows_are_judged_by_breakdown_whatever_order_they_come_in():
    rows = [
        Row(3, ("k", "t", "p"), False, "percent", fig(70, 28, 40)),
        Row(1, ("k", "t", "p"), True, "percent", fig(60, 60, 100)),
        Row(2, ("k", "t", "p"), False, "percent", fig(20, 2, 10)),
        Row(4, ("k", "t", "p"), False, "percent", fig(60, 30, 50)),
        Row(5, ("k", "u", "p"), False, "percent", fig(60, 30, 50)),
    ]
    public = suppress_rows(rows, T)
    assert {i for i, p in public.items() if p["suppressed"]} == {2, 3}


# Trends and packs ----------------------------------------------------------------------


def trend(points, cohorts, unit="percent") -> dict:
    return {
        "unit": unit,
        "terms": ["Autumn 2025", "Spring 2026"][: len(points)],
        "points": points,
        "cohorts": [{"name": n, "points": p} for n, p in cohorts.items()],
    }


def test_a_trend_is_judged_term_by_term():
    shown = suppress_trend(
        trend(
            [fig(60, 60, 100), fig(61, 61, 100)],
            {
                "SEN Support": [fig(20, 2, 10), fig(50, 5, 10)],
                "EHCP": [fig(70, 28, 40), fig(70, 28, 40)],
                "Disadvantaged": [fig(60, 30, 50), None],
            },
        ),
        T,
    )
    by_name = {c["name"]: [withheld(p) for p in c["points"]] for c in shown["cohorts"]}
    assert by_name == {
        "SEN Support": [True, False],
        "EHCP": [True, False],
        "Disadvantaged": [False, False],
    }
    assert not any(withheld(p) for p in shown["points"])


def test_the_public_pack_leaves_the_restricted_pack_alone():
    content = {
        "actions": [
            {"risks": "Staff cover", "kpis": [trend([fig(87.5, 7, 8)], {})]},
        ],
        "dashboard": {"exceptions": [{"risks": "Staff cover"}]},
        "public": False,
    }
    public = public_content(content, T)
    assert public["public"] and public["threshold"] == T
    assert (
        public["actions"][0]["risks"] == "" and public["dashboard"]["exceptions"][0]["risks"] == ""
    )
    assert withheld(public["actions"][0]["kpis"][0]["points"][0])
    assert content["actions"][0]["kpis"][0]["points"][0]["numerator"] == 7
    assert content["actions"][0]["risks"] == "Staff cover"
