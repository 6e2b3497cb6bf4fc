"""An admin's plan import through the staged-upload flow (spreadsheets/staged_uploads.py): what is
particular to a plan file is how it is read, previewed and applied."""

from collections import Counter

from django.contrib.auth.models import AbstractBaseUser
from django_tasks import task

from actions.models import Plan
from spreadsheets.models import StagedUpload
from spreadsheets.plan_preview import plan_preview
from spreadsheets.plan_tree_import import TREE_KINDS, plan_tree_apply, plan_tree_preview
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
from spreadsheets.upload_checks import PlanFileError

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


def plan_file_fits(file: PlanFile, *, plan: Plan) -> None:
    """Refuse a file laid out for the other shape of plan: a structured workbook (areas,
    outcomes under them, actions) for a plan whose second level runs across its first, or
    a one-row-per-KPI file for a plan whose outcomes sit under its areas."""
    if file.is_structured and not plan.groups_nested:
        raise PlanFileError(
            [
                f"{file.name} is a structured plan workbook (priority areas, outcomes and "
                f"actions), but {plan.name} is laid out as {plan.area_name_plural.lower()} "
                f"across {plan.group_name_plural.lower()}. Upload it for the plan it was made "
                f"for, or use the one-row-per-{plan.measure_name} template for {plan.name}."
            ]
        )
    if not file.is_structured and plan.groups_nested:
        raise PlanFileError(
            [
                f"{file.name} has one row per KPI, but {plan.name} has "
                f"{plan.group_name_plural.lower()} under its {plan.area_name_plural.lower()}: "
                "it is imported from a structured plan workbook (sheets Priority areas, "
                "Outcomes, Actions, Measures and Other references). Upload it for the plan it "
                "was made for."
            ]
        )


def plan_file_preview(file: PlanFile, *, plan: Plan) -> dict:
    """What importing `file` into `plan` would change (PlanFileError if it does not fit)."""
    plan_file_fits(file, plan=plan)
    if file.is_structured:
        return plan_tree_preview(file.tree, file.warnings, plan=plan)
    return plan_preview(file.rows, file.warnings, plan=plan)


def plan_file_apply(file: PlanFile, *, plan: Plan, dry_run: bool = False) -> ImportSummary:
    """Import `file` into `plan` (or, on a dry run, count what it would do)."""
    plan_file_fits(file, plan=plan)
    if file.is_structured:
        return plan_tree_apply(file.tree, plan=plan, dry_run=dry_run)
    return plan_import(plan=plan, rows=file.rows, dry_run=dry_run)


def _apply(file: PlanFile, upload: StagedUpload, preview: dict) -> tuple[dict, list[str]]:
    summary = plan_file_apply(file, plan=upload.plan)
    return dict(summary.counts), summary.warnings


PLAN = UploadKind(
    kind=StagedUpload.Kind.PLAN,
    read=lambda data, name, upload: plan_file_read(data, name=name, plan=upload.plan),
    preview=lambda file, upload: plan_file_preview(file, plan=upload.plan),
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
    kinds = TREE_KINDS if plan_file.is_structured else ImportSummary.kinds
    summary = ImportSummary(counts=Counter(staged.counts), warnings=new_warnings, kinds=kinds)
    return staged, summary
