"""Numbers that organise a text rather than claim anything: thread markers, list enumerators,
numbers inside links, handles and hashtags, dates and clock times, labels of a post's own
parts ("Step 2"), counts of its own items ("Top 3 reasons"), and "my 2 cents".

`mask` blanks the first kinds out before the scan, offsets unchanged; `numbers_the_text` and
`is_opinion` rule out the others once a number has been read. `THREAD_MARKER` is the one
pattern of a thread's "1/5", "(2/7)", "3/" that the sentence splitter, the attribution reader
and the scorers share.
"""

from __future__ import annotations

import re

from angleforge import patterns

# a thread's post marker: "1/5", "2/", "(3/7)", "4 / 9"
THREAD_MARKER = r"\(?\d{1,3}\s?/\s?\d{0,3}\)?"

# Each kind is looked for only when the text holds the character that gives it away, since a
# full scan costs more than the check.
_LINK_RE = re.compile(r"https?://\S+|www\.\S+|\]\([^)\s]{0,2000}\)")
_TAG_RE = re.compile(r"[@#][\w-]+")
# thread markers ("1/5", "2/", "(3/7)", "Thread 🧵 1/7") and list enumerators ("1.", "🧵 2)"), tried at
# line starts only
_LINE_START_RE = re.compile(
    rf"(?i:thread)?[^\w\n]*{THREAD_MARKER}(?=[\s.:]|$)|[^\w\n$€£¥<>~]*\d{{1,3}}[.)](?=\s)",
    re.M,
)
_KEYCAP_RE = re.compile("\\d\ufe0f?\u20e3")  # "1️⃣", a numbered emoji
MARKER_RE = re.compile(r"\(\d{1,3}/\d{1,3}\)|\d{1,3}/\d{1,3}[ \t]*$|24/7(?!\d)", re.M)
# dates and clock times, tried only where a run of digits starts
_DATE_TIME_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?(?!\d)|\d{1,2}/\d{1,2}/\d{2,4}(?!\d)"
    r"|\d{1,2}:\d{2}(?::\d{2})?(?!\d)|(?:1[0-2]|0?[1-9])\s?[ap]\.?m\b\.?"
)
# within a date or time's first five characters: "-", "/" or ":", or the "am"/"pm" of "6am"
# (opening on one set of characters, each branch then checking which it found: `[-/:]|(?<=[0-9 ])[ap]\.?m\b`)
_DATE_OR_TIME_MARK_RE = re.compile(r"[-/:ap](?:(?<=[-/:])|(?<=[0-9 ][ap])\.?m\b)")
# "May 5" is left alone: "may" is a verb far more often than a month
_MONTHS = ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTH_DAY_RE = re.compile(rf"(?:{'|'.join(_MONTHS)})[a-z]*\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b")

# "Step 2", "Day 1", "Tip #3", "OWASP Top 10": a number after one of these words names a part
# or a list, as "P95" does
_LABEL_WORD_BEFORE_RE = re.compile(
    r"(?i)(?<![\w-])(?:step|phase|stage|part|day|week|month|quarter|year|hour|cycle|tip|rule|lesson|reason|mistake|myth"
    r"|point|question|idea|chapter|section|slide|page|round|level|tier|version|option|priority|top"
    r"|class|type|grade|category|gen|generation|series|season|episode|volume|issue|article|figure|table)\s+#?$"
)
# "3 things I'd tell ...", "Top 5 mistakes": a count of the post's own items, opening a line
# or a sentence, says nothing about the world
_LIST_NOUN_AFTER_RE = re.compile(
    r"(?i)\s+(?:[a-z]+\s+)?(?:things|reasons|ways|tips|lessons|mistakes|steps|rules|questions|takeaways|ideas"
    r"|signs|myths|truths|secrets|habits|tricks|principles|insights|misconceptions|red\s+flags)\b"
)
_LIST_OPENING_RE = re.compile(r"(?i)[\W_]*(?:(?:here\s+are|here's|these\s+are|my|our|the|top)\s+)*")
# "my 2 cents", "just my $0.02": an opinion, not an amount
_MY_TWO_CENTS_RE = re.compile(r"(?i)\b(?:my|our|your)\s+(?:(?:2|two)\s+cents|\$0?\.02)\b")


