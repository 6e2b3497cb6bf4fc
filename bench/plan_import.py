"""Benchmark: importing the plan, against a bare openpyxl read of the same file.

Prints, for the real plan workbook, the time of a bare openpyxl read, of a fresh import
(read, check, preview, apply; the first in the process, then the best of three into an
empty plan, each rolled back) and of an unchanged re-import, with ratios; then, for a
workbook 100 times the plan (54,100 KPI rows), the fresh import's time and peak memory.
Runs in throwaway databases of DATABASE_URL's vendor (temporary SQLite files, or scratch
PostgreSQL databases on its server), so it never touches yours.

    .venv/bin/python bench/plan_import.py
"""

import os
import resource
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "fixtures" / "delivery_plan.xlsx"
sys.path.insert(0, str(ROOT))

from bench.scratch import scratch_database  # noqa: E402

VENDOR_URL = os.environ.get("DATABASE_URL", "")
PREFIX = os.environ.get("BENCH_DB_PREFIX", "eis_bench")


def setup(database_url: str) -> None:
    """Point Django at a new, empty database and migrate it."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("EIS_DEV_MODE", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bury_eis.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def import_once(path: Path) -> float:
    from actions.models import Plan
    from spreadsheets.plan_preview import plan_preview
    from spreadsheets.plan_workbook import plan_file_read
    from spreadsheets.services import plan_import

    start = time.perf_counter()
    plan_file = plan_file_read(path.read_bytes(), name=path.name)
    plan = Plan.objects.get(slug="eis")
    plan_preview(plan_file.rows, plan_file.warnings, plan=plan)
    plan_import(plan=plan, rows=plan_file.rows)
    return time.perf_counter() - start


def import_once_undone(path: Path) -> float:
    """A fresh import into the empty plan, rolled back so the next one is fresh too."""
    from django.db import transaction

    with transaction.atomic():
        seconds = import_once(path)
        transaction.set_rollback(True)
    return seconds


def bare_read(path: Path) -> float:
    from openpyxl import load_workbook

    start = time.perf_counter()
    book = load_workbook(path, read_only=True)
    for sheet in book.worksheets:
        for _ in sheet.iter_rows(values_only=True):
            pass
    book.close()
    return time.perf_counter() - start


def suffix(copy: int) -> str:
    """a, b, … then aa, ab, …: distinct letters for each copy's action codes."""
    letters = string.ascii_lowercase
    return letters[copy] if copy < 26 else letters[copy // 26 - 1] + letters[copy % 26]


def write_scaled(path: Path, times: int) -> int:
    """The plan `times` over, each copy's codes made distinct (1.1(a) -> 1.1(ab) …)."""
    from openpyxl import Workbook, load_workbook

    rows = list(load_workbook(PLAN, read_only=True)["Delivery plan"].iter_rows(values_only=True))
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Delivery plan")
    sheet.append(rows[0])
    count = 0
    for copy in range(times):
        for row in rows[1:]:
            row = list(row)
            row[5] = row[5][:-1] + (suffix(copy) if copy else "") + ")"
            sheet.append(row)
            count += 1
    book.save(path)
    return count


def child(path: str) -> None:
    with scratch_database(VENDOR_URL, f"{PREFIX}_import_100x") as url:
        setup(url)
        print(f"{import_once(Path(path)):.2f}")


def main() -> None:
    with (
        tempfile.TemporaryDirectory() as tmp,
        scratch_database(VENDOR_URL, PREFIX + "_import") as url,
    ):
        setup(url)
        from django.db import connection

        bare = min(bare_read(PLAN) for _ in range(3))
        first = import_once_undone(PLAN)  # a process's first import also loads the code
        fresh = min(import_once_undone(PLAN) for _ in range(3))
        import_once(PLAN)
        again = min(import_once(PLAN) for _ in range(3))
        print(f"real plan ({PLAN.name}, 541 KPI rows), {connection.vendor}")
        print(f"  bare openpyxl read      {bare:7.3f} s")
        print(f"  first import, cold      {first:7.3f} s   {first / bare:5.1f}x the bare read")
        print(f"  fresh import            {fresh:7.3f} s   {fresh / bare:5.1f}x the bare read")
        print(f"  unchanged re-import     {again:7.3f} s   {again / bare:5.1f}x the bare read")
        big = Path(tmp) / "plan-x100.xlsx"
        rows = write_scaled(big, 100)
        big_bare = bare_read(big)
        run = subprocess.run(  # noqa: S603 - this script, with our own interpreter
            [sys.executable, __file__, "--child", str(big)],
            capture_output=True,
            text=True,
            check=True,
        )
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        seconds = float(run.stdout.strip().splitlines()[-1])
        print(f"100x plan ({rows:,} KPI rows)")
        print(f"  bare openpyxl read      {big_bare:7.3f} s")
        print(
            f"  fresh import            {seconds:7.3f} s   {seconds / big_bare:5.1f}x the bare read"
        )
        print(f"  peak memory             {peak_mb:7.0f} MB (whole process, including Django)")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        main()
