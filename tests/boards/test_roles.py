import pytest
from django.contrib.auth.models import Group, Permission

from bury_eis.roles import is_admin, is_board_member, is_officer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_migration_creates_the_three_roles():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Admin", "Officer", "Board member"}


def test_admins_may_change_the_plan_users_and_approve_updates():
    perms = Group.objects.get(name="Admin").permissions
    codenames = set(perms.values_list("codename", flat=True))
    assert {"change_action", "add_kpi", "change_term", "add_board", "change_user"} <= codenames
    assert "approve_progressupdate" in codenames


def test_officers_and_board_members_hold_no_admin_permissions():
    assert not Permission.objects.filter(group__name__in=["Officer", "Board member"]).exists()


def test_role_checks_follow_group_membership():
    officer = UserFactory(role="Officer")
    board = UserFactory(role="Board member")
    assert is_officer(officer) and not is_admin(officer) and not is_board_member(officer)
    assert is_board_member(board) and not is_officer(board)
    assert is_admin(UserFactory(role="Admin"))
    assert is_admin(UserFactory(is_superuser=True))
