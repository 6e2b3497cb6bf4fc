"""Benchmark: server time of the board members' pages against the login page (the floor).

Prints medians (Django test client, in process), the ratio of each page to the
floor, SQL query counts, and the time to generate (snapshot) and render (PDF)
a board pack for the whole plan. Runs on whatever database DATABASE_URL names,
which must hold the plan and seed_demo data (1x, or `seed_demo --scale 100`);
the pack it makes is rolled back.

    EIS_DEV_MODE=true .venv/bin/python bench/pages.py [--runs 15] [--no-pdf] [--json FILE]

With --json, the pages' medians and query counts are also written to FILE, for run.py to
set the real plan's beside a hundred times it.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bury_eis.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from actions.models import Action  # noqa: E402
from actions.selectors import reporting_terms, term_and_previous  # noqa: E402
from boards.models import BoardPack, Meeting  # noqa: E402
from boards.services import (  # noqa: E402
    board_pack_generate,
    board_pack_pdf,
    board_pack_prepare,
    board_pack_render,
)

MIN_TOTAL_MS = 1000


def timed(client: Client, url: str, runs: int, *, status: int = 200) -> tuple[float, int]:
    """Median milliseconds of GET `url` (see below for how many), and one run's queries."""
    client.get(url)  # warm templates and connections
    times = []
    # At least `runs` requests and at least a second of them: a page of a millisecond or
    # two then gets hundreds, so one slow request cannot move its median.
    while len(times) < runs or sum(times) < MIN_TOTAL_MS:
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == status, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--no-pdf", action="store_true")
    parser.add_argument("--json", help="also write {page: [median ms, queries]} here")
    args = parser.parse_args()
    actions = Action.objects.filter(retired_at__isnull=True).count()
    print(
        f"Database: {connection.vendor}; {actions} live actions; "
        f"{args.runs} runs per page, or as many as fill a second"
    )
    floor, floor_queries = timed(Client(), "/login/", args.runs)
    board = Client()
    board.force_login(get_user_model().objects.get(username="board"))
    action = Action.objects.filter(code="3.4(a)").first() or Action.objects.first()
    pages = [
        # Signed in, /login/ only redirects: the session and user lookups every
        # signed-in page pays before it does anything of its own.
        ("signed-in floor (302)", "/login/", {"status": 302}),
        ("dashboard", "/", {}),
        ("action list", "/actions/", {}),
        ("KPI list", "/kpis/", {}),
        ("action detail (3.4(a))", f"/actions/{action.pk}/", {}),
    ]
    print(f"{'page':<28}{'median ms':>10}{'x floor':>9}{'queries':>9}")
    print(f"{'login (floor)':<28}{floor:>10.1f}{1:>9.2f}{floor_queries:>9}")
    figures = {}
    for name, url, options in pages:
        median, queries = timed(board, url, args.runs, **options)
        figures[name] = [median, queries]
        print(f"{name:<28}{median:>10.1f}{median / floor:>9.2f}{queries:>9}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures))
    pack_timings(args.no_pdf)


def pack_timings(no_pdf: bool) -> None:
    meeting = Meeting.objects.filter(board__slug="education-board").first()
    term, _ = term_and_previous(reporting_terms(meeting.board.plan))
    admin = get_user_model().objects.get(username="admin")
    with transaction.atomic():
        start = time.perf_counter()
        # The request queues the pack; the worker's half (board_pack_prepare) runs here.
        pack = board_pack_generate(meeting=meeting, term=term, user=admin)
        board_pack_prepare(pack_id=pack.pk)
        generated = time.perf_counter() - start
        print(f"board pack, whole plan, {term.label}: generated in {generated:.2f} s")
        if not no_pdf:
            # A worker loads WeasyPrint (Pango, fonts) once, on its first PDF; timed apart.
            start = time.perf_counter()
            import weasyprint  # noqa: F401

            loaded = time.perf_counter() - start
            BoardPack.objects.filter(pk=pack.pk).update(pdf_state=BoardPack.PDFState.PENDING)
            start = time.perf_counter()
            board_pack_render(pack_id=pack.pk, public=False)  # the worker's render job
            rendered = time.perf_counter() - start
            pdf = board_pack_pdf(pack=BoardPack.objects.get(pk=pack.pk), public=False)
            print(
                f"  PDF rendered in {rendered:.1f} s ({len(pdf):,} bytes); "
                f"loading WeasyPrint first took {loaded:.1f} s"
            )
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
