"""Find the statistics in a text and normalise them.

A statistic is a number that claims something about the world: a percentage, an amount of
money, a duration, a measure, a multiplier, a ratio ("four in ten"), a count written in
digits, or a year. Numbers that only organise a text are not statistics: thread markers
("1/5"), list enumerators, numbers inside links, handles and hashtags, dates, and names such
as P95, GPT-4 or H100.

Each statistic is normalised to a value range in a base unit (300ms and 0.3 seconds are both
0.3 s; $10.07B is 1.007e10 USD; "four in ten" is 40 %) and a comparator ("<1%", "40%+").
The extractor is a hand-written scanner rather than a quantity library: it has to run in
well under a millisecond per draft and to know the rules of social posts (thread markers,
handles) that general-purpose extractors do not.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, NamedTuple

from angleforge import units as _units

Kind = Literal["percent", "ratio", "money", "duration", "measure", "multiplier", "count", "year"]
Comparator = Literal["<", ">", "~"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Quantity:
    """One statistic found in a text, with its normalised value."""

    text: str
    start: int
    end: int
    kind: Kind
    unit: str  # base unit: "%", "USD", "s", "x", "year", "" for a bare count, ...
    low: float
    high: float
    comparator: Comparator | None = None
    is_range: bool = False  # written as a range ("100-300ms"), even if both ends are equal

    def states_same(self, claim: Quantity) -> bool:
        """Whether this quantity, written in a draft, says what `claim` says.

        Units and spelling are normalised away; a single value may cite either end of a
        claimed range, and a bound its own end ("up to 800ms" for "200-800ms"); a plain figure
        may stand for a lower bound ("40%" for "40%+") and an approximate one for an exact one.
        Nothing else is rounded.
        """
        if self.unit != claim.unit or (self.kind == "year") != (claim.kind == "year"):
            return False
        if claim.is_range and not self.is_range and claim.comparator is None and self.comparator in ("<", ">"):
            # "up to 800ms" for "200-800ms", "at least 200ms" for it: a bound at the range's own end
            end = claim.high if self.comparator == "<" else claim.low
            return self.low == end or _close(self.low, end)
        # "40%" or "about 40%" for a claimed "40%+" understates; "about 40%" for "40%" hedges
        if self.comparator != claim.comparator and not (
            self.comparator in (None, "~") and claim.comparator in (None, ">", "~")
        ):
            return False
        # most values that agree are equal; `_close` settles the rest
        low = self.low
        if self.is_range:
            high = self.high
            return (low == claim.low or _close(low, claim.low)) and (high == claim.high or _close(high, claim.high))
        return low == claim.low or low == claim.high or _close(low, claim.low) or _close(low, claim.high)

    def describe(self) -> str:
        """The normalised form, for reasons and listings: '>= 40 %', '0.3 s'."""
        value = _fmt(self.low) if not self.is_range else f"{_fmt(self.low)}-{_fmt(self.high)}"
        prefix = {"<": "< ", ">": "> ", "~": "~ ", None: ""}[self.comparator]
        return f"{prefix}{value} {self.unit}".rstrip()


def _fmt(value: float) -> str:
    return f"{value:.6g}"


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


# --- number words -------------------------------------------------------------------------

_SMALL = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_TENS["fourty"] = 40
_SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_FRACTIONS = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fourth": 4,
    "fourths": 4,
    "fifth": 5,
    "fifths": 5,
}
_GROUPS = {"dozen": 12, "gross": 144}

_WORD = (
    rf"(?:{'|'.join(_TENS)})(?:-(?:{'|'.join(_SMALL)}))?|{'|'.join(_SMALL)}"
    rf"|hundred|{'|'.join(_SCALE_WORDS)}|dozen"
)
_FRACTION_WORD = "|".join(sorted(_FRACTIONS, key=len, reverse=True))
_WORD_SEQUENCE = (
    rf"(?:{_WORD})(?:(?:\s+|-)(?:{_WORD})(?![\w'])|(?:\s+|-)(?:{_FRACTION_WORD})\b"
    rf"|\s+and\s+an?\s+(?:{_FRACTION_WORD})\b)*"
)
_ARTICLE_NUMBER = r"an?\s+(?:hundred|thousand|million|billion|dozen|gross|half|square\s+dozen)"
_BAKERS_DOZEN = r"(?:an?\s+)?baker's\s+dozen"
_ARTICLE_UNITS = (
    r"gallons?|lit(?:er|re)|miles?|kilomet(?:er|re)|met(?:er|re)|inch|penny|dime|cent|dollar"
    r"|euro|(?:kibi|kilo|mega|giga|tera)?byte|tonne|ton|kilogram|gram|ounce"
)


def _words_value(phrase: str) -> float:
    total, current, previous = 0.0, 0.0, ""
    for word in re.findall(r"[a-z']+", phrase.lower()):
        if word in _SMALL:
            current += _SMALL[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = (current or 1.0) * 100
        elif word in _SCALE_WORDS:
            total += (current or 1.0) * _SCALE_WORDS[word]
            current = 0.0
        elif word in _GROUPS:
            current = (current or 1.0) * _GROUPS[word]
        elif word == "baker's":
            current = (current or 1.0) * 13 / 12  # the dozen that follows makes it 13
        elif word in _FRACTIONS:
            denominator = _FRACTIONS[word]
            if previous in ("a", "an") and current:
                current += 1 / denominator
            else:
                current = (current or 1.0) / denominator
        previous = word
    return total + current


# --- the scanner ----------------------------------------------------------------------------

_DIGITS = (
    r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?"
    r"|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\w%.,/])"
    r"|\d+(?:\.\d+)?|\.\d+)"
)
_VULGAR = {"½": 0.5, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 0.25, "¾": 0.75, "⅛": 0.125}

_START_RE = re.compile(
    rf"""(?<![\w.,/])(?P<digits>[-−]?{_DIGITS}(?:[eE][-+−]?\d+)?
            (?:\s\d{{1,2}}/[1-9]\d?(?![\d/])|/[1-9]\d{{0,2}}(?![\d/]))?[{"".join(_VULGAR)}]?)
       |(?P<vulgar>[{"".join(_VULGAR)}])
       |(?i:\b(?P<words>{_BAKERS_DOZEN}|{_ARTICLE_NUMBER}|{_WORD_SEQUENCE})(?![\w]))
       |(?i:\b(?P<article>an?)\s+(?P<unit_word>{_ARTICLE_UNITS})\b)
       |(?i:\b(?P<named>absolute\s+zero)\b)""",
    re.X,
)

_SCALE_RE = re.compile(
    r"\s?(?P<word>thousand|million|billion|trillion)\b|(?P<symbol>bn|BN|MM|[kKMBT])(?![\w])"
    r"|\s?(?P<press>bln|mln|mn)\b"  # "$4.2 bln", "€300 mn", as the financial press writes them
)
_SCALE_STARTS = frozenset("tmbBMkKT")
_SCALE_WORD_STARTS = frozenset("tmb")
_MONEY_MILLION_RE = re.compile(r"m(?![\w])")
_SCALE_SYMBOLS = {
    **{"k": 1e3, "K": 1e3, "M": 1e6, "m": 1e6, "MM": 1e6, "B": 1e9, "bn": 1e9, "BN": 1e9, "T": 1e12},
    **{"bln": 1e9, "mln": 1e6, "mn": 1e6},
}
_PERCENT_RE = re.compile(r"\s?(?:(?P<points>percentage\s+points?|pp)\b|%|(?i:percent|per\s+cent|pct)\b)")
_PERCENT_STARTS = frozenset("%pP")
_MULTIPLIER_STARTS = frozenset("xX×")
_MULTIPLIER_RE = re.compile(r"[xX×](?![A-Za-z])|\s?×|\s+times\b|[\s-]?fold\b")
_AMBIGUOUS_OK_RE = re.compile(
    r"\s*(?:$|[.,;:!?)\]\n/])|\s+(?:thick|long|wide|tall|high|deep|away|across|in\s+diameter)\b"
)
_PER_RE = re.compile(r"/|\s+per\s+|\s+an?\s+(?=(?:day|week|month|year|hour|minute)\b)")
_EXPONENT_RE = re.compile(r"\^?([23²³])")
_CURRENCY_AFTER = ("$", "€", "£", "¥")
_CURRENCY_AFTER_RE = re.compile(r"\s?([€$£¥])")
_RATIO_RE = re.compile(rf"\s+(?:in|out\s+of)\s+(?:(\d{{1,4}})|((?i:{_WORD_SEQUENCE})))\b")
_RANGE_SEP_RE = re.compile(r"\s*(?:-\s*to|–|—|-)\s*|\s+(?:to|through|and)\s+")
_COMPARATOR_AFTER_RE = re.compile(
    r"\+(?![/\d])|\s+or\s+(?P<more>more|above|higher|greater|over)\b"
    r"|\s+or\s+(?P<less>less|fewer|below|lower|under)\b"
    r"|\s+at\s+(?:the\s+)?(?:(?P<most>most)|least)\b"  # "90 minutes at most"
)
# words that, just before a number, bound or hedge it; longest phrases first
_COMPARATOR_WORDS: dict[str, Comparator | None] = {
    "no more than": "<",
    "in excess of": ">",
    "less than": "<",
    "fewer than": "<",
    "at most": "<",
    "up to": "<",
    "more than": ">",
    "greater than": ">",
    "at least": ">",
    "upwards of": ">",
    "north of": ">",
    "close to": "~",
    "under": "<",
    "below": "<",
    "sub": "<",
    "over": ">",
    "above": ">",
    "beyond": ">",
    "exceeding": ">",
    "about": "~",
    "around": "~",
    "roughly": "~",
    "approximately": "~",
    "approx.": "~",
    "nearly": "~",
    "almost": "~",
    "some": "~",
    "circa": "~",
    "between": None,
    "from": None,
}
_ABOUT_AS_PREPOSITION = frozenset(
    "talk talks talked talking think thinks thought care cares cared know knows worry worries "
    "is was are were all it's that's what's asked ask asks".split()
)
_ADDS_UP = frozenset("add adds added adding sum sums summed summing come comes came coming".split())
_COMPARATOR_LAST_WORDS = frozenset(phrase.rsplit(None, 1)[-1] for phrase in _COMPARATOR_WORDS)
_WORD_IN_WINDOW_RE = re.compile(r"[^\s\x00]+")
_COMPARATOR_SYMBOLS: dict[str, Comparator] = {
    "<=": "<",
    ">=": ">",
    "<": "<",
    "≤": "<",
    ">": ">",
    "≥": ">",
    "~": "~",
    "≈": "~",
}
_COMPARATOR_SYMBOL_ENDS = frozenset(symbol[-1] for symbol in _COMPARATOR_SYMBOLS)
_HYPHEN_PREFIXES = {"sub", "over", "under", "mid", "pre", "post", "near", "early", "late", "top"}

# Structural numbers, blanked out before the scan; each kind is looked for only when the
# text holds the character that gives it away, since a full scan costs more than the check.
_LINK_RE = re.compile(r"https?://\S+|www\.\S+|\]\([^)\s]{0,2000}\)")
_TAG_RE = re.compile(r"[@#][\w-]+")
# thread markers ("1/5", "2/", "(3/7)", "Thread 🧵 1/7") and list enumerators ("1.", "🧵 2)"), tried at
# line starts only
_LINE_START_RE = re.compile(
    r"(?i:thread)?[^\w\n]*\(?\d{1,3}\s?/\s?\d{0,3}\)?(?=[\s.:]|$)|[^\w\n$€£¥<>~]*\d{1,3}[.)](?=\s)",
    re.M,
)
_KEYCAP_RE = re.compile("\\d\ufe0f?\u20e3")  # "1️⃣", a numbered emoji
_MARKER_RE = re.compile(r"\(\d{1,3}/\d{1,3}\)|\d{1,3}/\d{1,3}[ \t]*$|24/7(?!\d)", re.M)
# dates and clock times, tried only where a run of digits starts
_DATE_TIME_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?(?!\d)|\d{1,2}/\d{1,2}/\d{2,4}(?!\d)"
    r"|\d{1,2}:\d{2}(?::\d{2})?(?!\d)"
)
_DATE_OR_TIME_MARK_RE = re.compile("[-/:]")  # within a date or time's first five characters
# "May 5" is left alone: "may" is a verb far more often than a month
_MONTHS = ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_DAY_RE = re.compile(rf"(?:{'|'.join(_MONTHS)})[a-z]*\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b")
# where a spelled-out statistic may start, searched in the lower-cased text
_WORD_START = (
    rf"{_WORD}|an?\s+(?:hundred|thousand|million|billion|dozen|gross|half|square|baker's"
    rf"|{_ARTICLE_UNITS})\b|baker's|absolute\s+zero"
)
_WORD_FIRST_LETTERS = "".join(
    sorted({w[0] for w in (*_SMALL, *_TENS, *_SCALE_WORDS, "hundred", "dozen", "an", "baker's", "absolute")})
)
# `\b(?:{_WORD_START})`, tried at every position, took a sixth of extraction. Led by the class of
# letters those words start with instead, the regex engine skips from one such letter to the
# next; there it steps back over the letter to test for a word's start and the words
# themselves (the group `words`). It also finds words inside another's match (the "two" of
# "forty-two"), which a scan would not: `_word_starts` leaves those out.
_WORD_START_RE = re.compile(rf"[{_WORD_FIRST_LETTERS}](?<=\b(?=(?P<words>{_WORD_START})).)")
# led by a character set, which the regex engine skips to quickly; digits go on only after a digit
_DIGIT_RUN_RE = re.compile(r"[\d½⅓⅔¼¾⅛](?:(?<=\d)[\d,.]*)?")


class _Reading(NamedTuple):
    """A number as written, with what follows it: one endpoint of a statistic."""

    end: int
    value: float
    scale: float
    unit: _units.Unit | None
    percent: bool
    points: bool
    multiplier: bool
    per: str  # compound suffix, e.g. "/s"
    per_factor: float
    spelled: bool
    bare_integer: bool


def _mask(text: str, lower: str) -> str:
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
    spans.extend(_markers(text))
    spans.extend(_month_days(lower))
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


def _markers(text: str) -> list[tuple[int, int]]:
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
            if at < slash and (marker := _MARKER_RE.match(text, at)):
                if at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "/"):
                    spans.append(marker.span())
                done = marker.end()
                break
        slash = text.find("/", max(slash + 1, done))
    return spans


def _month_days(lower: str) -> list[tuple[int, int]]:
    """Spans of the day in "jan 5", "march 3rd" at a word's start, found as `finditer` would
    find them (one match not inside another), but tried only where a month's name stands: the
    pattern's search would stop at every letter that starts one."""
    names = sorted(at for month in _MONTHS for at in _occurrences(lower, month))
    spans: list[tuple[int, int]] = []
    done = 0
    for at in names:
        if at >= done and (match := _MONTH_DAY_RE.match(lower, at)):
            done = match.end()
            if at == 0 or not lower[at - 1].isalpha():
                spans.append(match.span(1))
    return spans


