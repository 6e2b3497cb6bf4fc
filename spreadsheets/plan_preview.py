"""What importing a plan file would change, worked out without writing anything.

The preview is plain data (JSON-ready) so it can be shown, printed by
`import_plan --dry-run`, and kept with the import record as what was confirmed.
"""

import difflib
from collections import Counter

from actions.models import Action
from kpis.models import KPI
from spreadsheets.plan_rows import PlanRow
from spreadsheets.services import kpi_values_from_row, recorded_action_ids

ACTION_FIELDS = {"text": "Action", "outcome": "Outcome", "lead_description": "Lead"}
KPI_FIELDS = {
    "text": "KPI",
    "unit": "Unit",
    "polarity": "Polarity",
    "baseline_value": "Baseline",
    "baseline_period": "Baseline period",
    "target_value": "Target",
    "target_period": "Target period",
    "target_kind": "Target kind",
    "target_not_agreed": "Target not agreed",
    "tolerance": "Tolerance",
    "target_upper_value": "Upper target",
    "target_comparator_id": "Target comparator",
    "comparator_basis": "Comparator basis",
    "target_cohort_id": "Target group",
    "gap_narrowing": "Gap narrowing",
    "trend_periods": "Trend figures",
    "trend_min_change": "Trend minimum change",
    "data_source": "Data source",
    "frequency": "Frequency",
}


