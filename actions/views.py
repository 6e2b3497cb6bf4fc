from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django_tables2 import RequestConfig

from actions import selectors
from actions.filters import ActionFilterSet
from actions.models import Commitment
from actions.tables import ActionTable
from bury_eis.exports import table_download
from bury_eis.roles import role_required

EXPORT_FORMATS = ("csv", "xlsx")


def chosen_term(request: HttpRequest) -> tuple[list, object, object]:
    """All terms, the term asked for in `?term=` (else the default) and the one before it."""
    terms = selectors.reporting_terms()
    try:
        asked = int(request.GET.get("term", ""))
    except ValueError:
        asked = None
    return terms, *selectors.term_and_previous(terms, asked)


@role_required
def commitment_detail(request: HttpRequest, number: int) -> HttpResponse:
    commitment = get_object_or_404(Commitment, number=number)
    _, term, previous = chosen_term(request)
    actions = selectors.action_list(term, previous).filter(commitment=commitment)
    by_sector: dict = {}
    for action in actions.order_by("position"):
        by_sector.setdefault(action.sector, []).append(action)
    return render(
        request,
        "actions/commitment_detail.html",
        {"commitment": commitment, "by_sector": list(by_sector.items()), "term": term},
    )


@role_required
def action_list(request: HttpRequest) -> HttpResponse:
    """Actions as at a term, filtered; `?export=csv|xlsx` downloads exactly the filtered rows."""
    terms, term, previous = chosen_term(request)
    filterset = ActionFilterSet(
        request.GET, queryset=selectors.action_list(term, previous), terms=terms, term=term
    )
    table = ActionTable(filterset.qs)
    export = request.GET.get("export")
    if export in EXPORT_FORMATS:
        RequestConfig(request, paginate=False).configure(table)
        stem = f"actions-{slugify(term.label)}" if term else "actions"
        return table_download(table.as_values(), export, stem)
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(
        request,
        "actions/action_list.html",
        {"filter": filterset, "table": table, "term": term, "export_formats": True},
    )
