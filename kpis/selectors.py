"""Reads of measures: the termly update round, approved figures and trends, the KPI list."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber

from actions.models import Action, ChangeRecord, ProgressUpdate, Term, TermException, UpdateStatus
from actions.schedule import latest_rating
from actions.selectors import plans
from bury_eis.roles import is_admin
from kpis.models import KPI, Cohort, ComparatorValue, KPIStatus, KPIValue
from kpis.trends import kpi_trend


class State:
    """An action's standing in a term, as a lead sees it on My actions."""

    NOT_STARTED = "Not started"
    DRAFT = "Draft"
    SUBMITTED = "Submitted"
    RETURNED = "Returned"
    APPROVED = "Approved"

    DONE = {SUBMITTED, APPROVED}


@dataclass
class ActionRound:
    """One action's update (if any) in a term, with its state and whether it is late."""

    action: Action
    update: ProgressUpdate | None
    state: str
    overdue: bool
    # The action's schedule status (actions.schedule), where it has a due date.
    schedule: str | None = None


def open_terms(today: date, plan=None) -> list[Term]:
    """`plan`'s periods (None: every plan's) that have started and are not locked, oldest
    first: updates can be made in them."""
    terms = Term.objects.filter(start_date__lte=today, is_locked=False)
    if plan is not None:
        terms = terms.filter(plan=plan)
    return list(terms.order_by("start_date", "plan__position"))


def update_state(update: ProgressUpdate | None) -> str:
    if update is None:
        return State.NOT_STARTED
    return {
        UpdateStatus.DRAFT: State.DRAFT,
        UpdateStatus.SUBMITTED: State.SUBMITTED,
        UpdateStatus.RETURNED: State.RETURNED,
        UpdateStatus.APPROVED: State.APPROVED,
    }[update.status]


def is_overdue(state: str, term: Term, today: date) -> bool:
    return state not in State.DONE and today > term.due_date


def actions_led_by(user: AbstractBaseUser) -> QuerySet[Action]:
    """Live actions the user may update: those they lead, or every action for an admin."""
    actions = Action.objects.filter(retired_at__isnull=True)
    if not is_admin(user):
        actions = actions.filter(leads=user)
    return actions.select_related("commitment", "sector").order_by("position")


def my_round(user: AbstractBaseUser, term: Term, today: date) -> list[ActionRound]:
    """The actions a lead leads, each with its update and state for `term`, and its
    `latest_rating` (its latest approved rating, for its schedule status)."""
    actions = (
        actions_led_by(user)
        .filter(plan_id=term.plan_id)
        .annotate(latest_rating=latest_rating())
        .prefetch_related(
            Prefetch(
                "updates", queryset=ProgressUpdate.objects.filter(term=term), to_attr="in_term"
            )
        )
    )
    rounds = []
    for action in actions:
        update = action.in_term[0] if action.in_term else None
        state = update_state(update)
        rounds.append(ActionRound(action, update, state, is_overdue(state, term, today)))
    return rounds


def overdue_elsewhere(
    user: AbstractBaseUser, terms: list[Term], shown: Term | None, today: date
) -> list[tuple[Term, ActionRound]]:
    """The user's updates still to do in the other open terms whose due date has passed,
    oldest term first: what My actions must not hide while it shows another term. Two
    queries, however many terms."""
    late = [t for t in terms if t != shown and t.due_date < today]
    if not late:
        return []
    actions = (
        actions_led_by(user)
        .filter(plan_id__in={t.plan_id for t in late})
        .prefetch_related(
            Prefetch(
                "updates",
                queryset=ProgressUpdate.objects.filter(term__in=late),
                to_attr="in_late_terms",
            )
        )
    )
    found = []
    for action in actions:
        by_term = {u.term_id: u for u in action.in_late_terms}
        for term in late:
            if term.plan_id != action.plan_id:
                continue
            update = by_term.get(term.pk)
            state = update_state(update)
            if is_overdue(state, term, today):
                found.append((term, ActionRound(action, update, state, overdue=True)))
    return sorted(found, key=lambda item: (item[0].start_date, item[1].action.position))


def plans_led_in(user: AbstractBaseUser) -> list:
    """The plans in which the user leads live actions (every plan with live actions, for an
    admin), in menu order."""
    led = set(actions_led_by(user).order_by().values_list("plan_id", flat=True).distinct())
    return [plan for plan in plans() if plan.pk in led]


