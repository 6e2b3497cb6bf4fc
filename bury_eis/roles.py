"""The three roles, as Django groups created by migration, and checks on them."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse

ADMIN = "Admin"
OFFICER = "Officer"
BOARD_MEMBER = "Board member"
ROLES = (ADMIN, OFFICER, BOARD_MEMBER)


def user_roles(user: AbstractBaseUser | AnonymousUser) -> frozenset[str]:
    """The user's role names, read once per request and kept on the user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_eis_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._eis_roles = cached
    return cached


def is_admin(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or ADMIN in user_roles(user)))


def is_officer(user: AbstractBaseUser | AnonymousUser) -> bool:
    return OFFICER in user_roles(user)


def is_board_member(user: AbstractBaseUser | AnonymousUser) -> bool:
    return BOARD_MEMBER in user_roles(user)


def role_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let through users who hold any role; a signed-in account without one gets 403.

    Sign-in itself is enforced for every view by LoginRequiredMiddleware.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not (is_admin(request.user) or user_roles(request.user)):
            raise PermissionDenied("Your account has not been given a role yet.")
        return view(request, *args, **kwargs)

    return wrapped


def can_approve(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Admins, and users given the approver permission directly or through a group.

    One query, kept on the user object for the rest of the request.
    """
    if not user.is_authenticated:
        return False
    if is_admin(user):
        return True
    cached = getattr(user, "_eis_can_approve", None)
    if cached is None:
        cached = (
            Permission.objects.filter(
                Q(user=user) | Q(group__user=user),
                codename="approve_progressupdate",
                content_type__app_label="actions",
            )
            .distinct()
            .exists()
        )
        user._eis_can_approve = cached
    return cached
