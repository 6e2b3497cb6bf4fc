"""The termly update page's forms: one for the action's rating and narrative, one per KPI."""

from decimal import Decimal

from django import forms

from actions.models import RATING_MEANINGS, Rating
from kpis.models import KPI, KPIValue, Maturity, MilestoneStatus, Unit
from kpis.updates import KPIEntry

NOT_NEGATIVE = {Unit.COUNT, Unit.MONEY, Unit.DAYS, Unit.WEEKS, Unit.RATE_PER_10000, Unit.PERCENT}
NUMBER = {"invalid": "Enter a number, like 92.5"}
WHOLE = {"invalid": "Enter a whole number, like 27"}


class RatingSelect(forms.RadioSelect):
    """Radios whose hints give the council's meaning of each rating."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        delivery, impact = RATING_MEANINGS.get(value, ("", ""))
        option["meaning"] = f"{delivery}. Impact: {impact.lower()}." if delivery else ""
        return option


class NarrativeForm(forms.Form):
    """The action's rating and narrative, and the version of the update the page was built from."""

    rating = forms.ChoiceField(
        choices=Rating.choices,
        widget=RatingSelect(attrs={"class": "govuk-radios__input"}),
        required=False,
    )
    progress = forms.CharField(
        label="Progress this term", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    evidence_of_impact = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    next_steps = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Needed for an Amber or Red rating: what will bring the action back on track.",
    )
    risks = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, submitting: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.submitting = submitting

    def clean(self) -> dict:
        data = super().clean()
        rating = data.get("rating")
        if rating in (Rating.RED, Rating.AMBER) and not data.get("next_steps", "").strip():
            self.add_error(
                "next_steps", f"Enter next steps: a {Rating(rating).label} rating needs them"
            )
        if self.submitting and not rating:
            self.add_error("rating", "Choose a rating before you submit the update")
        if self.submitting and not data.get("progress", "").strip():
            self.add_error("progress", "Enter the progress this term before you submit the update")
        return data


