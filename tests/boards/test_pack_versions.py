"""A version a later one replaced says so to board members; publishing goes through a page
that shows the public version exactly as it will be published."""

import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from boards import services
from boards.models import BoardPack
from boards.services import board_pack_generate, board_pack_pdf_request, board_pack_publish
from kpis.standings import standings_refresh
from tests.conftest import generated_pack, run_tasks
from tests.factories import (
    ActionFactory,
    KPIFactory,
    KPIValueFactory,
    MeetingFactory,
    ProgressUpdateFactory,
    TermFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def term():
    return TermFactory()


@pytest.fixture
def meeting(term):
    action = ActionFactory(code="1.1(a)")
    ProgressUpdateFactory(action=action, term=term, rating="red", risks="Staff cover")
    kpi = KPIFactory(action=action, ref="i", text="Pupils with a plan")
    KPIValueFactory(kpi=kpi, term=term, value=None, numerator=3, denominator=40, note="School X")
    standings_refresh()
    return MeetingFactory(date=date(2026, 3, 17))


@pytest.fixture
def admin(db):
    return UserFactory(username="pack-admin", role="Admin")


@pytest.fixture
def member(meeting):
    user = UserFactory(username="pack-member", role="Board member")
    meeting.board.members.add(user)
    return user


@pytest.fixture
def versions(meeting, term, admin):
    return [generated_pack(meeting=meeting, term=term, user=admin) for _ in range(2)]


def get(client, user, name, pk) -> str:
    client.force_login(user)
    return unescape(client.get(reverse(name, args=[pk])).content.decode())


def pdf_html(monkeypatch, pack) -> str:
    seen = []
    monkeypatch.setattr(services, "html_to_pdf", lambda html: seen.append(html) or b"%PDF-x")
    board_pack_pdf_request(pack=pack, public=False)
    run_tasks()
    return seen[-1]


# Superseded versions


def test_an_earlier_version_says_which_version_superseded_it(client, member, versions):
    first, second = versions
    page = get(client, member, "boards:pack", first.pk)
    assert "Superseded by version 2" in page
    assert f'href="{reverse("boards:pack", args=[second.pk])}"' in page
    assert "Superseded" not in get(client, member, "boards:pack", second.pk)


def test_the_meeting_page_marks_superseded_versions_with_a_link(client, member, versions):
    first, second = versions
    page = get(client, member, "boards:meeting", first.meeting_id)
    assert page.count("Superseded by") == 1
    link = f'<a class="govuk-link" href="{reverse("boards:pack", args=[second.pk])}">version 2'
    assert link in page


def test_a_version_that_failed_supersedes_nothing(client, member, meeting, term, admin):
    first = generated_pack(meeting=meeting, term=term, user=admin)
    failed = board_pack_generate(meeting=meeting, term=term, user=admin)
    BoardPack.objects.filter(pk=failed.pk).update(state="failed", error="A fault.")
    assert "Superseded" not in get(client, member, "boards:pack", first.pk)
    assert "Superseded" not in get(client, member, "boards:meeting", meeting.pk)


def test_the_restricted_pdf_of_a_superseded_version_says_so(monkeypatch, meeting, term, admin):
    first = generated_pack(meeting=meeting, term=term, user=admin)
    assert "Superseded" not in pdf_html(monkeypatch, first)
    first.refresh_from_db()
    assert first.pdf_state == "rendered"
    board_pack_publish(pack=first, user=admin)
    BoardPack.objects.filter(pk=first.pk).update(public_pdf=b"%PDF-p", public_pdf_state="rendered")
    generated_pack(meeting=meeting, term=term, user=admin)
    first.refresh_from_db()
    assert first.pdf_state == "not_requested" and first.pdf is None  # made again when asked
    assert first.public_pdf_state == "rendered"  # what the public read does not change
    html = pdf_html(monkeypatch, first)
    assert "Superseded by version 2" in html


def test_the_public_version_of_a_superseded_pack_does_not_point_at_restricted_ones(
    client, admin, versions
):
    first = board_pack_publish(pack=versions[0], user=admin)
    client.logout()
    url = reverse("boards:public_pack", args=[first.public_token])
    assert "Superseded" not in client.get(url).content.decode()


# Publishing through a check of the public version


def body(html: str) -> str:
    """The pack itself, from its opening to the end of its last section, with the title's
    heading level (h1 on its own page, h2 inside the check page) set aside."""
    start = html.index('<div class="eis-pack">')
    end = html.index("</section>\n</div>", html.rindex("</article>"))
    found = html[start:end]
    return re.sub(r"<(/?)h[12]( class=\"govuk-heading-xl\" id=\"pack-title\")?>", r"<\1h>", found)


def test_publish_asks_first_and_shows_the_public_version(client, admin, versions):
    pack = versions[1]
    page = get(client, admin, "boards:pack", pack.pk)
    check = reverse("boards:pack_publish_check", args=[pack.pk])
    assert f'href="{check}">Publish the public version</a>' in page
    assert f'action="{reverse("boards:pack_publish", args=[pack.pk])}"' not in page
    preview = get(client, admin, "boards:pack_publish_check", pack.pk)
    assert "Check the public version before you publish it" in preview
    assert "Public version" in preview and "[c]" in preview
    assert "Staff cover" not in preview and "School X" not in preview
    assert "1 figure is shown as" in preview
    assert f'action="{reverse("boards:pack_publish", args=[pack.pk])}"' in preview
    assert (
        f'<a class="govuk-link" href="{reverse("boards:pack", args=[pack.pk])}">Cancel' in preview
    )
    pack.refresh_from_db()
    assert not pack.is_published and pack.public_content is None  # looking changes nothing


def test_what_is_published_is_exactly_what_the_check_showed(client, admin, versions):
    pack = versions[1]
    preview = get(client, admin, "boards:pack_publish_check", pack.pk)
    client.post(reverse("boards:pack_publish", args=[pack.pk]))
    pack.refresh_from_db()
    client.logout()
    public = client.get(reverse("boards:public_pack", args=[pack.public_token]))
    assert body(unescape(public.content.decode())) == body(preview)


def test_only_admins_see_the_check_and_not_once_published(client, member, admin, versions):
    pack = versions[1]
    url = reverse("boards:pack_publish_check", args=[pack.pk])
    client.force_login(member)
    assert client.get(url).status_code == 403
    board_pack_publish(pack=pack, user=admin)
    client.force_login(admin)
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("boards:pack", args=[pack.pk])
    assert "already published" in response.content.decode()


def test_a_pack_still_being_prepared_cannot_be_checked(client, meeting, term, admin):
    pack = board_pack_generate(meeting=meeting, term=term, user=admin)
    client.force_login(admin)
    response = client.get(reverse("boards:pack_publish_check", args=[pack.pk]))
    assert response["Location"] == reverse("boards:pack", args=[pack.pk])
