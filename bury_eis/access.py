"""Who may open what: the one way every view checks access.

Signing in is enforced for every view by LoginRequiredMiddleware (only the sign-in page
and published packs are exempt). On top of it a view uses one of the decorators here,
which refuse with 403 and a sentence saying why, and reads any object it acts on with
`object_or_403`, which answers 404 when there is no such object and 403 when there is
one this person may not use. The rules themselves (who leads an action, who may read a
pack) are predicates beside their models' selectors; the permission matrix in
tests/test_permissions.py proves every URL for every role.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from bury_eis.roles import can_approve, is_admin, user_roles

View = Callable[..., HttpResponse]
User = AbstractBaseUser | AnonymousUser
M = TypeVar("M", bound=Model)


def requires(allowed: Callable[[User], bool], refusal: str) -> Callable[[View], View]:
    """A decorator letting through only users for whom `allowed(user)`; others get 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not allowed(request.user):
                raise PermissionDenied(refusal)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def has_a_role(user: User) -> bool:
    return is_admin(user) or bool(user_roles(user))


# Anyone given a role: board members, officers and admins.
role_required = requires(has_a_role, "Your account has not been given a role yet.")
admin_required = requires(is_admin, "Only administrators can do this.")
approver_required = requires(can_approve, "Only approvers can approve or return termly updates.")


def object_or_403(
    request: HttpRequest,
    queryset: QuerySet[M],
    allowed: Callable[[User, M], bool],
    refusal: str,
    **lookup: Any,
) -> M:
    """The object `lookup` finds in `queryset` if `allowed(user, object)`; 404 if there is
    none, 403 (with `refusal`) if this person may not use it."""
    obj = get_object_or_404(queryset, **lookup)
    if not allowed(request.user, obj):
        raise PermissionDenied(refusal)
    return obj