def latest_started_term(today: date, plan) -> Term | None:
    """`plan`'s newest period that has started, open or not."""
    return Term.objects.filter(plan=plan, start_date__lte=today).order_by("-start_date").first()


def next_term(today: date, plan) -> Term | None:
    """`plan`'s next period to open for updates, if one has been set up."""
    return Term.objects.filter(plan=plan, start_date__gt=today).order_by("start_date").first()


def open_exception(action: Action, term: Term) -> TermException | None:
    return TermException.objects.filter(action=action, term=term, closed_at__isnull=True).first()


def update_page_kpis(action: Action, term: Term, history_terms: int = 4) -> list[KPI]:
    """The action's live KPIs with what the update page shows, in a fixed number of queries.

    Each KPI gets `breakdown_cohorts`, `comparators`, `this_term` (its values in
    `term`, with their comparisons) and `recent` (all-pupil values of the last
    `history_terms` terms up to and including `term`).
    """
    recent_terms = list(
        Term.objects.filter(plan_id=term.plan_id, start_date__lte=term.start_date).order_by(
            "-start_date"
        )[:history_terms]
    )
    return list(
        KPI.objects.filter(action=action, retired_at__isnull=True)
        .select_related("target_comparator", "target_cohort")
        .order_by("position")
        .prefetch_related(
            "breakdown_cohorts",
            "comparators",
            Prefetch(
                "values",
                queryset=KPIValue.objects.filter(term=term)
                .select_related("cohort")
                .prefetch_related(
                    Prefetch(
                        "comparisons", queryset=ComparatorValue.objects.select_related("comparator")
                    )
                ),
                to_attr="this_term",
            ),
            Prefetch(
                "values",
                queryset=KPIValue.objects.filter(term__in=recent_terms, cohort__code="all")
                .select_related("term")
                .order_by("-term__start_date"),
                to_attr="recent",
            ),
        )
    )


def approval_queue(approver: AbstractBaseUser | None = None) -> QuerySet[ProgressUpdate]:
    """Submitted updates waiting for a decision, oldest first; given an approver, only those
    they may decide: nobody approves or returns an update they saved or submitted."""
    queue = ProgressUpdate.objects.filter(status=UpdateStatus.SUBMITTED)
    if approver is not None:
        queue = queue.exclude(contributors=approver)
    return queue.select_related(
        "action__commitment", "action__sector", "action__plan", "term", "submitted_by"
    ).order_by("submitted_at")


def action_history(action: Action) -> QuerySet[ChangeRecord]:
    return ChangeRecord.objects.filter(action=action).select_related("term", "changed_by")


def value_is_approved() -> Exists:
    """For a KPIValue queryset: its term's update is approved, so board members may see it."""
    return Exists(
        ProgressUpdate.objects.filter(
            action=OuterRef("kpi__action"), term=OuterRef("term"), status=UpdateStatus.APPROVED
        )
    )


def approved_values(up_to: Term | None = None) -> QuerySet[KPIValue]:
    """Values whose term's update was approved (what board members may see), oldest first.

    With `up_to`, only values reported in that term or before it.
    """
    values = KPIValue.objects.filter(value_is_approved())
    if up_to is not None:
        values = values.filter(term__start_date__lte=up_to.start_date)
    return (
        values.select_related("term", "cohort")
        .prefetch_related(
            Prefetch("comparisons", queryset=ComparatorValue.objects.select_related("comparator"))
        )
        .order_by("term__start_date", "cohort__position")
    )


# Newest first: the latest term, and within it the figure entered last.
NEWEST_FIRST = [F("term__start_date").desc(), F("pk").desc()]


def _headline_figures(up_to: Term) -> QuerySet[KPIValue]:
    """Approved all-pupil figures reported up to `up_to`, what board members may see.

    "No new data this term" rows are left out, so an annual figure reported in
    Autumn still stands in Spring.
    """
    return KPIValue.objects.filter(
        value_is_approved(),
        cohort__code=Cohort.ALL_PUPILS,
        term__start_date__lte=up_to.start_date,
        no_new_data=False,
    )


def headline_values(up_to: Term | None) -> QuerySet[KPIValue]:
    """For a KPI queryset: the outer KPI's headline figures up to `up_to`, newest first.

    With no term there is nothing to show.
    """
    if up_to is None:
        return KPIValue.objects.none()
    return _headline_figures(up_to).filter(kpi=OuterRef("pk")).order_by(*NEWEST_FIRST)


