"""The risk form and the review form, in GOV.UK patterns (radios, date inputs)."""

import calendar
from datetime import date

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from actions.models import Action, Commitment
from risks.models import Risk


class DateParts(forms.MultiWidget):
    """GOV.UK's date input: day, month and year boxes (templates/risks/_date_input.html)."""

    def __init__(self) -> None:
        box = {"inputmode": "numeric"}
        super().__init__(
            {
                "day": forms.TextInput(box),
                "month": forms.TextInput(box),
                "year": forms.TextInput(box),
            }
        )

    def decompress(self, value: date | None) -> list:
        return [value.day, value.month, value.year] if value else [None, None, None]


class DateInputField(forms.MultiValueField):
    """A date entered as day, month and year, with GOV.UK's messages naming the field."""

    widget = DateParts

    def __init__(self, *, label: str, **kwargs) -> None:
        self.name = label
        parts = (forms.CharField(), forms.CharField(), forms.CharField())
        messages = {"required": f"Enter the {label.lower()}"}
        super().__init__(
            parts, label=label, require_all_fields=False, error_messages=messages, **kwargs
        )

    def compress(self, parts: list) -> date | None:
        if not parts or not any(parts):
            return None
        try:
            day, month, year = (int(str(p).strip()) for p in parts)
            if year < 1000:
                raise ValueError
            return date(year, month, day)
        except (TypeError, ValueError):
            raise ValidationError(
                f"The {self.name.lower()} must be a real date, for example 27 3 2026"
            ) from None


def a_month_after(day: date) -> date:
    """The same day next month, or that month's last day if it is shorter."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class RiskForm(forms.ModelForm):
    """A risk as admins add or edit it; its owner edits everything but who owns it."""

    review_date = DateInputField(label="Review date", help_text="For example, 27 3 2026")

    class Meta:
        model = Risk
        fields = [
            "reference",
            "title",
            "description",
            "likelihood",
            "impact",
            "owner",
            "owner_description",
            "mitigation",
            "review_date",
            "status",
            "areas",
            "actions",
        ]
        widgets = {
            "likelihood": forms.RadioSelect,
            "impact": forms.RadioSelect,
            "status": forms.RadioSelect,
            "areas": forms.CheckboxSelectMultiple,
            "actions": forms.CheckboxSelectMultiple,
        }
        labels = {"owner": "Owner's account", "owner_description": "Owner"}
        error_messages = {
            "reference": {"required": "Enter the risk's reference, like R1"},
            "title": {"required": "Enter the risk's title"},
            "likelihood": {"required": "Choose how likely the risk is"},
            "impact": {"required": "Choose how great its impact would be"},
        }

    def __init__(self, *args, plan, may_change_owner: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self.fields["likelihood"].choices = self.fields["likelihood"].choices[1:]
        self.fields["impact"].choices = self.fields["impact"].choices[1:]
        self.fields["areas"].queryset = Commitment.objects.filter(plan=plan)
        self.fields["areas"].label = f"{plan.area_name_plural} it bears on"
        self.fields["areas"].label_from_instance = lambda c: c.label
        live = Action.objects.filter(plan=plan, retired_at__isnull=True)
        self.fields["actions"].queryset = live.order_by("position")
        self.fields["actions"].label_from_instance = lambda a: f"{a.code} {a.text[:90]}"
        if may_change_owner:
            users = get_user_model().objects.filter(is_active=True)
            self.fields["owner"].queryset = users.order_by("first_name", "last_name", "username")
            self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
            self.fields["owner"].help_text = "The person who may edit the risk and review it."
        else:
            del self.fields["owner"]

    def validate_unique(self) -> None:
        # The plan is set on the instance, not a form field, so check the pair here
        # and say which field is wrong.
        super().validate_unique()
        clash = Risk.objects.filter(
            plan=self.instance.plan, reference=self.cleaned_data.get("reference")
        ).exclude(pk=self.instance.pk)
        if clash.exists():
            self.add_error("reference", "This plan already has a risk with this reference")


class ReviewForm(forms.Form):
    """ "Reviewed today": when the risk is next to be reviewed."""

    next_review = DateInputField(label="Next review date", help_text="For example, 27 3 2026")

    def __init__(self, *args, today: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["next_review"].initial = a_month_after(today)

    def clean_next_review(self) -> date:
        day = self.cleaned_data["next_review"]
        if day <= self.today:
            raise ValidationError("The next review date must be after today")
        return day
