"""The action list as at a term: movement, filters and exports of exactly the filtered rows."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import Action, Movement, Rating, Season, movement
from actions.selectors import with_standing
from bury_eis.exports import neutralise
from tests.factories import ActionFactory, ProgressUpdateFactory, TermFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("before", [None, *Rating.values])
@pytest.mark.parametrize("now", [None, *Rating.values])
def test_sql_movement_agrees_with_the_rule(before, now):
    spring = TermFactory(
        season=Season.SPRING, start_date=date(2026, 1, 5), end_date=date(2026, 3, 27)
    )
    summer = TermFactory(
        season=Season.SUMMER, start_date=date(2026, 4, 13), end_date=date(2026, 7, 20)
    )
    action = ActionFactory()
    if before:
        ProgressUpdateFactory(action=action, term=spring, rating=before)
    if now:
        ProgressUpdateFactory(action=action, term=summer, rating=now)
    row = with_standing(Action.objects.all(), summer, spring).get()
    assert row.movement == movement(before, now)


def test_movement_rule_in_words():
    assert movement("amber", "green") == Movement.IMPROVED
    assert movement("green", "red") == Movement.WORSE
    assert movement(None, "amber") == Movement.NEW
    assert movement("grey", "green") == Movement.NEW
    assert movement("green", "grey") == Movement.WORSE
    assert movement("blue", "blue") == Movement.SAME
    assert movement("green", None) == Movement.NO_UPDATE


@pytest.fixture
def rated():
    spring = TermFactory(
        season=Season.SPRING, start_date=date(2026, 1, 5), end_date=date(2026, 3, 27)
    )
    summer = TermFactory(
        season=Season.SUMMER, start_date=date(2026, 4, 13), end_date=date(2026, 7, 20)
    )
    lead = UserFactory(username="hannah", first_name="Hannah", last_name="Clarke")
    better = ActionFactory(code="1.1(a)", text="=cmd|' /C calc'!A0")
    better.leads.add(lead)
    ProgressUpdateFactory(action=better, term=spring, rating="amber")
    ProgressUpdateFactory(action=better, term=summer, rating="green")
    worse = ActionFactory(code="1.1(b)")
    ProgressUpdateFactory(action=worse, term=spring, rating="green")
    ProgressUpdateFactory(action=worse, term=summer, rating="red")
    stale = ActionFactory(code="2.1(a)", commitment__number=2, sector__position=2)
    ProgressUpdateFactory(action=stale, term=summer, rating="amber", status="draft")
    return {"spring": spring, "summer": summer, "lead": lead}


def codes(page: str) -> set[str]:
    return {c for c in ["1.1(a)", "1.1(b)", "2.1(a)"] if f">{c}<" in page}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"movement": "improved"}, {"1.1(a)"}),
        ({"movement": "worse"}, {"1.1(b)"}),
        ({"stale": "yes"}, {"2.1(a)"}),
        ({"stale": "no"}, {"1.1(a)", "1.1(b)"}),
        ({"rating": "red"}, {"1.1(b)"}),
        ({"rating": "none"}, {"2.1(a)"}),
        ({"q": "calc"}, {"1.1(a)"}),
    ],
)
def test_each_filter_selects_its_actions(board_client, rated, query, expected):
    response = board_client.get(reverse("actions:list"), query)
    assert codes(response.content.decode()) == expected
    # The pager counts exactly the rows listed, however it counts them.
    assert response.context["table"].paginator.count == len(expected)


@pytest.mark.parametrize(
    ("query", "joins"),
    [({}, False), ({"q": "calc"}, False), ({"rating": "red"}, True), ({"movement": "worse"}, True)],
)
def test_the_pager_counts_without_the_standing_unless_a_filter_reads_it(
    board_client, rated, query, joins
):
    """Counting 9,500 actions through the two joins that read each one's standing cost 15 ms
    on SQLite; without a rating filter the count needs neither."""
    with CaptureQueriesContext(connection) as queries:
        board_client.get(reverse("actions:list"), query)
    (count,) = [q["sql"] for q in queries.captured_queries if 'COUNT(*) AS "__count"' in q["sql"]]
    assert ("actions_progressupdate" in count) == joins


def test_lead_filter_selects_the_actions_they_lead(board_client, rated):
    page = board_client.get(reverse("actions:list"), {"lead": rated["lead"].pk}).content.decode()
    assert codes(page) == {"1.1(a)"}
    assert "Hannah Clarke" in page


def test_the_remit_filter_takes_several_commitments(board_client, rated):
    two = Action.objects.get(code="2.1(a)").commitment_id
    one = Action.objects.get(code="1.1(a)").commitment_id
    page = board_client.get(reverse("actions:list"), {"commitments": f"{one},{two}"})
    assert codes(page.content.decode()) == {"1.1(a)", "1.1(b)", "2.1(a)"}
    page = board_client.get(reverse("actions:list"), {"commitments": f"{two}"})
    assert codes(page.content.decode()) == {"2.1(a)"}


def test_an_earlier_term_shows_that_terms_ratings(board_client, rated):
    page = board_client.get(
        reverse("actions:list"), {"term": rated["spring"].pk, "rating": "amber"}
    ).content.decode()
    assert codes(page) == {"1.1(a)"}


def test_csv_export_has_exactly_the_filtered_rows(board_client, rated):
    response = board_client.get(reverse("actions:list"), {"stale": "no", "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="actions-summer-2026.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Code", "Commitment", "Action"]
    assert sorted(r[0] for r in rows[1:]) == ["1.1(a)", "1.1(b)"]
    by_code = {r[0]: r for r in rows[1:]}
    assert "Green" in by_code["1.1(a)"] and "Improved" in by_code["1.1(a)"]


def test_excel_export_has_exactly_the_filtered_rows_and_no_formulas(board_client, rated):
    response = board_client.get(reverse("actions:list"), {"q": "calc", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == "1.1(a)"
    assert rows[1][2] == "'=cmd|' /C calc'!A0"


def test_exports_are_not_paginated(board_client, rated):
    for n in range(30):
        ActionFactory(code=f"3.1({n})", commitment__number=3)
    response = board_client.get(reverse("actions:list"), {"export": "csv"})
    assert len(response.content.decode("utf-8-sig").strip().splitlines()) == 34


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_text_that_would_run_as_a_formula_is_neutralised(text):
    assert neutralise(text) == "'" + text


def test_numbers_and_plain_text_are_left_alone():
    assert neutralise(-1.5) == -1.5
    assert neutralise("Early help") == "Early help"


@pytest.mark.parametrize("url", ["actions:list", "kpis:kpi_list"])
def test_every_filter_has_a_label_people_can_read(board_client, url):
    """The action list's rating filter was labelled "[invalid name]"."""
    TermFactory()
    page = board_client.get(reverse(url)).content.decode()
    assert "[invalid name]" not in page
    if url == "actions:list":
        assert '<label class="govuk-label" for="id_rating">Rating</label>' in page


def test_the_lead_filter_offers_only_people_who_lead_a_live_action(board_client, rated):
    """It offered the admin, a board member and a councillor, with 0 results each."""
    UserFactory(first_name="Alex", last_name="Morgan", role="Admin")
    UserFactory(first_name="Ruth", last_name="Ellison", role="Board member")
    retired = ActionFactory(code="9.9(z)", retired_at="2026-01-01T00:00Z")
    retired.leads.add(UserFactory(first_name="Former", last_name="Lead", role="Officer"))
    page = board_client.get(reverse("actions:list")).content.decode()
    offered = page[page.index('id="id_lead"') : page.index("</select>", page.index('id="id_lead"'))]
    assert "Hannah Clarke" in offered
    for name in ("Alex Morgan", "Ruth Ellison", "Former Lead"):
        assert name not in offered
