"""Whether a dated target is on course: least-squares trend, verdicts and board sentences."""

from datetime import date

import pytest

from kpis.trajectory import Trajectory, as_year, trajectory, year_of


def judge(**overrides) -> Trajectory:
    """Baseline 65% in 2023, then 67% and 69%: a trend of +2 a year that reaches 75 in 2028."""
    arguments = {
        "baseline_year": 2023.0,
        "baseline_value": 65.0,
        "points": ((2024.0, 67.0), (2025.0, 69.0)),
        "target_year": 2028.0,
        "target_value": 74.0,
        "polarity": "higher_better",
        "unit": "percent",
    }
    return trajectory(**{**arguments, **overrides})


def test_a_trend_that_reaches_the_target_by_its_date_is_on_course():
    result = judge()

    assert result.on_course is True
    assert result.projected == pytest.approx(75.0)
    assert result.sentence == (
        "On course: the trend since 2023 reaches 75% by 2028, against a target of 74%."
    )


def test_a_trend_that_falls_short_of_the_target_is_not_on_course():
    result = judge(target_value=76.0)

    assert result.on_course is False
    assert result.projected == pytest.approx(75.0)
    assert result.sentence == (
        "Not on course: the trend since 2023 reaches 75% by 2028, short of the 76% target."
    )


def test_it_fits_the_least_squares_line_not_the_last_two_points():
    # Mean year 2024, mean value 62; slope = ((-1)(-2) + 0 + (1)(0)) / 2 = 1, so 66 in 2028.
    # The last two points alone (64 then 62) would head down to 56.
    result = judge(baseline_value=60.0, points=((2024.0, 64.0), (2025.0, 62.0)), target_value=66.0)

    assert result.projected == pytest.approx(66.0)
    assert result.on_course is True


def test_it_gives_the_same_answer_whatever_order_the_points_come_in():
    points = ((2024.0, 67.3), (2025.0, 68.1), (2026.0, 70.9), (2024.5, 66.2))

    forwards = judge(points=points)
    backwards = judge(points=tuple(reversed(points)))

    assert forwards == backwards


def test_it_fits_through_the_points_alone_when_there_is_no_baseline():
    result = judge(baseline_year=None, baseline_value=None, target_value=74.0)

    # 67 in 2024 and 69 in 2025: +2 a year, so 75 in 2028.
    assert result.projected == pytest.approx(75.0)
    assert "since 2024" in result.sentence


def test_a_baseline_without_a_value_is_left_out_of_the_fit():
    result = judge(baseline_value=None)

    assert "since 2024" in result.sentence


def test_falling_is_on_course_when_lower_is_better():
    # 20, 18, 16 from 2023: -2 a year, so 10 in 2028.
    result = judge(
        baseline_value=20.0,
        points=((2024.0, 18.0), (2025.0, 16.0)),
        target_value=12.0,
        polarity="lower_better",
    )

    assert result.on_course is True
    assert result.projected == pytest.approx(10.0)
    assert result.sentence == (
        "On course: the trend since 2023 reaches 10% by 2028, against a target of 12%."
    )


def test_a_lower_is_better_trend_above_the_target_is_not_on_course():
    result = judge(
        baseline_value=20.0,
        points=((2024.0, 18.0), (2025.0, 16.0)),
        target_value=9.0,
        polarity="lower_better",
        unit="days",
    )

    assert result.on_course is False
    assert result.sentence == (
        "Not on course: the trend since 2023 reaches 10 days by 2028, above the 9 days target."
    )


def test_a_target_already_met_is_on_course_even_if_the_trend_is_falling():
    result = judge(points=((2024.0, 78.0), (2025.0, 75.0)))

    assert result.on_course is True
    assert result.sentence == (
        "Already at or beyond the target: 75% in 2025, against a target of 74% by 2028."
    )


def test_a_target_already_met_is_judged_even_with_a_single_figure():
    result = judge(baseline_year=None, baseline_value=None, points=((2025.0, 80.0),))

    assert result.on_course is True
    assert result.projected is None
    assert result.sentence.startswith("Already at or beyond the target")


def test_a_lower_is_better_target_already_met():
    result = judge(
        baseline_value=20.0,
        points=((2024.0, 8.0),),
        target_value=12.0,
        polarity="lower_better",
    )

    assert result.on_course is True


@pytest.mark.parametrize(
    ("baseline_year", "baseline_value", "points"),
    [
        (2023.0, 65.0, ()),
        (None, None, ((2024.0, 67.0),)),
        (2024.0, 65.0, ((2024.0, 67.0),)),
        (None, None, ()),
    ],
    ids=["baseline only", "one figure", "two figures in one year", "nothing"],
)
def test_it_will_not_judge_a_trend_from_fewer_than_two_years(baseline_year, baseline_value, points):
    result = judge(baseline_year=baseline_year, baseline_value=baseline_value, points=points)

    assert result.on_course is None
    assert result.projected is None
    assert result.sentence == "Not enough figures since the baseline to judge the trend."


