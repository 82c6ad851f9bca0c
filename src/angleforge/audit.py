"""What a knowledge base states without evidence, which of its sources back nothing, and
which of its sections only the brief's closing References list backs."""

from __future__ import annotations

from dataclasses import dataclass

from angleforge.knowledge import Claim, KnowledgeBase, Source
from angleforge.quantities import Quantity


@dataclass(frozen=True, slots=True, kw_only=True)
class UnbackedStatistic:
    text: str
    claim_id: str
    section: str
    claim: str


@dataclass(frozen=True, slots=True, kw_only=True)
class IdleSource:
    source: Source
    section: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Audit:
    unsourced: list[UnbackedStatistic]
    idle_sources: list[IdleSource]
    # sections citing nothing of their own: a reader cannot tell which listed reference backs
    # which of their claims, so they are the first to give their own sources
    backed_by_references_only: list[str]


def sourced_statistics(kb: KnowledgeBase) -> list[Quantity]:
    """Every statistic a claim backed by a cited source states."""
    return [q for claim, q in kb.statistics if claim.sourced]


def audit(kb: KnowledgeBase) -> Audit:
    """Statistics no cited source states anywhere, sources whose sections state none, and
    sections holding claims that the closing References list alone backs."""
    sourced = sourced_statistics(kb)
    unsourced = [
        _unbacked(claim, quantity)
        for claim, quantity in kb.statistics
        if not claim.sourced and not any(s.states_same(quantity) for s in sourced)
    ]
    stating = {claim.section for claim in kb.claims if claim.sourced and claim.statistics}
    idle = [
        IdleSource(source=source, section=" > ".join(section.path))
        for section in kb.sections
        if " > ".join(section.path) not in stating
        for source in section.sources
    ]
    stated = {claim.section for claim in kb.claims}
    backed_by_references_only = [
        name
        for section in kb.sections
        if section.backed_by_references
        # a heading with nothing under it (a part's title, the References heading) has nothing to back
        and (name := " > ".join(section.path)) in stated
    ]
    return Audit(unsourced=unsourced, idle_sources=idle, backed_by_references_only=backed_by_references_only)


def _unbacked(claim: Claim, quantity: Quantity) -> UnbackedStatistic:
    return UnbackedStatistic(text=quantity.text.strip(), claim_id=claim.id, section=claim.section, claim=claim.text)
