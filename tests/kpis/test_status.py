"""Statuses never go stale: every write path works them out again, and dashboards count the
new ones at once. (The rules themselves are pinned in test_status_cases.)"""

import io
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import Plan, ProgressUpdate
from boards.selectors import Remit, dashboard
from kpis.figures import KPIEntry
from kpis.models import KPI, KPIValue
from kpis.status import Figure, judge
from kpis.updates import progress_update_approve, progress_update_save
from tests.conftest import PLAN_WORKBOOK
from tests.test_audit import change_form_data

pytestmark = pytest.mark.django_db


def kpi(**fields) -> KPI:
    defaults = {"target_not_agreed": False, "target_kind": "absolute", "polarity": "higher_better"}
    return KPI(**(defaults | fields))


def status(measure: KPI, value) -> str:
    figure = Figure("all", "2025/26", None if value is None else D(value))
    return judge(measure, figure, [figure]).status


@pytest.mark.parametrize(("value", "expected"), [("74", "green"), ("72", "amber"), ("71.9", "red")])
def test_tolerance_band(value, expected):
    assert status(kpi(target_value=D("74"), tolerance=D("2")), value) == expected


def test_no_direction_and_no_baseline_is_grey_with_its_reason():
    measure = kpi(target_value=D("74"), polarity="none")
    figure = Figure("all", "2025/26", D("80"))
    assert judge(measure, figure, [figure]).reason == "No direction of better agreed"


def save(action, term, lead, entries, approver=None):
    stored = ProgressUpdate.objects.filter(action=action, term=term).first()
    update = progress_update_save(
        action=action,
        term=term,
        user=lead,
        narrative={"rating": "green", "progress": "Done", "next_steps": "More"},
        entries=entries,
        version=stored.version if stored else 0,
        submit=approver is not None,
    )
    if approver:
        progress_update_approve(update=update, user=approver)


def kpi_totals(term) -> dict:
    return dict(dashboard(term, None, Remit.whole(Plan.objects.get(slug="eis"))).kpi_totals)


@pytest.fixture
def council_admin(client):
    from tests.factories import UserFactory

    user = UserFactory(username="council-admin", role="Admin", is_staff=True)
    client.force_login(user)
    return user


def test_saving_a_figure_judges_it_and_its_group(led_action, open_term, lead):
    gld = led_action.kpis.get(ref="i")
    group = gld.breakdown_cohorts.get()
    entry = KPIEntry(kpi=gld, value=D("73"), data_period="2025/26", cohorts={group.pk: D("60")})
    save(led_action, open_term, lead, [entry])
    headline = KPIValue.objects.get(kpi=gld, cohort__code="all")
    assert (headline.status, headline.status_reason) == (
        "amber",
        "1 percentage point short of the target of 74%, within the tolerance of 2 percentage "
        "points",
    )
    assert KPIValue.objects.get(kpi=gld, cohort=group).status == "red"