def _occurrences(text: str, word: str) -> Iterator[int]:
    at = text.find(word)
    while at != -1:
        yield at
        at = text.find(word, at + 1)


def _parse_digits(surface: str) -> float:
    if surface.isdecimal():  # most numbers are a plain run of digits
        return float(surface)
    surface = surface.replace("−", "-").replace(",", "")
    vulgar = 0.0
    if surface and surface[-1] in _VULGAR:
        vulgar, surface = _VULGAR[surface[-1]], surface[:-1]
        if not surface:
            return vulgar
    if "/" in surface:
        parts = surface.split()  # "2 1/2", with any whitespace between
        whole, fraction = (parts[0], parts[-1]) if len(parts) > 1 else ("0", parts[0])
        numerator, _, denominator = fraction.partition("/")
        sign = -1 if whole.startswith("-") else 1
        return float(whole) + sign * float(numerator) / float(denominator)
    return float("".join(surface.split())) + vulgar


# after a decimal and a space, these symbols are units whatever follows: "1.5 s feels broken"
_DECIMAL_UNITS = frozenset({"s", "h"})


def _read_unit(text: str, pos: int, decimal: bool = False) -> tuple[int, _units.Unit | None, str, float]:
    """A unit (with any "/s" or "per hour" compound) starting at or just after `pos`, which
    follows a number written with a decimal point where `decimal`."""
    start = pos  # one space and a hyphen may stand between a number and its unit
    if text[start : start + 1].isspace():
        start += 1
    if text.startswith("-", start):
        start += 1
    match = _units.match_unit(text, start)
    if match is None:
        return pos, None, "", 1.0
    surface = match.group()
    if (
        _units.is_ambiguous(surface)
        and start > pos
        and not (decimal and surface in _DECIMAL_UNITS)
        and not _AMBIGUOUS_OK_RE.match(text, match.end())
    ):
        return pos, None, "", 1.0
    unit = _units.lookup(surface)
    if unit is None:  # pragma: no cover - every form `match_unit` finds is in the table
        return pos, None, "", 1.0
    end = match.end()
    per, per_factor = _read_per(text, end)
    return per[0], unit, per[1], per_factor


