"""The rules a statistic must pass, in order; the first that fails gives its finding.

Each rule takes the statistic's `Case` and returns a `Ruling` when the statistic fails it,
or None to hand it to the next. A statistic that passes them all is grounded in the claim
its case chose.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import replace
from itertools import pairwise

from angleforge import subjects
from angleforge.guardrail import hints, reasons
from angleforge.guardrail.case import Case, credits_agree
from angleforge.guardrail.index import ClaimIndex, Entry, key
from angleforge.guardrail.ruling import Ruling
from angleforge.guardrail.sense import may_differ, opposite, reversal
from angleforge.knowledge import Claim
from angleforge.quantities import Quantity, dates
from angleforge.statuses import FindingStatus
from angleforge.subjects import RIVAL_FITS, RIVAL_MARGIN, SUBJECT_AGREES, ClaimSubject

# Where the subjects agree, another claim must repeat nearly all its words (WHOLE_RIVAL_FITS) and
# beat the same-number claim by WHOLE_RIVAL_MARGIN: "Above 800ms, a voice conversation feels
# broken" is the brief's "Above 1,500ms, they feel broken", not its "Above 800ms, conversations
# feel awkward".
WHOLE_RIVAL_FITS = 0.9
WHOLE_RIVAL_MARGIN = 0.3

# a sibling claim the figure's own clause fits by this much more than its claim's, in two words or
# more, is what it says ("..., and 35% are still developing a roadmap" is the list's 42% item)
SIBLING_CLAUSE_MARGIN = 0.5

# the words beside a draft's number point to another of its claim's figures when those only the
# other figure has weigh this many times those only the stated figure has
OTHER_FIGURE_WEIGHS = 2.0

Rule = Callable[[Case], Ruling | None]


def asserts_something(case: Case) -> Ruling | None:
    """The number claims something: not an answer option of a question ("99%? 99.9%? 100%?"),
    nor a count of the post's own list ("The 3 I'd actually watch:" over three items)."""
    quantity, context = case.quantity, case.context
    text = context.sentence.text
    if quantity.start in context.options and text.rstrip().endswith("?"):
        return Ruling(FindingStatus.NOT_A_CLAIM, reasons.answer_option(), None, relied_on=False)
    if (
        quantity.kind == "count"
        and not quantity.is_range
        and context.items_after == quantity.low
        and text.rstrip().endswith(":")
    ):
        return Ruling(FindingStatus.NOT_A_CLAIM, reasons.counts_the_list(quantity), None, relied_on=False)
    return None


def answer_options(text: str, figures: list[Quantity]) -> frozenset[int]:
    """Where the figures of a draft (its statistics other than years, in order) that make a
    list of alternatives start: two figures next to each other parted by nothing but a comma,
    "or", a question mark or a slash ("99%? 99.9%? 100%?", "99%, 99.9% or 100%", "95% / 99%"),
    or a figure that is a question of its own beside short questions in words ("A week? A
    month? 6 months?"). `asserts_something` takes those of a question for its answers; a
    figure followed by a comma alone is none ("If 73%, as vendors claim, reach production, ...")."""
    found: set[int] = set()
    for first, second in pairwise(figures):
        if 0 <= second.start - first.end <= _OPTIONS_GAP and _BETWEEN_OPTIONS_RE.fullmatch(
            text, first.end, second.start
        ):
            found.update((first.start, second.start))
    for figure in figures if "?" in text else ():  # most drafts ask nothing
        if (
            figure.start not in found
            and _OWN_QUESTION_AFTER_RE.match(text, figure.end)
            and _OPTION_OPENS_RE.search(text, max(0, figure.start - _WORD_OPTIONS_REACH), figure.start)
            and (
                _WORD_OPTION_BEFORE_RE.search(text, max(0, figure.start - _WORD_OPTIONS_REACH), figure.start)
                or _WORD_OPTION_AFTER_RE.match(text, figure.end)
            )
        ):
            found.add(figure.start)
    return frozenset(found)


