"""A backup (make backup's command) restores into an emptied database, every count equal,
and only its owner can read it."""

import io
import os
import stat
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from actions.models import Plan
from boards.services import board_pack_publish
from bury_eis.models import AuditRecord
from spreadsheets.plan_imports import plan_import_stage
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


# Left out of backups on purpose: sessions, and prepared workbooks (copies of figures).
NOT_BACKED_UP = {"sessions.Session", "spreadsheets.PreparedDownload"}


def counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.label not in NOT_BACKED_UP
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
    plan_import_stage(
        plan=Plan.objects.get(slug="eis"), data=workbook_bytes([row]), name="plan.xlsx", user=admin
    )
    AuditRecord.objects.create(  # an admin edit recorded before the audit trail
        content_type=ContentType.objects.get_for_model(update),
        object_id=str(update.pk),
        object_repr=str(update),
        kind="changed",
        field="Rating",
        before="Green",
        after="Red",
        changed_by=admin,
    )
    ActionFactory(code="2.1(a)")


def test_a_backup_restores_into_an_empty_database_with_every_count_equal(tmp_path):
    some_of_everything()
    before = counts()
    out = io.StringIO()
    call_command("backup", folder=str(tmp_path / "backups"), stdout=out)
    backup = out.getvalue().strip()
    call_command("flush", interactive=False, stdout=io.StringIO())
    assert counts()["actions.Action"] == 0 and counts()["auth.Group"] == 0
    call_command("restore", backup, stdout=io.StringIO())
    after = counts()
    assert {label: n for label, n in before.items() if n} != {}
    assert after == before


@pytest.fixture
def loose_umask():
    """The umask a shell commonly has: files readable by everyone unless made otherwise."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_backup_is_readable_by_its_owner_only(tmp_path, loose_umask):
    UserFactory(username="council-admin", role="Admin", is_staff=True)
    folder = tmp_path / "backups"
    out = io.StringIO()
    call_command("backup", folder=str(folder), stdout=out)
    backup = out.getvalue().strip()
    assert mode(folder) == 0o700
    assert mode(backup) == 0o600
    assert "council-admin" in Path(backup).read_text()


def test_a_backup_folder_made_before_is_closed_to_others(tmp_path, loose_umask):
    folder = tmp_path / "backups"
    folder.mkdir(mode=0o755)
    call_command("backup", folder=str(folder), stdout=io.StringIO())
    assert mode(folder) == 0o700
    assert [mode(path) for path in folder.iterdir()] == [0o600]


def test_a_prepared_workbook_is_not_copied_into_a_backup(tmp_path):
    """It holds figures the backup already has, and can be tens of MB."""
    from spreadsheets.models import PreparedDownload

    admin = UserFactory(username="council-admin", role="Admin", is_staff=True)
    PreparedDownload.objects.create(
        requested_by=admin,
        plan=Plan.objects.get(slug="eis"),
        scope=PreparedDownload.Scope.PLAN,
        title="The whole plan",
        state=PreparedDownload.State.READY,
        content=b"PK-workbook-bytes",
        size=17,
        file_name="eis-plan-with-figures.xlsx",
    )
    out = io.StringIO()
    call_command("backup", folder=str(tmp_path / "backups"), stdout=out)
    text = Path(out.getvalue().strip()).read_text()

    assert '"model": "actions.plan"' in text
    assert "spreadsheets.prepareddownload" not in text
