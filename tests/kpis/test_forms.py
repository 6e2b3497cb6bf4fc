from decimal import Decimal

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
    return KPIFactory(unit="percent", ref="ii", text="Attendance of pupils with an EHCP")


NAME = "(ii) Attendance of pupils with an EHCP"
DECIMAL_COMMA = (
    "must use a full stop for decimals, like 12.5 – a comma only separates thousands, like 1,500"
)


@pytest.mark.parametrize("value", ["-1", "100.1", "250"])
def test_a_percentage_outside_0_to_100_is_refused(percent, value):
    assert errors(
        kpi_form(percent, value=value, data_period="2025/26", maturity="provisional")
    ) == {"value": [f"Enter a percentage for {NAME} between 0 and 100"]}


def test_numerator_over_denominator_is_refused(percent):
    form = kpi_form(
        percent, numerator="12", denominator="10", data_period="2025", maturity="revised"
    )
    assert errors(form) == {
        "numerator": [f"The numerator for {NAME} must be no more than the denominator"]
    }


def test_numerator_needs_its_denominator(percent):
    form = kpi_form(percent, numerator="12", data_period="2025", maturity="revised")
    assert errors(form) == {
        "denominator": [f"Enter a denominator for {NAME}, or leave both numbers empty"]
    }


@pytest.mark.parametrize(("field", "typed"), [("numerator", "-3"), ("denominator", "0")])
def test_the_numbers_are_in_range_naming_the_kpi(percent, field, typed):
    numbers = {"numerator": "3", "denominator": "4", field: typed}
    form = kpi_form(percent, data_period="2025", maturity="revised", **numbers)
    least = "1" if field == "denominator" else "0"
    assert errors(form)[field] == [f"Enter a {field} for {NAME} that is {least} or more"]


def test_a_percentage_and_different_numbers_are_not_both_typed(percent):
    form = kpi_form(
        percent, value="60", numerator="1", denominator="2", data_period="x", maturity="revised"
    )
    assert errors(form) == {
        "value": [f"Enter the percentage for {NAME} or the numbers it comes from, not both"]
    }


def test_a_percentage_typed_beside_its_own_numbers_is_accepted(percent):
    form = kpi_form(
        percent, value="50", numerator="1", denominator="2", data_period="x", maturity="revised"
    )
    assert form.is_valid(), form.errors


def test_a_count_must_be_whole():
    count = KPIFactory(unit="count", ref="iii", text="Children missing education")
    form = kpi_form(count, value="12.5", data_period="Autumn 2025", maturity="validated")
    assert errors(form) == {
        "value": [
            "The figure for (iii) Children missing education must be a whole number: it is a count"
        ]
    }


def test_money_cannot_be_negative():
    money = KPIFactory(unit="money", ref="i", text="Funding")
    form = kpi_form(money, value="-5", data_period="2025-26", maturity="validated")
    assert errors(form) == {"value": ["Enter a figure for (i) Funding that is 0 or more"]}


def test_a_score_can_be_negative():
    score = KPIFactory(unit="score", polarity="higher_better")
    assert kpi_form(score, value="-0.12", data_period="2024/25", maturity="validated").is_valid()


def test_a_figure_needs_the_period_it_describes(percent):
    assert errors(kpi_form(percent, value="50", maturity="provisional")) == {
        "data_period": [
            f"Enter the period the figure for {NAME} describes, like 2024/25 academic year"
        ]
    }


