"""A board pack as an Excel workbook, from its frozen content (restricted or public)."""

from bury_eis.exports import xlsx_bytes
from kpis.trends import SUPPRESSED


def pack_workbook(content: dict) -> bytes:
    d = content["dashboard"]
    return xlsx_bytes(
        {
            "Cover": _cover(content),
            "Ratings": _ratings(d),
            "Red and Amber": _exceptions(d, content["public"]),
            "Actions": _actions(content),
            "KPI figures": _figures(content),
        }
    )


def _cover(content: dict) -> list[list]:
    d = content["dashboard"]
    rows = [
        ["Board pack", content["board"]["name"]],
        ["Remit", content["board"]["remit"]],
        ["Meeting", content["meeting"]["date"]],
        ["Figures approved for", d["term"]["label"] if d["term"] else ""],
        ["Generated", content["generated_at"]],
        ["Version", "Public" if content["public"] else "Restricted: not for publication"],
    ]
    if content["public"]:
        rows.append(
            ["Note", f"{SUPPRESSED}: figure withheld, fewer than {content['threshold']} children"]
        )
    return rows


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
    rows = [["Action", "KPI", "Measure", "Term", "Group", "Value", "Numerator", "Denominator"]]
    rows[0] += ["Period", "Target"]
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
                    rows.append([*where, *_figure(p), p["data_period"], trend["target_text"]])
    return rows


def _figure(point: dict) -> list:
    if point["suppressed"]:
        return [SUPPRESSED, SUPPRESSED, SUPPRESSED]
    return [point["value"], point["numerator"], point["denominator"]]
