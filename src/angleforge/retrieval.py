"""Choosing the facts a prompt carries: the angle's own section first, then BM25 over the rest.

An angle drawn from the brief talks about one of its sections (the latency thread about the
latency section), so that section's sourced claims come first, whatever words the hook
happens to use; the remaining slots go to the claims elsewhere that best match the angle. A
free topic has no section of its own and gets the claims that best answer it. Either way:

- a claim that states only figures an earlier fact states is left out (two sources' wordings
  of "40%+ of agentic AI projects will fail by 2027" are one fact);
- the author's own facts take no slot: the system prompt carries them already;
- each fact carries the heading of its section and the label or caption it sits under, so a
  fragment ("Total: 500-1,600ms") reads as what it is.

Thirty lines of Okapi BM25 over the content words `terms` already computes beat a dependency
here: the corpus is a few hundred claims, and the libraries that do it fast bring numpy and
scipy along.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from angleforge import terms
from angleforge.angles import Angle
from angleforge.knowledge import Claim, KnowledgeBase
from angleforge.quantities import Quantity, extract


@dataclass(frozen=True, slots=True, kw_only=True)
class Fact:
    """A claim a draft may use, as a prompt shows it."""

    id: str  # "F1", "F2", ...: how the prompt refers to it
    text: str
    where: str  # its section's heading, and the label or caption it sits under where its text does not say it
    sources: tuple[str, ...]  # publishers and the organisations the claim names, or "author"
    claim: Claim
    score: float = 0.0  # how well it matched the search that found it (BM25)
    home: bool = False  # from the section the angle is drawn from


# drafts lead with hard numbers, so claims that state one rank higher
STATISTIC_BOOST = 1.5
# a claim matching a topic at under this share of the best match is off the topic
RELEVANT_SHARE = 0.35
# the sourced claims a section needs to be an angle's home
_HOME_CLAIMS = 3
# a topic is about a section where most of its this many best claims stand there
_TOPIC_LEADERS = 5
# words two claims with the same figures share where they say the same thing
_SHARED_WORDS = 2
_ENUMERATOR_RE = re.compile(r"^\s*(?:\d{1,3}[.)]|[IVX]+\.)\s+")


class _BM25:
    """Okapi BM25 over bags of terms (k1 = 1.5, b = 0.75)."""

    def __init__(self, documents: Sequence[Counter[str]], k1: float = 1.5, b: float = 0.75) -> None:
        self._documents = documents
        self._lengths = [sum(d.values()) for d in documents]
        self._average = sum(self._lengths) / len(self._lengths) if self._lengths else 1.0
        frequency: Counter[str] = Counter()
        for document in documents:
            frequency.update(document.keys())
        n = len(documents)
        self._idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in frequency.items()}
        self._k1, self._b = k1, b

    def scores(self, wanted: set[str]) -> list[float]:
        scores = []
        for index, document in enumerate(self._documents):
            score = 0.0
            for term in wanted & document.keys():
                tf = document[term]
                norm = tf + self._k1 * (1 - self._b + self._b * self._lengths[index] / self._average)
                score += self._idf[term] * tf * (self._k1 + 1) / norm
            scores.append(score)
        return scores


class FactIndex:
    """The backed claims of a knowledge base, searchable by angle or by free text."""

    def __init__(self, kb: KnowledgeBase) -> None:
        author = {claim.id for claim in kb.author_claims}
        # a claim that ends on a colon introduces a list; alone it says nothing
        self.claims = [
            c for c in kb.claims if c.sourced and c.id not in author and len(c.text) > 12 and not c.text.endswith(":")
        ]
        self._claims = _BM25([_terms(f"{heading(c.section)} {c.framing} {c.text}", c.statistics) for c in self.claims])
        # a section is found by its claims and by the author's notes on it (its "Content angle")
        self._sections = list(dict.fromkeys(c.section for c in self.claims))
        notes: dict[str, list[str]] = {}
        for sample in kb.voice_samples:
            notes.setdefault(sample.section, []).append(sample.text)
        self._section_index = _BM25(
            [
                _terms(
                    " ".join([heading(s), *(c.text for c in self.claims if c.section == s), *notes.get(s, [])]),
                    [q for c in self.claims if c.section == s for q in c.statistics],
                )
                for s in self._sections
            ]
        )
        # a section with a body of evidence; a summary citing one source is no angle's home
        sizes = Counter(c.section for c in self.claims)
        self._homes = {section for section, size in sizes.items() if size >= _HOME_CLAIMS}
        self._searched: dict[tuple[str, str, int], list[Fact]] = {}

    def for_angle(self, angle: Angle, limit: int) -> list[Fact]:
        """The facts a prompt on `angle` carries, numbered F1, F2, ...: its own section's claims
        first, then the best of the rest. A run asks the same angle for every draft, so answers
        are kept."""
        key = (angle.source, angle.query, limit)
        if key not in self._searched:
            home = self.home_section(angle)
            self._searched[key] = _numbered(self._select(angle.query, home, limit))
        return list(self._searched[key])

    def home_section(self, angle: Angle) -> str | None:
        """The section an angle talks about. An angle of the brief is about the section whose
        claims and notes its words match best; a free topic is about a section only where most
        of the claims that best answer it stand there ("latency in production" is the latency
        section; "latency and accuracy" is about two)."""
        if angle.source == "topic":
            best = [fact.claim.section for fact in self._ranked(angle.query)[:_TOPIC_LEADERS] if fact.score > 0]
            section, count = Counter(best).most_common(1)[0] if best else ("", 0)
            return section if count > _TOPIC_LEADERS // 2 and section in self._homes else None
        scores = self._section_index.scores(_query_terms(angle.query))
        eligible = [i for i, section in enumerate(self._sections) if section in self._homes and scores[i] > 0]
        best_index = max(eligible, key=lambda i: (scores[i], -i), default=None)
        return self._sections[best_index] if best_index is not None else None

    def search(self, query: str, limit: int = 8) -> list[Fact]:
        """The claims that best match `query`, best first, each figure once."""
        return _numbered(self._select(query, None, limit))

    def _select(self, query: str, home: str | None, limit: int) -> list[Fact]:
        ranked = self._ranked(query)
        if home is None:
            found = distinct(fact for fact in ranked if fact.score > 0)
            best = found[0].score if found else 0.0
            return [fact for fact in found if fact.score >= RELEVANT_SHARE * best][:limit]
        # the section's claims whatever their words (the best of them if there are too many),
        # shown in the brief's order, which is the order its argument runs in
        order = {claim.id: i for i, claim in enumerate(self.claims)}
        own = distinct(replace(fact, home=True) for fact in ranked if fact.claim.section == home)[:limit]
        own.sort(key=lambda fact: order[fact.claim.id])
        kept = distinct([*own, *(fact for fact in ranked if fact.claim.section != home and fact.score > 0)])
        # beside a section of its own, an angle needs only the claims elsewhere that match it as
        # well as its own section's typical claim does: the tail of a search drifts off the topic
        typical = statistics.median(fact.score for fact in own) if own else 0.0
        return [*own, *(fact for fact in kept[len(own) :] if fact.score >= typical)][:limit]

    def _ranked(self, query: str) -> list[Fact]:
        scores = self._claims.scores(_query_terms(query))
        boosted = [
            (score * (STATISTIC_BOOST if claim.statistics else 1.0), bool(claim.statistics), -index)
            for index, (score, claim) in enumerate(zip(scores, self.claims, strict=True))
        ]
        boosted.sort(reverse=True)
        return [as_fact(self.claims[-index], score) for score, _, index in boosted]


def _terms(text: str, statistics: Iterable[Quantity]) -> Counter[str]:
    return Counter([*terms.content_terms(text), *_number_terms(statistics)])


def _query_terms(query: str) -> set[str]:
    return {*terms.content_terms(query), *_number_terms(extract(query))}


def _number_terms(statistics: Iterable[Quantity]) -> list[str]:
    """Statistics as search terms, so "300 milliseconds" finds the claims that state 300ms."""
    return [f"#{q.unit}:{value:.6g}" for q in statistics for value in {q.low, q.high}]


def _numbered(facts: list[Fact]) -> list[Fact]:
    return [replace(fact, id=f"F{n}") for n, fact in enumerate(facts, start=1)]


def distinct(facts: Iterable[Fact]) -> list[Fact]:
    """The facts that each state a figure the ones before them do not, and those that state
    none: two sources' wordings of "40%+ of agentic AI projects will fail" say it twice."""
    kept: list[Fact] = []
    stated: list[tuple[list[Quantity], set[str]]] = []
    for fact in facts:
        figures = [q for q in fact.claim.statistics if q.kind != "year"]
        words = set(terms.content_terms(fact.claim.text))
        if figures and any(_restates(figures, words, earlier) for earlier in stated):
            continue
        kept.append(fact)
        stated.append((figures, words))
    return kept


