"""The data feed for Power BI and Excel (token only, GET only) and the admin's token page."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import EmptyPage, Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from boards.feed import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, RESOURCES, FeedError, parse_filters
from boards.feed_forms import FeedTokenForm
from boards.feed_schema import columns, openapi
from boards.feed_tokens import feed_token_check, feed_token_issue, feed_token_revoke
from boards.models import FeedToken
from bury_eis.access import admin_required
from bury_eis.exports import CSV_TYPE, csv_bytes
from bury_eis.roles import is_admin, user_roles


class _Refused(Exception):
    def __init__(self, status: int, message: str, parameter: str | None = None):
        super().__init__(message)
        self.status, self.message, self.parameter = status, message, parameter


FEEDS_ARE = f"The feeds are {', '.join(RESOURCES)}, each as .json or .csv (see /feed/openapi.json)."
# What the feed says for an error that no feed view answered itself (FeedErrorsMiddleware).
OTHER_ERRORS = {
    404: f"There is no such address in the feed. {FEEDS_ARE}",
    405: "The feed only answers GET requests.",
    500: "The feed could not answer because of a problem on the server, such as its database "
    "being unavailable. Nothing was changed; try again later.",
}


def _error(status: int, message: str, parameter: str | None = None) -> JsonResponse:
    response = JsonResponse({"error": message, "parameter": parameter}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="feed"'
    return response


def _token(request: HttpRequest) -> FeedToken:
    """The live token in the Authorization header, if its user holds a role."""
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise _Refused(401, "Send a feed token as the header Authorization: Bearer <token>.")
    token = feed_token_check(raw.strip())
    if token is None:
        raise _Refused(401, "This token is not recognised or has been revoked.")
    if not (token.is_public or is_admin(token.user) or user_roles(token.user)):
        raise _Refused(403, "The token's user has not been given a role.")
    return token


def _whole(request: HttpRequest, name: str, default: int, most: int | None = None) -> int:
    text = request.GET.get(name, "")
    if not text:
        return default
    if not text.isdigit() or int(text) < 1 or (most is not None and int(text) > most):
        limit = f" up to {most}" if most else ""
        raise _Refused(400, f"{name} must be a whole number from 1{limit}.", name)
    return int(text)


def _link(request: HttpRequest, page: int | None) -> str | None:
    if page is None:
        return None
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def _page(request: HttpRequest, resource: str, token: FeedToken) -> dict:
    """One page of the resource's rows for this token, with its paging links."""
    spec = RESOURCES[resource]
    try:
        filters = parse_filters(request.GET, spec)
    except FeedError as error:
        raise _Refused(400, error.message, error.parameter) from None
    size = _whole(request, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    paginator = Paginator(spec.rows(filters), size)
    try:
        page = paginator.page(_whole(request, "page", 1))
    except EmptyPage:
        raise _Refused(
            400, f"There is no such page; there are {paginator.num_pages}.", "page"
        ) from None
    return {
        "resource": resource,
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "page_size": size,
        "next": _link(request, page.next_page_number() if page.has_next() else None),
        "previous": _link(request, page.previous_page_number() if page.has_previous() else None),
        "results": spec.serialise(list(page.object_list), token.is_public),
    }


def _answer(request: HttpRequest, resource: str, fmt: str) -> HttpResponse:
    if resource not in RESOURCES:
        return _error(404, f"There is no {resource} feed. {FEEDS_ARE}")
    try:
        page = _page(request, resource, _token(request))
    except _Refused as refusal:
        return _error(refusal.status, refusal.message, refusal.parameter)
    if fmt == "json":
        response = JsonResponse(page, json_dumps_params={"ensure_ascii": False})
    else:
        header = columns(resource)
        rows = [header, *([row[c] for c in header] for row in page["results"])]
        response = HttpResponse(csv_bytes(rows), content_type=CSV_TYPE)
        response["X-Total-Count"] = str(page["count"])
        if page["next"]:
            response["Link"] = f'<{page["next"]}>; rel="next"'
    return response


def _is_feed(path: str) -> bool:
    # The token page under /feed/tokens/ is an ordinary signed-in page, with HTML errors.
    return path.startswith("/feed/") and not path.startswith("/feed/tokens/")


class FeedErrorsMiddleware:
    """Answer every error under /feed/ as the feed's JSON, never as an HTML page.

    Power BI and scripts read the feed; an HTML page means nothing to them. The feed's own
    refusals (a bad token or filter) are already JSON. This turns the rest - an unknown
    address, a method other than GET, a server error such as the database being down - into
    the same `{"error": ..., "parameter": null}` with the same status. Server errors are
    still logged with their traceback by Django before this sees them. It sits outside the
    session, authentication and view middleware, so an error raised in those is turned too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not _is_feed(request.path)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        status = response.status_code
        answer = _error(status, OTHER_ERRORS.get(status, f"{status} {response.reason_phrase}."))
        for header, value in response.items():  # such as Allow on a 405
            if header.lower() not in ("content-type", "content-length"):
                answer.headers.setdefault(header, value)
        return answer


@login_not_required
@require_GET
def feed_json(request: HttpRequest, resource: str) -> HttpResponse:
    """A feed resource as JSON: one page, with `next` and `previous` links."""
    return _answer(request, resource, "json")


@login_not_required
@require_GET
def feed_csv(request: HttpRequest, resource: str) -> HttpResponse:
    """A feed resource as CSV: one page; the next page's address is in the Link header."""
    return _answer(request, resource, "csv")


@login_not_required
@require_GET
def openapi_json(request: HttpRequest) -> JsonResponse:
    """The feed's OpenAPI description; it describes the feed and holds no data."""
    return JsonResponse(openapi())


def _tokens_page(request: HttpRequest, form: FeedTokenForm, issued=None, status=200):
    tokens = FeedToken.objects.select_related("user", "created_by", "revoked_by")
    # The page may hold a token shown once; like every page, it is sent for no browser or
    # proxy to keep (bury_eis.security.NoStoreMiddleware).
    return render(
        request,
        "boards/feed_tokens.html",
        {"form": form, "tokens": tokens, "issued": issued},
        status=status,
    )


@admin_required
def feed_tokens(request: HttpRequest) -> HttpResponse:
    """Every feed token, live and revoked, and the form to issue one."""
    return _tokens_page(request, FeedTokenForm())


@require_POST
@admin_required
def feed_token_new(request: HttpRequest) -> HttpResponse:
    """Issue a token and show it this once; it is never shown again."""
    form = FeedTokenForm(request.POST)
    if not form.is_valid():
        return _tokens_page(request, form, status=400)
    token, raw = feed_token_issue(created_by=request.user, **form.cleaned_data)
    return _tokens_page(request, FeedTokenForm(), issued={"token": token, "raw": raw})


@require_POST
@admin_required
def feed_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = feed_token_revoke(token=get_object_or_404(FeedToken, pk=pk), user=request.user)
    messages.success(request, f"The token {token.prefix}… ({token.name}) no longer works.")
    return redirect("boards:feed_tokens")
