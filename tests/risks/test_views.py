"""The risk register's pages: who may read, edit and review, filters, errors and cost."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from actions.models import Plan
from risks.models import Risk
from tests.factories import ActionFactory, CommitmentFactory, UserFactory
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db
REGISTER = "/plans/send-pip/risks/"


@pytest.fixture
def owner(db):
    return UserFactory(username="risk-owner", first_name="Sam", last_name="Patel", role="Officer")


@pytest.fixture
def risk(owner):
    return RiskFactory(reference="R1", likelihood=4, impact=4, owner=owner)


def _date(day, prefix: str) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def _form(**changes) -> dict:
    data = {
        "reference": "R9",
        "title": "Waiting times grow",
        "likelihood": "5",
        "impact": "4",
        "owner_description": "Designated Clinical Officer",
        "status": "open",
        **_date(timezone.localdate() + timedelta(days=20), "review_date"),
    }
    return {k: v for k, v in (data | changes).items() if v is not None}


def test_signing_in_is_needed_to_read_the_register(client, risk):
    response = client.get(REGISTER)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_board_member_reads_the_register_and_a_risk_but_cannot_change_it(board_client, risk):
    page = board_client.get(REGISTER).content.decode()
    assert "R1" in page and "16" in page and "Very high" in page and "Sam Patel" in page
    detail = board_client.get(f"/risks/{risk.pk}/").content.decode()
    assert "Edit this risk" not in detail and "Reviewed today" not in detail
    assert board_client.get(f"/risks/{risk.pk}/edit/").status_code == 403
    assert board_client.post(f"/risks/{risk.pk}/review/").status_code == 403
    assert board_client.get("/plans/send-pip/risks/new/").status_code == 403


def test_an_officer_who_does_not_own_the_risk_may_not_edit_or_review_it(officer_client, risk):
    assert officer_client.get(f"/risks/{risk.pk}/edit/").status_code == 403
    response = officer_client.post(f"/risks/{risk.pk}/edit/", _form(reference="R1"))
    assert response.status_code == 403
    assert officer_client.post(f"/risks/{risk.pk}/review/").status_code == 403
    risk.refresh_from_db()
    assert risk.title == "EHC plans are not issued within 20 weeks"


def test_the_owner_edits_the_risk_but_not_who_owns_it(client, owner, risk):
    client.force_login(owner)
    page = client.get(f"/risks/{risk.pk}/edit/").content.decode()
    assert 'name="owner"' not in page and 'name="likelihood"' in page
    other = UserFactory(username="someone-else", role="Officer")
    response = client.post(f"/risks/{risk.pk}/edit/", _form(reference="R1", owner=other.pk))
    assert response.status_code == 302 and response["Location"] == f"/risks/{risk.pk}/"
    risk.refresh_from_db()
    assert (risk.title, risk.score, risk.owner) == ("Waiting times grow", 20, owner)


def test_an_admin_adds_a_risk_with_its_areas_and_actions(client, admin_user):
    plan = Plan.objects.get(slug="send-pip")
    area = CommitmentFactory(plan=plan, number=3, code="", title="ACCESS TO HEALTH")
    action = ActionFactory(commitment=area, code="3.1a")
    client.force_login(admin_user)
    response = client.post(
        "/plans/send-pip/risks/new/", _form(areas=[area.pk], actions=[action.pk])
    )
    risk = Risk.objects.get(plan=plan, reference="R9")
    assert response["Location"] == f"/risks/{risk.pk}/"
    assert list(risk.areas.all()) == [area] and list(risk.actions.all()) == [action]


def test_errors_are_listed_and_linked_to_their_fields(client, admin_user, risk):
    client.force_login(admin_user)
    data = _form(reference="R1", likelihood=None, review_date_month="13")
    page = client.post("/plans/send-pip/risks/new/", data).content.decode()
    assert "There is a problem" in page
    assert 'href="#id_reference"' in page and "already has a risk with this reference" in page
    assert 'href="#id_likelihood_0"' in page and "Choose how likely the risk is" in page
    assert 'href="#id_review_date_0"' in page and "must be a real date" in page
    assert Risk.objects.count() == 1


def test_the_owner_records_a_review(client, owner, risk):
    client.force_login(owner)
    next_review = timezone.localdate() + timedelta(days=31)
    response = client.post(f"/risks/{risk.pk}/review/", _date(next_review, "next_review"))
    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.review_date == next_review
    assert risk.last_reviewed_at.date() == timezone.localdate()


def test_a_review_needs_a_next_date_after_today(client, owner, risk):
    client.force_login(owner)
    today = timezone.localdate()
    response = client.post(f"/risks/{risk.pk}/review/", _date(today, "next_review"))
    assert response.status_code == 200
    assert "The next review date must be after today" in response.content.decode()
    risk.refresh_from_db()
    assert risk.last_reviewed_at is None


def test_an_overdue_review_is_tagged_in_words(board_client, risk):
    RiskFactory(reference="R2", review_date=timezone.localdate() - timedelta(days=1))
    page = board_client.get(REGISTER).content.decode()
    assert page.count("Review overdue</strong>") == 1


def test_the_overdue_filter(board_client, risk):
    RiskFactory(reference="R2", review_date=timezone.localdate() - timedelta(days=1))
    table = board_client.get(REGISTER + "?overdue=yes").context["table"]
    assert [r.reference for r in table.data] == ["R2"]


def test_the_band_filter(board_client, risk):
    RiskFactory(reference="R2", likelihood=1, impact=4)
    table = board_client.get(REGISTER + "?band=low").context["table"]
    assert [r.reference for r in table.data] == ["R2"]


def test_the_register_is_highest_score_first(board_client, risk):
    RiskFactory(reference="R2", likelihood=5, impact=5)
    RiskFactory(reference="R3", likelihood=1, impact=1)
    table = board_client.get(REGISTER).context["table"]
    assert [r.reference for r in table.data] == ["R2", "R1", "R3"]


def _linked_risks(n: int, start: int) -> None:
    plan = Plan.objects.get(slug="send-pip")
    area = CommitmentFactory(plan=plan, number=1, code="", title="STRATEGY")
    for i in range(start, start + n):
        risk = RiskFactory(reference=f"R{i}", owner=UserFactory(username=f"owner{i}"))
        risk.areas.add(area)
        risk.actions.add(ActionFactory(commitment=area, code=f"1.{i}a"))


@pytest.mark.parametrize("count", [1, 12])
def test_the_register_costs_the_same_queries_however_many_risks(
    board_client, django_assert_num_queries, count
):
    _linked_risks(count, 1)
    # Session, user, roles, plan, the menu's approver check; risks, their actions, areas.
    with django_assert_num_queries(8):
        response = board_client.get(REGISTER)
    assert len(response.context["table"].rows) == count


def test_a_risk_page_that_does_not_exist_is_404(board_client):
    assert board_client.get("/risks/999/").status_code == 404
    assert board_client.get("/plans/no-such-plan/risks/").status_code == 404


def test_the_action_risks_include_lists_an_actions_risks(risk):
    action = ActionFactory(commitment=CommitmentFactory(plan=risk.plan, number=2, code=""))
    assert "Risks" not in render_to_string("risks/_action_risks.html", {"action": action})
    risk.actions.add(action)
    html = render_to_string("risks/_action_risks.html", {"action": action})
    assert f'href="/risks/{risk.pk}/"' in html and "Very high" in html
