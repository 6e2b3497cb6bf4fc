"""Concurrency check: two people save the same termly update, 200 times each, at once.

Two processes post to the update page's save (`kpis:update_save`, the view and service a
lead's browser uses) for the same action and term. Each reads the update as the page
does (its version, narrative and the KPI's figure), appends its own marker to the
narrative, adds one to the figure and saves with the version it read. The app must refuse
a save built on a stale read (a conflict) rather than let it overwrite one it had not
seen (a lost update). Lost updates are counted three independent ways: accepted markers
missing from the final narrative, the final figure short of the accepted saves, and the
history short of one narrative change per accepted save. The goal is 0.

DATABASE_URL must name a PostgreSQL database holding the plan and seed_demo data (bench/run.py
makes a scratch one); the chosen action's update for the open term is replaced.

    DATABASE_URL=postgres://… EIS_DEV_MODE=true .venv/bin/python bench/concurrency.py [--saves 200]
"""

import argparse
import json
import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bury_eis.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from actions.models import (  # noqa: E402
    ChangeRecord,
    ProgressUpdate,
    Term,
)
from bench.report import concurrency_tally, marker  # noqa: E402
from kpis.models import KPI, Cohort, KPIValue, Unit  # noqa: E402
from kpis.selectors import open_terms  # noqa: E402
from kpis.updates import NARRATIVE_FIELDS, KPIEntry, progress_update_save  # noqa: E402

PERIOD = "Benchmark"


def counted_kpi() -> KPI:
    """A KPI whose figure can count up without bound: not a percentage, not a milestone,
    with no group breakdowns or comparators on its page."""
    return (
        KPI.objects.filter(action__retired_at__isnull=True, action__leads__isnull=False)
        .exclude(unit__in=[Unit.PERCENT, Unit.MILESTONE])
        .filter(breakdown_cohorts__isnull=True, comparators__isnull=True)
        .select_related("action")
        .order_by("action__position", "position")
        .first()
    )


def reset(kpi: KPI, term: Term) -> None:
    """Start from a draft whose narrative is empty, whose figure is 0 and with no history."""
    action = kpi.action
    ProgressUpdate.objects.filter(action=action, term=term).delete()
    KPIValue.objects.filter(kpi__action=action, term=term).delete()
    ChangeRecord.objects.filter(action=action, term=term).delete()
    progress_update_save(
        action=action,
        term=term,
        user=action.leads.first(),
        narrative={"rating": "green"},
        entries=[KPIEntry(kpi=kpi, value=Decimal(0), data_period=PERIOD)],
        version=0,
    )


def form(kpi: KPI, version: int, progress: str, figure: int) -> dict[str, str]:
    """The update page's fields as a browser posts them, with only `kpi` filled in."""
    data = {"version": str(version), "rating": "green", "progress": progress}
    for other in kpi.action.kpis.all():
        data[f"kpi{other.pk}-maturity"] = "provisional"
    data |= {f"kpi{kpi.pk}-value": str(figure), f"kpi{kpi.pk}-data_period": PERIOD}
    return data


def read(kpi: KPI, term: Term) -> tuple[int, str, int]:
    """What the update page shows: the version token, the narrative and the figure."""
    update = ProgressUpdate.objects.get(action=kpi.action, term=term)
    value = KPIValue.objects.get(kpi=kpi, term=term, cohort__code=Cohort.ALL_PUPILS).value
    return update.version, update.progress, int(value)


def worker(number: int, kpi_pk: int, term_pk: int, username: str, saves: int) -> None:
    """Save `saves` times as `username`, then print what happened as JSON."""
    kpi = KPI.objects.select_related("action").get(pk=kpi_pk)
    term = Term.objects.get(pk=term_pk)
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username=username))
    url = reverse("kpis:update_save", args=[kpi.action_id, term.pk])
    print("ready", flush=True)
    sys.stdin.readline()  # both start together
    accepted, conflicts, errors = [], 0, 0
    for attempt in range(saves):
        version, progress, figure = read(kpi, term)
        mark = marker(number, attempt)
        status = client.post(url, form(kpi, version, f"{progress} {mark}", figure + 1)).status_code
        if status == 302:
            accepted.append(mark)
        elif status == 409:
            conflicts += 1
        else:
            errors += 1
    print(json.dumps({"accepted": accepted, "conflicts": conflicts, "errors": errors}))


def spawn(number: int, kpi: KPI, term: Term, username: str, saves: int) -> subprocess.Popen:
    args = [str(number), str(kpi.pk), str(term.pk), username, str(saves)]
    process = subprocess.Popen(  # noqa: S603 - this script, with our own interpreter
        [sys.executable, __file__, "--worker", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    if process.stdout.readline().strip() != "ready":
        process.kill()
        raise RuntimeError(f"worker {number} did not start")
    return process


def run_workers(kpi: KPI, term: Term, saves: int) -> tuple[list[dict], float]:
    """Two people, the action's lead and an admin, saving at once; their reports and the
    seconds both took."""
    people = [kpi.action.leads.first().username, "admin"]
    workers = [spawn(n, kpi, term, who, saves) for n, who in enumerate(people, start=1)]
    start = time.perf_counter()
    for process in workers:
        process.stdin.write("go\n")
        process.stdin.flush()
    reports = []
    for process in workers:
        out, _ = process.communicate(timeout=900)
        if process.returncode:
            raise RuntimeError(f"a worker failed ({process.returncode})")
        reports.append(json.loads(out.strip().splitlines()[-1]))
    return reports, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=200, help="per process (1–1000)")
    saves = min(max(parser.parse_args().saves, 1), 1000)
    if connection.vendor != "postgresql":
        sys.exit("concurrency.py needs DATABASE_URL=postgres://…")
    kpi = counted_kpi()
    terms = open_terms(timezone.localdate(), kpi.action.plan)
    if not terms:
        sys.exit("There is no open term to save an update in.")
    term = terms[-1]
    reset(kpi, term)
    reports, seconds = run_workers(kpi, term, saves)
    _, narrative, figure = read(kpi, term)
    tally = concurrency_tally(
        accepted_markers=[m for r in reports for m in r["accepted"]],
        conflicts=sum(r["conflicts"] for r in reports),
        errors=sum(r["errors"] for r in reports),
        final_narrative=narrative,
        final_counter=figure,
        narrative_changes=ChangeRecord.objects.filter(
            action=kpi.action, term=term, field=NARRATIVE_FIELDS["progress"]
        ).count(),
    )
    print(
        f"{connection.vendor}; action {kpi.action.code}, KPI ({kpi.ref}), {term.label}; "
        f"2 processes x {saves} saves in {seconds:.1f} s"
    )
    print(f"  saves accepted          {tally.accepted:5}")
    print(f"  conflicts reported      {tally.conflicts:5}   (refused as stale: the page says so)")
    print(f"  other failures          {tally.errors:5}")
    print(
        f"  lost updates            {tally.lost_updates:5}   (goal 0; markers lost "
        f"{tally.lost_markers}, figure short {tally.counter_shortfall}, "
        f"history short {tally.history_shortfall})"
    )


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "--worker":
        number, kpi_pk, term_pk, username, saves = sys.argv[2:]
        worker(int(number), int(kpi_pk), int(term_pk), username, int(saves))
    else:
        main()
