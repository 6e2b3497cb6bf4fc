"""The plan with its figures as a workbook is prepared by the worker, never in a request:
asking queues it, the worker builds it for the person who asked, and only they see its page
or download it; a failure is recorded and shown, and reading the page never retries it."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from actions.models import Action
from boards.selectors import Remit
from kpis.selectors import actions_led_by
from spreadsheets import prepared_downloads
from spreadsheets.models import PreparedDownload
from spreadsheets.plan_export import ExportScope, plan_export_bytes
from tests.conftest import prepared_workbook, run_tasks
from tests.factories import BoardFactory, ProgressUpdateFactory, UserFactory

pytestmark = pytest.mark.django_db
PREPARE = "spreadsheets:plan_export_prepare"


@pytest.fixture
def drafted(lead, led_action, open_term):
    """A draft of the lead's own action: in their workbook, in nobody else's."""
    ProgressUpdateFactory(
        action=led_action, term=open_term, status="draft", rating="green", progress="Draft words"
    )
    return led_action


def sheets(data: bytes) -> dict[str, list[tuple]]:
    """Every sheet's cell values: two builds of one workbook differ only in its timestamps."""
    book = load_workbook(io.BytesIO(data))
    return {sheet.title: list(sheet.values) for sheet in book.worksheets}


def asked(client, data: dict) -> PreparedDownload:
    response = client.post(reverse(PREPARE), data)
    assert response.status_code == 302
    prepared = PreparedDownload.objects.latest("pk")
    assert response["Location"] == reverse("spreadsheets:prepared_download", args=[prepared.pk])
    return prepared


def test_asking_queues_the_workbook_and_builds_nothing_in_the_request(client, lead, drafted):
    client.force_login(lead)
    prepared = asked(client, {"plan": "eis", "mine": "1"})
    assert prepared.state == "queued" and prepared.content is None
    assert (prepared.scope, prepared.title) == ("mine", "The actions you lead")
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    page = client.get(reverse("spreadsheets:prepared_download", args=[prepared.pk]))
    assert page.status_code == 202
    html = page.content.decode()
    assert "Preparing the workbook" in html and "Stop refreshing this page" in html
    assert '<meta http-equiv="refresh"' in html


def test_asking_again_while_it_is_prepared_reuses_the_job(client, lead, drafted):
    client.force_login(lead)
    first = asked(client, {"plan": "eis", "mine": "1"})
    assert asked(client, {"plan": "eis", "mine": "1"}).pk == first.pk
    whole = asked(client, {"plan": "eis"})
    assert whole.pk != first.pk
    assert run_tasks() == 2
    # Once it is ready, asking again prepares it afresh, with the figures as they are then.
    assert asked(client, {"plan": "eis", "mine": "1"}).pk not in (first.pk, whole.pk)


def test_a_stalled_workbook_is_not_waited_on_for_ever(client, lead, drafted):
    client.force_login(lead)
    stalled = asked(client, {"plan": "eis"})
    PreparedDownload.objects.filter(pk=stalled.pk).update(
        state="running", created_at=timezone.now() - prepared_downloads.STALLED_AFTER * 2
    )
    assert asked(client, {"plan": "eis"}).pk != stalled.pk


@pytest.mark.parametrize(
    ("data", "name"),
    [({"plan": "eis"}, "eis-plan-with-figures.xlsx"), ({"plan": "eis", "mine": "1"}, None)],
)
def test_the_download_is_the_workbook_the_request_used_to_build(client, lead, drafted, data, name):
    client.force_login(lead)
    response = prepared_workbook(client, data)
    mine = "mine" in data
    name = name or "eis-my-actions.xlsx"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert {"private", "no-store"} <= {p.strip() for p in response["Cache-Control"].split(",")}
    actions = actions_led_by(lead) if mine else Action.objects.all()
    title = "The actions you lead" if mine else f"The whole {drafted.plan.name}"
    expected = plan_export_bytes(ExportScope(actions, title, lead), timezone.localdate())
    assert sheets(response.content) == sheets(expected)
    assert "Draft words" in str(sheets(response.content))


def test_a_boards_remit_is_prepared_from_the_boards_page(client, lead, drafted):
    board = BoardFactory(slug="education-board")
    client.force_login(lead)
    page = client.get(reverse("boards:dashboard", args=[board.slug])).content.decode()
    assert 'name="board" value="education-board"' in page
    response = prepared_workbook(client, {"board": board.slug})
    assert 'filename="education-board-plan-with-figures.xlsx"' in response["Content-Disposition"]
    scope = ExportScope(Remit.of(board).actions(), f"{board.name}: {board.remit}", lead)
    expected = plan_export_bytes(scope, timezone.localdate())
    assert sheets(response.content) == sheets(expected)


