"""Pages for work the worker is doing: they say so, and show the result once it is done.

With JavaScript, static/js/job-progress.js checks every few seconds and goes to the result
once there is one, so the page is not reloaded while nothing has changed. Without it, a
`<meta http-equiv="refresh">` inside `<noscript>` reloads the page while its job is queued
or running, and never once it has finished. Anyone can stop either (WCAG 2.2.1: a page
that changes by itself must let people turn that off), and every progress page offers
"Check again" instead.
"""

from urllib.parse import urlencode

from django.http import HttpRequest

REFRESH_SECONDS = 3


def progress_context(request: HttpRequest, *, pending: bool, query: dict | None = None) -> dict:
    """What base.html and includes/_refreshing.html need: whether the page refreshes
    itself, and the addresses of "Check again" and of stopping or restarting the refresh.

    `query` is what the page's own address carries when it is checked again (a PDF's
    progress page asks for the "ready" page rather than the file itself).
    """
    stopped = request.GET.get("refresh") == "off"
    query = query or {}

    def here(**extra: str) -> str:
        params = urlencode({**query, **extra})
        return f"{request.path}?{params}" if params else request.path

    return {
        "pending": pending,
        "refresh_seconds": REFRESH_SECONDS if pending and not stopped else None,
        # Only where it differs from this page's own address: a plain refresh reloads it.
        "refresh_url": here() if here() != request.get_full_path() else "",
        "refresh_stopped": stopped,
        "check_again_url": here(refresh="off") if stopped else here(),
        "stop_refresh_url": here(refresh="off"),
        "start_refresh_url": here(),
    }
