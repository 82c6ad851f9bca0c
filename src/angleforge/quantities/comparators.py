"""The words and symbols that bound or hedge a number: "<1%", "40%+", "up to 800ms",
"north of 40%", "90 minutes at most", "between 200 and 800ms"."""

from __future__ import annotations

import re

from angleforge.quantities.quantity import Comparator

# words that, just before a number, bound or hedge it; "<=" and ">=" are bounds that include
# the figure itself ("up to 70%", "at least 1.75"), "<" and ">" bounds that leave it out
# ("under 1%", "more than 35%")
_WORDS: dict[str, Comparator | None] = {
    "no more than": "<=",
    "never more than": "<=",
    "not more than": "<=",
    "no less than": ">=",
    "not less than": ">=",
    "as much as": "<=",
    "as many as": "<=",
    "as high as": "<=",
    "as long as": "<=",
    "as little as": ">=",
    "as few as": ">=",
    "as low as": ">=",
    "in excess of": ">",
    "less than": "<",
    "fewer than": "<",
    "at most": "<=",
    "up to": "<=",
    "capped at": "<=",
    "short of": "<",
    "shy of": "<",
    "south of": "<",
    "more than": ">",
    "greater than": ">",
    "at least": ">=",
    "upwards of": ">",
    "north of": ">",
    "close to": "~",
    "within": "<=",
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
_LAST_WORDS = frozenset(phrase.rsplit(None, 1)[-1] for phrase in _WORDS)
_WORD_IN_WINDOW_RE = re.compile(r"[^\s\x00][^\s\x00]*")  # opening on a set: the engine skips to it
_OPENINGS = "([{\"'“‘*_"  # what may open on a comparator word: a bracket, a quote, emphasis
_SYMBOLS: dict[str, Comparator] = {
    "<=": "<=",
    ">=": ">=",
    "<": "<",
    "≤": "<=",
    ">": ">",
    "≥": ">=",
    "~": "~",
    "≈": "~",
}
_SYMBOL_ENDS = frozenset(symbol[-1] for symbol in _SYMBOLS)
_AFTER_RE = re.compile(
    r"\+(?![/\d])|\s+or\s+(?P<more>more|above|higher|greater|over)\b"
    r"|\s+or\s+(?P<less>less|fewer|below|lower|under)\b"
    r"|\s+at\s+(?:the\s+)?(?:(?P<most>most)|least)\b"  # "90 minutes at most"
)


def before(text: str, start: int) -> tuple[int, Comparator | None, bool]:
    """A comparator or "between" that leads into the number at `start`: where it starts,
    the comparator, and whether it opens a range ("between", "from")."""
    window = text[max(0, start - 24) : start]
    stripped = window.rstrip()
    if stripped[-1:] in _SYMBOL_ENDS:
        for width in (2, 1):
            symbol = _SYMBOLS.get(stripped[-width:]) if len(stripped) >= width else None
            if symbol is not None:
                return start - len(window) + len(stripped) - width, symbol, False
    if stripped.endswith("-") and stripped[-4:-1].lower() == "sub":
        stripped = stripped[:-1]
    elif stripped == window:  # a comparator word is followed by a space or hyphen
        return start, None, False
    tail = stripped[-14:].rsplit(None, 1)
    if not tail or tail[-1].lower().lstrip(_OPENINGS) not in _LAST_WORDS:
        return start, None, False
    words = [(m.start(), m.group().lower()) for m in _WORD_IN_WINDOW_RE.finditer(stripped)][-3:]
    for count in (3, 2, 1):
        if len(words) < count:
            continue
        first = words[-count][0]
        if first == 0 and start > len(window):
            continue  # the window may have cut this phrase short
        phrase = " ".join(word for _, word in words[-count:])
        # an aside, a quote or emphasis may open on the phrase: "(under 1%)", "“up to 70%”", "**over 40%**"
        bare = phrase.lstrip(_OPENINGS)
        first += len(phrase) - len(bare)
        phrase = bare
        if phrase == "about" and len(words) > 1 and words[-2][1].lstrip(_OPENINGS) in _ABOUT_AS_PREPOSITION:
            return start, None, False  # "talks about $80B" is no estimate
        if phrase == "up to" and len(words) > 2 and words[-3][1].lstrip(_OPENINGS) in _ADDS_UP:
            return start, None, False  # "they add up to 500-1,600ms" is a total, not a bound
        if phrase in _WORDS:
            comparator = _WORDS[phrase]
            return start - len(window) + first, comparator, comparator is None
    return start, None, False


def after(text: str, end: int) -> tuple[int, Comparator] | None:
    """A comparator written after the number ending at `end` ("40%+", "3 or more",
    "90 minutes at most"): where it ends, and the comparator."""
    if not text.startswith(("+", " or ", " at "), end):
        return None
    found = _AFTER_RE.match(text, end)
    if found is None:
        return None
    if found.group().startswith("+"):
        return found.end(), ">"
    return found.end(), ("<=" if found.group("less") or found.group("most") else ">=")
