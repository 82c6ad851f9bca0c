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
from bisect import bisect_left
from collections import Counter
from collections.abc import Container, Iterable
from functools import lru_cache

from angleforge import terms

# what parts a clause from the next: a comma (not a thousands separator between digits), a
# semicolon, colon, bracket or dash, a space before "and", "but" ..., a stop before a space.
# A pattern searched through whole sentences opens on one set of the characters it needs, each
# branch then checking which it found, which lets the regex engine skip to the places it can match.
# After a space, the joining words are tried first, each by its first letter, and only a word
# found looks back for the space: most spaces are then passed over with one look back, not four
_JOINS = "|".join(rf"{word}(?<=\s{word})\s" for word in ("-", "and", "but", "while", "whereas", "because"))
CLAUSE_RE = re.compile(
    rf"[,;:()\[\]—–.\s](?:{_JOINS}"
    r"|(?<=[,;:()\[\]—–.])(?:(?<=,)(?:(?<!\d,)|(?!\d))|(?<=[;:()\[\]—–])|(?<=\.)\s))"
)
_COUNTED_RE = re.compile(
    r"\s+(?:of\s+(?:the\s+|all\s+|those\s+|these\s+|our\s+|your\s+|their\s+|its\s+)?)?"
    r"(?:(?:different|distinct|separate|new|key|major|other|unique)\s+)?"
    r"(?P<words>[A-Za-z][\w'’-]*(?:\s+[A-Za-z][\w'’-]*){0,4})"
)
_OF_RE = re.compile(r"\s+of\s")
_PAUSE_RE = re.compile(r",(?:(?<!\d,)|(?!\d))|[:;]")
# what joins two clauses, past which the words beside a statistic no longer describe it
_JOIN_RE = re.compile(r"\s(?:and|but|while|whereas|vs\.?|versus|then)\s|;|→")
# plurals without an "s", which end what a number counts as a plural does
_IRREGULAR_PLURALS = frozenset("people staff children men women personnel data media criteria".split())
COUNTING_KINDS = ("percent", "ratio", "count")
# how far from a statistic its subject is looked for, in characters, each way
_REACH = 400
# a sentence whose unknown words outweigh this share of it talks about something else
FOREIGN_SHARE = 0.5
# a claim's subject agrees with a draft sentence when the rarity-weighted share of the claim's
# content words that the sentence repeats reaches this; another claim "clearly" fits better
# when it reaches RIVAL_FITS and beats the claim in question by RIVAL_MARGIN
SUBJECT_AGREES = 0.3
RIVAL_FITS = 0.45
RIVAL_MARGIN = 0.25


class Subject:
    """The weighted content words around one statistic (or of one whole sentence)."""

    __slots__ = ("clause", "counted", "sentence")

    def __init__(self, clause: dict[str, float], sentence: dict[str, float], counted: tuple[str, ...]) -> None:
        self.clause = clause
        self.sentence = sentence
        self.counted = counted


class ClaimSubject(Subject):
    """The subject of a claim, or of one statistic of it, with the total weight of its clause's
    and of its sentence's words, which `similarity` divides by. Summed once, as the knowledge
    base is indexed: a draft's subject is weighed against claims but never divided by, and
    summing it too cost a draft's check 2%."""

    __slots__ = ("clause_total", "sentence_total")

    def __init__(self, clause: dict[str, float], sentence: dict[str, float], counted: tuple[str, ...]) -> None:
        super().__init__(clause, sentence, counted)
        self.clause_total = sum(clause.values())
        self.sentence_total = sum(sentence.values())

    @classmethod
    def of(cls, subject: Subject) -> ClaimSubject:
        return cls(subject.clause, subject.sentence, subject.counted)


@lru_cache(maxsize=1024)  # a sentence's subject and the sense of each of its figures ask
def clause_breaks(sentence: str) -> tuple[tuple[int, int], ...]:
    """Where `sentence` parts one clause from the next (`CLAUSE_RE`), as spans."""
    return tuple(map(re.Match.span, CLAUSE_RE.finditer(sentence)))


