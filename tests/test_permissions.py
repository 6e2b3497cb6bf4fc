"""Who may do what: every URL the project serves × every role × GET and POST.

The URL names come from the resolver, so a new page with no row in MATRIX fails
`test_every_url_has_a_row` (and the matrix test) until someone decides who may use it.
Each case runs against the same objects, rolled back after every request, so a POST that
approves, publishes or imports never changes what the next role sees.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from actions.models import Plan
from boards.services import board_pack_publish
from spreadsheets.plan_imports import plan_import_stage
from tests.conftest import generated_pack
from tests.factories import (
    ActionFactory,
    BoardFactory,
    KPIFactory,
    MeetingFactory,
    ProgressUpdateFactory,
    TermFactory,
    UserFactory,
)
from tests.risks.factories import RiskFactory
from tests.workbooks import workbook_bytes

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "lead", "other officer", "board member", "admin")

# Outcomes: a status code, LOGIN (302 to the sign-in page) or MOVED (302 anywhere else:
# the page's own next step after a successful POST, or home for a signed-in visitor).
LOGIN = "login"
MOVED = "moved"
ADMIN_LOGIN = "admin login"


def _walk(patterns: list, namespace: str = "") -> list[str]:
    """Every named URL pattern, as "namespace:name", below `patterns`."""
    names = []
    for p in patterns:
        if isinstance(p, URLResolver):
            # The admin's generated URLs are Django's own code behind one rule (staff with
            # model permissions); ADMIN_URLS below checks our roles meet that rule at the
            # index and one list per app, rather than ~100 pages of Django's admin.
            if p.namespace == "admin":
                continue
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            names += _walk(p.url_patterns, inner)
        elif isinstance(p, URLPattern) and p.name:
            names.append(f"{namespace}{p.name}")
    return names


ADMIN_URLS = [
    "admin:index",
    "admin:actions_action_changelist",
    "admin:actions_term_changelist",
    "admin:boards_board_changelist",
    "admin:auth_user_changelist",
    "admin:bury_eis_auditrecord_changelist",
    "admin:axes_accessattempt_changelist",
]


def project_urls() -> list[str]:
    return sorted(set(_walk(get_resolver().url_patterns))) + ADMIN_URLS


@dataclass
class World:
    """One of everything a URL can point at, with the people the roles stand for."""

    users: dict
    action: object
    term: object
    update: object
    meeting: object
    pack: object
    staged: object
    extra: dict  # pks for URLs whose object is made by the row's own app (see `world`)


@pytest.fixture
def world(db) -> World:
    today = timezone.localdate()
    term = TermFactory(
        academic_year=f"{today.year}/{str(today.year + 1)[2:]}",
        start_date=today - timedelta(days=30),
        end_date=today + timedelta(days=30),
        due_date=today + timedelta(days=10),
    )
    users = {
        "lead": UserFactory(username="lead", role="Officer"),
        "other officer": UserFactory(username="other", role="Officer"),
        "board member": UserFactory(username="member", role="Board member"),
        "admin": UserFactory(username="admin", role="Admin", is_staff=True),
    }
    action = ActionFactory(code="1.1(a)")
    action.leads.add(users["lead"])
    ActionFactory(code="1.1(b)").leads.add(users["other officer"])
    KPIFactory(action=action)
    update = ProgressUpdateFactory(action=action, term=term, status="submitted")
    board = BoardFactory(slug="education-board")
    board.members.add(users["board member"])
    meeting = MeetingFactory(board=board, date=date(2026, 3, 17))
    pack = generated_pack(meeting=meeting, term=term, user=users["admin"])
    board_pack_publish(pack=pack, user=users["admin"])
    row = [1, "INCLUSIVE", 1, "All Settings", "1.1(a)", "Building a culture", "i", "% safe"]
    staged = plan_import_stage(
        plan=Plan.objects.get(slug="eis"),
        data=workbook_bytes([row]),
        name="plan.xlsx",
        user=users["admin"],
    )
    risk = RiskFactory(owner=users["lead"])  # the lead owns it: may edit and review it
    risk_urls = dict.fromkeys(("risks:detail", "risks:edit", "risks:review"), risk.pk)
    extra = {**_feed_token(users), **_round_trip(users), **_prepared(users), **risk_urls}
    return World(users, action, term, update, meeting, pack, staged, extra=extra)


def _round_trip(users: dict) -> dict:
    """The lead's uploaded plan-and-figures workbook, unedited, for its preview and confirm."""
    from actions.models import Action
    from spreadsheets.plan_export import ExportScope, plan_export_bytes
    from spreadsheets.round_trip_uploads import round_trip_stage

    today = timezone.localdate()
    scope = ExportScope(Action.objects.all(), "The whole plan", users["lead"])
    data = plan_export_bytes(scope, today)
    staged = round_trip_stage(data=data, name="plan.xlsx", user=users["lead"])
    return dict.fromkeys(ROUND_TRIP_URLS, staged.pk)


