"""Issue's end-to-end claim: from an empty database, both plans import side by side, the
feed gives each plan exactly its own rows, re-importing either changes nothing in the other,
and the demo data covers both."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from actions.models import Action, Term
from boards.feed_tokens import feed_token_issue
from kpis.models import KPI
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STRATEGY, SEND_PIP = "fixtures/delivery_plan.xlsx", "fixtures/send_pip.xlsx"


def _import(path: str, plan: str) -> str:
    out = io.StringIO()
    call_command("import_plan", path, "--plan", plan, stdout=out)
    return out.getvalue()


def _snapshot(slug: str) -> tuple:
    actions = list(Action.objects.filter(plan__slug=slug).order_by("pk").values())
    kpis = list(KPI.objects.filter(action__plan__slug=slug).order_by("pk").values()) + list(
        KPI.objects.filter(area__plan__slug=slug).order_by("pk").values()
    )
    history = Action.history.filter(plan__slug=slug).count()
    return actions, kpis, history


def _feed(client, token: str, resource: str, plan: str) -> list[dict]:
    rows, url = [], f"{reverse('boards:feed_json', args=[resource])}?plan={plan}&page_size=1000"
    while url:
        page = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}").json()
        rows += page["results"] if "results" in page else page["rows"]
        url = page.get("next")
    return rows


def test_both_plans_import_and_the_feed_gives_each_exactly_its_own(client):
    _import(STRATEGY, "eis")
    _import(SEND_PIP, "send-pip")
    assert Action.objects.filter(plan__slug="eis").count() == 95
    assert KPI.objects.filter(action__plan__slug="eis").count() == 541
    assert Action.objects.filter(plan__slug="send-pip").count() == 52
    assert KPI.objects.filter(area__plan__slug="send-pip").count() == 53
    admin = UserFactory(username="feed-admin", role="Admin")
    _, token = feed_token_issue(user=admin, name="Power BI", kind="user", created_by=admin)
    pip_actions = _feed(client, token, "actions", "send-pip")
    assert len(pip_actions) == 52 and {a["plan"] for a in pip_actions} == {"send-pip"}
    due = {a["code"]: a["due_date"] for a in pip_actions}
    assert due["1.1c"] == "2024-06-30" and due["3.1e"] == "2024-12-31"
    assert all(due.values())  # every SEND action has its due date, as an ISO date
    assert len(_feed(client, token, "kpis", "send-pip")) == 53
    strategy = _feed(client, token, "actions", "eis")
    assert len(strategy) == 95 and {a["plan"] for a in strategy} == {"eis"}
    assert len(_feed(client, token, "kpis", "eis")) == 541


def test_reimporting_either_plan_changes_nothing_in_either():
    _import(STRATEGY, "eis")
    _import(SEND_PIP, "send-pip")
    before = _snapshot("eis"), _snapshot("send-pip")
    assert "Nothing to change" in _import(SEND_PIP, "send-pip")
    assert "Nothing to change" in _import(STRATEGY, "eis")
    assert (_snapshot("eis"), _snapshot("send-pip")) == before


def test_the_demo_covers_both_plans_with_months_for_the_send_plan():
    _import(STRATEGY, "eis")
    _import(SEND_PIP, "send-pip")
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    months = Term.objects.filter(plan__slug="send-pip")
    assert months.count() >= 6 and not months.exclude(season="").exists()
    assert Term.objects.filter(plan__slug="eis").exclude(season="").count() == 7
    assert "8 SEND plan risks" in out.getvalue()
