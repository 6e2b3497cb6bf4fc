"""Figures from the Excel round trip through the staged-upload flow (staged_uploads.py):
what is particular to them is how the workbook is read, previewed for its uploader and
saved as drafts through the update page's rules."""

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django_tasks import task

from kpis.updates import UpdateConflict, UpdateInvalid, UpdateNotAllowed
from spreadsheets.models import StagedUpload
from spreadsheets.round_trip import RoundTripRefused, round_trip_apply, round_trip_preview
from spreadsheets.round_trip_read import RoundTripFile, round_trip_file_read
from spreadsheets.staged_uploads import (
    ChangedSincePreview,
    NotApplied,
    UploadKind,
    staged_upload_apply,
    staged_upload_check,
    staged_upload_confirm,
    staged_upload_receive,
)

CHANGED = (
    "Figures or ratings in this file changed after the check was made, so nothing was "
    "saved. Upload the file again to see what it would change now."
)


@task()
def round_trip_check_job(upload_id: int) -> None:
    """Read an uploaded workbook and work out what it would change, for its uploader."""
    staged_upload_check(kind=FIGURES, upload_id=upload_id)


@task()
def round_trip_apply_job(upload_id: int) -> None:
    """Save a confirmed upload's changes as drafts, exactly as previewed."""
    staged_upload_apply(kind=FIGURES, upload_id=upload_id)


def _preview(file: RoundTripFile, upload: StagedUpload) -> dict:
    # Worked out for the uploader, as of the day it runs: a term that locked since the
    # check changes the preview, and then nothing is applied.
    return round_trip_preview(file, user=upload.uploaded_by, today=timezone.localdate())


def _apply(file: RoundTripFile, upload: StagedUpload, preview: dict) -> tuple[dict, list[str]]:
    try:
        changed = round_trip_apply(preview=preview, user=upload.uploaded_by)
    except UpdateConflict:
        raise ChangedSincePreview from None
    except (RoundTripRefused, UpdateNotAllowed, UpdateInvalid) as refusal:
        raise NotApplied(f"Nothing was saved: {refusal}") from None
    return {"updates": changed}, []


FIGURES = UploadKind(
    kind=StagedUpload.Kind.FIGURES,
    read=lambda data, name, upload: round_trip_file_read(data, name=name),
    preview=_preview,
    apply=_apply,
    check_task=round_trip_check_job,
    apply_task=round_trip_apply_job,
    changed_message=CHANGED,
)


def round_trip_stage(*, data: bytes, name: str, user: AbstractBaseUser) -> StagedUpload:
    """Keep an edited workbook and queue its check; the worker makes the preview."""
    return staged_upload_receive(kind=FIGURES, data=data, name=name, user=user)


def round_trip_confirm(*, staged: StagedUpload, user: AbstractBaseUser) -> bool:
    """Queue saving a previewed upload's changes; False if it was confirmed already.
    Only its uploader may confirm it: the caller checks."""
    return staged_upload_confirm(kind=FIGURES, upload=staged, user=user)
