"""An action's page with its measures' trends; the termly round: My actions, the update page
with its save and submit, and approvals."""

from dataclasses import replace
from datetime import date

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from actions import selectors as action_selectors
from actions.models import (
    NARRATIVE_MAX_LENGTH,
    Action,
    ActionLink,
    ChangeRecord,
    ProgressUpdate,
    Term,
    UpdateStatus,
)
from actions.schedule import plan_schedule_status
from actions.selectors import can_update, leads_an_action
from actions.tables import schedule_tag
from actions.views import term_list
from bury_eis.access import approver_required, object_or_403, requires, role_required
from kpis import selectors
from kpis.comparisons import newest_from_points
from kpis.filters import KPIFilterSet
from kpis.forms import KPIForm, NarrativeForm, kpi_initial
from kpis.models import Cohort
from kpis.tables import KPITable
from kpis.updates import (
    UpdateConflict,
    UpdateInvalid,
    UpdateNotAllowed,
    may_decide,
    progress_update_approve,
    progress_update_return,
    progress_update_save,
    return_reason_problem,
)

STALE_REVIEW = "This update changed while you were reviewing it; review it again."
CONFLICT = (
    "Someone else saved this update after you opened it, so your changes were not saved. "
    "Your entries are still on this page: open the update again in a new tab to see theirs, "
    "then re-enter what is still needed."
)


@role_required
def kpi_list(request: HttpRequest) -> HttpResponse:
    """KPIs as at a term, filtered; `?export=csv|xlsx` downloads exactly the filtered rows."""
    return term_list(
        request,
        filterset_class=KPIFilterSet,
        rows=selectors.kpi_list,
        table_class=KPITable,
        template="kpis/kpi_list.html",
        stem="kpis",
    )


@role_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An action with its rating timeline and each KPI's approved figures as a trend, and
    beside its latest figure each comparator's newest, with the period it describes."""
    try:
        action = action_selectors.action_detail(pk)
    except Action.DoesNotExist:
        raise Http404("No such action") from None
    today = timezone.localdate()
    terms = [
        t for t in reversed(action_selectors.reporting_terms(action.plan)) if t.start_date <= today
    ]
    kpis = selectors.kpis_with_trends(Action.objects.filter(pk=pk), terms)
    # History includes drafts, so only those who can update the action see it;
    # board members see approved figures only.
    history = []
    if can_update(request.user, action):
        history = ChangeRecord.objects.filter(action=action).select_related("term", "changed_by")[
            :100
        ]
    links = ActionLink.objects.filter(Q(action=action) | Q(target_action=action)).select_related(
        "action", "target_action", "target_area", "target_reference"
    )
    updates = list(action.updates.all())
    schedule = plan_schedule_status(
        action.plan, action.due_date, updates[0].rating if updates else None, today
    )
    rows = [
        {
            "kpi": k,
            "trend": k.trend,
            "latest": latest(k.trend),
            "comparisons": newest_from_points(k.trend["points"]),
        }
        for k in kpis
    ]
    return render(
        request,
        "actions/action_detail.html",
        {
            "action": action,
            "kpis": rows,
            "charted": [row for row in rows if row["latest"]],
            "updates": updates,
            "schedule": schedule_tag(schedule),
            "history": history,
            "links": [link for link in links if link.action_id == action.pk],
            "linked_from": [link for link in links if link.target_action_id == action.pk],
        },
    )


def latest(trend: dict) -> dict | None:
    """The newest headline figure of a trend, with the label of the term it was reported in."""
    for label, point in zip(reversed(trend["terms"]), reversed(trend["points"]), strict=True):
        if point is not None:
            return {**point, "term": label}
    return None


# Actions a lead may open the update page of: live ones (who may is `can_update`).
UPDATABLE = Action.objects.select_related("commitment", "sector", "plan").filter(
    retired_at__isnull=True
)
NOT_YOURS = "You can update only the actions you lead."


@requires(leads_an_action, "You do not lead any actions, so there is nothing to update.")
def my_actions(request: HttpRequest) -> HttpResponse:
    """The actions the user leads in one plan, with this period's state for each and what is
    left to do; a plan that dates its actions lists them soonest due first."""
    today = timezone.localdate()
    led_plans = selectors.plans_led_in(request.user)
    plan = _my_plan(request, led_plans)
    terms = selectors.open_terms(today, plan)
    term = next(
        (t for t in terms if str(t.pk) == request.GET.get("term")), terms[-1] if terms else None
    )
    # With no period open, where the actions stood in the latest one that has started.
    closed = None if term else selectors.latest_started_term(today, plan)
    shown = term or closed
    rounds = selectors.my_round(request.user, shown, today) if shown else []
    if closed:
        rounds = [replace(r, overdue=False) for r in rounds]  # nothing can be done now
    rounds = [_scheduled(r, plan, today) for r in rounds]
    dated = any(r.action.due_date for r in rounds)
    return render(
        request,
        "kpis/my_actions.html",
        {
            "term": term,
            "closed_term": closed,
            "shown": shown,
            "terms": terms,
            "today": today,
            "overdue_elsewhere": selectors.overdue_elsewhere(request.user, terms, term, today),
            "next_term": None if term else selectors.next_term(today, plan),
            "plan": plan,
            "other_plans": [p for p in led_plans if p != plan],
            "period": plan.period_word if plan else "term",
            "dated": dated,
            "by_commitment": _grouped(rounds, dated),
            "left": sum(1 for r in rounds if r.state not in selectors.State.DONE),
            "overdue": sum(1 for r in rounds if r.overdue),
            "total": len(rounds),
        },
    )


