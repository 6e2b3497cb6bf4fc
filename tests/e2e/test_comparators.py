"""Comparator figures with their own periods, as a board member reads them in the browser,
and axe-core on those pages at desktop width and at 320 px."""

import pytest

from actions.models import Action
from kpis.models import Comparator, ComparatorValue
from kpis.standings import standings_refresh
from tests.e2e.conftest import assert_accessible_at_both_widths, sign_in
from tests.factories import KPIValueFactory, ProgressUpdateFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


@pytest.fixture
def compared(plan, open_term):
    """An approved 2024/25 figure with England's 2023/24 one beside it."""
    action = Action.objects.get(code="1.2(a)")
    kpi = action.kpis.order_by("position").first()
    kpi.unit = "percent"
    kpi.save()
    ProgressUpdateFactory(action=action, term=open_term, status="approved", rating="green")
    value = KPIValueFactory(kpi=kpi, term=open_term, value=66.9, data_period="2024/25")
    ComparatorValue.objects.create(
        kpi_value=value,
        comparator=Comparator.objects.get(code="england"),
        value=67.2,
        period="2023/24",
    )
    standings_refresh()
    UserFactory(username="board", role="Board member")
    return action


def test_the_action_page_shows_comparators_with_their_periods(page, axe, compared):
    sign_in(page, "board")
    page.goto(f"/actions/{compared.pk}/")
    assert page.get_by_role("listitem").filter(has_text="England 67.2% (2023/24)").is_visible()
    figures = page.get_by_role("table", name="Figures for")
    assert figures.get_by_role("cell", name="67.2% (2023/24)").first.is_visible()
    assert figures.get_by_text("Not the same period as Bury's figure (2024/25)").is_visible()
    assert_accessible_at_both_widths(axe, page)


def test_the_kpi_list_shows_comparators_with_their_periods(page, axe, compared):
    sign_in(page, "board")
    page.goto("/kpis/?q=1.2(a)")
    assert page.get_by_role("columnheader", name="Comparators").is_visible()
    assert page.get_by_role("listitem").filter(has_text="England 67.2% (2023/24)").is_visible()
    assert_accessible_at_both_widths(axe, page)
