"""Reading one number as written, with what qualifies it: its scale ("$4.2B"), a percent, a
multiplier, a unit and any per-unit ("4.8 TB/s"), and a currency before or after it."""

from __future__ import annotations

import re
from typing import NamedTuple

from angleforge.quantities import units, words

_DIGITS = (
    r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?"
    r"|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\w%.,/])"
    r"|\d+(?:\.\d+)?|\.\d+)"
)
_VULGAR = {"½": 0.5, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 0.25, "¾": 0.75, "⅛": 0.125}

# where a number starts: digits, a vulgar fraction, number words, "a" before a unit's name
# ("a gallon"), or a named quantity
START_RE = re.compile(
    rf"""(?<![\w.,/])(?P<digits>[-−]?{_DIGITS}(?:[eE][-+−]?\d+)?
            (?:\s\d{{1,2}}/[1-9]\d?(?![\d/])|/[1-9]\d{{0,2}}(?![\d/]))?[{"".join(_VULGAR)}]?)
       |(?P<vulgar>[{"".join(_VULGAR)}])
       |(?i:\b(?P<words>{words.BAKERS_DOZEN}|{words.ARTICLE_NUMBER}|{words.WORD_SEQUENCE})(?![\w]))
       |(?i:\b(?P<article>an?)\s+(?P<unit_word>{units.ARTICLE_UNITS})\b)
       |(?i:\b(?P<named>absolute\s+zero)\b)""",
    re.X,
)
# led by a character set, which the regex engine skips to quickly; digits go on only after a digit
DIGIT_RUN_RE = re.compile(r"[\d½⅓⅔¼¾⅛](?:(?<=\d)[\d,.]*)?")

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
    **words.SCALES,
}
_PERCENT_RE = re.compile(r"\s?(?:(?P<points>percentage\s+points?|pp)\b|%|(?i:percent|per\s+cent|pct)\b)")
_PERCENT_STARTS = frozenset("%pP")
_MULTIPLIER_STARTS = frozenset("xX×")
_MULTIPLIER_RE = re.compile(r"[xX×](?![A-Za-z])|\s?×|\s+times\b|[\s-]?fold\b")
# where an ambiguous unit symbol after a space is a unit: "2 in thick", "5 m."
_AMBIGUOUS_OK_RE = re.compile(
    r"\s*(?:$|[.,;:!?)\]\n/])|\s+(?:thick|long|wide|tall|high|deep|away|across|in\s+diameter)\b"
)
# what follows a time symbol after a space that leads on to another figure: "96 s → 61 s",
# "52 s to read"
_LEADS_ON_RE = re.compile(r"\s*(?:→|->)|\s+(?:to|down|up|vs\.?|versus)\b")
_PER_RE = re.compile(r"/|\s+per\s+|\s+an?\s+(?=(?:day|week|month|year|hour|minute)\b)")
_EXPONENT_RE = re.compile(r"\^?([23²³])")
_CURRENCY_AFTER = ("$", "€", "£", "¥")
_CURRENCY_AFTER_RE = re.compile(r"\s?([€$£¥])")
_PENCE_RE = re.compile(r"p(?=/|\s+per\s)")
_CURRENCY_MARKS = frozenset("$€£¥DRP")  # every currency prefix holds one of these
_CURRENCY_PREFIXES = ("US$", "USD ", "EUR ", "GBP ", "USD", "EUR", "GBP", "$", "€", "£", "¥")


class Reading(NamedTuple):
    """A number as written, with what follows it: one endpoint of a statistic."""

    end: int
    value: float
    scale: float
    unit: units.Unit | None
    percent: bool
    points: bool
    multiplier: bool
    per: str  # compound suffix, e.g. "/s"
    per_factor: float
    spelled: bool
    bare_integer: bool


