import re

import pytest
from django.urls import reverse

from actions.models import Action
from tests.factories import (
    ActionFactory,
    KPIFactory,
    KPIValueFactory,
    ProgressUpdateFactory,
    TermFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def action():
    action = ActionFactory(code="1.1(a)", lead_description="Virtual School Head")
    term = TermFactory()
    kpi = KPIFactory(action=action, ref="i", target_not_agreed=False, target_value=90)
    KPIFactory(action=action, ref="ii", text="Staff confidence", unit="")
    KPIValueFactory(kpi=kpi, term=term, value=92.5, status="green")
    ProgressUpdateFactory(action=action, term=term, rating="amber", next_steps="Recovery plan")
    return action


def urls(action: Action) -> list[str]:
    return [
        reverse("home"),
        reverse("actions:commitment", args=[action.commitment.number]),
        reverse("actions:list"),
        reverse("kpis:action", args=[action.pk]),
    ]


def test_anonymous_users_are_sent_to_sign_in(client, action):
    for url in urls(action):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("role", ["Admin", "Officer", "Board member"])
def test_every_role_can_read_the_plan(client, action, role):
    client.force_login(UserFactory(role=role))
    for url in urls(action):
        assert client.get(url).status_code == 200, url


def test_an_account_without_a_role_is_forbidden(client, action):
    client.force_login(UserFactory())
    for url in urls(action):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "has not been given a role" in response.content.decode()


def test_the_login_page_is_open_and_signs_in(client):
    UserFactory(username="priya", role="Officer")
    assert client.get(reverse("login")).status_code == 200
    response = client.post(
        reverse("login"), {"username": "priya", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("start")  # then My actions, by role


def test_a_wrong_password_is_shown_in_an_error_summary(client):
    UserFactory(username="priya", role="Officer")
    response = client.post(reverse("login"), {"username": "priya", "password": "wrong"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "govuk-error-summary" in page


def test_sign_out_needs_a_post(officer_client):
    assert officer_client.get(reverse("logout")).status_code == 405
    assert officer_client.post(reverse("logout")).status_code == 302


def test_action_detail_shows_kpis_targets_latest_values_and_rating(board_client, action):
    page = board_client.get(reverse("kpis:action", args=[action.pk])).content.decode()
    assert "Virtual School Head" in page
    assert "92.5%" in page
    assert "Target not yet agreed" in page
    assert 'eis-rating--amber">Amber<' in page
    assert "Recovery plan" in page


def test_action_detail_hides_updates_that_are_not_approved(board_client, action):
    other_term = TermFactory(academic_year="2024/25")
    ProgressUpdateFactory(action=action, term=other_term, status="draft", progress="Secret draft")
    page = board_client.get(reverse("kpis:action", args=[action.pk])).content.decode()
    assert "Secret draft" not in page


def test_unknown_action_is_404(board_client):
    assert board_client.get(reverse("kpis:action", args=[999])).status_code == 404


def test_lead_column_falls_back_to_the_officers_who_update_it(board_client, action):
    unnamed = ActionFactory(code="1.1(b)", lead_description="")
    unnamed.leads.add(UserFactory(first_name="Hannah", last_name="Clarke"))
    ActionFactory(code="1.1(c)", lead_description="")
    page = board_client.get(reverse("actions:list")).content.decode()
    assert "Virtual School Head" in page
    assert "Hannah Clarke" in page
    assert "Not yet assigned" in page


def test_action_list_filters_by_search_text(board_client, action):
    ActionFactory(code="1.1(b)", text="Early identification")
    page = board_client.get(reverse("actions:list"), {"q": "early ident"}).content.decode()
    assert "1.1(b)" in page
    assert ">1.1(a)<" not in page


def test_action_list_filters_by_sector(board_client, action):
    other = ActionFactory(code="1.2(a)", sector__position=2)
    page = board_client.get(reverse("actions:list"), {"sector": other.sector.pk}).content.decode()
    assert ">1.2(a)<" in page
    assert ">1.1(a)<" not in page


def test_action_list_filters_by_commitment(board_client, action):
    other = ActionFactory(code="2.1(a)", commitment__number=2)
    url = reverse("actions:list")
    page = board_client.get(url, {"commitment": other.commitment.pk}).content.decode()
    assert ">2.1(a)<" in page
    assert ">1.1(a)<" not in page


def test_action_list_filters_by_rating_in_the_term(board_client, action):
    ActionFactory(code="1.1(b)")
    amber = board_client.get(reverse("actions:list"), {"rating": "amber"}).content.decode()
    none = board_client.get(reverse("actions:list"), {"rating": "none"}).content.decode()
    assert ">1.1(a)<" in amber and ">1.1(b)<" not in amber
    assert ">1.1(b)<" in none and ">1.1(a)<" not in none


@pytest.mark.parametrize(
    "column",
    ["code", "text", "sector", "lead_description", "kpi_count", "rating", "movement"],
)
@pytest.mark.parametrize("direction", ["", "-"])
def test_action_list_sorts_by_every_column(board_client, action, column, direction):
    ActionFactory(code="1.1(b)")
    response = board_client.get(reverse("actions:list"), {"sort": f"{direction}{column}"})
    assert response.status_code == 200
    assert 'aria-sort="' in response.content.decode()


def test_action_list_query_count_does_not_grow_with_rows(board_client, django_assert_num_queries):
    for letter in "abcdefghij":
        action = ActionFactory(code=f"1.1({letter})")
        KPIFactory(action=action)
        ProgressUpdateFactory(action=action, term=TermFactory())
    # session, user with the data version, groups, terms, commitments + sectors + leads
    # for the filter form, whether the plan dates its actions (the schedule columns), count,
    # rows, leads, the approver permission for the navigation
    with django_assert_num_queries(14):
        response = board_client.get(reverse("actions:list"))
    assert len(re.findall(r'href="/actions/\d+/"', response.content.decode())) == 10


def test_action_detail_query_count_does_not_grow_with_kpis(board_client, django_assert_num_queries):
    action = ActionFactory()
    term = TermFactory()
    ProgressUpdateFactory(action=action, term=term)
    for ref in ["i", "ii", "iii", "iv", "v", "vi"]:
        KPIValueFactory(kpi=KPIFactory(action=action, ref=ref), term=term, value=50)
    # session, user with the data version, groups, action, leads, updates, terms, kpis,
    # values, comparisons, links to and from it, the approver permission
    with django_assert_num_queries(13):
        response = board_client.get(reverse("kpis:action", args=[action.pk]))
    page = response.content.decode()
    assert page.count("eis-kpi-ref") == 6
    assert page.count('class="eis-chart eis-chart--wide"') == 6
    assert page.count('class="eis-chart eis-chart--narrow"') == 6  # the phone drawing


def test_commitment_page_query_count(board_client, action, django_assert_num_queries):
    # session, user with the data version, groups, plan, commitment, terms, actions, leads,
    # actions linking to it, its measures, shared measures, the approver permission
    with django_assert_num_queries(12):
        board_client.get(reverse("actions:commitment", args=[1]))


def test_the_action_page_does_not_say_not_assigned_beside_a_named_officer(board_client):
    """It read 'Lead (as in the plan): Not yet assigned' above 'Officers who update it:
    Hannah Clarke'."""
    unnamed = ActionFactory(code="1.1(b)", lead_description="")
    unnamed.leads.add(UserFactory(first_name="Hannah", last_name="Clarke"))
    page = board_client.get(reverse("kpis:action", args=[unnamed.pk])).content.decode()
    assert "Not yet assigned" not in page and "Lead (as in the plan)" not in page
    assert "Hannah Clarke" in page
    named = ActionFactory(code="1.1(c)", lead_description="Virtual School Head")
    page = board_client.get(reverse("kpis:action", args=[named.pk])).content.decode()
    assert "Lead (as in the plan)" in page and "Virtual School Head" in page


def test_an_action_with_no_approved_figures_says_so_under_trends(board_client):
    """It showed a 'Trends' heading with nothing under it."""
    action = ActionFactory(code="1.1(d)")
    KPIFactory(action=action, ref="i")
    page = board_client.get(reverse("kpis:action", args=[action.pk])).content.decode()
    trends = page[page.index('id="trends"') : page.index('id="ratings"')]
    assert "No approved figures yet." in trends
    assert "<svg" not in trends
