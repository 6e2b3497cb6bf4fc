"""Line charts drawn on the server as SVG, so they print and go into the PDF pack without scripts.

The functions take plain data, not models, so a pack frozen as JSON draws the same chart
byte for byte years later. Lines differ by dash pattern and marker shape as well as colour,
so they can be told apart in black and white and without colour vision (WCAG 1.4.1).
"""

import math
import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from bury_eis.formatting import figure, with_unit

_WIDTH, _HEIGHT, _EMPTY_HEIGHT = 640, 260, 40
_LEFT, _RIGHT, _BOTTOM = 64, 500, 222
# Right of the plot, each line's name, the target and the baseline are written level with
# where they end, pushed apart so none overlaps a line or another label.
_LABELS_X, _LABEL_GAP, _LABEL_CHARS = 508, 12, 21
_INSET = 16  # keeps the first and last markers clear of the axes
_INK, _GRID, _TARGET, _BASELINE = "#0b0c0c", "#b1b4b6", "#00703c", "#505a5f"
_FROM_ZERO = {"count", "percent", "rate_per_10000", "money", "days", "weeks"}
_CAPTIONS = {"count": "Number", "rate_per_10000": "Per 10,000", "days": "Days", "weeks": "Weeks"}
_LEGEND_CHARS = 80  # what fits across the plot at the legend's font size
_TERM = re.compile(r"^([A-Za-z]{3})[A-Za-z]*\s+\d{2}(\d{2})$")


@dataclass(frozen=True)
class Series:
    """One line: its legend name, a figure (or None) per x label, and how it is drawn.

    `periods`, where given, names the period each figure describes (one per x label, ""
    where unknown). A comparator's figures lag the term they were reported in, so its
    legend and description carry them: "England (2022/23)".
    """

    name: str
    points: tuple[float | None, ...]
    kind: str = "main"  # "main", "comparator" or "cohort"
    periods: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The legend's name: with the span of periods the figures describe, if given."""
        if not self.periods:
            return self.name
        shown = [p for p, v in zip(self.periods, self.points, strict=True) if v is not None and p]
        if not shown:
            return self.name
        span = shown[0] if len(set(shown)) == 1 else f"{shown[0]} to {shown[-1]}"
        return f"{self.name} ({span})"

    def at(self, index: int) -> str:
        """The figure's period at `index` in brackets, or nothing if none is given."""
        period = self.periods[index] if self.periods else ""
        return f" ({period})" if period else ""


@dataclass(frozen=True)
class _Style:
    colour: str  # all at least 3:1 against white
    dash: str  # stroke-dasharray
    marker: str


_MAIN = _Style("#1f3a5f", "none", "circle")
# Every other line gets the next of these in turn, so no two lines of a chart share a
# colour, a dash pattern or a marker shape (England, North West and Greater Manchester
# were all purple squares; SEN Support, EHCP and the other groups all brown triangles).
_OTHERS = (
    _Style("#6b4fa0", "8 4", "square"),
    _Style("#8a5300", "2 3", "triangle"),
    _Style("#912b88", "6 2 2 2", "diamond"),
    _Style("#00707f", "10 3", "triangle-down"),
    _Style("#b33c00", "4 4", "cross"),
    _Style("#594d00", "1 2", "ring"),
)


@dataclass(frozen=True)
class _Frame:
    """The plot area: where a term index or a value lands on the page."""

    top: float
    ticks: tuple[float, ...]
    count: int

    def x(self, index: int) -> float:
        if self.count == 1:
            return (_LEFT + _RIGHT) / 2
        return _LEFT + _INSET + index * (_RIGHT - _LEFT - 2 * _INSET) / (self.count - 1)

    def y(self, value: float) -> float:
        low, high = self.ticks[0], self.ticks[-1]
        return _BOTTOM - (value - low) / (high - low) * (_BOTTOM - self.top)


def _c(value: float) -> str:
    """A coordinate to one decimal place, never "-0.0", so output is byte-stable."""
    return f"{round(value, 1) + 0.0:.1f}"


def _tidy(value: float) -> float:
    """Drop float noise (0.30000000000000004) before a number is shown."""
    return round(value, 10) + 0.0