def _read_per(text: str, pos: int) -> tuple[tuple[int, str], float]:
    """A compound denominator after a unit: "/s", " per kg", "/m^2 per year"."""
    suffix, factor, end = "", 1.0, pos
    for _ in range(2):
        follows = text[end : end + 1]
        if follows != "/" and not follows.isspace():
            break  # every form of "per" starts with a slash or a space
        per = _PER_RE.match(text, end)
        if per is None:
            break
        match = _units.match_unit(text, per.end())
        unit = _units.lookup(match.group()) if match else None
        if match is None or unit is None:
            break
        end = match.end()
        power = 1
        exponent = _EXPONENT_RE.match(text, end)
        if exponent:
            power = {"2": 2, "²": 2, "3": 3, "³": 3}[exponent.group(1)]
            end = exponent.end()
        suffix += f"/{unit.base}" + (f"^{power}" if power > 1 else "")
        factor /= unit.factor**power
    return (end, suffix), factor


def _read(text: str, match: re.Match[str], currency: str | None) -> _Reading | None:
    """Read one number and everything that qualifies it: scale, percent, unit, per-unit."""
    pos = match.end()
    spelled = match.group("words") is not None
    if spelled:
        value = _words_value(match.group("words"))
    elif match.group("vulgar"):
        value = _VULGAR[match.group("vulgar")]
    else:
        value = _parse_digits(match.group("digits"))
    bare_integer = not spelled and (match.group("digits") or "x").lstrip("-−").isdigit()

    # each suffix is looked for only where its first character (after one space) is found
    follows, spaced, then = _ahead(text, pos)
    scale = 1.0
    scale_match = None
    if not spelled and (follows in _SCALE_STARTS or (spaced and then in _SCALE_WORD_STARTS)):
        scale_match = _SCALE_RE.match(text, pos)
        if scale_match is not None and scale_match.group("press") and not currency:
            scale_match = None  # "5 mn" may be minutes; "€300 mn" is money
    if scale_match is None and currency and not spelled and follows == "m":
        scale_match = _MONEY_MILLION_RE.match(text, pos)
    if scale_match:
        groups = scale_match.groupdict()
        key = groups.get("word") or groups.get("symbol") or groups.get("press") or "m"
        scale = _SCALE_SYMBOLS.get(key) or _SCALE_WORDS.get(key, 1.0)
        pos = scale_match.end()
        bare_integer = False
        follows, spaced, then = _ahead(text, pos)

    percent = points = multiplier = False
    unit: _units.Unit | None = None
    per, per_factor = "", 1.0
    if then in _PERCENT_STARTS and (m := _PERCENT_RE.match(text, pos)) is not None:
        percent, points, pos = True, m.group("points") is not None, m.end()
    elif (spaced or follows in _MULTIPLIER_STARTS or text.startswith(("-fold", "fold"), pos)) and (
        m := _MULTIPLIER_RE.match(text, pos)
    ) is not None:
        multiplier, pos = True, m.end()
        (pos, per), per_factor = _read_per(text, pos)
    else:
        pos, unit, per, per_factor = _read_unit(text, pos, "." in (match.group("digits") or ""))
        if unit is None and currency:
            (pos, per), per_factor = _read_per(text, pos)
    return _Reading(
        pos,
        value,
        scale,
        unit,
        percent,
        points,
        multiplier,
        per,
        per_factor,
        spelled,
        bare_integer and unit is None and not percent and not multiplier,
    )


