import pytest
from django.contrib import admin
from django.urls import reverse

from actions.models import TermException
from tests.factories import (
    ActionFactory,
    KPIValueFactory,
    MeetingFactory,
    ProgressUpdateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="council-admin", role="Admin", is_staff=True))
    KPIValueFactory()
    ProgressUpdateFactory()
    MeetingFactory()
    return client


# Records of what happened, and termly updates and values, which change only through their
# service (the figure rules, four eyes): written by the service, never typed in the admin.
READ_ONLY = {
    "changerecord",
    "reminderlog",
    "boardpack",
    "progressupdate",
    "kpivalue",
    "actionlink",
}


def model_urls(name: str, read_only: bool = False) -> list[str]:
    return [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{name}")
        for model in admin.site._registry
        if model._meta.app_label in {"actions", "kpis", "boards"}
        and (model._meta.model_name in READ_ONLY) == read_only
    ]


def test_every_model_is_in_the_admin():
    registered = {m._meta.label for m in admin.site._registry}
    assert {
        "actions.Commitment",
        "actions.Sector",
        "actions.Action",
        "actions.ProgressUpdate",
        "kpis.KPI",
        "actions.Term",
        "kpis.Cohort",
        "kpis.Comparator",
        "kpis.KPIValue",
        "boards.Board",
        "boards.Meeting",
        "boards.BoardPack",
    } <= registered


def test_an_admin_can_list_search_and_add_every_model(admin_client):
    for url in model_urls("changelist") + model_urls("changelist", read_only=True):
        assert admin_client.get(url, {"q": "a"}).status_code == 200, url
    for url in model_urls("add"):
        assert admin_client.get(url).status_code == 200, url


def test_history_cannot_be_written_in_the_admin(admin_client):
    for url in model_urls("add", read_only=True):
        assert admin_client.get(url).status_code == 403, url


def test_an_admin_cannot_approve_or_change_figures_behind_the_service(admin_client):
    """Setting an update's status or a value in the admin would skip four eyes and the rules
    for figures; admins see them there and change them on the update page like anyone."""
    update = ProgressUpdateFactory(status="submitted")
    change = reverse("admin:actions_progressupdate_change", args=[update.pk])
    response = admin_client.post(change, {"status": "approved", "rating": "blue"})
    assert response.status_code == 403
    update.refresh_from_db()
    assert update.status == "submitted"
    page = admin_client.get(change)
    assert page.status_code == 200 and 'name="status"' not in page.content.decode()


def test_granting_an_exception_in_the_admin_records_who(admin_client, open_term):
    action = ActionFactory(code="1.1(z)")
    response = admin_client.post(
        reverse("admin:actions_termexception_add"),
        {"action": action.pk, "term": open_term.pk, "reason": "Late validated figures"},
    )
    assert response.status_code == 302
    exception = TermException.objects.get()
    assert exception.granted_by.username == "council-admin"
    assert exception.reason == "Late validated figures"


def test_officers_cannot_use_the_admin(client):
    client.force_login(UserFactory(role="Officer"))
    response = client.get(reverse("admin:actions_action_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