def _styles(series: tuple[Series, ...]) -> dict[int, _Style]:
    """Each line's style, by its place in `series`: the main line navy with circles, every
    other line the next of _OTHERS."""
    styles, others = {}, iter(range(len(series)))
    for index, line in enumerate(series):
        styles[index] = _MAIN if line.kind == "main" else _OTHERS[next(others) % len(_OTHERS)]
    return styles


def line_chart_svg(
    *,
    chart_id: str,
    title: str,
    x_labels: tuple[str, ...],
    series: tuple[Series, ...],
    unit: str,
    target: float | None = None,
    target_upper: float | None = None,
    target_label: str = "",
    baseline: float | None = None,
    baseline_label: str = "",
) -> SafeString:
    """An accessible SVG line chart of figures by term, with target and baseline lines."""
    series = tuple(_checked(line, len(x_labels)) for line in series)
    target, target_upper, baseline = (_float(v) for v in (target, target_upper, baseline))
    values = [v for line in series for v in line.points if v is not None]
    if not values:
        return _svg(chart_id, title, "No approved figures yet", _EMPTY_HEIGHT, [])
    if target is not None and not target_label:
        target_label = f"Target {with_unit(_tidy(target), unit)}"
        if target_upper is not None:
            target_label += f" to {with_unit(_tidy(target_upper), unit)}"
    if baseline is not None and not baseline_label:
        baseline_label = f"Baseline {with_unit(_tidy(baseline), unit)}"
    extras = [v for v in (target, target_upper, baseline) if v is not None]
    styles = _styles(series)
    legend, rows = _legend(series, styles)
    frame = _Frame(28 + 16 * rows, _nice_ticks(*_value_range(values + extras, unit)), len(x_labels))
    parts = [*legend, *_y_axis(frame, unit), *_x_axis(frame, x_labels)]
    labels: list[_EndLabel] = []
    if target is not None:
        parts += _target(frame, target, target_upper)
        labels.append(_EndLabel("eis-chart__target-label", frame.y(target), _TARGET, target_label))
    if baseline is not None:
        parts.append(_baseline(frame, baseline))
        labels.append(
            _EndLabel("eis-chart__baseline-label", frame.y(baseline), _BASELINE, baseline_label)
        )
    for index, line in enumerate(series):
        parts += _series(frame, line, styles[index], unit, [frame.y(v) for v in extras])
        last = [(i, v) for i, v in enumerate(line.points) if v is not None]
        if last:
            y = frame.y(last[-1][1])
            labels.append(_EndLabel("eis-chart__end-label", y, styles[index].colour, line.name))
    parts += _end_labels(frame, labels)
    desc = _describe(x_labels, series, unit, [target_label, baseline_label])
    return _svg(chart_id, title, desc, _HEIGHT, parts)


def _float(value: float | None) -> float | None:
    """Model fields hold Decimals; the drawing arithmetic wants floats."""
    return None if value is None else float(value)


def _checked(line: Series, count: int) -> Series:
    """The series with float points, refusing one that does not have a point per label."""
    if len(line.points) != count:
        raise ValueError(f"Series {line.name!r} has {len(line.points)} points for {count} labels")
    if line.periods and len(line.periods) != count:
        raise ValueError(f"Series {line.name!r} has {len(line.periods)} periods for {count} labels")
    return Series(line.name, tuple(_float(v) for v in line.points), line.kind, line.periods)


def _svg(chart_id: str, title: str, desc: str, height: int, parts: list[str]) -> SafeString:
    """Wrap the drawing in an <svg> that screen readers announce by its title and summary."""
    head = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" '
        'preserveAspectRatio="xMidYMid meet" class="eis-chart" role="img" '
        'aria-labelledby="{}-title {}-desc" font-family="Arial, Helvetica, sans-serif" '
        'font-size="11" fill="{}"><title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
        *(_WIDTH, height, chart_id, chart_id, _INK, chart_id, title, chart_id, desc),
    )
    if not parts:
        parts = [_text("eis-chart__empty", _LEFT, 24, "start", _INK, desc)]
    # Every part was built by format_html from constants and escaped values, so joining is safe.
    return mark_safe(head + "".join(parts) + "</svg>")  # noqa: S308