# what parts two answer options: a comma, "or" (after a comma or not), a question mark, a slash,
# with spaces and at most one line break around it (a blank line parts posts, not options)
_BETWEEN_OPTIONS_RE = re.compile(r"[^\S\n]*\n?[^\S\n]*(?:,[^\S\n]*or\b|,|\?|/|\bor\b)[^\S\n]*\n?[^\S\n]*")
_OPTIONS_GAP = 12  # the most characters between two options that such a separator takes
# a figure asked as a question of its own: its question mark right after it, and right before it
# a question mark, a colon or the start of a line
_OWN_QUESTION_AFTER_RE = re.compile(r"[^\S\n]*\?")
_OPTION_OPENS_RE = re.compile(r"(?:^|[?:])[^\S\n]*\Z", re.MULTILINE)
# a short question in words beside it, one to three words ("A month?", "Longer?"), itself opened
# by a question mark, a colon or the start of a line
_WORD = r"[^\W\d_][\w'’-]*"
_WORD_OPTION_BEFORE_RE = re.compile(rf"(?:^|[?:])[^\S\n]*(?:{_WORD}[^\S\n]+){{0,2}}{_WORD}\?[^\S\n]*\Z", re.MULTILINE)
_WORD_OPTION_AFTER_RE = re.compile(rf"[^\S\n]*\?[^\S\n]+(?:{_WORD}[^\S\n]+){{0,2}}{_WORD}\?")
_WORD_OPTIONS_REACH = 40  # how far before a figure such a question is looked for


def same_quantity(case: Case) -> Ruling | None:
    """Some claim states the quantity, after normalisation, where a source is cited, or the
    sentence says the other side of a claim's share ("19% were less happy" of "81% were as or
    more satisfied")."""
    quantity = case.quantity
    if not case.equal and (complement := _complement(case)) is not None:
        return complement
    if not case.equal:
        nearest = hints.nearest_claim(case.index, quantity, case.draft)
        return Ruling(
            FindingStatus.UNSUPPORTED,
            reasons.not_stated(quantity, nearest.quantity if nearest else None),
            nearest.claim if nearest else None,
            relied_on=False,
        )
    if not case.sourced:
        claim = max(case.equal, key=case.fit).claim
        return Ruling(FindingStatus.UNSOURCED, reasons.stated_without_source(claim), claim)
    return None


def _complement(case: Case) -> Ruling | None:
    quantity = case.quantity
    if quantity.unit != "%" or quantity.is_range or quantity.comparator is not None or not 0 < quantity.low < 100:
        return None
    rest = replace(quantity, low=100 - quantity.low, high=100 - quantity.high)
    scored = [
        (case.fit_framed(e), e) for e in case.index.stating(rest) if e.claim.sourced and e.quantity.comparator is None
    ]
    if not scored:
        return None
    score, entry = max(scored, key=lambda pair: pair[0])
    if score < SUBJECT_AGREES or not opposite(case.sense, entry.sense):
        return None
    # a claim that says what the sentence says, the same way round, gives the figure it means
    for other in case.index.sharing_words(quantity.unit, case.draft):
        if (
            other.claim.sourced
            and not rest.states_same(other.quantity)
            and case.index.subjects.similarity(case.framed, other.subject, strict=True) >= score
            and not opposite(case.sense, other.sense)
        ):
            return None
    return _on(entry, FindingStatus.GROUNDED, reasons.complement_of(entry.quantity, entry.claim))


def same_subject(case: Case) -> Ruling | None:
    """The sentence talks about what the chosen claim talks about, and no claim giving
    another number fits it clearly better."""
    best_score, best = case.candidate
    claim, quantity = best.claim, case.quantity
    counts_same = case.index.counts_same(case.counted, claim)
    agrees = counts_same and (best_score >= SUBJECT_AGREES or case.co_stated(claim))
    # a claim stating another figure of the sentence too is the sentence's claim: no other fits better
    if not case.co_stated(claim) and (rival := _fits_clearly_better(case, best_score, best, agrees)) is not None:
        return _on(rival, FindingStatus.UNSUPPORTED, reasons.contradicts(rival.quantity))
    if not agrees:
        # the sentence is what the knowledge base says without a source, about something other
        # than what its sourced claim with the figure speaks of (not that claim restated in a summary)
        unsourced = _unsourced_restating(case, best_score, best)
        if unsourced is not None:
            return Ruling(FindingStatus.UNSOURCED, reasons.stated_without_source(unsourced.claim), unsourced.claim)
        if not counts_same or _counts_other(case, best):
            return _on(best, FindingStatus.OUT_OF_CONTEXT, reasons.about_something_else(quantity, claim))
    return None


