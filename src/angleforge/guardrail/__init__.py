"""Decide, statistic by statistic, whether a draft is backed by the knowledge base's sources.

A pure function of (draft text, knowledge base): no I/O, no model. For each statistic in the
draft, `rules` asks in order whether a knowledge-base claim

1. states the same quantity (after normalisation) in a section that cites sources,
2. talks about the same subject (content words shared with the claim, weighted by rarity),
3. is the claim's number the draft's words point to, where the claim gives several,
4. is credited to the organisation the draft names, if it names one, and
5. carries the year the draft puts beside the number, if it puts one.

The first rule that fails gives the statistic its status and a one-line reason. A year is
judged by the claims its sentence's statistics rely on (`years`).
"""

from __future__ import annotations

import re
from collections import defaultdict

from angleforge import attribution
from angleforge.findings import CheckResult, ClaimRef, Finding
from angleforge.guardrail import reasons
from angleforge.guardrail.case import Case, SentenceContext
from angleforge.guardrail.draft import DraftSentence, read_draft
from angleforge.guardrail.index import ClaimIndex
from angleforge.guardrail.rules import answer_options, judge, swapped
from angleforge.guardrail.ruling import Ruling
from angleforge.guardrail.sources_line import Backers, NamedSource, named_sources
from angleforge.guardrail.years import judge_year
from angleforge.knowledge import Claim, KnowledgeBase
from angleforge.quantities import Quantity, extract
from angleforge.statuses import FindingStatus
from angleforge.subjects import Sentence, Subject

__all__ = ["CheckResult", "ClaimRef", "Finding", "Guardrail"]

# a sentence that repeats this share of a claim's words quotes it
QUOTES = 0.6


