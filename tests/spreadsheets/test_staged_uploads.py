"""The staged-upload flow both kinds share: each state, what a job does once, and failures."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from actions.models import Action, Plan
from spreadsheets import plan_imports
from spreadsheets.models import StagedUpload
from spreadsheets.plan_imports import PLAN, plan_import_confirm, plan_import_stage
from spreadsheets.staged_uploads import staged_upload_check, staged_upload_retry
from tests.conftest import PLAN_WORKBOOK, run_tasks
from tests.factories import UserFactory
from tests.workbooks import workbook_bytes

pytestmark = pytest.mark.django_db
ROW = [1, "INCLUSIVE", 1, "All Settings", "1.1(a)", "Building a culture", "i", "% feeling safe"]
REFRESH = 'http-equiv="refresh"'


def stage(data: bytes = b"", user=None) -> StagedUpload:
    return plan_import_stage(
        plan=Plan.objects.get(slug="eis"),
        data=data or workbook_bytes([ROW]),
        name="plan.xlsx",
        user=user,
    )


def reload(upload: StagedUpload) -> StagedUpload:
    upload.refresh_from_db()
    return upload


def test_an_upload_is_received_with_one_check_queued_and_nothing_read(admin_user):
    upload = stage(user=admin_user)
    assert (upload.state, upload.preview, upload.problems) == ("received", {}, [])
    assert upload.checksum and bytes(upload.content).startswith(b"PK")
    [job] = DBTaskResult.objects.all()
    assert job.task_path == "spreadsheets.plan_imports.plan_import_check_job"
    assert job.args_kwargs["args"] == [upload.pk] and job.status == "READY"


def test_the_check_moves_it_to_ready_with_its_preview(admin_user):
    upload = stage(user=admin_user)
    assert run_tasks() == 1
    upload = reload(upload)
    assert upload.state == "ready" and upload.preview["counts"]["actions created"] == 1
    assert upload.layout == "template" and upload.content is not None


def test_a_file_with_problems_is_refused_with_them_listed_and_not_kept(admin_user):
    upload = stage(b"not a workbook at all", admin_user)
    run_tasks()
    upload = reload(upload)
    assert upload.state == "refused" and upload.content is None
    assert upload.problems and "plan.xlsx" in upload.problems[0]


def test_a_check_runs_once_however_often_it_is_queued(admin_user):
    upload = stage(user=admin_user)
    run_tasks()
    StagedUpload.objects.filter(pk=upload.pk).update(preview={"kept": True})
    staged_upload_check(kind=PLAN, upload_id=upload.pk)  # a second job for the same upload
    assert reload(upload).preview == {"kept": True}


def test_confirming_moves_it_to_applying_and_the_worker_applies_it(admin_user):
    upload = stage(user=admin_user)
    run_tasks()
    assert plan_import_confirm(staged=upload, user=admin_user)
    assert not plan_import_confirm(staged=upload, user=admin_user)  # a second click
    upload = reload(upload)
    assert upload.state == "applying" and upload.applied_by == admin_user
    assert not Action.objects.exists()
    assert run_tasks() == 1
    upload = reload(upload)
    assert upload.state == "applied" and upload.applied_at and upload.content is None
    assert Action.objects.get().code == "1.1(a)"


def test_only_a_ready_upload_can_be_confirmed(admin_user):
    upload = stage(user=admin_user)
    assert not plan_import_confirm(staged=upload, user=admin_user)  # not checked yet
    run_tasks()
    assert reload(upload).state == "ready"


def test_a_fault_while_checking_is_recorded_and_the_job_marked_failed(admin_user, monkeypatch):
    def broken(rows, warnings, plan):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(plan_imports, "plan_preview", broken)
    upload = stage(user=admin_user)
    run_tasks()
    upload = reload(upload)
    assert upload.state == "failed" and "(ZeroDivisionError)" in upload.error
    assert upload.content is not None  # kept, to be checked again
    assert DBTaskResult.objects.get().status == "FAILED"


def test_a_fault_while_applying_changes_nothing_and_is_recorded(admin_user, monkeypatch):
    upload = stage(user=admin_user)
    run_tasks()
    plan_import_confirm(staged=upload, user=admin_user)

    def half_then_fail(*, rows):
        Action.objects.create(code="9.9(z)", commitment_id=0, sector_id=0, text="x")
        raise RuntimeError("disk full")

    monkeypatch.setattr(plan_imports, "plan_import", half_then_fail)
    run_tasks()
    upload = reload(upload)
    assert upload.state == "failed" and "could not be saved" in upload.error
    assert not Action.objects.exists() and upload.applied_at is None


def test_a_failed_upload_is_checked_again_from_the_start_when_retried(admin_user, monkeypatch):
    monkeypatch.setattr(plan_imports, "plan_preview", lambda rows, warnings, plan: 1 / 0)
    upload = stage(user=admin_user)
    run_tasks()
    monkeypatch.undo()
    assert staged_upload_retry(kind=PLAN, upload=reload(upload))
    assert not staged_upload_retry(kind=PLAN, upload=reload(upload))  # not failed any more
    assert reload(upload).state == "received"
    assert run_tasks() == 1
    assert reload(upload).state == "ready" and reload(upload).error == ""


def test_only_a_failed_upload_can_be_retried(admin_user):
    upload = stage(user=admin_user)
    run_tasks()
    assert not staged_upload_retry(kind=PLAN, upload=upload)
    assert reload(upload).state == "ready"


# The pages --------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_the_page_refreshes_itself_only_while_a_job_is_queued_or_running(admin_client):
    upload = stage()
    url = reverse("spreadsheets:plan_import_preview", args=[upload.pk])
    for state in ("received", "checking", "applying"):
        StagedUpload.objects.filter(pk=upload.pk).update(state=state)
        page = admin_client.get(url).content.decode()
        assert '<meta http-equiv="refresh" content="3">' in page, state
        assert "Check again" in page and "Stop refreshing this page" in page
    StagedUpload.objects.filter(pk=upload.pk).update(applied_at=timezone.now())
    for state in ("ready", "refused", "applied", "failed"):
        StagedUpload.objects.filter(pk=upload.pk).update(
            state=state, preview={"counts": {}, "commitments": [], "warnings": []}
        )
        page = admin_client.get(url).content.decode()
        assert REFRESH not in page and "Check again" not in page, state


def test_a_reader_can_stop_the_refreshing(admin_client):
    url = reverse("spreadsheets:plan_import_preview", args=[stage().pk])
    page = admin_client.get(url + "?refresh=off").content.decode()
    assert REFRESH not in page and "We are checking your file" in page
    assert f'href="{url}?refresh=off"' in page  # Check again keeps it stopped


def test_a_failed_import_says_so_and_offers_admins_another_check(admin_client, monkeypatch):
    monkeypatch.setattr(plan_imports, "plan_preview", lambda rows, warnings, plan: 1 / 0)
    upload = stage()
    run_tasks()
    monkeypatch.undo()
    url = reverse("spreadsheets:plan_import_preview", args=[upload.pk])
    page = admin_client.get(url).content.decode()
    assert "The import failed" in page and "ZeroDivisionError" in page
    assert "Check the file again" in page and REFRESH not in page
    response = admin_client.post(reverse("spreadsheets:plan_import_retry", args=[upload.pk]))
    assert response["Location"] == url and reload(upload).state == "received"


def test_retrying_is_for_admins_only(client, db):
    upload = stage()
    StagedUpload.objects.filter(pk=upload.pk).update(state="failed")
    for role in ("Officer", "Board member"):
        client.force_login(UserFactory(role=role))
        assert (
            client.post(reverse("spreadsheets:plan_import_retry", args=[upload.pk])).status_code
            == 403
        )
    assert reload(upload).state == "failed"


def test_the_progress_page_query_count(admin_client, django_assert_num_queries):
    url = reverse("spreadsheets:plan_import_preview", args=[stage().pk])
    # The session, the user, the upload and the user's permissions.
    with django_assert_num_queries(4):
        admin_client.get(url)


def test_the_import_page_lists_uploads_in_every_state(admin_client):
    stage()
    refused = stage(b"nonsense")
    run_tasks()
    page = admin_client.get(reverse("spreadsheets:plan_import_start")).content.decode()
    assert "Ready to confirm" in page and "Not accepted" in page
    assert reverse("spreadsheets:plan_import_preview", args=[refused.pk]) in page


def test_a_large_upload_is_only_kept_by_the_request(admin_client, settings):
    """The request does not open the workbook: a 10 MB file costs a hash and an INSERT."""
    data = PLAN_WORKBOOK.read_bytes()
    upload = SimpleUploadedFile("plan.xlsx", data)
    admin_client.post(reverse("spreadsheets:plan_import_start"), {"plan": "eis", "file": upload})
    staged = StagedUpload.objects.get()
    assert staged.state == "received" and bytes(staged.content) == data
    assert io.BytesIO(bytes(staged.content)).read(2) == b"PK"
