"""The scanner: every statistic of a text, read in named phases.

A statistic is read where a number starts (`reading.START_RE`), in this order:

1. the lead-in: a currency and a comparator or "between" before it;
2. the number itself with what qualifies it (`reading.read`), and a currency after it;
3. its extent: a ratio ("four in ten"), the other end of a range, or a comparator after it;
4. what rules it out: a name ("P95"), a label or count of the text's own parts, "my 2 cents";
5. its normal form: kind, base unit and value range.

Structural numbers (thread markers, links, dates ...) are blanked out before the scan, and
figures said in words alone ("a third of organizations", "doubled") are added after it.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

from angleforge.quantities import comparators, structure, units, words
from angleforge.quantities.quantity import Comparator, Kind, Quantity
from angleforge.quantities.reading import (
    DIGIT_RUN_RE,
    START_RE,
    Reading,
    currency_after,
    currency_before,
    read,
    same_dimension,
)

_RATIO_RE = re.compile(rf"\s+(?:in|out\s+of)\s+(?:(\d{{1,4}})|((?i:{words.WORD_SEQUENCE})))\b")
_RANGE_SEP_RE = re.compile(r"\s*(?:-\s*to|–|—|-)\s*|\s+(?:to|through|and)\s+")
# a verb or noun of a rise or a move before "from": in "raised from £5,000 to £7,500" and "went
# from 60,000 to 98,000" the "to" leads to the new figure. After a fall ("down from 15 to 20
# percent") a rising pair is a range, and a falling one is no range anyway.
_CHANGE_BEFORE_RE = re.compile(
    r"(?i)\b(?:ris(?:e|es|en|ing)|rose|gr(?:ew|ow|ows|own|owing)|rais(?:e|ed|es|ing)|increas(?:e|ed|es|ing)"
    r"|went|go(?:es|ne)?|jump(?:ed|s)?|climb(?:ed|s)?|mov(?:e|ed|es)|shift(?:ed|s)?|chang(?:e|ed|es)"
    r"|improv(?:e|ed|es)|soar(?:ed|s)?|surg(?:e|ed|es)|boosted|expanded|up)\s+from\s*$"
)
_LETTER_IN_PARENTHESES_RE = re.compile(r"\([a-z]\)")  # the "(k)" of "510(k)", "401(k)"
_HYPHEN_PREFIXES = {"sub", "over", "under", "mid", "pre", "post", "near", "early", "late", "top"}


def extract(text: str) -> list[Quantity]:
    """Every statistic in `text`, in order, with character offsets into `text`."""
    lower = text.lower()
    if len(lower) != len(text):  # a few Unicode letters grow when lower-cased
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    masked = structure.mask(text, lower)
    starts = [m.start() for m in DIGIT_RUN_RE.finditer(masked)]
    starts.extend(words.word_starts(lower))
    found: list[Quantity] = []
    pos = 0
    for start in sorted(set(starts)):
        if start < pos:
            continue
        if masked[start].isdigit() and (date_end := structure.date_or_time_at(masked, start)) is not None:
            pos = date_end
            continue
        # a sign, a leading decimal point or a currency may sit just before the digits
        for candidate in (start - 1, start) if start and masked[start - 1] in "-−." else (start,):
            if candidate < pos:
                continue
            match = START_RE.match(masked, candidate)
            if match is None:
                continue
            quantity = _quantity_at(text, masked, match)
            if quantity is not None:
                found.append(quantity)
                pos = quantity.end
            elif match.group("words"):
                pos = match.end()  # a run of number words that is no statistic is read once, not per word
            break
    if any(map(lower.__contains__, words.FIGURE_HINTS)):
        found = _with_word_figures(text, masked, found)
    return _with_carried_units(masked, found) if len(found) > 1 else found


# what joins a figure to the bare number that goes on in its unit: "70 minutes to 33",
# "22 minutes, down from 126", "58 min → 22"
_CARRIES_UNIT_RE = re.compile(r"\s*,?\s*(?:(?:down|up)\s+(?:from|to)|to|from|→|->|vs\.?|versus|against)\s*")
# what joins a bare number to the figure after it whose unit it shares: "7.4 → 6.1 min",
# "from 6.2 to 4.1 minutes"
_SHARES_UNIT_RE = re.compile(r"\s*(?:→|->|to|vs\.?|versus)\s*")
_WRITTEN_NUMBER_RE = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _with_carried_units(masked: str, found: list[Quantity]) -> list[Quantity]:
    """`found` with each bare number that follows a figure with a unit, joined to it by "to",
    "from" or an arrow, read in that unit: the 33 of "70 minutes to 33" is 33 minutes; and with
    each that leads on to a duration or measure ("7.4 → 6.1 min") read in that one's."""
    carried = list(found)
    for at in range(1, len(found)):
        before = carried[at - 1]
        if (
            before.kind in ("duration", "measure", "percent")
            and _carries(found[at], before)
            and _CARRIES_UNIT_RE.fullmatch(masked, before.end, found[at].start)
        ):
            carried[at] = _in_unit_of(found[at], before)
    for at in range(len(found) - 1):
        after = carried[at + 1]
        if (
            after.kind in ("duration", "measure")
            and _carries(carried[at], after)
            and _SHARES_UNIT_RE.fullmatch(masked, carried[at].end, after.start)
        ):
            carried[at] = _in_unit_of(carried[at], after)
    return carried


