"""A board's remit, with its figures, as the plan-and-figures workbook."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from boards.models import Board
from boards.selectors import Remit
from bury_eis.access import role_required
from bury_eis.exports import XLSX_TYPE, download
from spreadsheets.plan_export import ExportScope, plan_export_bytes


@role_required
def board_export(request: HttpRequest, slug: str) -> HttpResponse:
    """The board's remit as .xlsx, with the figures the reader may see (as on its dashboard)."""
    board = get_object_or_404(
        Board.objects.select_related("plan").prefetch_related("commitments", "sectors"),
        slug=slug,
        is_active=True,
    )
    remit = f"{board.name}: {board.remit}"
    scope = ExportScope(Remit.of(board).actions(), remit, request.user, board.plan)
    content = plan_export_bytes(scope, timezone.localdate())
    return download(content, XLSX_TYPE, f"{board.slug}-plan-with-figures.xlsx")