def _ahead(text: str, pos: int) -> tuple[str, bool, str]:
    """The character at `pos`, whether it is a space, and the first character after one space."""
    follows = text[pos : pos + 1]
    spaced = follows.isspace()
    return follows, spaced, text[pos + 1 : pos + 2] if spaced else follows


_CURRENCY_MARK_RE = re.compile("[$€£¥DRP]")  # every currency prefix holds one of these


def _currency_before(text: str, start: int) -> tuple[str | None, int]:
    """A currency written before the number at `start` ($, US$, €, USD ...) and where it starts."""
    before = text[max(0, start - 4) : start]
    if not _CURRENCY_MARK_RE.search(before):
        return None, start
    for prefix in ("US$", "USD ", "EUR ", "GBP ", "USD", "EUR", "GBP", "$", "€", "£", "¥"):
        if before.endswith(prefix):
            code = _units.CURRENCY_SYMBOLS.get(prefix, prefix.strip())
            return code, start - len(prefix)
    return None, start


def _comparator_before(text: str, start: int) -> tuple[int, Comparator | None, bool]:
    """A comparator or "between" that leads into the number at `start`."""
    window = text[max(0, start - 24) : start]
    stripped = window.rstrip()
    if stripped[-1:] in _COMPARATOR_SYMBOL_ENDS:
        for width in (2, 1):
            symbol = _COMPARATOR_SYMBOLS.get(stripped[-width:]) if len(stripped) >= width else None
            if symbol is not None:
                return start - len(window) + len(stripped) - width, symbol, False
    if stripped.endswith("-") and stripped[-4:-1].lower() == "sub":
        stripped = stripped[:-1]
    elif stripped == window:  # a comparator word is followed by a space or hyphen
        return start, None, False
    tail = stripped[-14:].rsplit(None, 1)
    if not tail or tail[-1].lower() not in _COMPARATOR_LAST_WORDS:
        return start, None, False
    words = [(m.start(), m.group().lower()) for m in _WORD_IN_WINDOW_RE.finditer(stripped)][-3:]
    for count in (3, 2, 1):
        if len(words) < count:
            continue
        first = words[-count][0]
        if first == 0 and start > len(window):
            continue  # the window may have cut this phrase short
        phrase = " ".join(word for _, word in words[-count:])
        if phrase == "about" and len(words) > 1 and words[-2][1] in _ABOUT_AS_PREPOSITION:
            return start, None, False  # "talks about $80B" is no estimate
        if phrase == "up to" and len(words) > 2 and words[-3][1] in _ADDS_UP:
            return start, None, False  # "they add up to 500-1,600ms" is a total, not a bound
        if phrase in _COMPARATOR_WORDS:
            comparator = _COMPARATOR_WORDS[phrase]
            return start - len(window) + first, comparator, comparator is None
    return start, None, False


