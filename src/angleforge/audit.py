"""What a knowledge base states without evidence, and which of its sources back nothing."""

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


def sourced_statistics(kb: KnowledgeBase) -> list[Quantity]:
    """Every statistic a claim backed by a cited source states."""
    return [q for claim, q in kb.statistics if claim.sourced]


def audit(kb: KnowledgeBase) -> Audit:
    """Statistics no cited source states anywhere, and sources whose sections state none."""
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
    return Audit(unsourced=unsourced, idle_sources=idle)


def _unbacked(claim: Claim, quantity: Quantity) -> UnbackedStatistic:
    return UnbackedStatistic(text=quantity.text.strip(), claim_id=claim.id, section=claim.section, claim=claim.text)
