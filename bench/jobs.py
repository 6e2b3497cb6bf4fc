"""Benchmark: every request that starts a long job answers within the 10 s goal; the worker's time.

At the documented limits: uploading a plan workbook of PLAN_IMPORT_MAX_ROWS rows and
confirming it; asking for the whole plan with its figures as a workbook and downloading
it once prepared; uploading an edited plan-and-figures workbook (the Excel round trip) and
confirming it; generating a board pack for the whole plan and asking for its restricted
and public PDFs. Each request is timed (Django test client, in process, as bench/pages.py
does), then the worker (`manage.py db_worker --batch`, the real one) runs the job it
queued, timed too. Prints each, and the slowest request against the goal. Runs on
whatever database DATABASE_URL names, which must hold the plan and seed_demo data
(bench/run.py makes a scratch one); it changes that database.

    EIS_DEV_MODE=true .venv/bin/python bench/jobs.py [--import-rows 100000] [--no-pdf]
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bury_eis.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from actions.models import Action  # noqa: E402
from actions.selectors import plan_chosen, reporting_terms, term_and_previous  # noqa: E402
from boards.models import BoardPack, Meeting  # noqa: E402
from spreadsheets.models import PreparedDownload, StagedUpload  # noqa: E402
from spreadsheets.plan_export import VALUES_SHEET  # noqa: E402

GOAL_SECONDS = 10
PLAN = Path(__file__).resolve().parents[1] / "fixtures" / "delivery_plan.xlsx"


def request(client: Client, method: str, url: str, data: dict | None = None) -> tuple:
    start = time.perf_counter()
    response = getattr(client, method)(url, data or {})
    return time.perf_counter() - start, response


def worker() -> float:
    """Seconds the real worker takes to run everything queued."""
    start = time.perf_counter()
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
    return time.perf_counter() - start


def plan_workbook(rows: int) -> bytes:
    """The plan's rows repeated up to `rows`, each copy's action codes made distinct."""
    from openpyxl import Workbook, load_workbook

    from bench.plan_import import suffix

    source = list(load_workbook(PLAN, read_only=True)["Delivery plan"].iter_rows(values_only=True))
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Delivery plan")
    sheet.append(source[0])
    written, copy = 0, 0
    while written < rows:
        for row in source[1:]:
            if written == rows:
                break
            row = list(row)
            row[5] = row[5][:-1] + (suffix(copy) if copy else "") + ")"
            sheet.append(row)
            written += 1
        copy += 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class Timings:
    def __init__(self) -> None:
        self.requests: list[tuple[str, float]] = []

    def request(self, name: str, seconds: float, status: int) -> None:
        self.requests.append((name, seconds))
        print(f"  request  {name:<44}{seconds:>8.2f} s  (HTTP {status})")

    @staticmethod
    def job(name: str, seconds: float, outcome: str) -> None:
        print(f"  worker   {name:<44}{seconds:>8.2f} s  ({outcome})")

    def summary(self) -> None:
        name, slowest = max(self.requests, key=lambda item: item[1])
        verdict = "within" if slowest <= GOAL_SECONDS else "OVER"
        print(f"slowest request: {name}, {slowest:.2f} s, {verdict} the {GOAL_SECONDS} s goal")


def plan_import(client: Client, rows: int, timings: Timings) -> None:
    data = plan_workbook(rows)
    print(f"plan import: {rows:,} rows, {len(data) / 1e6:.1f} MB", end="")
    print(f" (limit {settings.PLAN_UPLOAD_MAX_BYTES / 1e6:.1f} MB)")
    if len(data) > settings.PLAN_UPLOAD_MAX_BYTES:
        # openpyxl writes every cell's text in full where Excel shares repeated strings,
        # so the generated file is larger than the same rows saved by Excel.
        print("  note: over PLAN_UPLOAD_MAX_BYTES as generated; the limit is raised for this run")
        settings.PLAN_UPLOAD_MAX_BYTES = len(data) + 1
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = settings.FILE_UPLOAD_MAX_MEMORY_SIZE = len(data) * 2
    upload = SimpleUploadedFile("plan-at-the-limit.xlsx", data)
    before = StagedUpload.objects.order_by("pk").last()
    seconds, response = request(client, "post", "/plan/import/", {"file": upload, "plan": "eis"})
    timings.request("upload the plan workbook", seconds, response.status_code)
    staged = StagedUpload.objects.latest("pk")
    if response.status_code != 302 or staged == before:
        # Timing what was not uploaded would print figures for nothing.
        raise SystemExit(f"The plan upload was refused (HTTP {response.status_code})")
    timings.job("check and preview it", worker(), _state(staged))
    seconds, response = request(client, "get", f"/plan/import/{staged.pk}/")
    timings.request("read the preview (its first page)", seconds, response.status_code)
    seconds, response = request(client, "post", f"/plan/import/{staged.pk}/confirm/")
    timings.request("confirm the import", seconds, response.status_code)
    timings.job("apply it", worker(), _state(staged))
    seconds, response = request(client, "get", f"/plan/import/{staged.pk}/")
    timings.request("the import's page afterwards", seconds, response.status_code)


def plan_export(client: Client, timings: Timings) -> bytes:
    """The whole (first) plan with its figures as people get it: the button's POST only
    queues it, the worker builds it, and the download serves the kept bytes."""
    seconds, response = request(client, "post", "/plan/excel/prepare/")
    timings.request("ask for the plan with its figures", seconds, response.status_code)
    prepared = PreparedDownload.objects.defer("content").latest("pk")
    timings.job("prepare the workbook", worker(), _prepared_state(prepared))
    url = f"/plan/excel/prepared/{prepared.pk}/workbook.xlsx"
    seconds, response = request(client, "get", url)
    timings.request("download the prepared workbook", seconds, response.status_code)
    print(f"round trip: the whole plan with its figures, {len(response.content) / 1e6:.1f} MB")
    return response.content


def round_trip(client: Client, timings: Timings) -> None:
    # The strategy's: the workbook exported below is the first plan's (no ?plan= given).
    term = next(t for t in reversed(reporting_terms(plan_chosen(None))) if not t.is_locked)
    data = plan_export(client, timings)
    kpi = Action.objects.filter(retired_at__isnull=True).first().kpis.first()
    row = {"Action code": kpi.action.code, "KPI ref": kpi.ref, "Term": term.label}
    data = edit(data, row | {"Group": "All pupils"}, {"Note": "Benchmark"})
    upload = SimpleUploadedFile("plan-with-figures.xlsx", data)
    seconds, response = request(client, "post", "/plan/excel/upload/", {"file": upload})
    timings.request("upload the edited workbook", seconds, response.status_code)
    if response.status_code != 302:
        print(f"  note: the upload was refused ({len(data) / 1e6:.1f} MB); nothing to check")
        return
    staged = StagedUpload.objects.latest("pk")
    timings.job("check and preview it", worker(), _state(staged))
    seconds, response = request(client, "post", f"/plan/excel/{staged.pk}/confirm/")
    timings.request("confirm the changes", seconds, response.status_code)
    timings.job("save them as drafts", worker(), _state(staged))


def edit(data: bytes, match: dict, changes: dict) -> bytes:
    """Change cells of the Values row whose cells equal `match`, as a person would."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    sheet = book[VALUES_SHEET]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if all(row[header.index(k)].value == v for k, v in match.items()):
            for column, value in changes.items():
                row[header.index(column)].value = value
            break
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pack(client: Client, timings: Timings, render: bool) -> None:
    meeting = Meeting.objects.filter(board__slug="education-board").first()
    term, _ = term_and_previous(reporting_terms(meeting.board.plan))
    url = f"/meetings/{meeting.pk}/packs/"
    seconds, response = request(client, "post", url, {"term": term.pk})
    timings.request("generate the board pack", seconds, response.status_code)
    pack = BoardPack.objects.latest("pk")
    timings.job("prepare the pack", worker(), BoardPack.objects.get(pk=pack.pk).state)
    client.post(f"/packs/{pack.pk}/publish/")
    token = BoardPack.objects.get(pk=pack.pk).public_token
    seconds, response = request(client, "get", f"/packs/{pack.pk}/pdf/")
    timings.request("ask for the restricted PDF", seconds, response.status_code)
    seconds, response = request(Client(), "get", f"/public/packs/{token}/pdf/")
    timings.request("ask for the public PDF (anonymous)", seconds, response.status_code)
    if not render:
        # The two requests queued the renders; a PDF of every action at this scale says
        # nothing the 1x one does not, and would hold the worker for an hour.
        DBTaskResult.objects.filter(status="READY").delete()
        print("  worker   PDFs not rendered here (--no-pdf): the 1x run times them")
        return
    timings.job("render both PDFs", worker(), "; ".join(_pdf_states(pack.pk)))
    seconds, response = request(client, "get", f"/packs/{pack.pk}/pdf/")
    timings.request("download the restricted PDF", seconds, response.status_code)


def _state(staged: StagedUpload) -> str:
    staged.refresh_from_db()
    why = staged.error or "; ".join(staged.problems[:2])
    return staged.state + (f": {why[:200]}" if why else "")


def _prepared_state(prepared: PreparedDownload) -> str:
    prepared.refresh_from_db(fields=["state", "error"])
    return prepared.state + (f": {prepared.error}" if prepared.error else "")


def _pdf_states(pk: int) -> list[str]:
    pack = BoardPack.objects.get(pk=pk)
    return [f"restricted {pack.pdf_state}", f"public {pack.public_pdf_state}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--import-rows", type=int, default=settings.PLAN_IMPORT_MAX_ROWS)
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args()
    admin = get_user_model().objects.get(username="admin")
    client = Client()
    client.force_login(admin)
    actions = Action.objects.filter(retired_at__isnull=True).count()
    print(f"{actions:,} live actions; requests timed in process, jobs by the real worker")
    timings = Timings()
    pack(client, timings, render=not args.no_pdf)
    round_trip(client, timings)
    if args.import_rows:
        plan_import(client, args.import_rows, timings)
    timings.summary()


if __name__ == "__main__":
    main()
