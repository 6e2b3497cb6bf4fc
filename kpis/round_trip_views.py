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
from bury_eis.roles import is_admin, role_required
from kpis.models import RoundTripUpload
from kpis.plan_export import ExportScope, plan_export_bytes
from kpis.plan_workbook import PlanFileError
from kpis.round_trip import RoundTripRefused
from kpis.round_trip_uploads import ChangedSincePreview, round_trip_confirm, round_trip_stage
from kpis.selectors import actions_led_by
from kpis.updates import UpdateConflict, UpdateNotAllowed


def _can_upload(request: HttpRequest) -> bool:
    return is_admin(request.user) or actions_led_by(request.user).exists()


def _page(request: HttpRequest, problems: list[str] | None = None) -> HttpResponse:
    can_upload = _can_upload(request)
    recent = (
        RoundTripUpload.objects.filter(uploaded_by=request.user).only(
            "pk", "file_name", "uploaded_at", "applied_at"
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
    try:
        staged = round_trip_stage(
            data=upload.read(), name=upload.name, user=request.user, today=timezone.localdate()
        )
    except PlanFileError as error:
        return _page(request, error.problems)
    return redirect("kpis:round_trip_preview", pk=staged.pk)


def _staged(request: HttpRequest, pk: int) -> RoundTripUpload:
    """The upload, for the person who made it (or an admin); 404 if there is none."""
    staged = get_object_or_404(RoundTripUpload.objects.select_related("uploaded_by"), pk=pk)
    if staged.uploaded_by_id != request.user.pk and not is_admin(request.user):
        raise PermissionDenied("Only the person who uploaded this file can see its changes.")
    return staged


@role_required
def round_trip_preview(request: HttpRequest, pk: int) -> HttpResponse:
    staged = _staged(request, pk)
    return render(
        request,
        "kpis/round_trip_preview.html",
        {
            "staged": staged,
            "preview": staged.preview,
            "can_confirm": staged.uploaded_by_id == request.user.pk,
        },
    )


@require_POST
@role_required
def round_trip_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    staged = _staged(request, pk)
    if staged.uploaded_by_id != request.user.pk:
        raise PermissionDenied("Only the person who uploaded this file can confirm it.")
    if staged.applied_at is not None:
        messages.error(request, "These changes were saved already.")
        return redirect("kpis:round_trip_preview", pk=pk)
    try:
        count = round_trip_confirm(staged=staged, user=request.user, today=timezone.localdate())
    except (ChangedSincePreview, UpdateConflict):
        messages.error(
            request,
            "Figures or ratings in this file changed after the check was made, so nothing was "
            "saved. Upload the file again to see what it would change now.",
        )
        return redirect("kpis:round_trip_start")
    except (RoundTripRefused, UpdateNotAllowed) as refusal:
        messages.error(request, f"Nothing was saved: {refusal}")
        return redirect("kpis:round_trip_preview", pk=pk)
    messages.success(
        request,
        f"Saved {count} update{'s' if count != 1 else ''} as drafts. Submit each for approval "
        "from My actions when it is ready.",
    )
    return redirect("kpis:round_trip_preview", pk=pk)
