from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django_tables2 import RequestConfig

from actions import selectors
from actions.filters import ActionFilterSet
from actions.models import RATING_MEANINGS, Action, ChangeRecord, Commitment, Rating
from actions.tables import ActionTable
from bury_eis.roles import role_required


@role_required
def overview(request: HttpRequest) -> HttpResponse:
    """The plan at a glance: commitments down, sectors across, counts of actions."""
    commitments, sectors, counts = selectors.plan_overview()
    rows = [
        {
            "commitment": commitment,
            "cells": [
                {"sector": s, "count": counts.get((commitment.pk, s.pk), 0)} for s in sectors
            ],
        }
        for commitment in commitments
    ]
    return render(
        request,
        "actions/overview.html",
        {
            "rows": rows,
            "sectors": sectors,
            "total": sum(c.action_count for c in commitments),
            "rating_meanings": [(Rating(code), *words) for code, words in RATING_MEANINGS.items()],
        },
    )


@role_required
def commitment_detail(request: HttpRequest, number: int) -> HttpResponse:
    commitment = get_object_or_404(Commitment, number=number)
    actions = selectors.action_list().filter(commitment=commitment).order_by("position")
    by_sector: dict = {}
    for action in actions:
        by_sector.setdefault(action.sector, []).append(action)
    return render(
        request,
        "actions/commitment_detail.html",
        {"commitment": commitment, "by_sector": list(by_sector.items())},
    )


@role_required
def action_list(request: HttpRequest) -> HttpResponse:
    filterset = ActionFilterSet(request.GET, queryset=selectors.action_list())
    table = ActionTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(request, "actions/action_list.html", {"filter": filterset, "table": table})


@role_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        action = selectors.action_detail(pk)
    except Action.DoesNotExist:
        raise Http404("No such action") from None
    kpis = [{"kpi": kpi, "latest": next(iter(kpi.values.all()), None)} for kpi in action.kpis.all()]
    # History includes drafts, so only those who can update the action see it;
    # board members see approved figures only.
    history = []
    if selectors.can_update(request.user, action):
        history = ChangeRecord.objects.filter(action=action).select_related("term", "changed_by")[
            :100
        ]
    return render(
        request,
        "actions/action_detail.html",
        {
            "action": action,
            "kpis": kpis,
            "updates": list(action.updates.all()),
            "history": history,
        },
    )
