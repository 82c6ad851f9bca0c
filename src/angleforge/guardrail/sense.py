"""Which way a figure's clause points: up or down, longer or shorter, kept or lost, failing or
succeeding, then or now, and what it denies.

"40%+ of projects will fail" and "will succeed" share the number and every subject word; only
these words tell them apart. A clause's sense is read from its words (the figures in it left
out), and a draft's figure contradicts its claim where both say something on one axis and say
opposite things, or where one denies what the other affirms ("89% don't have it in
production" against "already have it").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from angleforge import terms
from angleforge.subjects import Sentence, clause_breaks

# words on each axis: (the axis, what its two ends are called), then the words of each end
_AXES: tuple[tuple[str, tuple[str, str], frozenset[str], frozenset[str]], ...] = (
    (
        "direction",
        ("up", "down"),
        frozenset(
            "rise rises rose risen rising grow grows grew grown growing growth increase increased increases "
            "increasing climb climbed climbs jump jumped jumps gain gained gains surge surged soar soared higher "
            "more raise raised raises boost boosted expand expanded exceed exceeded exceeds greater bigger larger "
            "worse up above".split()
        ),
        frozenset(
            "fall falls fell fallen falling drop drops dropped dropping decline declined declines declining "
            "decrease decreased decreases decreasing shrink shrank shrunk cut cuts lower less fewer reduce reduced "
            "reduces reduction slash slashed plunge plunged plummeted slid slipped smaller save saved saves saving "
            "savings down below".split()
        ),
    ),
    (
        "duration",
        ("longer", "shorter"),
        frozenset("longer slower later delayed delay delays".split()),
        frozenset("shorter faster sooner quicker earlier".split()),
    ),
    (
        "retention",
        ("kept", "lost"),
        frozenset("retain retains retained keep keeps kept hold holds held active".split()),
        frozenset("lose loses lost losing stop stops stopped quit quits abandon abandoned churn churned".split()),
    ),
    (
        "outcome",
        ("fail", "succeed"),
        frozenset("fail fails failed failing failure failures broken break breaks collapse collapsed".split()),
        frozenset("succeed succeeds succeeded success successful successes thrive thrives".split()),
    ),
    (
        # what the figure's subject is said to do more or less of: "create more work than they save"
        "comparison",
        ("more", "less"),
        frozenset("more greater higher bigger larger".split()),
        frozenset("less fewer lower smaller".split()),
    ),
    (
        "time",
        ("in the past", "now"),
        frozenset("ago previously formerly".split()),
        frozenset("now today currently nowadays presently still".split()),
    ),
)  # fmt: skip


def _sides_of_words() -> dict[str, list[tuple[str, int]]]:
    """The axes each word takes a side on, and which: +1 for the axis's first end, -1 for its second."""
    sides: dict[str, list[tuple[str, int]]] = {}
    for axis, _, first, second in _AXES:
        for side, words in ((1, first), (-1, second)):
            for word in words:
                sides.setdefault(word, []).append((axis, side))
    return sides


_SIDES = _sides_of_words()
_COMPARATIVES = frozenset(word for axis, _, first, second in _AXES if axis == "comparison" for word in first | second)
# by axis and side, the words that take the other side
_OTHER_SIDE: dict[tuple[str, int], frozenset[str]] = {
    (axis, side): words for axis, _, first, second in _AXES for side, words in ((1, second), (-1, first))
}


def may_differ(claim: Sense, sentence: Sentence) -> bool:
    """Whether a draft sentence could say of a figure the other way round from its claim: the
    claim denies something, or the sentence does, or it holds a word on the other side of an
    axis the claim takes a side on. Far cheaper than reading the sentence's sense, and most
    sentences do none of this."""
    if claim.negated:
        return True
    words, text = sentence.words, sentence.text
    if not words.isdisjoint(_NEGATIONS) or "n't" in text or "n’t" in text or "N'T" in text or "N’T" in text:
        return True
    return any(not words.isdisjoint(_OTHER_SIDE[way]) for way in claim.ways)