def _line(
    css: str, ends: tuple[float, ...], colour: str, width: float = 1, dash: str = "none"
) -> str:
    return format_html(
        '<line class="{}" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}" '
        'stroke-dasharray="{}"/>',
        *(css, *(_c(end) for end in ends), colour, width, dash),
    )


def _text(css: str, x: float, y: float, anchor: str, colour: str, text: str) -> str:
    return format_html(
        '<text class="{}" x="{}" y="{}" text-anchor="{}" fill="{}">{}</text>',
        *(css, _c(x), _c(y), anchor, colour, text),
    )


def _describe(
    x_labels: tuple[str, ...], series: Iterable[Series], unit: str, notes: list[str]
) -> str:
    """Say in words what the chart shows: each line's first and last figure, then the targets."""
    sentences = []
    for line in series:
        known = [(i, v) for i, v in enumerate(line.points) if v is not None]
        if not known:
            sentences.append(f"{line.name}: no figures.")
            continue
        (first_at, first), (last_at, last) = known[0], known[-1]
        text = f"{line.name}: {with_unit(_tidy(first), unit)}{line.at(first_at)}"
        text += f" in {x_labels[first_at]}"
        if len(known) > 1:
            text += f" to {with_unit(_tidy(last), unit)}{line.at(last_at)} in {x_labels[last_at]}"
        sentences.append(text + ".")
    sentences += [note.rstrip(".") + "." for note in notes if note]
    return " ".join(sentences)


def _value_range(values: list[float], unit: str) -> tuple[float, float]:
    """The span the y axis must cover: from zero when the data sits near it, 0–100 for percent."""
    low, high = min(values), max(values)
    if unit in _FROM_ZERO and 0 < low <= 0.4 * high:
        low = 0.0
    if low == high:
        pad = abs(low) * 0.1 or 10.0
        low, high = low - pad, high + pad
    if unit == "percent" and min(values) >= 0 and max(values) <= 100:
        low, high = max(low, 0.0), min(high, 100.0)
    return low, high


def _nice_ticks(low: float, high: float) -> tuple[float, ...]:
    """Four to six ticks at 1, 2, 2.5 or 5 × 10ⁿ steps: round numbers people read at a glance.

    The first step tried leaves at least six ticks and each next step is at most double,
    so the first with six or fewer has at least four.
    """
    base = 10.0 ** math.floor(math.log10((high - low) / 5))
    for multiple in (1, 2, 2.5, 5, 10, 20, 25, 50, 100):
        step = multiple * base
        first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
        if last - first + 1 <= 6:
            return tuple(_tidy(k * step) for k in range(first, last + 1))
    raise AssertionError("unreachable: a step of 100 × base leaves at most three ticks")


def _short(value: float, unit: str) -> str:
    """A figure with its unit in few characters, for tick and point labels."""
    value = _tidy(value)
    if unit == "percent":
        return f"{figure(value)}%"
    if unit == "percentage_points":
        return f"{figure(value)}pp"
    if unit == "money":
        return with_unit(value, "money")
    return figure(value)


def _legend(series: tuple[Series, ...], styles: dict[int, _Style]) -> tuple[list[str], int]:
    """A key above the plot (sample line, marker, name), wrapping onto more rows if needed."""
    parts, x, row = [], _LEFT, 1
    for index, line in enumerate(series):
        label = _fitted(line.label)
        width = 30 + 6.5 * len(label) + 18
        if x > _LEFT and x + width > _WIDTH - 8:
            x, row = _LEFT, row + 1
        y, style = 16 * row, styles[index]
        parts += [
            '<g class="eis-chart__legend-item">',
            _line("eis-chart__legend-line", (x, y - 4, x + 24, y - 4), style.colour, 2, style.dash),
            _marker(style, x + 12, y - 4),
            _text("eis-chart__legend-label", x + 30, y, "start", _INK, label),
            "</g>",
        ]
        x += width
    return parts, row


