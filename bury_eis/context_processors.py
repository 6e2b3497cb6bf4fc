from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from bury_eis.roles import can_approve, is_admin, is_officer
from bury_eis.security import seconds_until_idle_sign_out


def service(request: HttpRequest) -> dict:
    """Service name, development-mode flag, the navigation the user's role allows and, for
    the timeout warning, the idle limit (read from the session already loaded: no query)."""
    nav: list[tuple[str, str]] = []
    timeout: dict[str, int] = {}
    if request.user.is_authenticated:
        timeout = {
            "seconds_left": seconds_until_idle_sign_out(request),
            "idle_limit": settings.SESSION_IDLE_TIMEOUT,
            "warning": settings.SESSION_TIMEOUT_WARNING,
            "warning_minutes": max(1, settings.SESSION_TIMEOUT_WARNING // 60),
        }
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
        "session_timeout": timeout,
    }


def _is_active(url: str, current: str) -> bool:
    return current == url if url == "/" else current.startswith(url)
