"""Actions' standings and the matrix counts summed from them (kpis.models.ActionStanding,
MatrixCount), the summaries dashboards and packs read.

Each way a change reaches what a dashboard counts is made here once; the dashboard shows
it at once, and what is stored then is exactly what working every standing out again from
scratch gives (`assert_current`). The admin's edits go through its real forms.
"""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import Action, Plan, ProgressUpdate, Rating, Term
from boards.selectors import NO_UPDATE, Remit, dashboard
from kpis.models import ActionStanding, MatrixCount
from kpis.standings import standings_refresh
from kpis.updates import (
    progress_update_approve,
    progress_update_return,
    progress_update_save,
    term_exception_grant,
)
from tests.conftest import PLAN_WORKBOOK
from tests.factories import KPIValueFactory, ProgressUpdateFactory, TermFactory, UserFactory
from tests.test_audit import change_form_data

pytestmark = pytest.mark.django_db


def stored() -> list[list[tuple]]:
    """Every standing and matrix count, without their ids."""
    return [
        sorted(model.objects.values_list(*[f.attname for f in model._meta.concrete_fields[1:]]))
        for model in (ActionStanding, MatrixCount)
    ]


def counted() -> None:
    """Work out the standings of what factories made: they go round the services."""
    standings_refresh()


def assert_current() -> None:
    """What is stored is what working every standing out again gives."""
    before = stored()
    standings_refresh()
    assert stored() == before


@pytest.fixture
def spring(open_term):
    """The term before the open one."""
    start = open_term.start_date - timedelta(days=120)
    return TermFactory(
        academic_year=open_term.academic_year,
        season="summer" if open_term.season != "summer" else "spring",
        start_date=start,
        end_date=start + timedelta(days=80),
        due_date=start + timedelta(days=70),
    )


@pytest.fixture
def council_admin(client):
    user = UserFactory(username="council-admin", role="Admin", is_staff=True)
    client.force_login(user)
    return user


def approved(action, term, lead, approver, rating="green", entries=()) -> None:
    stored = ProgressUpdate.objects.filter(action=action, term=term).first()
    update = progress_update_save(
        action=action,
        term=term,
        user=lead,
        narrative={"rating": rating, "progress": "Done", "next_steps": "More"},
        entries=list(entries),
        version=stored.version if stored else 0,
        submit=True,
    )
    progress_update_approve(update=update, user=approver)


def totals(term: Term) -> dict:
    previous = Term.objects.filter(start_date__lt=term.start_date).order_by("start_date").last()
    return dashboard(term, previous, Remit.whole(Plan.objects.get(slug="eis"))).totals


def test_the_plan_import_gives_every_live_action_a_standing_in_every_term(open_term):
    call_command("import_plan", str(PLAN_WORKBOOK), "--plan", "eis", stdout=io.StringIO())
    assert ActionStanding.objects.filter(term=open_term).count() == 95
    assert totals(open_term) == {NO_UPDATE: 95}
    assert_current()


def test_an_approval_shows_at_once_and_a_return_changes_nothing(
    led_action, open_term, lead, admin_user
):
    counted()
    update = progress_update_save(
        action=led_action,
        term=open_term,
        user=lead,
        narrative={"rating": "red", "progress": "Behind", "next_steps": "Recover"},
        entries=[],
        version=0,
        submit=True,
    )
    progress_update_return(update=update, user=admin_user, reason="Say why it is behind.")
    assert totals(open_term) == {NO_UPDATE: 1}
    approved(led_action, open_term, lead, admin_user, rating="amber")
    assert totals(open_term) == {Rating.AMBER: 1}
    board = dashboard(open_term, None, Remit.whole(Plan.objects.get(slug="eis")))
    assert [e.action for e in board.exceptions] == [led_action]
    assert_current()


def test_an_approved_figure_counts_in_its_term_and_every_later_one(
    led_action, open_term, spring, lead, admin_user
):
    counted()
    gld = led_action.kpis.get(ref="i")
    KPIValueFactory(kpi=gld, term=spring, value=40, status="red")
    approved(led_action, spring, lead, admin_user)
    for term in (spring, open_term):
        [standing] = ActionStanding.objects.filter(term=term, action=led_action)
        assert (standing.kpis, standing.kpis_red) == (2, 1)
    assert_current()


def test_reopening_an_approved_update_takes_its_rating_off_at_once(
    led_action, open_term, lead, admin_user
):
    counted()
    approved(led_action, open_term, lead, admin_user)
    term_exception_grant(action=led_action, term=open_term, user=admin_user, reason="Late data")
    assert totals(open_term) == {NO_UPDATE: 1}
    assert_current()


