"""Sign-in lock-out: per username at an address, per address, the client's real address,
and how an admin lets someone back in (bury_eis/lockout.py, django-axes)."""

import io
from datetime import timedelta
from itertools import cycle

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from bury_eis.lockout import client_address
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"  # UserFactory's
ATTACKER, OFFICE, HOME = "203.0.113.9", "198.51.100.7", "192.0.2.44"


class CountingHasher(MD5PasswordHasher):
    """A quick hasher that counts every password it hashes (checking is hashing)."""

    algorithm = "counting_md5"
    calls = 0

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.fixture(autouse=True)
def counted_hashing(settings):
    """Every password set or checked in these tests goes through CountingHasher."""
    settings.PASSWORD_HASHERS = ["tests.test_lockout.CountingHasher"]
    CountingHasher.calls = 0


@pytest.fixture
def people():
    return [
        UserFactory(username="council-admin", role="Admin", is_staff=True),
        UserFactory(username="hclarke", role="Officer"),
        UserFactory(username="board", role="Board member"),
    ]


def sign_in(username: str, password: str, address: str, **headers: str):
    """A sign-in from a fresh browser at `address`."""
    return Client(REMOTE_ADDR=address, headers=headers).post(
        reverse("login"), {"username": username, "password": password}
    )


def attack(usernames: list[str], attempts: int, address: str = ATTACKER) -> list[int]:
    """Wrong passwords for the usernames in turn from one address; the status codes."""
    names = cycle(usernames)
    return [sign_in(next(names), f"guess-{n}", address).status_code for n in range(attempts)]


def test_an_attack_from_one_address_locks_no_one_out_anywhere_else(people, settings):
    usernames = [p.username for p in people] + ["administrator", "root"]
    statuses = attack(usernames, attempts=50)
    assert statuses.count(429) >= 50 - settings.SIGN_IN_ADDRESS_FAILURE_LIMIT
    for person in people:
        response = sign_in(person.username, PASSWORD, OFFICE)
        assert response.status_code == 302, person.username
    assert sign_in("council-admin", PASSWORD, HOME).status_code == 302


def test_one_username_guessed_from_one_address_is_locked_there_only(people, settings):
    statuses = attack(["council-admin"], attempts=settings.AXES_FAILURE_LIMIT)
    assert statuses[-1] == 429
    locked = sign_in("council-admin", PASSWORD, ATTACKER)
    assert locked.status_code == 429
    assert "signing in to this account is blocked for 15 minutes" in locked.content.decode()
    assert sign_in("hclarke", PASSWORD, ATTACKER).status_code == 302  # the address is not
    assert sign_in("council-admin", PASSWORD, OFFICE).status_code == 302


def test_a_flooding_address_is_refused_without_hashing_a_password(people, settings):
    # Different usernames each time, so only the address limit can stop it.
    statuses = [
        sign_in(f"user-{n}", "guess", ATTACKER).status_code
        for n in range(settings.SIGN_IN_ADDRESS_FAILURE_LIMIT)
    ]
    assert statuses[-1] == 429 and 429 not in statuses[:-1]
    hashed, recorded = CountingHasher.calls, list(AccessAttempt.objects.values_list("pk"))
    for username, password in [("hclarke", PASSWORD), ("hclarke", "guess"), ("nobody", "x")]:
        refused = sign_in(username, password, ATTACKER)
        assert refused.status_code == 429
        assert "too many unsuccessful attempts to sign in from your network" in (
            refused.content.decode()
        )
        assert "_auth_user_id" not in refused.wsgi_request.session
    assert CountingHasher.calls == hashed  # refused before any password was checked
    assert list(AccessAttempt.objects.values_list("pk")) == recorded  # and nothing written
    assert sign_in("hclarke", PASSWORD, OFFICE).status_code == 302


def test_an_office_sharing_one_address_is_not_blocked_by_everyday_typos(settings):
    staff = [UserFactory(username=f"officer-{n}", role="Officer") for n in range(15)]
    for person in staff:
        assert sign_in(person.username, "Correct-horse-battery", OFFICE).status_code == 200
        assert sign_in(person.username, "correct-horse-batery", OFFICE).status_code == 200
        assert sign_in(person.username, PASSWORD, OFFICE).status_code == 302
    # Some forget their password and give up, one short of their own lock.
    for person in staff[:5]:
        attack([person.username], settings.AXES_FAILURE_LIMIT - 1, address=OFFICE)
    newcomer = UserFactory(username="newcomer", role="Officer")
    assert sign_in(newcomer.username, PASSWORD, OFFICE).status_code == 302


def test_the_address_lock_lasts_the_cool_off(people, settings):
    attack([f"user-{n}" for n in range(40)], settings.SIGN_IN_ADDRESS_FAILURE_LIMIT)
    assert sign_in("hclarke", PASSWORD, ATTACKER).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    )
    assert sign_in("hclarke", PASSWORD, ATTACKER).status_code == 302


