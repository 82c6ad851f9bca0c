"""The knowledge base indexed for checking: every claim's statistics by figure and by word.

Built once per knowledge base (and kept on disk by `indexcache`), so that judging a draft's
statistic is a few dictionary lookups, not a scan of every claim.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from itertools import chain, repeat

from angleforge import attribution, subjects, terms
from angleforge.findings import ClaimRef
from angleforge.guardrail.sense import sense_of
from angleforge.knowledge import Claim, KnowledgeBase
from angleforge.quantities import Quantity, extract
from angleforge.subjects import ClaimSubject, Subject, SubjectModel


class Entry:
    """One statistic of one claim, with the subject around it, the words beside it, and the
    years a draft may give it: the one it is of, else those of its claim."""

    __slots__ = ("claim", "date", "nearby", "own", "quantity", "sense", "subject", "words", "years")

    @property
    def head(self) -> str | None:
        """The noun the figure counts, if it counts something: "engineer" of "27,000 qualified
        heat pump engineers"."""
        return self.subject.counted[-1] if self.subject.counted else None

    def __init__(self, claim: Claim, quantity: Quantity, period: tuple[int, int] | None, subject: ClaimSubject) -> None:
        self.claim = claim
        self.quantity = quantity
        self.date = period[0] if period is not None else None
        self.subject = subject
        self.words = frozenset(terms.content_terms(claim.text))  # its claim's own words, not its framing
        # both ends of a range it is of ("rose 18% between 2022 and 2024"), each of which a draft must give
        self.years = tuple(dict.fromkeys(period)) if period is not None else claim.years or claim.context_years
        others = [(q.start, q.end) for q in claim.statistics if q is not quantity]
        self.nearby = subjects.nearby(claim.text, (quantity.start, quantity.end), others)
        # all the words of its part of the claim, from the figure or joining word before it to the next
        self.own = subjects.nearby(claim.text, (quantity.start, quantity.end), others, reach=len(claim.text))
        figures = [(q.start, q.end) for q in claim.statistics if q is not quantity and q.kind != "year"]
        years = [(q.start, q.end) for q in claim.statistics if q.kind == "year"]
        self.sense = sense_of(claim.text, (quantity.start, quantity.end), figures, years)


