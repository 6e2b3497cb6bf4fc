"""The project's URLs plus one that fails, for testing the server error page (test-only)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from bury_eis.urls import urlpatterns as project_urlpatterns


@login_not_required
def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("Simulated failure: the database went away")


urlpatterns = [*project_urlpatterns, path("broken/", broken)]