def _fits_clearly_better(case: Case, best_score: float, best: Entry, agrees: bool) -> Entry | None:
    """The statistic of another claim, giving another number, that fits the sentence clearly
    better than the chosen claim's (`best`, which fits by `best_score`), if one does."""
    claim, quantity = best.claim, case.quantity
    fits, margin = (WHOLE_RIVAL_FITS, WHOLE_RIVAL_MARGIN) if agrees else (RIVAL_FITS, RIVAL_MARGIN)
    # what the draft says that the stated figure's claim does not: a rival must say some of it
    # (`_says_other`), and those that do are found by those words (`ClaimIndex.saying`)
    sentence = case.draft.sentence.keys()
    unsaid_in_clause = case.draft.clause.keys() - best.words
    unsaid = sentence - best.words
    wanted = unsaid | unsaid_in_clause
    if not wanted:
        return None
    # a claim that states the draft's figure does not contradict it with its other numbers:
    # which of those the draft quotes is the next rule's question (and every statistic that
    # states the figure is one of those claims')
    stating = {e.claim.id for e in case.equal}
    # no claim outside the stated figure's paragraph or list can fit better by the margin where it fits whole
    anywhere = best_score + margin <= 1.0
    said_by_best = sentence & best.words
    weigh = case.index.subjects.weigh
    rivals = sorted(
        (
            (case.rival_fit(e), e)
            for e in case.index.saying(quantity.unit, [t for t in case.draft.sentence if t in wanted])
            if e.claim.id not in stating
            and (anywhere or e.claim.group == claim.group)
            # "below 100%" does not contradict a plain "100%": it bounds the same figure
            and (quantity.comparator is not None or (e.quantity.low, e.quantity.high) != (quantity.low, quantity.high))
            and _says_other(e, e.claim.group == claim.group, unsaid_in_clause, unsaid)
            and not _said_beside(case, e, best, margin)
            and not _complements(case, e)
            and not (agrees and _within(quantity, e.quantity))
        ),
        key=lambda pair: -pair[0],
    )
    own: float | None = None  # how well the chosen claim fits the figure's own clause, once asked
    for score, rival in rivals:
        if rival.claim.group == claim.group:
            # a paragraph's or list's claims differ in little but their figures: the figure's own
            # clause tells which one the sentence says ("past 1,500ms a conversation feels awkward")
            clause, own = case.clause_fit(rival), case.clause_fit(best) if own is None else own
            clearly = (
                (score >= fits and score - best_score >= margin)
                or (clause >= fits and clause - own >= margin)
                # the figure's own clause says a sibling's words and next to none of its claim's
                or (
                    clause >= RIVAL_FITS
                    and clause - own >= SIBLING_CLAUSE_MARGIN
                    and len(rival.words & case.draft.clause.keys()) >= 2
                )
            )
        else:
            clearly = (
                score >= fits
                and score - best_score >= margin
                # summed in a fixed order, so every process compares the same sums
                and weigh(sorted(unsaid & rival.words)) > weigh(sorted(said_by_best - rival.words))
            )
        if clearly:
            return rival
    return None


def _said_beside(case: Case, rival: Entry, best: Entry, margin: float) -> bool:
    """Whether the rival's figure is another figure of the sentence, and this figure's own
    clause does not fit the rival clearly better than its claim: the rival is that figure's
    claim ("a 300ms expectation, and the telephony path by itself costs 200-500ms"), not a
    contradiction of this one. Two figures swapped between their clauses still are one."""
    if (rival.quantity.unit, key(rival.quantity.low)) not in case.others_values:
        return False
    said = sum(q.states_same(rival.quantity) for q in case.others)
    # each of the rival's statistics of that figure must be one the sentence states elsewhere
    # ("The 100ms rule: ... within 300ms" leaves one of "The 300ms rule: ... within 300ms" to this one)
    return (
        said > 0
        and said >= sum(e.quantity.states_same(rival.quantity) for e in case.index.by_claim[rival.claim.id])
        and case.clause_fit(rival) - case.clause_fit(best) < margin
    )


