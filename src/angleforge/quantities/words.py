"""Numbers written in words: "forty-two", "a dozen", "two and a half", "a third of".

The vocabulary, the patterns that find it, and the value of a phrase. `terms` takes its
number words from here, so a spelled number is never a content word of a subject.
"""

from __future__ import annotations

import re

from angleforge import patterns
from angleforge.quantities import units

SMALL = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
}
TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
TENS["fourty"] = 40
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
FRACTIONS = {
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

# the words that say a number (a subject is never made of them)
NUMBER_WORDS = frozenset({*SMALL, *(w for w in TENS if w != "fourty"), "hundred", *SCALES, "half", "quarter", "dozen"})

_AND_UNITS = rf"(?:-(?:{'|'.join(SMALL)}))?"  # "-two" of "forty-two"
WORD = (
    rf"(?:{'|'.join(TENS)}){_AND_UNITS}|{'|'.join(SMALL)}"
    rf"|hundred|{'|'.join(SCALES)}|dozen"
)
FRACTION_WORD = "|".join(sorted(FRACTIONS, key=len, reverse=True))
WORD_SEQUENCE = (
    rf"(?:{WORD})(?:(?:\s+|-)(?:{WORD})(?![\w'])|(?:\s+|-)(?:{FRACTION_WORD})\b"
    rf"|\s+and\s+an?\s+(?:{FRACTION_WORD})\b)*"
)
ARTICLE_NUMBER = r"an?\s+(?:hundred|thousand|million|billion|dozen|gross|half|square\s+dozen)"
BAKERS_DOZEN = r"(?:an?\s+)?baker's\s+dozen"
# a run of words that makes a large number, where spelled small counts are rhetoric
LARGE_WORDS_RE = re.compile(r"(?i)hundred|thousand|million|billion|trillion|dozen|gross")

# where a spelled-out statistic may start, searched in the lower-cased text
_AFTER_ARTICLE = rf"\s+(?:hundred|thousand|million|billion|dozen|gross|half|square|baker's|{units.ARTICLE_UNITS})\b"
_WORD_START = rf"{WORD}|an?{_AFTER_ARTICLE}|baker's|absolute\s+zero"
# the same, its words factored by their first letters (`patterns.alternation`)
_WORD_START_FACTORED = patterns.alternation(
    {
        **dict.fromkeys(TENS, _AND_UNITS),
        **dict.fromkeys((*SMALL, "hundred", *SCALES, "dozen", "baker's"), ""),
        "a": f"n?{_AFTER_ARTICLE}",
        "absolute": r"\s+zero",
    }
)
_WORD_FIRST_LETTERS = "".join(
    sorted({w[0] for w in (*SMALL, *TENS, *SCALES, "hundred", "dozen", "an", "baker's", "absolute")})
)
# `\b(?:{_WORD_START})`, tried at every position, took a sixth of extraction. Led by the class of
# letters those words start with instead, the regex engine skips from one such letter to the
# next; there it steps back over the letter to test for a word's start and the words
# themselves (the group `words`). It also finds words inside another's match (the "two" of
# "forty-two"), which a scan would not: `word_starts` leaves those out.
_WORD_START_RE = re.compile(rf"[{_WORD_FIRST_LETTERS}](?<=\b(?=(?P<words>{_WORD_START_FACTORED})).)")


def word_starts(lower: str) -> list[int]:
    """Where `\\b(?:{_WORD_START})` matches in `lower`, one match not inside another."""
    starts: list[int] = []
    done = 0
    for match in _WORD_START_RE.finditer(lower):
        if match.start() >= done:
            starts.append(match.start())
            done = match.end("words")
    return starts


def value(phrase: str) -> float:
    """The number a phrase of number words says: "forty-two", "two and a half", "a dozen"."""
    total, current, previous = 0.0, 0.0, ""
    for word in re.findall(r"[a-z']+", phrase.lower()):
        if word in SMALL:
            current += SMALL[word]
        elif word in TENS:
            current += TENS[word]
        elif word == "hundred":
            current = (current or 1.0) * 100
        elif word in SCALES:
            total += (current or 1.0) * SCALES[word]
            current = 0.0
        elif word in _GROUPS:
            current = (current or 1.0) * _GROUPS[word]
        elif word == "baker's":
            current = (current or 1.0) * 13 / 12  # the dozen that follows makes it 13
        elif word in FRACTIONS:
            denominator = FRACTIONS[word]
            if previous in ("a", "an") and current:
                current += 1 / denominator
            else:
                current = (current or 1.0) / denominator
        previous = word
    return total + current


# Figures said in words alone, looked for where one of these stands in the text:
# "a third of organizations", "half of all calls", "two-thirds of agents": a share of a counted
# group is a percentage (33.3%, not 35%), where "half of the problem" counts nothing; and
# "doubled", "tripled", "quadrupled" are multipliers ("doubled down" is none)
FIGURE_HINTS = ("half", "third", "quarter", "fifth", "doubled", "tripled", "quadrupled")
SHARE_RE = re.compile(
    r"(?i)(?<!and\s)(?<!and\sa\s)\b(?P<share>(?:an?|one|two|three|four)[\s-]+(?:thirds?|quarters?|fifths?)"
    r"|(?:a\s+|one\s+)?half)\s+of\s+"
    r"(?:the\s+|all\s+|our\s+|their\s+|these\s+|those\s+)?(?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*[^s\W]s\b"
)
TIMES_RE = re.compile(r"(?i)\b(?:doubled|tripled|quadrupled)\b(?!\s+down)")
TIMES = {"doubled": 2.0, "tripled": 3.0, "quadrupled": 4.0}
