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

from bisect import bisect_right
from collections import defaultdict

from angleforge import attribution, terms
from angleforge.findings import CheckResult, ClaimRef, Finding
from angleforge.guardrail.case import Case, SentenceContext
from angleforge.guardrail.index import ClaimIndex
from angleforge.guardrail.rules import judge
from angleforge.guardrail.ruling import Ruling
from angleforge.guardrail.years import judge_year
from angleforge.knowledge import Claim, KnowledgeBase
from angleforge.quantities import Quantity, extract

__all__ = ["CheckResult", "ClaimRef", "Finding", "Guardrail"]


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
        spans = terms.sentence_spans(text)
        starts = [start for start, _ in spans]
        by_sentence: dict[int, list[Quantity]] = defaultdict(list)
        for quantity in quantities:
            by_sentence[max(bisect_right(starts, quantity.start) - 1, 0)].append(quantity)

        verdicts: dict[int, Finding] = {}
        index = self.index
        for sentence_index, members in by_sentence.items():
            offset, end = spans[sentence_index]
            sentence = index.subjects.read(text[offset:end])
            years = [q for q in members if q.kind == "year"]
            figures = [q for q in members if q.kind != "year"]
            credited = attribution.credited_names(sentence.text, index.organisations) if figures else []
            context = SentenceContext(sentence, offset, figures, years, credited)
            # the claims the sentence's statistics rely on, with the years of those statistics,
            # and by each year of the sentence, those of which it is the year
            relied_on: list[tuple[Claim, int | None]] = []
            beside: dict[int, list[tuple[Claim, int | None]]] = defaultdict(list)
            for quantity in figures:
                case = Case(index, context, quantity)
                ruling = judge(case)
                verdicts[quantity.start] = self._finding(quantity, ruling)
                if ruling.claim is not None and ruling.relied_on:
                    relied_on.append((ruling.claim, ruling.date))
                    if case.year_given is not None:
                        beside[case.year_given.start].append((ruling.claim, ruling.date))
            for quantity in years:
                ruling = judge_year(index, context, quantity, relied_on, beside.get(quantity.start, []))
                verdicts[quantity.start] = self._finding(quantity, ruling)
        return [verdicts[q.start] for q in quantities]

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
