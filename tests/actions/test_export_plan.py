"""The action and KPI list downloads name each row's plan."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from actions.models import Plan
from tests.factories import ActionFactory, KPIFactory, ProgressUpdateFactory, TermFactory
from tests.plans import send_pip

pytestmark = pytest.mark.django_db


@pytest.fixture
def both():
    term = TermFactory()
    ActionFactory(code="1.1(a)")
    KPIFactory(action=ActionFactory(code="1.1(b)"), ref="i")
    send = send_pip()
    KPIFactory(action=send.action, ref="i", text="Strategy published")
    ProgressUpdateFactory(action=send.action, term=send.month, decided_at=timezone.now())
    return term, send


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def plan_name(slug: str) -> str:
    return Plan.objects.get(slug=slug).name


@pytest.mark.parametrize("slug", ["eis", "send-pip"])
def test_the_action_list_download_names_the_plan_on_every_row(board_client, both, slug):
    response = board_client.get(reverse("actions:list"), {"plan": slug, "export": "csv"})
    rows = csv_rows(response)
    assert rows and {r["Plan"] for r in rows} == {plan_name(slug)}
    codes = {r["Code"] for r in rows}
    assert codes == ({"1.1(a)", "1.1(b)"} if slug == "eis" else {"1.1a"})


def test_the_kpi_list_download_names_the_plan_in_excel_too(board_client, both):
    response = board_client.get(reverse("kpis:kpi_list"), {"plan": "send-pip", "export": "xlsx"})
    header, *rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    at = header.index("Plan")
    assert [(r[header.index("Action")], r[at]) for r in rows] == [("1.1a", plan_name("send-pip"))]
    eis = csv_rows(board_client.get(reverse("kpis:kpi_list"), {"export": "csv"}))
    assert [(r["Action"], r["Plan"]) for r in eis] == [("1.1(b)", plan_name("eis"))]


def test_naming_the_plan_costs_the_same_queries_however_many_rows(
    board_client, both, django_assert_num_queries
):
    url, params = reverse("actions:list"), {"export": "csv"}
    board_client.get(url, params)
    with CaptureQueriesContext(connection) as first:
        board_client.get(url, params)
    for n in range(5):
        ActionFactory(code=f"2.1({n})", commitment__number=2, lead_description="Head")
    with django_assert_num_queries(len(first.captured_queries)):
        assert len(csv_rows(board_client.get(url, params))) == 7
