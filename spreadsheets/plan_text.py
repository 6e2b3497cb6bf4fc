"""Reading the delivery plan's own wording: markup, headings and the KPI / Milestone cell.

The plan is written as a Word table: commitment headings ("1. INCLUSIVE"), a heading per
sector, a repeated "Action | Lead | KPI / Milestone" header row and, per action, a KPI cell
holding "Outcome: ..." and numbered measures "(i) ...", "(ii) ...". Both the fixture builder
(the plan as text converted from Word) and the published-layout reader (the same table
pasted into Excel) read it with the functions here.

Text is matched in a folded form (`fold`: NFKC, no zero-width characters, single spaces) so
that non-breaking spaces, full-width letters and Windows line endings do not hide a heading
or a "(ii)"; what is stored keeps the source's own characters, with only markup stripped
and whitespace collapsed (`clean_text`).
"""

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import NamedTuple

SECTOR_NAMES: list[str] = [
    "All Settings",
    "Early Years",
    "Schools",
    "Alternative Provision and EOTAS",
    "Post 16",
]

# --------------------------------------------------------------------------- matching form

_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_EDGES_RE = re.compile(rf"^[\s{_ZERO_WIDTH}]+|[\s{_ZERO_WIDTH}]+$")


class Folded:
    """`source` in the form it is matched in (`text`), with the way back to the source.

    Each character is folded on its own (NFKC, zero-width ones dropped), so every folded
    position maps to the source character it came from and a match found in the folded
    text can be cut out of the source in its own characters.
    """

    def __init__(self, source: str):
        pieces = [
            (unicodedata.normalize("NFKC", char), index)
            for index, char in enumerate(source)
            if char not in _ZERO_WIDTH
        ]
        self.source = source
        self.text = "".join(piece for piece, _ in pieces)
        self._origin = [index for piece, index in pieces for _ in piece] + [len(source)]

    def source_index(self, index: int) -> int:
        return self._origin[index]

    def source_slice(self, start: int, end: int) -> str:
        """The source text that folded text[start:end] came from, trimmed."""
        return trim(self.source[self._origin[start] : self._origin[end]])


def fold(text: str) -> str:
    """The form text is compared in: NFKC, no zero-width characters, single spaces, trimmed."""
    return " ".join(Folded(text).text.split())


def key(text: str) -> str:
    """Letters and digits only, lower case, "&" read as "and": for naming headings and labels."""
    return re.sub(r"[^0-9a-z]", "", fold(text).casefold().replace("&", "and"))


def trim(text: str) -> str:
    """Strip whitespace and zero-width characters from both ends."""
    return _EDGES_RE.sub("", text)


# --------------------------------------------------------------------------- markup

# Only the tags the converter produced are stripped: a bare "<" also occurs as maths in the
# council's wording ("persistent absence rate (<90%)"), and a generic <...> pattern would
# swallow everything from there to the next tag.
_TAG_RE = re.compile(r"</?(?:p|ul|ol|li|i|b|em|strong|br|span|div)\b[^>]*>", re.IGNORECASE)
_PARAGRAPH_RE = re.compile(r"<p\b[^>]*>(.*?)</p>", re.IGNORECASE | re.DOTALL)
_LATEX_SYMBOLS = {"geq": "≥", "leq": "≤", "uparrow": "↑", "downarrow": "↓"}
# "$\geq 90\%$" means "≥90%": the space between a symbol and its number goes, but a space
# before ordinary words stays ("attendance \uparrow (iii) ..." must not become "↑(iii)").
_LATEX_RE = re.compile(r"\\(" + "|".join(_LATEX_SYMBOLS) + r")\b(?:\s+(?=\d))?")
# Copy-pasted web citations such as "[assets.pub...ice.gov.uk]" are link debris, not wording.
_CITATION_RE = re.compile(r"\[[^\]\s]*\.\.\.[^\]\s]*\]")


def convert_latex(text: str) -> str:
    """Turn the LaTeX-ish maths into the plain unicode it stands for."""
    text = _LATEX_RE.sub(lambda m: _LATEX_SYMBOLS[m.group(1)], text)
    return text.replace("\\%", "%").replace("$", "")


def clean_text(text: str) -> str:
    """Strip HTML, markdown bold, citation debris and maths markup; collapse whitespace.

    Nothing else changes: this is the form wording is stored in.
    """
    text = _TAG_RE.sub(" ", text)
    text = convert_latex(text)
    text = text.replace("**", "")
    text = _CITATION_RE.sub(" ", text)
    return trim(" ".join(text.split()))


def join_fragments(parts: list[str]) -> str:
    """Join cleaned pieces of one cell that a page break split apart.

    A word hyphenated across the break ("Multi-" / "Academy Trusts", 4.3(b)) is rejoined
    without a space; everything else is joined with one space.
    """
    joined = ""
    for part in (p for p in parts if p):
        if re.search(r"\w-$", joined):
            joined += part
        else:
            joined = f"{joined} {part}" if joined else part
    return joined


