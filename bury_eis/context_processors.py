import functools

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse

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
    ("Excel", "kpis:round_trip_start", LEADS),
    ("Approvals", "kpis:approvals", APPROVERS),
    ("Import plan", "kpis:plan_import_start", ADMINS),
    ("Data feed", "boards:feed_tokens", ADMINS),
    ("Administration", "admin:index", ADMINS),
)
# The other addresses every page's layout links to (header, sign out, timeout warning).
LAYOUT_URLS = ("home", "login", "logout", "session_refresh")


def service(request: HttpRequest) -> dict:
    """Service name, development-mode flag, the navigation the user's role allows and, for
    the timeout warning, the idle limit (read from the session already loaded: no query)."""
    nav: list[tuple[str, str]] = []
    timeout: dict[str, int] = {}
    urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
    urls = _urls(urlconf, get_script_prefix())
    if request.user.is_authenticated:
        timeout = {
            "seconds_left": seconds_until_idle_sign_out(request),
            "idle_limit": settings.SESSION_IDLE_TIMEOUT,
            "warning": settings.SESSION_TIMEOUT_WARNING,
            "warning_minutes": max(1, settings.SESSION_TIMEOUT_WARNING // 60),
        }
        audiences = {EVERYONE}
        if is_officer(request.user) or is_admin(request.user):
            audiences.add(LEADS)
        if can_approve(request.user):
            audiences.add(APPROVERS)
        if is_admin(request.user):
            audiences.add(ADMINS)
        nav = [(label, urls[name]) for label, name, who in NAVIGATION if who in audiences]
    current = request.path
    return {
        "service_name": "Education and Inclusion Strategy",
        "dev_mode": settings.DEV_MODE,
        "layout_urls": urls,
        "nav_items": [
            {"label": label, "url": url, "active": _is_active(url, current)} for label, url in nav
        ],
        "session_timeout": timeout,
    }


@functools.cache
def _urls(urlconf: str, script_prefix: str) -> dict[str, str]:
    """The layout's addresses by URL name, reversed once per URLconf and prefix (the
    arguments, which reverse() reads itself): every page needs them, and they cannot
    change while those stay the same."""
    return {
        name: reverse(name, urlconf=urlconf)
        for name in (*LAYOUT_URLS, *(name for _, name, _ in NAVIGATION))
    }


def _is_active(url: str, current: str) -> bool:
    return current == url if url == "/" else current.startswith(url)
