from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from actions.models import RATING_MEANINGS, Rating, Term
from actions.selectors import default_term, plans, reporting_terms
from actions.views import chosen_plan, chosen_term
from boards import selectors
from boards.content import dashboard_content
from boards.models import Board, BoardPack, Meeting
from boards.pack_workbook import pack_workbook
from boards.packs import mark_superseded, superseded_by, withheld_count
from boards.selectors import Remit, may_read_pack
from boards.services import (
    board_pack_generate,
    board_pack_pdf,
    board_pack_pdf_request,
    board_pack_pdf_retry,
    board_pack_public_version,
    board_pack_publish,
    board_pack_retry,
    board_pack_withdraw,
)
from bury_eis.access import admin_required, object_or_403, role_required
from bury_eis.exports import XLSX_TYPE, download
from bury_eis.progress import progress_context
from bury_eis.roles import is_admin
from risks.selectors import risk_summary


def _dashboard_context(request: HttpRequest, plan, remit: Remit) -> dict:
    """The period picker and the dashboard of `plan` for `remit`, with the rating scale it
    explains."""
    terms, term, previous = chosen_term(request, plan)
    board = selectors.dashboard(term, previous, remit, exception_limit=selectors.EXCEPTIONS_SHOWN)
    return {
        "d": dashboard_content(board),
        "plan": plan,
        "plans": plans(),
        "terms": terms,
        "list_url": _list_url("actions:list", plan, term, remit),
        "kpi_list_url": _list_url("kpis:kpi_list", plan, term, remit),
        "published": next((t for t in terms if t.is_published), None),
        "can_publish": is_admin(request.user),
        "rating_meanings": [(Rating(code), *words) for code, words in RATING_MEANINGS.items()],
        "risks": risk_summary(plan, remit.commitment_ids),
    }


def _list_url(name: str, plan, term, remit: Remit) -> str:
    """A list of `plan` as at `term` within `remit`, for the dashboard's counts to link to and
    extend with their own filters; "" with no term, so nothing is a link."""
    if term is None:
        return ""
    query = "&".join(filter(None, [f"plan={plan.slug}", f"term={term.pk}", remit.query()]))
    return f"{reverse(name)}?{query}"


@role_required
def home(request: HttpRequest) -> HttpResponse:
    """The whole plan at a glance for a term; where board members land."""
    plan = chosen_plan(request)
    context = _dashboard_context(request, plan, Remit.whole(plan))
    return render(request, "boards/dashboard.html", context)


@role_required
def board_list(request: HttpRequest) -> HttpResponse:
    boards = (
        Board.objects.filter(is_active=True)
        .select_related("plan")
        .prefetch_related("commitments", "sectors")
        .annotate(meeting_count=Count("meetings"))
    )
    return render(request, "boards/board_list.html", {"boards": boards})


@role_required
def board_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """A board's dashboard for its remit only, with its meetings and their packs."""
    board = get_object_or_404(
        Board.objects.select_related("plan").prefetch_related(
            "commitments",
            "sectors",
            # The list needs no pack's frozen content or PDFs, megabytes each.
            Prefetch(
                "meetings",
                queryset=Meeting.objects.prefetch_related(
                    Prefetch(
                        "packs",
                        queryset=BoardPack.objects.select_related("term").defer(
                            "content", "public_content", "pdf", "public_pdf"
                        ),
                    )
                ),
            ),
        ),
        slug=slug,
        is_active=True,
    )
    for meeting in board.meetings.all():
        mark_superseded(list(meeting.packs.all()))
    context = _dashboard_context(request, board.plan, Remit.of(board)) | {
        "board": board,
        "can_generate": is_admin(request.user),
    }
    return render(request, "boards/dashboard.html", context)


def _meeting(pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("board__plan"), pk=pk)


# The stored PDFs are read only when one is downloaded.
PACKS = BoardPack.objects.select_related("meeting__board", "term").defer("pdf", "public_pdf")
# Pages about a pack's PDFs need none of its frozen content, which for the whole plan at a
# hundred times its size takes seconds just to read.
PDF_PACKS = PACKS.defer("content", "public_content")


def _pack_for(request: HttpRequest, pk: int, packs: QuerySet = PACKS) -> BoardPack:
    """The pack, if the user may read its restricted version: admins and the board's members."""
    return object_or_403(
        request,
        packs,
        may_read_pack,
        "Only the board's members and admins can read its packs.",
        pk=pk,
    )


def _published(token: str, packs: QuerySet = PACKS) -> BoardPack:
    return get_object_or_404(packs, public_token=token)


@role_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting with its pack versions; admins generate new versions here."""
    meeting = _meeting(pk)
    every = reporting_terms(meeting.board.plan)
    default = default_term(every)
    terms = [t for t in every if t.has_approved or t == default]
    # The frozen content and PDFs can be megabytes each; the list needs none of them.
    packs = list(
        meeting.packs.select_related("term", "created_by").defer(
            "content", "public_content", "pdf", "public_pdf"
        )
    )
    preparing = any(p.state == BoardPack.State.PREPARING for p in packs)
    mark_superseded(packs)
    return render(
        request,
        "boards/meeting.html",
        {
            "meeting": meeting,
            "packs": packs,
            "terms": terms,
            "default_term": default,
            "can_generate": is_admin(request.user),
            **progress_context(request, pending=preparing),
        },
    )


@require_POST
@admin_required
def pack_generate(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    term = Term.objects.filter(
        pk=request.POST.get("term") or 0, plan_id=meeting.board.plan_id
    ).first()
    if term is None:
        messages.error(request, "Choose the term whose approved figures the pack should show.")
        return redirect("boards:meeting", pk=meeting.pk)
    pack = board_pack_generate(meeting=meeting, term=term, user=request.user)
    return redirect("boards:pack", pk=pack.pk)


@require_POST
@admin_required
def pack_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Prepare a pack whose preparation failed again."""
    if not board_pack_retry(pack=_pack_for(request, pk)):
        messages.error(request, "Only a pack that failed can be prepared again.")
    return redirect("boards:pack", pk=pk)