def mask(text: str, lower: str) -> str:
    """The text with every structural number blanked out, offsets unchanged."""
    spans: list[tuple[int, int]] = []
    if "http" in text or "www." in text or "](" in text:
        spans.extend(m.span() for m in _LINK_RE.finditer(text))
    if "@" in text or "#" in text:
        spans.extend(m.span() for m in _TAG_RE.finditer(text))
    if "\u20e3" in text:
        spans.extend(m.span() for m in _KEYCAP_RE.finditer(text))
    line_start = 0
    while line_start < len(text):
        if marker := _LINE_START_RE.match(text, line_start):
            spans.append(marker.span())
        line_start = text.find("\n", line_start) + 1 or len(text)
    spans.extend(markers(text))
    spans.extend(month_days(lower))
    if not spans:
        return text
    pieces: list[str] = []
    done = 0
    for start, end in sorted(spans):
        start = max(start, done)
        if end > start:
            pieces += (text[done:start], "\x00" * (end - start))
            done = end
    pieces.append(text[done:])
    return "".join(pieces)


def markers(text: str) -> list[tuple[int, int]]:
    """Spans of "(3/7)", "3/7" at a line's end and "24/7": each holds a slash, so they are
    looked for only around the slashes (a scan of the whole text costs more)."""
    spans: list[tuple[int, int]] = []
    done = 0
    slash = text.find("/")
    while slash != -1:
        start = slash
        while start > done and slash - start < 3 and text[start - 1].isdigit():
            start -= 1
        for at in (start - 1, start) if start > done and text[start - 1] == "(" else (start,):
            if at < slash and (marker := MARKER_RE.match(text, at)):
                if at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "/"):
                    spans.append(marker.span())
                done = marker.end()
                break
        slash = text.find("/", max(slash + 1, done))
    return spans


def month_days(lower: str) -> list[tuple[int, int]]:
    """Spans of the day in "jan 5", "march 3rd" at a word's start, found as `finditer` would
    find them (one match not inside another), but tried only where a month's name stands: the
    pattern's search would stop at every letter that starts one."""
    names = patterns.occurrences(lower, _MONTHS)
    spans: list[tuple[int, int]] = []
    done = 0
    for at in names:
        if at >= done and (match := MONTH_DAY_RE.match(lower, at)):
            done = match.end()
            if at == 0 or not lower[at - 1].isalpha():
                spans.append(match.span(1))
    return spans


def date_or_time_at(masked: str, start: int) -> int | None:
    """Where a date or clock time starting at `start` ends ("2026-02-10", "3/14/2025",
    "9:30"), if one does; tried only where one of their marks follows the digits closely."""
    if _DATE_OR_TIME_MARK_RE.search(masked, start, start + 5) and (date := _DATE_TIME_RE.match(masked, start)):
        return date.end()
    return None


def numbers_the_text(masked: str, start: int, end: int) -> bool:
    """Whether the count at `start`..`end` labels or counts the text's own parts: "Step 2",
    "Top 3 reasons ...", "3 things I'd tell every leader"."""
    if _LABEL_WORD_BEFORE_RE.search(masked, max(0, start - 12), start):
        return True
    if not _LIST_NOUN_AFTER_RE.match(masked, end):
        return False
    opening = max(masked.rfind("\n", 0, start), *(masked.rfind(stop, 0, start) for stop in ". ! ? :".split())) + 1
    return _LIST_OPENING_RE.fullmatch(masked, opening, start) is not None


def is_opinion(masked: str, start: int, end: int) -> bool:
    """Whether the amount at `start`..`end` is "my 2 cents" or "just my $0.02"."""
    return _MY_TWO_CENTS_RE.search(masked, max(0, start - 9), end + 1) is not None
