"""What a plan's files mean by headings the plan import does not know, as an admin matched
them: saved per plan, so the next file with those headings is read without asking."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from spreadsheets.models import HeaderMapping, StagedUpload
from spreadsheets.plan_cells import header_key
from spreadsheets.plan_imports import PLAN
from spreadsheets.staged_uploads import staged_upload_recheck


def plan_import_columns_match(
    *, staged: StagedUpload, matches: dict[str, str], user: AbstractBaseUser
) -> bool:
    """Save what each heading of `staged` is for its plan (a blank column: not needed) and
    queue the file's check again. False, saving nothing, if the upload was not waiting for
    its columns to be matched (matched already in another tab, say)."""
    with transaction.atomic():
        for heading, column in matches.items():  # saved first: the check may run at once
            HeaderMapping.objects.update_or_create(
                plan=staged.plan,
                header_key=header_key(heading),
                defaults={"header": heading, "column": column, "saved_by": user},
            )
        if not staged_upload_recheck(kind=PLAN, upload=staged):
            transaction.set_rollback(True)
            return False
    return True
