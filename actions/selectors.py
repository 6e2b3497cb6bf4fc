"""Reads of the plan that cross relations, each with the joins it needs up front."""

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from actions.models import Action, Commitment, ProgressUpdate, Sector, UpdateStatus
from bury_eis.roles import is_admin


def can_update(user: AbstractBaseUser, action: Action) -> bool:
    """Admins may update any action; officers only those they lead.

    Reads `action.leads.all()`, so a prefetched list costs no query.
    """
    return is_admin(user) or any(lead.pk == user.pk for lead in action.leads.all())


def action_list() -> QuerySet[Action]:
    """Live actions with their commitment, sector, leads and newest approved rating."""
    latest = ProgressUpdate.objects.filter(
        action=OuterRef("pk"), status=UpdateStatus.APPROVED
    ).order_by("-term__start_date")
    return (
        Action.objects.filter(retired_at__isnull=True)
        .select_related("commitment", "sector")
        .prefetch_related("leads")
        .annotate(
            kpi_count=Count("kpis", filter=Q(kpis__retired_at__isnull=True), distinct=True),
            latest_rating=Subquery(latest.values("rating")[:1]),
        )
    )


def plan_overview() -> tuple[list[Commitment], list[Sector], dict[tuple[int, int], int]]:
    """Commitments (each with `action_count`), sectors, and live action counts per cell."""
    counts = {
        (row["commitment_id"], row["sector_id"]): row["n"]
        for row in Action.objects.filter(retired_at__isnull=True)
        .values("commitment_id", "sector_id")
        .annotate(n=Count("pk"))
    }
    commitments = list(Commitment.objects.all())
    for commitment in commitments:
        commitment.action_count = sum(n for (c, _), n in counts.items() if c == commitment.pk)
    return commitments, list(Sector.objects.all()), counts


def action_detail(pk: int) -> Action:
    """One action with leads, approved updates, live KPIs and approved all-pupil values.

    KPIs and values are looked up by app label rather than imported, so this
    lower layer needs nothing from the kpis app's code.
    """
    kpi_model = apps.get_model("kpis", "KPI")
    value_model = apps.get_model("kpis", "KPIValue")
    return (
        Action.objects.select_related("commitment", "sector")
        .prefetch_related(
            "leads",
            Prefetch(
                "kpis",
                queryset=kpi_model.objects.filter(retired_at__isnull=True).order_by("position"),
            ),
            Prefetch(
                "kpis__values",
                queryset=value_model.objects.filter(cohort__code="all")
                .filter(
                    # Only figures whose term's update was approved reach board members.
                    Exists(
                        ProgressUpdate.objects.filter(
                            action=OuterRef("kpi__action"),
                            term=OuterRef("term"),
                            status=UpdateStatus.APPROVED,
                        )
                    )
                )
                .select_related("term")
                .order_by("-term__start_date"),
            ),
            Prefetch(
                "updates",
                queryset=ProgressUpdate.objects.filter(status=UpdateStatus.APPROVED)
                .select_related("term")
                .order_by("-term__start_date"),
            ),
        )
        .get(pk=pk)
    )
