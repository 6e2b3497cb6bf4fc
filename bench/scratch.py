"""Throwaway databases for the benchmarks, so they never touch the developer's own.

SQLite databases are temporary files; PostgreSQL ones are created on the server that
DATABASE_URL names and dropped afterwards. Each is filled the way `make run` fills
db.sqlite3: migrate, import the real plan, seed_demo (optionally scaled).
"""

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.report import scratch_url

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "fixtures" / "delivery_plan.xlsx"
# Where the load test and concurrency check look when DATABASE_URL is SQLite:
# the PostgreSQL that the README's PostgreSQL test run uses.
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


def bench_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment for a benchmark subprocess: development mode on `database_url`.

    Benchmarks print figures; INFO logs (such as each sign-in) would bury them.
    """
    env = {"EIS_DEV_MODE": "true", "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING"}
    return {**os.environ, **env, **extra}


def manage(database_url: str, *args: str) -> float:
    """Run one manage.py command against `database_url`; seconds taken."""
    start = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=bench_env(database_url),
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def prepare(database_url: str, scale: int) -> dict[str, float]:
    """Migrate, import the real plan and add demo data `scale` times; seconds per step."""
    return {
        "migrate": manage(database_url, "migrate", "--noinput", "-v0"),
        "import_plan": manage(database_url, "import_plan", str(PLAN), "--plan", "eis"),
        f"seed_demo --scale {scale}": manage(database_url, "seed_demo", "--scale", str(scale)),
    }


@contextmanager
def sqlite_database(name: str) -> Iterator[str]:
    """A new, empty SQLite database in a temporary folder, deleted afterwards."""
    with tempfile.TemporaryDirectory(prefix="eis-bench-") as folder:
        yield f"sqlite:///{Path(folder) / name}.sqlite3"


def _admin(server_url: str):
    import psycopg

    # CREATE and DROP DATABASE cannot run inside a transaction.
    return psycopg.connect(scratch_url(server_url, "postgres"), autocommit=True, connect_timeout=5)


def _drop(server_url: str, name: str) -> None:
    from psycopg import sql

    with _admin(server_url) as conn:
        # FORCE ends connections a killed benchmark left behind (PostgreSQL 13+).
        drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        conn.execute(drop.format(sql.Identifier(name)))


@contextmanager
def postgres_database(server_url: str, name: str) -> Iterator[str]:
    """A new, empty database `name` on `server_url`'s server, dropped afterwards.

    A database of that name left by an interrupted run is dropped first.
    """
    from psycopg import sql

    _drop(server_url, name)
    with _admin(server_url) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield scratch_url(server_url, name)
    finally:
        _drop(server_url, name)


def postgres_unreachable(server_url: str) -> str:
    """Why the PostgreSQL server cannot be used, or "" if it can."""
    import psycopg

    try:
        with _admin(server_url) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0]
    return ""


@contextmanager
def scratch_database(database_url: str, name: str) -> Iterator[str]:
    """A scratch database of the same vendor as `database_url` (SQLite if it is empty)."""
    if database_url.startswith("postgres"):
        with postgres_database(database_url, name) as url:
            yield url
    else:
        with sqlite_database(name) as url:
            yield url
