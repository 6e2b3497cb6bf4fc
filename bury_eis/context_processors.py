from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from bury_eis.roles import can_approve, is_admin, is_officer


def service(request: HttpRequest) -> dict:
    """Service name, development-mode flag and the navigation the user's role allows."""
    nav: list[tuple[str, str]] = []
    if request.user.is_authenticated:
        nav = [
            ("Dashboard", reverse("home")),
            ("Actions", reverse("actions:list")),
            ("KPIs", reverse("kpis:kpi_list")),
            ("Boards", reverse("boards:list")),
        ]
        if is_officer(request.user) or is_admin(request.user):
            nav.append(("My actions", reverse("kpis:my_actions")))
            nav.append(("Excel", reverse("kpis:round_trip_start")))
        if can_approve(request.user):
            nav.append(("Approvals", reverse("kpis:approvals")))
        if is_admin(request.user):
            nav.append(("Import plan", reverse("kpis:plan_import_start")))
            nav.append(("Data feed", reverse("boards:feed_tokens")))
            nav.append(("Administration", reverse("admin:index")))
    current = request.path
    return {
        "service_name": "Education and Inclusion Strategy",
        "dev_mode": settings.DEV_MODE,
        "nav_items": [
            {"label": label, "url": url, "active": _is_active(url, current)} for label, url in nav
        ],
    }


def _is_active(url: str, current: str) -> bool:
    return current == url if url == "/" else current.startswith(url)