# "up"/"down" point a way only before a figure or a change word: "up 63%", "down from", not "hang up"
_DIRECTION_ADVERBS = frozenset({"up", "down", "above", "below"})
_BEFORE_A_CHANGE = frozenset("# from to by on over than nearly almost about another".split())
# verbs whose "up" or "down" is part of the verb: "hang up 40% more often"
_PHRASAL = frozenset(
    "hang set pick sign show end back look make shut turn give catch hold keep sum add pay wind fill".split()
)
_NEGATIONS = frozenset(
    "not no never none without nobody nothing lack lacks lacked lacking refuse refused refuses refusing cannot".split()
)
_SKIPPED_AFTER_NEGATION = frozenset("a an the any to do does did be been being is are was were yet even".split())
# verbs whose past form a stemmer cannot reach
_IRREGULAR = {"paid": "pay", "made": "make", "found": "find", "kept": "keep", "held": "hold", "lost": "lose"}
_TOKEN_RE = re.compile(r"#|[a-z]+(?:['’][a-z]+)?")


@dataclass(frozen=True, slots=True)
class Sense:
    """What one figure's clause says besides its subject."""

    ways: tuple[tuple[str, int], ...]  # (axis, +1 or -1) for each axis the clause takes a side on
    negated: bool  # it holds an odd number of denials: "no unit ... without a COP" affirms
    denied: frozenset[str]  # what the clause denies ("have" of "don't have", "formal" of "no formal")
    affirmed: frozenset[str]  # its other words, said without a denial


def sense_of(
    sentence: str, span: tuple[int, int], others: Iterable[tuple[int, int]] = (), years: Iterable[tuple[int, int]] = ()
) -> Sense:
    """The sense of the clause of `sentence` holding the figure at `span`, up to the figures
    beside it (`others`, their spans): in "dropped from 70 minutes to 33 with an assistant" the
    assistant is the 33's. A clause beside it that holds no figure says something of it too
    ("Even with an assistant, unit tests took 95 minutes"). The spans of its `years` are left
    out like the figure itself."""
    start, end = span
    others = list(others)
    breaks = clause_breaks(sentence)
    fences = [*breaks, *others]
    low = max((stop for begin, stop in fences if stop <= start), default=0)
    high = min((begin for begin, stop in fences if begin >= end), default=len(sentence))
    # the clauses on either side, where a clause break (not another figure) parts them from it
    before = max((b for b, e in breaks if e == low), default=None)
    after = next((e for b, e in breaks if b == high), None)
    regions = [(low, high)]
    if before is not None:
        begin = max((e for _, e in breaks if e <= before), default=0)
        if not any(begin <= o[0] < before for o in others):
            regions.append((begin, before))
    if after is not None:
        stop = min((b for b, _ in breaks if b >= after), default=len(sentence))
        if not any(after <= o[0] < stop for o in others):
            regions.append((after, stop))
    own, *beside = (_read(_tokens(sentence, region, [span, *years])) for region in regions)
    if not beside:
        return own
    # its own clause says which way it points and whether it denies; a clause beside it, only
    # on an axis its own is silent on, and what else it affirms
    axes = {axis for axis, _ in own.ways}
    ways = [*own.ways, *(way for sense in beside for way in sense.ways if way[0] not in axes)]
    affirmed = own.affirmed.union(*(sense.affirmed for sense in beside)) - own.denied
    return Sense(tuple(ways), own.negated, own.denied, affirmed)


def _tokens(sentence: str, region: tuple[int, int], figures: list[tuple[int, int]]) -> list[str]:
    """The words of `region` of the sentence, each figure in it read as "#"."""
    low, high = region
    pieces: list[str] = []
    done = low
    for begin, stop in sorted(x for x in figures if low <= x[0] and x[1] <= high):
        pieces += (sentence[done:begin], " # ")
        done = stop
    pieces.append(sentence[done:high])
    return _TOKEN_RE.findall("".join(pieces).lower().replace("’", "'"))


