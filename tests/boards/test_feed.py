"""The read-only data feed: tokens, permissions, content, filters, paging, OpenAPI conformance."""

import csv
import hashlib
import io
from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft202012Validator

from boards.feed_schema import ROWS, columns, openapi
from boards.feed_tokens import feed_token_issue, feed_token_revoke
from boards.models import FeedToken
from tests.factories import (
    ActionFactory,
    CommitmentFactory,
    ComparatorValueFactory,
    KPIFactory,
    KPIValueFactory,
    ProgressUpdateFactory,
    TermFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
SPEC = openapi()


def conforms(body: dict, resource: str) -> None:
    """The body matches the OpenAPI description of the resource's JSON page."""
    schema = {**SPEC, "$ref": f"#/components/schemas/{resource}_page"}
    errors = list(Draft202012Validator(schema).iter_errors(body))
    assert not errors, [e.message for e in errors]


@pytest.fixture
def term():
    return TermFactory()


@pytest.fixture
def figures(term):
    """Commitment 1: an approved update with a small count, a small-base percentage and a
    large one. Commitment 2: a draft update whose figure must not appear."""
    approved = ActionFactory(code="1.1(a)", lead_description="Virtual School Head")
    ProgressUpdateFactory(
        action=approved,
        term=term,
        rating="amber",
        next_steps='=HYPERLINK("http://x")',
        risks="Staff cover",
        decided_at=timezone.now(),
    )
    count = KPIFactory(action=approved, ref="i", text="Permanent exclusions", unit="count")
    KPIValueFactory(kpi=count, term=term, value=2, note="Two pupils at one school")
    small = KPIFactory(action=approved, ref="ii", text="Pupils with a plan")
    withheld = KPIValueFactory(kpi=small, term=term, value=75, numerator=3, denominator=4)
    ComparatorValueFactory(kpi_value=withheld, value=71.5, period="2022/23 academic year")
    big = KPIFactory(action=approved, ref="iii", text="-Attendance")
    KPIValueFactory(kpi=big, term=term, value=90, numerator=900, denominator=1000)
    draft = ActionFactory(code="2.1(a)", commitment=CommitmentFactory(number=2))
    ProgressUpdateFactory(action=draft, term=term, status="draft")
    unapproved = KPIValueFactory(kpi=KPIFactory(action=draft, text="Draft figure"), term=term)
    ComparatorValueFactory(kpi_value=unapproved, value=50)
    return approved


def issue(user, kind="user"):
    return feed_token_issue(user=user, name="Power BI", kind=kind, created_by=user)


@pytest.fixture
def reader(board_member):
    return issue(board_member)[1]


@pytest.fixture
def public_reader(admin_user):
    return issue(admin_user, "public")[1]


def get(client, url, token, **params):
    return client.get(url, params, headers={"Authorization": f"Bearer {token}"})


# Tokens ---------------------------------------------------------------------------------


def test_a_token_is_stored_hashed_with_a_visible_prefix(board_member):
    token, raw = issue(board_member)
    stored = FeedToken.objects.get(pk=token.pk)
    assert stored.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {stored.token_hash, stored.prefix, stored.name}
    assert stored.prefix == raw[:8] and len(raw) >= 43


def test_it_records_when_a_token_was_last_used(client, reader, figures):
    assert FeedToken.objects.get().last_used_at is None
    assert get(client, "/feed/values.json", reader).status_code == 200
    assert FeedToken.objects.get().last_used_at is not None


@pytest.mark.parametrize("url", ["/feed/values.json", "/feed/values.csv"])
def test_no_copy_of_the_feed_may_be_kept_by_a_browser_or_proxy(client, reader, figures, url):
    response = get(client, url, reader)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_it_refuses_a_request_without_a_token(client, figures):
    response = client.get("/feed/values.json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in response.json()["error"]
    conforms_error(response.json())


def conforms_error(body: dict) -> None:
    errors = list(
        Draft202012Validator({**SPEC, "$ref": "#/components/schemas/Error"}).iter_errors(body)
    )
    assert not errors


def test_it_refuses_an_unknown_token(client, reader):
    assert get(client, "/feed/values.json", reader + "x").status_code == 401


def test_it_refuses_a_revoked_token(client, board_member):
    token, raw = issue(board_member)
    assert get(client, "/feed/actions.json", raw).status_code == 200
    feed_token_revoke(token=token, user=board_member)
    assert get(client, "/feed/actions.json", raw).status_code == 401


def test_it_refuses_the_token_of_a_deactivated_user(client, board_member, reader):
    board_member.is_active = False
    board_member.save()
    assert get(client, "/feed/actions.json", reader).status_code == 401


def test_it_refuses_a_user_without_a_role(client):
    raw = issue(UserFactory(username="no-role"))[1]
    response = get(client, "/feed/actions.json", raw)
    assert response.status_code == 403


def test_a_session_does_not_open_the_feed(admin_client_eis, figures):
    assert admin_client_eis.get("/feed/values.json").status_code == 401


@pytest.fixture
def admin_client_eis(client, admin_user):
    client.force_login(admin_user)
    return client


def answers_json(response, status: int) -> str:
    """The response is the feed's Error JSON with `status`; its message."""
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    conforms_error(body)
    return body["error"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_feed_only_answers_get(client, reader, method):
    response = getattr(client, method)(
        "/feed/values.json", headers={"Authorization": f"Bearer {reader}"}
    )
    assert answers_json(response, 405) == "The feed only answers GET requests."
    assert response["Allow"] == "GET"


def test_an_unknown_resource_is_not_found(client, reader):
    message = answers_json(get(client, "/feed/passwords.json", reader), 404)
    assert message.startswith("There is no passwords feed. The feeds are terms, commitments")


@pytest.mark.parametrize("url", ["/feed/", "/feed/values.xml", "/feed/values/", "/feed/a/b"])
def test_an_unknown_address_under_the_feed_is_answered_in_json(client, reader, url):
    message = answers_json(get(client, url, reader), 404)
    assert message.startswith("There is no such address in the feed.")


def test_a_server_error_is_answered_in_json_and_logged(reader, figures, caplog):
    def database_down(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(database_down):
        response = get(client, "/feed/values.json", reader)
    assert "problem on the server" in answers_json(response, 500)
    assert "server closed the connection" not in response.content.decode()
    logged = [r for r in caplog.records if r.name == "django.request" and r.exc_info]
    assert logged and logged[0].exc_info[0] is OperationalError


def test_the_token_page_under_the_feed_keeps_its_html_errors(admin_client_eis):
    response = admin_client_eis.post(reverse("boards:feed_token_revoke", args=[999]))
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_openapi_description_lists_every_error_as_json():
    responses = SPEC["paths"]["/feed/values.json"]["get"]["responses"]
    assert {"400", "401", "403", "404", "500"} <= set(responses)
    for code in ("400", "401", "403", "404", "500"):
        assert "Error" in responses[code]["content"]["application/json"]["schema"]["$ref"]


# Content --------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", list(ROWS))
def test_every_resource_conforms_to_the_openapi_description(client, reader, figures, resource):
    response = get(client, f"/feed/{resource}.json", reader)
    assert response.status_code == 200
    body = response.json()
    conforms(body, resource)
    assert body["count"] >= 1


def test_the_openapi_description_is_public_and_lists_every_feed(client, db):
    response = client.get("/feed/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.1")
    for resource in ROWS:
        assert f"/feed/{resource}.json" in spec["paths"]
        assert f"/feed/{resource}.csv" in spec["paths"]


def test_values_are_approved_figures_only(client, reader, figures):
    body = get(client, "/feed/values.json", reader).json()
    assert {v["action_code"] for v in body["results"]} == {"1.1(a)"}
    assert sorted(v["value"] for v in body["results"]) == [2, 75, 90]
    ratings = get(client, "/feed/ratings.json", reader).json()["results"]
    assert [(r["action_code"], r["rating"], r["risks"]) for r in ratings] == [
        ("1.1(a)", "amber", "Staff cover")
    ]


def test_an_admin_token_also_reads_approved_figures_only(client, admin_user, figures):
    raw = issue(admin_user)[1]
    body = get(client, "/feed/values.json", raw).json()
    assert "2.1(a)" not in {v["action_code"] for v in body["results"]}


def test_a_public_token_gets_small_numbers_withheld_as_null_and_restricted_notes_removed(
    client, public_reader, figures
):
    body = get(client, "/feed/values.json", public_reader).json()
    conforms(body, "values")
    by_ref = {v["kpi_ref"]: v for v in body["results"]}
    figures_of = ("value", "numerator", "denominator", "cohort_size", "status")
    for ref in ("i", "ii"):
        assert by_ref[ref]["suppressed"] is True
        assert [by_ref[ref][k] for k in figures_of] == [None] * 5
    assert by_ref["i"]["note"] == ""
    assert (by_ref["iii"]["value"], by_ref["iii"]["denominator"]) == (90, 1000)
    assert by_ref["iii"]["status"] and by_ref["iii"]["suppressed"] is False
    ratings = get(client, "/feed/ratings.json", public_reader).json()["results"]
    assert ratings[0]["risks"] == "" and ratings[0]["next_steps"]


def test_other_tokens_read_every_figure_in_full(client, reader, figures):
    body = get(client, "/feed/values.json", reader).json()
    by_ref = {v["kpi_ref"]: v for v in body["results"]}
    assert (by_ref["ii"]["numerator"], by_ref["ii"]["denominator"]) == (3, 4)
    assert by_ref["i"]["note"] == "Two pupils at one school"
    assert not any(v["suppressed"] for v in body["results"])


def _kinds(schema: dict) -> set[str]:
    kind = schema.get("type", [])
    return {kind} if isinstance(kind, str) else set(kind)


NUMERIC = {
    resource: [
        name for name, schema in properties.items() if {"number", "integer"} & _kinds(schema)
    ]
    for resource, properties in ROWS.items()
}


@pytest.mark.parametrize("resource", list(ROWS))
def test_numeric_columns_of_a_public_csv_hold_only_numbers_or_nothing(
    client, public_reader, figures, resource
):
    content = get(client, f"/feed/{resource}.csv", public_reader).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    for row in rows:
        for name in NUMERIC[resource]:
            assert row[name] == "" or float(row[name]) == float(row[name]), (name, row[name])
    if resource == "values":
        assert {r["value"] for r in rows} == {"", "90.0"}
        assert {r["suppressed"] for r in rows} == {"True", "False"}


def test_the_schema_has_no_marker_in_a_numeric_column():
    for properties in ROWS.values():
        for schema in properties.values():
            assert "anyOf" not in schema and "const" not in schema


def test_csv_has_the_described_columns_and_neutralises_formulas(client, reader, figures):
    response = get(client, "/feed/ratings.csv", reader)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == columns("ratings")
    assert rows[1][columns("ratings").index("next_steps")].startswith("'=")
    kpis = list(
        csv.reader(io.StringIO(get(client, "/feed/kpis.csv", reader).content.decode("utf-8-sig")))
    )
    assert "'-Attendance" in [r[columns("kpis").index("text")] for r in kpis]
    assert response["X-Total-Count"] == "1"


# Comparators ----------------------------------------------------------------------------


def test_comparators_give_each_figure_with_its_own_period_beside_the_kpi_figure(
    client, reader, figures
):
    body = get(client, "/feed/comparators.json", reader).json()
    conforms(body, "comparators")
    (row,) = body["results"]  # the draft update's comparator is not approved
    assert (row["comparator"], row["comparator_name"], row["value"]) == (
        "england",
        "England",
        71.5,
    )
    assert row["period"] == "2022/23 academic year"
    assert (row["kpi_ref"], row["action_code"], row["data_period"], row["cohort"]) == (
        "ii",
        "1.1(a)",
        "2024/25 academic year",
        "all",
    )
    values = get(client, "/feed/values.json", reader).json()["results"]
    assert row["value_id"] in {v["id"] for v in values if v["kpi_ref"] == "ii"}


def test_a_public_token_reads_comparators_in_full_beside_a_withheld_figure(
    client, public_reader, figures
):
    body = get(client, "/feed/comparators.json", public_reader).json()
    conforms(body, "comparators")
    assert [(r["kpi_ref"], r["value"]) for r in body["results"]] == [("ii", 71.5)]


def test_comparators_as_csv_have_the_described_columns(client, reader, figures):
    response = get(client, "/feed/comparators.csv", reader)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == columns("comparators")
    assert rows[1][columns("comparators").index("period")] == "2022/23 academic year"


def test_comparators_filter_by_term_commitment_and_updated_since(client, reader, figures, term):
    later = _later_term(term)
    url = "/feed/comparators.json"
    assert get(client, url, reader, term=term.pk).json()["count"] == 1
    assert get(client, url, reader, term=later.pk).json()["count"] == 0
    assert get(client, url, reader, commitment=1).json()["count"] == 1
    assert get(client, url, reader, commitment=3).json()["count"] == 0
    from actions.models import ProgressUpdate
    from kpis.models import KPIValue

    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert get(client, url, reader, updated_since=since).json()["count"] == 1
    KPIValue.objects.update(updated_at=timezone.now() - timedelta(days=30))
    ProgressUpdate.objects.update(decided_at=timezone.now() - timedelta(days=30))
    assert get(client, url, reader, updated_since=since).json()["count"] == 0


def test_comparators_need_a_token(client, figures):
    assert client.get("/feed/comparators.json").status_code == 401


def test_comparators_page(client, reader, figures, term):
    from kpis.models import Comparator

    value = KPIValueFactory(kpi=KPIFactory(action=figures, ref="iv"), term=term)
    for code in ("north_west", "greater_manchester"):
        ComparatorValueFactory(kpi_value=value, comparator=Comparator.objects.get(code=code))
    first = get(client, "/feed/comparators.json", reader, page_size=2).json()
    assert (first["count"], first["pages"], len(first["results"])) == (3, 2, 2)
    assert "page=2" in first["next"]


def test_the_comparators_feed_costs_the_same_queries_at_any_size(
    client, reader, figures, term, django_assert_num_queries
):
    url = "/feed/comparators.json"
    get(client, url, reader)
    # The token with its user, last used, the user's roles, the count and the page.
    with django_assert_num_queries(5) as first:
        get(client, url, reader)
    for n in range(4):
        value = KPIValueFactory(kpi=KPIFactory(action=figures, ref=f"x{n}"), term=term)
        ComparatorValueFactory(kpi_value=value)
    with django_assert_num_queries(len(first.captured_queries)):
        assert get(client, url, reader).json()["count"] == 5


def _later_term(term):
    return TermFactory(
        academic_year="2025/26",
        season="spring",
        start_date=term.end_date + timedelta(days=14),
        end_date=term.end_date + timedelta(days=100),
        due_date=term.end_date + timedelta(days=90),
    )


# Filters and paging ---------------------------------------------------------------------


def test_it_filters_by_term(client, reader, figures, term):
    later = _later_term(term)
    assert get(client, "/feed/values.json", reader, term=term.pk).json()["count"] == 3
    assert get(client, "/feed/values.json", reader, term=later.pk).json()["count"] == 0


def test_it_filters_by_commitment(client, reader, figures):
    assert get(client, "/feed/actions.json", reader, commitment=2).json()["count"] == 1
    assert get(client, "/feed/values.json", reader, commitment=2).json()["count"] == 0
    assert get(client, "/feed/kpis.json", reader, commitment=1).json()["count"] == 3


def test_updated_since_includes_figures_approved_since(client, reader, figures):
    from kpis.models import KPIValue

    KPIValue.objects.update(updated_at=timezone.now() - timedelta(days=30))
    since = (timezone.now() - timedelta(days=1)).isoformat()
    # The update was approved just now, so its older figures are new to the feed.
    assert get(client, "/feed/values.json", reader, updated_since=since).json()["count"] == 3
    from actions.models import ProgressUpdate

    ProgressUpdate.objects.update(decided_at=timezone.now() - timedelta(days=30))
    ProgressUpdate.objects.update(updated_at=timezone.now() - timedelta(days=30))
    assert get(client, "/feed/values.json", reader, updated_since=since).json()["count"] == 0
    assert (
        get(client, "/feed/ratings.json", reader, updated_since="2000-01-01").json()["count"] == 1
    )


@pytest.mark.parametrize(
    ("url", "params", "parameter"),
    [
        ("/feed/values.json", {"term": "autumn"}, "term"),
        ("/feed/values.json", {"term": "99999"}, "term"),
        ("/feed/values.json", {"commitment": "one"}, "commitment"),
        ("/feed/values.json", {"updated_since": "last week"}, "updated_since"),
        ("/feed/actions.json", {"term": "1"}, "term"),
        ("/feed/values.json", {"page_size": "0"}, "page_size"),
        ("/feed/values.json", {"page_size": "5001"}, "page_size"),
        ("/feed/values.json", {"page": "9"}, "page"),
    ],
)
def test_a_bad_filter_or_page_is_refused_naming_the_parameter(
    client, reader, figures, url, params, parameter
):
    response = get(client, url, reader, **params)
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter
    conforms_error(response.json())


def test_it_pages_with_next_and_previous_links(client, reader, figures):
    first = get(client, "/feed/values.json", reader, page_size=2).json()
    assert (first["count"], first["pages"], first["previous"]) == (3, 2, None)
    assert (
        first["next"].startswith("http://testserver/feed/values.json?")
        and "page=2" in first["next"]
    )
    second = client.get(first["next"], headers={"Authorization": f"Bearer {reader}"}).json()
    assert len(second["results"]) == 1 and second["next"] is None
    ids = {v["id"] for v in first["results"]} | {v["id"] for v in second["results"]}
    assert len(ids) == 3
    csv_page = get(client, "/feed/values.csv", reader, page_size=2)
    assert 'rel="next"' in csv_page["Link"]


def test_the_values_feed_costs_the_same_queries_at_any_size(
    client, reader, figures, term, django_assert_num_queries, django_assert_max_num_queries
):
    # The token with its user, last used, the user's roles, the count and the page
    # (and the data version, where the dashboard cache reads it).
    get(client, "/feed/values.json", reader)  # warms what is read once per process
    with django_assert_max_num_queries(6) as first:
        get(client, "/feed/values.json", reader)
    for n in range(5):
        KPIValueFactory(kpi=KPIFactory(action=figures, ref=f"x{n}"), term=term, value=n + 10)
    with django_assert_num_queries(len(first.captured_queries)):
        assert get(client, "/feed/values.json", reader).json()["count"] == 8


def test_public_values_cost_the_same_queries_at_any_size(
    client, public_reader, figures, term, django_assert_num_queries
):
    # As for other tokens, less the roles, plus one: the page's breakdowns, all at once.
    get(client, "/feed/values.json", public_reader)
    with django_assert_num_queries(5) as first:
        get(client, "/feed/values.json", public_reader)
    for n in range(5):
        kpi = KPIFactory(action=figures, ref=f"x{n}")
        KPIValueFactory(kpi=kpi, term=term, value=n + 10, numerator=n + 10, denominator=100)
    with django_assert_num_queries(len(first.captured_queries)):
        assert get(client, "/feed/values.json", public_reader).json()["count"] == 8


def test_a_public_token_needs_no_role_query(
    client, public_reader, figures, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        get(client, "/feed/ratings.csv", public_reader)


# The admin's token page -----------------------------------------------------------------


def test_the_token_page_needs_signing_in(client, db):
    response = client.get(reverse("boards:feed_tokens"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_token_page_is_for_admins_only(officer_client):
    assert officer_client.get(reverse("boards:feed_tokens")).status_code == 403
    response = officer_client.post(reverse("boards:feed_token_new"), {"name": "x"})
    assert response.status_code == 403 and not FeedToken.objects.exists()


def test_an_admin_issues_a_token_and_sees_it_once(admin_client_eis, board_member):
    response = admin_client_eis.post(
        reverse("boards:feed_token_new"),
        {"user": board_member.pk, "name": "Performance team Power BI", "kind": "user"},
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    raw = response.context["issued"]["raw"]
    assert raw in response.content.decode()
    token = FeedToken.objects.get()
    assert (token.user, token.created_by.username) == (board_member, "admin-user")
    again = admin_client_eis.get(reverse("boards:feed_tokens"))
    assert raw not in again.content.decode() and token.prefix in again.content.decode()


def test_issuing_without_a_name_says_what_is_missing(admin_client_eis, board_member):
    response = admin_client_eis.post(
        reverse("boards:feed_token_new"), {"user": board_member.pk, "kind": "user"}
    )
    assert response.status_code == 400
    assert "Enter what the token is for" in response.content.decode()
    assert 'href="#id_name"' in response.content.decode()
    assert not FeedToken.objects.exists()


def test_an_admin_revokes_a_token(admin_client_eis, board_member, admin_user):
    token, _ = issue(board_member)
    response = admin_client_eis.post(reverse("boards:feed_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == admin_user


def test_only_admins_revoke(officer_client, board_member):
    token, _ = issue(board_member)
    assert (
        officer_client.post(reverse("boards:feed_token_revoke", args=[token.pk])).status_code == 403
    )
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_needs_post(admin_client_eis, board_member):
    token, _ = issue(board_member)
    assert (
        admin_client_eis.get(reverse("boards:feed_token_revoke", args=[token.pk])).status_code
        == 405
    )


def test_the_token_list_costs_the_same_queries_at_any_size(
    admin_client_eis, board_member, django_assert_num_queries
):
    issue(board_member)
    url = reverse("boards:feed_tokens")
    admin_client_eis.get(url)
    # The same few queries (session, user, roles, tokens) however many tokens there are.
    with django_assert_num_queries(5) as first:
        admin_client_eis.get(url)
    for _ in range(4):
        issue(UserFactory())
    with django_assert_num_queries(len(first.captured_queries)):
        admin_client_eis.get(url)
