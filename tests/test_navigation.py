"""The layout every page shares: the navigation each role sees, and the addresses it links to."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse, set_script_prefix

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EVERYONE = ["Dashboard", "Actions", "KPIs", "Boards"]
LEADS = ["My actions", "Excel"]
ADMINS = ["Approvals", "Plans", "Reporting period", "Import plan", "Data feed", "Administration"]


def navigation(html: str) -> list[tuple[str, str, bool]]:
    """(label, href, current) for each link in the service navigation."""
    menu = re.search(r'<ul class="govuk-service-navigation__list".*?</ul>', html, re.S)[0]
    return [
        (label.strip(), href, bool(current))
        for href, current, label in re.findall(
            r'<a class="govuk-service-navigation__link" href="([^"]+)"( aria-current="page")?>'
            r"([^<]+)</a>",
            menu,
        )
    ]


def labels(client, path="/") -> list[str]:
    return [label for label, _, _ in navigation(client.get(path).content.decode())]


def test_each_role_sees_its_own_navigation(client, board_member, officer, admin_user):
    client.force_login(board_member)
    assert labels(client) == EVERYONE
    client.force_login(officer)
    assert labels(client) == EVERYONE + LEADS
    client.force_login(admin_user)
    assert labels(client) == EVERYONE + LEADS + ADMINS


def test_an_approver_who_is_not_an_admin_sees_approvals(client):
    approver = UserFactory(role="Board member")
    approver.user_permissions.add(Permission.objects.get(codename="approve_progressupdate"))
    client.force_login(approver)
    assert labels(client) == [*EVERYONE, "Approvals"]


def test_links_point_at_their_pages_and_the_current_one_is_marked(client, admin_user):
    client.force_login(admin_user)
    links = navigation(client.get(reverse("actions:list")).content.decode())
    assert ("Dashboard", "/", False) in links
    assert ("Actions", reverse("actions:list"), True) in links
    assert ("Import plan", reverse("spreadsheets:plan_import_start"), False) in links
    assert ("Administration", reverse("admin:index"), False) in links
    assert [label for label, _, current in links if current] == ["Actions"]


def test_sign_out_and_the_timeout_warning_post_to_their_addresses(board_client):
    html = board_client.get("/").content.decode()
    assert html.count(f'action="{reverse("logout")}"') == 2  # the navigation and the warning
    assert f'action="{reverse("session_refresh")}"' in html
    assert f'data-sign-in-url="{reverse("login")}"' in html
    assert '<a href="/">Bury Council' in html


def test_the_sign_in_page_has_no_navigation(client):
    html = client.get(reverse("login")).content.decode()
    assert "govuk-service-navigation__list" not in html
    assert '<a href="/">Bury Council' in html


def test_links_carry_the_prefix_the_service_is_mounted_under(board_client):
    """Behind a proxy at /eis/ every address starts /eis/, however often pages were served."""
    board_client.get("/")  # addresses already worked out without a prefix
    set_script_prefix("/eis/")  # what Django's WSGI handler does for SCRIPT_NAME=/eis
    try:
        html = board_client.get("/").content.decode()
    finally:
        set_script_prefix("/")
    assert [href for _, href, _ in navigation(html)] == [
        "/eis/",
        "/eis/actions/",
        "/eis/kpis/",
        "/eis/boards/",
    ]
    assert 'action="/eis/logout/"' in html
    assert '<a href="/eis/">Bury Council' in html


def test_a_role_given_in_the_admin_applies_from_the_next_page(client):
    """Roles are read once per request, never kept between requests."""
    from django.contrib.auth.models import Group

    user = UserFactory(role="Board member")
    client.force_login(user)
    assert labels(client) == EVERYONE
    user.groups.add(Group.objects.get(name="Officer"))
    assert labels(client) == EVERYONE + LEADS


@pytest.mark.parametrize(
    ("role", "lands_on"),
    [("Officer", "/my/"), ("Board member", "/"), ("Admin", "/")],
)
def test_signing_in_lands_each_role_where_its_work_is(client, role, lands_on):
    """Officers landed on the dashboard and had to find My actions."""
    UserFactory(username="someone", role=role, password="a long test password")
    response = client.post(
        reverse("login"), {"username": "someone", "password": "a long test password"}
    )
    assert client.get(response["Location"])["Location"] == lands_on


def test_a_sign_in_asked_for_elsewhere_still_goes_there(client):
    UserFactory(username="someone", role="Officer", password="a long test password")
    response = client.post(
        reverse("login") + "?next=/kpis/",
        {"username": "someone", "password": "a long test password", "next": "/kpis/"},
    )
    assert response["Location"] == "/kpis/"