def _carries(bare: Quantity, figure: Quantity) -> bool:
    """Whether `bare` is a single bare count, which may be read in the unit of `figure`, a
    single figure (asked before the words between them are)."""
    return bare.kind == "count" and not bare.is_range and bare.comparator is None and not figure.is_range


def _in_unit_of(bare: Quantity, figure: Quantity) -> Quantity:
    """A single bare count (`_carries`) read in the unit of `figure` beside it."""
    written = _WRITTEN_NUMBER_RE.search(figure.text)
    value = float(written.group().replace(",", "")) if written else 0.0
    if not value:
        return bare
    factor = figure.low / value
    return replace(bare, kind=figure.kind, unit=figure.unit, low=bare.low * factor, high=bare.high * factor)


class _Parse:
    """A statistic being read: where it starts and ends, and what each phase found."""

    __slots__ = (
        "between",
        "change",
        "comparator",
        "currency",
        "currency_start",
        "end",
        "first",
        "last",
        "lead",
        "ratio_of",
    )
    first: Reading  # the number, once read
    last: Reading  # the range's other end, or the number again

    def __init__(self, masked: str, start: int) -> None:
        # 1. the lead-in
        self.currency, self.currency_start = currency_before(masked, start)
        self.lead, self.comparator, self.between = comparators.before(masked, self.currency_start)
        # "raised from £5,000 to £7,500": a change of a figure, not a range of figures
        self.change = (
            self.between and _CHANGE_BEFORE_RE.search(masked, max(0, self.lead - 16), self.currency_start) is not None
        )
        if self.between and not masked[self.lead :].lower().startswith("between"):
            self.lead = self.currency_start  # "from" is not part of it
        self.ratio_of: float | None = None
        self.end = start


def _quantity_at(text: str, masked: str, match: re.Match[str]) -> Quantity | None:
    if match.group("named") or match.group("article"):
        return _named(text, match)
    parse = _Parse(masked, match.start())
    if not _read_number(masked, match, parse):
        return None
    if not _read_extent(masked, match, parse):
        return None
    classified = _classify(parse, match.group("words"))
    if classified is None or _rules_out(masked, parse, classified[0]):
        return None
    return _normalised(text, parse, *classified)


def _named(text: str, match: re.Match[str]) -> Quantity | None:
    """ "absolute zero", and "a gallon", "an ounce": a unit's name after "a" is one of it."""
    start, end = match.span()
    if match.group("named"):
        return Quantity(text=text[start:end], start=start, end=end, kind="measure", unit="K", low=0.0, high=0.0)
    unit = units.lookup(match.group("unit_word"))
    if unit is None:
        return None
    return Quantity(
        text=text[start:end], start=start, end=end, kind=unit.kind, unit=unit.base, low=unit.factor, high=unit.factor
    )


def _read_number(masked: str, match: re.Match[str], parse: _Parse) -> bool:
    """2. The number and what qualifies it, and a currency after a plain number ("300 €")."""
    first = read(masked, match, parse.currency)
    if first is None:
        return False
    if parse.currency is None:
        first, parse.currency = currency_after(masked, first)
    parse.first = parse.last = first
    parse.end = first.end
    return True


def _read_extent(masked: str, match: re.Match[str], parse: _Parse) -> bool:
    """3. A ratio ("four in ten", "1 in 3": a percentage), else the other end of a range; then
    a comparator after it. False where the number is a name ("P95", "GPT-4")."""
    first = parse.first
    if (
        (first.bare_integer or first.spelled)
        and first.unit is None
        and not first.percent
        and parse.currency is None
        and masked.startswith((" in ", " out "), parse.end)
        and (ratio := _RATIO_RE.match(masked, parse.end))
    ):
        denominator = float(ratio.group(1)) if ratio.group(1) else words.value(ratio.group(2))
        if denominator > 0 and (ratio.group(1) is None or denominator <= 1000):
            parse.ratio_of = denominator
            parse.end = ratio.end()
    if parse.ratio_of is None:
        second = _read_range_end(masked, parse.end, first, parse.currency, parse.between, parse.change)
        if second is not None:
            parse.last, parse.end = second, second.end
        elif parse.between:
            parse.lead = parse.currency_start
    if _is_name(masked, match.start(), parse.end) and parse.last.unit is None:
        return False
    if (bound := comparators.after(masked, parse.end)) and parse.comparator is None:
        parse.end, parse.comparator = bound
    return True


def _rules_out(masked: str, parse: _Parse, kind: Kind) -> bool:
    """4. A number that labels or counts the text's own parts ("Step 2", "Top 3 reasons"),
    or "my 2 cents"."""
    if kind == "count" and parse.last is parse.first and structure.numbers_the_text(masked, parse.lead, parse.end):
        return True
    return kind == "money" and structure.is_opinion(masked, parse.lead, parse.end)