def _within(quantity: Quantity, other: Quantity) -> bool:
    """Whether the figure lies inside another claim's range: where the claim stating it fits
    too, "a 2 MVA depot" says nothing against "depot connections (1-5 MVA)"."""
    return other.is_range and other.low <= quantity.low and quantity.high <= other.high


def _complements(case: Case, rival: Entry) -> bool:
    """Whether the rival gives the other side of the draft's share, said the other way round:
    "only 11% run it in production" beside "89% don't have it in production" agree."""
    quantity, other = case.quantity, rival.quantity
    return (
        quantity.unit == "%" == other.unit
        and not quantity.is_range
        and not other.is_range
        and abs(quantity.low + other.low - 100) < 1e-9
        and opposite(case.sense, rival.sense)
    )


def _counts_other(case: Case, best: Entry) -> bool:
    """Whether what the number counts ("5% of *calls*") is a word the claim never says, in a
    sentence sharing no word with it: the same figure said of another population. A sentence that
    names nothing the number counts ("the bar is 300ms", "a reply within 300ms") is not taken
    for another subject only because it words the claim its own way."""
    counted = case.counted
    if counted is None or counted in best.words:
        return False
    said = case.index.claim_subjects[best.claim.id].sentence
    return counted not in said and said.keys().isdisjoint(case.framed.sentence)


def _unsourced_restating(case: Case, best_score: float, best: Entry) -> Entry | None:
    """The claim without a source that the sentence says, where it fits clearly better than the
    sourced one, and restates no sourced claim of the same figure (a summary list saying again
    what a section sources repeats most of its own words there)."""
    index = case.index
    for entry in case.equal:
        if entry.claim.sourced:
            continue
        score = case.fit(entry)
        if score < RIVAL_FITS or score - best_score < RIVAL_MARGIN:
            continue
        unsourced = index.claim_subjects[entry.claim.id]
        same_figure = index.by_value.get((entry.quantity.unit, key(entry.quantity.low)), ())
        if not any(
            other.claim.sourced and index.subjects.similarity(_whole(index, other), unsourced) >= SUBJECT_AGREES
            for other in same_figure
        ):
            return entry
    return None


def _whole(index: ClaimIndex, entry: Entry) -> ClaimSubject:
    words = index.claim_subjects[entry.claim.id].sentence
    return ClaimSubject(words, words, ())


def same_item(case: Case) -> Ruling | None:
    """Where the claim is one labelled item of a list or row of a table ("Speech-to-Text:
    100-300ms", "France: ... 2024 451,000"), the sentence says its figure of that item, not of
    another item the list gives another figure for ("Telephony adds 100-300ms", "Italy sold
    451,000"): the words before the figure name the other item's label and not this one's, or
    the sentence does, or another figure of the sentence is the other item's."""
    _, best = case.candidate
    claim, quantity, index = best.claim, case.quantity, case.index
    siblings = index.siblings.get(claim.id)
    if siblings is None:
        return None
    said = case.context.sentence.terms
    stating: set[int] | None = None  # every statistic that states the draft's figure, once asked
    before: set[str] | None = None  # read only where the sentence names another item's label at all
    for other, theirs, mine, figures in siblings:
        named = not theirs.isdisjoint(said)
        if not named and not figures:
            continue  # the sentence cannot say this item's: asked before its figures are
        stating = {id(e) for e in case.equal} if stating is None else stating
        if not any(e.quantity.unit == quantity.unit and id(e) not in stating for e in index.by_claim[other.id]):
            continue  # it gives no other figure of the kind
        if named:
            before = case.words_before if before is None else before
            if before & theirs and not before & mine:
                return _on(best, FindingStatus.OUT_OF_CONTEXT, reasons.another_item(quantity, claim, other))
        if figures and _states_another_figure_of(case, other, claim):
            return _on(best, FindingStatus.OUT_OF_CONTEXT, reasons.another_item(quantity, claim, other))
    return None


