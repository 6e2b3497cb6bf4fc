"""Benchmark: the termly update page and its save, at the real plan's largest action.

Prints server-side medians (Django test client, in process) and SQL query counts.
Runs on whatever database DATABASE_URL names (SQLite by default), which must hold
the imported plan and seed_demo data; everything it writes is rolled back.

    EIS_DEV_MODE=true .venv/bin/python bench/termly_update.py [--runs 30]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bury_eis.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from actions.models import (  # noqa: E402
    Action,
    ProgressUpdate,
    Term,
)
from bury_eis.roles import ADMIN  # noqa: E402
from kpis.selectors import open_terms  # noqa: E402


def timed(call, runs: int) -> tuple[float, int]:
    """Median milliseconds over `runs`, and the queries of the last run."""
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            call()
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), len(queries)


def form(action: Action, term: Term, value: int) -> dict:
    update = ProgressUpdate.objects.filter(action=action, term=term).first()
    data = {"version": update.version if update else 0, "rating": "green", "progress": "Benchmark"}
    for kpi in action.kpis.all():
        prefix = f"kpi{kpi.pk}-"
        data |= {prefix + "maturity": "provisional", prefix + "data_period": "2025/26"}
        if kpi.unit == "milestone":
            data[prefix + "milestone_status"] = "in_progress"
        else:
            data[prefix + "value"] = str(value)
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    action = Action.objects.annotate(n=Count("kpis")).order_by("-n", "position").first()
    term = open_terms(timezone.localdate(), action.plan)[-1]
    client = Client()
    lead = action.leads.first() or Action.leads.rel.model.objects.filter(groups__name=ADMIN).first()
    client.force_login(lead)
    page = reverse("kpis:update", args=[action.pk, term.pk])
    save = reverse("kpis:update_save", args=[action.pk, term.pk])
    with transaction.atomic():
        ProgressUpdate.objects.filter(action=action, term=term).delete()
        floor, floor_q = timed(lambda: client.get(reverse("login")), runs)
        get, get_q = timed(lambda: client.get(page), runs)
        values = iter(range(10, 10 + runs * 2))
        post, post_q = timed(lambda: client.post(save, form(action, term, next(values))), runs)
        transaction.set_rollback(True)
    print(
        f"database: {connection.vendor}; action {action.code}, {action.n} KPIs; "
        f"{term.label}; {runs} runs"
    )
    print(f"{'login page (floor)':28} {floor:8.1f} ms  {floor_q:3d} queries")
    print(f"{'update page GET':28} {get:8.1f} ms  {get_q:3d} queries  {get / floor:5.1f}x floor")
    print(
        f"{'update save POST':28} {post:8.1f} ms  {post_q:3d} queries  {post / floor:5.1f}x floor"
    )


if __name__ == "__main__":
    main()
