"""Which year each statistic of a sentence is of, and which years name a report instead.

"Median recovery cost was $1.8M in 2023, up from $1.4M in 2022": the $1.8M is of 2023 and
the $1.4M of 2022, each by the year in its own clause. "Sophos's State of Ransomware 2024
found that 61% were hit in 2023": the 2024 names the report (its edition), the 61% is of 2023.
Briefs and drafts are read by the same rules.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from angleforge.quantities.quantity import Quantity

# what parts a clause from the next: a year past one of these is beside a statistic only where
# the statistic's own clause holds none
_CLAUSE_BREAK_RE = re.compile(r"[,;:()\[\]—–]|\s-\s")
# a year after a possessive names that organisation's report: "IDC's 2025 data", "Sophos's latest 2024 survey"
_POSSESSIVE_BEFORE_RE = re.compile(r"[A-Za-z0-9&.-](?:'s|’s|s'|’)\s+(?:(?:latest|new|annual|recent|own)\s+)?$")
# a year before the noun of a publication: "the 2024 report", "the 2024 Sophos survey"
_EDITION_NOUN_AFTER_RE = re.compile(
    r"\s+(?:[A-Z][\w&-]*\s+){0,2}(?:[a-z-]+\s+)?(?i:survey|report|study|edition|index|benchmarks?|predictions?"
    r"|forecasts?|outlook|review|census|tracker|trends|poll|whitepaper|paper|barometer|yearbook)\b"
)
# a year closing a capitalised title: "State of Ransomware 2024", "M-Trends 2024", "Tech Trends 2026"
_TITLE_WORD_BEFORE_RE = re.compile(r"\b([A-Z][\w&-]*)\s+$")
# capitalised words before a year that make it a date: "In 2023", "By 2027", "Q3 2024", "January 2024"
_DATING_WORDS = frozenset(
    "q1 q2 q3 q4 h1 h2 fy january february march april may june july august september october "
    "november december jan feb mar apr jun jul aug sep sept oct nov dec spring summer autumn fall "
    "winter in by since from until till through before after during of to for around circa between "
    "and or as at on early late mid end year the a an this that last next".split()
)


def is_edition(text: str, year: Quantity, offset: int = 0) -> bool:
    """Whether `year` (its offsets `offset` past the start of `text`) names a report's edition
    rather than dating a figure: after a possessive ("Sophos's 2024 survey"), before a
    publication's noun ("the 2024 report"), or closing a capitalised title ("State of
    Ransomware 2024", not "in Q3 2024")."""
    start, end = year.start - offset, year.end - offset
    before = text[max(0, start - 40) : start]
    if _POSSESSIVE_BEFORE_RE.search(before) or _EDITION_NOUN_AFTER_RE.match(text, end):
        return True
    title = _TITLE_WORD_BEFORE_RE.search(before)
    return title is not None and title.group(1).lower() not in _DATING_WORDS


def year_beside(figure: Quantity, years: Sequence[Quantity], text: str, offset: int = 0) -> Quantity | None:
    """The year nearest `figure` among the dating `years` of its sentence `text` (in text
    order; offsets `offset` past the start of `text`), one in the figure's own clause first: in
    "...raised €300M in 2025, and utilities committed $4.2B in 2024", the $4.2B is of 2024."""
    if not years:
        return None

    def in_its_clause(year: Quantity) -> bool:
        low, high = (year.end, figure.start) if year.end <= figure.start else (figure.end, year.start)
        return _CLAUSE_BREAK_RE.search(text, low - offset, high - offset) is None

    at = bisect_right([year.start for year in years], figure.start)
    around = years[max(at - 1, 0) : at + 1]
    return min(
        around,
        key=lambda y: (not in_its_clause(y), min(abs(y.start - figure.end), abs(figure.start - y.end))),
    )


def split_years(text: str, quantities: Sequence[Quantity], offset: int = 0) -> tuple[list[Quantity], list[Quantity]]:
    """The years among `quantities` that date figures, and those that name editions."""
    dating: list[Quantity] = []
    editions: list[Quantity] = []
    for quantity in quantities:
        if quantity.kind == "year":
            (editions if is_edition(text, quantity, offset) else dating).append(quantity)
    return dating, editions