def _read(tokens: list[str]) -> Sense:
    sides: dict[str, set[int]] = {}  # by axis, the sides its words take
    denied: set[str] = set()
    affirmed: set[str] = set()
    negated_until = -1
    denials = 0
    compared = False  # past "than": what the figure is weighed against takes no side
    for at, token in enumerate(tokens):
        if token == "than":
            compared = True
        elif not compared:
            comparing = token in _COMPARATIVES and _compares(tokens, at)
            for axis, side in _SIDES.get(token, ()):
                if (axis == "comparison") != comparing:
                    continue  # "40% more than" moves the figure; "more work than they save" compares
                if token not in _DIRECTION_ADVERBS or _before_a_change(tokens, at):
                    sides.setdefault(axis, set()).add(side)
        if token in _NEGATIONS or token.endswith("n't"):
            denials += 1
            negated_until = at + 4
            if token.endswith("n't") and token[:-3] in ("have", "has", "had"):
                # "haven't put": the verb that follows is the one denied
                continue
            head = _head(tokens, at)
            if head:
                denied.add(head)
            continue
        word = _word(token)
        if word and at > negated_until:
            affirmed.add(word)
    ways = tuple((axis, next(iter(sides[axis]))) for axis, *_ in _AXES if len(sides.get(axis, ())) == 1)
    return Sense(ways, denials % 2 == 1, frozenset(denied), frozenset(affirmed - denied))


def _compares(tokens: list[str], at: int) -> bool:
    """Whether the comparative at `at` weighs the subject against something ("create more work
    than they save") rather than following the figure ("40% more often than")."""
    return "than" in tokens[at + 1 : at + 5] and (at == 0 or tokens[at - 1] != "#")


def _before_a_change(tokens: list[str], at: int) -> bool:
    """Whether "up", "down", "above" or "below" at `at` points a way: before a figure or a
    change word ("up 63%", "down from"), and "above" or "below" before what it is measured
    against too ("ran below break-even")."""
    if at + 1 >= len(tokens) or (at and tokens[at - 1] in _PHRASAL):
        return False
    return tokens[at + 1] in _BEFORE_A_CHANGE or tokens[at] in ("above", "below")


def _head(tokens: list[str], at: int) -> str:
    """The word a negation at `at` denies: the next one that is not an article or auxiliary."""
    for token in tokens[at + 1 : at + 4]:
        if token in _SKIPPED_AFTER_NEGATION or token == "#":
            continue
        return _word(token) or token
    return ""


def _word(token: str) -> str:
    token = _IRREGULAR.get(token, token)
    return terms.term(token) or (token if token in ("have", "has", "had") else "")


def reversal(draft: Sense, claim: Sense) -> str | None:
    """What the draft's clause says the other way round from its claim's, if anything: "says
    down, not up", "denies have"."""
    claimed = dict(claim.ways)
    for axis, side in draft.ways:
        if claimed.get(axis, side) != side:
            names = next(names for name, names, _, _ in _AXES if name == axis)
            said, not_said = (names[0], names[1]) if claimed[axis] > 0 else (names[1], names[0])
            return f"{said}, not {not_said}"
    if draft.negated == claim.negated:
        return None  # "don't even have a formal strategy" for "have no formal strategy"
    if denied := sorted(claim.denied & draft.affirmed):
        return f"not {denied[0]}, where the draft says {denied[0]}"
    if denied := sorted(draft.denied & claim.affirmed):
        return f"{denied[0]}, where the draft says not {denied[0]}"
    return None


def opposite(draft: Sense, claim: Sense) -> bool:
    """Whether the draft's clause says the other side of its claim's: one denies, the other
    does not, or they point opposite ways ("19% were less happy" of "81% were more satisfied")."""
    claimed, said = _more_or_less(claim.ways), _more_or_less(draft.ways)
    return draft.negated != claim.negated or any(claimed.get(axis, side) != side for axis, side in said.items())


def _more_or_less(ways: tuple[tuple[str, int], ...]) -> dict[str, int]:
    """The sides a clause takes, where a comparison stands for a direction it does not give:
    "19% were less happy" is the other side of "81% were as or more satisfied than"."""
    sides = dict(ways)
    if "comparison" in sides and "direction" not in sides:
        sides["direction"] = sides.pop("comparison")
    return sides
