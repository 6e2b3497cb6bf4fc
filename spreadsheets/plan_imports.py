"""An admin's plan import through the staged-upload flow (spreadsheets/staged_uploads.py): what is
particular to a plan file is how it is read, previewed and applied."""

from collections import Counter

from django.contrib.auth.models import AbstractBaseUser
from django_tasks import task

from actions.models import Plan
from spreadsheets.models import StagedUpload
from spreadsheets.plan_preview import plan_preview
from spreadsheets.plan_workbook import PlanFile, plan_file_read
from spreadsheets.services import ImportSummary, plan_import
from spreadsheets.staged_uploads import (
    UploadKind,
    staged_upload_apply,
    staged_upload_check,
    staged_upload_confirm,
    staged_upload_now,
    staged_upload_receive,
)

CHANGED = (
    "The plan changed after this preview was made, so nothing was applied. "
    "Upload the file again to see what it would change now."
)


@task()
def plan_import_check_job(upload_id: int) -> None:
    """Read and check an uploaded plan and work out its preview."""
    staged_upload_check(kind=PLAN, upload_id=upload_id)


@task()
def plan_import_apply_job(upload_id: int) -> None:
    """Apply a confirmed plan import, exactly as previewed."""
    staged_upload_apply(kind=PLAN, upload_id=upload_id)


def _apply(file: PlanFile, upload: StagedUpload, preview: dict) -> tuple[dict, list[str]]:
    summary = plan_import(plan=upload.plan, rows=file.rows)
    return dict(summary.counts), summary.warnings


PLAN = UploadKind(
    kind=StagedUpload.Kind.PLAN,
    read=lambda data, name, upload: plan_file_read(data, name=name, plan=upload.plan),
    preview=lambda file, upload: plan_preview(file.rows, file.warnings, plan=upload.plan),
    apply=_apply,
    check_task=plan_import_check_job,
    apply_task=plan_import_apply_job,
    changed_message=CHANGED,
    layout=lambda file: file.layout,
)


def plan_import_stage(
    *, plan: Plan, data: bytes, name: str, user: AbstractBaseUser | None
) -> StagedUpload:
    """Keep an uploaded workbook of `plan` and queue its check; the worker makes the preview."""
    return staged_upload_receive(kind=PLAN, data=data, name=name, user=user, plan=plan)


def plan_import_confirm(*, staged: StagedUpload, user: AbstractBaseUser) -> bool:
    """Queue the apply of a previewed import; False if it was confirmed already."""
    return staged_upload_confirm(kind=PLAN, upload=staged, user=user)


def plan_import_now(
    *, plan: Plan, data: bytes, name: str, user: AbstractBaseUser | None, plan_file: PlanFile
) -> tuple[StagedUpload, ImportSummary]:
    """Check, preview and apply a file of `plan` in this process, through the same steps as an
    upload (for `manage.py import_plan`). `plan_file` is the file already read."""
    staged = staged_upload_now(
        kind=PLAN, data=data, name=name, user=user, file=plan_file, plan=plan
    )
    new_warnings = [w for w in staged.warnings if w not in plan_file.warnings]
    return staged, ImportSummary(counts=Counter(staged.counts), warnings=new_warnings)
