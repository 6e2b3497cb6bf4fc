"""A board's remit, with its figures, as the plan-and-figures workbook."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from boards.models import Board
from bury_eis.access import role_required


@role_required
def board_export(request: HttpRequest, slug: str) -> HttpResponse:
    """Where the remit's workbook was downloaded from while it was built in the request, kept
    for bookmarks: the worker prepares it now (spreadsheets/prepared_downloads), asked for
    from the board's page, so this sends people there. It changes nothing."""
    board = get_object_or_404(Board, slug=slug, is_active=True)
    return redirect("boards:dashboard", slug=board.slug)