def newest_headline_values(up_to: Term) -> QuerySet[KPIValue]:
    """Each KPI's newest headline figure up to `up_to`: one row per KPI that has one.

    The same figures as `headline_values`, found with a window over the values
    rather than a subquery per KPI, for counting across the whole plan (at 100x
    the plan most of 54,100 KPIs have no figure, and a subquery each cost 0.9 s).
    """
    newest = Window(RowNumber(), partition_by=[F("kpi")], order_by=NEWEST_FIRST)
    return _headline_figures(up_to).annotate(rank=newest).filter(rank=1)


def compared_values(up_to: Term | None) -> QuerySet[KPIValue]:
    """Headline figures up to `up_to` with comparator figures beside them, newest first:
    one row per comparator figure, which it adds as `compared_name`, `compared_value`,
    `compared_period` and `compared_position`. One query, whether or not any figure has a
    comparator. With no term there is nothing to show."""
    if up_to is None:
        return KPIValue.objects.none()
    return (
        _headline_figures(up_to)
        .annotate(
            compared_name=F("comparisons__comparator__name"),
            compared_value=F("comparisons__value"),
            compared_period=F("comparisons__period"),
            compared_position=F("comparisons__comparator__position"),
        )
        .filter(compared_value__isnull=False)
        .order_by(*NEWEST_FIRST, "compared_position")
    )


def latest_kpi_status(term: Term | None) -> Subquery:
    """Status of the outer KPI's newest approved all-pupil figure reported up to `term`."""
    return Subquery(headline_values(term).values("status")[:1])


def kpi_list(term: Term | None, previous: Term | None) -> QuerySet[KPI]:
    """Live KPIs of live actions, each with its standing as at `term` against `previous`.

    Adds `status`, `status_reason` and `previous_status` (from the newest approved
    all-pupil figure up to each term), `status_order` (worst first, no figure last),
    `latest_value`, `latest_period`, `latest_term_id` and `reported` (an approved
    figure, or "no new data", recorded in `term` itself), and `compared` (the headline
    figures with comparator figures beside them, see `compared_values`): one query for
    a page of rows, however many rows or figures.
    """
    latest = headline_values(term)
    # Two probes a row, by KPI and by action, rather than one joining each value to its KPI
    # (which PostgreSQL runs once for the whole table).
    reported = Exists(KPIValue.objects.filter(kpi=OuterRef("pk"), term=term)) & Exists(
        ProgressUpdate.objects.filter(
            action=OuterRef("action"), term=term, status=UpdateStatus.APPROVED
        )
    )
    return (
        KPI.objects.filter(retired_at__isnull=True, action__retired_at__isnull=True)
        .select_related("target_comparator", "target_cohort")  # for the target's words
        .select_related("action__commitment", "action__sector")
        .prefetch_related(
            "action__leads",
            Prefetch("values", queryset=compared_values(term), to_attr="compared"),
        )
        .annotate(
            status=Subquery(latest.values("status")[:1]),
            status_reason=Subquery(latest.values("status_reason")[:1]),
            previous_status=latest_kpi_status(previous),
            latest_value=Subquery(latest.values("value")[:1]),
            latest_period=Subquery(latest.values("data_period")[:1]),
            latest_term_id=Subquery(latest.values("term")[:1]),
            reported=reported if term else Value(False),
        )
        .annotate(status_order=status_order("status"))
    )


# Worst first, so sorting by status puts what needs attention at the top.
STATUS_ORDER = [KPIStatus.RED, KPIStatus.AMBER, KPIStatus.GREEN, KPIStatus.GREY]


def status_order(field: str) -> Case:
    whens = [When(**{field: s}, then=Value(i)) for i, s in enumerate(STATUS_ORDER)]
    return Case(*whens, default=Value(len(STATUS_ORDER)), output_field=IntegerField())


def kpis_with_trends(actions: QuerySet[Action], terms: list[Term], up_to: Term | None = None):
    """Live KPIs of `actions` with `trend` (kpis.trends.kpi_trend) set, in four queries."""
    kpis = list(
        KPI.objects.filter(action__in=actions, retired_at__isnull=True)
        .select_related("target_comparator", "target_cohort")
        .order_by("action__position", "position")
        .prefetch_related(Prefetch("values", queryset=approved_values(up_to), to_attr="shown"))
    )
    for kpi in kpis:
        kpi.trend = kpi_trend(kpi, kpi.shown, terms)
    return kpis