def _states_another_figure_of(case: Case, other: Claim, claim: Claim) -> bool:
    """Whether a figure beside this one is the figure another item's label holds, and none beside
    it is this item's label's: "34% of victims needed 1-6 months" said where the list's "1-6 months"
    item gives 27%."""
    index = case.index
    if index.label_values[other.id].isdisjoint(case.others_values):
        return False  # no figure of the sentence has a value of the other label's
    theirs, mine = index.labels[other.id][1], index.labels[claim.id][1]
    # the figures just beside it: in "5-7 hours on 11 kW AC, 25-35 min on a 150 kW DC charger"
    # each duration is told by the rating beside it, not by every rating the sentence lists
    beside = case.context.neighbours(case.quantity)
    if any(figure.states_same(q) for figure in beside for q in mine):
        return False
    return any(any(figure.states_same(q) for q in theirs) for figure in beside)


def same_sense(case: Case) -> Ruling | None:
    """The sentence says of the figure what its claim says, not the opposite: "will fail",
    not "will succeed"; "fell", not "rose"; "two years ago", not "now"; "don't have", not
    "already have"."""
    _, best = case.candidate
    if not may_differ(best.sense, case.context.sentence):
        return None
    turned = reversal(case.sense, best.sense)
    if turned is None:
        return None
    return _on(best, FindingStatus.UNSUPPORTED, reasons.reversed_meaning(turned))


def _says_other(rival: Entry, sibling: bool, unsaid_in_clause: set[str], unsaid: set[str]) -> bool:
    """Whether the draft says what the rival claim says and the stated figure's claim does not
    (`unsaid`, of the draft's words; `unsaid_in_clause`, of its figure's clause). Two claims of
    one paragraph or list (`sibling`) differ in little but their figures, so one word of the
    figure's clause tells them apart ("feel awkward" from "feel broken"); claims far apart in a
    brief, with figures of other populations or sources, need at least two words of the
    sentence, weighing more than what only the stated figure's claim says (`same_subject`)."""
    if sibling:
        return not rival.words.isdisjoint(unsaid_in_clause)
    return len(rival.words & unsaid) >= 2


def quoted_number(case: Case) -> Ruling | None:
    """Where the claim gives several numbers, the draft's words point to the one it states:
    "Advertised 800ms latency becomes ..." quotes the claim's 600ms, not the end of its
    800-1,000ms. A range quoted whole ("15-20% of the time" two years ago) is the claim's
    own: two numbers agree, where one number may sit in the wrong place."""
    _, best = case.candidate
    quantity, quoted = case.quantity, best.quantity
    statistics = case.index.by_claim[best.claim.id]
    if len(statistics) == 1:
        return None  # most claims give one number
    if quantity.is_range and quoted.is_range and (quantity.low, quantity.high) == (quoted.low, quoted.high):
        return None
    others = [e for e in statistics if e.quantity.unit == quantity.unit and not quantity.states_same(e.quantity)]
    if not others:
        return None
    pairing = _pairing(case, best, statistics) if len(statistics) > 2 and case.others else None
    if pairing is True:
        return None
    if isinstance(pairing, Entry):
        return _on(best, FindingStatus.UNSUPPORTED, reasons.contradicts_here(pairing.quantity))
    for entry in others:
        said = next((q for q in case.others if q.states_same(entry.quantity)), None)
        # where the sentence states the other figure too, only a swap of the two is wrong, or the
        # other said with no word of its own beside it ("...: 81%; specialists edited the most, at 63%")
        if _points_to(case, quantity, entry, best) and (
            said is None or _points_to(case, said, best, entry) or not _beside(case, said)
        ):
            return _on(best, FindingStatus.UNSUPPORTED, reasons.contradicts_here(entry.quantity))
    return None


