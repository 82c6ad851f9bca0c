"""The verdict on a year a draft states: beside a statistic, a year that statistic's claim
gives it; naming a report ("Sophos's 2024 survey"), that report's edition; closing a credit
("(Gartner, 2025)"), the credit's date, wrong only against the edition of what it credits;
alone, a year some backed claim about the same subject states as a date. A range's years
("between 2022 and 2030") are judged each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from angleforge import attribution
from angleforge.guardrail import reasons
from angleforge.guardrail.ruling import Ruling
from angleforge.quantities import Quantity, dates
from angleforge.statuses import FindingStatus
from angleforge.subjects import RIVAL_FITS, RIVAL_MARGIN, SUBJECT_AGREES

if TYPE_CHECKING:
    from angleforge.guardrail.case import SentenceContext
    from angleforge.guardrail.index import ClaimIndex
    from angleforge.knowledge import Claim

# claims a sentence's figures rely on, each with the years it gives its figure (`Entry.years`)
ReliedOn = Sequence[tuple["Claim", tuple[int, ...]]]


def judge_year(
    index: ClaimIndex,
    context: SentenceContext,
    quantity: Quantity,
    relied_on: ReliedOn,
    beside: Sequence[Ruling],
    earlier: ReliedOn = (),
) -> Ruling:
    """The verdict on a year of a draft sentence whose figures rely on `relied_on`, and of
    which the figures ruled `beside` are (it is the year nearest them); `earlier` are the
    claims the draft's sentences before it rely on, latest last. Each end of a range is
    judged: the first that fails gives the verdict."""
    rulings = [
        _judge(index, context, quantity, year, relied_on, beside, earlier)
        for year in dict.fromkeys((int(quantity.low), int(quantity.high)))
    ]
    return next((ruling for ruling in rulings if ruling.status is not FindingStatus.GROUNDED), rulings[0])


def _judge(
    index: ClaimIndex,
    context: SentenceContext,
    quantity: Quantity,
    year: int,
    relied_on: ReliedOn,
    beside: Sequence[Ruling],
    earlier: ReliedOn,
) -> Ruling:
    if quantity in context.editions and (ruling := _edition(index, context, quantity, year, relied_on, earlier)):
        return ruling
    if quantity in context.credit_dates and (ruling := _credit_date(context, quantity, year, relied_on)) is not None:
        return ruling
    # beside a statistic, the year is one its claim gives that statistic: its clause's, else its
    # claim's, else its heading's, list's or table's ("Of homes that switched in 2024:"). Each end
    # of a range that dates a series is one of its figures' ("from 3.02 million to 2.31 million
    # between 2022 and 2024"); of a range that dates one grounded figure, the end it is not of
    # is not known ("fell to 2.31 million between 2022 and 2024": `rules.same_year`)
    for ruling in beside:
        if ruling.claim is not None and year in ruling.years:
            return Ruling(FindingStatus.GROUNDED, reasons.backed_by(ruling.claim), ruling.claim)
    if len(beside) == 1 and quantity.low != quantity.high:
        (ruling,) = beside
        if ruling.claim is not None and ruling.status is FindingStatus.GROUNDED:
            return Ruling(FindingStatus.GROUNDED, reasons.backed_by(ruling.claim), ruling.claim)
    # the statistics flagged first, then the one of the nearest year: why the year is wrong
    for ruling in sorted(
        beside,
        key=lambda ruling: (
            ruling.status is FindingStatus.GROUNDED,
            min((abs(year - given) for given in ruling.years), default=0),
        ),
    ):
        if ruling.years:
            return Ruling(FindingStatus.UNSUPPORTED, reasons.other_year(ruling.years, year), ruling.claim)
    claims = index.by_year.get(year, [])
    if not claims:
        return Ruling(FindingStatus.UNSUPPORTED, reasons.year_unknown(year), None)
    if not any(c.sourced for c in claims):
        return Ruling(FindingStatus.UNSOURCED, reasons.year_without_source(year), claims[0])
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
    return _alone(index, context, quantity, year)


def _alone(index: ClaimIndex, context: SentenceContext, quantity: Quantity, year: int) -> Ruling:
    """A year that is its sentence's statistic ("Europe's boom peaked in 2022"): a backed claim
    about the same subject states it as a date. A heading's or a title's year ("Production
    Challenges (2026 Reality)") dates the figures under it, not whatever a draft says of that year."""
    draft = context.sentence.around((quantity.start - context.offset, quantity.end - context.offset), "year")
    similarity = index.subjects.similarity

    def fit(claim: Claim) -> float:
        """How well the draft fits the claim, whole or around one of the years it states."""
        return max(
            similarity(draft, index.claim_subjects[claim.id]),
            *(similarity(draft, around, strict=True) for around in index.year_subjects.get(claim.id, ())),
        )

    best_score, best = max(
        ((fit(c), c) for c in index.stating_year.get(year, ()) if c.sourced),
        key=lambda pair: pair[0],
        default=(0.0, None),
    )
    if best is not None and best_score >= SUBJECT_AGREES:
        return Ruling(FindingStatus.GROUNDED, reasons.backed_by(best), best)
    # a claim that fits better gives another year: "fail by 2027" for "fail by 2026"
    rival_score, rival = max(
        ((fit(c), c) for c in index.dated if year not in c.years),
        key=lambda pair: pair[0],
        default=(0.0, None),
    )
    if rival is not None and rival_score >= RIVAL_FITS and rival_score - best_score >= RIVAL_MARGIN:
        return Ruling(FindingStatus.UNSUPPORTED, reasons.year_contradicts(rival.years), rival)
    if best is None:
        headed = next(c for c in index.by_year[year] if c.sourced)
        return Ruling(FindingStatus.UNSUPPORTED, reasons.year_only_in_headings(year), headed)
    if index.subjects.foreign(draft):
        return Ruling(FindingStatus.OUT_OF_CONTEXT, reasons.year_of_other_subjects(year), best)
    return Ruling(FindingStatus.GROUNDED, reasons.backed_by(best), best)


def _edition(
    index: ClaimIndex, context: SentenceContext, quantity: Quantity, year: int, relied_on: ReliedOn, earlier: ReliedOn
) -> Ruling | None:
    """A year naming a report, against the editions of the reports the sentence's claims rely
    on: of those by whom the sentence credits, where it credits someone they cite ("Deloitte's
    2025 Tech Trends" is Deloitte's source's edition, not another source's); a sentence with no
    figure of its own ("CALSTART's 2025 survey says that's normal") names a report of the
    claims before it, else of the organisation it credits. None where no edition is known, and
    the year is judged as a date."""
    owner = dates.edition_owner(context.sentence.text, quantity, context.offset)
    credited = [attribution.normalise(owner)] if owner is not None else context.credited
    claims = [claim for claim, _ in relied_on]
    if not claims:
        before = list({claim.id: claim for claim, _ in reversed(earlier)}.values())
        claims = [c for c in before if _credited_editions(c, credited) is not None] if credited else before
    editions: set[int] = set()
    for claim in claims:
        own = (_credited_editions(claim, credited) if credited else None) or set(claim.editions)
        if year in own:
            return Ruling(FindingStatus.GROUNDED, reasons.backed_by(claim), claim)
        editions |= own
    if not claims and credited:
        published = _published(index, credited)
        if year in published:
            return Ruling(FindingStatus.GROUNDED, reasons.backed_by(published[year]), published[year])
        if published:
            return Ruling(FindingStatus.UNSUPPORTED, reasons.other_edition(sorted(published), year), None)
    if not editions:
        return None
    return Ruling(FindingStatus.UNSUPPORTED, reasons.other_edition(sorted(editions), year), claims[0])


def _credit_date(context: SentenceContext, quantity: Quantity, year: int, relied_on: ReliedOn) -> Ruling | None:
    """A year closing a credit ("(Gartner, 2025)"): the credit's date, wrong only where a
    report of the credited organisation the claims rely on is of another edition. None where
    the sentence relies on no claim, and the year is judged as a date."""
    name = dates.credit_named(context.sentence.text, quantity, context.offset)
    if not relied_on or name is None:
        return None
    credited = [attribution.normalise(name)]
    stated: set[int] = set()
    for claim, _ in relied_on:
        own = _credited_editions(claim, credited) or set()
        if year in own:
            return Ruling(FindingStatus.GROUNDED, reasons.backed_by(claim), claim)
        stated |= own
    claim = relied_on[0][0]
    if stated:
        return Ruling(FindingStatus.UNSUPPORTED, reasons.other_edition(sorted(stated), year), claim)
    return Ruling(FindingStatus.GROUNDED, reasons.backed_by(claim), claim)


def _credited_editions(claim: Claim, credited: Sequence[str]) -> set[int] | None:
    """The editions of the claim's reports by the organisations `credited`: those of its
    sources they publish, with the editions its own words name; where it cites none of
    theirs but names them itself ("61% were hit in 2023 (Sophos)"), its own editions. None
    where it neither cites nor names any of them."""
    named = [s for s in claim.sources if any(attribution.credits_agree(c, s.credit_names) for c in credited)]
    if named:
        return {year for source in named for year in source.years} | _named_in_text(claim)
    if any(attribution.credits_agree(c, claim.organisations) for c in credited):
        return set(claim.editions) if not claim.sources else _named_in_text(claim)
    return None


def _named_in_text(claim: Claim) -> set[int]:
    """The editions a claim's own words name: "Sophos's State of Ransomware 2024 found ..."."""
    dating = set(claim.years)
    return {int(q.low) for q in claim.statistics if q.kind == "year" and int(q.low) not in dating}


def _published(index: ClaimIndex, credited: Sequence[str]) -> dict[int, Claim]:
    """The editions of the knowledge base's sources by the organisations `credited`, each with
    a claim citing it."""
    found: dict[int, Claim] = {}
    for name, editions in sorted(index.editions.items()):
        if any(attribution.credits_agree(c, (name,)) for c in credited):
            for year, claim in editions.items():
                found.setdefault(year, claim)
    return found
