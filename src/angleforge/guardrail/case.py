"""One statistic of a draft as the rules see it: the figure, its sentence, and the claims that
could back it, with how well each fits."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Container

from angleforge import attribution, subjects, terms
from angleforge.guardrail.index import ClaimIndex, Entry, key
from angleforge.guardrail.sense import Sense, sense_of
from angleforge.knowledge import Claim
from angleforge.quantities import Quantity, dates
from angleforge.subjects import SUBJECT_AGREES, Sentence, Subject

# what parts what a sentence says of one thing from what it says of the next
_BREAK_RE = re.compile(
    r"[.,;:!?\s](?:(?<=[.,])(?:(?<!\d[.,])|(?!\d))|(?<=[;:!?])|(?<=\s)(?:but|while|whereas)\s)"
)  # opening on one set of characters: subjects.CLAUSE_RE
_ASIDE_RE = re.compile(r"\([^()]*\)")


class SentenceContext:
    """What every statistic of one draft sentence shares: its words, its years, its figures
    and the organisations it credits."""

    __slots__ = (
        "_starts",
        "_values",
        "credit_dates",
        "credited",
        "dating",
        "editions",
        "figures",
        "items_after",
        "lead",
        "offset",
        "options",
        "sentence",
        "years",
    )

    def __init__(
        self,
        sentence: Sentence,
        offset: int,
        figures: list[Quantity],
        years: list[Quantity],
        credited: list[str],
        lead: Subject | None = None,
        items_after: int = 0,
        organisations: Container[str] | None = None,
        options: frozenset[int] = frozenset(),
    ) -> None:
        self.sentence = sentence
        self.offset = offset  # where the sentence starts in the draft
        self.figures = figures  # its statistics other than years, in order
        self._starts = [figure.start for figure in figures]
        self._values: list[tuple[str, float]] | None = None
        self.years = years  # its years, in order
        self.lead = lead  # the words of the sentence it continues, if it continues one
        self.items_after = items_after  # the list items that follow it in its post
        # where the draft's figures that make a list of alternatives start (`rules.answer_options`)
        self.options = options
        # those that date its figures, and those that name a report ("Sophos's 2024 survey")
        # (knowing `organisations`: "Coveware 2024" names a report, "Germany 2024" dates a figure)
        self.dating, self.editions = (
            dates.split_years(sentence.text, years, offset, organisations) if years else ([], [])
        )
        self.credited = credited
        # those that close a credit to an organisation it credits or one it knows: "(Gartner,
        # 2025)" and "Gartner (2025)" date the credit, not a figure
        self.credit_dates = (
            [year for year in self.dating if self._closes_credit(year, organisations or ())] if self.dating else []
        )
        if self.credit_dates:
            self.dating = [year for year in self.dating if year not in self.credit_dates]

    def _closes_credit(self, year: Quantity, organisations: Container[str]) -> bool:
        name = dates.credit_named(self.sentence.text, year, self.offset)
        if name is None:
            return False
        name = attribution.normalise(name)
        return name in organisations or any(attribution.credits_agree(c, (name,)) for c in self.credited)

    def neighbours(self, figure: Quantity) -> list[Quantity]:
        """The figures just before and just after `figure`: the only ones that can fence its words."""
        at = bisect_left(self._starts, figure.start)
        return [*self.figures[max(at - 1, 0) : at], *self.figures[at + 1 : at + 2]]

    def nearest(self, figure: Quantity, count: int = 8) -> list[Quantity]:
        """The `count` other figures nearest `figure`: a sentence of hundreds of figures is no
        reason to weigh each against all the others."""
        at = bisect_left(self._starts, figure.start)
        return [q for q in self.figures[max(at - count // 2, 0) : at + 1 + count // 2] if q is not figure]

    def nearest_values(self, figure: Quantity, count: int = 8) -> frozenset[tuple[str, float]]:
        """The (unit, `key`) of the value of each of `nearest`'s figures: another claim's or
        label's figure is stated by none of them where none of its values is among these."""
        if self._values is None:
            self._values = [(q.unit, key(q.low)) for q in self.figures]
        at = bisect_left(self._starts, figure.start)
        return frozenset(self._values[max(at - count // 2, 0) : at] + self._values[at + 1 : at + 1 + count // 2])


class Case:
    """One statistic (not a year) of a draft, with the claims that state the same quantity.

    The claim it is judged against (`candidate`) is chosen once the first rule has found that
    some backed claim states the quantity at all. Choosing it looks ahead at the rules that
    follow: among the claims stating the figure, one whose section speaks of what the number
    counts, that also states another figure of the sentence, credited to whom the sentence
    credits, whose subject agrees, and which gives the sentence's year is preferred, in that
    order, then the one whose subject fits best, then an exact figure over a range's end.
    """

    __slots__ = (
        "_co_stated",
        "_counted",
        "_others",
        "_others_values",
        "base",
        "candidate",
        "context",
        "draft",
        "equal",
        "framed",
        "index",
        "quantity",
        "sourced",
        "span",
        "year",
        "year_given",
        "years_said",
    )
    # the backed claim stating this quantity that the statistic is judged against, and how well
    # its subject fits (`choose`)
    candidate: tuple[float, Entry]

    def __init__(self, index: ClaimIndex, context: SentenceContext, quantity: Quantity) -> None:
        self.index = index
        self.context = context
        self.quantity = quantity
        offset = context.offset
        self.span = (quantity.start - offset, quantity.end - offset)  # in the sentence
        self.draft: Subject = context.sentence.around(self.span, quantity.kind)
        # its subject with the sentence it continues: what the figure is about, where its own
        # sentence says it only by "it" or "those" ("TTEC Digital: 89% don't have it in production")
        self.framed = subjects.continued(self.draft, context.lead) if context.lead is not None else self.draft
        self.equal = index.stating(quantity)
        self.sourced = [e for e in self.equal if e.claim.sourced]
        # the year the sentence gives the statistic, if it gives one
        self.year_given = (
            dates.year_beside(quantity, context.dating, context.figures, context.sentence.text, offset)
            if context.dating  # most sentences date nothing
            else None
        )
        self.year = int(self.year_given.low) if self.year_given is not None else None
        # every year it says, both ends of a range ("between 2022 and 2030"), and whether that is
        # the year a change is measured against ("up 63% on 2023"), which its claim states as a
        # year of its own rather than as the figure's
        given = self.year_given
        self.years_said: tuple[int, ...] = (
            () if given is None else tuple(dict.fromkeys((int(given.low), int(given.high))))
        )
        self.base = given is not None and dates.measured_against(context.sentence.text, given, offset)
        self._counted: str | bool | None = False  # False: not read yet
        self._co_stated: dict[str, bool] = {}  # by claim id
        self._others: list[Quantity] | None = None
        self._others_values: frozenset[tuple[str, float]] | None = None

    def years_of(self, entry: Entry) -> tuple[int, ...]:
        """The years the sentence's year must be among: those the claim gives the figure, or
        where the sentence gives the year it is measured against, those the claim states."""
        return (entry.claim.years or entry.years) if self.base else entry.years

    @property
    def counted(self) -> str | None:
        """The rarest word of what the number counts ("budget" in "40% of contact center
        budgets"), if the sentence says."""
        if self._counted is False:
            words = self.draft.counted
            self._counted = self.index.subjects.rarest(words) if words else None
        return self._counted  # type: ignore[return-value]

    @property
    def sense(self) -> Sense:
        """What the statistic's clause says besides its subject: up or down, then or now ..."""
        context = self.context
        offset = context.offset
        others = [(q.start - offset, q.end - offset) for q in context.neighbours(self.quantity)]
        years = [(q.start - offset, q.end - offset) for q in context.years]
        return sense_of(context.sentence.text, self.span, others, years)

    @property
    def words_before(self) -> set[str]:
        """The content words of what the sentence says before the figure, back to the last
        break or figure before it, asides in parentheses left out: the item it is said of
        ("but telephony alone (SIP routing, ...) eats 200-800ms"); where that says nothing and
        the figure is the sentence's first, all the sentence says before it ("Italy is
        holding up better than you'd think: 451,000")."""
        sentence, stop = self.context.sentence, self.span[0]
        text = sentence.text[:stop]
        aside = "(" in text
        if aside:
            text = _ASIDE_RE.sub(lambda m: " " * len(m.group()), text)
        offset = self.context.offset
        figures_before = [f.end - offset for f in self.context.neighbours(self.quantity) if f.end - offset <= stop]
        start = max([*(m.end() for m in _BREAK_RE.finditer(text)), *figures_before], default=0)
        if figures_before and start == figures_before[-1] and (joined := text.rfind(" and ", start)) >= 0:
            # what follows the figure before, up to "and", is that one's: "on a 150 kW DC charger and 18-24 min"
            start = joined + 5
        if aside or not sentence.plain:
            words = set(terms.content_terms(text[start:]))
            return words or (set(terms.content_terms(text)) if not figures_before else set())
        # the sentence's words as read for its subject, where no aside is left out
        words = set(sentence.terms_between(start, stop))
        return words or (set(sentence.terms_between(0, stop)) if not figures_before else set())

    def fit(self, entry: Entry) -> float:
        """How well the claim's subject fits the statistic's own sentence."""
        return self.index.subjects.similarity(self.draft, entry.subject)

    def rival_fit(self, entry: Entry) -> float:
        """How well another claim's subject fits the statistic's own sentence, as a rival to
        the claim stating its figure: a one-word clause of that claim ("41% of cases") does not
        make it fit whole."""
        return self.index.subjects.similarity(self.draft, entry.subject, strict=True)

    def clause_fit(self, entry: Entry) -> float:
        """How well a claim's subject fits the statistic's own clause alone."""
        own = self.draft
        return self.index.subjects.similarity(Subject(own.clause, own.clause, own.counted), entry.subject, strict=True)

    def fit_framed(self, entry: Entry) -> float:
        """How well it fits the sentence with the one it continues (which, where it continues
        none, is `fit`)."""
        return self.index.subjects.similarity(self.framed, entry.subject)

    def choose(self) -> None:
        """Choose `candidate`, once some backed claim states the quantity. An attribute set
        once rather than a property: the rules read it a hundred times a check."""
        scored = [(self.fit_framed(e), e) for e in self.sourced]
        self.candidate = max(scored, key=self._preference) if len(scored) > 1 else scored[0]

    def co_stated(self, claim: Claim) -> bool:
        """Whether the claim also states another figure of the sentence, as the sentence states
        it (a range whole, not by one of its ends): "dwell time fell to 10 days in 2023, down from
        16 days" is the claim that gives both, whatever the words."""
        found = self._co_stated.get(claim.id)
        if found is None:
            found = self._co_stated[claim.id] = not self.index.claim_values[claim.id].isdisjoint(
                self.others_values
            ) and any(
                q.states_same(e.quantity) and q.is_range == e.quantity.is_range
                for q in self.others
                for e in self.index.by_claim[claim.id]
            )
        return found

    @property
    def others(self) -> list[Quantity]:
        """The sentence's other figures nearest this one (`SentenceContext.nearest`)."""
        if self._others is None:
            self._others = self.context.nearest(self.quantity)
        return self._others

    @property
    def others_values(self) -> frozenset[tuple[str, float]]:
        """`SentenceContext.nearest_values` of this figure."""
        if self._others_values is None:
            self._others_values = self.context.nearest_values(self.quantity)
        return self._others_values

    def _preference(self, pair: tuple[float, Entry]) -> tuple[bool, bool, bool, bool, bool, float, bool]:
        score, entry = pair
        claim, quantity = entry.claim, self.quantity
        credited, years = self.context.credited, self.years_said  # most sentences have neither
        return (
            self.index.counts_same(self.counted, claim),
            self.co_stated(claim),
            not credited or credits_agree(credited, claim),
            score >= SUBJECT_AGREES,
            not years or all(year in self.years_of(entry) for year in years),
            score,
            entry.quantity.low == quantity.low and entry.quantity.high == quantity.high,
        )


def credits_agree(credited: list[str], claim: Claim) -> bool:
    """Whether every organisation the sentence credits backs the claim."""
    return not credited or all(attribution.credits_agree(name, claim.credit_names) for name in credited)
