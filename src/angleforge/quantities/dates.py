"""Which year each statistic of a sentence is of, and which years name a report instead.

"Median recovery cost was $1.8M in 2023, up from $1.4M in 2022": the $1.8M is of 2023 and
the $1.4M of 2022, each by the year in its own clause. "Sophos's State of Ransomware 2024
found that 61% were hit in 2023": the 2024 names the report (its edition), the 61% is of 2023.
Briefs and drafts are read by the same rules.
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence

from angleforge.quantities.quantity import Quantity

# what parts a clause from the next: a year past one of these is beside a statistic only where
# the statistic's own clause holds none. A line is a clause of its own: "2022 → 8,500" and
# "2023 → 12,800" on lines of a list each pair a year with its figure.
_CLAUSE_BREAK_RE = re.compile(r",(?:(?<!\d,)|(?!\d))|[;:()\[\]—–\n]|\s-\s")
# "in 2024", "by 2027": a year joined to the figure before it
_TIME_PREPOSITION_RE = re.compile(r"(?i)\b(?:in|by|during|for|since|until|through|as\s+of)\s+$")
# "on 2023", "vs 2022", "compared with 2022": the year a change is measured against
_BASE_BEFORE_RE = re.compile(r"(?i)\b(?:on|over|than|vs\.?|versus|against|compared\s+(?:with|to))\s+$")
# a year before the noun of a publication or a data release: "Sophos's 2024 survey", "IDC's
# 2025 data", "the 2024 Sophos report", "Deloitte's 2026 Tech Trends"
_EDITION_NOUN_AFTER_RE = re.compile(
    r"\s+(?:[A-Z][\w&-]*\s+){0,2}(?:[a-z-]+\s+)?(?i:surveys?|reports?|stud(?:y|ies)|editions?|index|benchmarks?|predictions?"
    r"|forecasts?|outlook|review|census|tracker|trends|poll|whitepaper|paper|barometer|yearbook|data|numbers"
    r"|findings|figures|research|results|statistics|stats|updates?)\b"
)
# an organisation's year before a title: "Cornwall Insight's 2025 Rapid Charging Economics"
_POSSESSIVE_BEFORE_RE = re.compile(r"\w['’]s\s+$")
_TITLE_AFTER_RE = re.compile(r"\s+[A-Z][a-z]")
# a year after one of these is a date whatever follows it: "in 2024 data breaches rose"
_DATING_BEFORE_RE = re.compile(r"(?i)\b(?:in|by|since|from|until|till|through|during|of|to|for|around|circa)\s+$")
# a year closing a capitalised title: "State of Ransomware 2024", "M-Trends 2024", "Tech Trends 2026"
_TITLE_WORD_BEFORE_RE = re.compile(r"\b([A-Z][\w&-]*)\s+$")
# a title's word before its last: "State of Ransomware 2024", "Tech Trends 2026"
_TITLE_GOES_ON_RE = re.compile(r"(?:\b[A-Z][\w&-]*|\b(?:of|the|and|for|on|in)|&)\s+$")
# a hyphen or a capital inside a word, as in a report's or a company's name: "M-Trends", "LinearB"
_NAME_SPELLING_RE = re.compile(r"\w-\w|[a-z][A-Z]")
# capitalised words before a year that make it a date: "In 2023", "By 2027", "Q3 2024", "January 2024"
_DATING_WORDS = frozenset(
    "q1 q2 q3 q4 h1 h2 fy january february march april may june july august september october "
    "november december jan feb mar apr jun jul aug sep sept oct nov dec spring summer autumn fall "
    "winter in by since from until till through before after during of to for around circa between "
    "and or as at on early late mid end year the a an this that last next".split()
)


def is_edition(text: str, year: Quantity, offset: int = 0, organisations: Container[str] | None = None) -> bool:
    """Whether `year` (its offsets `offset` past the start of `text`) names a report's edition
    rather than dating a figure: before a publication's noun ("Sophos's 2024 survey", "the
    2024 report"), between an organisation's name and a title ("Cornwall Insight's 2025 Rapid
    Charging Economics", not "Germany's 2024 sales"), or closing a capitalised title ("State
    of Ransomware 2024", not "in Q3 2024"); never after "in", "by", "since" and the like.
    Where the `organisations` a reader knows are given, a title of one word is one only where it
    names one of them or is spelt like a report's name ("Coveware 2024", "M-Trends 2024"):
    "Germany 2024: 193,000" labels a figure with its year."""
    start, end = year.start - offset, year.end - offset
    before = text[max(0, start - 40) : start]
    if _DATING_BEFORE_RE.search(before):
        return False
    if _EDITION_NOUN_AFTER_RE.match(text, end):
        return True
    if _POSSESSIVE_BEFORE_RE.search(before) and _TITLE_AFTER_RE.match(text, end):
        return True
    title = _TITLE_WORD_BEFORE_RE.search(before)
    if title is None or title.group(1).lower() in _DATING_WORDS:
        return False
    word = title.group(1)
    if organisations is None or _TITLE_GOES_ON_RE.search(before, 0, title.start()):
        return True
    return word.lower() in organisations or _NAME_SPELLING_RE.search(word) is not None


# what opens a parenthesised credit up to the year that closes it: "(Gartner, 2025)", "(Source:
# Sophos 2024)"; or a name before the parenthesis the year stands alone in: "Gartner (2025)"
_CREDIT_OPENING_RE = re.compile(
    r"\((?i:sources?:\s*)?(?P<name>[A-Z][^()\d\n]{0,60}?)\s*,?\s*$"
    r"|(?P<before>\b[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3})\s*\(\s*$"
)
_CLOSES_RE = re.compile(r"\s*\)")


# whose report a year names: "Deloitte's 2025 Tech Trends", "Sophos’s 2024 survey", "IBM's
# Cost of a Data Breach Report 2024"
_OWNER_BEFORE_RE = re.compile(
    r"\b((?:[A-Z][\w&.-]*\s+){0,3}[A-Z][\w&.-]*)['’]s\s+(?:(?:[A-Z][\w&-]*|of|a|an|the|and|for|on|in)\s+){0,6}$"
)


def edition_owner(text: str, year: Quantity, offset: int = 0) -> str | None:
    """The name whose possessive stands before a year naming a report, or before the title
    the year closes: "Deloitte" of "Deloitte's 2025 Tech Trends"."""
    start = year.start - offset
    found = _OWNER_BEFORE_RE.search(text, max(0, start - 60), start)
    return found.group(1) if found else None


def credit_named(text: str, year: Quantity, offset: int = 0) -> str | None:
    """The name a parenthesised credit gives before the year that closes it: "Gartner" of
    "(Gartner, 2025)" and of "Gartner (2025)". Whether it names an organisation is the caller's to ask: "(UK, 2024)"
    dates what it follows."""
    start, end = year.start - offset, year.end - offset
    if not _CLOSES_RE.match(text, end):
        return None
    found = _CREDIT_OPENING_RE.search(text, max(0, start - 72), start)
    return (found.group("name") or found.group("before")).strip() if found else None


def year_beside(
    figure: Quantity, years: Sequence[Quantity], figures: Sequence[Quantity], text: str, offset: int = 0
) -> Quantity | None:
    """The year `figure` is of, among the dating `years` of its sentence `text` (in text order;
    `figures` its other statistics; offsets `offset` past the start of `text`): a year in the
    figure's own clause, one that follows it after "in", "by" or "during" first ("went from
    60,000 in 2023 to 98,000 in 2024": the 98,000 is of 2024), else the nearest; else a year
    that stands in a clause of its own ("In 2024, 57% replaced a gas boiler"); else none: "sales
    fell 3% in 2023, and heat pumps meet about 10% of demand" dates the 3% only. A year the
    figure is measured against is its year only where no other is: "grew in 2024: up 63% on
    2023" is of 2024."""
    if not years:
        return None
    own = [year for year in years if not _breaks_between(text, offset, figure, year)]
    dating = [year for year in own if not measured_against(text, year, offset)]
    if dating:
        return min(dating, key=lambda year: (not _attached_after(text, offset, figure, year), _distance(figure, year)))
    alone = [year for year in years if all(_breaks_between(text, offset, year, other) for other in figures)]
    if alone:
        return min(alone, key=lambda year: _distance(figure, year))
    return min(own, key=lambda year: _distance(figure, year), default=None)


