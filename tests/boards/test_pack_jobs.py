"""Board packs prepared by the worker, and PDFs made once, whoever asks, never in a request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from boards import services
from boards.models import BoardPack
from boards.services import (
    board_pack_generate,
    board_pack_pdf_request,
    board_pack_publish,
    board_pack_withdraw,
)
from tests.conftest import generated_pack, run_tasks
from tests.factories import MeetingFactory, TermFactory, UserFactory

pytestmark = pytest.mark.django_db
REFRESH = 'http-equiv="refresh"'


@pytest.fixture
def admin(db):
    return UserFactory(username="pack-admin", role="Admin")


@pytest.fixture
def meeting(db):
    return MeetingFactory()


@pytest.fixture
def term(db):
    return TermFactory()


@pytest.fixture
def published(meeting, term, admin):
    return board_pack_publish(
        pack=generated_pack(meeting=meeting, term=term, user=admin), user=admin
    )


def fail_renders(monkeypatch) -> list:
    """Make every PDF render fail, counting the attempts."""
    attempts = []

    def broken(html):
        attempts.append(html)
        raise OSError("Pango is missing")

    monkeypatch.setattr(services, "html_to_pdf", broken)
    return attempts


def test_a_new_version_exists_at_once_being_prepared(meeting, term, admin):
    pack = board_pack_generate(meeting=meeting, term=term, user=admin)
    assert (pack.version, pack.state, pack.content) == (1, "preparing", None)
    assert DBTaskResult.objects.get().task_path == "boards.services.board_pack_prepare_job"
    assert run_tasks() == 1
    pack.refresh_from_db()
    assert pack.state == "ready" and pack.content["board"]["name"] == meeting.board.name


def test_the_pack_page_shows_progress_until_it_is_ready(client, meeting, term, admin):
    client.force_login(admin)
    response = client.post(reverse("boards:pack_generate", args=[meeting.pk]), {"term": term.pk})
    waiting = client.get(response["Location"])
    page = waiting.content.decode()
    assert waiting.status_code == 202 and "Preparing the board pack" in page
    assert '<meta http-equiv="refresh" content="3">' in page and "Check again" in page
    meeting_page = client.get(reverse("boards:meeting", args=[meeting.pk])).content.decode()
    assert "Being prepared" in meeting_page and REFRESH in meeting_page
    run_tasks()
    ready = client.get(response["Location"])
    assert ready.status_code == 200 and REFRESH not in ready.content.decode()
    meeting_page = client.get(reverse("boards:meeting", args=[meeting.pk])).content.decode()
    assert "Ready" in meeting_page and REFRESH not in meeting_page


def test_a_pack_that_fails_says_so_and_an_admin_prepares_it_again(
    client, meeting, term, admin, monkeypatch
):
    def broken(meeting, term):
        raise KeyError("term")

    monkeypatch.setattr(services, "pack_content", broken)
    pack = board_pack_generate(meeting=meeting, term=term, user=admin)
    run_tasks()
    pack.refresh_from_db()
    assert pack.state == "failed" and "(KeyError)" in pack.error
    assert DBTaskResult.objects.get().status == "FAILED"
    client.force_login(admin)
    page = client.get(reverse("boards:pack", args=[pack.pk])).content.decode()
    assert "could not be prepared" in page and "Prepare the pack again" in page
    assert REFRESH not in page
    monkeypatch.undo()
    client.post(reverse("boards:pack_retry", args=[pack.pk]))
    assert run_tasks() == 1
    pack.refresh_from_db()
    assert pack.state == "ready" and pack.error == ""


def test_only_admins_prepare_a_failed_pack_again(client, meeting, term, admin):
    pack = board_pack_generate(meeting=meeting, term=term, user=admin)
    BoardPack.objects.filter(pk=pack.pk).update(state="failed")
    member = UserFactory(role="Board member")
    meeting.board.members.add(member)
    client.force_login(member)
    assert client.post(reverse("boards:pack_retry", args=[pack.pk])).status_code == 403
    assert BoardPack.objects.get(pk=pack.pk).state == "failed"


def test_two_requests_claiming_the_same_pdf_queue_one_render(published):
    # Both loaded before either claimed: each sees the PDF not yet asked for.
    first, second = (BoardPack.objects.get(pk=published.pk) for _ in range(2))
    assert board_pack_pdf_request(pack=first, public=True) == "pending"
    assert board_pack_pdf_request(pack=second, public=True) == "pending"
    assert board_pack_pdf_request(pack=second, public=False) == "pending"  # its own render
    renders = DBTaskResult.objects.filter(task_path="boards.services.board_pack_render_job")
    assert sorted(r.args_kwargs["args"][1] for r in renders) == [False, True]


def test_anonymous_readers_never_render_a_pdf_in_the_request(client, published, monkeypatch):
    attempts = fail_renders(monkeypatch)
    url = reverse("boards:public_pack_pdf", args=[published.public_token])
    for _ in range(20):
        response = client.get(url)
        assert response.status_code == 202 and "Preparing the PDF" in response.content.decode()
    assert attempts == []  # nothing rendered by any of the twenty requests
    assert DBTaskResult.objects.filter(task_path__endswith="render_job").count() == 1


def test_the_pdf_is_rendered_once_by_the_worker_then_served(client, published):
    url = reverse("boards:public_pack_pdf", args=[published.public_token])
    assert client.get(url).status_code == 202
    assert run_tasks() == 1
    ready = client.get(url + "?wait=1")
    assert ready.status_code == 200 and "The PDF is ready" in ready.content.decode()
    assert REFRESH not in ready.content.decode()
    pdf = client.get(url)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert client.get(url).content == pdf.content and run_tasks() == 0


def test_the_pdf_progress_page_refreshes_to_the_ready_page(client, published):
    url = reverse("boards:public_pack_pdf", args=[published.public_token])
    page = client.get(url).content.decode()
    assert f'<meta http-equiv="refresh" content="3; url={url}?wait=1">' in page


def test_a_failed_render_is_recorded_once_and_not_retried_by_readers(
    client, published, admin, monkeypatch
):
    attempts = fail_renders(monkeypatch)
    url = reverse("boards:public_pack_pdf", args=[published.public_token])
    client.get(url)
    run_tasks()
    published.refresh_from_db()
    assert published.public_pdf_state == "failed" and "(OSError)" in published.public_pdf_error
    for _ in range(5):
        page = client.get(url)
        text = page.content.decode()
        assert page.status_code == 200 and "The PDF could not be made" in text
        assert REFRESH not in text and "Make the PDF again" not in text  # not for the public
    assert run_tasks() == 0 and len(attempts) == 1
    client.force_login(admin)
    pack_page = client.get(reverse("boards:pack", args=[published.pk])).content.decode()
    assert "Make the public PDF again" in pack_page and "Pango" not in pack_page
    monkeypatch.undo()
    client.post(reverse("boards:public_pdf_retry", args=[published.pk]))
    assert run_tasks() == 1
    published.refresh_from_db()
    assert published.public_pdf_state == "rendered" and published.public_pdf_error == ""


def test_a_render_finishing_after_the_pack_was_withdrawn_is_not_kept(published, monkeypatch):
    def withdraw_meanwhile(html):
        board_pack_withdraw(pack=BoardPack.objects.get(pk=published.pk))
        return b"%PDF-late"

    monkeypatch.setattr(services, "html_to_pdf", withdraw_meanwhile)
    board_pack_pdf_request(pack=published, public=True)
    run_tasks()
    published.refresh_from_db()
    assert published.public_pdf is None and published.public_pdf_state == "not_requested"


def test_a_pack_still_being_prepared_has_no_pdf_yet(client, meeting, term, admin):
    pack = board_pack_generate(meeting=meeting, term=term, user=admin)
    client.force_login(admin)
    response = client.get(reverse("boards:pack_pdf", args=[pack.pk]))
    assert response.status_code == 202 and "Preparing the board pack" in response.content.decode()
    assert DBTaskResult.objects.filter(task_path__endswith="render_job").count() == 0


def test_the_pdf_progress_page_query_count(client, published, django_assert_num_queries):
    url = reverse("boards:public_pack_pdf", args=[published.public_token])
    client.get(url)  # claims the render
    # The pack with its meeting, board and term, and nothing else: one render is queued
    # already, so a reader's request costs one query however many readers there are.
    with django_assert_num_queries(1):
        client.get(url)


@pytest.mark.parametrize("public", [False, True])
def test_asking_for_a_pdf_never_reads_the_packs_frozen_content(client, published, admin, public):
    """For the whole plan at scale the content takes seconds to read; a PDF request needs
    only the pack's state."""
    if public:
        url = reverse("boards:public_pack_pdf", args=[published.public_token])
    else:
        client.force_login(admin)
        url = reverse("boards:pack_pdf", args=[published.pk])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 202
    read = [q["sql"] for q in queries if 'FROM "boards_boardpack"' in q["sql"]]
    assert read and not [q for q in read if '"content"' in q or '"public_content"' in q]


def test_the_preparing_page_query_count(client, meeting, term, admin, django_assert_num_queries):
    pack = board_pack_generate(meeting=meeting, term=term, user=admin)
    client.force_login(admin)
    # The session, the user, the pack and the user's permissions.
    with django_assert_num_queries(4):
        client.get(reverse("boards:pack", args=[pack.pk]))
