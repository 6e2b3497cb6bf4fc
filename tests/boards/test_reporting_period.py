"""The published reporting period: an admin's deliberate step, shown with its completeness."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from actions.models import Plan, Term
from actions.services import term_publish
from boards.selectors import Remit, completeness
from kpis.standings import standings_refresh
from tests.factories import (
    ActionFactory,
    CommitmentFactory,
    MeetingFactory,
    ProgressUpdateFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def summer_reports(terms):
    """Four live actions and a retired one in Summer 2026: two approved, one submitted, one
    draft; the retired action's approved update counts nowhere."""
    _, summer = terms
    states = ["approved", "approved", "submitted", "draft"]
    for state in states:
        ProgressUpdateFactory(action=ActionFactory(), term=summer, status=state, rating="green")
    retired = ActionFactory(retired_at="2026-05-01T00:00Z")
    ProgressUpdateFactory(action=retired, term=summer, status="approved", rating="red")
    standings_refresh()
    return summer


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_completeness_counts_approved_awaiting_and_nothing(summer_reports, terms):
    spring, summer = terms
    found = completeness([spring, summer], Remit.whole(Plan.objects.get(slug="eis")))
    assert (found[summer.pk].approved, found[summer.pk].awaiting) == (2, 1)
    assert found[summer.pk].no_update == 1  # the draft: the board sees nothing of it
    assert found[summer.pk].sentence == (
        "2 of 4 actions approved for Summer 2026 · 2 no update: "
        "1 awaiting approval, 1 not submitted"
    )
    assert found[spring.pk].sentence == (
        "0 of 4 actions approved for Spring 2026 · 4 no update: "
        "0 awaiting approval, 4 not submitted"
    )


def test_the_page_shows_every_terms_completeness(admin_client, summer_reports):
    page = admin_client.get(reverse("boards:reporting_period")).content.decode()
    assert "No reporting period has been published yet" in page
    assert "2 of 4" in page and "0 of 4" in page


def test_choosing_nothing_says_what_to_do(admin_client, summer_reports):
    response = admin_client.get(reverse("boards:reporting_period"), {"term": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Select the reporting period to publish" in page
    assert 'href="#id_term_0"' in page and 'id="id_term_0"' in page


def test_publishing_is_a_second_step_after_seeing_completeness(admin_client, summer_reports):
    summer = summer_reports
    chosen = admin_client.get(reverse("boards:reporting_period"), {"term": summer.pk})
    check = reverse("boards:reporting_period_check", args=[summer.pk])
    assert chosen["Location"] == check
    page = admin_client.get(check).content.decode()
    assert (
        "2 of 4 actions approved for Summer 2026 · 2 no update: "
        "1 awaiting approval, 1 not submitted" in page
    )
    assert "2 actions have no approved update for Summer 2026" in page
    assert not Term.objects.filter(is_published=True).exists()  # looking changes nothing

    admin_client.post(reverse("boards:reporting_period_publish", args=[summer.pk]))
    assert list(Term.objects.filter(is_published=True)) == [summer]
    home = admin_client.get(reverse("home")).content.decode()
    assert "4 actions in Summer 2026" in home


def test_publishing_another_term_moves_the_period(terms):
    spring, summer = terms
    term_publish(spring)
    term_publish(summer)
    assert list(Term.objects.filter(is_published=True)) == [summer]
    assert summer.history.first().is_published  # the audit trail has it


def test_the_database_refuses_two_published_terms(terms):
    spring, summer = terms
    Term.objects.filter(pk=spring.pk).update(is_published=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Term.objects.filter(pk=summer.pk).update(is_published=True)


def test_new_board_packs_default_to_the_published_period(admin_client, summer_reports, terms):
    spring, summer = terms
    term_publish(spring)
    meeting = MeetingFactory()
    page = admin_client.get(reverse("boards:meeting", args=[meeting.pk])).content.decode()
    assert (
        f'<option value="{spring.pk}" selected>Spring 2026 (the published reporting period)' in page
    )
    assert f'<option value="{summer.pk}">Summer 2026</option>' in page


def test_an_update_awaiting_approval_counts_only_within_the_remit(terms):
    """A board's remit counts the submitted updates of its own live actions: not another
    commitment's, not a retired action's."""
    _, summer = terms
    inside = ActionFactory()
    other = ActionFactory(commitment=CommitmentFactory(number=2), code="2.1(a)")
    retired = ActionFactory(commitment=inside.commitment, retired_at="2026-05-01T00:00Z")
    for action in (inside, other, retired):
        ProgressUpdateFactory(action=action, term=summer, status="submitted", rating="green")
    standings_refresh()
    plan = Plan.objects.get(slug="eis")
    remit = Remit(plan_id=plan.pk, commitment_ids=frozenset({inside.commitment_id}))

    assert completeness([summer], remit)[summer.pk].awaiting == 1
    assert completeness([summer], Remit.whole(plan))[summer.pk].awaiting == 2
