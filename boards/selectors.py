"""The plan at a glance for a term: ratings by commitment and sector, movement, exceptions.

Every figure comes from summaries the services keep current (kpis.standings): the matrix
counts (kpis.models.MatrixCount, a few hundred rows whatever the size of the plan) and the
actions' standings (kpis.models.ActionStanding), from which the first few Red, Amber and
not-updated actions come in order from an index. So the dashboard costs the same number
of queries at any size of plan and little more at a hundred times it.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from actions.models import (
    Action,
    Commitment,
    Movement,
    Plan,
    ProgressUpdate,
    Rating,
    Sector,
    Term,
)
from actions.models import UpdateStatus as Status
from actions.schedule import Schedule, with_schedule
from actions.selectors import NO_RATING_ORDER, RATING_ORDER
from boards.models import Board, BoardPack
from bury_eis.roles import is_admin
from kpis.models import ActionStanding, KPIStatus, MatrixCount
from kpis.standings import STATUS_FIELDS

NO_UPDATE = "none"
# Columns of the matrix, worst first; "none" is an action with no approved update.
RATING_COLUMNS = [*[r.value for r in RATING_ORDER], NO_UPDATE]
KPI_COLUMNS = [KPIStatus.RED, KPIStatus.AMBER, KPIStatus.GREEN, KPIStatus.GREY, NO_UPDATE]
MOVEMENT_COLUMNS = [Movement.IMPROVED, Movement.SAME, Movement.WORSE, Movement.NEW]
LIST_LIMIT = 25
# The live dashboard's first Red and Amber actions: few enough that the page stays a
# two-screen read; the rest are a link away, and a pack lists them all.
EXCEPTIONS_SHOWN = 3


def may_read_pack(user: AbstractBaseUser, pack: BoardPack) -> bool:
    """Admins and the members of the pack's board read its restricted version."""
    return is_admin(user) or pack.meeting.board.members.filter(pk=user.pk).exists()


@dataclass(frozen=True)
class Remit:
    """Which part of a plan a view covers; no commitments and no sectors means the whole plan."""

    plan_id: int
    commitment_ids: frozenset[int] = frozenset()
    sector_ids: frozenset[int] = frozenset()

    @classmethod
    def of(cls, board: Board) -> "Remit":
        return cls(
            board.plan_id,
            frozenset(c.pk for c in board.commitments.all()),
            frozenset(s.pk for s in board.sectors.all()),
        )

    @classmethod
    def whole(cls, plan) -> "Remit":
        return cls(plan.pk)

    def actions(self) -> QuerySet[Action]:
        return Action.objects.filter(self.covers())

    def covers(self, path: str = "") -> Q:
        """The live actions within the remit, as a condition on the action at `path`
        ("action__" from an update): a join, where `action__in=actions()` would make the
        database walk every action of the plan."""
        covered = Q(**{f"{path}plan_id": self.plan_id, f"{path}retired_at__isnull": True})
        if self.commitment_ids:
            covered &= Q(**{f"{path}commitment_id__in": self.commitment_ids})
        if self.sector_ids:
            covered &= Q(**{f"{path}sector_id__in": self.sector_ids})
        return covered

    def standings(self, term: Term) -> QuerySet[ActionStanding]:
        """The live actions' standings in `term` within the remit."""
        return self._within(ActionStanding.objects.filter(term=term))

    def counts(self, term: Term) -> QuerySet[MatrixCount]:
        """The matrix counts of `term` within the remit."""
        return self._within(MatrixCount.objects.filter(term=term))

    def _within(self, rows: QuerySet) -> QuerySet:
        if self.commitment_ids:
            rows = rows.filter(commitment_id__in=self.commitment_ids)
        if self.sector_ids:
            rows = rows.filter(sector_id__in=self.sector_ids)
        return rows

    def query(self) -> str:
        """The remit as action-list filters, for links from the dashboard."""
        parts = []
        if self.commitment_ids:
            parts.append("commitments=" + ",".join(map(str, sorted(self.commitment_ids))))
        if self.sector_ids:
            parts.append("sectors=" + ",".join(map(str, sorted(self.sector_ids))))
        return "&".join(parts)


