"""Keeping actions' standings (kpis.models.ActionStanding) and the dashboard's matrix
counts summed from them (kpis.models.MatrixCount) current.

Every write that changes what a dashboard counts calls `standings_refresh` for the actions
it touched, in the same transaction, after working out again the statuses of the figures
it touched (kpis.status.restatus), which the standings count: approving or returning an
update, reopening one with a term exception, importing the plan, the demo data, and the
admin's edits to terms, actions, KPIs, cohorts and comparators. A change made any other
way (raw SQL) is put right by `manage.py refresh_standings`.
"""

from collections import Counter
from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Count, Q, Sum

from actions.models import Action, Term
from actions.selectors import with_standing
from kpis.models import KPI, ActionStanding, KPIStatus, MatrixCount
from kpis.selectors import newest_headline_values

STATUS_FIELDS = {
    KPIStatus.RED: "kpis_red",
    KPIStatus.AMBER: "kpis_amber",
    KPIStatus.GREEN: "kpis_green",
    KPIStatus.GREY: "kpis_grey",
}


def standings_refresh(*, actions: Iterable[int] | None = None) -> None:
    """Work out again the standings of `actions` (ids; None for every action) in every term,
    and the matrix counts of the commitments and sectors they were and are in.

    Two queries a term, however many actions; retired and deleted actions lose theirs.
    """
    ids = None if actions is None else list(actions)
    with transaction.atomic():
        stale = ActionStanding.objects.all()
        if ids is not None:
            stale = stale.filter(action_id__in=ids)
        cells = set(stale.values_list("commitment_id", "sector_id").distinct())
        stale.delete()
        live = Action.objects.filter(retired_at__isnull=True)
        if ids is not None:
            live = live.filter(pk__in=ids)
        kpis = KPI.objects.filter(retired_at__isnull=True, action__in=live)
        totals = dict(kpis.values_list("action_id").annotate(n=Count("pk")).order_by())
        rows, previous = [], {}
        # Each plan's periods, each read against the plan's period before it.
        for term in Term.objects.order_by("plan_id", "start_date"):
            of_plan = live.filter(plan_id=term.plan_id)
            rows += _term_rows(of_plan, kpis, totals, term, previous.get(term.plan_id))
            previous[term.plan_id] = term
        ActionStanding.objects.bulk_create(rows, batch_size=2000)
        cells |= {(row.commitment_id, row.sector_id) for row in rows}
        _recount(None if ids is None else cells)


def _recount(cells: set[tuple[int, int]] | None) -> None:
    """Sum the standings of these (commitment, sector) cells (None: all) into MatrixCount."""
    if cells is not None and not cells:
        return
    where = Q()
    if cells is not None:
        where = reduce(or_, (Q(commitment_id=c, sector_id=s) for c, s in cells))
    MatrixCount.objects.filter(where).delete()
    sums = {column: Sum(column) for column in ("kpis", *STATUS_FIELDS.values())}
    counted = (
        ActionStanding.objects.filter(where)
        .values("term_id", "commitment_id", "sector_id", "rating", "movement")
        .annotate(actions=Count("pk"), **sums)
        .order_by()
    )
    MatrixCount.objects.bulk_create((MatrixCount(**row) for row in counted), batch_size=2000)


def _term_rows(live, kpis, totals: dict, term: Term, previous: Term | None) -> list:
    statuses: dict[int, Counter] = {}
    newest = newest_headline_values(term).filter(kpi__in=kpis)
    for action_id, status in newest.values_list("kpi__action_id", "status"):
        statuses.setdefault(action_id, Counter())[status] += 1
    standings = with_standing(live, term, previous).values_list(
        "pk", "commitment_id", "sector_id", "position", "rating", "movement", "rating_order"
    )
    rows = []
    for pk, commitment, sector, position, rating, movement, order in standings:
        counts = statuses.get(pk, Counter())
        rows.append(
            ActionStanding(
                term=term,
                action_id=pk,
                commitment_id=commitment,
                sector_id=sector,
                position=position,
                rating=rating or "",
                movement=movement,
                rating_order=order,
                kpis=totals.get(pk, 0),
                **{field: counts[status] for status, field in STATUS_FIELDS.items()},
            )
        )
    return rows
