"""One flow for an uploaded workbook as a reviewed change, run by the worker.

A request only keeps the file and queues its check; the worker reads it and works out
what it would change (or lists what is wrong with it); the person reads the preview and
confirms; the worker then applies it, all or nothing. A kind of upload (the plan import,
figures from the Excel round trip) plugs in how its file is read, what its preview holds
and how it is applied (`UploadKind`); everything else is here, once: the states, queueing,
recomputing the preview on apply and refusing if anything changed since, and recording
why a job failed.
"""

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django_tasks.base import Task

from bury_eis.audit import acting_as
from spreadsheets.models import StagedUpload
from spreadsheets.plan_cells import ColumnsToMatch
from spreadsheets.upload_checks import PlanFileError, sha256_hex

State = StagedUpload.State
logger = logging.getLogger(__name__)


class ChangedSincePreview(Exception):
    """What the file would change is no longer what was previewed; upload it again."""


class NotApplied(Exception):
    """The changes cannot be applied as they stand; `str()` says why, for the person."""


@dataclass(frozen=True)
class UploadKind:
    """What one kind of upload plugs into the flow.

    `read(data, name, upload)` checks and reads the file (raising PlanFileError, whose
    problems are shown, or ColumnsToMatch, when someone must say which column a heading
    is); `preview(file, upload)` is what it would change, JSON-ready, with any "problems"
    that stop it being applied; `apply(file, upload, preview)` applies it inside the flow's
    transaction and returns its counts and any warnings, raising ChangedSincePreview or
    NotApplied when it must not. The two tasks run the check and the apply in the worker.
    """

    kind: str
    read: Callable[[bytes, str, StagedUpload], Any]
    preview: Callable[[Any, StagedUpload], dict]
    apply: Callable[[Any, StagedUpload, dict], tuple[dict, list[str]]]
    check_task: Task
    apply_task: Task
    changed_message: str
    layout: Callable[[Any], str] = lambda file: ""


def as_stored(preview: dict) -> dict:
    """The preview as its JSON field gives it back (tuples become lists), to compare alike."""
    return json.loads(json.dumps(preview, cls=DjangoJSONEncoder))


def staged_upload_create(
    *, kind: UploadKind, data: bytes, name: str, user: AbstractBaseUser | None, plan=None
) -> StagedUpload:
    """Keep the uploaded file, unread, waiting to be checked."""
    return StagedUpload.objects.create(
        kind=kind.kind,
        plan=plan,
        file_name=name[:255],
        checksum=sha256_hex(data),
        content=data,
        uploaded_by=user,
    )


def staged_upload_receive(
    *, kind: UploadKind, data: bytes, name: str, user: AbstractBaseUser | None, plan=None
) -> StagedUpload:
    """Keep the file and queue its check: all a request does with an upload."""
    with transaction.atomic():
        upload = staged_upload_create(kind=kind, data=data, name=name, user=user, plan=plan)
        kind.check_task.enqueue(upload.pk)
    return upload


def _move(pk: int, from_state: str, to_state: str, **fields: Any) -> bool:
    """Move the upload on if (and only if) it is in `from_state`: one UPDATE, so two
    requests or jobs racing for the same step cannot both take it."""
    return bool(
        StagedUpload.objects.filter(pk=pk, state=from_state).update(state=to_state, **fields)
    )


def staged_upload_check(*, kind: UploadKind, upload_id: int, file: Any = None) -> StagedUpload:
    """The worker's check: read the file and work out its preview (`ready`), or keep the
    list of what is wrong with it (`refused`). `file` is the file already read, if the
    caller has it. An upload that is not waiting to be checked is left as it is."""
    if not _move(upload_id, State.RECEIVED, State.CHECKING, error=""):
        return StagedUpload.objects.get(pk=upload_id)
    upload = StagedUpload.objects.get(pk=upload_id)
    try:
        file = file or kind.read(bytes(upload.content), upload.file_name, upload)
        preview = as_stored(kind.preview(file, upload))
    except ColumnsToMatch as error:
        return _ask_columns(upload, error)
    except PlanFileError as error:
        return _refuse(upload, error.problems, preview={})
    except Exception as error:
        _fail(upload.pk, f"The file could not be checked because of a fault ({_name(error)}).")
        raise
    upload.layout, upload.warnings = kind.layout(file), list(file.warnings)
    if preview.get("problems"):
        return _refuse(upload, preview["problems"], preview=preview)
    upload.state, upload.preview = State.READY, preview
    upload.save(update_fields=["state", "preview", "layout", "warnings"])
    return upload


def _refuse(upload: StagedUpload, problems: list[str], *, preview: dict) -> StagedUpload:
    """Nothing in a refused file can be applied, so it is not kept; its problems are."""
    upload.state, upload.problems, upload.preview, upload.content = (
        State.REFUSED,
        problems,
        preview,
        None,
    )
    upload.save(update_fields=["state", "problems", "preview", "layout", "warnings", "content"])
    return upload


