"""Writes to the plan and its measures."""

from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from actions.models import (
    Action,
    ChangeRecord,
    Commitment,
    Plan,
    ProgressUpdate,
    Sector,
    TermException,
)
from bury_eis.audit import bulk_create_with_history, bulk_update_with_history
from kpis.models import KPI, Cohort, Comparator, KPIValue, TargetKind
from kpis.standings import standings_refresh
from kpis.status import restatus
from spreadsheets.plan_rows import PlanRow


@dataclass
class ImportSummary:
    """What an import did (or, on a dry run, would do), counted per kind of record."""

    counts: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    # The kinds of record the summary lines cover, in order: the one-row-per-KPI layouts'
    # by default; a structured plan's (spreadsheets.plan_tree_import.TREE_KINDS) otherwise.
    kinds: tuple[str, ...] = ("commitments", "sectors", "actions", "KPIs", "lead assignments")

    @property
    def changed_anything(self) -> bool:
        return any(n for key, n in self.counts.items() if not key.endswith("unchanged"))

    def lines(self) -> list[str]:
        out = []
        for kind in self.kinds:
            verbs = ["created", "updated", "unchanged"]
            verbs += [v for v in ("retired", "deleted") if self.counts[f"{kind} {v}"]]
            parts = [f"{self.counts[f'{kind} {verb}']} {verb}" for verb in verbs]
            if kind == "lead assignments":
                parts = [f"{self.counts[f'{kind} created']} created"]
            out.append(f"{kind[0].upper()}{kind[1:]}: " + ", ".join(parts))
        out += [f"Warning: {w}" for w in self.warnings]
        return out


class DryRunRollback(Exception):
    """Raised inside a dry run's transaction to roll back what it did."""


def plan_import(*, plan: Plan, rows: list[PlanRow], dry_run: bool = False) -> ImportSummary:
    """Create or update `plan`'s commitments, sectors, actions and KPIs from checked template
    rows; no other plan is read or touched.

    Everything happens in one transaction; a dry run does the same work and
    rolls it back, so its summary is exactly what a real run would report.
    Matching is by commitment number, sector position, action code and KPI ref, within
    the plan.
    """
    summary = ImportSummary()
    try:
        with transaction.atomic():
            _apply(plan, rows, summary)
            if dry_run:
                raise DryRunRollback
            restatus()  # targets, units or directions may have changed
            standings_refresh()  # actions moved, retired or gone, KPIs added or retired
    except DryRunRollback:
        pass
    return summary


def _apply(plan: Plan, rows: list[PlanRow], summary: ImportSummary) -> None:
    commitments = _upsert_commitments(plan, rows, summary)
    sectors = _upsert_sectors(plan, rows, summary)
    actions = _upsert_actions(plan, rows, commitments, sectors, summary)
    _upsert_kpis(plan, rows, actions, summary)
    _assign_leads(rows, actions, summary)
    codes = {row.code for row in rows}
    retire_missing(plan, codes, {(row.code, row.ref) for row in rows}, summary)


def _upsert_commitments(
    plan: Plan, rows: list[PlanRow], summary: ImportSummary
) -> dict[int, Commitment]:
    wanted = {}
    for row in rows:
        fields = wanted.setdefault(
            row.commitment_no, {"title": row.commitment, "statement": row.statement}
        )
        fields["statement"] = fields["statement"] or row.statement
    existing = {c.number: c for c in Commitment.objects.filter(plan=plan)}
    return bulk_upsert(
        Commitment,
        existing,
        wanted,
        summary,
        "commitments",
        lambda n: {"plan_id": plan.pk, "number": n},
    )


def _upsert_sectors(plan: Plan, rows: list[PlanRow], summary: ImportSummary) -> dict[int, Sector]:
    wanted = {row.sector_no: {"name": row.sector} for row in rows}
    existing = {s.position: s for s in Sector.objects.filter(plan=plan)}
    return bulk_upsert(
        Sector, existing, wanted, summary, "sectors", lambda p: {"plan_id": plan.pk, "position": p}
    )


def _upsert_actions(
    plan: Plan,
    rows: list[PlanRow],
    commitments: dict[int, Commitment],
    sectors: dict[int, Sector],
    summary: ImportSummary,
) -> dict[str, Action]:
    existing = {a.code: a for a in Action.objects.filter(plan=plan)}
    wanted: dict[str, dict] = {}
    for row in rows:
        wanted.setdefault(
            row.code,
            {
                "commitment_id": commitments[row.commitment_no].pk,
                "sector_id": sectors[row.sector_no].pk,
                "text": row.action,
                "outcome": row.outcome,
                "lead_description": row.lead,
                "position": len(wanted) + 1,
                "retired_at": None,
            },
        )
    return bulk_upsert(
        Action,
        existing,
        wanted,
        summary,
        "actions",
        lambda code: {"plan_id": plan.pk, "code": code},
    )