def _prepared(users: dict) -> dict:
    """The lead's plan-and-figures workbook, prepared by the worker: theirs alone."""
    from spreadsheets.prepared_downloads import Wanted, prepared_download_request
    from tests.conftest import run_tasks

    wanted = Wanted("mine", Plan.objects.get(slug="eis"))
    prepared = prepared_download_request(user=users["lead"], wanted=wanted)
    run_tasks()
    urls = ("spreadsheets:prepared_download", "spreadsheets:prepared_download_file")
    return dict.fromkeys(urls, prepared.pk)


ROUND_TRIP_URLS = (
    "spreadsheets:round_trip_preview",
    "spreadsheets:round_trip_confirm",
    "spreadsheets:round_trip_retry",
)


def _feed_token(users: dict) -> dict:
    """A feed token to revoke, where the feed exists (it lands separately from this test)."""
    if "boards:feed_token_revoke" not in project_urls():
        return {}
    from boards.feed_tokens import feed_token_issue

    token, _ = feed_token_issue(
        user=users["board member"], name="Power BI", kind="user", created_by=users["admin"]
    )
    return {"boards:feed_token_revoke": token.pk}


# Which object a URL's `pk` names, where it is not the pack.
PK_OF = {
    "kpis:action": "action",
    "kpis:approval": "update",
    "kpis:approve": "update",
    "kpis:return": "update",
    "spreadsheets:plan_import_preview": "staged",
    "spreadsheets:plan_import_confirm": "staged",
    "spreadsheets:plan_import_retry": "staged",
    "spreadsheets:plan_import_columns": "staged",
    "boards:meeting": "meeting",
    "boards:pack_generate": "meeting",
    "boards:reporting_period_check": "term",
    "boards:reporting_period_publish": "term",
}


def url_for(name: str, w: World) -> str:
    """The URL named `name`, pointing at the world's objects (by each argument's name)."""
    from django.urls import get_resolver

    pk = getattr(w, PK_OF.get(name, "pack")).pk
    values = {
        "pk": w.extra.get(name, pk),
        "number": w.action.commitment.number,
        "action_pk": w.action.pk,
        "term_pk": w.term.pk,
        "slug": w.meeting.board.slug,
        "token": w.pack.public_token,
        "resource": "actions",
        "plan_slug": "send-pip",
    }
    _, route_kwargs = _parameters(get_resolver(), name)
    return reverse(name, kwargs={k: values[k] for k in route_kwargs})


def _parameters(resolver, name: str) -> tuple[str, list[str]]:
    """The named pattern's parameters, from the resolver's reverse table."""
    *namespaces, short = name.split(":")
    for ns in namespaces:
        resolver = resolver.namespace_dict[ns][1]
    possibilities = resolver.reverse_dict.getlist(short)
    return short, list(possibilities[0][0][0][1]) if possibilities else []


def outcome(response) -> object:
    """What a response amounts to, in MATRIX's terms."""
    if response.status_code != 302:
        return response.status_code
    path = urlsplit(response["Location"]).path
    if path == reverse("login"):
        return LOGIN
    if path == reverse("admin:login"):
        return ADMIN_LOGIN
    return MOVED


def test_every_url_has_a_row() -> None:
    assert set(project_urls()) - set(MATRIX) == set(), "Add a row to MATRIX for these URLs"
    assert set(MATRIX) - set(project_urls()) == set(), "These rows name URLs that are gone"


def test_each_role_gets_exactly_what_the_matrix_says(world: World) -> None:
    """Every URL × role × method; all differences are reported together."""
    wrong = []
    for name in project_urls():
        url = url_for(name, world)
        for method in ("GET", "POST"):
            for role, expected in zip(ROLES, MATRIX[name][method], strict=True):
                got = _request(world, url, method, role)
                if got != expected:
                    wrong.append(f"{method} {url} ({name}) as {role}: {got}, expected {expected}")
    assert wrong == []


def _request(world: World, url: str, method: str, role: str) -> object:
    """The outcome of one request, with everything it wrote rolled back."""
    with transaction.atomic():
        client = Client()
        if role != "anonymous":
            client.force_login(world.users[role])
        response = getattr(client, method.lower())(url)
        transaction.set_rollback(True)
    return outcome(response)