class Guardrail:
    """The knowledge base indexed for checking; build once, check many drafts."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.index = ClaimIndex(kb)

    def check(self, text: str, path: str = "-") -> CheckResult:
        return CheckResult.of(self.findings(text), path)

    def findings(self, text: str) -> list[Finding]:
        """A verdict for every statistic in `text`, in order."""
        quantities = extract(text)
        if not quantities:
            return []
        index = self.index
        verdicts: dict[int, Finding] = {}
        grounded: list[tuple[Quantity, Ruling]] = []  # the draft's grounded figures so far
        credits: dict[int, list[str]] = {}  # by sentence start: whom each sentence read so far credits
        relied_on: list[tuple[Claim, tuple[int, ...]]] = []  # the claims its statistics rely on, with their years
        sentences = read_draft(text, quantities)
        named = named_sources(text, [(sentence.start, sentence.end) for sentence in sentences])
        options = answer_options(text, [q for q in quantities if q.kind != "year"])
        read: dict[int, Sentence] = {}  # the sentences with figures, read for their subjects, by start
        for sentence in sentences:
            if not sentence.quantities:
                continue
            body = text[sentence.start : sentence.end]
            years = [q for q in sentence.quantities if q.kind == "year"]
            figures = [q for q in sentence.quantities if q.kind != "year"] if years else sentence.quantities
            credited = self._credited(text, sentence, credits)
            lead = sentence.lead
            reading = read[sentence.start] = index.subjects.read(body)
            if lead is None:
                lead_subject = None
            elif lead.start in read:  # the sentence before it, with figures of its own, read already
                lead_subject = read[lead.start].whole()
            else:
                lead_subject = index.subjects.around(text[lead.start : lead.end])
            context = SentenceContext(
                reading,
                sentence.start,
                figures,
                years,
                credited,
                lead_subject,
                sentence.items_after,
                organisations=index.known_organisations,
                options=options,
            )
            # the claims the sentence's statistics rely on, and by each year of the sentence,
            # the rulings of the statistics of which it is the year
            in_sentence: list[tuple[Claim, tuple[int, ...]]] = []
            beside: dict[int, list[Ruling]] = defaultdict(list)
            judged = [(case := Case(index, context, q), _said_before(text, q, judge(case), grounded)) for q in figures]
            if len(judged) > 1:
                judged = swapped(judged)
            for case, ruling in judged:
                quantity = case.quantity
                verdicts[quantity.start] = self._finding(quantity, ruling)
                if ruling.status is FindingStatus.GROUNDED:
                    grounded.append((quantity, ruling))
                if ruling.claim is not None and ruling.relied_on:
                    in_sentence.append((ruling.claim, ruling.years))
                    if case.year_given is not None and not case.base:
                        beside[case.year_given.start].append(ruling)
            for quantity in years:
                ruling = judge_year(index, context, quantity, in_sentence, beside.get(quantity.start, []), relied_on)
                verdicts[quantity.start] = self._finding(quantity, ruling)
            relied_on.extend(in_sentence)
        findings = [verdicts[q.start] for q in quantities]
        if named and relied_on:
            claims = list({claim.id: claim for claim, _ in relied_on}.values())
            backers = Backers(claims)
            wrong = [source for source in named if not backers.back(source.text)]
            if wrong:  # the claims its sentences without a figure quote may be credited too
                backers = Backers([*claims, *self._quoted_claims(text, sentences)])
                findings.extend(self._named_wrongly(source) for source in wrong if not backers.back(source.text))
                findings.sort(key=lambda finding: finding.start)
        return findings

    def _credited(self, text: str, sentence: DraftSentence, known: dict[int, list[str]]) -> list[str]:
        """The organisations `sentence` credits, else those the figure-less sentence it
        continues credits ("Forrester looked at this. 42% of teams ..."); `known` holds those
        read so far, by sentence start."""
        credited = known.get(sentence.start)
        if credited is None:
            body = text[sentence.start : sentence.end]
            credited = attribution.credited_by(body, self.index.known)
            lead = sentence.lead
            if not credited and lead is not None and not any(q.kind != "year" for q in lead.quantities):
                credited = self._credited(text, lead, known)
            known[sentence.start] = credited
        return credited

    def _quoted_claims(self, text: str, sentences: list[DraftSentence]) -> list[Claim]:
        """The claims the draft's sentences that state no figure say nearly word for word
        ("Many early AI initiatives failed because they automated broken processes")."""
        subjects = self.index.subjects
        quoted = []
        for sentence in sentences:
            if sentence.quantities:
                continue
            words = subjects.around(text[sentence.start : sentence.end]).sentence
            draft = Subject(words, words, ())  # the sentence as a whole is its clause
            for claim in self.index.claims_sharing(draft):
                if (
                    claim.sourced
                    and subjects.similarity(draft, self.index.claim_subjects[claim.id], strict=True) >= QUOTES
                ):
                    quoted.append(claim)
        return quoted

    @staticmethod
    def _named_wrongly(source: NamedSource) -> Finding:
        return Finding(
            text=source.text,
            start=source.start,
            end=source.end,
            status=FindingStatus.MISATTRIBUTED,
            reason=reasons.named_but_backs_nothing(source.text),
            claim=None,
            sources=[],
        )

    def _finding(self, quantity: Quantity, ruling: Ruling) -> Finding:
        claim = ruling.claim
        return Finding(
            text=quantity.text,
            start=quantity.start,
            end=quantity.end,
            status=ruling.status,
            reason=ruling.reason,
            claim=self.index.refs[claim.id] if claim else None,
            sources=list(claim.sources) if claim else [],
        )


# "those 4 people", "in that 11%": a figure the draft points back to
_BACK_REFERENCE_RE = re.compile(r"(?i)\b(?:that|those|these|this|the\s+same)\s+$")


def _said_before(text: str, quantity: Quantity, ruling: Ruling, grounded: list[tuple[Quantity, Ruling]]) -> Ruling:
    """A figure the sentence points back to ("Those 4 people aren't getting help soon") is the
    one the draft grounded before it, where its own sentence says too little to be about
    anything; a figure said of something else keeps its verdict."""
    if ruling.status is not FindingStatus.OUT_OF_CONTEXT or not _BACK_REFERENCE_RE.search(
        text, max(0, quantity.start - 12), quantity.start
    ):
        return ruling
    for earlier, earlier_ruling in reversed(grounded):
        if quantity.states_same(earlier) or earlier.states_same(quantity):
            return earlier_ruling
    return ruling