def _fitted(label: str) -> str:
    """A legend label short enough for one row of the key; the description and the table
    beside the chart give it in full."""
    return label if len(label) <= _LEGEND_CHARS else label[: _LEGEND_CHARS - 1].rstrip() + "…"


def _marker(style: _Style, x: float, y: float) -> str:
    """A shape that names the line when colour cannot: circle, square, triangle, diamond,
    downward triangle, cross or ring."""
    colour = style.colour
    if style.marker == "square":
        corner = (_c(x - 3.5), _c(y - 3.5))
        return format_html('<rect x="{}" y="{}" width="7" height="7" fill="{}"/>', *corner, colour)
    shapes = {
        "triangle": ((0, -4.5), (4.5, 3.5), (-4.5, 3.5)),
        "triangle-down": ((0, 4.5), (4.5, -3.5), (-4.5, -3.5)),
        "diamond": ((0, -5), (4.5, 0), (0, 5), (-4.5, 0)),
    }
    if style.marker in shapes:
        points = " ".join(f"{_c(x + dx)},{_c(y + dy)}" for dx, dy in shapes[style.marker])
        return format_html('<polygon points="{}" fill="{}"/>', points, colour)
    if style.marker == "cross":
        d = f"M{_c(x - 4)},{_c(y - 4)} L{_c(x + 4)},{_c(y + 4)} M{_c(x - 4)},{_c(y + 4)} "
        d += f"L{_c(x + 4)},{_c(y - 4)}"
        return format_html('<path d="{}" stroke="{}" stroke-width="2.5" fill="none"/>', d, colour)
    if style.marker == "ring":
        return format_html(
            '<circle cx="{}" cy="{}" r="3.5" fill="#ffffff" stroke="{}" stroke-width="2"/>',
            _c(x),
            _c(y),
            colour,
        )
    return format_html('<circle cx="{}" cy="{}" r="3.5" fill="{}"/>', _c(x), _c(y), colour)


@dataclass(frozen=True)
class _EndLabel:
    css: str
    y: float  # where the line it names ends
    colour: str
    text: str


def _end_labels(frame: _Frame, labels: list[_EndLabel]) -> list[str]:
    """Each label right of the plot, level with its line's end, on up to two lines, pushed
    apart so none overlaps another; longer ones are shortened (the description and the
    table give them whole)."""
    if not labels:
        return []
    ordered = sorted(labels, key=lambda label: label.y)
    wrapped = [_wrapped(label.text) for label in ordered]
    placed: list[float] = []
    for index, label in enumerate(ordered):
        above = placed[-1] + _LABEL_GAP * len(wrapped[index - 1]) if placed else frame.top
        placed.append(max(label.y, above))
    overflow = placed[-1] + _LABEL_GAP * (len(wrapped[-1]) - 1) - (_BOTTOM + 6)
    if overflow > 0:  # shift the stack up, never above the plot
        floor, shifted = frame.top, []
        for y, lines in zip(placed, wrapped, strict=True):
            shifted.append(max(y - overflow, floor))
            floor = shifted[-1] + _LABEL_GAP * len(lines)
        placed = shifted
    parts = []
    for label, lines, y in zip(ordered, wrapped, placed, strict=True):
        tspans = format_html_join(
            "",
            '<tspan x="{}" dy="{}">{}</tspan>',
            ((_c(_LABELS_X), 0 if i == 0 else _LABEL_GAP, line) for i, line in enumerate(lines)),
        )
        parts.append(
            format_html(
                '<text class="{}" x="{}" y="{}" text-anchor="start" fill="{}">{}</text>',
                *(label.css, _c(_LABELS_X), _c(y + 4), label.colour, tspans),
            )
        )
    return parts


def _wrapped(text: str) -> list[str]:
    """A label on at most two lines of _LABEL_CHARS, the second shortened with "…" if need be."""
    lines = textwrap.wrap(text, _LABEL_CHARS, break_long_words=True) or [""]
    if len(lines) > 2:
        rest = " ".join(lines[1:])
        lines = [lines[0], rest[: _LABEL_CHARS - 1].rstrip() + "…"]
    return lines