def _pairing(case: Case, best: Entry, statistics: list[Entry]) -> Entry | bool | None:
    """Where the claim pairs its figures clause by clause ("at a 350 kW stall delivered 92 kW;
    at a 150 kW stall, 61 kW"), whether the draft's clause pairs the figure as the claim does
    (True), or, for the figure ending a clause beside figures the claim pairs with another of
    its figures, that one: "... a 350 kW stall delivered 61 kW, and at a 150 kW stall 92 kW"
    says 61 kW where the claim says 92 kW. None where the clause tells nothing."""
    quantity, context = case.quantity, case.context
    offset, text = context.offset, context.sentence.text
    breaks = _pair_breaks(text)
    own = bisect_right(breaks, quantity.start - offset)
    partners = [q for q in context.figures if q is not quantity and bisect_right(breaks, q.start - offset) == own]
    entries = [next((e for e in statistics if q.states_same(e.quantity)), None) for q in partners]
    stated = [e for e in entries if e is not None and e is not best]
    if not stated:
        return None
    claim_breaks = _pair_breaks(best.claim.text)
    clauses = {bisect_right(claim_breaks, e.quantity.start) for e in stated}
    if len(clauses) > 1:
        return None  # the clause runs across the claim's pairs
    if bisect_right(claim_breaks, best.quantity.start) in clauses:
        return True
    if any(q.start > quantity.start for q in partners):
        return None  # only the figure that ends its clause is the one said of the others
    (clause,) = clauses
    meant = [
        e
        for e in statistics
        if e.quantity.unit == quantity.unit
        and e not in stated
        and bisect_right(claim_breaks, e.quantity.start) == clause
    ]
    # one figure of the kind in that clause is the one paired there; of several, none is told apart
    return meant[0] if len(meant) == 1 else None


# what parts one pair of figures from the next: "; at a 150 kW stall", ", against 19% for ..."
_PAIRS_BREAK_RE = re.compile(r";|,?\s+(?:and|but|while|whereas|against|versus|vs\.?)\s+|\s[—–]\s")


def _pair_breaks(text: str) -> list[int]:
    """Where each clause `_PAIRS_BREAK_RE` parts `text` into ends: the clause holding a position
    is the number of these at or before it (`bisect_right`), read once for all its figures."""
    return [m.end() for m in _PAIRS_BREAK_RE.finditer(text)]


def _beside(case: Case, figure: Quantity) -> frozenset[str]:
    """The content words beside one of the sentence's figures (`subjects.nearby`)."""
    context = case.context
    offset = context.offset
    span = (figure.start - offset, figure.end - offset)
    fences = [(q.start - offset, q.end - offset) for q in context.neighbours(figure)]
    return subjects.nearby(context.sentence.text, span, fences)


def _points_to(case: Case, figure: Quantity, other: Entry, best: Entry) -> bool:
    """Whether the draft's words around `figure` point to another of the claim's figures
    (`other`) rather than the one it is taken to state (`best`): the year it gives settles
    it, then what the number counts ("600,000 installs", not "27,000 engineers"), then the words
    beside the number that only the other figure has and the claim does not say of this one:
    any, where none point to this one, else more than one, weighing clearly more."""
    context = case.context
    offset = context.offset
    span = (figure.start - offset, figure.end - offset)
    year = dates.year_beside(figure, context.dating, context.figures, context.sentence.text, offset)
    if year is not None and int(year.low) == best.date != other.date:
        return False
    counted = case.index.subjects.counted(context.sentence.text, span[1], figure.kind)
    head = counted[-1] if counted else None
    if head is not None and head in (best.head, other.head):
        return head == other.head != best.head
    if head is not None and other.head is not None:
        return False  # it counts something the other figure does not
    beside = _beside(case, figure)
    # the words only the other figure has beside it, which the claim does not also say of this one
    other_only = (beside & other.nearby) - best.nearby - best.own
    best_only = (beside & best.nearby) - other.nearby
    if not other_only:
        return False
    weigh = case.index.subjects.weigh
    return not best_only or (len(other_only) > 1 and weigh(other_only) > OTHER_FIGURE_WEIGHS * weigh(best_only))


def same_source(case: Case) -> Ruling | None:
    """An organisation the sentence credits is among the claim's sources or named by it."""
    entry = case.candidate[1]
    credited = case.context.credited
    if credited and not credits_agree(credited, entry.claim):
        return _on(entry, FindingStatus.MISATTRIBUTED, reasons.credited_elsewhere(credited, entry.claim))
    return None


