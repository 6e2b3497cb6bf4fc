"""What every page's layout needs: the service's name, the navigation the user's role
allows, and the figures for the timeout warning."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from bury_eis.roles import can_approve, is_admin, is_officer
from bury_eis.security import seconds_until_idle_sign_out

# The navigation: label, URL name, and who sees it.
EVERYONE, LEADS, APPROVERS, ADMINS = "everyone", "leads", "approvers", "admins"
NAVIGATION = (
    ("Dashboard", "home", EVERYONE),
    ("Actions", "actions:list", EVERYONE),
    ("KPIs", "kpis:kpi_list", EVERYONE),
    ("Boards", "boards:list", EVERYONE),
    ("My actions", "kpis:my_actions", LEADS),
    ("Excel", "spreadsheets:round_trip_start", LEADS),
    ("Approvals", "kpis:approvals", APPROVERS),
    ("Plans", "boards:plans", ADMINS),
    ("Reporting period", "boards:reporting_period", ADMINS),
    ("Import plan", "spreadsheets:plan_import_start", ADMINS),
    ("Data feed", "boards:feed_tokens", ADMINS),
    ("Administration", "admin:index", ADMINS),
)


def service(request: HttpRequest) -> dict:
    """Service name, development-mode flag, the navigation and the timeout warning's
    figures (from the session already loaded: no query)."""
    context = {
        "service_name": "Delivery plans",
        "dev_mode": settings.DEV_MODE,
        "nav_items": [],
    }
    if request.user.is_authenticated:
        context["nav_items"] = _navigation(request)
        warning = settings.SESSION_TIMEOUT_WARNING
        context["timeout"] = {
            "seconds_left": seconds_until_idle_sign_out(request),
            "idle_limit": settings.SESSION_IDLE_TIMEOUT,
            "warning": warning,
            "warning_minutes": max(1, warning // 60),
        }
    return context


def _navigation(request: HttpRequest) -> list[dict]:
    audiences = {EVERYONE}
    if is_officer(request.user) or is_admin(request.user):
        audiences.add(LEADS)
    if can_approve(request.user):
        audiences.add(APPROVERS)
    if is_admin(request.user):
        audiences.add(ADMINS)
    items = []
    for label, name, who in NAVIGATION:
        if who in audiences:
            url = reverse(name)
            active = request.path == url if url == "/" else request.path.startswith(url)
            items.append({"label": label, "url": url, "active": active})
    return items
