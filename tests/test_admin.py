import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import (
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


def model_urls(name: str) -> list[str]:
    return [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{name}")
        for model in admin.site._registry
        if model._meta.app_label in {"actions", "kpis", "boards"}
    ]


def test_every_model_is_in_the_admin():
    registered = {m._meta.label for m in admin.site._registry}
    assert {
        "actions.Commitment",
        "actions.Sector",
        "actions.Action",
        "actions.ProgressUpdate",
        "kpis.KPI",
        "kpis.Term",
        "kpis.Cohort",
        "kpis.Comparator",
        "kpis.KPIValue",
        "boards.Board",
        "boards.Meeting",
        "boards.BoardPack",
    } <= registered


def test_an_admin_can_list_search_and_add_every_model(admin_client):
    for url in model_urls("changelist"):
        assert admin_client.get(url, {"q": "a"}).status_code == 200, url
    for url in model_urls("add"):
        assert admin_client.get(url).status_code == 200, url


def test_officers_cannot_use_the_admin(client):
    client.force_login(UserFactory(role="Officer"))
    response = client.get(reverse("admin:actions_action_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