# The client's address, behind the council's proxy and without it


def address_of(remote: str, forwarded: str | None = None) -> str | None:
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    return client_address(RequestFactory(REMOTE_ADDR=remote, headers=headers).get("/"))


def test_behind_the_proxy_the_address_is_the_one_the_proxy_appended(settings):
    settings.BEHIND_PROXY = True
    assert address_of("10.0.0.2", ATTACKER) == ATTACKER
    # Whatever the client wrote itself comes before the proxy's entry.
    assert address_of("10.0.0.2", f"{OFFICE}, 10.9.9.9 ,{ATTACKER}") == ATTACKER
    assert address_of("10.0.0.2", "2001:db8::1") == "2001:db8::1"


def test_behind_the_proxy_a_missing_or_garbled_header_gives_the_connection(settings):
    settings.BEHIND_PROXY = True
    assert address_of("10.0.0.2") == "10.0.0.2"
    assert address_of("10.0.0.2", "") == "10.0.0.2"
    assert address_of("10.0.0.2", f"{OFFICE}, not-an-address") == "10.0.0.2"


def test_without_the_proxy_a_forwarded_for_header_is_never_believed(settings):
    settings.BEHIND_PROXY = False
    assert address_of(ATTACKER, OFFICE) == ATTACKER


def test_an_attacker_cannot_escape_the_address_lock_by_writing_the_header(people, settings):
    settings.BEHIND_PROXY = False
    statuses = [
        sign_in(f"user-{n}", "guess", ATTACKER, x_forwarded_for=f"10.1.0.{n}").status_code
        for n in range(settings.SIGN_IN_ADDRESS_FAILURE_LIMIT + 1)
    ]
    assert statuses[-2:] == [429, 429]


def test_behind_the_proxy_each_client_is_counted_at_its_own_address(people, settings):
    settings.BEHIND_PROXY = True
    proxy = "10.0.0.2"  # every request arrives from the proxy
    statuses = [
        Client(REMOTE_ADDR=proxy, headers={"X-Forwarded-For": f"10.1.0.{n}, {ATTACKER}"})
        .post(reverse("login"), {"username": f"user-{n}", "password": "guess"})
        .status_code
        for n in range(settings.SIGN_IN_ADDRESS_FAILURE_LIMIT + 1)
    ]
    assert statuses[-2:] == [429, 429]
    real = Client(REMOTE_ADDR=proxy, headers={"X-Forwarded-For": OFFICE})
    response = real.post(reverse("login"), {"username": "council-admin", "password": PASSWORD})
    assert response.status_code == 302


# Letting someone back in


def lock(username: str, address: str, settings) -> None:
    attack([username], settings.AXES_FAILURE_LIMIT, address=address)
    assert sign_in(username, PASSWORD, address).status_code == 429


def test_another_admin_lets_a_locked_out_admin_back_in_from_the_admin_site(people, settings):
    lock("council-admin", HOME, settings)
    other = Client()
    other.force_login(UserFactory(username="second-admin", role="Admin", is_staff=True))
    listing = other.get(reverse("admin:axes_accessattempt_changelist"), {"q": "council-admin"})
    assert listing.status_code == 200
    attempt = AccessAttempt.objects.get(username="council-admin")
    assert f'value="{attempt.pk}"' in listing.content.decode()
    response = other.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="council-admin").exists()
    assert sign_in("council-admin", PASSWORD, HOME).status_code == 302


def test_an_officer_cannot_see_or_lift_lock_outs(people, settings):
    lock("council-admin", HOME, settings)
    officer = Client()
    officer.force_login(UserFactory(username="officer-x", role="Officer", is_staff=True))
    url = reverse("admin:axes_accessattempt_changelist")
    assert officer.get(url).status_code == 403
    attempt = AccessAttempt.objects.get(username="council-admin")
    officer.post(
        url, {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"}
    )
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_a_command_lets_a_locked_out_username_back_in(people, settings):
    lock("council-admin", HOME, settings)
    out = io.StringIO()
    call_command("axes_reset_username", "council-admin", stdout=out)
    assert "1 attempts removed" in out.getvalue()
    assert sign_in("council-admin", PASSWORD, HOME).status_code == 302


def test_a_command_lets_a_locked_address_back_in(people, settings):
    attack([f"user-{n}" for n in range(40)], settings.SIGN_IN_ADDRESS_FAILURE_LIMIT, OFFICE)
    assert sign_in("hclarke", PASSWORD, OFFICE).status_code == 429
    call_command("axes_reset_ip", OFFICE, stdout=io.StringIO())
    assert sign_in("hclarke", PASSWORD, OFFICE).status_code == 302
