"""The verdict on a year a draft states: beside a statistic, the year that statistic's claim
gives it; naming a report ("Sophos's 2024 survey"), that report's edition; alone, a year
some backed claim about the same subject gives."""

from __future__ import annotations

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

ReliedOn = list[tuple["Claim", int | None]]  # claims a sentence's figures rely on, with those figures' years


def judge_year(
    index: ClaimIndex, context: SentenceContext, quantity: Quantity, relied_on: ReliedOn, beside: ReliedOn
) -> Ruling:
    """The verdict on a year of a draft sentence whose figures rely on `relied_on`, and of
    which the figures in `beside` are (it is the year nearest them)."""
    year = int(quantity.low)
    if quantity in context.editions and (ruling := _edition(year, relied_on)) is not None:
        return ruling
    claims = index.by_year.get(year, [])
    sourced = [c for c in claims if c.sourced]
    if not claims:
        return Ruling(FindingStatus.UNSUPPORTED, reasons.year_unknown(year), None)
    if not sourced:
        return Ruling(FindingStatus.UNSOURCED, reasons.year_without_source(year), claims[0])
    # beside a statistic, the year is the one its claim gives that statistic
    for claim, date in beside:
        if date == year:
            return Ruling(FindingStatus.GROUNDED, reasons.backed_by(claim), claim)
    for claim, date in beside:
        if date is not None:
            return Ruling(FindingStatus.UNSUPPORTED, reasons.other_year((date,), year), claim)
    # else one the claims it relies on give
    for claim, _ in relied_on:
        if year in claim.years:
            return Ruling(FindingStatus.GROUNDED, reasons.backed_by(claim), claim)
    for claim, _ in relied_on:
        if claim.years:
            return Ruling(FindingStatus.UNSUPPORTED, reasons.other_year(claim.years, year), claim)
    for claim, _ in relied_on:
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


def _edition(year: int, relied_on: ReliedOn) -> Ruling | None:
    """A year naming a report, against the editions the sentence's claims rely on; None where
    they name none, and the year is judged as a date."""
    editions = sorted({edition for claim, _ in relied_on for edition in claim.editions})
    if not editions:
        return None
    for claim, _ in relied_on:
        if year in claim.editions:
            return Ruling(FindingStatus.GROUNDED, reasons.backed_by(claim), claim)
    return Ruling(FindingStatus.UNSUPPORTED, reasons.other_edition(editions, year), relied_on[0][0])