# --------------------------------------------------------------------------- headings

# Matched on the folded text: "1. INCLUSIVE", "3. Effective and High Attaining".
_COMMITMENT_RE = re.compile(r"^(\d+)\s*\.\s+([A-Za-z][A-Za-z &'’-]*[A-Za-z])$")
# The "1." in front of a commitment's title, as the source writes it (digits of any width).
_NUMBER_PREFIX_RE = re.compile(rf"^[\s{_ZERO_WIDTH}]*\d+[\s{_ZERO_WIDTH}]*[.．]")
_SECTOR_KEYS = {key(name): number for number, name in enumerate(SECTOR_NAMES, start=1)}
_HEADER_LABELS = {
    "action": "action",
    "actions": "action",
    "lead": "lead",
    "leads": "lead",
    "kpi": "kpi",
    "kpis": "kpi",
    "kpimilestone": "kpi",
    "kpimilestones": "kpi",
    "kpismilestones": "kpi",
}
# Title and page-marker rows: "Bury Education and Inclusion Strategy", "Delivery Plan
# (Draft)", "DRAFT".
_TITLE_RE = re.compile(r"^(?=.)(bury)?(educationandinclusionstrategy)?(deliveryplan)?(draft)?$")
_RULE_RE = re.compile(r"^-+$")
# Matched on the folded text; the letter may be in either case ("1.1(A)" is 1.1(a)).
_CODE_START_RE = re.compile(r"(\d+)\s*\.\s*(\d+)\s*\(\s*([a-z]+)\s*\)(?=\s|$)", re.IGNORECASE)


class ActionCode(NamedTuple):
    """An action code such as 1.1(a) found at the start of a cell."""

    code: str
    commitment: int
    sector: int
    rest: str  # the cell's text after the code, in the source's own characters


def action_code(text: str) -> ActionCode | None:
    """The action code `text` starts with, written as 1.1(a); None if it starts with none."""
    folded = Folded(text)
    match = _CODE_START_RE.match(folded.text, len(folded.text) - len(folded.text.lstrip()))
    if not match:
        return None
    commitment, sector, letter = match.groups()
    return ActionCode(
        code=f"{int(commitment)}.{int(sector)}({letter.lower()})",
        commitment=int(commitment),
        sector=int(sector),
        rest=folded.source_slice(match.end(), len(folded.text)),
    )


def commitment_heading(text: str) -> tuple[int, str] | None:
    """(number, title) if `text` is a commitment heading such as "1. INCLUSIVE"; else None.

    Any case, "&" or "and"; the title is returned in the source's own characters.
    """
    match = _COMMITMENT_RE.match(fold(text))
    if not match:
        return None
    title = " ".join(_NUMBER_PREFIX_RE.sub("", text, count=1).split())
    return int(match.group(1)), trim(title)


def sector_number(text: str) -> int | None:
    """Position (1-5) of the sector `text` names ("Post-16", "early years"...); else None."""
    return _SECTOR_KEYS.get(key(text))


def header_label(text: str) -> str | None:
    """ "action", "lead" or "kpi" if `text` is one of the plan table's column headers."""
    return _HEADER_LABELS.get(key(text))


def is_title(text: str) -> bool:
    """Whether `text` is the document's title or a "DRAFT" page marker."""
    return bool(_TITLE_RE.match(key(text)))


def is_noise(cells: list[str]) -> bool:
    """Header rows, title rows, "DRAFT" page markers and table-rule debris ("--\t--")."""
    filled = [clean_text(cell) for cell in cells if cell]
    return (
        all(header_label(cell) for cell in filled)
        or all(is_title(cell) for cell in filled)
        or all(_RULE_RE.match(cell) for cell in filled)
    )


# --------------------------------------------------------------------------- action cells


@dataclass
class ActionText:
    """The Action and Lead cells of one action, gathered over the rows a page break split."""

    parts: list[str] = field(default_factory=list)
    leads: list[str] = field(default_factory=list)

    def add(self, action: str, lead: str) -> None:
        """Add one row's action and lead cells (raw); a lead repeated on a later row counts once."""
        self.parts.append(clean_text(action))
        if (lead := clean_text(lead)) and lead not in self.leads:
            self.leads.append(lead)

    @property
    def text(self) -> str:
        return join_fragments(self.parts)

    @property
    def lead(self) -> str:
        return "; ".join(self.leads)


# --------------------------------------------------------------------------- KPI cell

_OUTCOME_PREFIX_RE = re.compile(r"^\s*Outcomes?\s*:\s*", re.IGNORECASE)
_MARKER_RE = re.compile(r"(?<!\S)\(([ivx]+)\)(?!\S)")
_ANY_MARKER_RE = re.compile(r"\(([ivx]+)\)")