def same_bound(case: Case) -> Ruling | None:
    """Where the figure is a bound its claim states as a plain figure ("Up to 40%" of "40% of
    projects will fail") and the sentence's year is not that claim's, while a claim of the same
    figure that gives the year bounds it the other way ("40%+ of agentic AI projects will fail
    by 2027"): what no source states is the bound, not the year."""
    entry, quantity, year = case.candidate[1], case.quantity, case.year
    if year is None or year in entry.years or quantity.comparator in (None, entry.quantity.comparator):
        return None
    dated = [
        (case.fit_framed(e), e)
        for e in case.index.by_value.get((quantity.unit, key(quantity.low)), ())
        if e.claim.sourced and year in e.years and not quantity.states_same(e.quantity)
    ]
    if not dated:
        return None
    score, nearest = max(dated, key=lambda pair: pair[0])
    if score < SUBJECT_AGREES:
        return None
    return Ruling(
        FindingStatus.UNSUPPORTED, reasons.not_stated(quantity, nearest.quantity), nearest.claim, relied_on=False
    )


def same_year(case: Case) -> Ruling | None:
    """A year beside the statistic is a year its claim gives it. A range's ends both are, where
    the claim's figure is of a range too ("rose 18% between 2022 and 2030" of a rise between
    2022 and 2024); a figure of one year may be of any year of the range, one of a series the
    range spans ("between 2022 and 2024, sales fell from 3.02 million to 2.31 million"; whether
    the range's ends are its figures' is the year's own verdict, `years.judge_year`)."""
    entry = case.candidate[1]
    said, years = case.years_said, case.years_of(entry)
    wrong = next((year for year in said if year not in years), None)
    if wrong is None:
        return None
    if len(said) > 1 and len(set(years)) == 1:
        if said[0] <= years[0] <= said[-1]:
            return None
        return _on(entry, FindingStatus.UNSUPPORTED, reasons.other_year(years, f"{said[0]}-{said[-1]}"))
    return _on(entry, FindingStatus.UNSUPPORTED, reasons.other_year(years, wrong))


# whether the figure asserts anything, and whether some backed claim states it at all ...
_BEFORE_CHOOSING: tuple[Rule, ...] = (asserts_something, same_quantity)
# ... and once one does, the claim chosen among those (`Case.choose`) is judged
_AFTER_CHOOSING: tuple[Rule, ...] = (
    same_subject,
    same_item,
    same_sense,
    quoted_number,
    same_source,
    same_bound,
    same_year,
)


def judge(case: Case) -> Ruling:
    """The first ruling of the rules against the statistic, those after choosing its claim only
    once one is chosen, or grounded in its chosen claim."""
    ruling = _first_ruling(_BEFORE_CHOOSING, case)
    if ruling is None:
        case.choose()
        ruling = _first_ruling(_AFTER_CHOOSING, case)
    if ruling is not None:
        return ruling
    entry = case.candidate[1]
    return _on(entry, FindingStatus.GROUNDED, reasons.backed_by(entry.claim))


def _first_ruling(rules: tuple[Rule, ...], case: Case) -> Ruling | None:
    for rule in rules:
        ruling = rule(case)
        if ruling is not None:
            return ruling
    return None


def swapped(judged: list[tuple[Case, Ruling]]) -> list[tuple[Case, Ruling]]:
    """The rulings of one sentence's figures, with the other half of a swap flagged too: where
    one figure contradicts the claim another figure of the sentence is grounded in, and that
    one's own clause fits the first figure's claim better than its own, the two figures have
    changed places ("past 800ms it feels broken, and past 1.5 s it feels awkward")."""
    contradicted = {
        ruling.claim.id: case
        for case, ruling in judged
        if ruling.status is FindingStatus.UNSUPPORTED
        and ruling.claim is not None
        and case.sourced
        and ruling.claim.id != case.candidate[1].claim.id  # another claim's, not its own
    }
    if not contradicted:
        return judged
    result = []
    for case, ruling in judged:
        other = contradicted.get(ruling.claim.id) if ruling.claim is not None else None
        if ruling.status is FindingStatus.GROUNDED and other is not None and other is not case:
            meant = other.candidate[1]
            if case.clause_fit(meant) > case.clause_fit(case.candidate[1]):
                ruling = _on(meant, FindingStatus.UNSUPPORTED, reasons.contradicts(meant.quantity))
        result.append((case, ruling))
    return result


def _on(entry: Entry, status: FindingStatus, reason: str) -> Ruling:
    """A ruling that points to one statistic of a claim, which the sentence then relies on."""
    return Ruling(status, reason, entry.claim, date=entry.date, years=entry.years)
