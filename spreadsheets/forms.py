from django import forms

from actions.models import Plan

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
