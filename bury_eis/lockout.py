"""Sign-in lock-out (django-axes): per username at an address, and per address.

Two limits, both counted from django-axes' own records of failed sign-ins (its database
table, which every gunicorn process shares), over the last AXES_COOLOFF_TIME:

- AXES_FAILURE_LIMIT wrong passwords for one username from one address lock that username
  at that address. Someone guessing elsewhere never locks the real person out.
- SIGN_IN_ADDRESS_FAILURE_LIMIT failed sign-ins from one address, whatever the usernames,
  lock that address. It is set well above what an office sharing one public address makes
  by mistyping, and it stops one client trying password after password.

A locked attempt is refused by django-axes' backend before any password is hashed, and is
not recorded (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is off), so refusing a flood
costs a few short queries a request, not half a second of hashing.
"""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_address(request: HttpRequest) -> str | None:
    """The address of whoever sent the request (django-axes' AXES_CLIENT_IP_CALLABLE).

    Behind the council's proxy (BEHIND_PROXY), that is the last address in
    X-Forwarded-For: the one the proxy appended for the connection it received. Anything
    before it came from the client and could say anything. Without the proxy the header
    is ignored for the same reason, and the connection's own address is used.
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass  # not set by the proxy: the request came some other way
    return request.META.get("REMOTE_ADDR") or None


def address_failures(request: HttpRequest) -> int:
    """Failed sign-ins from the request's address within the cool-off, for any username."""
    recent = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
    )
    return recent.aggregate(total=Sum("failures_since_start"))["total"] or 0


def address_is_locked(request: HttpRequest) -> bool:
    return address_failures(request) >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT


class SignInLockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler, also counting every failure from the address.

    django-axes compares one count with one limit; the address has a higher limit of its
    own, so when it is reached the count given is the username limit, which locks.
    """

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        if failures < settings.AXES_FAILURE_LIMIT and address_is_locked(request):
            return settings.AXES_FAILURE_LIMIT
        return failures


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """The sign-in page saying what is locked and for how long (django-axes calls this)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        "form": AuthenticationForm(request),
        "locked_out_minutes": minutes,
        "locked_out_address": address_is_locked(request),
    }
    return render(request, "registration/login.html", context, status=429)
