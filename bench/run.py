"""`make bench`: every benchmark in one run, on throwaway databases, never on yours.

Pages and the termly update are measured at the real plan and at `seed_demo --scale 100`,
on the vendor DATABASE_URL names (SQLite when it is unset; on PostgreSQL, scratch
databases <prefix>_1x and <prefix>_100x on the same server, created and dropped here).
Then the plan import, and, always on PostgreSQL, the load test, the concurrency check and
the sign-in flood (on DATABASE_URL's server, else BENCH_POSTGRES_URL, else the local
default; skipped with a reason if there is none). BENCH_DB_PREFIX (default eis_bench)
names the scratch databases.

    .venv/bin/python bench/run.py
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.scratch import (
    DEFAULT_POSTGRES,
    bench_env,
    postgres_database,
    postgres_unreachable,
    prepare,
    scratch_database,
)

BENCH = Path(__file__).resolve().parent
SCALES = (1, 100)
# The goal: a page at 100x the plan costs at most this many times what it costs at 1x,
# in the same number of queries.
GROWTH_LIMIT = 1.5
GROWN = ["dashboard", "action list", "KPI list", "action detail (3.4(a))"]


def heading(text: str) -> None:
    print(f"\n== {text} ==")


def script(name: str, database_url: str, *args: str) -> None:
    """Run one benchmark script against `database_url`; its figures print as it goes."""
    env = bench_env(database_url)
    subprocess.run([sys.executable, str(BENCH / name), *args], env=env, check=True)  # noqa: S603


def prepared(database_url: str, scale: int) -> None:
    steps = prepare(database_url, scale)
    detail = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in steps.items())
    print(f"prepared the {scale}x database in {sum(steps.values()):.1f} s ({detail})")


def page_benchmarks(database_url: str, prefix: str) -> None:
    vendor = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        for scale in SCALES:
            with scratch_database(database_url, f"{prefix}_{scale}x") as url:
                heading(f"Pages at {scale}x the plan, {vendor}")
                prepared(url, scale)
                found = Path(tmp) / f"{scale}.json"
                # A PDF of 9,500 action pages says nothing the 1x PDF does not.
                pdf = [] if scale == 1 else ["--no-pdf"]
                script("pages.py", url, "--json", str(found), *pdf)
                figures[scale] = json.loads(found.read_text())
                script("termly_update.py", url)
                heading(f"Requests that start long jobs, and the worker, at {scale}x, {vendor}")
                # The import at its row limit is the same file at any scale: once is enough.
                script("jobs.py", url, *(["--import-rows", "0"] if scale == 1 else ["--no-pdf"]))
    growth(figures, vendor)


def growth(figures: dict, vendor: str) -> None:
    """Each page's cost at 100x the plan against 1x: the ratio and both query counts."""
    small, large = SCALES
    heading(f"Cost as the plan grows, {vendor} (goal: at most {GROWTH_LIMIT}x, same queries)")
    print(f"{'page':<28}{'1x ms':>8}{'100x ms':>9}{'ratio':>7}{'queries':>12}  met")
    for name in GROWN:
        (before, before_queries), (after, after_queries) = (
            figures[small][name],
            figures[large][name],
        )
        ratio = after / before
        met = ratio <= GROWTH_LIMIT and before_queries == after_queries
        queries = f"{before_queries} / {after_queries}"
        print(
            f"{name:<28}{before:>8.1f}{after:>9.1f}{ratio:>7.2f}{queries:>12}  "
            f"{'yes' if met else 'NO'}"
        )


def postgres_benchmarks(database_url: str, prefix: str) -> None:
    if database_url.startswith("postgres"):
        server = database_url
    else:
        server = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    where = f"{urlsplit(server).hostname}:{urlsplit(server).port or 5432}"
    heading(f"Load test, concurrency check and sign-in flood, PostgreSQL at {where}")
    problem = postgres_unreachable(server)
    if problem:
        print(f"skipped: PostgreSQL cannot be reached ({problem})")
        return
    with postgres_database(server, f"{prefix}_load") as url:
        prepared(url, 1)
        script("load.py", url)
        print()
        script("concurrency.py", url)
        print()
        script("pdf_loop.py", url)
        print()
        script("sign_in_flood.py", url)


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # keep our lines in order with the scripts'
    start = time.perf_counter()
    database_url = os.environ.get("DATABASE_URL", "")
    prefix = os.environ.get("BENCH_DB_PREFIX", "eis_bench")
    page_benchmarks(database_url, prefix)
    heading("Plan import")
    script("plan_import.py", database_url)
    postgres_benchmarks(database_url, prefix)
    print(f"\nmake bench took {(time.perf_counter() - start) / 60:.1f} minutes")


if __name__ == "__main__":
    main()