def _is_name(text: str, start: int, end: int) -> bool:
    """P95, GPT-4, 3rd, 5G: a number glued to letters is a name or an ordinal."""
    if end < len(text) and (text[end].isalnum() or text[end] == "_"):
        return True
    if start >= 2 and text[start - 1] == "-" and text[start - 2].isalpha():
        word = re.search(r"[A-Za-z]+$", text[max(0, start - 12) : start - 1])
        return word is None or word.group().lower() not in _HYPHEN_PREFIXES
    return False


def _same_dimension(a: _Reading, b: _Reading) -> bool:
    return (a.unit is None or b.unit is None or a.unit.base == b.unit.base) and a.per == b.per


def _word_starts(lower: str) -> list[int]:
    """Where `\\b(?:{_WORD_START})` matches in `lower`, one match not inside another."""
    starts: list[int] = []
    done = 0
    for match in _WORD_START_RE.finditer(lower):
        if match.start() >= done:
            starts.append(match.start())
            done = match.end("words")
    return starts


def extract(text: str) -> list[Quantity]:
    """Every statistic in `text`, in order, with character offsets into `text`."""
    lower = text.lower()
    if len(lower) != len(text):  # a few Unicode letters grow when lower-cased
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    masked = _mask(text, lower)
    starts = [m.start() for m in _DIGIT_RUN_RE.finditer(masked)]
    starts.extend(_word_starts(lower))
    found: list[Quantity] = []
    pos = 0
    for start in sorted(set(starts)):
        if start < pos:
            continue
        if (
            masked[start].isdigit()
            and _DATE_OR_TIME_MARK_RE.search(masked, start, start + 5)
            and (date := _DATE_TIME_RE.match(masked, start))
        ):
            pos = date.end()
            continue
        # a sign, a leading decimal point or a currency may sit just before the digits
        for candidate in (start - 1, start) if start and masked[start - 1] in "-−." else (start,):
            if candidate < pos:
                continue
            match = _START_RE.match(masked, candidate)
            if match is None:
                continue
            quantity = _quantity_at(text, masked, match)
            if quantity is not None:
                found.append(quantity)
                pos = quantity.end
            elif match.group("words"):
                pos = match.end()  # a run of number words that is no statistic is read once, not per word
            break
    if any(map(lower.__contains__, _WORD_FIGURE_HINTS)):
        found = _with_word_figures(text, masked, found)
    return found