def _y_axis(frame: _Frame, unit: str) -> list[str]:
    """Light gridlines with tick labels in the unit, and a caption where the unit has no symbol."""
    parts = []
    for tick in frame.ticks:
        y = frame.y(tick)
        parts.append(_line("eis-chart__grid", (_LEFT, y, _RIGHT, y), _GRID, 0.5))
        parts.append(
            _text("eis-chart__tick-label", _LEFT - 6, y + 4, "end", _INK, _short(tick, unit))
        )
    if unit in _CAPTIONS:
        parts.append(_text("eis-chart__unit", 4, frame.top - 10, "start", _INK, _CAPTIONS[unit]))
    return parts


def _x_axis(frame: _Frame, x_labels: tuple[str, ...]) -> list[str]:
    """The axis line and a tick per term; crowded axes shorten labels and skip every other."""
    parts = [_line("eis-chart__axis", (_LEFT, _BOTTOM, _RIGHT, _BOTTOM), _INK)]
    count = len(x_labels)
    for index, label in enumerate(x_labels):
        x = frame.x(index)
        parts.append(_line("eis-chart__x-tick", (x, _BOTTOM, x, _BOTTOM + 4), _INK))
        if count > 8 and (count - 1 - index) % 2:
            continue
        text = _TERM.sub(r"\1 \2", label) if count > 5 else label
        half = 3 * len(text)  # roughly half the label's width, to keep it inside the image
        x = min(max(x, half + 2), _WIDTH - half - 2)
        parts.append(_text("eis-chart__x-label", x, _BOTTOM + 17, "middle", _INK, text))
    return parts


def _target(frame: _Frame, target: float, upper: float | None) -> list[str]:
    """A dashed green target line (two, lightly shaded between, for a band); its label is
    written right of the plot with the others."""
    parts = []
    levels = [frame.y(target)] if upper is None else sorted([frame.y(target), frame.y(upper)])
    if upper is not None:
        parts.append(
            format_html(
                '<rect class="eis-chart__band" x="{}" y="{}" width="{}" height="{}" fill="{}" '
                'fill-opacity="0.08"/>',
                *(_LEFT, _c(levels[0]), _RIGHT - _LEFT, _c(levels[1] - levels[0]), _TARGET),
            )
        )
    for y in levels:
        parts.append(_line("eis-chart__target", (_LEFT, y, _RIGHT, y), _TARGET, 1.5, "6 3"))
    return parts


def _baseline(frame: _Frame, baseline: float) -> str:
    """A dotted grey baseline; its label is written right of the plot with the others."""
    y = frame.y(baseline)
    return _line("eis-chart__baseline", (_LEFT, y, _RIGHT, y), _BASELINE, 1.5, "1 3")


def _series(frame: _Frame, line: Series, style: _Style, unit: str, rules: list[float]) -> list[str]:
    """One line as a path per unbroken run of terms, a marker per figure, the latest labelled.

    The latest value's label goes above its marker, or below if a target or baseline line
    would strike through it there.
    """
    runs: list[list[tuple[float, float]]] = [[]]
    for index, value in enumerate(line.points):
        if value is None:
            runs.append([])
        else:
            runs[-1].append((frame.x(index), frame.y(value)))
    parts = [format_html('<g class="eis-chart__series eis-chart__series--{}">', line.kind)]
    for run in (r for r in runs if len(r) > 1):
        d = "M" + " L".join(f"{_c(x)},{_c(y)}" for x, y in run)
        parts.append(
            format_html(
                '<path d="{}" fill="none" stroke="{}" stroke-width="2" stroke-dasharray="{}"/>',
                *(d, style.colour, style.dash),
            )
        )
    points = [point for run in runs for point in run]
    parts += [_marker(style, x, y) for x, y in points]
    if line.kind == "main" and points:
        last = [v for v in line.points if v is not None][-1]
        x, y = points[-1]
        label_y = y + 16 if any(y - 19 <= rule <= y - 5 for rule in rules) else y - 8
        parts.append(
            _text("eis-chart__value", x, label_y, "middle", style.colour, _short(last, unit))
        )
    return [*parts, "</g>"]