# Roles:            anonymous, lead,   other officer, board member, admin
ALL_ROLES = (LOGIN, 200, 200, 200, 200)
READERS = (LOGIN, 200, 200, 200, 200)  # everyone with a role; approved figures only
ADMINS = (LOGIN, 403, 403, 403, 200)
ADMIN_ACT = (LOGIN, 403, 403, 403, MOVED)  # a POST that changes something, then moves on
POST_ONLY = (LOGIN, 405, 405, 405, 405)  # GET refused once signed in
PUBLIC = (200, 200, 200, 200, 200)
FEED = (401, 401, 401, 401, 401)  # a bearer token, never a signed-in session
NOT_ALLOWED = (405, 405, 405, 405, 405)
ADMIN_SITE = (LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200)  # is_staff: admins only
PACK_READERS = (LOGIN, 403, 403, 200, 200)  # the board's members and admins
PDF_READERS = (LOGIN, 403, 403, 202, 202)
LEADS = (LOGIN, 200, 403, 403, 200)  # those who lead the action, and admins
MOVED_ON = (LOGIN, MOVED, MOVED, MOVED, MOVED)  # everyone with a role, sent on elsewhere
OWNER_ONLY = (LOGIN, 200, 404, 404, 404)  # the lead's own prepared workbook

# GET-only function views answer a POST as they answer a GET (Django's default); CSRF
# protection, which the test client leaves off, refuses a forged one in real use.
MATRIX: dict[str, dict[str, tuple]] = {
    "home": {"GET": READERS, "POST": READERS},
    "login": {"GET": (200, MOVED, MOVED, MOVED, MOVED), "POST": (200, MOVED, MOVED, MOVED, MOVED)},
    "logout": {"GET": POST_ONLY, "POST": (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN)},
    # Where signing in lands: My actions or the dashboard, by role.
    "start": {
        "GET": (LOGIN, MOVED, MOVED, MOVED, MOVED),
        "POST": (LOGIN, MOVED, MOVED, MOVED, MOVED),
    },
    # "Stay signed in" on the timeout warning: anyone signed in, whatever their role.
    "session_refresh": {"GET": POST_ONLY, "POST": (LOGIN, 204, 204, 204, 204)},
    "actions:list": {"GET": READERS, "POST": READERS},
    "actions:commitment": {"GET": READERS, "POST": READERS},
    "kpis:kpi_list": {"GET": READERS, "POST": READERS},
    "kpis:action": {"GET": READERS, "POST": READERS},
    # Officers who lead any action, and admins; board members lead none.
    "kpis:my_actions": {"GET": (LOGIN, 200, 200, 403, 200), "POST": (LOGIN, 200, 200, 403, 200)},
    "kpis:update": {"GET": LEADS, "POST": LEADS},
    # An empty POST is refused by the form (page shown again), after the permission check.
    "kpis:update_save": {"GET": POST_ONLY, "POST": LEADS},
    "kpis:update_submit": {"GET": POST_ONLY, "POST": LEADS},
    "kpis:approvals": {"GET": ADMINS, "POST": ADMINS},
    "kpis:approval": {"GET": ADMINS, "POST": ADMINS},
    "kpis:approve": {"GET": POST_ONLY, "POST": ADMIN_ACT},
    "kpis:return": {"GET": POST_ONLY, "POST": (LOGIN, 403, 403, 403, 400)},  # 400: no reason
    "spreadsheets:plan_import_start": {
        "GET": ADMINS,
        "POST": (LOGIN, 403, 403, 403, 400),
    },  # no file
    "spreadsheets:plan_import_template": {"GET": ADMINS, "POST": ADMINS},
    "spreadsheets:plan_import_preview": {"GET": ADMINS, "POST": ADMINS},
    "spreadsheets:plan_import_confirm": {"GET": POST_ONLY, "POST": ADMIN_ACT},
    # Only a failed job is tried again; for anything else the admin is told so.
    "spreadsheets:plan_import_retry": {"GET": POST_ONLY, "POST": ADMIN_ACT},
    # Columns are matched only while the check waits for it; otherwise the admin is told so.
    "spreadsheets:plan_import_columns": {"GET": POST_ONLY, "POST": ADMIN_ACT},
    # The plan and its figures in Excel: every role downloads (approved figures, plus a
    # lead's own); officers who lead an action and admins upload; an upload's preview is
    # its uploader's (and admins'), and only its uploader confirms it.
    "spreadsheets:round_trip_start": {"GET": READERS, "POST": READERS},
    # The workbook is prepared by the worker: the old download address only sends people to
    # the page that asks for it; asking queues it and shows its page. A prepared workbook is
    # its requester's alone: anyone else, admins too, is told there is no such page.
    "spreadsheets:plan_export": {"GET": MOVED_ON, "POST": MOVED_ON},
    "spreadsheets:plan_export_prepare": {"GET": POST_ONLY, "POST": MOVED_ON},
    "spreadsheets:prepared_download": {"GET": OWNER_ONLY, "POST": OWNER_ONLY},
    "spreadsheets:prepared_download_file": {"GET": OWNER_ONLY, "POST": OWNER_ONLY},
    "spreadsheets:round_trip_upload": {
        "GET": POST_ONLY,
        "POST": (LOGIN, 400, 400, 403, 400),
    },  # no file
    "spreadsheets:round_trip_preview": {
        "GET": (LOGIN, 200, 403, 403, 200),
        "POST": (LOGIN, 200, 403, 403, 200),
    },
    "spreadsheets:round_trip_confirm": {"GET": POST_ONLY, "POST": (LOGIN, MOVED, 403, 403, 403)},
    "spreadsheets:round_trip_retry": {"GET": POST_ONLY, "POST": ADMIN_ACT},
    "boards:board_export": {"GET": MOVED_ON, "POST": MOVED_ON},  # to the board's page
    "boards:list": {"GET": READERS, "POST": READERS},
    "boards:plans": {"GET": ADMINS, "POST": ADMINS},
    "boards:dashboard": {"GET": READERS, "POST": READERS},
    "boards:meeting": {"GET": READERS, "POST": READERS},
    "boards:pack_generate": {"GET": POST_ONLY, "POST": ADMIN_ACT},
    "boards:pack": {"GET": PACK_READERS, "POST": PACK_READERS},
    "boards:pack_retry": {"GET": POST_ONLY, "POST": ADMIN_ACT},
    # The first request queues the PDF and everyone gets the progress page (202) until
    # the worker has made it.
    "boards:pack_pdf": {"GET": PDF_READERS, "POST": PDF_READERS},
    "boards:pack_pdf_retry": {"GET": POST_ONLY, "POST": ADMIN_ACT},
    "boards:public_pdf_retry": {"GET": POST_ONLY, "POST": ADMIN_ACT},
    "boards:pack_xlsx": {"GET": PACK_READERS, "POST": PACK_READERS},
    # The check before publishing shows the public version; the pack here is already
    # published, so an admin is sent back to the pack's page, which says where.
    "boards:pack_publish_check": {"GET": ADMIN_ACT, "POST": ADMIN_ACT},
    "boards:pack_publish": {"GET": POST_ONLY, "POST": ADMIN_ACT},
    "boards:pack_withdraw": {"GET": POST_ONLY, "POST": ADMIN_ACT},
    "boards:public_pack": {"GET": PUBLIC, "POST": PUBLIC},
    "boards:public_pack_pdf": {"GET": (202,) * 5, "POST": (202,) * 5},
    "boards:public_pack_xlsx": {"GET": PUBLIC, "POST": PUBLIC},
    "boards:feed_openapi": {"GET": PUBLIC, "POST": NOT_ALLOWED},
    "boards:feed_json": {"GET": FEED, "POST": NOT_ALLOWED},
    "boards:feed_csv": {"GET": FEED, "POST": NOT_ALLOWED},
    "boards:feed_tokens": {"GET": ADMINS, "POST": ADMINS},
    "boards:feed_token_new": {"GET": POST_ONLY, "POST": (LOGIN, 403, 403, 403, 400)},  # no name
    "boards:feed_token_revoke": {"GET": POST_ONLY, "POST": ADMIN_ACT},
    "boards:reporting_period": {"GET": ADMINS, "POST": ADMINS},
    "boards:reporting_period_check": {"GET": ADMINS, "POST": ADMINS},
    "boards:reporting_period_publish": {"GET": POST_ONLY, "POST": ADMIN_ACT},
    # A plan's risk register: everyone reads; the risk's owner (here the lead) and admins
    # edit and review it (an empty form is shown again with its errors); admins add risks.
    "risks:register": {"GET": READERS, "POST": READERS},
    "risks:detail": {"GET": READERS, "POST": READERS},
    "risks:add": {"GET": ADMINS, "POST": ADMINS},
    "risks:edit": {"GET": LEADS, "POST": LEADS},
    "risks:review": {"GET": POST_ONLY, "POST": LEADS},
    # The admin site sends anyone not staff to its own sign-in page.
    "admin:index": {
        "GET": (ADMIN_LOGIN, *ADMIN_SITE[1:]),
        "POST": (ADMIN_LOGIN, *ADMIN_SITE[1:]),
    },
    **{name: {"GET": ADMIN_SITE, "POST": ADMIN_SITE} for name in ADMIN_URLS[1:]},
}


def test_no_response_may_be_kept_by_a_browser_or_proxy(world: World) -> None:
    """Every URL × role, as GET: restricted pages, downloads and refusals alike are sent
    `private, no-store` (published packs too, so a withdrawn one goes at once)."""
    kept = []
    for name in project_urls():
        url = url_for(name, world)
        for role in ROLES:
            with transaction.atomic():
                client = Client()
                if role != "anonymous":
                    client.force_login(world.users[role])
                policy = client.get(url).get("Cache-Control", "")
                transaction.set_rollback(True)
            if not {"private", "no-store"} <= {part.strip() for part in policy.split(",")}:
                kept.append(f"GET {url} as {role}: {policy!r}")
    assert kept == []
