import os
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

# What Django rebuilds itself (content types, permissions) and sessions, which are
# disposable; natural keys let the rest load into any empty database of either vendor.
# What Django rebuilds itself, sessions, and prepared workbooks: copies of figures already in
# the backup, up to tens of MB each, and deleted by the worker after a day anyway.
EXCLUDE = ["contenttypes", "auth.permission", "sessions", "spreadsheets.prepareddownload"]


def backup_write(*, folder: Path) -> Path:
    """Dump the whole database to a new file in `folder`; only its owner can read either.

    A backup holds every account's password hash, so the folder is made (or made again)
    0700 and the file is created 0600 before anything is written to it, whatever the
    umask. A file that could not be finished is removed.
    """
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    path = folder / f"eis-{timezone.localtime():%Y%m%d-%H%M%S}.json"
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise CommandError(f"{path} already exists; wait a second and run it again.") from None
    os.fchmod(descriptor, 0o600)
    os.close(descriptor)
    try:
        # dumpdata opens the file for writing, which keeps the mode it was created with.
        call_command(
            "dumpdata",
            natural_foreign=True,
            natural_primary=True,
            exclude=EXCLUDE,
            indent=1,
            output=str(path),
        )
    except BaseException:
        path.unlink()
        raise
    return path


class Command(BaseCommand):
    help = (
        "Back up the whole database to backups/eis-YYYYMMDD-HHMMSS.json (make backup), "
        "readable by its owner only; `make restore FILE=…` puts it back."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--folder", default="backups", help="where to write (backups)")

    def handle(self, *args, folder: str, **options) -> None:
        self.stdout.write(str(backup_write(folder=Path(folder))))
