"""What the desk's pages show, built from the store and the guardrail: the queue, a draft as the
X thread it will become, and its history. Plain data for the templates, which only lay it out.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from angleforge import review
from angleforge.findings import CheckResult, Finding
from angleforge.formats import POST_LIMIT
from angleforge.guardrail import Guardrail
from angleforge.layout import Post, Span, lay_out
from angleforge.statuses import DraftStatus
from angleforge.store import Store, StoredDraft

# the queue without a status filter: what waits for a decision, the flagged first
OPEN = "open"
_OPEN_ORDER = (DraftStatus.FLAGGED, DraftStatus.PASSED)
_ALL_ORDER = (*_OPEN_ORDER, DraftStatus.APPROVED, DraftStatus.REJECTED)


@dataclass(frozen=True, slots=True)
class Filters:
    """The queue's filters, as the page's query string carries them."""

    status: str = OPEN  # open, all, or a DraftStatus
    run: str = ""
    angle: str = ""

    def query(self, **extra: str) -> str:
        from urllib.parse import urlencode

        pairs = {"status": self.status, "run": self.run, "angle": self.angle, **extra}
        return urlencode({key: value for key, value in pairs.items() if value and (key, value) != ("status", OPEN)})


def queue(store: Store, filters: Filters) -> list[StoredDraft]:
    """The drafts the filters choose, flagged first, then passed (then decided, when asked)."""
    if filters.status in (OPEN, review.EVERY_STATUS):
        order = _OPEN_ORDER if filters.status == OPEN else _ALL_ORDER
        chosen = [d for d in store.drafts(run_id=filters.run or None) if d.status in order]
        chosen.sort(key=lambda d: order.index(d.status))
    else:
        chosen = review.drafts(store, filters.status, filters.run or None)
    return [d for d in chosen if not filters.angle or d.angle == filters.angle]


def angles(store: Store) -> list[str]:
    return sorted({d.angle for d in store.drafts()})


@dataclass(frozen=True, slots=True)
class Chip:
    """A statistic as the desk marks it: its status and who backs it."""

    finding: Finding
    number: int  # its place among the draft's statistics, from 1, to tie a chip to its detail

    @property
    def flagged(self) -> bool:
        return self.finding.flags

    @property
    def backers(self) -> list[str]:
        named = self.finding.claim.organisations if self.finding.claim else ()
        return list(dict.fromkeys([*(s.publisher for s in self.finding.sources), *named]))


@dataclass(frozen=True, slots=True)
class Card:
    """One post of the thread."""

    post: Post
    spans: list[tuple[Span, Chip | None]]
    limit: int = POST_LIMIT


@dataclass(frozen=True, slots=True)
class Thread:
    """A draft's text as the cards X will show, with its check."""

    cards: list[Card]
    chips: list[Chip]
    violations: list[str]

    @property
    def flagged(self) -> list[Chip]:
        return [chip for chip in self.chips if chip.flagged]


def thread(text: str, posts: list[str], result: CheckResult, draft_format: str) -> Thread:
    """The cards of a draft's posts, every statistic with its chip, and the rules it breaks."""
    chips = [Chip(finding, number) for number, finding in enumerate(result.statistics, start=1)]
    by_offset = {(chip.finding.start, chip.finding.end): chip for chip in chips}
    cards = [
        Card(
            post,
            [
                (span, by_offset.get((span.finding.start, span.finding.end)) if span.finding else None)
                for span in post.spans()
            ],
        )
        for post in lay_out(text, posts, result.statistics)
    ]
    return Thread(cards, chips, review.format_violations(draft_format, posts))


def stored_thread(draft: StoredDraft) -> Thread:
    return thread(draft.text, draft.posts, CheckResult.from_json(draft.findings, draft.id), draft.format)


def edited_thread(guardrail: Guardrail, text: str, draft_format: str) -> Thread:
    """The thread an edit in progress would be, checked: its posts as `review edit` splits them."""
    posts = review.split_posts(text)
    joined = review.joined(posts)
    return thread(joined, posts, guardrail.check(joined), draft_format)


@dataclass(frozen=True, slots=True)
class DiffLine:
    kind: str  # add | del | same
    text: str


@dataclass(frozen=True, slots=True)
class RevisionChange:
    number: int
    reviewer: str
    at: str
    status: DraftStatus
    lines: list[DiffLine] = field(default_factory=list)


def revision_changes(store: Store, draft: StoredDraft) -> list[RevisionChange]:
    """Each revision a person wrote, as the lines it changed from the one before."""
    changes = []
    before = review.generated_text(store, draft.id)
    for revision in store.revisions(draft.id):
        diff = difflib.ndiff(before.splitlines(), revision.text.splitlines())
        lines = [DiffLine({"+": "add", "-": "del"}.get(line[0], "same"), line[2:]) for line in diff if line[0] in "+- "]
        changes.append(RevisionChange(revision.number, revision.reviewer, revision.created_at, revision.status, lines))
        before = revision.text
    return changes
