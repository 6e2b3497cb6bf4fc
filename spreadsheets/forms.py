"""Forms of the spreadsheet pages."""

from django import forms

from actions.models import Plan
from spreadsheets.plan_template import PAIRED_COLUMNS, TEMPLATE_COLUMNS

NOT_NEEDED = "not-needed"
COLUMN_CHOICES = [
    ("", "Choose a column"),
    *[(column, column) for column in TEMPLATE_COLUMNS],
    (NOT_NEEDED, "Not needed: leave this column out"),
]


class ColumnMatchForm(forms.Form):
    """Which template column each heading the reader did not know is, or that it is not
    needed. `asked` is what the check found (ColumnsToMatch.as_json): the unknown headings,
    the required columns missing and the columns already found."""

    def __init__(self, *args, asked: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.asked = asked
        for index, heading in enumerate(asked["unknown"]):
            self.fields[f"column-{index}"] = forms.ChoiceField(
                label=f"Which column is “{heading}”?",
                choices=COLUMN_CHOICES,
                error_messages={
                    "required": f"Select which column “{heading}” is, or that it is not needed"
                },
            )

    def matches(self) -> dict[str, str]:
        """Each heading -> its template column, blank for a column not needed."""
        return {
            heading: "" if chosen == NOT_NEEDED else chosen
            for heading, chosen in zip(
                self.asked["unknown"], self._chosen_by_field().values(), strict=True
            )
        }

    def _chosen_by_field(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in self.fields}

    def clean(self) -> dict:
        cleaned = super().clean()
        headings = dict(zip(self.fields, self.asked["unknown"], strict=True))
        taken = dict.fromkeys(self.asked["known"], "another column of the file")
        for name, chosen in self._chosen_by_field().items():
            if chosen in ("", NOT_NEEDED):
                continue
            if chosen in taken:
                self.add_error(
                    name,
                    f"“{headings[name]}” cannot be the {chosen} column: {taken[chosen]} is "
                    "already. Choose another column, or that it is not needed",
                )
            taken.setdefault(chosen, f"“{headings[name]}”")
        if not self.errors:
            self._check_required(taken)
        return cleaned

    def _check_required(self, found: dict[str, str]) -> None:
        """Every required column the file lacks must be one of the headings."""
        missing = [
            column
            for column in self.asked["missing"]
            if column not in found and PAIRED_COLUMNS.get(column) not in found
        ]
        if missing:
            chosen = self._chosen_by_field()
            field = next((n for n, c in chosen.items() if c == NOT_NEEDED), next(iter(chosen)))
            names = ", ".join(missing)
            self.add_error(
                field,
                f"The import needs a column for {names}. Choose the heading that holds "
                "each, or add the column to the file and upload it again",
            )


CHOOSE_PLAN = "Select the plan this file is for"


class PlanChoiceForm(forms.Form):
    """Which plan an uploaded plan workbook is for: the import never guesses."""

    plan = forms.ModelChoiceField(
        queryset=Plan.objects.all(),
        to_field_name="slug",
        widget=forms.RadioSelect,
        label="Which plan is this?",
        empty_label=None,
        error_messages={"required": CHOOSE_PLAN, "invalid_choice": CHOOSE_PLAN},
    )