@dataclass(frozen=True)
class Completeness:
    """How complete a reporting period is: of the live actions (within a remit), how many
    have an approved update, how many are awaiting approval and how many have neither."""

    term_label: str
    total: int
    approved: int
    awaiting: int

    @property
    def no_update(self) -> int:
        return self.total - self.approved - self.awaiting

    @property
    def unapproved(self) -> int:
        return self.total - self.approved

    @property
    def sentence(self) -> str:
        """ "62 of 95 actions approved for Summer 2026 · 33 no update: 15 awaiting approval,
        18 not submitted". "No update" is what the bar and the heatmap call every action
        with no approved update, so the sentence counts the same 33 and then splits them."""
        noun = "action" if self.total == 1 else "actions"
        return (
            f"{self.approved} of {self.total} {noun} approved for {self.term_label} · "
            f"{self.unapproved} no update: {self.awaiting} awaiting approval, "
            f"{self.no_update} not submitted"
        )


def completeness(terms: list[Term], remit: Remit) -> dict[int, Completeness]:
    """Each term's completeness over `remit`, by term id, in two queries whatever the number
    of terms or the size of the plan: the matrix counts, and the submitted updates."""
    found = {t.pk: {"total": 0, "approved": 0, "awaiting": 0} for t in terms}
    counts = remit._within(MatrixCount.objects.filter(term__in=found))
    for term_id, rating, n in counts.values_list("term_id", "rating", "actions"):
        found[term_id]["total"] += n
        if rating:
            found[term_id]["approved"] += n
    for term_id, n in _awaiting(found, remit).items():
        found[term_id]["awaiting"] = n
    return {t.pk: Completeness(t.label, **found[t.pk]) for t in terms}


def _awaiting(term_ids, remit: Remit) -> dict[int, int]:
    """Updates submitted and not yet approved or returned, by term id."""
    submitted = ProgressUpdate.objects.filter(
        remit.covers("action__"), term__in=term_ids, status=Status.SUBMITTED
    )
    return dict(submitted.values_list("term_id").annotate(n=Count("pk")).order_by())


@dataclass
class Dashboard:
    term: Term | None
    previous: Term | None
    commitments: list[Commitment]
    sectors: list[Sector]
    cells: dict[tuple[int, int], Counter] = field(default_factory=dict)
    by_commitment: dict[int, Counter] = field(default_factory=dict)
    totals: Counter = field(default_factory=Counter)
    movement: dict[int, Counter] = field(default_factory=dict)
    movement_totals: Counter = field(default_factory=Counter)
    kpi_status: dict[int, Counter] = field(default_factory=dict)
    kpi_totals: Counter = field(default_factory=Counter)
    exceptions: list[ProgressUpdate] = field(default_factory=list)
    stale: list[Action] = field(default_factory=list)
    completeness: Completeness | None = None
    plan: Plan | None = None
    # Dated actions by schedule status today, and the overdue ones, soonest due first.
    schedule_totals: Counter = field(default_factory=Counter)
    overdue: list[dict] = field(default_factory=list)

    @property
    def action_count(self) -> int:
        return sum(self.totals.values())

    @property
    def exception_count(self) -> int:
        return self.totals[Rating.RED] + self.totals[Rating.AMBER]

    @property
    def stale_count(self) -> int:
        return self.totals[NO_UPDATE]


def dashboard(
    term: Term | None,
    previous: Term | None,
    remit: Remit,
    limit: int | None = LIST_LIMIT,
    exception_limit: int | None = None,
) -> Dashboard:
    """Counts, movement and exceptions for `term` over `remit`, from the matrix counts and
    the actions' standings, in a fixed number of queries.

    `previous` is the term before `term` (the standings count movement from it). `limit`
    caps the Red/Amber and no-update lists (None: all of them, for packs);
    `exception_limit`, where given, caps the Red/Amber list instead.
    """
    commitments = Commitment.objects.filter(plan_id=remit.plan_id).select_related("plan")
    sectors = Sector.objects.filter(plan_id=remit.plan_id)
    if remit.commitment_ids:
        commitments = commitments.filter(pk__in=remit.commitment_ids)
    if remit.sector_ids:
        sectors = sectors.filter(pk__in=remit.sector_ids)
    board = Dashboard(term, previous, list(commitments), list(sectors))
    board.plan = board.commitments[0].plan if board.commitments else None
    if board.plan is not None:
        # Due dates are judged against today, whichever period is shown (or none yet).
        board.schedule_totals, board.overdue = schedule_summary(remit, board.plan)
    if term is None:
        return board
    standings = remit.standings(term)
    _count(board, remit.counts(term))
    board.completeness = Completeness(
        term.label,
        total=board.action_count,
        approved=board.action_count - board.totals[NO_UPDATE],
        awaiting=_awaiting([term.pk], remit).get(term.pk, 0),
    )
    board.exceptions = exceptions(term, standings, exception_limit or limit)
    board.stale = stale_actions(term, standings, limit)
    return board


