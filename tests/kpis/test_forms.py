import pytest

from kpis.forms import KPIForm, NarrativeForm
from kpis.models import KPI
from tests.factories import KPIFactory

pytestmark = pytest.mark.django_db


def kpi_form(kpi: KPI, **data) -> KPIForm:
    prefix = f"kpi{kpi.pk}-"
    return KPIForm({prefix + name: value for name, value in data.items()}, kpi=kpi)


def errors(form) -> dict:
    form.is_valid()
    return {name: list(messages) for name, messages in form.errors.items()}


@pytest.fixture
def percent():
    return KPIFactory(unit="percent")


@pytest.mark.parametrize("value", ["-1", "100.1", "250"])
def test_a_percentage_outside_0_to_100_is_refused(percent, value):
    assert errors(
        kpi_form(percent, value=value, data_period="2025/26", maturity="provisional")
    ) == {"value": ["Enter a percentage between 0 and 100"]}


def test_numerator_over_denominator_is_refused(percent):
    form = kpi_form(
        percent, numerator="12", denominator="10", data_period="2025", maturity="revised"
    )
    assert errors(form) == {"numerator": ["The numerator cannot be more than the denominator"]}


def test_numerator_needs_its_denominator(percent):
    form = kpi_form(percent, numerator="12", data_period="2025", maturity="revised")
    assert "Enter both the numerator and the denominator, or neither" in errors(form)["denominator"]


def test_a_percentage_and_its_numbers_are_not_typed_twice(percent):
    form = kpi_form(
        percent, value="50", numerator="1", denominator="2", data_period="x", maturity="revised"
    )
    assert errors(form) == {
        "value": ["Enter the percentage or the numbers it comes from, not both"]
    }


def test_a_count_must_be_whole():
    count = KPIFactory(unit="count")
    form = kpi_form(count, value="12.5", data_period="Autumn 2025", maturity="validated")
    assert errors(form) == {"value": ["Enter a whole number: this measure is a count"]}


def test_money_cannot_be_negative():
    money = KPIFactory(unit="money")
    form = kpi_form(money, value="-5", data_period="2025-26", maturity="validated")
    assert errors(form) == {"value": ["A figure in money (£) cannot be negative"]}


def test_a_score_can_be_negative():
    score = KPIFactory(unit="score", polarity="higher_better")
    assert kpi_form(score, value="-0.12", data_period="2024/25", maturity="validated").is_valid()


def test_a_figure_needs_the_period_it_describes(percent):
    assert errors(kpi_form(percent, value="50", maturity="provisional")) == {
        "data_period": ["Enter the period this figure describes"]
    }


def test_no_new_data_needs_a_reason_and_no_figure(percent):
    form = kpi_form(percent, no_new_data="on", value="50", data_period="x", maturity="provisional")
    assert errors(form) == {
        "no_new_data_reason": ["Enter why there is no new data this term"],
        "value": ["You said there is no new data: leave the figure empty"],
    }


def test_words_where_a_number_belongs_are_explained(percent):
    assert errors(
        kpi_form(percent, value="about half", data_period="x", maturity="provisional")
    ) == {"value": ["Enter a number, like 92.5"]}


def test_a_comparator_figure_needs_its_period(led_action):
    gld = led_action.kpis.get(ref="i")
    england = gld.comparators.get()
    form = kpi_form(
        gld,
        value="66",
        data_period="2025",
        maturity="provisional",
        **{f"comparator_{england.pk}": "67.7"},
    )
    assert errors(form) == {
        f"comparator_{england.pk}_period": ["Enter the period the England figure describes"]
    }


def test_a_breakdown_is_checked_like_the_headline(led_action):
    gld = led_action.kpis.get(ref="i")
    cohort = gld.breakdown_cohorts.get()
    form = kpi_form(
        gld,
        value="66",
        data_period="2025",
        maturity="provisional",
        **{f"cohort_{cohort.pk}": "120"},
    )
    assert errors(form) == {f"cohort_{cohort.pk}": ["Enter a percentage between 0 and 100"]}


def test_a_milestone_has_a_status_not_a_value():
    milestone = KPIFactory(unit="milestone", polarity="none")
    form = kpi_form(
        milestone, milestone_status="achieved", data_period="2025/26", maturity="validated"
    )
    assert form.is_valid()
    assert "value" not in form.fields
    assert form.to_entry().milestone_status == "achieved"


@pytest.mark.parametrize("rating", ["red", "amber"])
def test_red_or_amber_needs_next_steps(rating):
    form = NarrativeForm({"rating": rating, "progress": "Delayed", "version": "0"})
    assert errors(form) == {
        "next_steps": [f"Enter next steps: a {rating.capitalize()} rating needs them"]
    }


def test_a_submission_needs_a_rating_and_progress():
    form = NarrativeForm({"version": "0"}, submitting=True)
    assert set(errors(form)) == {"rating", "progress"}
    assert NarrativeForm({"version": "0"}).is_valid()  # a draft can be saved half done
