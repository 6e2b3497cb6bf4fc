from django.core.management.base import BaseCommand

from bury_eis.versioning import data_version, data_version_leap


class Command(BaseCommand):
    help = (
        "Make every cached page stale at once, in every running process. Run it after "
        "a restore or after changing the database by hand; the web app and the import "
        "and demo-data commands do it themselves."
    )

    def handle(self, *args, **options) -> None:
        data_version_leap()
        self.stdout.write(f"Data version is now {data_version()}: cached pages will be rebuilt.")
