"""The termly update page's forms: one for the action's rating and narrative, one per KPI.

The rules themselves live in the service (kpis.updates, kpis.figures), so the update
page and the Excel round trip can never disagree; these forms read what was typed and
put each problem beside its field.
"""

from decimal import Decimal

from django import forms

from actions.models import NARRATIVE_MAX_LENGTH, RATING_MEANINGS, Rating
from kpis.figures import (
    FigureError,
    entry_fields,
    figure_problem,
    kpi_entry_problems,
    parse_figure,
    plain,
)
from kpis.models import KPI, KPIValue, Maturity, MilestoneStatus, Unit
from kpis.updates import KPIEntry, narrative_problems


class FigureInput(forms.TextInput):
    """A figure typed as text, as GOV.UK asks: `type="number"` would let the browser drop a
    comma (1,5 became 15) and round or nudge what was typed. Shown as typed: 85.2, not 85.2000."""

    def __init__(self, *, whole: bool = False) -> None:
        mode = "numeric" if whole else "decimal"
        super().__init__(attrs={"inputmode": mode, "spellcheck": "false", "autocomplete": "off"})

    def format_value(self, value):
        return plain(value) if isinstance(value, Decimal | int) else super().format_value(value)


class FigureField(forms.Field):
    """A figure read by kpis.figures.parse_figure; its message names the field and the KPI."""

    def __init__(self, *, kpi: KPI, noun: str, whole: bool = False, **kwargs) -> None:
        self.kpi, self.noun, self.whole = kpi, noun, whole
        kwargs.setdefault("required", False)
        super().__init__(widget=FigureInput(whole=whole), **kwargs)

    def to_python(self, value) -> Decimal | int | None:
        try:
            number = parse_figure(value, whole=self.whole)
        except FigureError as error:
            raise forms.ValidationError(figure_problem(self.kpi, self.noun, error)) from None
        if number is not None and self.whole:
            return int(number)
        return number


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

    def __init__(self, *args, submitting: bool = False, period_word: str = "term", **kwargs):
        super().__init__(*args, **kwargs)
        self.submitting = submitting
        # "Progress this term" for a termly plan, "Progress this month" for a monthly one.
        self.fields["progress"].label = f"Progress this {period_word}"
        for name in ("progress", "evidence_of_impact", "next_steps", "risks"):
            # GOV.UK's character count, not a maxlength attribute that cuts pasted text.
            self.fields[name].character_limit = NARRATIVE_MAX_LENGTH

    def clean(self) -> dict:
        data = super().clean()
        for problem in narrative_problems(data, submitting=self.submitting):
            if problem.field not in self.errors:
                self.add_error(problem.field, problem.message)
        return data


class KPIForm(forms.Form):
    """One KPI's figure for the term, its breakdowns and comparators, or why there is none."""

    milestone_status = forms.ChoiceField(
        label="Milestone", required=False, choices=[("", "Not reported"), *MilestoneStatus.choices]
    )
    data_period = forms.CharField(
        required=False, help_text="For example: 2024/25 academic year, Autumn 2025"
    )
    maturity = forms.ChoiceField(choices=Maturity.choices, initial=Maturity.PROVISIONAL)
    no_new_data = forms.BooleanField(label="No new data this term", required=False)
    no_new_data_reason = forms.CharField(label="Why there is no new data", required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    # kpis.figures names entry fields; the form's own names for the ones that differ.
    FIELD_NAMES = {"cohort": "cohort_{}", "comparator": "comparator_{}"}

    def __init__(self, *args, kpi: KPI, **kwargs) -> None:
        self.kpi = kpi
        super().__init__(*args, prefix=f"kpi{kpi.pk}", **kwargs)
        self.cohorts = list(kpi.breakdown_cohorts.all())
        self.comparators = list(kpi.comparators.all())
        self.nouns = entry_fields(
            kpi, {c.pk: c.name for c in self.cohorts}, {c.pk: c.name for c in self.comparators}
        )
        self.fields["note"].character_limit = NARRATIVE_MAX_LENGTH
        if kpi.unit != Unit.MILESTONE:
            del self.fields["milestone_status"]
            label = "Percentage" if kpi.unit == Unit.PERCENT else "Value"
            self._add_figures(("value", label, False))
            if kpi.unit == Unit.PERCENT:
                self._add_figures(
                    ("numerator", "Numerator", True), ("denominator", "Denominator", True)
                )
                self.fields["numerator"].help_text = "How many meet the measure"
                self.fields["denominator"].help_text = "Out of how many"
            self._add_figures(("cohort_size", "Cohort size", True))
            self.fields["cohort_size"].help_text = "How many children or settings the figure covers"
        # Keep the form's order: figures first, as the page shows them.
        self.order_fields(["milestone_status", "value", "numerator", "denominator"])
        # GOV.UK Frontend reveals the reason field when the box is ticked.
        self.fields["no_new_data"].widget.attrs["data-aria-controls"] = f"no-data-{kpi.pk}"
        for cohort in self.cohorts:
            self._add_figures((f"cohort_{cohort.pk}", cohort.name, False, f"cohort:{cohort.pk}"))
        for comparator in self.comparators:
            key = f"comparator_{comparator.pk}"
            self._add_figures(
                (key, f"{comparator.name} figure", False, f"comparator:{comparator.pk}")
            )
            self.fields[f"{key}_period"] = forms.CharField(
                label=f"Period of the {comparator.name} figure", required=False
            )

    def _add_figures(self, *specs) -> None:
        for name, label, whole, *key in specs:
            noun = self.nouns[key[0] if key else name]
            self.fields[name] = FigureField(kpi=self.kpi, noun=noun, whole=whole, label=label)

    def form_field(self, entry_field: str) -> str:
        """The form's field for a kpis.figures entry field (`cohort:12` is `cohort_12`)."""
        kind, _, pk = entry_field.partition(":")
        if kind == "comparator_period":
            return f"comparator_{pk}_period"
        return self.FIELD_NAMES[kind].format(pk) if pk else entry_field

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
        if self.errors:
            return data  # what could not be read is fixed first; the rules need it read
        problems = kpi_entry_problems(
            self.to_entry(),
            cohort_names={c.pk: c.name for c in self.cohorts},
            comparator_names={c.pk: c.name for c in self.comparators},
        )
        for problem in problems:
            self.add_error(self.form_field(problem.field), problem.message)
        return data

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