# Figures said in words alone, looked for where one of these stands in the text:
# "a third of organizations", "half of all calls", "two-thirds of agents": a share of a counted
# group is a percentage (33.3%, not 35%), where "half of the problem" counts nothing; and
# "doubled", "tripled", "quadrupled" are multipliers ("doubled down" is none)
_WORD_FIGURE_HINTS = ("half", "third", "quarter", "fifth", "doubled", "tripled", "quadrupled")
_SHARE_RE = re.compile(
    r"(?i)(?<!and\s)(?<!and\sa\s)\b(?P<share>(?:an?|one|two|three|four)[\s-]+(?:thirds?|quarters?|fifths?)"
    r"|(?:a\s+|one\s+)?half)\s+of\s+"
    r"(?:the\s+|all\s+|our\s+|their\s+|these\s+|those\s+)?(?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*[^s\W]s\b"
)
_TIMES_RE = re.compile(r"(?i)\b(?:doubled|tripled|quadrupled)\b(?!\s+down)")
_TIMES = {"doubled": 2.0, "tripled": 3.0, "quadrupled": 4.0}


def _with_word_figures(text: str, masked: str, found: list[Quantity]) -> list[Quantity]:
    """`found` with the shares and multipliers the text says in words alone, in order."""
    taken = [(q.start, q.end) for q in found]
    more = []
    for match in (*_SHARE_RE.finditer(masked), *_TIMES_RE.finditer(masked)):
        share = match.lastgroup == "share"
        start, end = match.span("share") if share else match.span()
        if any(start < e and s < end for s, e in taken):
            continue
        kind: Kind
        if share:
            value, kind, unit = _words_value(match.group("share").replace("-", " ")) * 100, "percent", "%"
        else:
            value, kind, unit = _TIMES[match.group().lower()], "multiplier", "x"
        more.append(Quantity(text=text[start:end], start=start, end=end, kind=kind, unit=unit, low=value, high=value))
    return sorted([*found, *more], key=lambda q: q.start) if more else found