def _count(board: Dashboard, counts: QuerySet[MatrixCount]) -> None:
    """Fill the matrix, totals, movement and KPI statuses from the matrix counts."""
    for row in counts.values():
        rating = row["rating"] or NO_UPDATE
        commitment = row["commitment_id"]
        for counter in (
            board.cells.setdefault((commitment, row["sector_id"]), Counter()),
            board.by_commitment.setdefault(commitment, Counter()),
            board.totals,
        ):
            counter[rating] += row["actions"]
        if row["movement"] != Movement.NO_UPDATE:
            board.movement.setdefault(commitment, Counter())[row["movement"]] += row["actions"]
            board.movement_totals[row["movement"]] += row["actions"]
        statuses = board.kpi_status.setdefault(commitment, Counter())
        for status, column in STATUS_FIELDS.items():
            statuses[status] += row[column]
            board.kpi_totals[status] += row[column]
        # KPIs with no approved figure yet are what is left of the action's.
        none = row["kpis"] - sum(row[column] for column in STATUS_FIELDS.values())
        statuses[NO_UPDATE] += none
        board.kpi_totals[NO_UPDATE] += none
    for found in board.kpi_status.values():
        for status in [s for s, n in found.items() if not n]:
            del found[status]
    for status in [s for s, n in board.kpi_totals.items() if not n]:
        del board.kpi_totals[status]


def exceptions(
    term: Term, standings: QuerySet[ActionStanding], limit: int | None
) -> list[ProgressUpdate]:
    """Approved Red and Amber updates in `term`, Red first then in plan order, with their
    action and leads: the first `limit` (all with None)."""
    worst = standings.filter(rating__in=[Rating.RED, Rating.AMBER]).order_by(
        "rating_order", "position"
    )
    order = list(worst.values_list("action_id", flat=True)[:limit])
    updates = {
        u.action_id: u
        for u in ProgressUpdate.objects.filter(
            term=term, status=Status.APPROVED, action_id__in=order
        )
        .select_related("action__commitment", "action__sector")
        .prefetch_related("action__leads")
    }
    return [updates[pk] for pk in order if pk in updates]


def stale_actions(
    term: Term, standings: QuerySet[ActionStanding], limit: int | None
) -> list[Action]:
    """Live actions with no approved update in `term`, in plan order, with leads and the
    update's state (`update_status`): the first `limit` (all with None)."""
    order = list(
        standings.filter(rating_order=NO_RATING_ORDER)
        .order_by("position")
        .values_list("action_id", flat=True)[:limit]
    )
    state = ProgressUpdate.objects.filter(action=OuterRef("pk"), term=term).values("status")
    actions = {
        a.pk: a
        for a in Action.objects.filter(pk__in=order)
        .annotate(update_status=Subquery(state[:1]))
        .select_related("commitment", "sector")
        .prefetch_related(Prefetch("leads"))
    }
    return [actions[pk] for pk in order if pk in actions]


def schedule_summary(remit: Remit, plan: Plan) -> tuple[Counter, list[dict]]:
    """How many of the remit's dated actions are done, overdue, due soon and on track today,
    and the overdue ones soonest due first (code, text, due date, latest rating): one query."""
    dated = with_schedule(
        remit.actions().filter(due_date__isnull=False), timezone.localdate(), plan.due_soon_weeks
    )
    rows = list(
        dated.order_by("due_date", "position").values(
            "pk", "code", "text", "due_date", "latest_rating", "schedule"
        )
    )
    totals = Counter(row["schedule"] for row in rows)
    return totals, [row for row in rows if row["schedule"] == Schedule.OVERDUE]
