"""The unit vocabulary: every surface form a statistic's unit may take, and how to normalise it.

Each unit maps to a canonical base unit and a factor, so that `300ms`, `0.3 seconds` and
`300 milliseconds` all become 0.3 of `s`. Short symbols are case-sensitive (`MB` is not `mb`);
spelled-out names are not.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Literal, NamedTuple


class Unit(NamedTuple):
    base: str  # canonical base unit, e.g. "s", "B", "m", "USD"
    kind: Literal["duration", "money", "measure"]
    factor: float  # multiply the stated number by this to reach the base unit


_SECOND, _MINUTE, _HOUR, _DAY = 1.0, 60.0, 3600.0, 86400.0
_YEAR = 365.25 * _DAY


class _Name(NamedTuple):
    """A unit's spelled-out name: a regex of its forms, matched case-insensitively (each form
    between top-level bars opens with a plain lower-case letter: units are looked up by it),
    and the singular that may follow "a" or "an" ("a gallon", "an ounce"), if it may."""

    pattern: str
    unit: Unit
    article: str | None = None


_NAMES: list[_Name] = [
    _Name(r"nanoseconds?", Unit("s", "duration", 1e-9)),
    _Name(r"microseconds?", Unit("s", "duration", 1e-6)),
    _Name(r"milliseconds?|msecs?", Unit("s", "duration", 1e-3)),
    _Name(r"seconds?|secs?", Unit("s", "duration", _SECOND)),
    _Name(r"minutes?|mins?", Unit("s", "duration", _MINUTE)),
    _Name(r"hours?|hrs?", Unit("s", "duration", _HOUR)),
    _Name(r"days?", Unit("s", "duration", _DAY)),
    _Name(r"weeks?'?|wks?", Unit("s", "duration", 7 * _DAY)),
    _Name(r"months?", Unit("s", "duration", _YEAR / 12)),
    _Name(r"years?|yrs?", Unit("s", "duration", _YEAR)),
    _Name(r"decades?", Unit("s", "duration", 10 * _YEAR)),
    _Name(r"centur(?:y|ies)", Unit("s", "duration", 100 * _YEAR)),
    _Name(r"megaannums?|megayears?", Unit("s", "duration", 1e6 * _YEAR)),
    _Name(r"gigaannums?|gigayears?", Unit("s", "duration", 1e9 * _YEAR)),
    _Name(r"bytes?", Unit("B", "measure", 1.0), r"byte"),
    _Name(r"kilobytes?", Unit("B", "measure", 1e3), r"kilobyte"),
    _Name(r"kibibytes?", Unit("B", "measure", 1024.0), r"kibibyte"),
    _Name(r"megabytes?", Unit("B", "measure", 1e6), r"megabyte"),
    _Name(r"mebibytes?", Unit("B", "measure", 1024.0**2)),
    _Name(r"gigabytes?", Unit("B", "measure", 1e9), r"gigabyte"),
    _Name(r"gibibytes?", Unit("B", "measure", 1024.0**3)),
    _Name(r"terabytes?", Unit("B", "measure", 1e12), r"terabyte"),
    _Name(r"petabytes?", Unit("B", "measure", 1e15)),
    _Name(r"exabytes?", Unit("B", "measure", 1e18)),
    _Name(r"bits?", Unit("B", "measure", 1 / 8)),
    _Name(r"tokens?", Unit("token", "measure", 1.0)),
    _Name(r"hertz", Unit("Hz", "measure", 1.0)),
    _Name(r"kilomet(?:er|re)s?", Unit("m", "measure", 1e3), r"kilomet(?:er|re)"),
    _Name(r"centimet(?:er|re)s?", Unit("m", "measure", 1e-2)),
    _Name(r"millimet(?:er|re)s?", Unit("m", "measure", 1e-3)),
    _Name(r"micromet(?:er|re)s?", Unit("m", "measure", 1e-6)),
    _Name(r"nanomet(?:er|re)s?", Unit("m", "measure", 1e-9)),
    _Name(r"picomet(?:er|re)s?", Unit("m", "measure", 1e-12)),
    _Name(r"attomet(?:er|re)s?", Unit("m", "measure", 1e-18)),
    _Name(r"met(?:er|re)s?", Unit("m", "measure", 1.0), r"met(?:er|re)"),
    _Name(r"miles?", Unit("m", "measure", 1609.344), r"mile"),
    _Name(r"inch(?:es)?", Unit("m", "measure", 0.0254), r"inch"),
    _Name(r"feet|foot", Unit("m", "measure", 0.3048)),
    _Name(r"yards?", Unit("m", "measure", 0.9144)),
    _Name(r"square\s+(?:kilomet(?:er|re)s?|miles?|met(?:er|re)s?)", Unit("m2", "measure", 1.0)),
    _Name(r"cubic\s+(?:kilomet(?:er|re)s?|met(?:er|re)s?|centimet(?:er|re)s?)", Unit("m3", "measure", 1.0)),
    _Name(r"pounds?\s+sterling|pence|penny|pennies", Unit("GBP", "money", 1.0), r"penny"),
    _Name(r"kilograms?", Unit("g", "measure", 1e3), r"kilogram"),
    _Name(r"milligrams?", Unit("g", "measure", 1e-3)),
    _Name(r"grams?", Unit("g", "measure", 1.0), r"gram"),
    _Name(r"tonnes?|tons?", Unit("g", "measure", 1e6), r"tonne|ton"),  # metric, as energy and climate figures mean it
    _Name(r"pounds?", Unit("g", "measure", 453.59237)),
    _Name(r"ounces?", Unit("g", "measure", 28.349523125), r"ounce"),
    _Name(r"millilit(?:er|re)s?", Unit("l", "measure", 1e-3)),
    _Name(r"centilit(?:er|re)s?", Unit("l", "measure", 1e-2)),
    _Name(r"lit(?:er|re)s?", Unit("l", "measure", 1.0), r"lit(?:er|re)"),
    _Name(r"gallons?", Unit("l", "measure", 3.785411784), r"gallon"),
    _Name(r"cups?", Unit("l", "measure", 0.2365882365)),
    _Name(r"tablespoons?", Unit("l", "measure", 0.01478676478125)),
    _Name(r"teaspoons?", Unit("l", "measure", 0.00492892159375)),
    _Name(r"pints?", Unit("l", "measure", 0.473176473)),
    _Name(r"quarts?", Unit("l", "measure", 0.946352946)),
    _Name(r"degrees?\s+(?:celsius|centigrade)", Unit("degC", "measure", 1.0)),
    _Name(r"degrees?\s+fahrenheit", Unit("degF", "measure", 1.0)),
    _Name(r"kelvins?", Unit("K", "measure", 1.0)),
    # energy before power: "megawatt-hours" is not "megawatt" and a stray "-hours"
    _Name(r"kilowatt[\s-]hours?", Unit("Wh", "measure", 1e3)),
    _Name(r"megawatt[\s-]hours?", Unit("Wh", "measure", 1e6)),
    _Name(r"gigawatt[\s-]hours?", Unit("Wh", "measure", 1e9)),
    _Name(r"watt[\s-]hours?", Unit("Wh", "measure", 1.0)),
    _Name(r"kilowatts?", Unit("W", "measure", 1e3)),
    _Name(r"megawatts?", Unit("W", "measure", 1e6)),
    _Name(r"gigawatts?", Unit("W", "measure", 1e9)),
    _Name(r"watts?", Unit("W", "measure", 1.0)),
    _Name(r"kilojoules?", Unit("J", "measure", 1e3)),
    _Name(r"megajoules?", Unit("J", "measure", 1e6)),
    _Name(r"joules?", Unit("J", "measure", 1.0)),
    _Name(r"us\s+dollars?|dollars?|bucks", Unit("USD", "money", 1.0), r"dollar"),
    _Name(r"cents?", Unit("USD", "money", 0.01), r"cent"),
    _Name(r"dimes?", Unit("USD", "money", 0.1), r"dime"),
    _Name(r"euros?", Unit("EUR", "money", 1.0), r"euro"),
    _Name(r"yen", Unit("JPY", "money", 1.0)),
]

# symbol forms: matched case-sensitively, longest first
_SYMBOLS: dict[str, Unit] = {
    "ns": Unit("s", "duration", 1e-9),
    "µs": Unit("s", "duration", 1e-6),
    "us": Unit("s", "duration", 1e-6),
    "ms": Unit("s", "duration", 1e-3),
    "s": Unit("s", "duration", 1.0),
    "sec": Unit("s", "duration", 1.0),
    "min": Unit("s", "duration", 60.0),
    "h": Unit("s", "duration", 3600.0),
    "hr": Unit("s", "duration", 3600.0),
    "hrs": Unit("s", "duration", 3600.0),
    "yr": Unit("s", "duration", _YEAR),
    "yrs": Unit("s", "duration", _YEAR),
    "Ma": Unit("s", "duration", 1e6 * _YEAR),
    "Ga": Unit("s", "duration", 1e9 * _YEAR),
    "B": Unit("B", "measure", 1.0),
    "KB": Unit("B", "measure", 1e3),
    "kB": Unit("B", "measure", 1e3),
    "MB": Unit("B", "measure", 1e6),
    "GB": Unit("B", "measure", 1e9),
    "TB": Unit("B", "measure", 1e12),
    "PB": Unit("B", "measure", 1e15),
    "EB": Unit("B", "measure", 1e18),
    "KiB": Unit("B", "measure", 1024.0),
    "MiB": Unit("B", "measure", 1024.0**2),
    "GiB": Unit("B", "measure", 1024.0**3),
    "TiB": Unit("B", "measure", 1024.0**4),
    "kb": Unit("B", "measure", 1e3 / 8),
    "Mb": Unit("B", "measure", 1e6 / 8),
    "Gb": Unit("B", "measure", 1e9 / 8),
    "kbps": Unit("B/s", "measure", 1e3 / 8),
    "Mbps": Unit("B/s", "measure", 1e6 / 8),
    "Gbps": Unit("B/s", "measure", 1e9 / 8),
    "Hz": Unit("Hz", "measure", 1.0),
    "kHz": Unit("Hz", "measure", 1e3),
    "MHz": Unit("Hz", "measure", 1e6),
    "GHz": Unit("Hz", "measure", 1e9),
    "nm": Unit("m", "measure", 1e-9),
    "pm": Unit("m", "measure", 1e-12),
    "am": Unit("m", "measure", 1e-18),
    "µm": Unit("m", "measure", 1e-6),
    "mm": Unit("m", "measure", 1e-3),
    "cm": Unit("m", "measure", 1e-2),
    "m": Unit("m", "measure", 1.0),
    "km": Unit("m", "measure", 1e3),
    "mi": Unit("m", "measure", 1609.344),
    "in": Unit("m", "measure", 0.0254),
    "ft": Unit("m", "measure", 0.3048),
    "m2": Unit("m2", "measure", 1.0),
    "km2": Unit("m2", "measure", 1e6),
    "km²": Unit("m2", "measure", 1e6),
    "km^2": Unit("m2", "measure", 1e6),
    "sq mi": Unit("m2", "measure", 2.589988e6),
    "m3": Unit("m3", "measure", 1.0),
    "km3": Unit("m3", "measure", 1e9),
    "km^3": Unit("m3", "measure", 1e9),
    "km³": Unit("m3", "measure", 1e9),
    "mg": Unit("g", "measure", 1e-3),
    "g": Unit("g", "measure", 1.0),
    "kg": Unit("g", "measure", 1e3),
    "t": Unit("g", "measure", 1e6),
    "lb": Unit("g", "measure", 453.59237),
    "lbs": Unit("g", "measure", 453.59237),
    "oz": Unit("g", "measure", 28.349523125),
    "tpd": Unit("g/d", "measure", 1e6),
    "L": Unit("l", "measure", 1.0),
    "l": Unit("l", "measure", 1.0),
    "ml": Unit("l", "measure", 1e-3),
    "mL": Unit("l", "measure", 1e-3),
    "cl": Unit("l", "measure", 1e-2),
    "gal": Unit("l", "measure", 3.785411784),
    "tbsp": Unit("l", "measure", 0.0147868),
    "tsp": Unit("l", "measure", 0.00492892),
    "cc": Unit("l", "measure", 1e-3),
    "°C": Unit("degC", "measure", 1.0),
    "° C": Unit("degC", "measure", 1.0),
    "°F": Unit("degF", "measure", 1.0),
    "eV": Unit("eV", "measure", 1.0),
    "keV": Unit("eV", "measure", 1e3),
    "MeV": Unit("eV", "measure", 1e6),
    "GeV": Unit("eV", "measure", 1e9),
    "TeV": Unit("eV", "measure", 1e12),
    "W": Unit("W", "measure", 1.0),
    "kW": Unit("W", "measure", 1e3),
    "MW": Unit("W", "measure", 1e6),
    "GW": Unit("W", "measure", 1e9),
    "Wh": Unit("Wh", "measure", 1.0),
    "kVA": Unit("VA", "measure", 1e3),
    "MVA": Unit("VA", "measure", 1e6),
    "kWh": Unit("Wh", "measure", 1e3),
    "MWh": Unit("Wh", "measure", 1e6),
    "GWh": Unit("Wh", "measure", 1e9),
    "J": Unit("J", "measure", 1.0),
    "kJ": Unit("J", "measure", 1e3),
    "Js": Unit("J*s", "measure", 1.0),
    "cds": Unit("cd*s", "measure", 1.0),
    "Gy": Unit("Gy", "measure", 1.0),
    "mGy": Unit("Gy", "measure", 1e-3),
    "Sv": Unit("Sv", "measure", 1.0),
    "mSv": Unit("Sv", "measure", 1e-3),
    "fb-1": Unit("fb^-1", "measure", 1.0),
    "fb−1": Unit("fb^-1", "measure", 1.0),
    "s-1": Unit("Hz", "measure", 1.0),
    "s−1": Unit("Hz", "measure", 1.0),
    "rpm": Unit("rpm", "measure", 1.0),
    "fps": Unit("fps", "measure", 1.0),
    "rps": Unit("rps", "measure", 1.0),
    "qps": Unit("qps", "measure", 1.0),
    "USD": Unit("USD", "money", 1.0),
    "EUR": Unit("EUR", "money", 1.0),
    "GBP": Unit("GBP", "money", 1.0),
}

# `in` and `am`/`pm` are English words far more often than units; they count only where
# nothing word-like follows ("2 in thick", "2.1 pm."), or, for those marked True, after a
# number with a decimal point and a space ("1.5 s feels broken") or before another figure
# ("96 s → 61 s").
_AMBIGUOUS_SYMBOLS = {
    **dict.fromkeys(("in", "am", "pm", "t", "l", "m", "g", "B", "W", "J", "L"), False),
    **dict.fromkeys(("h", "s"), True),
}


def _top_level_alternatives(pattern: str) -> list[str]:
    """'years?|yrs?' -> ['years?', 'yrs?']; a '|' inside a group stays."""
    forms, depth, start = [], 0, 0
    for at, char in enumerate(pattern):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "|" and depth == 0:
            forms.append(pattern[start:at])
            start = at + 1
    forms.append(pattern[start:])
    return forms


# each entry's spelled-out forms on their own, in table order; each opens with the lower-case
# letter it starts with, which `_can_start` relies on (a test holds the table to it)
_ENTRY_FORMS = [_top_level_alternatives(name.pattern) for name in _NAMES]
_NAME_FORMS = [form for forms in _ENTRY_FORMS for form in forms]


def _can_start(form: str, char: str) -> bool:
    """Whether a spelled-out unit form can match text starting with `char`. Any can, for a
    character that is not ASCII, since a case-blind "s" also takes "ſ"."""
    return not char.isascii() or form[0] == char.lower()


def match_unit(text: str, pos: int) -> re.Match[str] | None:
    """A unit written at `pos`: a name (any case, group `name`) or a symbol (exact case,
    group `symbol`), names tried first and each kind in table order."""
    return _units_starting_with(text[pos : pos + 1]).match(text, pos)


@lru_cache(maxsize=256)
def _units_starting_with(char: str) -> re.Pattern[str]:
    """The unit pattern cut down to the forms that can start with `char`.

    One pattern of every form is tried form by form at each position; forms that cannot
    start with `char` cannot match there, so leaving them out changes no match (the order
    of the rest is kept) and makes a miss cheap.
    """
    names = [name for name in _NAME_FORMS if _can_start(name, char)]
    symbols = [re.escape(s) for s in sorted(_SYMBOLS, key=len, reverse=True) if s.startswith(char)]
    alternatives = []
    if names:
        alternatives.append(rf"(?P<name>(?i:{'|'.join(names)}))\b")
    if symbols:
        alternatives.append(rf"(?P<symbol>{'|'.join(symbols)})(?![\w%°])")
    return re.compile("|".join(alternatives) or r"(?!)")


CURRENCY_SYMBOLS: dict[str, str] = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}


@lru_cache(maxsize=4096)
def lookup(surface: str) -> Unit | None:
    """The unit a matched surface form names, or None."""
    if surface in _SYMBOLS:
        return _SYMBOLS[surface]
    for (pattern, unit, _), forms in zip(_NAMES, _ENTRY_FORMS, strict=True):
        # only the entries that can start with its first character are compiled and tried
        if any(_can_start(form, surface[:1]) for form in forms) and _name_pattern(pattern).match(surface):
            return unit
    return None


@cache  # compiled when first needed, not at import: `check` starts sooner
def _name_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?i:{pattern})\Z")


def is_ambiguous(surface: str, after_decimal: bool = False) -> bool:
    """Whether a unit symbol may be a word here: `after_decimal`, the number before it has a
    decimal point (or leads on to another figure) and a space stands between them."""
    return surface in _AMBIGUOUS_SYMBOLS and not (after_decimal and _AMBIGUOUS_SYMBOLS[surface])


# the singular names that may follow "a" or "an": "a gallon", "a kilobyte"
ARTICLE_UNITS: str = "|".join(name.article for name in _NAMES if name.article)
# unit symbols that read as words ("ms", "kg", "GB"): never a content word of a subject
# (not those that are more often English words or abbreviations: "in", "am", "PM")
WORD_SYMBOLS: frozenset[str] = frozenset(
    symbol.lower() for symbol in _SYMBOLS if symbol.isalpha() and len(symbol) > 1 and symbol not in _AMBIGUOUS_SYMBOLS
)