def roman(number: int) -> str:
    """Lower-case roman numeral for 1..39, the range KPI refs use."""
    if not 1 <= number < 40:
        raise ValueError(f"KPI ref out of range: {number}")
    ones = ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"]
    return "x" * (number // 10) + ones[number % 10]


_ROMAN_VALUES = {roman(number): number for number in range(1, 40)}


def roman_number(ref: str) -> int | None:
    """The number a lower-case roman ref stands for (1..39); None if it is not one."""
    return _ROMAN_VALUES.get(ref)


def numbering_gap(code: str, previous: str, ref: str, present: Collection[str] = ()) -> str:
    """The warning for measure `ref` of action `code` following `previous` ("" if first),
    naming each ref skipped that the action has nowhere else; "" if there is none."""
    first = (roman_number(previous) or 0) + 1
    missing = [
        roman(n) for n in range(first, roman_number(ref) or first) if roman(n) not in present
    ]
    if not missing:
        return ""
    named = ", ".join(f"({m})" for m in missing)
    gap = f"{named} {'is' if len(missing) == 1 else 'are'} missing"
    if previous:
        return f"({ref}) follows ({previous}) in {code}: {gap}."
    return f"{code} starts its measures at ({ref}), not (i): {gap}."


def starts_with_outcome(text: str) -> bool:
    """Whether `text` opens with the "Outcome:" label of a KPI cell."""
    return bool(_OUTCOME_PREFIX_RE.match(fold(text)))


def drop_unnumbered_subheadings(raw: str) -> str:
    """Remove <p> sub-headings that carry no KPI number.

    The plan groups measures under headings such as "<p>Identification & Early
    Intervention</p>" (2.5(a)) or "<p>Reintegration & Transition</p>" (5.4(b)); they are not
    measures, so they go. Paragraphs holding the outcome or a numbered measure stay.
    """

    def keep_or_drop(match: re.Match[str]) -> str:
        inner = clean_text(match.group(1))
        if starts_with_outcome(inner) or _MARKER_RE.match(fold(inner)):
            return match.group(0)
        return " "

    return _PARAGRAPH_RE.sub(keep_or_drop, raw)


@dataclass(frozen=True)
class Measure:
    """One numbered measure of a KPI cell; positions are in the cell text given."""

    ref: str
    start: int
    text: str
    # "(ref)"s left inside the wording because they are out of order or repeated.
    strays: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class KPICell:
    """A KPI / Milestone cell read into its outcome and measures, irregularities noted."""

    outcome: str
    has_outcome_prefix: bool
    measures: list[Measure]

    def gaps(self) -> list[tuple[str, Measure]]:
        """(previous ref, measure) wherever numbering skips; previous is "" at the start."""
        found, previous = [], ""
        for measure in self.measures:
            if roman_number(measure.ref) != (roman_number(previous) or 0) + 1:
                found.append((previous, measure))
            previous = measure.ref
        return found


def read_kpi_cell(text: str) -> KPICell:
    """Split cleaned KPI cell text into its outcome (without "Outcome:") and its measures."""
    folded = Folded(text)
    markers = _measure_markers(folded.text)
    first = markers[0].start() if markers else len(folded.text)
    prefix = _OUTCOME_PREFIX_RE.match(folded.text[:first])
    measures = []
    for index, marker in enumerate(markers):
        stop = markers[index + 1].start() if index + 1 < len(markers) else len(folded.text)
        strays = tuple(
            (stray.group(1), folded.source_index(stray.start()))
            for stray in _ANY_MARKER_RE.finditer(folded.text, marker.end(), stop)
        )
        body = folded.source_slice(marker.end(), stop)
        measures.append(Measure(marker.group(1), folded.source_index(marker.start()), body, strays))
    outcome = folded.source_slice(prefix.end() if prefix else 0, first)
    return KPICell(outcome=outcome, has_outcome_prefix=bool(prefix), measures=measures)


def _measure_markers(text: str) -> list[re.Match[str]]:
    """The "(i)", "(ii)"... standing on their own that start measures, in order.

    The next ref in sequence is looked for first, so a "(v)" written inside a measure is
    not taken for a ref while "(iii)" still follows. Where the next ref is missing, the
    nearest higher one starts the next measure: a numbering gap, for the caller to report.
    """
    found: list[re.Match[str]] = []
    last = 0
    while True:
        position = found[-1].end() if found else 0
        higher = [
            match
            for match in _MARKER_RE.finditer(text, position)
            if (roman_number(match.group(1)) or 0) > last
        ]
        if not higher:
            return found
        expected = roman(last + 1) if last + 1 < 40 else ""
        found.append(next((m for m in higher if m.group(1) == expected), higher[0]))
        last = roman_number(found[-1].group(1)) or 0
