import functools

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.safestring import mark_safe

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
    """Service name, development-mode flag, the layout's addresses, the navigation the
    user's role allows and the timeout warning (from the session already loaded: no query).

    The navigation and the warning are the same on thousands of pages, so each is rendered
    once and kept; only the warning's seconds left and CSRF token are filled in per page.
    """
    nav: list[tuple[str, str]] = []
    warning = token = ""
    urls_key = (getattr(request, "urlconf", None) or settings.ROOT_URLCONF, get_script_prefix())
    urls = _urls(*urls_key)
    if request.user.is_authenticated:
        # Every signed-in page has forms (sign out, the warning's): one token for them all,
        # since masking a token costs more than the rest of this function.
        token = get_token(request)
        warning = _timeout_warning(request, urls_key, token)
        audiences = {EVERYONE}
        if is_officer(request.user) or is_admin(request.user):
            audiences.add(LEADS)
        if can_approve(request.user):
            audiences.add(APPROVERS)
        if is_admin(request.user):
            audiences.add(ADMINS)
        nav = [(label, urls[name]) for label, name, who in NAVIGATION if who in audiences]
    current = request.path
    context = {
        "service_name": "Education and Inclusion Strategy",
        "dev_mode": settings.DEV_MODE,
        "layout_urls": urls,
        "nav_links": _nav_links(
            tuple((label, url, _is_active(url, current)) for label, url in nav)
        ),
        "timeout_warning": warning,
    }
    if token:
        context["csrf_token"] = token  # in place of the csrf processor's own, masked again
    return context


@functools.cache
def _urls(urlconf: str, script_prefix: str) -> dict[str, str]:
    """The layout's addresses by URL name, reversed once per URLconf and prefix (the
    arguments, which reverse() reads itself): every page needs them, and they cannot
    change while those stay the same."""
    return {
        name: reverse(name, urlconf=urlconf)
        for name in (*LAYOUT_URLS, *(name for _, name, _ in NAVIGATION))
    }


@functools.lru_cache(maxsize=256)
def _nav_links(items: tuple[tuple[str, str, bool], ...]) -> str:
    """The navigation's links as HTML, rendered once for each set of links: a set is a
    role's navigation with one page marked current, so there are few of them."""
    if not items:
        return ""
    nav_items = [{"label": label, "url": url, "active": active} for label, url, active in items]
    return render_to_string("includes/_nav_links.html", {"nav_items": nav_items})


# Stand-ins, in the kept warning, for the two values each page fills in.
SECONDS_LEFT_HOLE = "EIS-SECONDS-LEFT"
CSRF_TOKEN_HOLE = "EIS-CSRF-TOKEN"  # noqa: S105 - a placeholder, not a secret


def _timeout_warning(request: HttpRequest, urls_key: tuple[str, str], token: str) -> str:
    kept = _timeout_warning_html(
        urls_key,
        settings.STATIC_URL,
        settings.SESSION_IDLE_TIMEOUT,
        settings.SESSION_TIMEOUT_WARNING,
    )
    seconds_left = str(seconds_until_idle_sign_out(request))
    page = kept.replace(SECONDS_LEFT_HOLE, seconds_left).replace(CSRF_TOKEN_HOLE, token)
    return mark_safe(page)  # noqa: S308 - our template's output, with a number and a token in it


@functools.lru_cache(maxsize=16)
def _timeout_warning_html(
    urls_key: tuple[str, str], static_url: str, idle_limit: int, warning: int
) -> str:
    """The warning with stand-ins for the per-page values. The arguments are everything it
    depends on (`static_url` for the script's address, which the template reads itself)."""
    return render_to_string(
        "includes/_timeout_warning.html",
        {
            "urls": _urls(*urls_key),
            "seconds_left": SECONDS_LEFT_HOLE,
            "csrf_token": CSRF_TOKEN_HOLE,
            "idle_limit": idle_limit,
            "warning": warning,
            "warning_minutes": max(1, warning // 60),
        },
    )


def _is_active(url: str, current: str) -> bool:
    return current == url if url == "/" else current.startswith(url)
