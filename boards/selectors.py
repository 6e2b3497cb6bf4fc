"""The plan at a glance for a term: ratings by commitment and sector, movement, exceptions.

Every figure is computed in the database with GROUP BY, so the dashboard costs the
same number of queries, and returns the same few rows, at any size of plan.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet, Subquery

from actions.models import Action, Commitment, Movement, ProgressUpdate, Rating, Sector, Term
from actions.models import UpdateStatus as Status
from actions.selectors import RATING_ORDER, rating_order, with_standing
from boards.models import Board, BoardPack
from bury_eis.roles import is_admin
from kpis.models import KPI, KPIStatus
from kpis.selectors import newest_headline_values

NO_UPDATE = "none"
# Columns of the matrix, worst first; "none" is an action with no approved update.
RATING_COLUMNS = [*[r.value for r in RATING_ORDER], NO_UPDATE]
KPI_COLUMNS = [KPIStatus.RED, KPIStatus.AMBER, KPIStatus.GREEN, KPIStatus.GREY, NO_UPDATE]
MOVEMENT_COLUMNS = [Movement.IMPROVED, Movement.SAME, Movement.WORSE, Movement.NEW]
LIST_LIMIT = 25


def may_read_pack(user: AbstractBaseUser, pack: BoardPack) -> bool:
    """Admins and the members of the pack's board read its restricted version."""
    return is_admin(user) or pack.meeting.board.members.filter(pk=user.pk).exists()


@dataclass(frozen=True)
class Remit:
    """Which part of the plan a view covers; empty means the whole plan."""

    commitment_ids: frozenset[int] = frozenset()
    sector_ids: frozenset[int] = frozenset()

    @classmethod
    def of(cls, board: Board) -> "Remit":
        return cls(
            frozenset(c.pk for c in board.commitments.all()),
            frozenset(s.pk for s in board.sectors.all()),
        )

    def actions(self) -> QuerySet[Action]:
        actions = Action.objects.filter(retired_at__isnull=True)
        if self.commitment_ids:
            actions = actions.filter(commitment_id__in=self.commitment_ids)
        if self.sector_ids:
            actions = actions.filter(sector_id__in=self.sector_ids)
        return actions

    def query(self) -> str:
        """The remit as action-list filters, for links from the dashboard."""
        parts = []
        if self.commitment_ids:
            parts.append("commitments=" + ",".join(map(str, sorted(self.commitment_ids))))
        if self.sector_ids:
            parts.append("sectors=" + ",".join(map(str, sorted(self.sector_ids))))
        return "&".join(parts)


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
    term: Term | None, previous: Term | None, remit: Remit, limit: int | None = LIST_LIMIT
) -> Dashboard:
    """Counts, movement and exceptions for `term` over `remit`, in six queries.

    `limit` caps the Red/Amber and no-update lists (None: all of them, for packs).
    """
    commitments = Commitment.objects.all()
    sectors = Sector.objects.all()
    if remit.commitment_ids:
        commitments = commitments.filter(pk__in=remit.commitment_ids)
    if remit.sector_ids:
        sectors = sectors.filter(pk__in=remit.sector_ids)
    board = Dashboard(term, previous, list(commitments), list(sectors))
    if term is None:
        return board
    _count_ratings(board, remit)
    _count_kpi_status(board, remit)
    board.exceptions = list(exceptions(term, remit)[:limit])
    board.stale = list(stale_actions(term, remit)[:limit])
    return board


def _count_ratings(board: Dashboard, remit: Remit) -> None:
    """Fill the matrix, the totals and the movement from one GROUP BY."""
    actions = with_standing(remit.actions(), board.term, board.previous)
    rows = actions.values("commitment_id", "sector_id", "rating", "movement")
    for row in rows.annotate(n=Count("pk")).order_by():
        rating = NO_UPDATE if row["rating"] is None else row["rating"]
        key = (row["commitment_id"], row["sector_id"])
        for counter in (
            board.cells.setdefault(key, Counter()),
            board.by_commitment.setdefault(row["commitment_id"], Counter()),
            board.totals,
        ):
            counter[rating] += row["n"]
        if row["movement"] != Movement.NO_UPDATE:
            moved = row["movement"]
            board.movement.setdefault(row["commitment_id"], Counter())[moved] += row["n"]
            board.movement_totals[moved] += row["n"]


def _count_kpi_status(board: Dashboard, remit: Remit) -> None:
    """Count each commitment's KPIs by the status of their newest figure, in two GROUP BYs.

    KPIs with no approved figure yet are what is left of each commitment's total.
    """
    kpis = KPI.objects.filter(retired_at__isnull=True, action__in=remit.actions())
    totals = kpis.values("action__commitment_id").annotate(n=Count("pk")).order_by()
    newest = newest_headline_values(board.term).filter(kpi__in=kpis)
    counted = newest.values("kpi__action__commitment_id", "status").annotate(n=Count("pk"))
    for row in counted.order_by():
        commitment, status = row["kpi__action__commitment_id"], row["status"]
        board.kpi_status.setdefault(commitment, Counter())[status] += row["n"]
        board.kpi_totals[status] += row["n"]
    for row in totals:
        commitment = row["action__commitment_id"]
        statuses = board.kpi_status.setdefault(commitment, Counter())
        none = row["n"] - sum(statuses.values())
        if none:
            statuses[NO_UPDATE] += none
            board.kpi_totals[NO_UPDATE] += none


def exceptions(term: Term, remit: Remit) -> QuerySet[ProgressUpdate]:
    """Approved Red and Amber updates in `term`, Red first, with their action and leads."""
    return (
        ProgressUpdate.objects.filter(
            term=term,
            status=Status.APPROVED,
            rating__in=[Rating.RED, Rating.AMBER],
            action__in=remit.actions(),
        )
        .select_related("action__commitment", "action__sector")
        .prefetch_related("action__leads")
        .annotate(rating_order=rating_order("rating"))
        .order_by("rating_order", "action__position")
    )


def stale_actions(term: Term, remit: Remit) -> QuerySet[Action]:
    """Live actions with no approved update in `term`, with leads and the update's state."""
    approved = ProgressUpdate.objects.filter(
        action=OuterRef("pk"), term=term, status=Status.APPROVED
    )
    state = ProgressUpdate.objects.filter(action=OuterRef("pk"), term=term).values("status")
    return (
        remit.actions()
        .filter(~Exists(approved))
        .annotate(update_status=Subquery(state[:1]))
        .select_related("commitment", "sector")
        .prefetch_related(Prefetch("leads"))
        .order_by("position")
    )
