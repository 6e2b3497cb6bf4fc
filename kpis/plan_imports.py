"""An admin's plan import as a reviewed change: upload and preview, then confirm and apply."""

import json

from django.contrib.auth.models import AbstractBaseUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from kpis.models import PlanImport
from kpis.plan_preview import plan_preview
from kpis.plan_workbook import PlanFile, plan_file_read
from kpis.services import ImportSummary, plan_import


class PlanChangedSincePreview(Exception):
    """The plan in the database changed after the preview was made; preview again."""


def _as_stored(preview: dict) -> dict:
    """The preview as its JSON field gives it back (tuples become lists), to compare alike."""
    return json.loads(json.dumps(preview, cls=DjangoJSONEncoder))


def plan_import_stage(
    *, data: bytes, name: str, user: AbstractBaseUser | None, plan_file: PlanFile | None = None
) -> PlanImport:
    """Check and read the file, work out its preview and keep both until it is confirmed.

    `plan_file` is the file already read, if the caller has it. Raises
    PlanFileError (nothing kept) when the file cannot be imported.
    """
    plan_file = plan_file or plan_file_read(data, name=name)
    return PlanImport.objects.create(
        file_name=name[:255],
        checksum=plan_file.checksum,
        content=data,
        layout=plan_file.layout,
        uploaded_by=user,
        preview=plan_preview(plan_file.rows, plan_file.warnings),
        warnings=plan_file.warnings,
    )


def plan_import_confirm(
    *, staged: PlanImport, user: AbstractBaseUser | None, plan_file: PlanFile | None = None
) -> ImportSummary:
    """Apply a previewed import in one transaction, exactly as previewed, and record it.

    The stored file is read again unless `plan_file` is that same file already read.
    If the plan changed since the preview (another import, an admin edit), nothing is
    applied and PlanChangedSincePreview is raised.
    """
    with transaction.atomic():
        staged = PlanImport.objects.select_for_update().get(pk=staged.pk, applied_at__isnull=True)
        if plan_file is None or plan_file.checksum != staged.checksum:
            plan_file = plan_file_read(bytes(staged.content), name=staged.file_name)
        if _as_stored(plan_preview(plan_file.rows, plan_file.warnings)) != staged.preview:
            raise PlanChangedSincePreview
        summary = plan_import(rows=plan_file.rows)
        staged.counts = dict(summary.counts)
        staged.applied_by, staged.applied_at, staged.content = user, timezone.now(), None
        staged.save(update_fields=["counts", "applied_by", "applied_at", "content"])
    return summary