def _breaks_between(text: str, offset: int, a: Quantity, b: Quantity) -> bool:
    """Whether a clause break stands between two statistics of the sentence."""
    low, high = (a.end, b.start) if a.end <= b.start else (b.end, a.start)
    return _CLAUSE_BREAK_RE.search(text, low - offset, high - offset) is not None


def _attached_after(text: str, offset: int, figure: Quantity, year: Quantity) -> bool:
    """Whether `year` follows `figure`, joined to it by a preposition of time: "98,000 in 2024"."""
    return (
        figure.end <= year.start
        and _TIME_PREPOSITION_RE.search(text, figure.end - offset, year.start - offset) is not None
    )


def measured_against(text: str, year: Quantity, offset: int = 0) -> bool:
    """Whether `year` is what a change is measured against ("up 63% on 2023", "more than in
    2022"), not the year the figure is of."""
    return _BASE_BEFORE_RE.search(text, max(0, year.start - offset - 16), year.start - offset) is not None


def _distance(figure: Quantity, year: Quantity) -> int:
    return min(abs(year.start - figure.end), abs(figure.start - year.end))


def split_years(
    text: str, quantities: Sequence[Quantity], offset: int = 0, organisations: Container[str] | None = None
) -> tuple[list[Quantity], list[Quantity]]:
    """The years among `quantities` that date figures, and those that name editions (by
    `is_edition`, knowing `organisations` if given)."""
    dating: list[Quantity] = []
    editions: list[Quantity] = []
    for quantity in quantities:
        if quantity.kind == "year":
            (editions if is_edition(text, quantity, offset, organisations) else dating).append(quantity)
    return dating, editions