def _quantity_at(text: str, masked: str, match: re.Match[str]) -> Quantity | None:
    start = match.start()
    if match.group("named"):
        return Quantity(
            text=text[start : match.end()],
            start=start,
            end=match.end(),
            kind="measure",
            unit="K",
            low=0.0,
            high=0.0,
        )
    if match.group("article"):
        unit = _units.lookup(match.group("unit_word"))
        if unit is None:
            return None
        return Quantity(
            text=text[start : match.end()],
            start=start,
            end=match.end(),
            kind=unit.kind,
            unit=unit.base,
            low=unit.factor,
            high=unit.factor,
        )

    currency, currency_start = _currency_before(masked, start)
    lead, comparator, between = _comparator_before(masked, currency_start)
    if between and not masked[lead:].lower().startswith("between"):
        lead = currency_start  # "from" is not part of it

    first = _read(masked, match, currency)
    if first is None:
        return None
    end = first.end
    if (
        currency is None
        and masked[end : end + 2].strip()[:1] in _CURRENCY_AFTER
        and (after := _CURRENCY_AFTER_RE.match(masked, end))
        and first.unit is None
        and not first.percent
        and not first.multiplier
    ):
        currency, end = _units.CURRENCY_SYMBOLS[after.group(1)], after.end()
        first = first._replace(end=end)

    low = high = first.value
    last = first

    # "four in ten", "1 in 3": a ratio is a percentage
    ratio_of: float | None = None
    if (
        (first.bare_integer or first.spelled)
        and first.unit is None
        and not first.percent
        and currency is None
        and masked.startswith((" in ", " out "), end)
        and (ratio := _RATIO_RE.match(masked, end))
    ):
        denominator = float(ratio.group(1)) if ratio.group(1) else _words_value(ratio.group(2))
        if denominator > 0 and (ratio.group(1) is None or denominator <= 1000):
            ratio_of = denominator
            end = ratio.end()

    if ratio_of is None:
        second = _read_range_end(masked, end, first, currency, between)
        if second is not None:
            last = second
            high = second.value
            end = second.end
        elif between:
            lead = currency_start
    if _is_name(masked, match.start(), end) and last.unit is None:
        return None

    after = _COMPARATOR_AFTER_RE.match(masked, end) if masked.startswith(("+", " or ", " at "), end) else None
    if after and comparator is None:
        comparator = "<" if after.group("less") or after.group("most") else ">"
        end = after.end()

    classified = _classify(first, last, currency, ratio_of, match.group("words"))
    if classified is None:
        return None
    kind, base, factor = classified
    if kind == "count" and last is first and _numbers_the_text(masked, lead, end):
        return None
    if kind == "money" and _MY_TWO_CENTS_RE.search(masked, max(0, lead - 9), end + 1):
        return None
    scale_low = first.scale if first.scale != 1.0 or last is first else last.scale
    scale_high = last.scale if last is not first else first.scale
    factor_low = factor
    if first.unit is not None and last.unit is not None and first.unit.factor != last.unit.factor:
        factor_low = factor * first.unit.factor / last.unit.factor  # "500ms to 1.6s": each end in its own unit
    values = sorted((low * scale_low * factor_low, high * scale_high * factor))
    if not (math.isfinite(values[0]) and math.isfinite(values[1])):
        return None  # "1e999", "a hundred hundred hundred ...": no statistic anyone can state
    if kind == "ratio":
        values = [low * factor, low * factor]
    return Quantity(
        text=text[lead:end],
        start=lead,
        end=end,
        kind=kind,
        unit=base,
        low=values[0],
        high=values[1],
        comparator=comparator,
        is_range=last is not first,
    )


