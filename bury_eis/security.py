"""Response headers and session rules the service adds on top of Django's own.

Django's SecurityMiddleware already sends X-Content-Type-Options, Referrer-Policy and
Cross-Origin-Opener-Policy, and XFrameOptionsMiddleware denies framing; this module adds
the Content-Security-Policy, the rule that no copy of a response may be kept, and the idle
limit on sessions (the sign-in lock-out is in bury_eis/lockout.py).
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

# Session keys, as seconds since the epoch: when the person signed in, and when they were
# last seen doing anything.
SIGNED_IN_AT = "eis_signed_in_at"
SEEN_AT = "eis_seen_at"
IDLE_SIGN_OUT = "You were signed out because you had not used the service for {minutes} minutes."


class ContentSecurityPolicyMiddleware:
    """Send settings.CONTENT_SECURITY_POLICY on every response that does not set its own.

    Django 5.2 has no CSP support of its own; the policy is one fixed string (no nonces,
    since no page has inline script or style), so a few lines beat a dependency.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class NoStoreMiddleware:
    """Send `Cache-Control: private, no-store` on every response that sets no policy of its own.

    Nearly everything the service sends is restricted: signed-in pages, exports, board
    packs and the token-read feed. No browser or proxy may keep a copy for the next person
    at a shared computer or behind the same proxy. Published packs get it too, so a
    withdrawn pack is gone at once. Static files never reach this (WhiteNoise answers them
    first, with its own long-lived caching); the admin sets its own, equally strict, policy.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Cache-Control", "private, no-store")
        return response


def stamp_session(sender: object, request: HttpRequest, user: object, **kwargs: object) -> None:
    """On sign-in, note when, so idle and absolute limits need no write on the next request."""
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[SEEN_AT] = now


class SessionIdleTimeoutMiddleware:
    """Sign out a session left idle for SESSION_IDLE_TIMEOUT seconds.

    The last-seen time is written at most once per SESSION_IDLE_REFRESH seconds, so a
    busy page costs no database write; the idle limit is therefore exact to within that.
    SESSION_COOKIE_AGE stays an absolute limit because the sign-in time is checked too
    (refreshing the session would otherwise push the cookie's own expiry forward).
    Must come after AuthenticationMiddleware and MessageMiddleware and before
    LoginRequiredMiddleware, which then sends the signed-out request to the sign-in page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self._check(request, int(time.time()))
        return self.get_response(request)

    def _check(self, request: HttpRequest, now: int) -> None:
        session = request.session
        seen = session.get(SEEN_AT, 0)
        signed_in = session.get(SIGNED_IN_AT, 0)
        if now - seen > settings.SESSION_IDLE_TIMEOUT:
            logout(request)
            minutes = settings.SESSION_IDLE_TIMEOUT // 60
            messages.info(request, IDLE_SIGN_OUT.format(minutes=minutes))
        elif now - signed_in > settings.SESSION_COOKIE_AGE:
            logout(request)
        elif now - seen > settings.SESSION_IDLE_REFRESH:
            session[SEEN_AT] = now


def seconds_until_idle_sign_out(request: HttpRequest) -> int:
    """How long the signed-in person may stay idle before the middleware signs them out."""
    seen = request.session.get(SEEN_AT, 0)
    return max(0, seen + settings.SESSION_IDLE_TIMEOUT - int(time.time()))


@require_POST
def session_refresh(request: HttpRequest) -> HttpResponse:
    """Start the idle limit again ("Stay signed in" on the timeout warning); writes the session.

    Any signed-in person may do this, whatever their role; LoginRequiredMiddleware sends
    everyone else to sign in, and the idle middleware has already signed out a session
    that ran out before this request.
    """
    request.session[SEEN_AT] = int(time.time())
    return HttpResponse(status=204)
