"""The admin's form for issuing a feed token."""

from django import forms
from django.contrib.auth import get_user_model

from boards.models import FeedToken


class FeedTokenForm(forms.Form):
    """Who the token is for, what it is for, and whether it reads public figures only."""

    # Set per form in __init__: reading the user model here, at import, would need
    # the app registry ready before this module may be imported.
    user = forms.ModelChoiceField(
        queryset=None,
        label="Who the token is for",
        empty_label="Choose a user",
        error_messages={"required": "Choose who the token is for"},
    )
    name = forms.CharField(
        label="What it is for",
        max_length=100,
        help_text="For example: Performance team Power BI dashboard",
        error_messages={"required": "Enter what the token is for"},
    )
    kind = forms.ChoiceField(
        label="What it can read",
        choices=FeedToken.Kind.choices,
        initial=FeedToken.Kind.USER,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
        error_messages={"required": "Choose what the token can read"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Tokens act for a person, so only active accounts can hold one.
        self.fields["user"].queryset = (
            get_user_model().objects.filter(is_active=True).order_by("username")
        )
        self.fields["user"].label_from_instance = _person

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter what the token is for")
        return name


def _person(user) -> str:
    full = user.get_full_name()
    return f"{full} ({user.username})" if full else user.username
