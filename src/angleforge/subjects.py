"""What a sentence talks about, and how close two sentences' subjects are.

A statistic's subject is read from the words around it: the clause it sits in counts fully,
the rest of its sentence half, each word weighted by how rare it is in the knowledge base
(a word every claim uses says little). Where the sentence says what the number counts
("40% of <agentic AI projects>", "16 <metrics>"), those words are kept apart: they must
appear where the claim is made.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from angleforge import terms

_CLAUSE_RE = re.compile(r"[,;:()\[\]—–]|\s-\s|\s(?:and|but|while|whereas|because)\s|\.\s")
_COUNTED_RE = re.compile(
    r"\s+(?:of\s+(?:the\s+|all\s+|those\s+|these\s+|our\s+|your\s+|their\s+|its\s+)?)?"
    r"(?:(?:different|distinct|separate|new|key|major|other|unique)\s+)?"
    r"(?P<words>[A-Za-z][\w'’-]*(?:\s+[A-Za-z][\w'’-]*){0,2})"
)
_OF_RE = re.compile(r"\s+of\s")
COUNTING_KINDS = ("percent", "ratio", "count")
# how far from a statistic its subject is looked for, in characters, each way
_REACH = 400
# a sentence whose unknown words outweigh this share of it talks about something else
FOREIGN_SHARE = 0.5


class Subject:
    """The weighted content words around one statistic (or of one whole claim)."""

    __slots__ = ("clause", "clause_total", "counted", "sentence", "sentence_total")

    def __init__(self, clause: dict[str, float], sentence: dict[str, float], counted: frozenset[str]) -> None:
        self.clause = clause
        self.sentence = sentence
        self.counted = counted
        self.clause_total = sum(clause.values())
        self.sentence_total = sum(sentence.values())


def nearby(sentence: str, span: tuple[int, int]) -> frozenset[str]:
    """The content words among the three words each side of the statistic at `span`: which
    of a claim's numbers a draft quotes ("Advertised 600ms latency" is the claim's 600ms)."""
    sentence, (start, end) = _window(sentence, span)
    return frozenset(
        terms.content_terms(" ".join(sentence[:start].rsplit(None, 3)[-3:]))
        + terms.content_terms(" ".join(sentence[end:].split(None, 3)[:3]))
    )


def _window(sentence: str, span: tuple[int, int]) -> tuple[str, tuple[int, int]]:
    """A huge "sentence" cut to the words within reach of `span`, with the span moved along."""
    start, end = span
    if len(sentence) <= 2 * _REACH:
        return sentence, span
    left = max(0, start - _REACH)
    return sentence[left : end + _REACH], (start - left, end - left)


class SubjectModel:
    """Word rarities learnt from the knowledge base's claims."""

    def __init__(self, documents: Iterable[str], vocabulary: Iterable[str] = ()) -> None:
        frequency: Counter[str] = Counter()
        count = 0
        for document in documents:
            frequency.update(set(terms.content_terms(document)))
            count += 1
        count = max(count, 1)
        self._idf = {term: math.log(1 + count / n) for term, n in frequency.items()}
        self._unknown = math.log(1 + count)
        known = set(frequency)
        for text in vocabulary:
            known.update(terms.content_terms(text))
        self._vocabulary = frozenset(known)
        self._start_cache()

    def _start_cache(self) -> None:
        # the same words recur across a draft's statistics: weigh each list of them once
        self._weights = lru_cache(maxsize=4096)(self._weigh)

    def __getstate__(self) -> dict[str, object]:
        state = self.__dict__.copy()
        del state["_weights"]  # a cache is rebuilt, not stored
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._start_cache()

    def _weigh(self, words: tuple[str, ...]) -> dict[str, float]:
        return {t: self.weight(t) for t in words}

    def weight(self, term: str) -> float:
        return self._idf.get(term, self._unknown)

    def around(self, sentence: str, span: tuple[int, int] | None = None, kind: str = "", extra: str = "") -> Subject:
        """The subject of the statistic at `span` of `sentence` (or of the whole sentence)."""
        clause_terms: tuple[str, ...] = ()
        counted: frozenset[str] = frozenset()
        if span is not None:
            sentence, (start, end) = _window(sentence, span)
            # the statistic's own words ("seconds", "percent") say nothing of its subject
            sentence = f"{sentence[:start]}{' ' * (end - start)}{sentence[end:]}"
            boundaries = [m.end() for m in _CLAUSE_RE.finditer(sentence, 0, start)]
            right = _CLAUSE_RE.search(sentence, end)
            stop = right.start() if right else len(sentence)
            # a clause of bare numbers borrows its neighbour's words: the label before it
            # ("Telephony paths: 200-500ms"), else what follows ("Above 800ms, calls feel ...")
            for begin in (*reversed(boundaries), 0):
                clause_terms = terms.content_terms(sentence[begin:stop])
                if clause_terms:
                    break
            if not clause_terms and right is not None:
                following = _CLAUSE_RE.search(sentence, right.end())
                clause_terms = terms.content_terms(sentence[begin : following.start() if following else len(sentence)])
            if kind in COUNTING_KINDS:
                counted = self._counted(sentence, end, kind)
        sentence_terms = terms.content_terms(f"{sentence} {extra}" if extra else sentence)
        return Subject(self._weights(clause_terms), self._weights(sentence_terms), counted)

    @staticmethod
    def _counted(sentence: str, end: int, kind: str) -> frozenset[str]:
        if kind == "percent" and not _OF_RE.match(sentence, end):
            return frozenset()  # "hang up 40% more often" counts nothing
        match = _COUNTED_RE.match(sentence, end)
        if match is None:
            return frozenset()
        words: list[str] = []
        for word in match.group("words").split():
            found = terms.content_terms(word)
            if not found:
                break
            words.extend(found)
        return frozenset(words)

    @staticmethod
    def similarity(draft: Subject, claim: Subject) -> float:
        """How much of the claim's subject the draft repeats (0..1), by its clause or sentence."""
        best = 0.0
        near = draft.clause
        for part, total in ((claim.clause, claim.clause_total), (claim.sentence, claim.sentence_total)):
            if total:
                common = part.keys() & draft.sentence.keys()
                if common:
                    shared = sum(part[t] * (1.0 if t in near else 0.5) for t in common)
                    best = max(best, shared / total)
        return best

    def foreign(self, draft: Subject) -> bool:
        """Whether the sentence is mostly about things the knowledge base never mentions:
        at least two unknown words, weighing more than the known ones."""
        unknown = [t for t in draft.sentence if t not in self._vocabulary]
        if len(unknown) < 2:
            return False
        weight = sum(draft.sentence[t] for t in unknown)
        return weight > draft.sentence_total * FOREIGN_SHARE

    def rarest(self, words: frozenset[str]) -> str:
        """The most telling word: 'budget' in 'contact center budgets'."""
        return max(sorted(words), key=self.weight)