def continued(own: Subject, lead: Subject) -> Subject:
    """The subject of a statistic whose sentence continues `lead` (the line introducing its
    list, the sentence before it in its post): its own words, and the lead's as further words of
    its sentence, which count half."""
    return Subject(own.clause, {**lead.sentence, **own.sentence}, own.counted)


def nearby(
    sentence: str, span: tuple[int, int], fences: Iterable[tuple[int, int]] = (), reach: int = 6
) -> frozenset[str]:
    """The content words among the `reach` words each side of the statistic at `span`, not past
    another statistic of the sentence (the spans `fences`), nor past a comma or colon before one, nor a
    word that joins two clauses ("and", "but", ";"): which of a claim's numbers a draft quotes
    ("Advertised 600ms latency" is the claim's 600ms; in "advertised 600ms becomes
    800-1,000ms", "advertised" is beside the 600ms only; in "a 30% base rate, up to 70% with
    bonuses", "base rate" is the 30%'s; in "air-source units averaged 3.4 and ground-source
    units 4.3", "ground-source" is beside the 4.3 only)."""
    start, end = span
    figures = list(fences)
    before: int | None = max((stop for _, stop in figures if stop <= start), default=None)
    after: int | None = min((begin for begin, _ in figures if begin >= end), default=None)
    joins = [m.span() for m in _JOIN_RE.finditer(sentence)]
    joined = max((stop for _, stop in joins if stop <= start), default=0)
    if before is not None and joined > before:
        before = None  # past a join, what precedes a pause is this figure's: "...; specialists edited the most, at 81%"
    low = before if before is None else max([before, *(m.end() for m in _PAUSE_RE.finditer(sentence, before, start))])
    high = after if after is None else min([after, *(m.start() for m in _PAUSE_RE.finditer(sentence, end, after))])
    low = max([low or 0, joined])
    high = min([len(sentence) if high is None else high, *(begin for begin, _ in joins if begin >= end)])
    sentence, (start, end) = _window(sentence[low:high], (start - low, end - low))
    return frozenset(
        terms.content_terms(" ".join(sentence[:start].rsplit(None, reach)[-reach:]))
        + terms.content_terms(" ".join(sentence[end:].split(None, reach)[:reach]))
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
        idf, unknown = self._idf, self._unknown
        return {t: idf.get(t, unknown) for t in words}

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every content word the knowledge base uses."""
        return self._vocabulary

    def weight(self, term: str) -> float:
        return self._idf.get(term, self._unknown)

    def around(self, sentence: str, span: tuple[int, int] | None = None, kind: str = "", extra: str = "") -> Subject:
        """The subject of the statistic at `span` of `sentence` (or of the whole sentence)."""
        clause_terms: tuple[str, ...] = ()
        counted: tuple[str, ...] = ()
        if span is not None:
            sentence, (start, end) = _window(sentence, span)
            # the statistic's own words ("seconds", "percent") say nothing of its subject
            sentence = f"{sentence[:start]}{' ' * (end - start)}{sentence[end:]}"
            boundaries = [m.end() for m in CLAUSE_RE.finditer(sentence, 0, start)]
            right = CLAUSE_RE.search(sentence, end)
            stop = right.start() if right else len(sentence)
            # a clause of bare numbers borrows its neighbour's words: the label before it
            # ("Telephony paths: 200-500ms"), else what follows ("Above 800ms, calls feel ...")
            for begin in (*reversed(boundaries), 0):
                clause_terms = terms.content_terms(sentence[begin:stop])
                if clause_terms:
                    break
            if not clause_terms and right is not None:
                following = CLAUSE_RE.search(sentence, right.end())
                clause_terms = terms.content_terms(sentence[begin : following.start() if following else len(sentence)])
            if kind in COUNTING_KINDS:
                counted = self._counted(sentence, end, kind)
        sentence_terms = terms.content_terms(f"{sentence} {extra}" if extra else sentence)
        return Subject(self._weights(clause_terms), self._weights(sentence_terms), counted)

    def read(self, sentence: str) -> Sentence:
        """`sentence` read once, for the subjects of the statistics in it."""
        return Sentence(self, sentence)

    def counted(self, sentence: str, end: int, kind: str) -> tuple[str, ...]:
        """What the number ending at `end` of `sentence` counts, if it counts something."""
        return self._counted(sentence, end, kind) if kind in COUNTING_KINDS else ()

    @staticmethod
    def _counted(sentence: str, end: int, kind: str) -> tuple[str, ...]:
        """What the number ending at `end` counts, in order, its head noun last: "40% of agentic
        AI projects", "16 metrics | came out tied", "4,200 people | finished"."""
        if kind == "percent" and not _OF_RE.match(sentence, end):
            return ()  # "hang up 40% more often" counts nothing
        match = _COUNTED_RE.match(sentence, end)
        if match is None:
            return ()
        words: list[str] = []
        for index, word in enumerate(match.group("words").split()):
            lower = word.lower()
            if index and lower.endswith(("ed", "ing")):
                break  # a verb ends what is counted: "4,200 people | completed"
            found = terms.content_terms(word)
            if not found:
                break
            words.extend(found)
            if (len(word) > 3 and lower.endswith("s") and not lower.endswith("ss")) or lower in _IRREGULAR_PLURALS:
                break  # the plural ends what is counted: "16 metrics | came out tied"
        return tuple(words)

    @staticmethod
    def similarity(draft: Subject, claim: ClaimSubject, strict: bool = False) -> float:
        """How much of the claim's subject the draft repeats (0..1), by its clause or sentence;
        `strict`, by its sentence alone where its clause is one word, which says too little to
        fit a sentence whole ("41% of cases"), the draft's sentence then counting whole."""
        best = 0.0
        near: Container[str] = draft.clause
        words = draft.sentence
        clause = claim.clause
        if strict and len(clause) < 2:
            near = words
        elif claim.clause_total and not clause.keys().isdisjoint(words):  # most claims share no word
            best = _shared(clause, words, near) / claim.clause_total
        if claim.sentence_total and not claim.sentence.keys().isdisjoint(words):
            best = max(best, _shared(claim.sentence, words, near) / claim.sentence_total)
        # rounded to 9 places (more cheaply than `round` does): two claims that fit equally well
        # then tie exactly, whatever order their words were summed in, and the fixed order the
        # claims are weighed in decides
        return int(best * 1e9 + 0.5) / 1e9

    def foreign(self, draft: Subject) -> bool:
        """Whether the sentence is mostly about things the knowledge base never mentions:
        at least two unknown words, weighing more than the known ones."""
        unknown = [t for t in draft.sentence if t not in self._vocabulary]
        if len(unknown) < 2:
            return False
        weight = sum(draft.sentence[t] for t in unknown)
        return weight > sum(draft.sentence.values()) * FOREIGN_SHARE

    def weigh(self, words: Iterable[str]) -> float:
        """How much a set of words tells, by their rarity."""
        return sum(map(self.weight, words))

    def rarest(self, words: Iterable[str]) -> str:
        """The most telling word: 'budget' in 'contact center budgets'."""
        return max(sorted(words), key=self.weight)


def _shared(part: dict[str, float], words: dict[str, float], near: Container[str]) -> float:
    """The weight of the claim's words (`part`) that the draft's sentence (`words`) repeats, those
    `near` the statistic counting whole and the others half; summed through the shorter of the
    two, in its own fixed order, so every process sums alike."""
    shared = 0.0
    if len(part) < len(words):
        for term, weight in part.items():
            if term in words:
                shared += weight if term in near else weight / 2
    else:
        for term in words:
            found = part.get(term)
            if found is not None:
                shared += found if term in near else found / 2
    return shared


class Sentence:
    """A draft sentence read once: its content words and clause breaks, with where each
    stands, shared by the subjects of all the statistics in it.

    `around` gives what `SubjectModel.around` gives for the same span. It works from word
    positions instead of re-reading the sentence with the statistic blanked out, and hands
    the few sentences where the two could differ (links or handles, a statistic glued to a
    word, a clause break across the statistic, a sentence too long to read whole) to
    `SubjectModel.around` itself.
    """

    __slots__ = ("_breaks", "_lowered", "_model", "_names", "_plain", "_starts", "_terms", "_whole", "_words", "text")

    def __init__(self, model: SubjectModel, text: str) -> None:
        self.text = text
        self._model = model
        # a sentence with a link or handle, or too long, goes to `SubjectModel.around` whole
        self._plain = plain = len(text) <= 2 * _REACH and not terms.has_non_words(text)
        # the content words and where each starts
        self._names, self._starts, self._words = terms.term_starts(text) if plain else ((), [], [])
        self._breaks = clause_breaks(text) if plain else ()
        self._whole = model._weights(self._names)
        self._terms: frozenset[str] | None = None
        self._lowered: frozenset[str] | None = None

    @property
    def plain(self) -> bool:
        """Whether the sentence was read word by word (no link or handle, not too long)."""
        return self._plain

    def terms_between(self, begin: int, stop: int) -> tuple[str, ...]:
        """The content words of a plain sentence that start from `begin` to `stop`."""
        return self._between(begin, stop, (len(self._names), len(self._names)))

    def whole(self) -> Subject:
        """The subject of the sentence as a whole, as `SubjectModel.around(text)` gives it."""
        return Subject({}, self._whole, ()) if self._plain else self._model.around(self.text)

    @property
    def words(self) -> frozenset[str]:
        """Every word of the sentence, in lower case, as written ("don't", stop words too)."""
        if self._lowered is None:
            self._lowered = frozenset(map(str.lower, self._words if self._plain else terms.all_words(self.text)))
        return self._lowered

    @property
    def terms(self) -> frozenset[str]:
        """Every content word of the sentence."""
        if self._terms is None:
            self._terms = frozenset(self._names if self._plain else terms.content_terms(self.text))
        return self._terms

    def around(self, span: tuple[int, int], kind: str) -> Subject:
        """The subject of the statistic at `span` of the sentence."""
        text, (start, end) = self.text, span
        letters = terms.WORD_CHARACTERS
        # blanking the statistic out splits no word: a statistic glued to one is read whole
        if (
            not self._plain
            or (0 < start < len(text) and text[start - 1] in letters and text[start] in letters)
            or (0 < end < len(text) and text[end - 1] in letters and text[end] in letters)
        ):
            return self._model.around(text, span, kind)
        boundaries: list[int] = []
        right: tuple[int, int] | None = None
        following: tuple[int, int] | None = None
        for at, until in self._breaks:
            if until <= start:
                boundaries.append(until)
            elif at < start or (at < end < until):
                return self._model.around(text, span, kind)  # a break across the statistic
            elif at < end:
                continue  # the "," of "1,500ms"
            elif right is None:
                right = (at, until)
            else:
                following = (at, until)
                break
        stop = right[0] if right else len(text)
        # the statistic's own words ("seconds", "percent") say nothing of its subject
        own = bisect_left(self._starts, start), bisect_left(self._starts, end)
        begin = 0
        clause: tuple[str, ...] = ()
        for begin in (*reversed(boundaries), 0):
            clause = self._between(begin, stop, own)
            if clause:
                break
        if not clause and right is not None:
            clause = self._between(begin, following[0] if following else len(text), own)
        counted = self._model._counted(text, end, kind) if kind in COUNTING_KINDS else ()
        whole = self._whole if own[0] == own[1] else self._model._weights(self._between(0, len(text), own))
        return Subject(self._model._weights(clause), whole, counted)

    def _between(self, begin: int, stop: int, own: tuple[int, int]) -> tuple[str, ...]:
        """The content words from `begin` to `stop`, leaving out the statistic's own, which
        are the words numbered `own` (from, to)."""
        first, last = bisect_left(self._starts, begin), bisect_left(self._starts, stop)
        names = self._names
        own_first, own_last = own
        if own_last <= first or last <= own_first:  # the statistic's words lie outside: most clauses
            return names[first:last]
        return names[first:own_first] + names[own_last:last]
