"""Several plans in one service: codes, reporting periods and publishing belong to a plan."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from actions.models import Action, Plan, Term
from actions.services import term_publish
from tests.factories import ActionFactory, CommitmentFactory, SectorFactory, TermFactory

pytestmark = pytest.mark.django_db

PLAN_WORKBOOK = "fixtures/delivery_plan.xlsx"


@pytest.fixture
def pip() -> Plan:
    return Plan.objects.get(slug="send-pip")


@pytest.fixture
def pip_action(pip):
    area = CommitmentFactory(plan=pip, number=1, code="PA 1", title="Priority Action 1")
    outcome = SectorFactory(
        plan=pip, position=1, code="1.1", name="Lived experience", commitment=area
    )
    return ActionFactory(commitment=area, sector=outcome, code="1.1a", text="Strategy on a page")


def _period(plan: Plan, start: date, end: date, **fields) -> Term:
    return Term.objects.create(plan=plan, start_date=start, end_date=end, due_date=end, **fields)


def test_both_plans_exist_with_their_own_words_and_calendars(pip):
    eis = Plan.objects.get(slug="eis")
    assert (eis.area_name, eis.group_name, eis.calendar, eis.groups_nested) == (
        "Commitment",
        "Sector",
        "termly",
        False,
    )
    assert (pip.area_name, pip.group_name, pip.measure_name, pip.calendar) == (
        "Priority area",
        "Outcome",
        "Impact measure",
        "monthly",
    )
    assert (eis.period_word, pip.period_word) == ("term", "month")


@pytest.mark.parametrize(
    ("calendar", "start", "name"),
    [
        ("monthly", date(2024, 10, 1), "October 2024"),
        ("quarterly", date(2025, 4, 1), "Q1 2025-26"),
        ("quarterly", date(2026, 1, 1), "Q4 2025-26"),
        ("financial_year", date(2025, 4, 1), "2025-26"),
    ],
)
def test_an_unnamed_period_is_named_from_the_plans_calendar(pip, calendar, start, name):
    pip.calendar = calendar
    pip.save()
    assert _period(pip, start, date(start.year, start.month, 28)).name == name


def test_a_term_is_named_from_its_season_and_year():
    term = TermFactory(academic_year="2025/26", season="spring")
    assert term.name == "Spring 2026"


def test_a_termly_plan_needs_the_term_and_year(pip):
    term = Term(
        plan=Plan.objects.get(slug="eis"),
        start_date=date(2025, 9, 1),
        end_date=date(2025, 12, 19),
        due_date=date(2025, 12, 5),
    )
    with pytest.raises(ValidationError, match="reports termly"):
        term.full_clean()
    month = Term(
        plan=pip,
        name="May 2026",
        start_date=date(2026, 5, 1),
        end_date=date(2026, 5, 31),
        due_date=date(2026, 6, 7),
    )
    month.full_clean()  # a monthly plan's period needs no season


def test_codes_are_unique_within_a_plan_not_across_plans(pip, pip_action):
    eis_action = ActionFactory(code="1.1a")  # the same code in the strategy is another action
    assert eis_action.plan.slug == "eis" and pip_action.plan == pip
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionFactory(commitment=pip_action.commitment, sector=pip_action.sector, code="1.1a")


def test_an_action_belongs_to_the_plan_of_its_area(pip, pip_action):
    moved = ActionFactory(code="2.1(z)")
    moved.commitment = pip_action.commitment
    moved.save()
    assert Action.objects.get(pk=moved.pk).plan == pip


def test_each_plan_publishes_its_own_period(pip):
    autumn = TermFactory()
    october = _period(pip, date(2025, 10, 1), date(2025, 10, 31))
    term_publish(autumn)
    term_publish(october)
    assert set(Term.objects.filter(is_published=True)) == {autumn, october}
    november = _period(pip, date(2025, 11, 1), date(2025, 11, 30))
    term_publish(november)
    assert set(Term.objects.filter(is_published=True)) == {autumn, november}


def test_import_plan_names_the_plans_when_given_an_unknown_one():
    with pytest.raises(CommandError, match="Choose one of: eis, send-pip"):
        call_command("import_plan", PLAN_WORKBOOK, "--plan", "sen", stdout=io.StringIO())


def test_importing_the_strategy_never_touches_another_plan(pip_action):
    before = Action.objects.filter(plan__slug="send-pip").values().get()
    history = pip_action.history.count()
    call_command("import_plan", PLAN_WORKBOOK, "--plan", "eis", stdout=io.StringIO())
    assert Action.objects.filter(plan__slug="eis").count() == 95
    assert Action.objects.filter(plan__slug="send-pip").values().get() == before
    assert pip_action.history.count() == history


def test_an_update_page_for_another_plans_period_does_not_exist(admin_client, pip, pip_action):
    eis_term = TermFactory()
    pip_month = _period(pip, date(2025, 10, 1), date(2025, 10, 31))
    assert (
        admin_client.get(reverse("kpis:update", args=[pip_action.pk, pip_month.pk])).status_code
        == 200
    )
    assert (
        admin_client.get(reverse("kpis:update", args=[pip_action.pk, eis_term.pk])).status_code
        == 404
    )
    save = reverse("kpis:update_save", args=[pip_action.pk, eis_term.pk])
    assert admin_client.post(save, {"rating": "green"}).status_code == 404


def test_lists_and_dashboards_show_one_plan_at_a_time(admin_client, pip, pip_action):
    ActionFactory(code="1.1(a)", text="Zero-tolerance culture")
    TermFactory()
    _period(pip, date(2025, 10, 1), date(2025, 10, 31))
    strategy = admin_client.get(reverse("actions:list")).content.decode()
    send = admin_client.get(reverse("actions:list") + "?plan=send-pip").content.decode()
    assert "Zero-tolerance culture" in strategy and "Strategy on a page" not in strategy
    assert "Strategy on a page" in send and "Zero-tolerance culture" not in send
    assert "October 2025" in send and "Autumn 2025" not in send
    dashboard = admin_client.get(reverse("home") + "?plan=send-pip").content.decode()
    assert "SEND Local Area Partnership Priority Impact Plan" in dashboard
    assert ">Month<" in dashboard or "October 2025" in dashboard


@pytest.mark.parametrize("url", ["actions:list", "kpis:kpi_list"])
def test_the_filters_offer_only_the_plans_own_areas_in_its_words(admin_client, pip_action, url):
    ActionFactory(code="1.1(a)")  # the strategy's commitment 1
    page = admin_client.get(reverse(url) + "?plan=send-pip").content.decode()
    assert "All priority areas" in page and "Priority Action 1" in page
    assert "COMMITMENT 1" not in page
    strategy = admin_client.get(reverse(url)).content.decode()
    assert "All commitments" in strategy and "COMMITMENT 1" in strategy
    assert "Priority Action 1" not in strategy


def test_the_kpi_list_of_a_plan_with_measures_on_areas_points_to_the_areas(
    admin_client, pip_action
):
    page = admin_client.get(reverse("kpis:kpi_list") + "?plan=send-pip").content.decode()
    assert "belong to its priority areas, not to actions" in page
    assert 'href="/commitments/1/?plan=send-pip">PA 1 Priority Action 1<' in page
    assert "belong to its" not in admin_client.get(reverse("kpis:kpi_list")).content.decode()


def test_a_monthly_plans_update_page_speaks_of_the_month(admin_client, pip, pip_action):
    october = _period(pip, date(2025, 10, 1), date(2025, 10, 31))
    page = admin_client.get(reverse("kpis:update", args=[pip_action.pk, october.pk]))
    assert "Progress this month" in page.content.decode()
    assert "Progress this term" not in page.content.decode()


def test_the_admin_role_manages_plans_and_references_and_reads_links(client):
    from tests.factories import UserFactory

    admin = UserFactory(username="plans-admin", role="Admin", is_staff=True)
    client.force_login(admin)
    for url, status in [
        ("/admin/actions/plan/", 200),
        ("/admin/actions/plan/add/", 200),
        ("/admin/actions/reference/add/", 200),
        ("/admin/actions/actionlink/", 200),
        ("/admin/actions/actionlink/add/", 403),
        ("/admin/spreadsheets/headermapping/", 200),
    ]:
        assert client.get(url).status_code == status, url