def _classify(
    first: _Reading, last: _Reading, currency: str | None, ratio_of: float | None, words: str | None
) -> tuple[Kind, str, float] | None:
    """What kind of statistic a reading is, its base unit and the factor that reaches it.
    What the range's last end says of units holds for both ends ("100-300ms")."""
    unit = last.unit or first.unit
    per = last.per or first.per
    per_factor = last.per_factor if last.per else first.per_factor
    if ratio_of is not None:
        return "ratio", "%", 100.0 / ratio_of
    if first.percent or last.percent:
        return "percent", ("pp" if first.points or last.points else "%"), 1.0
    if first.multiplier or last.multiplier:
        return "multiplier", "x" + per, per_factor
    if currency is not None or (unit is not None and unit.kind == "money"):
        code = currency or (unit.base if unit else "USD")
        return "money", code + per, (unit.factor if unit and unit.kind == "money" else 1.0) * per_factor
    if unit is not None:
        return (
            ("duration" if unit.kind == "duration" and not per else "measure"),
            unit.base + per,
            (unit.factor * per_factor),
        )
    if first.spelled and last.spelled and not _LARGE_WORDS_RE.search(words or ""):
        return None  # "two problems", "one tool": rhetoric, not a statistic
    if first.bare_integer and last.bare_integer and all(1900 <= r.value <= 2100 for r in (first, last)):
        return "year", "year", 1.0
    return "count", "", 1.0


_LARGE_WORDS_RE = re.compile(r"(?i)hundred|thousand|million|billion|trillion|dozen|gross")

# "Step 2", "Day 1", "Tip #3": a number after one of these words names a part, as "P95" does
_LABEL_WORD_BEFORE_RE = re.compile(
    r"(?i)(?<![\w-])(?:step|phase|stage|part|day|week|month|quarter|year|hour|cycle|tip|rule|lesson|reason|mistake|myth"
    r"|point|question|idea|chapter|section|slide|page|round|level|tier|version|option|priority)\s+#?$"
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


def _numbers_the_text(masked: str, start: int, end: int) -> bool:
    """Whether the count at `start`..`end` labels or counts the text's own parts: "Step 2",
    "Top 3 reasons ...", "3 things I'd tell every leader"."""
    if _LABEL_WORD_BEFORE_RE.search(masked, max(0, start - 12), start):
        return True
    if not _LIST_NOUN_AFTER_RE.match(masked, end):
        return False
    opening = max(masked.rfind("\n", 0, start), *(masked.rfind(stop, 0, start) for stop in ". ! ? :".split())) + 1
    return _LIST_OPENING_RE.fullmatch(masked, opening, start) is not None


def _read_range_end(masked: str, pos: int, first: _Reading, currency: str | None, between: bool) -> _Reading | None:
    """The second endpoint of "100-300ms", "100 to 300 ms", "between 200 and 800ms"."""
    ahead = masked[pos : pos + 4].lstrip()[:1]
    if not ahead or ahead not in "-–—tTa":  # no separator can start here
        return None
    separator = _RANGE_SEP_RE.match(masked, pos)
    if separator is None:
        return None
    word = separator.group().strip().lower()
    if word == "and" and not between:
        return None
    if word in ("-", "–", "—") and first.spelled:
        return None
    at = separator.end()
    if currency and masked.startswith(tuple(_units.CURRENCY_SYMBOLS), at):
        at += 1
    match = _START_RE.match(masked, at)
    if match is None or match.group("article") or match.group("named"):
        return None
    if (match.group("digits") or "").startswith(("-", "−")) and word in ("-", "–", "—"):
        return None
    second = _read(masked, match, currency)
    if second is None or not _same_dimension(first, second):
        return None
    if first.percent and not second.percent and second.unit is not None:
        return None
    return second