class KPIForm(forms.Form):
    """One KPI's figure for the term, its breakdowns and comparators, or why there is none."""

    value = forms.DecimalField(
        required=False, max_digits=14, decimal_places=4, error_messages=NUMBER
    )
    numerator = forms.IntegerField(
        required=False, min_value=0, error_messages=WHOLE, help_text="How many meet the measure"
    )
    denominator = forms.IntegerField(
        required=False, min_value=1, error_messages=WHOLE, help_text="Out of how many"
    )
    milestone_status = forms.ChoiceField(
        label="Milestone", required=False, choices=[("", "Not reported"), *MilestoneStatus.choices]
    )
    data_period = forms.CharField(
        required=False, max_length=60, help_text="For example: 2024/25 academic year, Autumn 2025"
    )
    maturity = forms.ChoiceField(choices=Maturity.choices, initial=Maturity.PROVISIONAL)
    cohort_size = forms.IntegerField(
        required=False,
        min_value=0,
        error_messages=WHOLE,
        help_text="How many children or settings the figure covers",
    )
    no_new_data = forms.BooleanField(label="No new data this term", required=False)
    no_new_data_reason = forms.CharField(
        label="Why there is no new data", required=False, max_length=300
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, kpi: KPI, **kwargs) -> None:
        self.kpi = kpi
        super().__init__(*args, prefix=f"kpi{kpi.pk}", **kwargs)
        if kpi.unit == Unit.MILESTONE:
            for name in ("value", "numerator", "denominator", "cohort_size"):
                del self.fields[name]
        else:
            del self.fields["milestone_status"]
            self.fields["value"].label = "Percentage" if kpi.unit == Unit.PERCENT else "Value"
            if kpi.unit != Unit.PERCENT:
                del self.fields["numerator"], self.fields["denominator"]
        # GOV.UK Frontend reveals the reason field when the box is ticked.
        self.fields["no_new_data"].widget.attrs["data-aria-controls"] = f"no-data-{kpi.pk}"
        self.cohorts = list(kpi.breakdown_cohorts.all())
        self.comparators = list(kpi.comparators.all())
        for cohort in self.cohorts:
            self.fields[f"cohort_{cohort.pk}"] = forms.DecimalField(
                label=cohort.name,
                required=False,
                max_digits=14,
                decimal_places=4,
                error_messages=NUMBER,
            )
        for comparator in self.comparators:
            self.fields[f"comparator_{comparator.pk}"] = forms.DecimalField(
                label=f"{comparator.name} figure",
                required=False,
                max_digits=14,
                decimal_places=4,
                error_messages=NUMBER,
            )
            self.fields[f"comparator_{comparator.pk}_period"] = forms.CharField(
                label=f"Period of the {comparator.name} figure", required=False, max_length=60
            )

    @property
    def breakdown_fields(self) -> list:
        return [self[f"cohort_{c.pk}"] for c in self.cohorts]

    @property
    def comparator_fields(self) -> list:
        return [
            (self[f"comparator_{c.pk}"], self[f"comparator_{c.pk}_period"])
            for c in self.comparators
        ]

    def clean(self) -> dict:
        data = super().clean()
        for check in (
            self._check_figure,
            self._check_range,
            self._check_no_new_data,
            self._check_others,
        ):
            check(data)
        return data

    def _check_figure(self, data: dict) -> None:
        value, num, den = data.get("value"), data.get("numerator"), data.get("denominator")
        if (num is None) != (den is None):
            self.add_error(
                "denominator" if den is None else "numerator",
                "Enter both the numerator and the denominator, or neither",
            )
        elif num is not None and num > den:
            self.add_error("numerator", "The numerator cannot be more than the denominator")
        if value is not None and num is not None:
            self.add_error("value", "Enter the percentage or the numbers it comes from, not both")
        has_figure = value is not None or num is not None or data.get("milestone_status")
        if has_figure and not data.get("data_period", "").strip():
            self.add_error("data_period", "Enter the period this figure describes")

    def _check_range(self, data: dict) -> None:
        unit, value = self.kpi.unit, data.get("value")
        candidates = [("value", value)] + [
            (f"cohort_{c.pk}", data.get(f"cohort_{c.pk}")) for c in self.cohorts
        ]
        for name, number in candidates:
            if number is None:
                continue
            if unit == Unit.PERCENT and not Decimal(0) <= number <= Decimal(100):
                self.add_error(name, "Enter a percentage between 0 and 100")
            elif unit in NOT_NEGATIVE and number < 0:
                self.add_error(name, f"A figure in {Unit(unit).label.lower()} cannot be negative")
            elif unit == Unit.COUNT and number != number.to_integral_value():
                self.add_error(name, "Enter a whole number: this measure is a count")

    def _check_no_new_data(self, data: dict) -> None:
        if not data.get("no_new_data"):
            return
        if not data.get("no_new_data_reason", "").strip():
            self.add_error("no_new_data_reason", "Enter why there is no new data this term")
        if data.get("value") is not None or data.get("numerator") is not None:
            self.add_error("value", "You said there is no new data: leave the figure empty")

    def _check_others(self, data: dict) -> None:
        for comparator in self.comparators:
            figure = data.get(f"comparator_{comparator.pk}")
            if (
                figure is not None
                and not data.get(f"comparator_{comparator.pk}_period", "").strip()
            ):
                self.add_error(
                    f"comparator_{comparator.pk}_period",
                    f"Enter the period the {comparator.name} figure describes",
                )

    def to_entry(self) -> KPIEntry:
        data = self.cleaned_data
        return KPIEntry(
            kpi=self.kpi,
            value=data.get("value"),
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
            data_period=data.get("data_period", "").strip(),
            maturity=data.get("maturity") or Maturity.PROVISIONAL,
            cohort_size=data.get("cohort_size"),
            milestone_status=data.get("milestone_status", ""),
            no_new_data=bool(data.get("no_new_data")),
            no_new_data_reason=data.get("no_new_data_reason", "").strip(),
            note=data.get("note", "").strip(),
            cohorts={c.pk: data.get(f"cohort_{c.pk}") for c in self.cohorts},
            comparators={
                c.pk: (
                    data.get(f"comparator_{c.pk}"),
                    data.get(f"comparator_{c.pk}_period", "").strip(),
                )
                for c in self.comparators
            },
        )


def kpi_initial(kpi: KPI) -> dict:
    """The form's starting values from what is stored for the term (`kpi.this_term`)."""
    values: list[KPIValue] = kpi.this_term
    headline = next((v for v in values if v.cohort.code == "all"), None)
    if headline is None:
        return {}
    initial = {
        name: getattr(headline, name)
        for name in (
            "value",
            "numerator",
            "denominator",
            "milestone_status",
            "data_period",
            "maturity",
            "cohort_size",
            "no_new_data",
            "no_new_data_reason",
            "note",
        )
    }
    if headline.numerator is not None:
        initial["value"] = None  # computed from the numbers, never typed twice
    initial |= {f"cohort_{v.cohort_id}": v.value for v in values if v.cohort.code != "all"}
    for comparison in headline.comparisons.all():
        initial[f"comparator_{comparison.comparator_id}"] = comparison.value
        initial[f"comparator_{comparison.comparator_id}_period"] = comparison.period
    return initial
