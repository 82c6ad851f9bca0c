"""A draft's own "Sources: ..." line: every organisation it names must back a figure the draft
states, or the draft credits a publisher for figures it never gave."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from angleforge import attribution
from angleforge.knowledge import Claim

# "Sources: Twilio, AssemblyAI", "(Source: Veeam)", "📚 Sources - EHPA market report; IEA"
_SOURCES_LINE_RE = re.compile(r"^[^\w\n]*(?i:sources?|references?|data|via)\s*[:–—-]\s*(?P<names>[^\n]+?)[\s.)]*$")
_LABELS = ("source", "reference", "data", "via")  # one of which the pattern needs
_ITEM_RE = re.compile(r"[^,;/&\n]+")
_AND_RE = re.compile(r"\s+and\s+")


@dataclass(frozen=True, slots=True)
class NamedSource:
    """One organisation or publication a Sources line names, where it stands in the draft."""

    text: str
    start: int
    end: int


def named_sources(sentence: str, offset: int) -> list[NamedSource]:
    """The names a Sources line lists (none where `sentence`, starting at `offset` of the draft,
    is no Sources line), each as it is written."""
    if not attribution.mentions(sentence, _LABELS):
        return []  # most sentences name no label at all
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
        at = match.start()
        for part in _AND_RE.split(match.group()):
            if part.strip():
                yield part, start + at + match.group().index(part)


class Backers:
    """Who backs a set of claims, as a Sources line may name them: the names a draft may credit
    for any of them, and their sources' titles, gathered once for every name the line gives."""

    def __init__(self, claims: Iterable[Claim]) -> None:
        self.credit_names = frozenset(name for claim in claims for name in claim.credit_names)
        self.titles = frozenset(source.title.lower() for claim in claims for source in claim.sources)

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
