"""A draft's own "Sources: ..." line: every organisation it names must back a figure the draft
states, or the draft credits a publisher for figures it never gave."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter

from angleforge import attribution
from angleforge.knowledge import Claim

# "Sources: Twilio, AssemblyAI", "(Source: Veeam)", "📚 Sources - EHPA market report; IEA"
_SOURCES_LINE_RE = re.compile(r"^[^\w\n]*(?i:sources?|references?|data|via)\s*[:–—-]\s*(?P<names>[^\n]+?)[\s.)]*$")
_LABELS = ("source", "reference", "data", "via")  # one of which the pattern needs
_ITEM_RE = re.compile(r"[^,;/&\n]+")
_AND_RE = re.compile(r"\s+and\s+")


@dataclass(slots=True)
class NamedSource:
    """One organisation or publication a Sources line names, where it stands in the draft.

    Nothing assigns to one once it is made; it is not declared frozen, whose field-by-field
    `object.__setattr__` tripled what making one costs."""

    text: str
    start: int
    end: int


def named_sources(text: str, sentences: Sequence[tuple[int, int]]) -> list[NamedSource]:
    """The names the draft's Sources lines list, each as it is written; `sentences` are the
    spans of the draft's sentences, in order. Only a sentence holding a label is read, and the
    draft is searched for the labels once, not sentence by sentence."""
    starts = [start for start, _ in sentences]
    found: list[NamedSource] = []
    labelled = (bisect_right(starts, at) - 1 for at in attribution.mentioned_at(text, _LABELS))
    for number in dict.fromkeys(labelled):  # each sentence once, in order
        start, end = sentences[max(number, 0)]
        found.extend(_named_in(text[start:end], start))
    return found


def _named_in(sentence: str, offset: int) -> list[NamedSource]:
    """The names `sentence`, at `offset` of the draft, lists, if it is a Sources line."""
    line = _SOURCES_LINE_RE.match(sentence)
    if line is None:
        return []
    found = []
    for item in _items(line.group("names"), line.start("names")):
        text, start = item
        stripped = text.strip(" .()[]*_\"'")
        if stripped[:1].isupper():
            at = start + text.index(stripped)
            found.append(NamedSource(stripped, offset + at, offset + at + len(stripped)))
    return found


def _items(names: str, start: int) -> Iterator[tuple[str, int]]:
    for match in _ITEM_RE.finditer(names):
        at, item = match.start(), match.group()
        # most items join no two names: the split is asked only where it may part some
        for part in _AND_RE.split(item) if "and" in item else (item,):
            if part.strip():
                yield part, start + at + item.index(part)


class Backers:
    """Who backs a set of claims, as a Sources line may name them: the names a draft may credit
    for any of them, and their sources' titles, each gathered once for every name the line gives."""

    def __init__(self, claims: Iterable[Claim]) -> None:
        self._claims = list(claims)
        # gathered by `chain`, not a generator's step per name: a draft's claims name many
        self.credit_names = frozenset(chain.from_iterable([claim.credit_names for claim in self._claims]))
        self._titles: frozenset[str] | None = None

    @property
    def titles(self) -> frozenset[str]:
        """The titles of the claims' sources, in lower case: gathered only for a name that no
        organisation the claims are credited to bears, as few are."""
        if self._titles is None:
            sources = chain.from_iterable([claim.sources for claim in self._claims])
            self._titles = frozenset(map(str.lower, map(attrgetter("title"), sources)))
        return self._titles

    def back(self, name: str) -> bool:
        """Whether the organisation or publication `name` ("Mandiant M-Trends 2024", "EHPA
        market report", "The State of Ransomware 2024") backs one of the claims: its leading
        words name a source or an organisation a claim names, or it is a source's title."""
        words = name.split()
        for count in range(len(words), 0, -1):
            prefix = attribution.normalise(" ".join(words[:count]))
            if prefix and (prefix in self.credit_names or attribution.credits_agree(prefix, self.credit_names)):
                return True
        lowered = name.lower()
        return any(lowered in title or title in lowered for title in self.titles)