def _upsert_kpis(
    plan: Plan, rows: list[PlanRow], actions: dict[str, Action], summary: ImportSummary
) -> None:
    existing = {(k.action_id, k.ref): k for k in KPI.objects.filter(action__plan=plan)}
    wanted = {}
    per_action: Counter = Counter()
    named = _named()
    for row in rows:
        action_id = actions[row.code].pk
        per_action[action_id] += 1
        current = existing.get((action_id, row.ref))
        wanted[action_id, row.ref] = kpi_values_from_row(row, per_action[action_id], current, named)
    bulk_upsert(
        KPI, existing, wanted, summary, "KPIs", lambda key: {"action_id": key[0], "ref": key[1]}
    )


_NEEDS_NO_NUMBER = {TargetKind.TREND, TargetKind.COMPARATOR, TargetKind.GAP, TargetKind.MILESTONE}


def _named() -> dict[str, dict[str, int]]:
    return {
        "cohort": dict(Cohort.objects.values_list("code", "pk")),
        "comparator": dict(Comparator.objects.values_list("code", "pk")),
    }


def kpi_values_from_row(
    row: PlanRow, position: int, current: KPI | None = None, named: dict | None = None
) -> dict:
    """The KPI fields this row sets. A blank optional cell sets nothing, so a re-import
    never wipes a unit, baseline or target that was recorded since.

    A target the KPI's own words state plainly (row.stated) is taken only for a KPI with no
    unit, direction or target yet, from the file or recorded since: it never overrides one.
    """
    named = named or _named()
    optional = {
        "unit": row.unit,
        "polarity": row.polarity,
        "baseline_value": row.baseline,
        "baseline_period": row.baseline_period,
        "target_value": row.target,
        "target_period": row.target_period,
        "target_kind": row.target_kind,
        "tolerance": row.tolerance,
        "data_source": row.data_source,
        "frequency": row.frequency,
        "target_not_agreed": row.target_not_agreed,
        "target_upper_value": row.target_upper,
        "target_comparator_id": named["comparator"].get(row.target_comparator),
        "comparator_basis": row.comparator_basis,
        "target_cohort_id": named["cohort"].get(row.target_group),
        "gap_narrowing": row.gap_narrowing,
        "trend_periods": row.trend_periods,
        "trend_min_change": row.trend_min_change,
    }
    values = {"text": row.kpi, "position": position, "retired_at": None}
    values |= {field: value for field, value in optional.items() if value not in ("", None)}
    if row.target_kind in _NEEDS_NO_NUMBER and row.target_not_agreed is None:
        # A kind judged against other figures (a trend, a comparator) is a target agreed.
        values.setdefault("target_not_agreed", False)
    if row.target_not_agreed:
        values["target_value"] = None  # "not agreed" written in the file clears a target
    if row.stated and not _has_target(row, values, current):
        values |= {f: v for f, v in row.stated.items() if f not in values}
    return values


def _has_target(row: PlanRow, values: dict, current: KPI | None) -> bool:
    """Whether the file or the KPI as recorded says anything about the target already."""
    said = ("unit", "polarity", "target_value", "target_kind", "target_not_agreed")
    if row.target_not_agreed or any(f in values for f in said[:4]):
        return True
    if current is None:
        return False
    return bool(
        current.unit
        or current.polarity != "none"
        or current.target_value is not None
        or current.target_kind != "to_be_agreed"
    )


def bulk_upsert(
    model: type[Model],
    existing: dict,
    wanted: dict[Hashable, dict],
    summary: ImportSummary,
    label: str,
    key_fields: Callable[[Any], dict],
) -> dict:
    """Create the new, update the changed, leave the same; in bulk, keyed as in `existing`.

    Each wanted entry holds only the fields it sets; other fields keep their values.
    New objects join `existing` with the primary keys bulk_create gives them.
    """
    to_create, to_update, changed_fields = [], [], set()
    for key, values in wanted.items():
        obj = existing.get(key)
        if obj is None:
            existing[key] = model(**key_fields(key), **values)
            to_create.append(existing[key])
            continue
        changed = {f for f, v in values.items() if getattr(obj, f) != v}
        if not changed:
            summary.counts[f"{label} unchanged"] += 1
            continue
        for f in changed:
            setattr(obj, f, values[f])
        changed_fields |= changed
        to_update.append(obj)
    bulk_create_with_history(to_create, model, batch_size=1000)
    if to_update:
        bulk_update_with_history(to_update, model, sorted(changed_fields), batch_size=1000)
    summary.counts[f"{label} created"] += len(to_create)
    summary.counts[f"{label} updated"] += len(to_update)
    return existing


