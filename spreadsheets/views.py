"""Spreadsheets in and out: importing the plan from a workbook, and the plan with its
figures in Excel (download, edit offline, upload, check, confirm)."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from actions.selectors import leads_an_action, plan_chosen, plans
from bury_eis.access import admin_required, object_or_403, requires, role_required
from bury_eis.exports import XLSX_TYPE, download
from bury_eis.progress import progress_context
from bury_eis.roles import is_admin
from spreadsheets.forms import ColumnMatchForm, PlanChoiceForm
from spreadsheets.header_mappings import plan_import_columns_match
from spreadsheets.models import PreparedDownload, StagedUpload
from spreadsheets.plan_imports import PLAN, plan_import_confirm, plan_import_stage
from spreadsheets.plan_template import plan_template_bytes
from spreadsheets.prepared_downloads import Wanted, active_board, prepared_download_request
from spreadsheets.round_trip_uploads import FIGURES, round_trip_confirm, round_trip_stage
from spreadsheets.staged_uploads import staged_upload_retry


def _is_uploader(user, upload: StagedUpload) -> bool:
    return upload.uploaded_by_id == user.pk


def _uploader_or_admin(user, upload: StagedUpload) -> bool:
    return _is_uploader(user, upload) or is_admin(user)


def _page(request: HttpRequest, problems: list[str] | None = None) -> HttpResponse:
    can_upload = leads_an_action(request.user)
    recent = (
        StagedUpload.objects.filter(kind=StagedUpload.Kind.FIGURES, uploaded_by=request.user).only(
            "pk", "file_name", "uploaded_at", "state"
        )[:10]
        if can_upload
        else []
    )
    return render(
        request,
        "spreadsheets/round_trip.html",
        {
            "problems": problems or [],
            "can_upload": can_upload,
            "is_admin": is_admin(request.user),
            "plans": plans(),
            "recent": recent,
            "prepared": PreparedDownload.objects.filter(requested_by=request.user)
            .select_related("plan")
            .defer("content")[:5],
            "max_mb": settings.PLAN_UPLOAD_MAX_BYTES // (1024 * 1024),
        },
        status=400 if problems else 200,
    )


@role_required
def round_trip_start(request: HttpRequest) -> HttpResponse:
    """Downloads of the plan with its figures and, for leads and admins, the upload form."""
    return _page(request)


@role_required
def plan_export(request: HttpRequest) -> HttpResponse:
    """Where the workbook was downloaded from while it was built in the request, kept for
    bookmarks: the worker prepares it now, so this sends people to the page that asks for
    it. It changes nothing."""
    return redirect("spreadsheets:round_trip_start")


def _wanted(request: HttpRequest) -> Wanted:
    """The workbook the form asks for: `board` (a board's remit), else `plan` whole or, with
    `mine`, the actions this person leads in it."""
    if slug := request.POST.get("board"):
        board = active_board(slug)
        if board is None:
            raise Http404("No such board.")
        return Wanted(PreparedDownload.Scope.BOARD, board.plan, board)
    plan = plan_chosen(request.POST.get("plan"))
    if plan is None:
        raise Http404("There is no plan yet.")
    mine = request.POST.get("mine") == "1"
    return Wanted(PreparedDownload.Scope.MINE if mine else PreparedDownload.Scope.PLAN, plan)


@require_POST
@role_required
def plan_export_prepare(request: HttpRequest) -> HttpResponse:
    """Queue the plan with its figures as a workbook for this person, and show its progress."""
    prepared = prepared_download_request(user=request.user, wanted=_wanted(request))
    return redirect("spreadsheets:prepared_download", pk=prepared.pk)


def _is_requester(user, download: PreparedDownload) -> bool:
    return download.requested_by_id == user.pk


def _prepared(request: HttpRequest, pk: int, *, content: bool = False) -> PreparedDownload:
    """This person's prepared workbook. Anyone else's is 404, admins' too: it holds the
    figures its requester may see, and that it exists is not theirs to know."""
    downloads = PreparedDownload.objects.filter(requested_by=request.user).select_related("plan")
    if not content:
        downloads = downloads.defer("content")
    refusal = "Only the person who asked for this workbook can download it."
    return object_or_403(request, downloads, _is_requester, refusal, pk=pk)


@role_required
def prepared_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A requested workbook as far as it has got: being prepared (refreshing itself), ready
    to download, or why it could not be prepared. Reading it never starts the job again."""
    prepared = _prepared(request, pk)
    context = {
        "download": prepared,
        "back_url": (
            reverse("boards:dashboard", args=[prepared.board_slug])
            if prepared.board_slug
            else reverse("spreadsheets:round_trip_start")
        ),
        **progress_context(request, pending=prepared.is_pending),
    }
    status = 202 if prepared.is_pending else 200
    return render(request, "spreadsheets/prepared_download.html", context, status=status)


@role_required
def prepared_download_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The prepared workbook's bytes, under the name the download always had; before it is
    ready, its page."""
    prepared = _prepared(request, pk, content=True)
    if prepared.state != PreparedDownload.State.READY:
        return redirect("spreadsheets:prepared_download", pk=pk)
    return download(bytes(prepared.content), XLSX_TYPE, prepared.file_name)


@require_POST
@requires(leads_an_action, "Only action leads and administrators can upload figures.")
def round_trip_upload(request: HttpRequest) -> HttpResponse:
    """Read the edited workbook and show what it would change; nothing is saved yet."""
    upload = request.FILES.get("file")
    if upload is None:
        return _page(request, ["Select the workbook (.xlsx) to upload"])
    if upload.size > settings.PLAN_UPLOAD_MAX_BYTES:
        limit = settings.PLAN_UPLOAD_MAX_BYTES // (1024 * 1024)
        return _page(request, [f"{upload.name} is larger than {limit} MB"])
    staged = round_trip_stage(data=upload.read(), name=upload.name, user=request.user)
    return redirect("spreadsheets:round_trip_preview", pk=staged.pk)


def _staged(
    request: HttpRequest,
    pk: int,
    *,
    allowed=_uploader_or_admin,
    refusal: str = "Only the person who uploaded this file can see its changes.",
    preview: bool = True,
) -> StagedUpload:
    """The upload, if `allowed` (by default its uploader or an admin); 404 if there is none.
    Without `preview`, only its state: confirming or retrying needs no more."""
    deferred = ("content",) if preview else ("content", "preview", "problems")
    uploads = StagedUpload.objects.select_related("uploaded_by").defer(*deferred)
    return object_or_403(request, uploads, allowed, refusal, pk=pk, kind=StagedUpload.Kind.FIGURES)


@role_required
def round_trip_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """An uploaded workbook as far as it has got: being checked, what it would change (to
    confirm), what is wrong with it, being saved, saved, or why it failed."""
    staged = _staged(request, pk)
    return render(
        request,
        "spreadsheets/round_trip_preview.html",
        {
            "staged": staged,
            "preview": staged.preview,
            "can_confirm": staged.uploaded_by_id == request.user.pk,
            "is_admin": is_admin(request.user),
            **progress_context(request, pending=staged.is_pending),
        },
    )


@require_POST
@role_required
def round_trip_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    refusal = "Only the person who uploaded this file can confirm it."
    staged = _staged(request, pk, allowed=_is_uploader, refusal=refusal, preview=False)
    if not round_trip_confirm(staged=staged, user=request.user):
        messages.error(request, "These changes were confirmed already, or cannot be saved.")
    return redirect("spreadsheets:round_trip_preview", pk=pk)


@require_POST
@admin_required
def round_trip_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Check a failed upload's file again from the start; its uploader confirms again."""
    staged = _staged(request, pk, preview=False)
    if not staged_upload_retry(kind=FIGURES, upload=staged):
        messages.error(request, "Only an upload that failed can be tried again.")
    return redirect("spreadsheets:round_trip_preview", pk=pk)


# The plan import ---------------------------------------------------------------------------


@admin_required
def plan_import_start(request: HttpRequest) -> HttpResponse:
    """Upload a plan workbook for the plan chosen; the worker checks it and shows what it
    would change before anything is written."""
    problems: list[str] = []
    form = PlanChoiceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            problems = ["Select the plan workbook (.xlsx) to upload"]
        elif upload.size > settings.PLAN_UPLOAD_MAX_BYTES:
            limit = settings.PLAN_UPLOAD_MAX_BYTES // (1024 * 1024)
            problems = [f"{upload.name} is larger than {limit} MB; the plan is far smaller"]
        if form.is_valid() and not problems:
            staged = plan_import_stage(
                plan=form.cleaned_data["plan"],
                data=upload.read(),
                name=upload.name,
                user=request.user,
            )
            return redirect("spreadsheets:plan_import_preview", pk=staged.pk)
    recent = (
        StagedUpload.objects.filter(kind=StagedUpload.Kind.PLAN)
        .select_related("uploaded_by", "applied_by", "plan")
        .defer("content", "preview")[:10]
    )
    failed = bool(problems or form.errors)
    return render(
        request,
        "spreadsheets/plan_import.html",
        {"form": form, "problems": problems, "recent": recent, "max_mb": _max_mb()},
        status=400 if failed else 200,
    )


def _max_mb() -> int:
    return settings.PLAN_UPLOAD_MAX_BYTES // (1024 * 1024)


@admin_required
def plan_import_template(request: HttpRequest) -> HttpResponse:
    """The empty template, with a notes sheet and drop-down lists for the coded columns."""
    return download(plan_template_bytes(), XLSX_TYPE, "delivery-plan-template.xlsx")


# Confirming or retrying needs an upload's state, not its file or preview, which at the row
# limit take seconds to read.
STATE_ONLY = StagedUpload.objects.defer("content", "preview", "problems")


def _plan_upload(pk: int) -> StagedUpload:
    return get_object_or_404(
        StagedUpload.objects.select_related("uploaded_by", "applied_by", "plan").defer("content"),
        pk=pk,
        kind=StagedUpload.Kind.PLAN,
    )


@admin_required
def plan_import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """An uploaded plan as far as it has got: being checked, its columns to match, its
    preview to confirm, what is wrong with it, being saved, imported, or why it failed."""
    staged = _plan_upload(pk)
    form = None
    if staged.state == StagedUpload.State.MATCHING:
        form = ColumnMatchForm(asked=staged.preview["columns"])
    return _preview_response(request, staged, form)


def _preview_response(
    request: HttpRequest, staged: StagedUpload, form: ColumnMatchForm | None, status: int = 200
) -> HttpResponse:
    show_unchanged = request.GET.get("unchanged") == "1"
    counts = staged.preview.get("counts")
    return render(
        request,
        "spreadsheets/plan_import_preview.html",
        {
            "staged": staged,
            "preview": staged.preview,
            "form": form,
            "counts": _count_lines(staged.preview) if counts is not None else [],
            "show_unchanged": show_unchanged,
            "page": _preview_page(request, staged.preview, show_unchanged),
            **progress_context(request, pending=staged.is_pending),
        },
        status=status,
    )


@require_POST
@admin_required
def plan_import_columns(request: HttpRequest, pk: int) -> HttpResponse:
    """Save which column each unknown heading is, for the upload's plan, and check the
    same file again; the plan's next file with those headings needs no matching."""
    staged = _plan_upload(pk)
    if staged.state != StagedUpload.State.MATCHING:
        messages.error(request, "The columns of this file were matched already.")
        return redirect("spreadsheets:plan_import_preview", pk=pk)
    form = ColumnMatchForm(request.POST, asked=staged.preview["columns"])
    if not form.is_valid():
        return _preview_response(request, staged, form, status=400)
    if not plan_import_columns_match(staged=staged, matches=form.matches(), user=request.user):
        messages.error(request, "The columns of this file were matched already.")
    return redirect("spreadsheets:plan_import_preview", pk=pk)


PREVIEW_ACTIONS_PER_PAGE = 100


def _preview_page(request: HttpRequest, preview: dict, show_unchanged: bool) -> Page:
    """One page of the preview's actions, each with its commitment: a plan at the row limit
    changes tens of thousands, far more than one page can show and a browser can hold."""
    shown = [
        {"commitment": commitment, "action": action}
        for commitment in preview.get("commitments", [])
        for action in commitment["actions"]
        if show_unchanged or action["touched"]
    ]
    page = Paginator(shown, PREVIEW_ACTIONS_PER_PAGE).get_page(request.GET.get("page"))
    previous = None
    for entry in page:  # a commitment's heading before its first action on the page
        entry["heading"] = entry["commitment"] is not previous
        previous = entry["commitment"]
    return page


@require_POST
@admin_required
def plan_import_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    staged = get_object_or_404(STATE_ONLY, pk=pk, kind=StagedUpload.Kind.PLAN)
    if not plan_import_confirm(staged=staged, user=request.user):
        messages.error(request, "This import was confirmed already, or cannot be applied.")
    return redirect("spreadsheets:plan_import_preview", pk=pk)


@require_POST
@admin_required
def plan_import_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Check a failed import's file again from the start, to be confirmed again."""
    staged = get_object_or_404(STATE_ONLY, pk=pk, kind=StagedUpload.Kind.PLAN)
    if not staged_upload_retry(kind=PLAN, upload=staged):
        messages.error(request, "Only an import that failed can be tried again.")
    return redirect("spreadsheets:plan_import_preview", pk=pk)


def _count_lines(preview: dict) -> list[str]:
    """One line per kind of record the preview covers (a structured plan's say which)."""
    counts, order = preview["counts"], ["created", "changed", "unchanged", "retired", "deleted"]
    return [
        f"{kind}: " + ", ".join(f"{counts.get(f'{kind} {state}', 0)} {state}" for state in order)
        for kind in preview.get("kinds", ("actions", "KPIs"))
    ]
