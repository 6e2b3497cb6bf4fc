"""A backup (make backup's dumpdata) restores into an emptied database, every count equal."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command

from boards.services import board_pack_publish
from bury_eis.audit import audit_record
from kpis.plan_imports import plan_import_stage
from tests.conftest import generated_pack
from tests.factories import (
    ActionFactory,
    BoardFactory,
    KPIValueFactory,
    MeetingFactory,
    ProgressUpdateFactory,
    UserFactory,
)
from tests.workbooks import workbook_bytes

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]
# As in the Makefile's backup target: Django rebuilds these, and sessions are disposable.
EXCLUDE = ["contenttypes", "auth.permission", "sessions"]


def counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.label != "sessions.Session"
    }


def some_of_everything() -> None:
    admin = UserFactory(username="council-admin", role="Admin", is_staff=True)
    lead = UserFactory(username="hclarke", role="Officer")
    value = KPIValueFactory()
    value.kpi.action.leads.add(lead)
    update = ProgressUpdateFactory(action=value.kpi.action, term=value.term)
    board = BoardFactory()
    board.members.add(UserFactory(username="member", role="Board member"))
    pack = generated_pack(meeting=MeetingFactory(board=board), term=value.term, user=admin)
    board_pack_publish(pack=pack, user=admin)
    row = [1, "INCLUSIVE", 1, "All Settings", "1.1(z)", "Building a culture", "i", "% safe"]
    plan_import_stage(data=workbook_bytes([row]), name="plan.xlsx", user=admin)
    audit_record(
        user=admin,
        instance=update,
        kind="changed",
        before={"rating": "Green"},
        after={"rating": "Red"},
    )
    ActionFactory(code="2.1(a)")


def test_a_backup_restores_into_an_empty_database_with_every_count_equal(tmp_path):
    some_of_everything()
    before = counts()
    backup = tmp_path / "eis.json"
    call_command(
        "dumpdata",
        "--natural-foreign",
        "--natural-primary",
        *(f"--exclude={label}" for label in EXCLUDE),
        output=str(backup),
        stdout=io.StringIO(),
    )
    call_command("flush", interactive=False, stdout=io.StringIO())
    assert counts()["actions.Action"] == 0 and counts()["auth.Group"] == 0
    call_command("loaddata", str(backup), stdout=io.StringIO())
    after = counts()
    assert {label: n for label, n in before.items() if n} != {}
    assert after == before
