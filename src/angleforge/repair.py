"""What a repair prompt tells the model about its draft.

A repair is worth its call only where it fixes what was wrong and leaves the rest alone. So
the model hears each rejected statistic in the sentence it stands in, why it was rejected,
and the brief's own wording to use instead where there is one; each broken format rule; and
the figures that were checked and found backed, which it must keep as they are. A model told
only "these were rejected" rewrites sentences that were fine into blander ones.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from angleforge import terms
from angleforge.findings import CheckResult, Finding
from angleforge.formats import POST_SEPARATOR, post_spans
from angleforge.retrieval import Fact
from angleforge.statuses import FindingStatus


@dataclass(frozen=True, slots=True, kw_only=True)
class Instead:
    """The brief's wording of what a rejected statistic seems to mean."""

    fact_id: str | None  # its id among the prompt's facts, where it is one of them
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class RejectedStatistic:
    text: str
    post: int  # 1-based, as the model numbers its posts
    sentence: str
    status: FindingStatus
    reason: str
    instead: Instead | None


@dataclass(frozen=True, slots=True, kw_only=True)
class KeptStatistic:
    text: str
    post: int


@dataclass(frozen=True, slots=True, kw_only=True)
class RepairNotes:
    """Everything the repair template says about the draft it sends back."""

    rejected: list[RejectedStatistic]
    violations: list[str]  # the format rules broken, one line each
    kept: list[KeptStatistic]


def notes(posts: list[str], result: CheckResult, facts: list[Fact]) -> RepairNotes:
    """What to tell the model of `posts`, checked as `result`, with `facts` in its prompt."""
    text = POST_SEPARATOR.join(posts)
    starts = [start for start, _ in post_spans(posts)]
    by_claim = {fact.claim.id: fact for fact in facts}
    rejected, violations, kept = [], [], []
    for finding in result.statistics:
        post = max(bisect_right(starts, finding.start), 1)
        if finding.status is FindingStatus.FORMAT:
            violations.append(finding.reason)
        elif finding.flags:
            rejected.append(
                RejectedStatistic(
                    text=finding.text.strip(),
                    post=post,
                    sentence=" ".join(sentence_at(text, finding.start).split()),
                    status=finding.status,
                    reason=finding.reason,
                    instead=_instead(finding, by_claim),
                )
            )
        elif finding.status is FindingStatus.GROUNDED:
            kept.append(KeptStatistic(text=finding.text.strip(), post=post))
    return RepairNotes(rejected=rejected, violations=violations, kept=kept)


def sentence_at(text: str, at: int) -> str:
    """The sentence of `text` (as the guardrail splits it) that the offset `at` falls in."""
    for start, end in terms.sentence_spans(text):
        if start <= at < end:
            return text[start:end]
    return ""


def _instead(finding: Finding, facts: dict[str, Fact]) -> Instead | None:
    """The claim the guardrail points to ("did you mean"), as the prompt's fact where it is one."""
    if finding.claim is None:
        return None
    fact = facts.get(finding.claim.id)
    if fact is not None:
        return Instead(fact_id=fact.id, text=fact.text, sources=fact.sources)
    publishers = tuple(dict.fromkeys(s.publisher for s in finding.sources))
    named = tuple(name.title() for name in finding.claim.organisations)
    return Instead(fact_id=None, text=finding.claim.text, sources=tuple(dict.fromkeys([*publishers, *named])))
