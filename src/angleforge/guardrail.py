"""Decide, statistic by statistic, whether a draft is backed by the knowledge base's sources.

A pure function of (draft text, knowledge base): no I/O, no model. For each statistic in
the draft it looks for a knowledge-base claim that

1. states the same quantity (after normalisation) in a section that cites sources,
2. talks about the same subject (content words shared with the claim, weighted by rarity),
3. is credited to the organisation the draft names, if it names one, and
4. carries the year the draft puts beside the number, if it puts one.

The first rule that fails gives the statistic its status and a one-line reason.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from angleforge import attribution, subjects, terms
from angleforge.knowledge import Claim, KnowledgeBase, Source
from angleforge.quantities import Quantity, extract
from angleforge.subjects import Sentence, Subject, SubjectModel

Status = Literal["grounded", "unsupported", "unsourced", "out_of_context", "misattributed"]

# A claim's subject agrees with a draft sentence when the rarity-weighted share of the claim's
# content words that the sentence repeats reaches SUBJECT_AGREES. Another claim "clearly" fits
# better when it reaches RIVAL_FITS and beats the best same-number claim by RIVAL_MARGIN.
SUBJECT_AGREES = 0.3
RIVAL_FITS = 0.45
RIVAL_MARGIN = 0.25
# Where the subjects agree, another claim must repeat nearly all its words (WHOLE_RIVAL_FITS) and
# beat the same-number claim by WHOLE_RIVAL_MARGIN: "Above 800ms, a voice conversation feels
# broken" is the brief's "Above 1,500ms, they feel broken", not its "Above 800ms, conversations
# feel awkward".
WHOLE_RIVAL_FITS = 0.9
WHOLE_RIVAL_MARGIN = 0.3
# an unsupported figure's hint is the claim nearest in value among those within HINT_MARGIN of
# the best-fitting one
HINT_MARGIN = 0.15


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimRef:
    """The knowledge-base claim a finding points to."""

    id: str
    section: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """The verdict on one statistic of a draft (the `statistics` items of `check --json`)."""

    text: str
    start: int
    end: int
    status: Status
    reason: str
    claim: ClaimRef | None
    sources: list[Source]

    @property
    def grounded(self) -> bool:
        return self.status == "grounded"

    def to_json(self) -> dict[str, Any]:
        """The `check --json` form; written out field by field, since `dataclasses.asdict`'s
        deep copy costs more than the check of a short draft."""
        claim = self.claim
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "status": self.status,
            "reason": self.reason,
            "claim": {"id": claim.id, "section": claim.section, "text": claim.text} if claim else None,
            "sources": [{"title": s.title, "url": s.url, "publisher": s.publisher} for s in self.sources],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Finding:
        """A finding back from its `check --json` form (as the store keeps it)."""
        claim = data.get("claim")
        return cls(
            text=data["text"],
            start=data["start"],
            end=data["end"],
            status=data["status"],
            reason=data["reason"],
            claim=ClaimRef(**claim) if claim else None,
            sources=[Source(**source) for source in data.get("sources", [])],
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckResult:
    """One checked draft: `check --json` prints a list of these."""

    path: str
    verdict: Literal["pass", "flagged"]
    statistics: list[Finding]

    @property
    def flagged(self) -> list[Finding]:
        return [f for f in self.statistics if not f.grounded]

    @property
    def draft_status(self) -> Literal["passed", "flagged"]:
        """The status a draft with this verdict is stored under."""
        return "passed" if self.verdict == "pass" else "flagged"

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "verdict": self.verdict, "statistics": self.findings_json()}

    def findings_json(self) -> list[dict[str, Any]]:
        return [finding.to_json() for finding in self.statistics]


class _Entry:
    """One statistic of one claim, with the subject around it and the words beside it."""

    __slots__ = ("claim", "nearby", "quantity", "subject")

    def __init__(self, claim: Claim, quantity: Quantity, subject: Subject) -> None:
        self.claim = claim
        self.quantity = quantity
        self.subject = subject
        others = [(q.start, q.end) for q in claim.statistics if q is not quantity]
        self.nearby = subjects.nearby(claim.text, (quantity.start, quantity.end), others)


class Guardrail:
    """The knowledge base indexed for checking; build once, check many drafts."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._subjects = SubjectModel(
            (f"{c.label or ''} {c.text}" for c in kb.claims),
            vocabulary=[*(v.text for v in kb.voice_samples), *(s.title for s in kb.sections)],
        )
        self._organisations = kb.organisations
        # entries by (unit, value) of either end, and by (unit, word): lookups, not scans
        self._by_value: dict[tuple[str, float], list[_Entry]] = defaultdict(list)
        self._by_term: dict[tuple[str, str], list[_Entry]] = defaultdict(list)
        self._by_claim: dict[str, list[_Entry]] = defaultdict(list)
        self._claim_subjects: dict[str, Subject] = {}
        # a finding's pointer to its claim is immutable, so findings share one per claim
        self._refs = {c.id: ClaimRef(id=c.id, section=c.section, text=c.text) for c in kb.claims}
        section_words: dict[str, set[str]] = defaultdict(set)
        for claim in kb.claims:
            whole = self._subjects.around(claim.text, extra=claim.label or "")
            self._claim_subjects[claim.id] = whole
            section_words[claim.section].update(whole.sentence)
            for quantity in claim.statistics:
                if quantity.kind != "year":
                    subject = self._subjects.around(
                        claim.text, (quantity.start, quantity.end), quantity.kind, claim.label or ""
                    )
                    entry = _Entry(claim, quantity, subject)
                    self._by_claim[claim.id].append(entry)
                    for value in {_key(quantity.low), _key(quantity.high)}:
                        self._by_value[(quantity.unit, value)].append(entry)
                    for term in subject.sentence:
                        self._by_term[(quantity.unit, term)].append(entry)
        # what a section as a whole speaks of: "11% actively using" is about organisations
        self._section_words = {name: frozenset(words) for name, words in section_words.items()}
        self._dated = [claim for claim in kb.claims if claim.years and claim.sourced]
        self._years: dict[int, list[Claim]] = defaultdict(list)
        for claim in kb.claims:
            for year in sorted({*claim.years, *claim.context_years}):
                self._years[year].append(claim)

    def check(self, text: str, path: str = "-") -> CheckResult:
        findings = self.findings(text)
        verdict: Literal["pass", "flagged"] = "pass" if all(f.grounded for f in findings) else "flagged"
        return CheckResult(path=path, verdict=verdict, statistics=findings)

    def findings(self, text: str) -> list[Finding]:
        """A verdict for every statistic in `text`, in order."""
        quantities = extract(text)
        if not quantities:
            return []
        spans = terms.sentence_spans(text)
        starts = [start for start, _ in spans]
        by_sentence: dict[int, list[int]] = defaultdict(list)
        for index, quantity in enumerate(quantities):
            by_sentence[max(bisect_right(starts, quantity.start) - 1, 0)].append(index)

        verdicts: dict[int, Finding] = {}
        for sentence_index, members in by_sentence.items():
            offset, end = spans[sentence_index]
            sentence = self._subjects.read(text[offset:end])
            years = [quantities[i] for i in members if quantities[i].kind == "year"]
            year_starts = [year.start for year in years]
            credited = (
                attribution.credited_names(sentence.text, self._organisations) if len(members) > len(years) else []
            )
            chosen: dict[str, Claim] = {}  # the claims backing the sentence's statistics, each once
            figures = [i for i in members if quantities[i].kind != "year"]
            stated = [quantities[i] for i in figures]
            for index in figures:
                finding, claim = self._judge(quantities[index], sentence, offset, years, year_starts, credited, stated)
                verdicts[index] = finding
                if claim is not None:
                    chosen.setdefault(claim.id, claim)
            for index in members:
                quantity = quantities[index]
                if quantity.kind == "year":
                    verdicts[index] = self._judge_year(quantity, sentence, offset, list(chosen.values()))
        return [verdicts[i] for i in range(len(quantities))]

    # --- the four rules ---------------------------------------------------------------------

    def _judge(
        self,
        quantity: Quantity,
        sentence: Sentence,
        offset: int,
        years: list[Quantity],
        year_starts: list[int],
        credited: list[str],
        stated: list[Quantity],
    ) -> tuple[Finding, Claim | None]:
        """The verdict on `quantity`, one of the figures `stated` in `sentence` (which starts at
        `offset` of the draft), beside the sentence's `years` and the organisations it credits."""
        equal = self._stating(quantity)
        span = (quantity.start - offset, quantity.end - offset)
        draft = sentence.around(span, quantity.kind)
        similarity = self._subjects.similarity

        # 1. the same quantity, stated where a source is cited
        if not equal:
            nearest = _nearest(
                quantity, [(similarity(draft, e.subject), e) for e in self._sharing_words(quantity.unit, draft)]
            )
            if nearest is not None and not nearest.claim.sourced:
                # a backed claim (a cited source or a named organisation) stating the same figure, if
                # there is one: a hint with sources
                nearest = max(
                    (e for e in self._stating(nearest.quantity) if e.claim.sourced),
                    key=lambda e: similarity(draft, e.subject),
                    default=nearest,
                )
            hint = f"; the nearest claim says {nearest.quantity.text.strip()}" if nearest else ""
            claim = nearest.claim if nearest else None
            return self._finding(
                quantity,
                "unsupported",
                f"no cited source states {quantity.text.strip()}{hint}",
                claim,
            ), None
        sourced = [e for e in equal if e.claim.sourced]
        if not sourced:
            claim = max(equal, key=lambda e: similarity(draft, e.subject)).claim
            return self._finding(
                quantity,
                "unsourced",
                f"stated only in '{claim.section}', which cites no source",
                claim,
            ), claim

        year = _year_beside(quantity, years, year_starts, sentence.text, offset)
        scored = [(similarity(draft, e.subject), e) for e in sourced]
        counted = self._subjects.rarest(draft.counted) if draft.counted else None

        def preference(pair: tuple[float, _Entry]) -> tuple[bool, bool, bool, bool, float, bool]:
            score, entry = pair
            return (
                self._counts_same(counted, entry.claim),
                self._credits_agree(credited, entry.claim),
                score >= SUBJECT_AGREES,
                year is None or year in (entry.claim.years or entry.claim.context_years),
                score,
                entry.quantity.low == quantity.low and entry.quantity.high == quantity.high,
            )

        best_score, best = max(scored, key=preference) if len(scored) > 1 else scored[0]
        claim = best.claim

        # 2. the same subject
        counts_same = self._counts_same(counted, claim)
        agrees = counts_same and best_score >= SUBJECT_AGREES
        fits, margin = (WHOLE_RIVAL_FITS, WHOLE_RIVAL_MARGIN) if agrees else (RIVAL_FITS, RIVAL_MARGIN)
        # a claim that states the draft's figure does not contradict it with its other numbers:
        # which of those the draft quotes is settled below
        stating = {e.claim.id for e in equal}
        rival = (
            self._fits_clearly_better(
                draft,
                best_score,
                (
                    e
                    for e in self._sharing_words(quantity.unit, draft)
                    if e.claim.sourced and e.claim.id not in stating and not quantity.states_same(e.quantity)
                ),
                fits,
                margin,
            )
            if best_score + margin <= 1.0  # no subject fits better than whole
            else None
        )
        if rival is not None:
            return self._finding(
                quantity,
                "unsupported",
                f"contradicts the knowledge base, which gives {rival.quantity.text.strip()} for this",
                rival.claim,
            ), rival.claim
        if not agrees:
            # the sentence is the one the knowledge base states without a source
            unsourced = self._fits_clearly_better(draft, best_score, (e for e in equal if not e.claim.sourced))
            if unsourced is not None:
                return self._finding(
                    quantity,
                    "unsourced",
                    f"stated only in '{unsourced.claim.section}', which cites no source",
                    unsourced.claim,
                ), unsourced.claim
            if not counts_same or self._subjects.foreign(draft):
                return self._finding(
                    quantity,
                    "out_of_context",
                    f"the knowledge base states {quantity.text.strip()} about something else: '{claim.text}'",
                    claim,
                ), claim

        # ... and, where one claim gives several numbers, the one the draft's words point to:
        # "Advertised 800ms latency becomes ..." quotes the claim's 600ms, not the end of its
        # 800-1,000ms. A range quoted whole ("15-20% of the time" two years ago) is the claim's
        # own: two numbers agree, where one number may sit in the wrong place.
        quoted = best.quantity
        whole = quantity.is_range and quoted.is_range and (quantity.low, quantity.high) == (quoted.low, quoted.high)
        others = (
            []
            if whole
            else [
                e
                for e in self._by_claim[claim.id]
                if e.quantity.unit == quantity.unit and not quantity.states_same(e.quantity)
            ]
        )
        if others:
            fences = [(q.start - offset, q.end - offset) for q in stated if q is not quantity]
            beside = subjects.nearby(sentence.text, span, fences)
            aligned = len(beside & best.nearby)
            for entry in others:
                if len(beside & entry.nearby) > aligned:
                    return self._finding(
                        quantity,
                        "unsupported",
                        f"contradicts the knowledge base, which gives {entry.quantity.text.strip()} here",
                        claim,
                    ), claim

        # 3. the organisation the draft credits
        if credited and not self._credits_agree(credited, claim):
            backers = ", ".join(claim.credit_names) or "no one"
            return self._finding(
                quantity,
                "misattributed",
                f"credited to {', '.join(credited)}, but the claim is backed by {backers}",
                claim,
            ), claim

        # 4. the year beside it
        if year is not None:
            allowed = claim.years or claim.context_years
            if year not in allowed:
                expected = ", ".join(str(y) for y in allowed) or "no year"
                return self._finding(
                    quantity,
                    "unsupported",
                    f"the knowledge base gives {expected} for this, not {year}",
                    claim,
                ), claim

        return self._finding(quantity, "grounded", f"backed by '{claim.text}'", claim), claim

    def _judge_year(self, quantity: Quantity, sentence: Sentence, offset: int, chosen: list[Claim]) -> Finding:
        year = int(quantity.low)
        claims = self._years.get(year, [])
        sourced = [c for c in claims if c.sourced]
        if not claims:
            return self._finding(quantity, "unsupported", f"no claim in the knowledge base mentions {year}", None)
        if not sourced:
            return self._finding(quantity, "unsourced", f"{year} is stated only where no source is cited", claims[0])
        # beside a statistic, the year is the one its claim gives
        for claim in chosen:
            if year in claim.years:
                return self._finding(quantity, "grounded", f"backed by '{claim.text}'", claim)
        for claim in chosen:
            if claim.years:
                given = ", ".join(str(y) for y in claim.years)
                return self._finding(
                    quantity,
                    "unsupported",
                    f"the knowledge base gives {given} for this, not {year}",
                    claim,
                )
        for claim in chosen:
            if year in claim.context_years:
                return self._finding(quantity, "grounded", f"backed by '{claim.text}'", claim)
        draft = sentence.around((quantity.start - offset, quantity.end - offset), "year")
        similarity = self._subjects.similarity
        best_score, best = max(
            ((similarity(draft, self._claim_subjects[c.id]), c) for c in sourced),
            key=lambda pair: pair[0],
        )
        if best_score < SUBJECT_AGREES:
            # a claim that fits better gives another year: "2027 shift" for "2026 shift"
            rival_score, rival = max(
                ((similarity(draft, self._claim_subjects[c.id]), c) for c in self._dated if year not in c.years),
                key=lambda pair: pair[0],
                default=(0.0, None),
            )
            if rival is not None and rival_score >= RIVAL_FITS and rival_score - best_score >= RIVAL_MARGIN:
                given = ", ".join(str(y) for y in rival.years)
                return self._finding(
                    quantity,
                    "unsupported",
                    f"contradicts the knowledge base, which gives {given} for this",
                    rival,
                )
            if self._subjects.foreign(draft):
                return self._finding(
                    quantity, "out_of_context", f"the sources give {year} only for other subjects", best
                )
        return self._finding(quantity, "grounded", f"backed by '{best.text}'", best)

    def _fits_clearly_better(
        self,
        draft: Subject,
        than: float,
        entries: Iterable[_Entry],
        fits: float = RIVAL_FITS,
        margin: float = RIVAL_MARGIN,
    ) -> _Entry | None:
        """The entry whose subject fits the draft well (`fits`), and better than `than` by
        `margin`, if any."""
        score, entry = max(
            ((self._subjects.similarity(draft, e.subject), e) for e in entries),
            key=lambda pair: pair[0],
            default=(0.0, None),
        )
        return entry if entry is not None and score >= fits and score - than >= margin else None

    def _sharing_words(self, unit: str, draft: Subject) -> list[_Entry]:
        """The claims' statistics of this unit whose sentences share a word with the draft's."""
        found: dict[int, _Entry] = {}
        for term in draft.sentence:
            for entry in self._by_term.get((unit, term), ()):
                found[id(entry)] = entry
        return list(found.values())

    def _stating(self, quantity: Quantity) -> list[_Entry]:
        """The claims' statistics that state what `quantity` states."""
        found = self._by_value.get((quantity.unit, _key(quantity.low)), ())
        return [e for e in found if quantity.states_same(e.quantity)]

    def _counts_same(self, counted: str | None, claim: Claim) -> bool:
        """Whether the claim's section speaks of what the draft's number counts (its rarest
        word, `counted`), if it says."""
        return counted is None or counted in self._section_words[claim.section]

    @staticmethod
    def _credits_agree(credited: list[str], claim: Claim) -> bool:
        return not credited or all(attribution.credits_agree(name, claim.credit_names) for name in credited)

    def _finding(self, quantity: Quantity, status: Status, reason: str, claim: Claim | None) -> Finding:
        return Finding(
            text=quantity.text,
            start=quantity.start,
            end=quantity.end,
            status=status,
            reason=reason,
            claim=self._refs[claim.id] if claim else None,
            sources=list(claim.sources) if claim else [],
        )