def test_the_ready_page_links_to_the_download_with_its_size(client, lead, drafted):
    client.force_login(lead)
    prepared = asked(client, {"plan": "eis", "mine": "1"})
    run_tasks()
    page = client.get(reverse("spreadsheets:prepared_download", args=[prepared.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    prepared.refresh_from_db()
    assert prepared.state == "ready" and prepared.size == len(prepared.content)
    assert f"Download the workbook (.xlsx, {prepared.size_mb} MB)" in html
    assert reverse("spreadsheets:prepared_download_file", args=[prepared.pk]) in html
    assert "data-eis-poll-url" not in html and 'http-equiv="refresh"' not in html


def test_nobody_else_sees_or_downloads_it(client, lead, drafted, admin_user):
    client.force_login(lead)
    prepared = asked(client, {"plan": "eis", "mine": "1"})
    run_tasks()
    urls = [
        reverse("spreadsheets:prepared_download", args=[prepared.pk]),
        reverse("spreadsheets:prepared_download_file", args=[prepared.pk]),
    ]
    for other in (UserFactory(username="other", role="Officer"), admin_user):
        client.force_login(other)
        assert [client.get(url).status_code for url in urls] == [404, 404]
        listed = client.get(reverse("spreadsheets:round_trip_start")).content.decode()
        assert urls[0] not in listed
    client.logout()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_old_download_addresses_change_nothing(client, lead, drafted):
    board = BoardFactory(slug="education-board")
    client.force_login(lead)
    old = {
        reverse("spreadsheets:plan_export") + "?plan=eis&mine=1": "spreadsheets:round_trip_start",
        reverse("boards:board_export", args=[board.slug]): "boards:dashboard",
    }
    for url, page in old.items():
        response = client.get(url)
        assert response.status_code == 302
        args = [board.slug] if page == "boards:dashboard" else []
        assert response["Location"] == reverse(page, args=args)
    assert PreparedDownload.objects.count() == 0
    assert DBTaskResult.objects.count() == 0


def test_a_failure_is_shown_and_not_retried_by_reading_the_page(client, lead, drafted, monkeypatch):
    def broken(scope, today):
        raise MemoryError

    monkeypatch.setattr(prepared_downloads, "plan_export_bytes", broken)
    client.force_login(lead)
    prepared = asked(client, {"plan": "eis"})
    run_tasks()
    prepared.refresh_from_db()
    assert prepared.state == "failed" and prepared.content is None
    assert "MemoryError" in prepared.error
    url = reverse("spreadsheets:prepared_download", args=[prepared.pk])
    for _ in range(2):
        html = client.get(url).content.decode()
        assert "The workbook could not be prepared" in html and prepared.error in html
        assert "data-eis-poll-url" not in html
    assert DBTaskResult.objects.filter(status="READY").count() == 0
    download = client.get(reverse("spreadsheets:prepared_download_file", args=[prepared.pk]))
    assert download["Location"] == url
    assert PreparedDownload.objects.get(pk=prepared.pk).state == "failed"


def test_finished_workbooks_older_than_a_day_are_deleted_by_the_next_job(client, lead, drafted):
    client.force_login(lead)
    old = asked(client, {"plan": "eis"})
    run_tasks()
    PreparedDownload.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - prepared_downloads.KEPT_FOR * 2
    )
    asked(client, {"plan": "eis", "mine": "1"})
    run_tasks()
    assert not PreparedDownload.objects.filter(pk=old.pk).exists()


def test_the_page_names_what_the_workbook_covers_and_its_plan_once(client, lead, drafted):
    client.force_login(lead)
    caption = '<span class="govuk-caption-l">{}</span>'
    whole = asked(client, {"plan": "eis"})
    mine = asked(client, {"plan": "eis", "mine": "1"})
    name = whole.plan.name

    page = client.get(reverse("spreadsheets:prepared_download", args=[whole.pk])).content.decode()
    assert caption.format(f"The whole {name}") in page  # not "The whole … · …" again
    page = client.get(reverse("spreadsheets:prepared_download", args=[mine.pk])).content.decode()
    assert caption.format(f"The actions you lead · {name}") in page