@pytest.mark.parametrize(("target_year", "target_value"), [(None, 74.0), (2028.0, None)])
def test_it_will_not_judge_without_a_dated_numeric_target(target_year, target_value):
    result = judge(target_year=target_year, target_value=target_value)

    assert result == Trajectory(None, None, "No dated numeric target to judge against.")


@pytest.mark.parametrize("polarity", ["none", "within_band", ""])
def test_it_will_not_judge_a_measure_without_a_direction_of_better(polarity):
    result = judge(polarity=polarity)

    assert result.on_course is None
    assert result.projected is None


def test_after_the_target_date_it_judges_the_latest_figure_not_the_trend():
    # The trend would reach 74 by 2028, but the 2029 figure is 72.
    result = judge(points=((2024.0, 70.0), (2029.0, 72.0)))

    assert result.on_course is False
    assert result.projected is None
    assert result.sentence == (
        "The target date has passed: the latest figure, 72% in 2029, "
        "is short of the 74% target for 2028."
    )


def test_after_the_target_date_a_met_target_is_said_to_be_met():
    result = judge(points=((2024.0, 70.0), (2029.0, 74.5)))

    assert result.on_course is True
    assert result.sentence == (
        "The target date has passed: the latest figure, 74.5% in 2029, "
        "meets the 74% target for 2028."
    )


def test_a_figure_for_the_target_year_itself_is_judged_as_it_is():
    # The trend through 65, 76, 73 reaches 75.2 at 2028, but the 2028 figure itself is 73.
    result = judge(points=((2027.0, 76.0), (2028.0, 73.0)))

    assert result.on_course is False
    assert result.sentence == (
        "The target date has come: the latest figure, 73% in 2028, "
        "is short of the 74% target for 2028."
    )


def test_figures_are_rounded_to_one_decimal_place():
    # 65, 67.04, 69.13: slope 2.065, projected 75.2603… by 2028.
    result = judge(points=((2024.0, 67.04), (2025.0, 69.13)))

    assert "reaches 75.3% by 2028" in result.sentence


def test_it_shows_more_places_when_one_would_hide_a_shortfall():
    # 73 then 73.48: projected 73.96 in 2028, which would round to the 74 target.
    result = judge(
        baseline_year=None, baseline_value=None, points=((2026.0, 73.0), (2027.0, 73.48))
    )

    assert result.on_course is False
    assert "reaches 73.96% by 2028, short of the 74% target" in result.sentence


def test_figures_are_named_by_the_labels_they_came_from_else_by_their_day():
    autumn, spring, summer = (year_of(t) for t in ("Autumn 2024", "Spring 2025", "Summer 2025"))
    named = judge(
        baseline_year=autumn,
        points=((spring, 66.0), (summer, 67.0)),
        names={autumn: "Autumn 2024"},
    )
    assert "since Autumn 2024" in named.sentence
    dated = judge(baseline_year=year_of("2022/23"), target_year=year_of("by 2028"))
    assert "since 31 August 2023" in dated.sentence and "by 2028" in dated.sentence


def test_where_two_figures_share_a_period_the_later_given_wins():
    # 2025 reported as 69 and then revised to 73: the latest figure is 73, not the lower 69.
    result = judge(points=((2024.0, 67.0), (2025.0, 69.0), (2025.0, 73.0)), target_year=2025.0)
    assert "the latest figure, 73% in 2025" in result.sentence


def test_it_accepts_decimals_as_well_as_floats():
    from decimal import Decimal

    result = judge(baseline_value=Decimal("65.0"), target_value=Decimal("74"))

    assert result.on_course is True


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2023", date(2023, 12, 31)),
        ("2022/23", date(2023, 8, 31)),
        ("2022-23", date(2023, 3, 31)),
        ("2022–23", date(2023, 3, 31)),
        ("2022/2023", date(2023, 8, 31)),
        ("2099/00", date(2100, 8, 31)),
        ("by 2028", date(2028, 12, 31)),
        ("by end of 2030", date(2030, 12, 31)),
        ("Target 74% by 2028", date(2028, 12, 31)),
        ("Baseline 65% (2023)", date(2023, 12, 31)),
        ("Autumn 2024", date(2024, 12, 31)),
        ("Spring 2025", date(2025, 3, 31)),
        ("summer term 2025", date(2025, 7, 31)),
    ],
)
def test_year_of_places_a_label_at_the_day_its_period_ends(text, day):
    assert year_of(text) == as_year(day)


@pytest.mark.parametrize("text", ["", "by the end of the strategy", "74%"])
def test_year_of_is_none_for_a_label_with_no_period(text):
    assert year_of(text) is None


def test_periods_come_in_the_order_they_end():
    labels = [
        "2024-25",  # financial year: 31 March 2025
        "Summer 2025",
        "2024/25 academic year",  # 31 August 2025: after Summer 2025
        "Autumn 2025",
        "Spring 2026",
        "2025-26 financial year",
        "Summer 2026",
        "2025/26",
    ]
    # Spring 2026's usual end, 31 March, is the financial year's; its Term's own end comes first.
    years = [year_of(label, term_ends={"Spring 2026": date(2026, 3, 27)}) for label in labels]
    assert years == sorted(years)
    assert len(set(years)) == len(years)
