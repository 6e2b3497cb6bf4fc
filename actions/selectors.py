"""Reads of the plan that cross relations, each with the joins it needs up front."""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from actions.models import (
    RANKED,
    Action,
    Movement,
    Plan,
    ProgressUpdate,
    Rating,
    Term,
    UpdateStatus,
)
from bury_eis.roles import is_admin

# Worst first, so sorting by rating puts what needs attention at the top.
RATING_ORDER = [*RANKED, Rating.GREY]
NO_RATING_ORDER = len(RATING_ORDER)  # no approved rating sorts after every rating


def can_update(user: AbstractBaseUser, action: Action) -> bool:
    """Admins may update any action; officers only those they lead.

    Reads `action.leads.all()`, so a prefetched list costs no query.
    """
    return is_admin(user) or any(lead.pk == user.pk for lead in action.leads.all())


def leads_an_action(user: AbstractBaseUser) -> bool:
    """Admins, and anyone who leads a live action: those with something to update."""
    return is_admin(user) or Action.objects.filter(leads=user, retired_at__isnull=True).exists()


def reporting_terms(plan) -> list[Term]:
    """Every reporting period of `plan`, newest first, each with `has_approved`: whether any
    update in it is approved."""
    approved = ProgressUpdate.objects.filter(term=OuterRef("pk"), status=UpdateStatus.APPROVED)
    terms = Term.objects.filter(plan=plan).annotate(has_approved=Exists(approved))
    return list(terms.order_by("-start_date"))


def plans() -> list:
    """Every plan, in the order menus list them."""
    return list(Plan.objects.order_by("position", "name"))


def plan_chosen(slug: str | None):
    """The plan a page was asked for by slug, else the first plan."""
    every = plans()
    return next((p for p in every if p.slug == slug), every[0] if every else None)


def default_term(terms: list, today: date | None = None):
    """The term pages open on: the published reporting period.

    Until an admin publishes one, the newest term that has ended (else the first), the one
    whose updates a board would be reviewing: what everyone sees moves with the calendar or
    an admin's decision, never because somebody approved an update.
    """
    published = next((t for t in terms if t.is_published), None)
    if published is not None:
        return published
    today = today or timezone.localdate()
    return next((t for t in terms if t.end_date < today), terms[-1] if terms else None)


def term_and_previous(terms: list, term_pk: int | None = None) -> tuple:
    """The chosen term (default: `default_term`) and the one before it.

    `terms` is `reporting_terms()`; an unknown `term_pk` falls back to the default.
    """
    chosen = next((t for t in terms if t.pk == term_pk), None) or default_term(terms)
    if chosen is None:
        return None, None
    index = terms.index(chosen)
    return chosen, terms[index + 1] if index + 1 < len(terms) else None


def with_standing(actions: QuerySet[Action], term, previous) -> QuerySet[Action]:
    """Annotate each action's standing in `term` against `previous` (either may be None).

    Adds `rating` (approved, in `term`), `previous_rating` (approved, in
    `previous`), `movement` and `rating_order` (worst first). Each term's approved
    update is one LEFT JOIN (an action has at most one update per term), so the
    CASE expressions read plain columns rather than repeating subqueries.
    """
    approved = Q(updates__status=UpdateStatus.APPROVED)
    actions = actions.annotate(
        now=FilteredRelation("updates", condition=approved & Q(updates__term=term)),
        before=FilteredRelation("updates", condition=approved & Q(updates__term=previous)),
    )
    return actions.annotate(rating=F("now__rating"), previous_rating=F("before__rating")).annotate(
        movement=movement_case("previous_rating", "rating"),
        rating_order=rating_order("rating"),
    )


def movement_case(before: str, now: str) -> Case:
    """`movement()` as SQL over two rating columns, so lists can filter and count by it.

    tests/actions/test_lists.py checks it against `movement()` for every pair.
    """
    improved = Q()
    for rank, rating in enumerate(RANKED):
        if rank:
            improved |= Q(**{now: rating, f"{before}__in": RANKED[:rank]})
    return Case(
        When(**{f"{now}__isnull": True}, then=Value(Movement.NO_UPDATE.value)),
        When(**{now: F(before)}, then=Value(Movement.SAME.value)),
        When(**{f"{before}__isnull": True}, then=Value(Movement.NEW.value)),
        When(**{before: Rating.GREY}, then=Value(Movement.NEW.value)),
        When(**{now: Rating.GREY}, then=Value(Movement.WORSE.value)),
        When(improved, then=Value(Movement.IMPROVED.value)),
        default=Value(Movement.WORSE.value),
        output_field=CharField(),
    )


def rating_order(field: str) -> Case:
    whens = [When(**{field: r}, then=Value(i)) for i, r in enumerate(RATING_ORDER)]
    return Case(*whens, default=Value(NO_RATING_ORDER), output_field=IntegerField())


def action_list(term=None, previous=None) -> QuerySet[Action]:
    """Live actions with commitment, sector, leads, `kpi_count` and their standing in `term`.

    The measures are counted through the reverse relation the kpis app gives each action,
    one row's subquery at a time, so a page of the list counts only its own actions'.
    """
    return with_standing(live_actions(), term, previous)


def live_actions() -> QuerySet[Action]:
    """The action list's rows without their standing: what the pager counts when no filter
    reads a rating (the standing's two joins made counting 9,500 actions cost 15 ms)."""
    live_kpis = Q(kpis__retired_at__isnull=True)
    kpi_count = (
        Action.objects.filter(pk=OuterRef("pk"))
        .annotate(n=Count("kpis", filter=live_kpis))
        .values("n")
    )
    return (
        Action.objects.filter(retired_at__isnull=True)
        .select_related("commitment", "sector")
        .prefetch_related("leads")
        .annotate(kpi_count=Coalesce(Subquery(kpi_count), 0))
    )


def action_detail(pk: int) -> Action:
    """One action with its commitment, sector, leads and approved updates, newest first."""
    return (
        Action.objects.select_related("commitment", "sector")
        .prefetch_related(
            "leads",
            Prefetch(
                "updates",
                queryset=ProgressUpdate.objects.filter(status=UpdateStatus.APPROVED)
                .select_related("term")
                .order_by("-term__start_date"),
            ),
        )
        .get(pk=pk)
    )
