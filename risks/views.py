from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from actions.models import Plan
from bury_eis.access import admin_required, object_or_403, role_required
from bury_eis.roles import is_admin
from risks import selectors
from risks.filters import RiskFilterSet
from risks.forms import ReviewForm, RiskForm
from risks.models import Risk
from risks.services import risk_review, risk_save
from risks.tables import RiskTable

EDIT_REFUSAL = "Only the risk's owner and administrators can change it."


@role_required
def register(request: HttpRequest, plan_slug: str) -> HttpResponse:
    """A plan's risk register, highest score first, filtered by band and overdue review."""
    plan = get_object_or_404(Plan, slug=plan_slug)
    filterset = RiskFilterSet(request.GET, queryset=selectors.risk_register(plan))
    table = RiskTable(filterset.qs)
    RequestConfig(request, paginate=False).configure(table)
    context = {"plan": plan, "filter": filterset, "table": table, "can_add": is_admin(request.user)}
    return render(request, "risks/register.html", context)


@role_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    risk = get_object_or_404(selectors.risk_detail(pk), pk=pk)
    return _detail(request, risk, ReviewForm(today=timezone.localdate()))


def _detail(request: HttpRequest, risk: Risk, review_form: ReviewForm) -> HttpResponse:
    context = {
        "risk": risk,
        "plan": risk.plan,
        "can_edit": selectors.may_edit(request.user, risk),
        "form": review_form,
    }
    return render(request, "risks/detail.html", context)


def _editable(request: HttpRequest, pk: int) -> Risk:
    return object_or_403(
        request, selectors.risk_detail(pk), selectors.may_edit, EDIT_REFUSAL, pk=pk
    )


@role_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The risk's form, for its owner and admins; only admins change who owns it."""
    risk = _editable(request, pk)
    return _form_page(request, risk.plan, risk)


@admin_required
def add(request: HttpRequest, plan_slug: str) -> HttpResponse:
    plan = get_object_or_404(Plan, slug=plan_slug)
    return _form_page(request, plan, Risk(plan=plan))


def _form_page(request: HttpRequest, plan: Plan, risk: Risk) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = RiskForm(data, instance=risk, plan=plan, may_change_owner=is_admin(request.user))
    if form.is_valid():
        saved = form.save(commit=False)
        risk_save(
            risk=saved, actions=form.cleaned_data["actions"], areas=form.cleaned_data["areas"]
        )
        messages.success(request, f"Risk {saved.reference} saved.")
        return redirect("risks:detail", pk=saved.pk)
    return render(request, "risks/form.html", {"form": form, "plan": plan, "risk": risk})


@require_POST
@role_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Reviewed today": the review is recorded now, with the next review date."""
    risk = _editable(request, pk)
    form = ReviewForm(request.POST, today=timezone.localdate())
    if not form.is_valid():
        return _detail(request, risk, form)
    risk_review(risk=risk, next_review=form.cleaned_data["next_review"])
    messages.success(request, f"Review of {risk.reference} recorded.")
    return redirect("risks:detail", pk=risk.pk)