# what parts a clause from the next: a year past one of these is beside the statistic only where
# its own clause holds none
_CLAUSE_BREAK_RE = re.compile(r"[,;:()\[\]—–]|\s-\s")


def _year_beside(
    quantity: Quantity, years: list[Quantity], starts: list[int], sentence: str, offset: int
) -> int | None:
    """The year nearest the statistic in its sentence (which starts at `offset`; `years` in text
    order, `starts` theirs), one in the statistic's own clause first: in "...raised €300M in
    2025, and utilities committed $4.2B in 2024", the $4.2B is of 2024."""
    if not years:
        return None

    def in_its_clause(year: Quantity) -> bool:
        low, high = (year.end, quantity.start) if year.end <= quantity.start else (quantity.end, year.start)
        return _CLAUSE_BREAK_RE.search(sentence, low - offset, high - offset) is None

    at = bisect_right(starts, quantity.start)
    around = years[max(at - 1, 0) : at + 1]
    nearest = min(
        around,
        key=lambda y: (not in_its_clause(y), min(abs(y.start - quantity.end), abs(quantity.start - y.end))),
    )
    return int(nearest.low)


def _nearest(quantity: Quantity, scored: list[tuple[float, _Entry]]) -> _Entry | None:
    """The claim's statistic an unsupported figure most likely means: the one whose subject fits
    best, or, among those whose subjects agree nearly as well, the nearest in value ("users
    expect a reply within 250ms" means the 300ms rule, not ">1 second to respond")."""
    if not scored:
        return None
    top = max(score for score, _ in scored)
    agreeing = [(score, entry) for score, entry in scored if score >= max(top - HINT_MARGIN, SUBJECT_AGREES)]
    if not agreeing:
        return max(scored, key=lambda pair: pair[0])[1]
    return min(agreeing, key=lambda pair: (_distance(quantity, pair[1].quantity), -pair[0]))[1]


def _distance(a: Quantity, b: Quantity) -> float:
    """How far apart two figures of one unit are, as a ratio of their midpoints where both are
    positive: 250ms is nearer 300ms than 1 second, 12% nearer 11% than 89%."""
    x, y = (a.low + a.high) / 2, (b.low + b.high) / 2
    return abs(math.log(x / y)) if x > 0 and y > 0 else abs(x - y) + 1e9


def _key(value: float) -> float:
    """A value rounded to 9 significant digits, so 0.3 s from 300ms meets 0.3 s from 0.3 s."""
    return float(f"{value:.9g}")
