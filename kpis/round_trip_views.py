"""The plan and its figures in Excel: download, edit offline, upload, check, confirm."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from actions.models import Action
from bury_eis.exports import XLSX_TYPE, download
from bury_eis.progress import progress_context
from bury_eis.roles import is_admin, role_required
from kpis.models import StagedUpload
from kpis.plan_export import ExportScope, plan_export_bytes
from kpis.round_trip_uploads import FIGURES, round_trip_confirm, round_trip_stage
from kpis.selectors import actions_led_by
from kpis.staged_uploads import staged_upload_retry


def _can_upload(request: HttpRequest) -> bool:
    return is_admin(request.user) or actions_led_by(request.user).exists()


def _page(request: HttpRequest, problems: list[str] | None = None) -> HttpResponse:
    can_upload = _can_upload(request)
    recent = (
        StagedUpload.objects.filter(kind=StagedUpload.Kind.FIGURES, uploaded_by=request.user).only(
            "pk", "file_name", "uploaded_at", "state"
        )[:10]
        if can_upload
        else []
    )
    return render(
        request,
        "kpis/round_trip.html",
        {
            "problems": problems or [],
            "can_upload": can_upload,
            "is_admin": is_admin(request.user),
            "recent": recent,
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
    """The plan with its figures as .xlsx: the whole plan, or with ?mine=1 the actions led."""
    if request.GET.get("mine") == "1":
        scope = ExportScope(actions_led_by(request.user), "The actions you lead", request.user)
        name = "delivery-plan-my-actions.xlsx"
    else:
        scope = ExportScope(Action.objects.all(), "The whole delivery plan", request.user)
        name = "delivery-plan-with-figures.xlsx"
    return download(plan_export_bytes(scope, timezone.localdate()), XLSX_TYPE, name)


@require_POST
@role_required
def round_trip_upload(request: HttpRequest) -> HttpResponse:
    """Read the edited workbook and show what it would change; nothing is saved yet."""
    if not _can_upload(request):
        raise PermissionDenied("Only action leads and administrators can upload figures.")
    upload = request.FILES.get("file")
    if upload is None:
        return _page(request, ["Select the workbook (.xlsx) to upload"])
    if upload.size > settings.PLAN_UPLOAD_MAX_BYTES:
        limit = settings.PLAN_UPLOAD_MAX_BYTES // (1024 * 1024)
        return _page(request, [f"{upload.name} is larger than {limit} MB"])
    staged = round_trip_stage(data=upload.read(), name=upload.name, user=request.user)
    return redirect("kpis:round_trip_preview", pk=staged.pk)


def _staged(request: HttpRequest, pk: int, *, preview: bool = True) -> StagedUpload:
    """The upload, for the person who made it (or an admin); 404 if there is none. Without
    `preview`, only its state: confirming or retrying needs no more."""
    deferred = ("content",) if preview else ("content", "preview", "problems")
    staged = get_object_or_404(
        StagedUpload.objects.select_related("uploaded_by").defer(*deferred),
        pk=pk,
        kind=StagedUpload.Kind.FIGURES,
    )
    if staged.uploaded_by_id != request.user.pk and not is_admin(request.user):
        raise PermissionDenied("Only the person who uploaded this file can see its changes.")
    return staged


@role_required
def round_trip_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """An uploaded workbook as far as it has got: being checked, what it would change (to
    confirm), what is wrong with it, being saved, saved, or why it failed."""
    staged = _staged(request, pk)
    return render(
        request,
        "kpis/round_trip_preview.html",
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
    staged = _staged(request, pk, preview=False)
    if staged.uploaded_by_id != request.user.pk:
        raise PermissionDenied("Only the person who uploaded this file can confirm it.")
    if not round_trip_confirm(staged=staged, user=request.user):
        messages.error(request, "These changes were confirmed already, or cannot be saved.")
    return redirect("kpis:round_trip_preview", pk=pk)


@require_POST
@role_required
def round_trip_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Check a failed upload's file again from the start; its uploader confirms again."""
    if not is_admin(request.user):
        raise PermissionDenied("Only admins can try a failed upload again.")
    staged = _staged(request, pk, preview=False)
    if not staged_upload_retry(kind=FIGURES, upload=staged):
        messages.error(request, "Only an upload that failed can be tried again.")
    return redirect("kpis:round_trip_preview", pk=pk)
