"""The fast widget rendering in the govuk filter must say exactly what Django's would."""

from html.parser import HTMLParser

import pytest
from django import forms

from actions.templatetags.eis import govuk


class Parsed(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.items: list = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        pairs = ((k, (v or "").split() if k == "class" else v) for k, v in attrs)
        self.items.append((tag, sorted(pairs)))

    def handle_data(self, data):
        if data.strip():
            self.items.append(("text", data.strip()))


class Sample(forms.Form):
    text = forms.CharField(max_length=60, help_text="A hint")
    number = forms.DecimalField(max_digits=14, decimal_places=4, required=False)
    whole = forms.IntegerField(min_value=0, required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    choice = forms.ChoiceField(choices=[("a", "Alpha & co"), ("b", "Beta")], initial="b")
    tick = forms.BooleanField(required=False)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {
            "text": '<b>x</b> & "y"',
            "number": "12.5",
            "whole": "-3",
            "notes": "two\nlines",
            "choice": "a",
            "tick": "on",
        },
        {"text": "", "number": "abc", "whole": "", "notes": "", "choice": "zzz"},
    ],
)
def test_fast_rendering_matches_djangos(data):
    form = Sample(data, prefix="kpi7") if data is not None else Sample(prefix="kpi7")
    form.is_valid() if data is not None else None
    for bound in form:
        fast = govuk(bound, "govuk-input--width-10")
        attrs = {"class": fast.split('class="')[1].split('"')[0]}
        if 'aria-describedby="' in fast:
            attrs["aria-describedby"] = fast.split('aria-describedby="')[1].split('"')[0]
        assert Parsed(str(fast)).items == Parsed(bound.as_widget(attrs=attrs)).items, bound.name
