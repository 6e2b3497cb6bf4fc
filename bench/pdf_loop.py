"""The "PDF loop" attack: many anonymous requests at once for a published pack's PDF.

Against gunicorn with 2 workers and production settings on the loopback (as bench/load.py
runs it), N concurrent anonymous GETs of a published pack's public PDF while it is not yet
rendered must each be answered at once (the progress page, 202) and queue exactly one
render job between them; none may render in the request. Then a render that fails (made to
fail here, in this process's worker) is recorded once, and N more requests get the failure
page at once and queue nothing: a failed render is not retried per request.
DATABASE_URL must name a PostgreSQL database holding the plan and seed_demo data (bench/run.py
makes a scratch one).

    DATABASE_URL=postgres://… EIS_DEV_MODE=true .venv/bin/python bench/pdf_loop.py [--requests 40]
"""

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bury_eis.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from actions.selectors import reporting_terms, term_and_previous  # noqa: E402
from bench.load import collectstatic, free_port, get, gunicorn, production_env  # noqa: E402
from boards import services  # noqa: E402
from boards.models import BoardPack, Meeting  # noqa: E402

RENDER_JOB = "boards.services.board_pack_render_job"


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)


def published_pack() -> BoardPack:
    meeting = Meeting.objects.filter(board__slug="education-board").first()
    term, _ = term_and_previous(reporting_terms(meeting.board.plan))
    admin = get_user_model().objects.get(username="admin")
    pack = services.board_pack_generate(meeting=meeting, term=term, user=admin)
    run_worker()
    pack.refresh_from_db()
    return services.board_pack_publish(pack=pack, user=admin)


def storm(port: int, path: str, requests: int) -> tuple[dict[int, int], float]:
    """`requests` GETs of `path`, 20 at a time; statuses counted, and the slowest."""

    def one(_: int) -> tuple[int, float]:
        start = time.perf_counter()
        response = get(port, path)
        response.read()
        return response.status, time.perf_counter() - start

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(one, range(requests)))
    statuses: dict[int, int] = {}
    for status, _ in results:
        statuses[status] = statuses.get(status, 0) + 1
    return statuses, max(seconds for _, seconds in results)


def renders(pack: BoardPack) -> int:
    jobs = DBTaskResult.objects.filter(task_path=RENDER_JOB)
    return sum(1 for job in jobs if job.args_kwargs["args"] == [pack.pk, True])


def report(label: str, statuses: dict, slowest: float, pack: BoardPack) -> None:
    pack.refresh_from_db()
    print(
        f"{label:<34} statuses {statuses}, slowest {slowest:.2f} s; render jobs queued "
        f"{renders(pack)}, public PDF {pack.public_pdf_state}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40, help="per storm (1–200)")
    args = parser.parse_args()
    requests = min(max(args.requests, 1), 200)
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        sys.exit("pdf_loop.py needs DATABASE_URL=postgres://…")
    pack = published_pack()
    path = f"/public/packs/{pack.public_token}/pdf/"
    with tempfile.TemporaryDirectory(prefix="eis-pdf-loop-") as tmp:
        env = production_env(database_url, Path(tmp) / "static")
        if collectstatic(env):
            env["DJANGO_SETTINGS_MODULE"] = "bench.load_settings"
            collectstatic(env)
        port = free_port()
        with gunicorn(env, port, Path(tmp) / "gunicorn.log"):
            print(f"gunicorn, 2 workers, production settings; {requests} concurrent anonymous GETs")
            statuses, slowest = storm(port, path, requests)
            report("unrendered PDF, no worker running", statuses, slowest, pack)

            def broken(html: str) -> bytes:
                raise OSError("render made to fail by bench/pdf_loop.py")

            services.html_to_pdf = broken
            run_worker()  # the one queued render runs, and fails
            statuses, slowest = storm(port, path, requests)
            report("after the render failed", statuses, slowest, pack)
            print(f"  recorded: {pack.public_pdf_error}")


if __name__ == "__main__":
    main()