def read(text: str, match: re.Match[str], currency: str | None) -> Reading | None:
    """Read one number (a `START_RE` match) and everything that qualifies it: scale, percent,
    unit, per-unit."""
    pos = match.end()
    in_words, vulgar, digits = match.group("words", "vulgar", "digits")
    spelled = in_words is not None
    if spelled:
        value = words.value(in_words)
    elif vulgar:
        value = _VULGAR[vulgar]
    else:
        value = _parse_digits(digits)
    bare_integer = not spelled and (digits or "x").lstrip("-−").isdigit()

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
        scale = _SCALE_SYMBOLS.get(key, 1.0)
        pos = scale_match.end()
        bare_integer = False
        follows, spaced, then = _ahead(text, pos)

    percent = points = multiplier = False
    unit: units.Unit | None = None
    per, per_factor = "", 1.0
    if then in _PERCENT_STARTS and (m := _PERCENT_RE.match(text, pos)) is not None:
        percent, points, pos = True, m.group("points") is not None, m.end()
    elif (spaced or follows in _MULTIPLIER_STARTS or text.startswith(("-fold", "fold"), pos)) and (
        m := _MULTIPLIER_RE.match(text, pos)
    ) is not None:
        multiplier, pos = True, m.end()
        (pos, per), per_factor = _read_per(text, pos)
    else:
        # a decimal ("1.5 s") or the end of a range ("0.8-1 s") is a figure, where a spaced
        # symbol after a plain number may be a word
        start = match.start()
        figure_like = "." in (digits or "") or (start >= 2 and text[start - 1] in "-–" and text[start - 2].isdigit())
        pos, unit, per, per_factor = _read_unit(text, pos, figure_like)
        if unit is None and currency:
            (pos, per), per_factor = _read_per(text, pos)
    return Reading(
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


def currency_before(text: str, start: int) -> tuple[str | None, int]:
    """A currency written before the number at `start` ($, US$, €, USD ...) and where it starts."""
    before = text[max(0, start - 4) : start]
    if _CURRENCY_MARKS.isdisjoint(before):
        return None, start
    for prefix in _CURRENCY_PREFIXES:
        if before.endswith(prefix):
            code = units.CURRENCY_SYMBOLS.get(prefix, prefix.strip())
            return code, start - len(prefix)
    return None, start


def currency_after(text: str, first: Reading) -> tuple[Reading, str | None]:
    """A plain number followed by a currency symbol ("300 €") or by pence per unit ("79p/kWh"),
    as the reading that takes the symbol in and the currency; else the reading unchanged and
    no currency."""
    end = first.end
    if (
        text[end : end + 2].strip()[:1] in _CURRENCY_AFTER
        and first.unit is None
        and not first.percent
        and not first.multiplier
        and (after := _CURRENCY_AFTER_RE.match(text, end))
    ):
        return first._replace(end=after.end()), units.CURRENCY_SYMBOLS[after.group(1)]
    if (
        text.startswith("p", end)
        and first.unit is None
        and not first.percent
        and not first.multiplier
        and _PENCE_RE.match(text, end)
    ):
        # pence per unit: "79p/kWh" is £0.79 a kWh
        (pos, per), per_factor = _read_per(text, end + 1)
        return first._replace(end=pos, scale=first.scale / 100, per=per, per_factor=per_factor), "GBP"
    return first, None


def same_dimension(a: Reading, b: Reading) -> bool:
    """Whether two readings can be the ends of one range: no unit on one end, or the same."""
    return (a.unit is None or b.unit is None or a.unit.base == b.unit.base) and a.per == b.per


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


def _read_unit(text: str, pos: int, decimal: bool = False) -> tuple[int, units.Unit | None, str, float]:
    """A unit (with any "/s" or "per hour" compound) starting at or just after `pos`, which
    follows a number written with a decimal point where `decimal`."""
    start = pos  # one space and a hyphen may stand between a number and its unit
    if text[start : start + 1].isspace():
        start += 1
    if text.startswith("-", start):
        start += 1
    match = units.match_unit(text, start)
    if match is None:
        return pos, None, "", 1.0
    surface = match.group()
    if (
        start > pos
        and units.is_ambiguous(surface, after_decimal=decimal or bool(_LEADS_ON_RE.match(text, match.end())))
        and not _AMBIGUOUS_OK_RE.match(text, match.end())
    ):
        return pos, None, "", 1.0
    unit = units.lookup(surface)
    if unit is None:  # pragma: no cover - every form `match_unit` finds is in the table
        return pos, None, "", 1.0
    per, per_factor = _read_per(text, match.end())
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
        match = units.match_unit(text, per.end())
        unit = units.lookup(match.group()) if match else None
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


def _ahead(text: str, pos: int) -> tuple[str, bool, str]:
    """The character at `pos`, whether it is a space, and the first character after one space."""
    follows = text[pos : pos + 1]
    spaced = follows.isspace()
    return follows, spaced, text[pos + 1 : pos + 2] if spaced else follows
