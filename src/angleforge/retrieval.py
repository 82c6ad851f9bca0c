"""Choosing the facts a prompt carries: BM25 over the knowledge base's backed claims.

Thirty lines of Okapi BM25 over the content words `terms` already computes beat a dependency
here: the corpus is a few hundred claims, and the libraries that do it fast bring numpy and
scipy along.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from angleforge import terms
from angleforge.knowledge import Claim, KnowledgeBase
from angleforge.quantities import Quantity, extract


@dataclass(frozen=True, slots=True, kw_only=True)
class Fact:
    """A claim a draft may use, as a prompt shows it: an id, its text, its sources."""

    id: str
    text: str
    sources: tuple[str, ...]  # publishers, or "author"
    claim: Claim
    score: float = 0.0  # how well it matched the search that found it (BM25)


# drafts lead with hard numbers, so claims that state one rank higher
STATISTIC_BOOST = 1.5


class FactIndex:
    """BM25 over the backed claims of a knowledge base (k1 = 1.5, b = 0.75)."""

    def __init__(self, kb: KnowledgeBase, k1: float = 1.5, b: float = 0.75) -> None:
        # a claim that ends on a colon introduces a list; alone it says nothing
        self.claims = [c for c in kb.claims if c.sourced and len(c.text) > 12 and not c.text.endswith(":")]
        self._documents = [
            Counter([*terms.content_terms(f"{c.framing} {c.text}"), *_number_terms(c.statistics)]) for c in self.claims
        ]
        lengths = [sum(d.values()) for d in self._documents]
        self._average = sum(lengths) / len(lengths) if lengths else 1.0
        self._lengths = lengths
        frequency: Counter[str] = Counter()
        for document in self._documents:
            frequency.update(document.keys())
        n = len(self._documents)
        self._idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in frequency.items()}
        self._k1, self._b = k1, b
        self._searched: dict[tuple[str, int], list[Fact]] = {}

    def search(self, query: str, limit: int = 8) -> list[Fact]:
        """The claims that best match `query`, best first; statistics first among equals.
        A run asks the same angle's query for every draft, so answers are kept."""
        key = (query, limit)
        if key not in self._searched:
            self._searched[key] = self._search(query, limit)
        return list(self._searched[key])

    def _search(self, query: str, limit: int) -> list[Fact]:
        wanted = {*terms.content_terms(query), *_number_terms(extract(query))}
        scored = []
        for index, document in enumerate(self._documents):
            score = 0.0
            for term in wanted & document.keys():
                tf = document[term]
                norm = tf + self._k1 * (1 - self._b + self._b * self._lengths[index] / self._average)
                score += self._idf[term] * tf * (self._k1 + 1) / norm
            if score > 0:
                if self.claims[index].statistics:
                    score *= STATISTIC_BOOST
                scored.append((score, bool(self.claims[index].statistics), -index))
        scored.sort(reverse=True)
        return [as_fact(self.claims[-index], score) for score, _, index in scored[:limit]]


def _number_terms(statistics: Iterable[Quantity]) -> list[str]:
    """Statistics as search terms, so "300 milliseconds" finds the claims that state 300ms."""
    return [f"#{q.unit}:{value:.6g}" for q in statistics for value in {q.low, q.high}]


def as_fact(claim: Claim, score: float = 0.0) -> Fact:
    publishers = tuple(dict.fromkeys(s.publisher for s in claim.sources)) or tuple(
        name.title() for name in claim.organisations
    )
    return Fact(id=claim.id, text=claim.text, sources=publishers, claim=claim, score=score)
