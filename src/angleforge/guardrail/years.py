"""Years in a draft: the year beside a statistic, and the verdict on a year itself."""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING

from angleforge.guardrail import reasons
from angleforge.guardrail.ruling import Ruling
from angleforge.quantities import Quantity
from angleforge.statuses import FindingStatus
from angleforge.subjects import RIVAL_FITS, RIVAL_MARGIN, SUBJECT_AGREES

if TYPE_CHECKING:
    from angleforge.guardrail.case import SentenceContext
    from angleforge.guardrail.index import ClaimIndex
    from angleforge.knowledge import Claim

# what parts a clause from the next: a year past one of these is beside the statistic only where
# its own clause holds none
_CLAUSE_BREAK_RE = re.compile(r"[,;:()\[\]—–]|\s-\s")


def year_beside(quantity: Quantity, context: SentenceContext) -> int | None:
    """The year nearest the statistic in its sentence, one in the statistic's own clause
    first: in "...raised €300M in 2025, and utilities committed $4.2B in 2024", the $4.2B is
    of 2024."""
    found = context.years
    if not found:
        return None
    sentence, offset = context.sentence.text, context.offset

    def in_its_clause(year: Quantity) -> bool:
        low, high = (year.end, quantity.start) if year.end <= quantity.start else (quantity.end, year.start)
        return _CLAUSE_BREAK_RE.search(sentence, low - offset, high - offset) is None

    at = bisect_right(context.year_starts, quantity.start)
    around = found[max(at - 1, 0) : at + 1]
    nearest = min(
        around,
        key=lambda y: (not in_its_clause(y), min(abs(y.start - quantity.end), abs(quantity.start - y.end))),
    )
    return int(nearest.low)


def judge_year(index: ClaimIndex, context: SentenceContext, quantity: Quantity, relied_on: list[Claim]) -> Ruling:
    """The verdict on a year of a draft sentence whose statistics rely on the claims
    `relied_on`: beside a statistic, the year is the one its claim gives; alone, a year some
    backed claim about the same subject gives."""
    year = int(quantity.low)
    claims = index.by_year.get(year, [])
    sourced = [c for c in claims if c.sourced]
    if not claims:
        return Ruling(FindingStatus.UNSUPPORTED, reasons.year_unknown(year), None)
    if not sourced:
        return Ruling(FindingStatus.UNSOURCED, reasons.year_without_source(year), claims[0])
    for claim in relied_on:
        if year in claim.years:
            return Ruling(FindingStatus.GROUNDED, reasons.backed_by(claim), claim)
    for claim in relied_on:
        if claim.years:
            return Ruling(FindingStatus.UNSUPPORTED, reasons.other_year(claim.years, year), claim)
    for claim in relied_on:
        if year in claim.context_years:
            return Ruling(FindingStatus.GROUNDED, reasons.backed_by(claim), claim)
    draft = context.sentence.around((quantity.start - context.offset, quantity.end - context.offset), "year")
    similarity = index.subjects.similarity
    best_score, best = max(
        ((similarity(draft, index.claim_subjects[c.id]), c) for c in sourced),
        key=lambda pair: pair[0],
    )
    if best_score < SUBJECT_AGREES:
        # a claim that fits better gives another year: "2027 shift" for "2026 shift"
        rival_score, rival = max(
            ((similarity(draft, index.claim_subjects[c.id]), c) for c in index.dated if year not in c.years),
            key=lambda pair: pair[0],
            default=(0.0, None),
        )
        if rival is not None and rival_score >= RIVAL_FITS and rival_score - best_score >= RIVAL_MARGIN:
            return Ruling(FindingStatus.UNSUPPORTED, reasons.year_contradicts(rival.years), rival)
        if index.subjects.foreign(draft):
            return Ruling(FindingStatus.OUT_OF_CONTEXT, reasons.year_of_other_subjects(year), best)
    return Ruling(FindingStatus.GROUNDED, reasons.backed_by(best), best)
