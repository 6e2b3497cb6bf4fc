from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from actions.models import RATING_MEANINGS, Rating
from actions.selectors import reporting_terms
from actions.views import asked_term, chosen_term
from boards import selectors
from boards.content import dashboard_content
from boards.models import Board, BoardPack, Meeting
from boards.pack_workbook import pack_workbook
from boards.selectors import Remit
from boards.services import (
    board_pack_generate,
    board_pack_pdf,
    board_pack_publish,
    board_pack_withdraw,
)
from bury_eis.exports import XLSX_TYPE, download
from bury_eis.roles import is_admin, role_required
from bury_eis.versioning import data_version_seen_by
from kpis.models import Term


def _dashboard_context(request: HttpRequest, remit: Remit) -> dict:
    terms, term, previous = chosen_term(request)
    board = selectors.dashboard(term, previous, remit)
    list_url = f"{reverse('actions:list')}?term={term.pk}" if term else ""
    if remit.query():
        list_url += "&" + remit.query()
    return {"d": dashboard_content(board), "terms": terms, "list_url": list_url}


def _dashboard_body(request: HttpRequest, remit: Remit, *, with_scale: bool = False) -> str:
    """The term picker and the dashboard as HTML, from the cache until the data changes.

    Keyed by the data version, the term asked for and the remit; rendered without
    the request, so nothing about the person viewing it can be cached. The whole
    plan's dashboard ends with the rating scale, which is cached with it.
    """
    version = data_version_seen_by(request.user)
    key = f"dashboard:{version}:{asked_term(request)}:{remit.query()}:{with_scale}"
    body = cache.get(key)
    if body is None:
        context = _dashboard_context(request, remit)
        if with_scale:
            context["rating_meanings"] = [
                (Rating(code), *words) for code, words in RATING_MEANINGS.items()
            ]
        body = render_to_string("boards/_dashboard_live.html", context)
        cache.set(key, body, settings.DASHBOARD_CACHE_SECONDS)
    return body


@role_required
def home(request: HttpRequest) -> HttpResponse:
    """The whole plan at a glance for a term; where board members land."""
    body = _dashboard_body(request, Remit(), with_scale=True)
    return render(request, "boards/dashboard.html", {"body": body})


@role_required
def board_list(request: HttpRequest) -> HttpResponse:
    boards = (
        Board.objects.filter(is_active=True)
        .prefetch_related("commitments", "sectors")
        .annotate(meeting_count=Count("meetings"))
    )
    return render(request, "boards/board_list.html", {"boards": boards})


@role_required
def board_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """A board's dashboard for its remit only, with its meetings and their packs."""
    board = get_object_or_404(
        Board.objects.prefetch_related(
            "commitments",
            "sectors",
            Prefetch("meetings", queryset=Meeting.objects.prefetch_related("packs")),
        ),
        slug=slug,
        is_active=True,
    )
    context = {
        "body": _dashboard_body(request, Remit.of(board)),
        "board": board,
        "can_generate": is_admin(request.user),
    }
    return render(request, "boards/dashboard.html", context)


def _meeting(pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("board"), pk=pk)


def _pack_for(request: HttpRequest, pk: int) -> BoardPack:
    """The pack, if the user may read its restricted version: admins and the board's members."""
    pack = get_object_or_404(BoardPack.objects.select_related("meeting__board", "term"), pk=pk)
    if not (
        is_admin(request.user) or pack.meeting.board.members.filter(pk=request.user.pk).exists()
    ):
        raise PermissionDenied("Only the board's members and admins can read its packs.")
    return pack


def _published(token: str) -> BoardPack:
    return get_object_or_404(
        BoardPack.objects.select_related("meeting__board", "term"), public_token=token
    )


@role_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting with its pack versions; admins generate new versions here."""
    meeting = _meeting(pk)
    terms = [t for t in reporting_terms() if t.has_approved]
    return render(
        request,
        "boards/meeting.html",
        {
            "meeting": meeting,
            "packs": meeting.packs.select_related("term", "created_by"),
            "terms": terms,
            "can_generate": is_admin(request.user),
        },
    )


@require_POST
@role_required
def pack_generate(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_admin(request.user):
        raise PermissionDenied("Only admins generate board packs.")
    meeting = _meeting(pk)
    term = Term.objects.filter(pk=request.POST.get("term") or 0).first()
    if term is None:
        messages.error(request, "Choose the term whose approved figures the pack should show.")
        return redirect("boards:meeting", pk=meeting.pk)
    pack = board_pack_generate(meeting=meeting, term=term, user=request.user)
    messages.success(request, f"Board pack version {pack.version} generated.")
    return redirect("boards:pack", pk=pack.pk)


@role_required
def pack_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pack = _pack_for(request, pk)
    return render(
        request,
        "boards/pack.html",
        {"pack": pack, "c": pack.content, "can_publish": is_admin(request.user)},
    )


@role_required
def pack_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    pack = _pack_for(request, pk)
    return _pdf(pack, False, f"{_stem(pack)}-restricted.pdf")


@role_required
def pack_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    pack = _pack_for(request, pk)
    return download(pack_workbook(pack.content), XLSX_TYPE, f"{_stem(pack)}-restricted.xlsx")


@require_POST
@role_required
def pack_publish(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_admin(request.user):
        raise PermissionDenied("Only admins publish board packs.")
    pack = board_pack_publish(pack=_pack_for(request, pk), user=request.user)
    messages.success(request, "The public version is published at the address shown below.")
    return redirect("boards:pack", pk=pack.pk)


@require_POST
@role_required
def pack_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_admin(request.user):
        raise PermissionDenied("Only admins withdraw board packs.")
    pack = board_pack_withdraw(pack=_pack_for(request, pk))
    messages.success(request, "The public version is withdrawn; its address no longer works.")
    return redirect("boards:pack", pk=pack.pk)


@login_not_required
def public_pack(request: HttpRequest, token: str) -> HttpResponse:
    """The published pack, small numbers suppressed, readable without signing in."""
    pack = _published(token)
    return render(request, "boards/pack.html", {"pack": pack, "c": pack.public_content})


@login_not_required
def public_pack_pdf(request: HttpRequest, token: str) -> HttpResponse:
    pack = _published(token)
    return _pdf(pack, True, f"{_stem(pack)}-public.pdf")


@login_not_required
def public_pack_xlsx(request: HttpRequest, token: str) -> HttpResponse:
    pack = _published(token)
    return download(pack_workbook(pack.public_content), XLSX_TYPE, f"{_stem(pack)}-public.xlsx")


def _stem(pack: BoardPack) -> str:
    return f"{pack.meeting.board.slug}-{pack.meeting.date:%Y-%m-%d}-v{pack.version}"


def _pdf(pack: BoardPack, public: bool, filename: str) -> HttpResponse:
    return download(board_pack_pdf(pack=pack, public=public), "application/pdf", filename)