def recorded_action_ids(plan: Plan) -> set[int]:
    """`plan`'s actions with anything recorded against them: updates, values, history,
    exceptions."""
    ids = set(ProgressUpdate.objects.filter(action__plan=plan).values_list("action_id", flat=True))
    ids |= set(
        KPIValue.objects.filter(kpi__action__plan=plan).values_list("kpi__action_id", flat=True)
    )
    ids |= set(ChangeRecord.objects.filter(action__plan=plan).values_list("action_id", flat=True))
    ids |= set(TermException.objects.filter(action__plan=plan).values_list("action_id", flat=True))
    return ids


def retire_missing(
    plan: Plan, codes: set[str], refs: set[tuple[str, str]], summary: ImportSummary
) -> None:
    """Retire `plan`'s actions whose codes are not in `codes`, and its actions' KPIs whose
    (action code, ref) are not in `refs`, if anything was recorded against them; else
    delete them.

    Retired records keep their values, ratings and history and are shown as retired.
    """
    now = timezone.now()
    recorded = recorded_action_ids(plan)
    valued_kpis = set(
        KPIValue.objects.filter(kpi__action__plan=plan).values_list("kpi_id", flat=True)
    )
    gone_actions = list(
        Action.objects.filter(plan=plan, retired_at__isnull=True)
        .exclude(code__in=codes)
        .values_list("pk", flat=True)
    )
    gone_ids = set(gone_actions)
    # Plain tuples, not model objects: at a hundred times the plan this is 54,100 rows.
    gone_kpis = [
        (pk, action_id)
        for pk, action_id, code, ref in KPI.objects.filter(
            action__plan=plan, retired_at__isnull=True
        ).values_list("pk", "action_id", "action__code", "ref")
        if (code, ref) not in refs
    ]
    # A KPI with values is retired; so are all KPIs of an action being retired, which
    # its history refers to. Any other KPI the file no longer has is deleted.
    retiring = gone_ids & recorded
    keep_kpis = [pk for pk, a in gone_kpis if pk in valued_kpis or a in retiring]
    kept = set(keep_kpis)
    drop_kpis = [pk for pk, _ in gone_kpis if pk not in kept]
    keep_actions = [pk for pk in gone_actions if pk in recorded]
    drop_actions = [pk for pk in gone_actions if pk not in recorded]
    retire(KPI, keep_kpis, now)
    KPI.objects.filter(pk__in=drop_kpis).delete()
    retire(Action, keep_actions, now)
    Action.objects.filter(pk__in=drop_actions).delete()
    summary.counts["KPIs retired"] += len(keep_kpis)
    summary.counts["KPIs deleted"] += len(drop_kpis)
    summary.counts["actions retired"] += len(keep_actions)
    summary.counts["actions deleted"] += len(drop_actions)


def retire(model: type[Model], pks: list[int], when: datetime) -> None:
    """Mark the rows `pks` of `model` retired at `when`, with their history."""
    rows = list(model.objects.filter(pk__in=pks))
    for row in rows:
        row.retired_at = when
    if rows:
        bulk_update_with_history(rows, model, ["retired_at"], batch_size=1000)


def _assign_leads(rows: list[PlanRow], actions: dict[str, Action], summary: ImportSummary) -> None:
    wanted = {(row.code, email) for row in rows for email in row.lead_emails}
    leads_assign(wanted, actions, summary)


def leads_assign(
    wanted: set[tuple[str, str]], actions: dict[str, Action], summary: ImportSummary
) -> None:
    """Give each action (by code) the users named by e-mail in `wanted`; unknown addresses
    are warned about."""
    if not wanted:
        return
    users = {
        u.email.lower(): u
        for u in get_user_model().objects.filter(email__in={e for _, e in wanted})
    }
    through = Action.leads.through
    ids = [action.pk for action in actions.values()]
    have = set(through.objects.filter(action_id__in=ids).values_list("action_id", "user_id"))
    new: dict[str, list] = {}
    for code, email in sorted(wanted):
        user = users.get(email)
        if user is None:
            summary.warnings.append(
                f"{code}: no user has the e-mail address {email}; lead not assigned."
            )
        elif (actions[code].pk, user.pk) not in have:
            new.setdefault(code, []).append(user)
    for code, leads in new.items():
        actions[code].leads.add(*leads)  # through the relation, so the trail sees it
    summary.counts["lead assignments created"] += sum(len(leads) for leads in new.values())
