"""The data migration that folds plan imports and round-trip uploads into staged uploads."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]
BEFORE = [("kpis", "0001_squashed_0004_round_trip_uploads")]
AFTER = [("kpis", "0002_staged_uploads")]
WHEN = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_every_import_and_upload_is_carried_over_with_nothing_lost():
    old = migrate(BEFORE)
    try:
        user = old.get_model("auth", "User").objects.create(username="hannah")
        plan = old.get_model("kpis", "PlanImport")
        trip = old.get_model("kpis", "RoundTripUpload")
        applied = plan.objects.create(
            file_name="plan.xlsx",
            checksum="a" * 64,
            layout="published",
            uploaded_by=user,
            preview={"counts": {"actions created": 95}},
            counts={"actions created": 95},
            warnings=["row 4: a gap"],
            applied_by=user,
            applied_at=WHEN,
        )
        plan.objects.filter(pk=applied.pk).update(uploaded_at=WHEN)
        plan.objects.create(file_name="waiting.xlsx", checksum="b" * 64, content=b"PK..")
        trip.objects.create(
            file_name="mine.xlsx",
            checksum="c" * 64,
            uploaded_by=user,
            preview={"groups": [{}, {}], "problems": [], "warnings": ["w"]},
            applied_at=WHEN,
        )
        trip.objects.create(
            file_name="bad.xlsx",
            checksum="d" * 64,
            content=b"PK..",
            uploaded_by=user,
            preview={"groups": [], "problems": ["Sheet x: wrong"], "warnings": []},
        )
        new = migrate(AFTER)
        rows = {
            u.file_name: u for u in new.get_model("kpis", "StagedUpload").objects.order_by("pk")
        }
        assert list(rows) == ["plan.xlsx", "waiting.xlsx", "mine.xlsx", "bad.xlsx"]
        first = rows["plan.xlsx"]
        assert (first.kind, first.state, first.layout) == ("plan", "applied", "published")
        assert (first.uploaded_at, first.applied_at) == (WHEN, WHEN)
        assert first.counts == {"actions created": 95} and first.warnings == ["row 4: a gap"]
        assert first.uploaded_by_id == first.applied_by_id == user.pk
        assert (rows["waiting.xlsx"].state, bytes(rows["waiting.xlsx"].content)) == (
            "ready",
            b"PK..",
        )
        mine = rows["mine.xlsx"]
        assert (mine.kind, mine.state, mine.counts) == ("figures", "applied", {"updates": 2})
        assert mine.applied_by_id == user.pk and mine.warnings == ["w"]
        assert (rows["bad.xlsx"].state, rows["bad.xlsx"].problems) == (
            "refused",
            ["Sheet x: wrong"],
        )
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