def test_an_action_the_plan_import_retires_leaves_every_count(plan, open_term, tmp_path):
    counted()
    book = load_workbook(PLAN_WORKBOOK)
    sheet = book["Delivery plan"]
    code = [c.value for c in sheet[1]].index("Action code")
    for row in reversed(list(sheet.iter_rows(min_row=2))):
        if row[code].value == "1.1(a)":
            sheet.delete_rows(row[0].row)
    book.save(tmp_path / "plan.xlsx")
    call_command("import_plan", str(tmp_path / "plan.xlsx"), "--plan", "eis", stdout=io.StringIO())
    assert totals(open_term) == {NO_UPDATE: 94}
    assert not ActionStanding.objects.filter(action__code="1.1(a)").exists()
    assert_current()


def test_an_action_retired_in_the_admin_leaves_every_count(
    client, council_admin, led_action, open_term, lead, admin_user
):
    counted()
    approved(led_action, open_term, lead, admin_user, rating="red")
    data = change_form_data(client, led_action)
    data["retired_at_0"], data["retired_at_1"] = "2026-11-30", "09:00:00"
    url = reverse("admin:actions_action_change", args=[led_action.pk])
    assert client.post(url, data).status_code == 302
    assert totals(open_term) == {}
    assert dashboard(open_term, None, Remit.whole(Plan.objects.get(slug="eis"))).exceptions == []
    assert_current()


def test_a_kpi_moved_or_deleted_in_the_admin_counts_at_once(
    client, council_admin, led_action, open_term, lead, admin_user
):
    counted()
    other = Action.objects.create(
        code="1.2(b)",
        text="Another",
        commitment=led_action.commitment,
        sector=led_action.sector,
        position=led_action.position + 1,
    )
    gld = led_action.kpis.get(ref="i")
    KPIValueFactory(kpi=gld, term=open_term, value=40, status="red")
    approved(led_action, open_term, lead, admin_user)
    data = change_form_data(client, gld) | {"action": other.pk}
    assert client.post(reverse("admin:kpis_kpi_change", args=[gld.pk]), data).status_code == 302
    mine, theirs = (
        ActionStanding.objects.get(term=open_term, action=action) for action in (led_action, other)
    )
    assert (mine.kpis, mine.kpis_red, theirs.kpis, theirs.kpis_red) == (1, 0, 1, 0)
    assert_current()
    count = led_action.kpis.get()
    url = reverse("admin:kpis_kpi_delete", args=[count.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert ActionStanding.objects.get(term=open_term, action=led_action).kpis == 0
    assert_current()


def test_a_term_added_or_moved_in_the_admin_counts_at_once(
    client, council_admin, led_action, open_term, spring, lead, admin_user
):
    counted()
    approved(led_action, spring, lead, admin_user, rating="amber")
    approved(led_action, open_term, lead, admin_user, rating="green")
    assert ActionStanding.objects.get(term=open_term).movement == "improved"
    start = open_term.end_date + timedelta(days=10)
    data = {
        "plan": open_term.plan_id,
        "academic_year": open_term.academic_year,
        "season": ({"autumn", "spring", "summer"} - {open_term.season, spring.season}).pop(),
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=60)).isoformat(),
        "due_date": (start + timedelta(days=50)).isoformat(),
    }
    response = client.post(reverse("admin:actions_term_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    new = Term.objects.get(start_date=start)
    assert ActionStanding.objects.get(term=new).rating == ""
    # Spring moved after the open term: the open term's green is now new, spring's amber worse.
    after = open_term.end_date
    data = change_form_data(client, spring) | {
        "start_date": (after + timedelta(days=1)).isoformat(),
        "end_date": (after + timedelta(days=5)).isoformat(),
        "due_date": (after + timedelta(days=4)).isoformat(),
    }
    assert (
        client.post(reverse("admin:actions_term_change", args=[spring.pk]), data).status_code == 302
    )
    moved = {s.term_id: s.movement for s in ActionStanding.objects.all()}
    assert (moved[open_term.pk], moved[spring.pk]) == ("new", "worse")
    assert_current()


def test_a_change_made_round_the_services_is_put_right_by_the_command(led_action, open_term):
    counted()
    ProgressUpdateFactory(action=led_action, term=open_term, rating="blue")  # raw, no service
    assert totals(open_term) == {NO_UPDATE: 1}
    call_command("refresh_standings", stdout=io.StringIO())
    assert totals(open_term) == {Rating.BLUE: 1}


def test_the_demo_data_comes_with_its_standings(plan):
    call_command("seed_demo", stdout=io.StringIO())
    assert ActionStanding.objects.exists()
    assert_current()
