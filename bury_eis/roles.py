"""The three roles, as Django groups created by migration, and checks on them."""

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Permission
from django.db.models import Q

ADMIN = "Admin"
OFFICER = "Officer"
BOARD_MEMBER = "Board member"
ROLES = (ADMIN, OFFICER, BOARD_MEMBER)


def _kept(user: AbstractBaseUser, name: str, read: Callable[[], object]) -> object:
    """`read()` once per request: kept on the request's user object, which lives only as
    long as the request, so a role given or taken away applies from the next one."""
    attribute = f"_eis_{name}"
    if not hasattr(user, attribute):
        setattr(user, attribute, read())
    return getattr(user, attribute)


def user_roles(user: AbstractBaseUser | AnonymousUser) -> frozenset[str]:
    """The user's role names, read once per request."""
    if not user.is_authenticated:
        return frozenset()
    return _kept(user, "roles", lambda: frozenset(user.groups.values_list("name", flat=True)))


def is_admin(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or ADMIN in user_roles(user)))


def is_officer(user: AbstractBaseUser | AnonymousUser) -> bool:
    return OFFICER in user_roles(user)


def is_board_member(user: AbstractBaseUser | AnonymousUser) -> bool:
    return BOARD_MEMBER in user_roles(user)


def can_approve(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Admins, and users given the approver permission directly or through a group.

    One query at most, once per request.
    """
    if not user.is_authenticated:
        return False
    if is_admin(user):
        return True
    return _kept(
        user,
        "can_approve",
        lambda: (
            Permission.objects.filter(
                Q(user=user) | Q(group__user=user),
                codename="approve_progressupdate",
                content_type__app_label="actions",
            )
            .distinct()
            .exists()
        ),
    )