def test_no_new_data_needs_a_reason_and_no_figure(percent):
    form = kpi_form(percent, no_new_data="on", value="50", data_period="x", maturity="provisional")
    assert errors(form) == {
        "no_new_data_reason": [f"Enter why there is no new data for {NAME} this term"],
        "value": [f"You said there is no new data for {NAME}: leave the percentage empty"],
    }


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1500", Decimal(1500)),
        ("1,500", Decimal(1500)),
        ("12,345.6", Decimal("12345.6")),
        ("-3.5", Decimal("-3.5")),
        (" 85.2 ", Decimal("85.2")),
        ("85.2%", Decimal("85.2")),
        ("£1,250", Decimal(1250)),
        ("−3.5", Decimal("-3.5")),
    ],
)
def test_figures_are_read_as_the_person_meant_them(typed, stored):
    score = KPIFactory(unit="score", polarity="higher_better")
    form = kpi_form(score, value=typed, data_period="2024/25", maturity="validated")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["value"] == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "1,5",
            DECIMAL_COMMA,
        ),
        (
            "12,5",
            DECIMAL_COMMA,
        ),
        ("1.2.3", "must be a number, like 1,500 or 12.5"),
        ("1 5", "must be a number, like 1,500 or 12.5"),
        ("about half", "must be a number, like 1,500 or 12.5"),
        ("1e5", "must be a number, like 1,500 or 12.5"),
        ("2.00001", "must have no more than 4 decimal places"),
        ("99999999999", "must be less than 10,000,000,000"),
    ],
)
def test_figures_that_cannot_be_read_are_refused_saying_what_to_type(percent, typed, message):
    form = kpi_form(percent, value=typed, data_period="2025/26", maturity="provisional")
    assert errors(form) == {"value": [f"The percentage for {NAME} {message}"]}


def test_a_count_of_children_must_be_a_whole_number(percent):
    form = kpi_form(percent, cohort_size="12.5", value="50", data_period="x", maturity="revised")
    assert errors(form) == {
        "cohort_size": [f"The cohort size for {NAME} must be a whole number, like 27"]
    }


def test_figures_are_typed_as_text_with_a_numeric_keyboard(percent):
    html = str(kpi_form(percent)["value"]) + str(kpi_form(percent)["numerator"])
    assert 'type="number"' not in html
    assert 'type="text"' in html and 'inputmode="decimal"' in html and 'inputmode="numeric"' in html


def test_a_stored_figure_is_shown_as_entered(percent):
    form = KPIForm(initial={"value": Decimal("85.2000"), "cohort_size": 30}, kpi=percent)
    assert 'value="85.2"' in str(form["value"]) and 'value="30"' in str(form["cohort_size"])
    form = KPIForm(initial={"value": Decimal("1000.0000")}, kpi=percent)
    assert 'value="1000"' in str(form["value"])


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
        f"comparator_{england.pk}_period": [
            "Enter the period the England figure for (i) % achieving GLD describes"
        ]
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
    assert errors(form) == {
        f"cohort_{cohort.pk}": [
            "Enter a Disadvantaged figure for (i) % achieving GLD between 0 and 100"
        ]
    }


def test_a_breakdown_needs_the_headline_figure(led_action):
    gld = led_action.kpis.get(ref="i")
    cohort = gld.breakdown_cohorts.get()
    form = kpi_form(gld, maturity="provisional", **{f"cohort_{cohort.pk}": "40"})
    assert errors(form) == {
        f"cohort_{cohort.pk}": [
            "Enter the all-pupils figure for (i) % achieving GLD first: the Disadvantaged "
            "figure sits beside it"
        ]
    }


def test_a_milestone_has_a_status_not_a_value():
    milestone = KPIFactory(unit="milestone", polarity="none")
    form = kpi_form(
        milestone, milestone_status="achieved", data_period="2025/26", maturity="validated"
    )
    assert form.is_valid()
    assert "value" not in form.fields
    assert form.to_entry().milestone_status == "achieved"


def test_a_note_longer_than_the_limit_is_refused(percent):
    form = kpi_form(percent, value="50", data_period="x", maturity="revised", note="x" * 5001)
    assert errors(form) == {"note": [f"The note for {NAME} must be 5,000 characters or fewer"]}


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


@pytest.mark.parametrize("field", ["progress", "evidence_of_impact", "next_steps", "risks"])
def test_a_narrative_longer_than_the_limit_is_refused(field):
    form = NarrativeForm({"version": "0", field: "x" * 5001})
    [message] = errors(form)[field]
    assert message.endswith("must be 5,000 characters or fewer")
    assert NarrativeForm({"version": "0", field: "x" * 5000}).is_valid()


def test_narratives_show_the_character_count():
    html = str(NarrativeForm()["progress"].field.character_limit)
    assert html == "5000"
