from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from actions.models import Plan
from spreadsheets.models import StagedUpload
from spreadsheets.plan_imports import (
    plan_file_apply,
    plan_file_fits,
    plan_file_preview,
    plan_import_now,
)
from spreadsheets.plan_preview import preview_lines
from spreadsheets.plan_workbook import plan_file_read
from spreadsheets.upload_checks import PlanFileError


class Command(BaseCommand):
    help = (
        "Import one plan from an .xlsx (the import template, the plan as published, or the "
        "structured workbook of priority areas, outcomes, actions and measures) into the plan "
        "--plan names; no other plan is touched. Prints what will be created, changed, retired "
        "or deleted, then applies it in one transaction (unless --dry-run) and records the "
        "import."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The .xlsx workbook to import.")
        parser.add_argument(
            "--plan",
            required=True,
            help="The slug of the plan to import into, e.g. eis or send-pip.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change and change nothing."
        )

    def handle(self, *args, path: Path, plan: str, dry_run: bool, **options) -> None:
        if not path.is_file():
            raise CommandError(f"{path} does not exist or is not a file.")
        slugs = list(Plan.objects.values_list("slug", flat=True))
        if plan not in slugs:
            raise CommandError(f'There is no plan "{plan}". Choose one of: {", ".join(slugs)}.')
        plan_obj = Plan.objects.get(slug=plan)
        data = path.read_bytes()
        try:
            plan_file = plan_file_read(data, name=path.name, plan=plan_obj)
            plan_file_fits(plan_file, plan=plan_obj)
        except PlanFileError as exc:
            raise CommandError(
                f"{path.name} was not imported; nothing was changed.\n" + "\n".join(exc.problems)
            ) from None
        if dry_run:
            try:
                preview = plan_file_preview(plan_file, plan=plan_obj)
            except PlanFileError as exc:
                raise CommandError(
                    f"{path.name} was not imported; nothing was changed.\n"
                    + "\n".join(exc.problems)
                ) from None
            self._print(preview_lines(preview))
            summary = plan_file_apply(plan_file, plan=plan_obj, dry_run=True)
            self.stdout.write(
                f"Dry run: nothing was changed. Would have made: {path.name} "
                f"({plan_file.extent()}, {plan_file.layout} layout)"
            )
        else:
            staged, summary = plan_import_now(
                plan=plan_obj, data=data, name=path.name, user=None, plan_file=plan_file
            )
            if staged.state != StagedUpload.State.APPLIED:
                reason = staged.error or "\n".join(staged.problems)
                raise CommandError(f"{path.name} was not imported; nothing was changed.\n{reason}")
            self._print(preview_lines(staged.preview))
            self.stdout.write(
                f"Imported: {path.name} ({plan_file.extent()}, {plan_file.layout} layout)"
            )
        for line in summary.lines():
            self.stdout.write(f"  {line}")
        if not summary.changed_anything:
            self.stdout.write("  Nothing to change: the database already matches this file.")

    def _print(self, lines: list[str]) -> None:
        for line in lines:
            self.stdout.write(line)
