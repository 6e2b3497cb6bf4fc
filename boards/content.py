"""The dashboard as plain data: what the page shows and what a board pack freezes.

Both the live dashboard and a pack render from this one shape, so a pack shows
exactly what the dashboard showed when it was generated.
"""

from actions.models import Action, Movement, ProgressUpdate, Rating, UpdateStatus
from actions.schedule import Schedule
from actions.tables import lead_names, rating_word
from boards.selectors import (
    KPI_COLUMNS,
    MOVEMENT_COLUMNS,
    NO_UPDATE,
    RATING_COLUMNS,
    Dashboard,
)
from kpis.models import KPIStatus
from kpis.selectors import State


def _label(code: str) -> str:
    if code == NO_UPDATE:
        return "No update"
    return Rating(code).label


def _kpi_label(code: str) -> str:
    return "No value yet" if code == NO_UPDATE else KPIStatus(code).label


def _movement_label(code: str) -> str:
    return Movement(code).label


def _counts(counter: dict, columns: list[str], label) -> list[dict]:
    return [{"code": str(c), "label": label(c), "n": counter.get(c, 0)} for c in columns]


def dashboard_content(board: Dashboard) -> dict:
    """Everything the dashboard shows, as JSON-ready dicts and lists."""
    return {
        "term": _term(board.term),
        "previous": _term(board.previous),
        "columns": [{"code": c, "label": _label(c)} for c in RATING_COLUMNS],
        "movement_columns": [{"code": m.value, "label": m.label} for m in MOVEMENT_COLUMNS],
        "kpi_columns": [{"code": k, "label": _kpi_label(k)} for k in KPI_COLUMNS],
        "sectors": [{"pk": s.pk, "name": s.name} for s in board.sectors],
        "rows": [_row(board, c) for c in board.commitments],
        "totals": _counts(board.totals, RATING_COLUMNS, _label),
        "total": board.action_count,
        "unused_ratings": _either(
            [_label(c) for c in RATING_COLUMNS if c != NO_UPDATE and not board.totals.get(c)]
        ),
        "movement_totals": _counts(board.movement_totals, MOVEMENT_COLUMNS, _movement_label),
        "kpi_totals": _counts(board.kpi_totals, KPI_COLUMNS, _kpi_label),
        "kpi_total": sum(board.kpi_totals.values()),
        "exceptions": [exception_entry(u) for u in board.exceptions],
        "exception_count": board.exception_count,
        "stale": [_stale_entry(a) for a in board.stale],
        "stale_count": board.stale_count,
        "completeness": _completeness(board.completeness),
        **_plan_shape(board),
        "schedule": [
            {"code": code, "label": label, "colour": Schedule.COLOURS[code], "n": n}
            for code, label in Schedule.CHOICES
            if (n := board.schedule_totals.get(code, 0))
        ],
        "dated_count": sum(board.schedule_totals.values()),
        "overdue": [_overdue_entry(row) for row in board.overdue],
        "overdue_count": len(board.overdue),
    }


def _plan_shape(board: Dashboard) -> dict:
    """The plan's level names and, for a plan whose outcomes sit under its priority areas,
    the heatmap as one row per outcome under its area instead of a sparse matrix."""
    plan = board.plan
    if plan is None or not plan.groups_nested:
        return {"nested": False}
    areas = []
    for commitment in board.commitments:
        outcomes = [s for s in board.sectors if s.commitment_id == commitment.pk]
        counts = board.by_commitment.get(commitment.pk, {})
        areas.append(
            {
                "commitment": {"pk": commitment.pk, "label": commitment.label},
                "total": sum(counts.values()),
                "outcomes": [
                    {
                        "pk": o.pk,
                        "label": f"{o.code} {o.name}".strip(),
                        "cell": _cell(board.cells.get((commitment.pk, o.pk), {}), o.pk),
                    }
                    for o in outcomes
                ],
            }
        )
    return {
        "nested": True,
        "levels": {"area": plan.area_name, "group": plan.group_name},
        "areas": areas,
    }


def _overdue_entry(row: dict) -> dict:
    due = row["due_date"]
    return {
        "action_pk": row["pk"],
        "code": row["code"],
        "text": row["text"],
        "due": f"{due.day} {due:%B %Y}",
        "rating": row["latest_rating"] or "",
        "rating_label": rating_word(row["latest_rating"]),
    }


def _either(words: list[str]) -> str:
    """ "Blue", "Blue or Grey", "Green, Blue or Grey"; empty for none."""
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} or {words[-1]}"


def _completeness(found) -> dict | None:
    if found is None:
        return None
    return {
        "sentence": found.sentence,
        "total": found.total,
        "approved": found.approved,
        "awaiting": found.awaiting,
        "no_update": found.no_update,
    }


def _term(term) -> dict | None:
    return None if term is None else {"pk": term.pk, "label": term.label}


def _row(board: Dashboard, commitment) -> dict:
    counts = board.by_commitment.get(commitment.pk, {})
    movement = board.movement.get(commitment.pk, {})
    kpis = board.kpi_status.get(commitment.pk, {})
    return {
        "commitment": {"pk": commitment.pk, "number": commitment.number, "title": commitment.title},
        "cells": [
            _cell(board.cells.get((commitment.pk, sector.pk), {}), sector.pk)
            for sector in board.sectors
        ],
        "counts": _counts(counts, RATING_COLUMNS, _label),
        "total": sum(counts.values()),
        "movement": _counts(movement, MOVEMENT_COLUMNS, _movement_label),
        "kpis": _counts(kpis, KPI_COLUMNS, _kpi_label),
        "kpi_total": sum(kpis.values()),
    }


def worst_rating(counts: dict) -> str | None:
    """The heatmap's rule: a cell is coloured by the worst approved rating among its
    actions, worst first as the matrix's columns are (Red, Amber, Green, Blue, Grey); a cell
    whose actions have no approved rating is "none"; a cell with no actions, None."""
    return next((c for c in RATING_COLUMNS if counts.get(c)), None)


def _cell(counts: dict, sector_pk: int) -> dict:
    return {
        "sector_pk": sector_pk,
        # Worst first, so a pack frozen before `worst` was kept has it as its first count.
        "counts": [
            {"code": c, "label": _label(c), "n": counts[c]} for c in RATING_COLUMNS if counts.get(c)
        ],
        "worst": worst_rating(counts),
        "total": sum(counts.values()),
    }


def exception_entry(update: ProgressUpdate) -> dict:
    """A Red or Amber action with its narrative, as the board reads it."""
    action = update.action
    return {
        "action_pk": action.pk,
        "code": action.code,
        "text": action.text,
        "commitment": str(action.commitment),
        "sector": action.sector.name,
        "lead": lead_names(action),
        "rating": update.rating,
        "rating_label": rating_word(update.rating),
        "progress": update.progress,
        "evidence": update.evidence_of_impact,
        "next_steps": update.next_steps,
        "risks": update.risks,
    }


def _stale_entry(action: Action) -> dict:
    status = action.update_status
    return {
        "action_pk": action.pk,
        "code": action.code,
        "text": action.text,
        "lead": lead_names(action),
        "state": UpdateStatus(status).label if status else State.NOT_STARTED,
    }