def _scheduled(item: selectors.ActionRound, plan, today) -> selectors.ActionRound:
    status = plan_schedule_status(plan, item.action.due_date, item.action.latest_rating, today)
    return replace(item, schedule=schedule_tag(status))


def _grouped(rounds: list, dated: bool) -> list:
    """(area, its rounds) in plan order; dated actions as one list, soonest due first."""
    if dated:
        return [
            (None, sorted(rounds, key=lambda r: (r.action.due_date or date.max, r.action.position)))
        ]
    by_commitment: dict = {}
    for item in rounds:
        by_commitment.setdefault(item.action.commitment, []).append(item)
    return list(by_commitment.items())


def _my_plan(request: HttpRequest, led_plans: list):
    """The plan My actions shows: the one asked for, else the first the user leads actions in."""
    asked = request.GET.get("plan")
    found = next((p for p in led_plans if p.slug == asked), None)
    if found is not None:
        return found
    if not asked and led_plans:
        return led_plans[0]
    return action_selectors.plan_chosen(asked)


def update_page(request: HttpRequest, action_pk: int, term_pk: int) -> HttpResponse:
    action = object_or_403(request, UPDATABLE, can_update, NOT_YOURS, pk=action_pk)
    # A period of another plan is not one of this action's: no such page.
    term = get_object_or_404(Term, pk=term_pk, plan_id=action.plan_id)
    return _render_update(request, action, term)


@require_POST
def update_save(request: HttpRequest, action_pk: int, term_pk: int) -> HttpResponse:
    return _save(request, action_pk, term_pk, submit=False)


@require_POST
def update_submit(request: HttpRequest, action_pk: int, term_pk: int) -> HttpResponse:
    return _save(request, action_pk, term_pk, submit=True)


def _save(request: HttpRequest, action_pk: int, term_pk: int, submit: bool) -> HttpResponse:
    action = object_or_403(request, UPDATABLE, can_update, NOT_YOURS, pk=action_pk)
    term = get_object_or_404(Term, pk=term_pk, plan_id=action.plan_id)
    kpis = selectors.update_page_kpis(action, term)
    narrative = NarrativeForm(request.POST, submitting=submit, period_word=action.plan.period_word)
    kpi_forms = [KPIForm(request.POST, kpi=kpi) for kpi in kpis]
    # Every form is validated, not just up to the first failure, so every error shows.
    valid = [narrative.is_valid()] + [form.is_valid() for form in kpi_forms]
    if not all(valid):
        return _render_update(request, action, term, kpis, narrative, kpi_forms)
    try:
        progress_update_save(
            action=action,
            term=term,
            user=request.user,
            narrative=narrative.cleaned_data,
            entries=[f.to_entry() for f in kpi_forms],
            version=narrative.cleaned_data["version"],
            submit=submit,
        )
    except UpdateConflict:
        return _render_update(
            request, action, term, kpis, narrative, kpi_forms, problem=CONFLICT, status=409
        )
    except UpdateNotAllowed as refusal:
        return _render_update(
            request, action, term, kpis, narrative, kpi_forms, problem=str(refusal), status=403
        )
    except UpdateInvalid as invalid:  # the forms apply the same rules, so only by a race
        return _render_update(
            request, action, term, kpis, narrative, kpi_forms, problem=str(invalid), status=400
        )
    if not submit:  # a draft is saved to go on with: back to the same form
        messages.success(
            request, f"Your update for {action.code}, {term.label}, was saved as a draft."
        )
        return redirect("kpis:update", action_pk=action.pk, term_pk=term.pk)
    messages.success(
        request, f"Your update for {action.code}, {term.label}, was submitted for approval."
    )
    # Back to the period's own plan in My actions, not the first plan the lead leads in.
    return redirect(f"{reverse('kpis:my_actions')}?plan={term.plan.slug}&term={term.pk}")


