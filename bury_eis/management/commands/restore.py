from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import override_settings


class Command(BaseCommand):
    help = (
        "Load a backup (manage.py backup) into an empty database, as it was: its audit trail "
        "comes with it, so loading it adds no versions of its own."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="The backup, e.g. backups/eis-20261201-093000.json")

    def handle(self, *args, file: str, **options) -> None:
        # Loading a row (and setting its many-to-many fields) would otherwise be recorded
        # as a new version by the audit trail, beside the versions the backup holds.
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            call_command("loaddata", file, stdout=self.stdout)
