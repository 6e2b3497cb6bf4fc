"""Every plan at a glance, for admins who run more than one."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from actions.models import Rating
from actions.schedule import Schedule
from actions.selectors import plans, reporting_terms, term_and_previous
from boards.selectors import NO_UPDATE, Remit, dashboard
from bury_eis.access import admin_required


@admin_required
def plans_overview(request: HttpRequest) -> HttpResponse:
    """Each plan's published period, how complete it is and how its actions are rated, with
    links to its dashboard, lists and reporting period. A fixed number of queries a plan."""
    rows = []
    for plan in plans():
        term, previous = term_and_previous(reporting_terms(plan))
        board = dashboard(term, previous, Remit.whole(plan), limit=0)
        ratings = [
            (code, label, board.totals[code])
            for code, label in [*Rating.choices, (NO_UPDATE, "no update")]
            if board.totals[code]
        ]
        overdue = board.schedule_totals[Schedule.OVERDUE]
        rows.append(
            {
                "plan": plan,
                "term": term,
                "d": board,
                "ratings": ratings,
                "dated": sum(board.schedule_totals.values()),
                "overdue": overdue,
            }
        )
    return render(request, "boards/plans_overview.html", {"rows": rows})