def _render_update(
    request, action, term, kpis=None, narrative=None, kpi_forms=None, problem="", status=200
):
    """The update page: editable unless submitted, approved, locked or not yet open."""
    update = ProgressUpdate.objects.filter(action=action, term=term).first()
    kpis = kpis if kpis is not None else selectors.update_page_kpis(action, term)
    exception = selectors.open_exception(action, term)
    read_only = _read_only_reason(update, term, exception)
    if narrative is None:
        initial = (
            {
                name: getattr(update, name)
                for name in ("rating", "progress", "evidence_of_impact", "next_steps", "risks")
            }
            if update
            else {}
        )
        narrative = NarrativeForm(
            initial={**initial, "version": update.version if update else 0},
            period_word=action.plan.period_word,
        )
        kpi_forms = [KPIForm(initial=kpi_initial(kpi), kpi=kpi) for kpi in kpis]
    return render(
        request,
        "kpis/update.html",
        {
            "action": action,
            "term": term,
            "update": update,
            "exception": exception,
            "narrative": narrative,
            "rows": list(zip(kpis, kpi_forms, strict=True)),
            "read_only": read_only,
            "problem": problem,
            "errors": _error_summary(narrative, kpi_forms),
            "history": selectors.action_history(action).filter(term=term)[:50],
        },
        status=status,
    )


def _read_only_reason(update: ProgressUpdate | None, term: Term, exception) -> str:
    if term.is_locked and exception is None:
        return f"{term.label} is locked: its updates can no longer change."
    if term.start_date > timezone.localdate():
        return f"{term.label} has not started yet."
    if update and update.status == UpdateStatus.SUBMITTED:
        return "This update has been submitted and is waiting for approval."
    if update and update.status == UpdateStatus.APPROVED:
        return "This update has been approved."
    return ""


def _error_summary(narrative: NarrativeForm, kpi_forms: list[KPIForm]) -> list[tuple[str, str]]:
    """(anchor, message) for every error on the page, in the page's order."""
    errors = [
        (f"#{narrative[name].id_for_label}", e)
        for name, errs in narrative.errors.items()
        for e in errs
    ]
    for form in kpi_forms:
        for name, errs in form.errors.items():
            anchor = f"#{form[name].id_for_label}" if name != "__all__" else f"#kpi-{form.kpi.pk}"
            errors += [(anchor, e) for e in errs]  # each message names its KPI
    return errors


@approver_required
def approvals(request: HttpRequest) -> HttpResponse:
    return render(
        request, "kpis/approvals.html", {"updates": selectors.approval_queue(request.user)}
    )


def _to_decide(request: HttpRequest, pk: int) -> ProgressUpdate:
    """A submitted update this approver may decide; 404 if it is not waiting, 403 if they
    worked on it (four eyes)."""
    return object_or_403(
        request,
        selectors.approval_queue(),
        may_decide,
        "You worked on this update, so another approver must approve or return it.",
        pk=pk,
    )


@approver_required
def approval_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_review(request, _to_decide(request, pk))


def _render_review(request, update: ProgressUpdate, reason_error: str = "", status: int = 200):
    kpis = selectors.update_page_kpis(update.action, update.term)
    empty = [k for k in kpis if not any(v.cohort.code == Cohort.ALL_PUPILS for v in k.this_term)]
    return render(
        request,
        "kpis/approval_detail.html",
        {
            "update": update,
            "action": update.action,
            "term": update.term,
            "kpis": kpis,
            "empty": empty,
            "reason_limit": NARRATIVE_MAX_LENGTH,
            "reason_error": reason_error,
            "reason": request.POST.get("reason", ""),
        },
        status=status,
    )


def _still_as_reviewed(request: HttpRequest, update: ProgressUpdate) -> bool:
    """True if the update is the version the approver reviewed; else say so and return False."""
    if str(update.version) == request.POST.get("version"):
        return True
    messages.error(request, STALE_REVIEW)
    return False


@require_POST
@approver_required
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    update = _to_decide(request, pk)
    if not _still_as_reviewed(request, update):
        return redirect("kpis:approvals")
    try:
        progress_update_approve(update=update, user=request.user)
    except UpdateConflict:
        messages.error(request, STALE_REVIEW)
        return redirect("kpis:approvals")
    messages.success(request, f"Approved {update.action.code}, {update.term.label}.")
    return redirect("kpis:approvals")


@require_POST
@approver_required
def return_update(request: HttpRequest, pk: int) -> HttpResponse:
    update = _to_decide(request, pk)
    reason = request.POST.get("reason", "").strip()
    problem = return_reason_problem(reason)
    if problem:
        return _render_review(request, update, problem, status=400)
    if not _still_as_reviewed(request, update):
        return redirect("kpis:approvals")
    try:
        progress_update_return(update=update, user=request.user, reason=reason)
    except UpdateConflict:
        messages.error(request, STALE_REVIEW)
        return redirect("kpis:approvals")
    messages.success(request, f"Returned {update.action.code}, {update.term.label}, to its lead.")
    return redirect("kpis:approvals")
