"""Reads of risk registers: the register page, one risk, a plan's summary and who may edit."""

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Commitment
from bury_eis.roles import is_admin
from risks.models import BAND_TAGS, Band, Risk, Status, band, with_scores

TOP_RISKS = 5  # how many of the highest-scoring open risks a summary names


def may_edit(user: AbstractBaseUser | AnonymousUser, risk: Risk) -> bool:
    """Admins, and the risk's owner."""
    return is_admin(user) or (user.is_authenticated and risk.owner_id == user.pk)


def risk_register(plan) -> QuerySet[Risk]:
    """`plan`'s risks, highest score first, with everything the register shows read up
    front: a fixed number of queries however many risks there are."""
    live = Action.objects.filter(retired_at__isnull=True).only("pk", "code")
    return (
        with_scores(Risk.objects.filter(plan=plan))
        .select_related("owner", "plan")
        .prefetch_related(
            Prefetch("actions", queryset=live.order_by("position")),
            Prefetch("areas", queryset=Commitment.objects.only("pk", "code", "number", "title")),
        )
        .order_by("-risk_score", "reference")
    )


def risk_detail(pk: int) -> QuerySet[Risk]:
    """The queryset one risk's pages read it from."""
    return Risk.objects.select_related("plan", "owner").prefetch_related(
        Prefetch("actions", queryset=Action.objects.order_by("position")), "areas"
    )


def action_risks(action: Action) -> list[Risk]:
    """The open and closed risks an action bears on, highest score first."""
    return list(
        with_scores(action.risks.all()).select_related("owner").order_by("-risk_score", "reference")
    )


def risk_summary(
    plan, remit_area_ids: Iterable[int] | None = None, today: date | None = None
) -> dict:
    """The register in brief, as plain (JSON) data for dashboards and board packs: open risks
    by band, how many reviews are overdue, and the highest-scoring open risks.

    Within a remit (`remit_area_ids`: priority areas or commitments) it counts the risks
    on those areas or on their actions. Owners are the plan's words (a role), never an
    account's name, so a public pack may show it as it is.
    """
    today = today or timezone.localdate()
    risks = Risk.objects.filter(plan=plan)
    if remit_area_ids:
        ids = list(remit_area_ids)
        within = Risk.objects.filter(Q(areas__in=ids) | Q(actions__commitment_id__in=ids))
        risks = risks.filter(pk__in=within.values("pk"))
    rows = list(with_scores(risks).order_by("-risk_score", "reference"))
    open_ = [r for r in rows if r.status == Status.OPEN]
    counts = dict.fromkeys(Band, 0)
    for risk in open_:
        counts[band(risk.risk_score)] += 1
    register = reverse("risks:register", args=[plan.slug])
    return {
        "recorded": len(rows),
        "open": len(open_),
        "register_url": register,
        "bands": [
            {"band": b.value, "label": b.label, "tag": BAND_TAGS[b], "n": counts[b]}
            for b in reversed(Band)
        ],
        "overdue": sum(1 for r in open_ if r.review_overdue(today)),
        "overdue_url": f"{register}?overdue=yes",
        "top": [_summary_row(r, today) for r in open_[:TOP_RISKS]],
    }


def _summary_row(risk: Risk, today: date) -> dict:
    return {
        "pk": risk.pk,
        "reference": risk.reference,
        "title": risk.title,
        "likelihood": risk.likelihood,
        "impact": risk.impact,
        "score": risk.risk_score,
        "band": risk.band.value,
        "band_label": risk.band.label,
        "tag": risk.band_tag,
        "owner": risk.owner_description,
        "review_date": risk.review_date.isoformat(),
        "review_overdue": risk.review_overdue(today),
    }
