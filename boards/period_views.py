"""The published reporting period: which term the board is looking at.

Moving it is a deliberate step: the admin chooses a term, sees how complete it is, and only
then publishes it. Completeness is counted as every dashboard counts it
(boards.selectors.completeness).
"""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from actions.models import Term
from actions.selectors import plan_chosen, plans, reporting_terms
from actions.services import term_publish
from boards.selectors import Remit, completeness
from bury_eis.access import admin_required


class PeriodChoiceForm(forms.Form):
    term = forms.TypedChoiceField(
        coerce=int,
        label="Which reporting period should the board look at?",
        widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
        error_messages={
            "required": "Select the reporting period to publish",
            "invalid_choice": "Select the reporting period to publish",
        },
    )

    def __init__(self, *args, terms: list[Term], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].choices = [(t.pk, t.label) for t in terms]


@admin_required
def reporting_period(request: HttpRequest) -> HttpResponse:
    """A plan's published period and every period's completeness; choosing one leads to its
    check."""
    plan = plan_chosen(request.GET.get("plan"))
    terms = reporting_terms(plan)
    # The form sends `chosen` even with no radio ticked, so an empty choice is an error.
    asked = "chosen" in request.GET or "term" in request.GET
    form = PeriodChoiceForm(request.GET if asked else None, terms=terms)
    if form.is_bound and form.is_valid():
        return redirect("boards:reporting_period_check", pk=form.cleaned_data["term"])
    found = completeness(terms, Remit.whole(plan))
    context = {
        "form": form,
        "plan": plan,
        "plans": plans(),
        "published": next((t for t in terms if t.is_published), None),
        "rows": [(t, found[t.pk]) for t in terms],
    }
    status = 400 if form.errors else 200
    return render(request, "boards/reporting_period.html", context, status=status)


@admin_required
def reporting_period_check(request: HttpRequest, pk: int) -> HttpResponse:
    """How complete a term is, before publishing it."""
    term = get_object_or_404(Term.objects.select_related("plan"), pk=pk)
    published = Term.objects.filter(plan_id=term.plan_id, is_published=True).first()
    context = {
        "term": term,
        "published": published,
        "found": completeness([term], Remit.whole(term.plan))[term.pk],
    }
    return render(request, "boards/reporting_period_check.html", context)


@require_POST
@admin_required
def reporting_period_publish(request: HttpRequest, pk: int) -> HttpResponse:
    term = term_publish(get_object_or_404(Term.objects.select_related("plan"), pk=pk))
    messages.success(
        request, f"{term.label} is now the published reporting period. Dashboards open on it."
    )
    return redirect(reverse("boards:reporting_period") + f"?plan={term.plan.slug}")
