"""The demo figures are consistent with each other, with the models' codes and with the plan."""

from decimal import Decimal

import pytest

from demo.figures import COHORTS, COMPARATORS, MEASURES, TERMS, DemoMeasure
from fixtures.build_delivery_plan import SEED_PATH, parse_plan
from kpis.models import Frequency, Maturity, MilestoneStatus, Polarity, TargetKind, Unit
from spreadsheets.plan_workbook import CODE_RE, ROMAN_RE

PERIOD_MAX = 60  # the length of every *_period field
TERM_ORDER = {term: index for index, term in enumerate(TERMS)}
BY_KEY = {(m.action_code, m.kpi_ref): m for m in MEASURES}


def is_percentage(value: Decimal | None) -> bool:
    return value is None or Decimal(0) <= value <= Decimal(100)


def measure_problems(m: DemoMeasure) -> list[str]:
    """Everything wrong with one measure's own fields."""
    checks = [
        (CODE_RE.fullmatch(m.action_code) and ROMAN_RE.fullmatch(m.kpi_ref), "bad code or ref"),
        (m.unit in Unit.values and m.polarity in Polarity.values, "unknown unit or polarity"),
        (m.target_kind in TargetKind.values, "unknown target kind"),
        (m.frequency in Frequency.values, "unknown frequency"),
        (m.source and m.data_source and m.points, "needs a source, a data source and points"),
        (max(len(m.baseline_period), len(m.target_period)) <= PERIOD_MAX, "period too long"),
        (
            (m.target is None) == (m.target_kind in ("to_be_agreed", "milestone", "trend")),
            "a target value exactly when the kind has one",
        ),
        (m.tolerance is None or m.tolerance >= 0, "negative tolerance"),
        (m.target_kind != "change" or m.baseline is not None, "a change target needs a baseline"),
        (
            m.unit != "milestone" or (m.polarity, m.target_kind) == ("none", "milestone"),
            "a milestone has no direction and a milestone target",
        ),
        (m.unit != "percent" or is_percentage(m.baseline), "baseline not a percentage"),
    ]
    return [message for ok, message in checks if not ok]


def point_problems(m: DemoMeasure) -> list[str]:
    """Everything wrong with a measure's points."""
    problems, previous, seen = [], -1, set()
    for p in m.points:
        at = f"{p.term} {p.data_period!r}"
        if TERM_ORDER.get(p.term, -1) < previous:
            problems.append(f"{at}: unknown term or out of order")
        previous = TERM_ORDER.get(p.term, previous)
        if (p.term, p.data_period) in seen or not 0 < len(p.data_period) <= PERIOD_MAX:
            problems.append(f"{at}: duplicate point or bad data period")
        seen.add((p.term, p.data_period))
        if p.maturity not in Maturity.values or not set(p.cohorts) <= set(COHORTS) - {"all"}:
            problems.append(f"{at}: unknown maturity or cohort")
        if not set(p.comparators) <= set(COMPARATORS):
            problems.append(f"{at}: unknown comparator")
        if m.unit == "milestone":
            if p.value is not None or p.milestone_status not in MilestoneStatus.values:
                problems.append(f"{at}: a milestone has a status and no value")
        elif p.numerator is not None:
            if m.unit != "percent" or p.value is not None or not p.denominator:
                problems.append(f"{at}: numerator/denominator only for computed percentages")
            elif p.numerator > p.denominator:
                problems.append(f"{at}: numerator above denominator")
        elif m.unit == "percent" and not all(
            is_percentage(v) for v in [p.value, *p.cohorts.values()]
        ):
            problems.append(f"{at}: not a percentage")
    return problems


@pytest.mark.parametrize("measure", MEASURES, ids=lambda m: f"{m.action_code}({m.kpi_ref})")
def test_each_measure_uses_codes_the_models_know_and_sensible_points(measure):
    assert measure_problems(measure) == []
    assert point_problems(measure) == []


def test_no_measure_is_given_twice():
    assert len(BY_KEY) == len(MEASURES)


def test_every_measure_points_at_a_kpi_of_the_real_plan():
    plan = parse_plan(SEED_PATH.read_text(encoding="utf-8"))
    refs = {(a.code, k.ref) for a in plan.actions for k in a.kpis}
    assert set(BY_KEY) <= refs, set(BY_KEY) - refs


def series(code: str, ref: str, cohort: str = "all") -> dict[str, Decimal]:
    points = BY_KEY[code, ref].points
    if cohort == "all":
        return {p.term: p.value for p in points}
    return {p.term: p.cohorts[cohort] for p in points if cohort in p.cohorts}


@pytest.mark.parametrize(
    ("headline", "breakdown"),
    [
        (("1.1(h)", "i"), ("2.3(c)", "i", "cla")),
        (("1.3(b)", "vi"), ("2.3(c)", "ii", "sen_support")),
    ],
)
def test_a_group_has_the_same_figure_wherever_it_appears(headline, breakdown):
    mine, theirs = series(*headline), series(*breakdown)
    assert mine
    assert all(theirs.get(term) == value for term, value in mine.items())


@pytest.mark.parametrize(
    ("gap", "level"), [(("3.2(b)", "ii"), ("1.2(a)", "iii")), (("1.3(e)", "i"), ("3.3(b)", "vi"))]
)
def test_gap_measures_are_the_difference_of_their_series(gap, level):
    everyone, disadvantaged = series(*level), series(*level, "disadvantaged")
    assert series(*gap) == {term: everyone[term] - disadvantaged[term] for term in disadvantaged}


def test_the_demo_shows_every_kind_of_measure_the_product_must_handle():
    assert {m.action_code[0] for m in MEASURES} == {"1", "2", "3", "4", "5"}
    assert {"money", "score", "milestone"} <= {m.unit for m in MEASURES}
    assert {"days", "weeks"} & {m.unit for m in MEASURES}
    assert sum(m.polarity == "lower_better" for m in MEASURES) >= 2
    assert sum(m.target_kind == "to_be_agreed" for m in MEASURES) >= 2
    small = [m for m in MEASURES if any(p.cohort_size and p.cohort_size < 10 for p in m.points)]
    assert len(small) >= 2, "small cohorts are needed to show suppression"