def preview_lines(preview: dict) -> list[str]:
    """The preview as text, for the command line: everything but the unchanged."""
    lines = []
    for commitment in preview["commitments"]:
        for action in (a for a in commitment["actions"] if a["touched"]):
            lines.append(f"{action['code']}: {action['state']}")
            lines += [
                f"  {c['field']}: {c['before']!r} -> {c['after']!r}" for c in action["changes"]
            ]
            for kpi in (k for k in action["kpis"] if k["state"] != "unchanged"):
                lines.append(f"  ({kpi['ref']}) {kpi['state']}")
                lines += [
                    f"    {c['field']}: {c['before']!r} -> {c['after']!r}" for c in kpi["changes"]
                ]
    for item in (i for i in preview.get("structure", []) if i["state"] != "unchanged"):
        lines.append(f"{item['kind']} {item['code']}: {item['state']}")
        lines += [f"  {c['field']}: {c['before']!r} -> {c['after']!r}" for c in item["changes"]]
    return lines + [f"Warning: {w}" for w in preview["warnings"]]


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """[("=", "same words"), ("-", "removed words"), ("+", "added words")], word by word."""
    old, new = before.split(), after.split()
    parts: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(("=", " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("-", " ".join(old[i1:i2])))
        if j2 > j1:
            parts.append(("+", " ".join(new[j1:j2])))
    return parts


def change_entry(label: str, before: object, after: object) -> dict:
    shown_before = "" if before is None else str(before)
    shown_after = "" if after is None else str(after)
    return {
        "field": label,
        "before": shown_before,
        "after": shown_after,
        "diff": word_diff(shown_before, shown_after),
    }


def plan_preview(rows: list[PlanRow], warnings: list[str], *, plan) -> dict:
    """Per commitment, every action and KPI of `plan` that would be created, changed,
    unchanged, retired (something was recorded against it) or deleted (nothing was)."""
    actions = {
        a.code: a for a in Action.objects.filter(plan=plan).select_related("commitment", "sector")
    }
    kpis = {(k.action_id, k.ref): k for k in KPI.objects.filter(action__plan=plan)}
    recorded = recorded_action_ids(plan)
    valued = set(
        KPI.objects.filter(action__plan=plan, values__isnull=False).values_list("pk", flat=True)
    )
    commitments: dict[int, dict] = {}
    counts: Counter = Counter()
    for code, action_rows in _by_action(rows).items():
        first = action_rows[0]
        entry = _action_entry(actions.get(code), first, action_rows, kpis, recorded, valued)
        group = commitments.setdefault(
            first.commitment_no,
            {"number": first.commitment_no, "title": first.commitment, "actions": []},
        )
        group["actions"].append(entry)
    codes = {row.code for row in rows}
    for action in actions.values():
        if action.code not in codes and action.retired_at is None:
            group = commitments.setdefault(
                action.commitment.number,
                {
                    "number": action.commitment.number,
                    "title": action.commitment.title,
                    "actions": [],
                },
            )
            group["actions"].append(_gone_action(action, kpis, recorded))
    for group in commitments.values():
        for entry in group["actions"]:
            entry["touched"] = entry["state"] != "unchanged" or any(
                k["state"] != "unchanged" for k in entry["kpis"]
            )
            group["touched"] = group.get("touched", False) or entry["touched"]
            counts[f"actions {entry['state']}"] += 1
            counts.update(f"KPIs {k['state']}" for k in entry["kpis"])
    return {
        "commitments": [commitments[n] for n in sorted(commitments)],
        "counts": dict(counts),
        "warnings": list(warnings),
    }


def _by_action(rows: list[PlanRow]) -> dict[str, list[PlanRow]]:
    grouped: dict[str, list[PlanRow]] = {}
    for row in rows:
        grouped.setdefault(row.code, []).append(row)
    return grouped


def _action_entry(action, first: PlanRow, rows, kpis, recorded, valued) -> dict:
    entry = {"code": first.code, "text": first.action, "row": first.row, "changes": [], "kpis": []}
    if action is None:
        entry["state"] = "created"
        entry["kpis"] = [
            {"ref": r.ref, "text": r.kpi, "state": "created", "changes": []} for r in rows
        ]
        return entry
    wanted = {"text": first.action, "outcome": first.outcome, "lead_description": first.lead}
    entry["changes"] = [
        change_entry(label, getattr(action, f), wanted[f])
        for f, label in ACTION_FIELDS.items()
        if getattr(action, f) != wanted[f]
    ]
    if (action.commitment.number, action.sector.position) != (first.commitment_no, first.sector_no):
        entry["changes"].append(
            change_entry(
                "Commitment and sector",
                f"{action.commitment.number}.{action.sector.position}",
                f"{first.commitment_no}.{first.sector_no}",
            )
        )
    if action.retired_at is not None:
        entry["changes"].append(change_entry("Retired", "yes", "no (back in the plan)"))
    entry["kpis"] = _kpi_entries(action, rows, kpis, recorded, valued)
    entry["state"] = "changed" if entry["changes"] else "unchanged"
    return entry


def _kpi_entries(action: Action, rows: list[PlanRow], kpis: dict, recorded, valued) -> list[dict]:
    entries, refs = [], {row.ref for row in rows}
    for position, row in enumerate(rows, start=1):
        kpi = kpis.get((action.pk, row.ref))
        if kpi is None:
            entries.append({"ref": row.ref, "text": row.kpi, "state": "created", "changes": []})
            continue
        wanted = kpi_values_from_row(row, position, kpi)
        changes = [
            change_entry(label, getattr(kpi, f), wanted[f])
            for f, label in KPI_FIELDS.items()
            if f in wanted and getattr(kpi, f) != wanted[f]
        ]
        if kpi.retired_at is not None:
            changes.append(change_entry("Retired", "yes", "no (back in the plan)"))
        entries.append(
            {
                "ref": row.ref,
                "text": row.kpi,
                "changes": changes,
                "state": "changed" if changes else "unchanged",
            }
        )
    for (action_id, ref), kpi in kpis.items():
        if action_id == action.pk and ref not in refs and kpi.retired_at is None:
            kept = kpi.pk in valued
            entries.append(
                {
                    "ref": ref,
                    "text": kpi.text,
                    "changes": [],
                    "state": "retired" if kept else "deleted",
                }
            )
    return entries


def _gone_action(action: Action, kpis: dict, recorded: set[int]) -> dict:
    state = "retired" if action.pk in recorded else "deleted"
    live = [k for (a, _), k in kpis.items() if a == action.pk and k.retired_at is None]
    return {
        "code": action.code,
        "text": action.text,
        "row": None,
        "state": state,
        "changes": [],
        "kpis": [{"ref": k.ref, "text": k.text, "state": state, "changes": []} for k in live],
    }