def _ask_columns(upload: StagedUpload, error: ColumnsToMatch) -> StagedUpload:
    """Keep the file until someone says which column each unknown heading is."""
    upload.state, upload.problems = State.MATCHING, error.problems
    upload.preview = {"columns": error.as_json()}
    upload.save(update_fields=["state", "problems", "preview"])
    return upload


def staged_upload_recheck(*, kind: UploadKind, upload: StagedUpload) -> bool:
    """Check the file again from the start once its columns are matched; False if it is
    not waiting for that."""
    with transaction.atomic():
        moved = StagedUpload.objects.filter(
            pk=upload.pk, state=State.MATCHING, content__isnull=False
        ).update(state=State.RECEIVED, preview={}, problems=[])
        if not moved:
            return False
        kind.check_task.enqueue(upload.pk)
    return True


def staged_upload_confirm(
    *, kind: UploadKind, upload: StagedUpload, user: AbstractBaseUser
) -> bool:
    """Queue the apply of a previewed upload; False if it is not ready (confirmed already,
    or refused). Who may confirm is the caller's rule."""
    with transaction.atomic():
        if not _move(upload.pk, State.READY, State.APPLYING, applied_by=user, error=""):
            return False
        kind.apply_task.enqueue(upload.pk)
    return True


def staged_upload_apply(*, kind: UploadKind, upload_id: int, file: Any = None) -> StagedUpload:
    """The worker's apply: read the kept file again and, if what it would change is exactly
    what was previewed and confirmed, apply it in one transaction and record it.

    If anything changed since the preview, or the kind refuses, or anything fails, nothing
    is applied and the upload is `failed` with the reason. `file` is the file already
    read, if the caller has it and it is the same file.
    """
    try:
        with transaction.atomic():
            upload = (
                StagedUpload.objects.select_for_update()
                .filter(pk=upload_id, state=State.APPLYING)
                .first()
            )
            if upload is None:  # applied already, or never confirmed
                return StagedUpload.objects.get(pk=upload_id)
            if file is None or file.checksum != upload.checksum:
                file = kind.read(bytes(upload.content), upload.file_name, upload)
            if as_stored(kind.preview(file, upload)) != upload.preview:
                raise ChangedSincePreview
            # The audit trail names whoever confirmed it (nobody, from the command line).
            with acting_as(upload.applied_by):
                counts, warnings = kind.apply(file, upload, upload.preview)
            upload.state, upload.counts, upload.applied_at = State.APPLIED, counts, timezone.now()
            upload.warnings = upload.warnings + [w for w in warnings if w not in upload.warnings]
            upload.content = None  # the file is not kept once applied
            upload.save(update_fields=["state", "counts", "applied_at", "warnings", "content"])
    except ChangedSincePreview:
        _fail(upload_id, kind.changed_message)
    except NotApplied as refusal:
        _fail(upload_id, str(refusal))
    except Exception as error:
        _fail(upload_id, f"The changes could not be saved because of a fault ({_name(error)}).")
        raise
    return StagedUpload.objects.get(pk=upload_id)


def staged_upload_now(
    *,
    kind: UploadKind,
    data: bytes,
    name: str,
    user: AbstractBaseUser | None,
    file: Any = None,
    plan=None,
) -> StagedUpload:
    """Check, confirm and apply in this process, through the same steps as an upload and
    its jobs: for commands run at a shell, where no request is waiting. `file` is the file
    already read, if the caller has it."""
    upload = staged_upload_create(kind=kind, data=data, name=name, user=user, plan=plan)
    upload = staged_upload_check(kind=kind, upload_id=upload.pk, file=file)
    if _move(upload.pk, State.READY, State.APPLYING, applied_by=user):
        upload = staged_upload_apply(kind=kind, upload_id=upload.pk, file=file)
    return upload


def staged_upload_retry(*, kind: UploadKind, upload: StagedUpload) -> bool:
    """Check a failed upload's file again from the start (its preview is worked out anew,
    to be confirmed again); False if it has not failed or its file is gone."""
    with transaction.atomic():
        moved = StagedUpload.objects.filter(
            pk=upload.pk, state=State.FAILED, content__isnull=False
        ).update(state=State.RECEIVED, preview={}, applied_by=None)
        if not moved:
            return False
        kind.check_task.enqueue(upload.pk)
    return True


def _fail(pk: int, message: str) -> None:
    """Record why a job failed, outside the transaction it rolled back."""
    logger.warning("Staged upload %s failed: %s", pk, message)
    StagedUpload.objects.filter(pk=pk).update(state=State.FAILED, error=message)


def _name(error: Exception) -> str:
    return type(error).__name__
