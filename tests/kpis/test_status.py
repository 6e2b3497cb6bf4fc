from decimal import Decimal as D

import pytest

from kpis.models import KPI
from kpis.status import effective_target, kpi_status


def kpi(**fields) -> KPI:
    defaults = {"target_not_agreed": False, "target_kind": "absolute", "polarity": "higher_better"}
    return KPI(**(defaults | fields))


@pytest.mark.parametrize(
    ("value", "expected"),
    [(D("74"), "green"), (D("80"), "green"), (D("72"), "amber"), (D("71.9"), "red")],
)
def test_higher_is_better_against_target_and_tolerance(value, expected):
    assert kpi_status(kpi(target_value=D("74"), tolerance=D("2")), value) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(D("10"), "green"), (D("11"), "amber"), (D("12.5"), "red")]
)
def test_lower_is_better_mirrors_it(value, expected):
    measure = kpi(polarity="lower_better", target_value=D("10"), tolerance=D("1"))
    assert kpi_status(measure, value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(D("95"), "green"), (D("88"), "amber"), (D("101.5"), "amber"), (D("80"), "red")],
)
def test_within_band(value, expected):
    measure = kpi(
        polarity="within_band", target_value=D("90"), target_upper_value=D("100"), tolerance=D("2")
    )
    assert kpi_status(measure, value) == expected


def test_grey_without_an_agreed_target_a_value_or_a_direction():
    assert kpi_status(kpi(target_not_agreed=True), D("50")) == "grey"
    assert kpi_status(kpi(target_value=D("74")), None) == "grey"
    assert kpi_status(kpi(target_value=D("74"), polarity="none"), D("80")) == "grey"


def test_no_tolerance_means_any_shortfall_is_red():
    assert kpi_status(kpi(target_value=D("74")), D("73.9")) == "red"


def test_change_target_applies_to_the_baseline_in_the_better_direction():
    up = kpi(target_kind="change", target_value=D("9"), baseline_value=D("60"))
    assert effective_target(up) == D("69")
    down = kpi(
        target_kind="change", polarity="lower_better", target_value=D("2"), baseline_value=D("8")
    )
    assert effective_target(down) == D("6")
    assert kpi_status(down, D("5.5")) == "green"


def test_trend_and_comparator_targets_are_not_numbers_to_compare_with():
    assert effective_target(kpi(target_kind="trend", target_value=D("1"))) is None
    assert kpi_status(kpi(target_kind="comparator", target_value=D("1")), D("5")) == "grey"


def test_milestone_is_green_once_achieved():
    assert kpi_status(kpi(unit="milestone"), None, "achieved") == "green"
    assert kpi_status(kpi(unit="milestone"), None, "in_progress") == "grey"