def _classify(parse: _Parse, spelled: str | None) -> tuple[Kind, str, float] | None:
    """What kind of statistic a reading is, its base unit and the factor that reaches it.
    What the range's last end says of units holds for both ends ("100-300ms"). None for
    spelled counts of things ("two problems"): rhetoric, not a statistic."""
    first, last, currency = parse.first, parse.last, parse.currency
    unit = last.unit or first.unit
    per = last.per or first.per
    per_factor = last.per_factor if last.per else first.per_factor
    if parse.ratio_of is not None:
        return "ratio", "%", 100.0 / parse.ratio_of
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
    if first.spelled and last.spelled and not words.LARGE_WORDS_RE.search(spelled or ""):
        return None
    if first.bare_integer and last.bare_integer and all(1900 <= r.value <= 2100 for r in (first, last)):
        return "year", "year", 1.0
    return "count", "", 1.0


def _normalised(text: str, parse: _Parse, kind: Kind, base: str, factor: float) -> Quantity | None:
    """5. The value range in the base unit; None where it is not a finite number ("1e999")."""
    first, last = parse.first, parse.last
    scale_low = first.scale if first.scale != 1.0 or last is first else last.scale
    scale_high = last.scale if last is not first else first.scale
    factor_low = factor
    if first.unit is not None and last.unit is not None and first.unit.factor != last.unit.factor:
        factor_low = factor * first.unit.factor / last.unit.factor  # "500ms to 1.6s": each end in its own unit
    low, high = sorted((first.value * scale_low * factor_low, last.value * scale_high * factor))
    if not (math.isfinite(low) and math.isfinite(high)):
        return None  # "1e999", "a hundred hundred hundred ...": no statistic anyone can state
    if kind == "ratio":
        low = high = first.value * factor
    comparator: Comparator | None = parse.comparator
    return Quantity(
        text=text[parse.lead : parse.end],
        start=parse.lead,
        end=parse.end,
        kind=kind,
        unit=base,
        low=low,
        high=high,
        comparator=comparator,
        is_range=last is not first,
    )


def _is_name(text: str, start: int, end: int) -> bool:
    """P95, GPT-4, 3rd, 5G, 510(k): a number glued to letters, or to a letter in
    parentheses, is a name or an ordinal."""
    if end < len(text) and (text[end].isalnum() or text[end] == "_"):
        return True
    if text.startswith("(", end) and _LETTER_IN_PARENTHESES_RE.match(text, end):
        return True
    if start >= 2 and text[start - 1] == "-" and text[start - 2].isalpha():
        word = re.search(r"[A-Za-z]+$", text[max(0, start - 12) : start - 1])
        return word is None or word.group().lower() not in _HYPHEN_PREFIXES
    return False


def _read_range_end(
    masked: str, pos: int, first: Reading, currency: str | None, between: bool, change: bool
) -> Reading | None:
    """The second endpoint of "100-300ms", "100 to 300 ms", "between 200 and 800ms"; after a
    change ("raised from £5,000 to £7,500") "to" leads to the new figure, not a range's end."""
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
    if change and word not in ("-", "–", "—"):
        return None
    at = separator.end()
    if currency and masked.startswith(tuple(units.CURRENCY_SYMBOLS), at):
        at += 1
    match = START_RE.match(masked, at)
    if match is None or match.group("article") or match.group("named"):
        return None
    if (match.group("digits") or "").startswith(("-", "−")) and word in ("-", "–", "—"):
        return None
    second = read(masked, match, currency)
    if second is None or not same_dimension(first, second):
        return None
    if first.percent and not second.percent and second.unit is not None:
        return None
    if _is_year(first) != _is_year(second):
        return None  # "60,000 in 2023 to 98,000": a year and an amount are no range
    if _magnitude(second, first) < _magnitude(first, second):
        return None  # "95 min to 41 min": a change from one figure to another, not a range
    return second


def _is_year(reading: Reading) -> bool:
    return reading.bare_integer and 1900 <= reading.value <= 2100


def _magnitude(reading: Reading, other: Reading) -> float:
    """A range end's value in its unit (or, where it has none, in the other end's)."""
    unit = reading.unit or other.unit
    return reading.value * reading.scale * (unit.factor if unit else 1.0)


def _with_word_figures(text: str, masked: str, found: list[Quantity]) -> list[Quantity]:
    """`found` with the shares and multipliers the text says in words alone, in order."""
    taken = [(q.start, q.end) for q in found]
    more = []
    for match in (*words.SHARE_RE.finditer(masked), *words.TIMES_RE.finditer(masked)):
        share = match.lastgroup == "share"
        start, end = match.span("share") if share else match.span()
        if any(start < e and s < end for s, e in taken):
            continue
        kind: Kind
        if share:
            value, kind, unit = words.value(match.group("share").replace("-", " ")) * 100, "percent", "%"
        else:
            value, kind, unit = words.TIMES[match.group().lower()], "multiplier", "x"
        more.append(Quantity(text=text[start:end], start=start, end=end, kind=kind, unit=unit, low=value, high=value))
    return sorted([*found, *more], key=lambda q: q.start) if more else found
