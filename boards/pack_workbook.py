"""A board pack as an Excel workbook, from its frozen content (restricted or public).

The Summary sheet comes first, as the summary page does in the PDF; while the pack holds
demo data every sheet says so above its header. Figures are numbers with their unit in a
column of its own, dates are Excel dates, and codes are text (bury_eis.exports gives each
cell its number format).
"""

from datetime import date, datetime

from boards.packs import DEMO_MARKING, is_demo
from bury_eis.exports import xlsx_bytes
from kpis.comparisons import newest_from_points, slot_headers
from kpis.trends import SUPPRESSED, target_words

# Each comparator figure takes three columns, the same on every row: Comparator 1,
# Comparator 1 value, Comparator 1 period, then Comparator 2...


def pack_workbook(content: dict, *, version: int) -> bytes:
    """The workbook of version `version` of a pack, from its restricted or public content."""
    d = content["dashboard"]
    sheets = {
        "Summary": _summary(d),
        "Cover": _cover(content, version),
        "Ratings": _ratings(d),
        "Red and Amber": _exceptions(d, content["public"]),
        "Actions": _actions(content),
        "KPI figures": _figures(content),
    }
    # Packs frozen before the risk register, and plans with no risks, have no Risks sheet.
    if (content.get("risks") or {}).get("recorded"):
        sheets["Risks"] = _risks(content["risks"])
    return xlsx_bytes(sheets, banner=DEMO_MARKING if is_demo(content) else "")


def _summary(d: dict) -> list[list]:
    """Completeness, actions by rating, movement, KPIs against target, and every Red and
    Amber action with its next steps."""
    term = d["term"]["label"] if d["term"] else ""
    completeness = (d.get("completeness") or {}).get("sentence", "")
    rows: list[list] = [["Summary", f"Figures approved for {term}" if term else ""]]
    rows.append(["Completeness", completeness or f"{d['total']} actions in {term}"])
    rows += [[], ["Approved rating", "Actions"]]
    rows += [[c["label"], c["n"]] for c in d["totals"]]
    rows.append(["All actions", d["total"]])
    previous = d["previous"]["label"] if d["previous"] else "the previous term"
    rows += [[], [f"Movement since {previous}", "Actions"]]
    rows += [[c["label"], c["n"]] for c in d["movement_totals"]]
    rows += [[], ["KPIs against target", "KPIs"]]
    rows += [[c["label"], c["n"]] for c in d["kpi_totals"]]
    rows += [[], [f"Red and Amber actions ({d['exception_count']})", "Rating", "Next steps"]]
    for item in d["exceptions"]:
        rows.append([f"{item['code']} {item['text']}", item["rating_label"], item["next_steps"]])
    return rows


def _cover(content: dict, version: int) -> list[list]:
    d = content["dashboard"]
    rows = [
        ["Board pack", content["board"]["name"]],
        ["Remit", content["board"]["remit"]],
        ["Meeting", date.fromisoformat(content["meeting"]["date"])],
        ["Figures approved for", d["term"]["label"] if d["term"] else ""],
        ["Generated", _excel_datetime(content["generated_at"])],
        ["Version", version],
        ["Marking", "Public" if content["public"] else "Restricted: not for publication"],
    ]
    if content["public"]:
        rows.append(
            ["Note", f"{SUPPRESSED}: figure withheld, fewer than {content['threshold']} children"]
        )
    return rows


def _excel_datetime(text: str) -> datetime:
    """An ISO timestamp as the local wall-clock time Excel shows (Excel has no time zones)."""
    return datetime.fromisoformat(text).replace(tzinfo=None)


def _ratings(d: dict) -> list[list]:
    header = ["Commitment", *[c["label"] for c in d["columns"]], "Actions"]
    rows = [header]
    for row in d["rows"]:
        c = row["commitment"]
        rows.append(
            [f"{c['number']}. {c['title']}", *[n["n"] for n in row["counts"]], row["total"]]
        )
    rows.append(["All commitments", *[n["n"] for n in d["totals"]], d["total"]])
    return rows


def _exceptions(d: dict, public: bool) -> list[list]:
    header = ["Action", "Rating", "Lead", "Progress", "Next steps"]
    if not public:
        header.append("Risks")
    rows = [header]
    for item in d["exceptions"]:
        row = [f"{item['code']} {item['text']}", item["rating_label"], item["lead"]]
        row += [item["progress"], item["next_steps"]]
        rows.append(row if public else [*row, item["risks"]])
    return rows


def _actions(content: dict) -> list[list]:
    rows = [["Code", "Action", "Commitment", "Sector", "Lead", "Rating", "Previous rating"]]
    for a in content["actions"]:
        fields = ["code", "text", "commitment", "sector", "lead", "rating_label"]
        rows.append([*(a[f] for f in fields), a["previous_rating_label"]])
    return rows


def _figures(content: dict) -> list[list]:
    """Every figure in the pack, one row per KPI, term and group, its unit beside it (a
    percentage is 38.7, as the council writes it), with the comparator figures recorded
    beside it (name, value and the period each describes)."""
    rows = []
    slots = 0
    for action in content["actions"]:
        for trend in action["kpis"]:
            groups = [("All", trend["points"])] + [
                (c["name"], c["points"]) for c in trend["cohorts"]
            ]
            for name, points in groups:
                for label, p in zip(trend["terms"], points, strict=True):
                    if p is None:
                        continue
                    where = [action["code"], trend["ref"], trend["text"], label, name]
                    value, *counts = _figure(p)
                    row = [*where, value, trend.get("unit_label", ""), *counts]
                    row += [p["data_period"], *_target(trend)]
                    comparators = newest_from_points([p])
                    slots = max(slots, len(comparators))
                    rows.append(row + [v for c in comparators for v in _comparator(c)])
    header = ["Action", "KPI", "Measure", "Term", "Group", "Value", "Unit", "Numerator"]
    header += ["Denominator", "Period", "Target", "Target in words"]
    header += slot_headers(slots)
    return [header, *rows]


def _target(trend: dict) -> list:
    """The target's number (in the row's unit) and, where they say more, its words."""
    target = trend.get("target")
    return [target, target_words(trend["target_text"], target, trend.get("unit", ""))]


def _comparator(found) -> list:
    return [found.name, found.value, found.period]


def _figure(point: dict) -> list:
    if point["suppressed"]:
        return [SUPPRESSED, SUPPRESSED, SUPPRESSED]
    return [point["value"], point["numerator"], point["denominator"]]


def _risks(summary: dict) -> list[list]:
    """Open risks by band, reviews overdue, and the highest-scoring open risks."""
    rows: list[list] = [["Band", "Open risks"]]
    rows += [[b["label"], b["n"]] for b in summary["bands"]]
    rows += [["All open risks", summary["open"]], ["Reviews overdue", summary["overdue"]], []]
    rows.append(["Risk", "Title", "Likelihood", "Impact", "Score", "Band", "Owner", "Review by"])
    for r in summary["top"]:
        where = [r["reference"], r["title"], r["likelihood"], r["impact"], r["score"]]
        review = date.fromisoformat(r["review_date"])
        rows.append([*where, r["band_label"], r["owner"], review])
    return rows