def _not_ready(request: HttpRequest, pack: BoardPack) -> HttpResponse:
    """A pack still being prepared (202, refreshing itself) or one that failed."""
    preparing = pack.state == BoardPack.State.PREPARING
    context = {"pack": pack, "can_retry": is_admin(request.user)}
    context |= progress_context(request, pending=preparing)
    return render(request, "boards/pack_preparing.html", context, status=202 if preparing else 200)


@role_required
def pack_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pack = _pack_for(request, pk)
    if not pack.is_ready:
        return _not_ready(request, pack)
    context = {
        "pack": pack,
        "c": pack.content,
        "can_publish": is_admin(request.user),
        "superseded_by": superseded_by(pack),
    }
    return render(request, "boards/pack.html", context)


@role_required
def pack_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    pack = _pack_for(request, pk, PDF_PACKS)
    if not pack.is_ready:
        return _not_ready(request, pack)
    return _pdf(request, pack, public=False)


@require_POST
@admin_required
def pack_pdf_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Render the restricted PDF again after its render failed."""
    return _retry_pdf(request, pk, public=False)


@require_POST
@admin_required
def public_pdf_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Render the public PDF again after its render failed."""
    return _retry_pdf(request, pk, public=True)


def _retry_pdf(request: HttpRequest, pk: int, *, public: bool) -> HttpResponse:
    pack = _pack_for(request, pk, PDF_PACKS)
    if not board_pack_pdf_retry(pack=pack, public=public):
        messages.error(request, "Only a PDF that failed can be made again.")
    return redirect("boards:pack", pk=pk)


@role_required
def pack_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    pack = _pack_for(request, pk)
    if not pack.is_ready:
        return _not_ready(request, pack)
    workbook = pack_workbook(pack.content, version=pack.version)
    return download(workbook, XLSX_TYPE, f"{_stem(pack)}-restricted.xlsx")


@admin_required
def pack_publish_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Before publishing: the public version exactly as the public would read it, with a
    button to publish it and a way back. Only the POST to `pack_publish` changes anything."""
    pack = _pack_for(request, pk)
    if pack.is_published:
        messages.info(request, "This version is already published at the address shown below.")
        return redirect("boards:pack", pk=pack.pk)
    if not pack.is_ready:
        messages.error(request, "A pack can be published once it has been prepared.")
        return redirect("boards:pack", pk=pack.pk)
    preview = board_pack_public_version(pack=pack)
    context = {"pack": pack, "c": preview, "preview": True, "withheld": withheld_count(preview)}
    return render(request, "boards/pack_publish_check.html", context)


@require_POST
@admin_required
def pack_publish(request: HttpRequest, pk: int) -> HttpResponse:
    pack = _pack_for(request, pk)
    if not pack.is_ready:
        messages.error(request, "A pack can be published once it has been prepared.")
        return redirect("boards:pack", pk=pack.pk)
    board_pack_publish(pack=pack, user=request.user)
    messages.success(request, "The public version is published at the address shown below.")
    return redirect("boards:pack", pk=pack.pk)


@require_POST
@admin_required
def pack_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
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
    """The public PDF: never rendered in the request, however many ask for it."""
    return _pdf(request, _published(token, PDF_PACKS), public=True)


@login_not_required
def public_pack_xlsx(request: HttpRequest, token: str) -> HttpResponse:
    pack = _published(token)
    workbook = pack_workbook(pack.public_content, version=pack.version)
    return download(workbook, XLSX_TYPE, f"{_stem(pack)}-public.xlsx")


def _stem(pack: BoardPack) -> str:
    return f"{pack.meeting.board.slug}-{pack.meeting.date:%Y-%m-%d}-v{pack.version}"


def _pdf(request: HttpRequest, pack: BoardPack, *, public: bool) -> HttpResponse:
    """The stored PDF; or, while the worker makes it, a page saying so (202) that refreshes
    itself until it can offer the download; or why it could not be made."""
    state = board_pack_pdf_request(pack=pack, public=public)
    filename = f"{_stem(pack)}-{'public' if public else 'restricted'}.pdf"
    rendered = state == BoardPack.PDFState.RENDERED
    if rendered and request.GET.get("wait") != "1":
        return download(board_pack_pdf(pack=pack, public=public), "application/pdf", filename)
    pending = state == BoardPack.PDFState.PENDING
    context = {
        "pack": pack,
        "public": public,
        "state": state,
        "error": pack.pdf_status(public=public)[1],
        "filename": filename,
        "download_url": request.path,
        "retry_url": _pdf_retry_url(request, pack, public),
    }
    context |= progress_context(request, pending=pending, query={"wait": "1"})
    return render(request, "boards/pack_pdf.html", context, status=202 if pending else 200)


def _pdf_retry_url(request: HttpRequest, pack: BoardPack, public: bool) -> str:
    if not is_admin(request.user):
        return ""
    return reverse("boards:public_pdf_retry" if public else "boards:pack_pdf_retry", args=[pack.pk])
