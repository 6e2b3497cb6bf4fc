"""The plan upload: size-limited, judged by its bytes not its name, kept only in the database."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from spreadsheets.models import StagedUpload
from tests.conftest import run_tasks
from tests.workbooks import workbook_bytes

pytestmark = pytest.mark.django_db
ROW = [1, "INCLUSIVE", 1, "All Settings", "1.1(a)", "Building a culture", "i", "% feeling safe"]
ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def upload(client, name: str, data: bytes):
    """Upload the file and let the worker check it; the page the person is sent to."""
    response = client.post(
        reverse("spreadsheets:plan_import_start"),
        {"plan": "eis", "file": SimpleUploadedFile(name, data)},
    )
    run_tasks()
    return client.get(response["Location"]) if response.status_code == 302 else response


def test_a_file_over_the_limit_is_refused_unread(admin_client, settings):
    settings.PLAN_UPLOAD_MAX_BYTES = 1024
    response = upload(admin_client, "plan.xlsx", workbook_bytes([ROW]) + b"\0" * 2048)
    assert response.status_code == 400
    assert "larger than" in response.content.decode()
    assert not StagedUpload.objects.exists()


def test_a_csv_renamed_to_xlsx_is_refused_by_its_contents(admin_client):
    response = upload(admin_client, "plan.xlsx", b"Commitment no,Commitment\n1,INCLUSIVE\n")
    assert "renamed to .xlsx" in response.content.decode()
    staged = StagedUpload.objects.get()
    assert staged.state == "refused" and staged.content is None


def test_a_real_workbook_is_accepted_whatever_its_name(admin_client):
    upload(admin_client, "plan.csv", workbook_bytes([ROW]))
    staged = StagedUpload.objects.get()
    assert (staged.state, staged.layout) == ("ready", "template")


def test_an_upload_is_kept_in_the_database_never_on_disk_or_under_static(admin_client):
    files_before = {p for p in ROOT.rglob("*") if ".venv" not in p.parts and p.is_file()}
    upload(admin_client, "../../static/js/evil.xlsx", workbook_bytes([ROW]))
    staged = StagedUpload.objects.get()
    assert bytes(staged.content).startswith(b"PK")  # the workbook's bytes, in the row itself
    files_after = {p for p in ROOT.rglob("*") if ".venv" not in p.parts and p.is_file()}
    new = {p for p in files_after - files_before if "__pycache__" not in p.parts}
    assert not [p for p in new if p.suffix in {".xlsx", ".js", ".csv"}]
    assert not (ROOT / "static" / "js" / "evil.xlsx").exists()


def test_formulas_in_an_upload_are_kept_as_text_never_calculated(admin_client):
    row = [*ROW[:7], '=HYPERLINK("http://evil.example")']
    upload(admin_client, "plan.xlsx", workbook_bytes([row]))
    preview = str(StagedUpload.objects.get().preview)
    assert "HYPERLINK" in preview  # kept as the text typed, with a warning, not run
