"""The public version of a pack: small numbers suppressed, restricted notes removed.

DfE practice: a count under the threshold, and any percentage derived from one,
is shown as "[c]" so that no child can be identified from a committee paper.
Comparator figures (England, North West…) are published statistics and stay.
"""

import copy

from kpis.models import Unit

# Narrative that may name circumstances or people: only the restricted pack shows it.
RESTRICTED_ACTION_FIELDS = ("risks",)
RESTRICTED_POINT_FIELDS = ("note",)


def is_small(number: float | int | None, threshold: int) -> bool:
    return number is not None and number < threshold


def suppress_point(point: dict | None, unit: str, threshold: int) -> dict | None:
    """A copy of one figure with small counts, and what derives from them, blanked."""
    if point is None:
        return None
    point = dict(point)
    for field in RESTRICTED_POINT_FIELDS:
        point[field] = ""
    small_base = any(
        is_small(point.get(k), threshold) for k in ("numerator", "denominator", "cohort_size")
    )
    small_count = unit == Unit.COUNT and is_small(point.get("value"), threshold)
    point["suppressed"] = small_base or small_count
    if point["suppressed"]:
        point.update(value=None, numerator=None, denominator=None, cohort_size=None)
    return point


def suppress_trend(trend: dict, threshold: int) -> dict:
    unit = trend["unit"]
    trend = dict(trend)
    trend["points"] = [suppress_point(p, unit, threshold) for p in trend["points"]]
    trend["cohorts"] = [
        {**c, "points": [suppress_point(p, unit, threshold) for p in c["points"]]}
        for c in trend["cohorts"]
    ]
    return trend


def public_content(content: dict, threshold: int) -> dict:
    """The pack as the public may read it; `content` itself is left untouched."""
    public = copy.deepcopy(content)
    public["public"] = True
    public["threshold"] = threshold
    for action in public["actions"]:
        for field in RESTRICTED_ACTION_FIELDS:
            action[field] = ""
        action["kpis"] = [suppress_trend(t, threshold) for t in action["kpis"]]
    for item in public["dashboard"]["exceptions"]:
        for field in RESTRICTED_ACTION_FIELDS:
            item[field] = ""
    return public