def test_a_target_changed_in_the_admin_changes_statuses_and_the_dashboard_at_once(
    client, council_admin, led_action, open_term, lead, admin_user
):
    gld = led_action.kpis.get(ref="i")
    save(led_action, open_term, lead, [KPIEntry(kpi=gld, value=D("73"), data_period="2025/26")])
    save(led_action, open_term, lead, [], approver=admin_user)
    assert kpi_totals(open_term)["amber"] == 1
    data = change_form_data(client, gld) | {"target_value": "80", "tolerance": "1"}
    response = client.post(reverse("admin:kpis_kpi_change", args=[gld.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    value = KPIValue.objects.get(kpi=gld)
    assert value.status == "red"
    assert value.status_reason == "7 percentage points short of the target of 80%"
    totals = kpi_totals(open_term)
    assert totals["red"] == 1 and "amber" not in totals
    # A target lowered to what the figure already meets turns it Green, as a range.
    data = change_form_data(client, gld) | {
        "target_kind": "range",
        "target_value": "70",
        "target_upper_value": "75",
    }
    assert client.post(reverse("admin:kpis_kpi_change", args=[gld.pk]), data).status_code == 302
    assert KPIValue.objects.get(kpi=gld).status == "green"
    assert kpi_totals(open_term)["green"] == 1


def test_a_comparator_target_judges_against_its_figure(led_action, open_term, lead):
    from kpis.models import Comparator

    gld = led_action.kpis.get(ref="i")
    england = Comparator.objects.get(code="england")
    gld.target_kind, gld.target_value, gld.target_comparator = "comparator", None, england
    gld.save()
    entry = KPIEntry(
        kpi=gld,
        value=D("66.2"),
        data_period="2023/24",
        comparators={england.pk: (D("67.7"), "2023/24")},
    )
    save(led_action, open_term, lead, [entry])
    value = KPIValue.objects.get(kpi=gld)
    assert (value.status, value.status_reason) == (
        "amber",
        "1.5 percentage points short of England 67.7% (2023/24), within the tolerance of 2 "
        "percentage points",
    )


def test_a_comparator_renamed_in_the_admin_is_named_in_the_reasons_at_once(
    client, council_admin, led_action, open_term, lead
):
    from kpis.models import Comparator

    test_a_comparator_target_judges_against_its_figure(led_action, open_term, lead)
    england = Comparator.objects.get(code="england")
    data = change_form_data(client, england) | {"name": "England (state-funded schools)"}
    response = client.post(reverse("admin:kpis_comparator_change", args=[england.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    reason = KPIValue.objects.get(kpi__action=led_action).status_reason
    assert "short of England (state-funded schools) 67.7% (2023/24)" in reason


def test_a_reimport_that_changes_a_target_changes_statuses_and_the_dashboard_at_once(
    open_term, lead, admin_user, tmp_path
):
    call_command("import_plan", str(PLAN_WORKBOOK), "--plan", "eis", stdout=io.StringIO())
    # "% settings implementing ... (target: >=90%)": the plan's own words give the target.
    measure = KPI.objects.get(action__code="3.1(a)", ref="i")
    assert (measure.unit, measure.polarity, measure.target_kind, measure.target_value) == (
        "percent",
        "higher_better",
        "threshold",
        D("90"),
    )
    measure.action.leads.add(lead)
    entry = KPIEntry(kpi=measure, value=D("88"), data_period="2025/26 academic year")
    save(measure.action, open_term, lead, [entry], approver=admin_user)
    assert KPIValue.objects.get(kpi=measure).status == "red"  # 2 short of 90, no tolerance
    assert kpi_totals(open_term)["red"] == 1
    # The same plan with the target agreed at 85 instead.
    book = load_workbook(PLAN_WORKBOOK)
    sheet = book["Delivery plan"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if (row[header.index("Action code")].value, row[header.index("KPI ref")].value) == (
            "3.1(a)",
            "i",
        ):
            row[header.index("Target")].value = 85
    changed = tmp_path / "changed.xlsx"
    book.save(changed)
    call_command("import_plan", str(changed), "--plan", "eis", stdout=io.StringIO())
    value = KPIValue.objects.get(kpi=measure)
    assert (value.status, value.status_reason) == (
        "green",
        "At or better than the threshold (above 85%)",
    )
    totals = kpi_totals(open_term)
    assert totals["green"] == 1 and "red" not in totals


def test_the_command_puts_right_a_status_changed_round_the_services(led_action, open_term):
    from tests.factories import KPIValueFactory

    value = KPIValueFactory(kpi=led_action.kpis.get(ref="i"), term=open_term, value=75)
    assert value.status == "grey"
    call_command("refresh_standings", stdout=io.StringIO())
    value.refresh_from_db()
    assert (value.status, value.status_reason) == ("green", "At or better than the target of 74%")


def test_the_kpi_list_and_the_action_page_say_why_a_status_is_what_it_is(
    client, board_member, led_action, open_term, lead, admin_user
):
    gld = led_action.kpis.get(ref="i")
    save(led_action, open_term, lead, [KPIEntry(kpi=gld, value=D("73"), data_period="2025/26")])
    save(led_action, open_term, lead, [], approver=admin_user)
    client.force_login(board_member)
    why = "1 percentage point short of the target of 74%, within the tolerance of 2"
    listed = client.get(reverse("kpis:kpi_list"), {"term": open_term.pk}).content.decode()
    assert why in listed
    page = client.get(reverse("kpis:action", args=[led_action.pk])).content.decode()
    assert why in page


def test_a_term_end_moved_in_the_admin_judges_its_figures_again(client, council_admin, lead):
    from datetime import date

    from kpis.status import restatus
    from tests.factories import KPIFactory, KPIValueFactory, TermFactory

    spring = TermFactory(
        academic_year="2025/26",
        season="spring",
        start_date=date(2026, 1, 5),
        end_date=date(2026, 3, 27),
        due_date=date(2026, 3, 13),
    )
    milestone = KPIFactory(
        unit="milestone",
        target_kind="milestone",
        target_not_agreed=False,
        target_period="31 March 2026",
    )
    value = KPIValueFactory(
        kpi=milestone, term=spring, value=None, milestone_status="in_progress", data_period=""
    )
    restatus([milestone.pk])
    value.refresh_from_db()
    assert (value.status, value.status_reason) == (
        "amber",
        "In progress, not yet done, due by 31 March 2026",
    )
    data = change_form_data(client, spring) | {"end_date": "2026-04-10"}
    response = client.post(reverse("admin:actions_term_change", args=[spring.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    value.refresh_from_db()
    assert (value.status, value.status_reason) == ("red", "Overdue: due by 31 March 2026")


def test_figures_are_judged_against_approved_figures_only_and_approval_judges_again(
    led_action, open_term, lead, admin_user
):
    from datetime import timedelta

    from tests.factories import TermFactory

    start = open_term.start_date - timedelta(days=120)
    earlier = TermFactory(
        academic_year=open_term.academic_year,
        season="summer",
        start_date=start,
        end_date=start + timedelta(days=80),
        due_date=start + timedelta(days=70),
    )
    suspensions = led_action.kpis.get(ref="i")
    suspensions.target_kind, suspensions.polarity = "trend", "lower_better"
    suspensions.target_value, suspensions.tolerance = None, None
    suspensions.save()
    save(
        led_action,
        earlier,
        lead,
        [KPIEntry(kpi=suspensions, value=D("11.8"), data_period="2023/24 academic year")],
    )
    entry = KPIEntry(kpi=suspensions, value=D("13.1"), data_period="2024/25 academic year")
    save(led_action, open_term, lead, [entry], approver=admin_user)
    later = KPIValue.objects.get(kpi=suspensions, term=open_term)
    assert (later.status, later.status_reason) == (
        "grey",
        "No earlier figure to judge a trend against",
    )
    save(led_action, earlier, lead, [], approver=admin_user)
    later.refresh_from_db()
    assert later.status == "red"
    assert later.status_reason == "Worse by 1.3 percentage points since 31 August 2024"
    assert kpi_totals(open_term)["red"] == 1
