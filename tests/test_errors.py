"""Friendly error pages in the house style; server errors logged, never shown."""

import logging

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_missing_page_says_what_to_check(board_client):
    response = board_client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "govuk-heading-xl" in response.content.decode()


def test_a_forbidden_page_says_why_and_who_to_ask(board_client):
    response = board_client.get(reverse("kpis:approvals"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "You cannot see this page" in page
    assert "Only approvers can approve or return termly updates." in page


@pytest.mark.urls("tests.error_urls")
def test_a_server_error_shows_the_friendly_page_and_logs_the_traceback(caplog, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page
    assert "Traceback" not in page and "Simulated failure" not in page
    logged = [r for r in caplog.records if r.name == "django.request"]
    assert logged and logged[0].exc_info is not None
    assert "Simulated failure" in str(logged[0].exc_info[1])


def test_server_errors_reach_the_log_handlers(settings):
    request_logger = settings.LOGGING["loggers"]["django.request"]
    assert request_logger["level"] == "ERROR" and request_logger["propagate"] is True
    assert settings.LOGGING["root"]["handlers"] == ["console"]
