from collections.abc import Callable

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.functional import cached_property
from django.utils.text import slugify
from django_tables2 import RequestConfig

from actions import selectors
from actions.filters import ActionFilterSet, TermFilterSet
from actions.models import ActionLink, Commitment
from actions.tables import ActionTable, TermTable
from bury_eis.access import role_required
from bury_eis.exports import table_download

EXPORT_FORMATS = ("csv", "xlsx")


class CountedPaginator(Paginator):
    """Pages of `object_list`, counted from `count_from`: the same rows, asked more cheaply."""

    def __init__(self, object_list, per_page, *, count_from: QuerySet, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.count_from = count_from

    @cached_property
    def count(self) -> int:
        return self.count_from.count()


def asked_term(request: HttpRequest) -> int | None:
    """The term id in `?term=`, or None when there is none or it is not a number."""
    try:
        return int(request.GET.get("term", ""))
    except ValueError:
        return None


def chosen_plan(request: HttpRequest):
    """The plan asked for in `?plan=` (its slug), else the first plan."""
    return selectors.plan_chosen(request.GET.get("plan"))


def chosen_term(request: HttpRequest, plan=None) -> tuple[list, object, object]:
    """The plan's periods, the one asked for in `?term=` (else the default) and the one
    before it; `plan` defaults to the one asked for (`chosen_plan`)."""
    terms = selectors.reporting_terms(plan or chosen_plan(request))
    return terms, *selectors.term_and_previous(terms, asked_term(request))


@role_required
def commitment_detail(request: HttpRequest, number: int) -> HttpResponse:
    """A commitment (or priority area) of the plan in `?plan=`: its actions by sector (or
    outcome), the actions that link to it, and its measures and those it shares."""
    plan = chosen_plan(request)
    commitment = get_object_or_404(
        Commitment.objects.select_related("plan"), plan=plan, number=number
    )
    _, term, previous = chosen_term(request, plan)
    actions = selectors.action_list(term, previous).filter(commitment=commitment)
    by_sector: dict = {}
    for action in actions.order_by("position"):
        by_sector.setdefault(action.sector, []).append(action)
    context = {
        "plan": plan,
        "commitment": commitment,
        "by_sector": list(by_sector.items()),
        "term": term,
        "linked_from": list(
            ActionLink.objects.filter(target_area=commitment, action__retired_at__isnull=True)
            .select_related("action")
            .order_by("action__position")
        ),
        # Through the reverse relations: measures live in kpis, which actions never imports.
        "measures": list(commitment.measures.filter(retired_at__isnull=True).order_by("position")),
        "also_relevant": list(
            commitment.also_measures.filter(retired_at__isnull=True)
            .select_related("area")
            .order_by("area__number", "position")
        ),
    }
    return render(request, "actions/commitment_detail.html", context)


@role_required
def action_list(request: HttpRequest) -> HttpResponse:
    """Actions as at a term, filtered; `?export=csv|xlsx` downloads exactly the filtered rows."""
    return term_list(
        request,
        filterset_class=ActionFilterSet,
        rows=selectors.action_list,
        table_class=ActionTable,
        template="actions/action_list.html",
        stem="actions",
        counted_rows=selectors.live_actions,
    )


def term_list(
    request: HttpRequest,
    *,
    filterset_class: type[TermFilterSet],
    rows: Callable[..., QuerySet],
    table_class: type[TermTable],
    template: str,
    stem: str,
    counted_rows: Callable[[], QuerySet] | None = None,
) -> HttpResponse:
    """A list read as at the chosen term: `rows(term, previous)`, filtered and tabled.

    `?export=csv|xlsx` downloads exactly the filtered rows, unpaginated, through
    the same queryset and table as the page. Given `counted_rows` (the same rows without
    their standing), the pager counts those, the same filters applied, when no filter in
    use reads the standing: the same number, without a join per row.
    """
    plan = chosen_plan(request)
    terms, term, previous = chosen_term(request, plan)
    queryset = rows(term, previous).filter(**{filterset_class.plan_path: plan})
    filterset = filterset_class(request.GET, queryset=queryset, terms=terms, term=term, plan=plan)
    table = table_class(filterset.qs, terms=terms, plan=plan)
    export = request.GET.get("export")
    if export in EXPORT_FORMATS:
        RequestConfig(request, paginate=False).configure(table)
        name = f"{stem}-{slugify(term.label)}" if term else stem
        return table_download(table.as_values(), export, name)
    paginate = {"per_page": 25}
    if counted_rows is not None:
        plain = counted_rows().filter(**{filterset_class.plan_path: plan})
        if (same := filterset.counted(plain)) is not None:
            paginate |= {"paginator_class": CountedPaginator, "count_from": same}
    RequestConfig(request, paginate=paginate).configure(table)
    context = {
        "filter": filterset,
        "table": table,
        "term": term,
        "plan": plan,
        "export_formats": True,
    }
    return render(request, template, context)