def _restates(figures: list[Quantity], words: set[str], earlier: tuple[list[Quantity], set[str]]) -> bool:
    """Whether a claim says again what an earlier one said: each of its figures is one the
    earlier states ("40%" of "40%+"), and the two share words, since "customers hang up 40%
    more" is not "40% of projects will fail" and "within 300ms" is not "Speech-to-Text:
    100-300ms"."""
    their_figures, their_words = earlier
    same = all(any(q.states_same(s) or s.states_same(q) for s in their_figures) for q in figures)
    return same and len(words & their_words) >= _SHARED_WORDS


def heading(section: str) -> str:
    """A section's own heading, without the path above it or its number: "The Voice Latency Problem"."""
    return _ENUMERATOR_RE.sub("", section.rsplit(" > ", 1)[-1]).strip()


def as_fact(claim: Claim, score: float = 0.0, *, home: bool = False) -> Fact:
    return Fact(
        id=claim.id,
        text=claim.text,
        where=_where(claim),
        sources=credits(claim),
        claim=claim,
        score=score,
        home=home,
    )


def credits(claim: Claim) -> tuple[str, ...]:
    """Whom a draft may credit for a claim: its section's publishers, then the organisations
    the claim names itself, as the claim spells them ("Gartner predicts ...")."""
    named = []
    for name in claim.organisations:
        spelt = re.search(re.escape(name), claim.text, re.IGNORECASE)
        named.append(spelt.group(0) if spelt else name.title())
    return tuple(dict.fromkeys([*(s.publisher for s in claim.sources), *named]))


def _where(claim: Claim) -> str:
    """The heading and the frame (a caption, a label) the claim's own text leaves out."""
    parts = [heading(claim.section)]
    for frame in (claim.context, claim.label):
        frame = (frame or "").strip().rstrip(":").strip()
        if frame and not claim.text.startswith(frame) and frame not in parts:
            parts.append(frame)
    return " › ".join(part for part in parts if part)