class ClaimIndex:
    """Every claim's statistics by (unit, value) of either end, by (unit, word) of its
    sentence, and by claim; claims by the years they give; what each section speaks of."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.subjects = SubjectModel(
            (f"{c.framing} {c.text}" for c in kb.claims),
            vocabulary=[
                *(v.text for v in kb.voice_samples),
                *(s.title for s in kb.sections),
                *(f"{s.title} {s.publisher}" for s in kb.sources),
            ],
        )
        self.organisations = kb.organisations
        # with those posts often cite, indexed for reading whom a draft's sentences credit
        # (`attribution.credited_by`); a name before a year makes it a report's edition
        self.known = attribution.Known.of(kb.organisations, self.subjects.vocabulary)
        self.known_organisations = self.known.names
        self.by_value: dict[tuple[str, float], list[Entry]] = defaultdict(list)
        self.by_term: dict[str, dict[str, list[Entry]]] = {}  # by unit, then word
        # the sourced ones by unit, then each word their own claim says (not its framing)
        self.by_own_word: dict[str, dict[str, list[Entry]]] = {}
        self.by_claim: dict[str, list[Entry]] = defaultdict(list)
        self.claim_subjects: dict[str, ClaimSubject] = {}
        # a finding's pointer to its claim is immutable, so findings share one per claim
        self.refs = {
            c.id: ClaimRef(id=c.id, section=c.section, text=c.text, organisations=c.organisations) for c in kb.claims
        }
        section_words: dict[str, set[str]] = defaultdict(set)
        self._claims_by_term: dict[str, list[Claim]] = defaultdict(list)
        for claim in kb.claims:
            whole = ClaimSubject.of(self.subjects.around(claim.text, extra=claim.framing))
            self.claim_subjects[claim.id] = whole
            for term in whole.sentence:
                self._claims_by_term[term].append(claim)
            section_words[claim.section].update(whole.sentence)
            for quantity, period in zip(claim.statistics, claim.periods, strict=True):
                if quantity.kind != "year":
                    subject = ClaimSubject.of(
                        self.subjects.around(claim.text, (quantity.start, quantity.end), quantity.kind, claim.framing)
                    )
                    entry = Entry(claim, quantity, period, subject)
                    self.by_claim[claim.id].append(entry)
                    for value in {key(quantity.low), key(quantity.high)}:
                        self.by_value[(quantity.unit, value)].append(entry)
                    for term in subject.sentence:
                        self.by_term.setdefault(quantity.unit, {}).setdefault(term, []).append(entry)
                    if claim.sourced:
                        own_words = self.by_own_word.setdefault(quantity.unit, {})
                        for term in sorted(entry.words):
                            own_words.setdefault(term, []).append(entry)
        # the labelled items of each list and the rows of each table ("Speech-to-Text: 100-300ms")
        self.items: dict[str, list[Claim]] = defaultdict(list)
        # each labelled item's label, as words and as the figures it holds ("1-6 months")
        self.labels: dict[str, tuple[frozenset[str], tuple[Quantity, ...]]] = {}
        for claim in kb.claims:
            if claim.label and claim.group and claim.statistics:
                self.items[claim.group].append(claim)
                self.labels[claim.id] = (frozenset(terms.content_terms(claim.label)), tuple(extract(claim.label)))
        # each labelled item's siblings in its list or table, with the words their labels say
        # that its own does not, the words its own says that theirs do not, and their labels'
        # figures: what `rules.same_item` weighs a sentence against, paired once here
        self.siblings: dict[str, list[tuple[Claim, frozenset[str], frozenset[str], tuple[Quantity, ...]]]] = {}
        for group in self.items.values():
            for claim in group:
                own = self.labels[claim.id][0]
                self.siblings[claim.id] = [
                    (other, words - own, own - words, figures)
                    for other in group
                    if other is not claim
                    for words, figures in [self.labels[other.id]]
                ]
        # the values each claim's statistics, and each label's figures, have at either end: a
        # figure states one of them only where its own value is among these (`values`)
        self.claim_values = {claim: values(entry.quantity for entry in found) for claim, found in self.by_claim.items()}
        self.label_values = {claim: values(figures) for claim, (_, figures) in self.labels.items()}
        # what a section as a whole speaks of: "11% actively using" is about organisations
        self.section_words = {name: frozenset(words) for name, words in section_words.items()}
        self.dated = [claim for claim in kb.claims if claim.years and claim.sourced]
        # what each of those says around each year it states as a date (both ends, of a range):
        # "40%+ of agentic AI projects will fail by 2027" of a claim that goes on about legacy systems
        self.year_subjects: dict[str, list[ClaimSubject]] = {
            claim.id: [
                ClaimSubject.of(self.subjects.around(claim.text, (q.start, q.end), "year", claim.framing))
                for q in claim.statistics
                if q.kind == "year" and {int(q.low), int(q.high)} <= set(claim.years)
            ]
            for claim in self.dated
        }
        # the claims that give a year anywhere, their headings' too, and those that state it as a date
        self.by_year: dict[int, list[Claim]] = defaultdict(list)
        self.stating_year: dict[int, list[Claim]] = defaultdict(list)
        for claim in kb.claims:
            for year in sorted({*claim.years, *claim.context_years}):
                self.by_year[year].append(claim)
            for year in sorted(set(claim.years)):
                self.stating_year[year].append(claim)
        # the years of each publisher's sources, by publisher and by domain: the editions a
        # draft may name ("CALSTART's 2025 survey"), with a claim citing each
        self.editions: dict[str, dict[int, Claim]] = defaultdict(dict)
        for claim in kb.claims:
            for source in claim.sources:
                for name in source.credit_names:
                    for year in sorted(source.years):
                        self.editions[name].setdefault(year, claim)

    def stating(self, quantity: Quantity) -> list[Entry]:
        """The claims' statistics that state what `quantity` states."""
        found = self.by_value.get((quantity.unit, key(quantity.low)), ())
        return [e for e in found if quantity.states_same(e.quantity)]

    def sharing_words(self, unit: str, draft: Subject) -> list[Entry]:
        """The claims' statistics of this unit whose sentences share a word with the draft's."""
        by_term = self.by_term.get(unit)
        if by_term is None:
            return []
        found: dict[int, Entry] = {}
        for term in draft.sentence:
            entries = by_term.get(term)
            if entries is not None:
                for entry in entries:
                    found[id(entry)] = entry
        return list(found.values())

    def saying(self, unit: str, words: Iterable[str]) -> Iterable[Entry]:
        """The sourced claims' statistics of this unit whose own claims say some of `words`,
        each once, in the order `words` first finds them."""
        by_word = self.by_own_word.get(unit)
        if by_word is None:
            return ()
        return dict.fromkeys(chain.from_iterable(map(by_word.get, words, repeat(())))).keys()

    def claims_sharing(self, draft: Subject) -> list[Claim]:
        """The claims whose words share one with the draft's, each once."""
        found: dict[str, Claim] = {}
        for term in draft.sentence:
            for claim in self._claims_by_term.get(term, ()):
                found.setdefault(claim.id, claim)
        return list(found.values())

    def counts_same(self, counted: str | None, claim: Claim) -> bool:
        """Whether the claim's section speaks of what the draft's number counts (its rarest
        word, `counted`), if it says."""
        return counted is None or counted in self.section_words[claim.section]


def values(quantities: Iterable[Quantity]) -> frozenset[tuple[str, float]]:
    """The (unit, `key`) of either end of each of `quantities`."""
    return frozenset((q.unit, key(end)) for q in quantities for end in (q.low, q.high))


@lru_cache(maxsize=8192)  # a brief's figures, and the few a draft adds, recur
def key(value: float) -> float:
    """A value rounded to 9 significant digits, so 0.3 s from 300ms meets 0.3 s from 0.3 s."""
    return float(f"{value:.9g}")
