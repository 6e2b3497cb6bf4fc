"""Where signing in lands."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from bury_eis.roles import is_admin, is_board_member, is_officer


def start(request: HttpRequest) -> HttpResponse:
    """Officers land on My actions, what they sign in to do; board members and admins on the
    dashboard. A sign-in with `?next=` goes there instead (Django's LoginView)."""
    user = request.user
    if is_officer(user) and not (is_admin(user) or is_board_member(user)):
        return redirect("kpis:my_actions")
    return redirect("home")
