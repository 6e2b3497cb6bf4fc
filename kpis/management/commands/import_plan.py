from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kpis.plan_workbook import PlanFileError, plan_workbook_read
from kpis.services import plan_import


class Command(BaseCommand):
    help = (
        "Import the delivery plan from the one-row-per-KPI template workbook. "
        "Creates or updates commitments, sectors, actions and KPIs in one transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The .xlsx workbook to import.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change and change nothing."
        )

    def handle(self, *args, path: Path, dry_run: bool, **options) -> None:
        if not path.is_file():
            raise CommandError(f"{path} does not exist or is not a file.")
        try:
            rows = plan_workbook_read(path)
        except PlanFileError as exc:
            raise CommandError(
                f"{path.name} was not imported; nothing was changed.\n" + "\n".join(exc.problems)
            ) from None
        summary = plan_import(rows=rows, dry_run=dry_run)
        heading = "Dry run: nothing was changed. Would have made:" if dry_run else "Imported:"
        self.stdout.write(f"{heading} {path.name} ({len(rows)} KPI rows)")
        for line in summary.lines():
            self.stdout.write(f"  {line}")
        if not summary.changed_anything:
            self.stdout.write("  Nothing to change: the database already matches this file.")
