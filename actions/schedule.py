"""Whether a dated action is on schedule: the one rule, in Python and as SQL.

An action with a due date is Done once its latest approved rating is Blue (completed);
otherwise Overdue once the date has passed, Due soon within the plan's `due_soon_weeks`
of it, and On track before then. An action with no due date has no schedule status.
The SQL form (`schedule_case`) lets lists filter and count by it; tests/actions/
test_schedule.py checks that both give the same answer in every case.
"""

from datetime import date, timedelta

from django.db.models import Case, CharField, OuterRef, Q, QuerySet, Subquery, Value, When

from actions.models import Plan, ProgressUpdate, Rating, UpdateStatus


class Schedule:
    """The schedule statuses, with the colour each is tagged in (words always beside it)."""

    DONE = "done"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    ON_TRACK = "on_track"

    LABELS = {DONE: "Done", OVERDUE: "Overdue", DUE_SOON: "Due soon", ON_TRACK: "On track"}
    # The rating scale's colours: Blue done, Red overdue, Amber due soon, Green on track.
    COLOURS = {
        DONE: Rating.BLUE,
        OVERDUE: Rating.RED,
        DUE_SOON: Rating.AMBER,
        ON_TRACK: Rating.GREEN,
    }
    CHOICES = list(LABELS.items())


# The window a plan starts with; what a milestone KPI, judged without its plan, is held to.
DEFAULT_DUE_SOON_WEEKS: int = Plan._meta.get_field("due_soon_weeks").default


def due_soon_from(today: date, weeks: int) -> date:
    """The last due date that counts as due soon on `today`: `weeks` weeks ahead."""
    return today + timedelta(weeks=weeks)


def schedule_status(
    due: date | None, latest_rating: str | None, today: date, weeks: int
) -> str | None:
    """The schedule status of an action due on `due` whose latest approved rating is
    `latest_rating` (None: never approved), on `today`, with `weeks` the plan's
    due-soon window; None for an action with no due date."""
    if due is None:
        return None
    if latest_rating == Rating.BLUE:
        return Schedule.DONE
    if due < today:
        return Schedule.OVERDUE
    if due <= due_soon_from(today, weeks):
        return Schedule.DUE_SOON
    return Schedule.ON_TRACK


def plan_schedule_status(plan: Plan, due: date | None, latest_rating: str | None, today: date):
    """`schedule_status` with `plan`'s own due-soon window."""
    return schedule_status(due, latest_rating, today, plan.due_soon_weeks)


def latest_rating() -> Subquery:
    """An action's latest approved rating (in its newest period with one), for annotating
    a queryset of actions."""
    approved = ProgressUpdate.objects.filter(
        action=OuterRef("pk"), status=UpdateStatus.APPROVED
    ).order_by("-term__start_date")
    return Subquery(approved.values("rating")[:1])


def schedule_case(today: date, weeks: int, rating: str = "latest_rating") -> Case:
    """`schedule_status` as SQL over `due_date` and the `rating` annotation (see
    `latest_rating`); NULL for an action with no due date."""
    return Case(
        When(due_date__isnull=True, then=Value(None)),
        When(Q(**{rating: Rating.BLUE}), then=Value(Schedule.DONE)),
        When(due_date__lt=today, then=Value(Schedule.OVERDUE)),
        When(due_date__lte=due_soon_from(today, weeks), then=Value(Schedule.DUE_SOON)),
        default=Value(Schedule.ON_TRACK),
        output_field=CharField(null=True),
    )


def with_schedule(actions: QuerySet, today: date, weeks: int) -> QuerySet:
    """Annotate each action with `latest_rating` and `schedule` (a Schedule code or None)."""
    annotated = actions.annotate(latest_rating=latest_rating())
    return annotated.annotate(schedule=schedule_case(today, weeks))
