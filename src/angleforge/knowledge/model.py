"""The knowledge base as typed data: sections, claims with their statistics, sources, and the
author's voice samples.

Frozen dataclasses rather than pydantic models: a knowledge base holds thousands of claims
and is built from text angleforge parses itself, so there is nothing to validate, and the
guardrail reads these objects in its hot path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from angleforge import attribution
from angleforge.quantities import Quantity

_YEAR_RE = re.compile(r"(?<!\d)(19\d\d|20\d\d|2100)(?!\d)")


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """A cited source: a link under a Sources label, a footnote, or a bare name such as 'author'."""

    title: str
    url: str | None = None
    publisher: str

    @property
    def years(self) -> frozenset[int]:
        """The years its title and link carry: the edition of a report ("The State of
        Ransomware 2024", ".../tech-trends/2026/...")."""
        return frozenset(int(y) for y in _YEAR_RE.findall(f"{self.title} {self.url or ''}"))

    @property
    def credit_names(self) -> tuple[str, ...]:
        """The names a draft may credit it by, normalised: its publisher's and its link's domain."""
        names = (self.publisher, attribution.domain_name(self.url) if self.url else "")
        return tuple(dict.fromkeys(name for name in map(attribution.normalise, names) if name))


@dataclass(frozen=True, kw_only=True)
class Claim:
    """One sentence, list item or table row of a brief, with the statistics it states."""

    id: str
    file: str
    section: str
    text: str
    label: str | None = None  # the label it sits under ("Production reality", "Speech-to-Text")
    context: str = ""  # words it inherits: its parent list item, its table's caption and header
    group: str = ""  # the paragraph, list or table it is part of: its siblings share it
    sources: tuple[Source, ...] = ()
    organisations: tuple[str, ...] = ()  # organisations the claim itself names
    statistics: tuple[Quantity, ...] = ()
    # the year each statistic is of (its clause's, its table column's), None where none is given
    dates: tuple[int | None, ...] = ()
    # the first and last year of each statistic's date: (2023, 2023) of "in 2023", (2022, 2024)
    # of "between 2022 and 2024"; None where none is given
    periods: tuple[tuple[int, int] | None, ...] = ()
    years: tuple[int, ...] = ()  # the years it states as dates, both ends of a range
    # the years the nearest of its label, parent items, caption and headings that gives any gives
    context_years: tuple[int, ...] = ()
    # years naming the reports it relies on ("State of Ransomware 2024"), its credit's ("(Gartner,
    # 2025)"), its sources' and, where it only names who says it, those of that publisher's sources
    editions: tuple[int, ...] = ()

    @cached_property  # read for every claim a draft's figure might rely on
    def sourced(self) -> bool:
        return bool(self.sources or self.organisations)

    @property
    def framing(self) -> str:
        """The words the claim is framed by besides its own: its label and what it inherits."""
        return f"{self.label} {self.context}" if self.label and self.context else self.label or self.context

    @cached_property
    def credit_names(self) -> tuple[str, ...]:
        """Every name a draft may credit for this claim: publishers, titles' names, domains."""
        names = [*map(attribution.normalise, self.organisations), *(n for s in self.sources for n in s.credit_names)]
        return tuple(dict.fromkeys(name for name in names if name))


@dataclass(frozen=True, slots=True, kw_only=True)
class VoiceSample:
    """A passage in the author's own voice: a content angle, a hook, a post idea."""

    file: str
    section: str
    label: str | None
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    """A heading of a brief and what it cites."""

    id: str
    file: str
    title: str
    level: int
    path: tuple[str, ...]
    sources: tuple[Source, ...] = ()
    voice: bool = False
    disclaims_sources: bool = False  # says its figures have no source ("nobody cites a source")
    # backed only by the brief's closing References list, having no source list of its own
    backed_by_references: bool = False


@dataclass(frozen=True, kw_only=True)
class KnowledgeBase:
    """Everything angleforge knows, parsed from one knowledge folder."""

    root: str
    files: tuple[str, ...]
    sections: tuple[Section, ...]
    claims: tuple[Claim, ...]
    voice_samples: tuple[VoiceSample, ...] = ()

    @cached_property
    def statistics(self) -> list[tuple[Claim, Quantity]]:
        return [(claim, q) for claim in self.claims for q in claim.statistics]

    @cached_property
    def sources(self) -> list[Source]:
        unique: dict[tuple[str, str | None], Source] = {}
        for section in self.sections:
            for source in section.sources:
                unique.setdefault((source.title, source.url), source)
        for claim in self.claims:
            for source in claim.sources:
                unique.setdefault((source.title, source.url), source)
        return list(unique.values())

    @cached_property
    def author_claims(self) -> tuple[Claim, ...]:
        """The author's own facts: the claims whose source is the author (`Source: author`)."""
        return tuple(claim for claim in self.claims if any(s.publisher == "author" for s in claim.sources))

    @cached_property
    def organisations(self) -> frozenset[str]:
        """Names the knowledge base knows as organisations: publishers and those claims name."""
        names = {attribution.normalise(s.publisher) for s in self.sources}
        for claim in self.claims:
            names.update(claim.organisations)
        return frozenset(names)
