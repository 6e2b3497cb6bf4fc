"""What a board pack holds: cover, summary, dashboard, exceptions and a page per action,
frozen as data; and what a reader of a pack needs beside it (demo marking, later versions)."""

from collections.abc import Iterator

from django.db.models import Prefetch
from django.utils import timezone

from actions.models import ProgressUpdate, Term, UpdateStatus
from actions.selectors import reporting_terms, term_and_previous
from actions.tables import lead_names, rating_word
from boards.content import dashboard_content
from boards.models import Board, BoardPack, Meeting
from boards.selectors import Remit, dashboard
from kpis.models import KPIValue
from kpis.selectors import kpis_with_trends
from risks.selectors import risk_summary

# Said on every page and sheet of a pack made while demo data was in the database.
DEMO_MARKING = "Demo data \N{EM DASH} not the council's figures"


def pack_content(meeting: Meeting, term: Term) -> dict:
    """Everything the pack shows for `meeting`'s board, as approved for `term`, as JSON data."""
    board = meeting.board
    remit = Remit.of(board)
    terms = reporting_terms(board.plan)
    _, previous = term_and_previous(terms, term.pk)
    shown_terms = [t for t in reversed(terms) if t.start_date <= term.start_date]
    return {
        "generated_at": timezone.localtime().isoformat(timespec="minutes"),
        "board": {"name": board.name, "slug": board.slug, "remit": board.remit},
        "meeting": {"date": meeting.date.isoformat(), "title": meeting.title},
        "dashboard": dashboard_content(dashboard(term, previous, remit, limit=None)),
        "actions": _action_pages(board, remit, term, previous, shown_terms),
        "risks": risk_summary(board.plan, remit.commitment_ids),
        "public": False,
        "demo": demo_data_present(),
    }


def demo_data_present() -> bool:
    """Whether any rating or figure in the database was made up by `seed_demo`.

    Asked when a pack is generated and frozen with it: a pack says it holds demo data if
    any was present then, since its dashboard counts every rating in the remit.
    """
    return (
        ProgressUpdate.objects.filter(is_demo=True).exists()
        or KPIValue.objects.filter(is_demo=True).exists()
    )


def is_demo(content: dict) -> bool:
    """Whether a pack's frozen content (restricted or public) is marked as demo data.

    Packs frozen before the flag was kept are judged by their own figures' flags.
    """
    if "demo" in content:
        return bool(content["demo"])
    return any(p.get("is_demo") for p in _points(content))


def withheld_count(content: dict) -> int:
    """How many figures a pack's content shows as "[c]"."""
    return sum(1 for p in _points(content) if p.get("suppressed"))


def _points(content: dict) -> Iterator[dict]:
    """Every figure in a pack's content: each KPI's all-pupil and group points."""
    for action in content.get("actions", []):
        for trend in action["kpis"]:
            for series in [trend["points"], *(c["points"] for c in trend["cohorts"])]:
                yield from (p for p in series if p)


def mark_superseded(packs: list[BoardPack]) -> list[BoardPack]:
    """Set `superseded_by` on each of one meeting's versions: the newest ready version, for
    every version older than it (the rule `superseded_by` asks of one pack)."""
    newest = max((p for p in packs if p.is_ready), key=lambda p: p.version, default=None)
    for pack in packs:
        pack.superseded_by = newest if newest and pack.version < newest.version else None
    return packs


def superseded_by(pack: BoardPack) -> BoardPack | None:
    """The newest ready version of the pack's meeting, if it is later than `pack`: the one
    board members should read instead."""
    return (
        BoardPack.objects.filter(
            meeting_id=pack.meeting_id, version__gt=pack.version, state=BoardPack.State.READY
        )
        .only("pk", "version", "meeting_id")
        .order_by("-version")
        .first()
    )


def _action_pages(board: Board, remit: Remit, term: Term, previous, terms: list[Term]) -> list:
    shown = [t.pk for t in (term, previous) if t is not None]
    updates = ProgressUpdate.objects.filter(
        term_id__in=shown, status=UpdateStatus.APPROVED
    ).select_related("term")
    actions = list(
        remit.actions()
        .select_related("commitment", "sector")
        .prefetch_related("leads", Prefetch("updates", queryset=updates, to_attr="rated"))
        .order_by("position")
    )
    kpis: dict[int, list] = {}
    for kpi in kpis_with_trends(remit.actions(), terms, up_to=term):
        kpis.setdefault(kpi.action_id, []).append(kpi.trend)
    return [_action_page(a, term, previous, kpis.get(a.pk, [])) for a in actions]


def _action_page(action, term: Term, previous, kpis: list[dict]) -> dict:
    by_term = {u.term_id: u for u in action.rated}
    now = by_term.get(term.pk)
    before = by_term.get(previous.pk) if previous else None
    return {
        "action_pk": action.pk,
        "code": action.code,
        "text": action.text,
        "outcome": action.outcome,
        "commitment": str(action.commitment),
        "sector": action.sector.name,
        "lead": lead_names(action),
        "rating": now.rating if now else "",
        "rating_label": rating_word(now.rating if now else None),
        "previous_rating": before.rating if before else "",
        "previous_rating_label": rating_word(before.rating if before else None),
        "progress": now.progress if now else "",
        "evidence": now.evidence_of_impact if now else "",
        "next_steps": now.next_steps if now else "",
        "risks": now.risks if now else "",
        "kpis": kpis,
    }
