"""The feed across plans: every row names its plan, ?plan= narrows every resource, the SEND
plan's due dates, measures of priority areas and monthly periods."""

import csv
import io

import pytest
from django.utils import timezone

from boards.feed import RESOURCES
from boards.feed_schema import ROWS, columns, openapi
from tests.boards.test_feed import conforms, figures, get, reader, term  # noqa: F401
from tests.factories import KPIFactory, KPIValueFactory, ProgressUpdateFactory
from tests.plans import send_pip

pytestmark = pytest.mark.django_db


@pytest.fixture
def both(figures):  # noqa: F811
    """The strategy's figures (commitments 1 and 2) and a SEND plan with an approved update
    of its action, whose measure has a figure."""
    send = send_pip()
    ProgressUpdateFactory(action=send.action, term=send.month, decided_at=timezone.now())
    action_kpi = KPIFactory(action=send.action, ref="i", text="Strategy published")
    KPIValueFactory(kpi=action_kpi, term=send.month, value=1)
    return send


@pytest.mark.parametrize("resource", list(RESOURCES))
def test_every_row_of_every_resource_names_its_plan(client, reader, both, resource):  # noqa: F811
    body = get(client, f"/feed/{resource}.json", reader).json()
    conforms(body, resource)
    plans = {row["plan"] for row in body["results"]}
    assert plans <= {"eis", "send-pip"} and "plan" in columns(resource)
    if resource != "comparators":  # only the strategy's figure has a comparator
        assert plans == {"eis", "send-pip"}


@pytest.mark.parametrize("resource", list(RESOURCES))
@pytest.mark.parametrize("slug", ["eis", "send-pip"])
def test_plan_narrows_every_resource_to_that_plans_rows(client, reader, both, resource, slug):  # noqa: F811
    everything = get(client, f"/feed/{resource}.json", reader).json()["results"]
    body = get(client, f"/feed/{resource}.json", reader, plan=slug).json()
    conforms(body, resource)
    assert [r["id"] for r in body["results"]] == [r["id"] for r in everything if r["plan"] == slug]
    content = get(client, f"/feed/{resource}.csv", reader, plan=slug).content.decode("utf-8-sig")
    assert {row["plan"] for row in csv.DictReader(io.StringIO(content))} <= {slug}


def test_an_unknown_plan_is_refused_naming_the_parameter(client, reader, both):  # noqa: F811
    response = get(client, "/feed/actions.csv", reader, plan="cssp")
    assert response.status_code == 400
    body = response.json()
    assert body == {
        "error": 'There is no plan "cssp"; the plans are eis, send-pip.',
        "parameter": "plan",
    }


def test_actions_carry_their_due_date_and_the_plans_words_for_it(client, reader, both):  # noqa: F811
    rows = get(client, "/feed/actions.json", reader).json()["results"]
    by_code = {(r["plan"], r["code"]): r for r in rows}
    assert (by_code["send-pip", "1.1a"]["due_date"], by_code["send-pip", "1.1a"]["due_text"]) == (
        "2024-10-31",
        "October 2024",
    )
    assert by_code["eis", "1.1(a)"]["due_date"] is None
    content = get(client, "/feed/actions.csv", reader, plan="send-pip").content
    (row,) = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
    assert (row["due_date"], row["due_text"]) == ("2024-10-31", "October 2024")


def test_a_measure_of_a_priority_area_names_its_area_and_no_action(client, reader, both):  # noqa: F811
    body = get(client, "/feed/kpis.json", reader, plan="send-pip").json()
    by_text = {r["text"]: r for r in body["results"]}
    area = by_text["Families feel listened to"]
    assert (area["action_id"], area["action_code"]) == (None, None)
    assert (area["area_code"], area["area_number"], area["commitment_number"]) == ("AFI 1", 1, 1)
    assert area["also_areas"] == "AFI 2"
    of_action = by_text["Strategy published"]
    assert (of_action["action_code"], of_action["area_code"], of_action["also_areas"]) == (
        "1.1a",
        None,
        "",
    )
    content = get(client, "/feed/kpis.csv", reader, plan="send-pip").content.decode("utf-8-sig")
    rows = {r["text"]: r for r in csv.DictReader(io.StringIO(content))}
    assert (rows["Families feel listened to"]["action_code"], rows[area["text"]]["area_code"]) == (
        "",
        "AFI 1",
    )


def test_commitment_finds_measures_of_an_area_and_of_its_actions(client, reader, both):  # noqa: F811
    body = get(client, "/feed/kpis.json", reader, plan="send-pip", commitment=1).json()
    assert body["count"] == 2
    assert (
        get(client, "/feed/kpis.json", reader, plan="send-pip", commitment=2).json()["count"] == 0
    )


def test_periods_give_each_plans_reporting_periods(client, reader, both, term):  # noqa: F811
    body = get(client, "/feed/periods.json", reader).json()
    conforms(body, "periods")
    assert [(r["plan"], r["name"], r["due_date"]) for r in body["results"]] == [
        ("eis", "Autumn 2025", term.due_date.isoformat()),
        ("send-pip", "October 2026", "2026-11-07"),
    ]
    month = body["results"][1]
    assert (month["start_date"], month["end_date"], month["is_published"]) == (
        "2026-10-01",
        "2026-10-31",
        False,
    )
    terms = get(client, "/feed/terms.json", reader, plan="send-pip").json()
    conforms(terms, "terms")
    assert [(t["label"], t["season"], t["academic_year"]) for t in terms["results"]] == [
        ("October 2026", "", "")
    ]


def test_the_openapi_description_lists_the_plan_fields_and_filter():
    spec = openapi()
    for resource in RESOURCES:
        assert "plan" in spec["components"]["schemas"][resource]["properties"]
        names = [p["name"] for p in spec["paths"][f"/feed/{resource}.json"]["get"]["parameters"]]
        assert "plan" in names
    assert {"due_date", "due_text"} <= set(ROWS["actions"])
    assert {"area_code", "area_number", "also_areas"} <= set(ROWS["kpis"])
    assert ROWS["actions"]["due_date"]["format"] == "date"
    assert "/feed/periods.csv" in spec["paths"]


def test_the_kpis_feed_costs_the_same_queries_at_any_size(
    client,
    reader,  # noqa: F811
    both,
    django_assert_num_queries,
):
    url = "/feed/kpis.json"
    get(client, url, reader, plan="send-pip")
    # The token with its user, last used, the roles, the plan, the count, the page and
    # the page's other areas.
    with django_assert_num_queries(7) as first:
        get(client, url, reader, plan="send-pip")
    for n in range(4):
        more = KPIFactory(action=None, area=both.other_area, ref=f"x{n}")
        more.also_areas.add(both.area)
    with django_assert_num_queries(len(first.captured_queries)):
        assert get(client, url, reader, plan="send-pip").json()["count"] == 6
