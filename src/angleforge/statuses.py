"""The vocabulary of where things stand: a statistic's finding, a draft's verdict, a draft's status.

Every status angleforge stores or prints is one of these members. They are `StrEnum`s, so
they read and compare as the plain strings of the stored rows and the `check --json` contract
("grounded", "pass", "passed"), while a misspelt member is an error where a misspelt string
would be a silent miss.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class FindingStatus(StrEnum):
    """What the guardrail found of one statistic (or one credit) of a draft."""

    GROUNDED = "grounded"
    NOT_A_CLAIM = "not_a_claim"  # a number that asserts nothing: an answer option, a count of the post's own list
    UNSUPPORTED = "unsupported"
    UNSOURCED = "unsourced"
    OUT_OF_CONTEXT = "out_of_context"
    MISATTRIBUTED = "misattributed"
    FORMAT = "format"  # the draft breaks a rule of its X format

    @property
    def flags(self) -> bool:
        """Whether a finding of this status sends its draft to review."""
        return self not in _CLEAR


_CLEAR = frozenset({FindingStatus.GROUNDED, FindingStatus.NOT_A_CLAIM})


class Verdict(StrEnum):
    """The guardrail's verdict on a whole draft (`check --json`'s `verdict`)."""

    PASS = "pass"
    FLAGGED = "flagged"


class DraftStatus(StrEnum):
    """Where a stored draft stands, from its first claim on the store to a reviewer's decision."""

    PENDING = "pending"  # planned, not yet taken
    WRITING = "writing"  # taken by a process that is writing it
    FAILED = "failed"  # the provider gave no draft; `generate --resume` tries again
    PASSED = "passed"  # written, and the guardrail found nothing to flag
    FLAGGED = "flagged"  # written, and the guardrail flagged something: a person decides
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def written(self) -> bool:
        """Whether the draft holds text the guardrail has checked."""
        return self not in UNWRITTEN

    @property
    def decided(self) -> bool:
        return self in DECIDED


# a draft holding no written text yet: waiting, being written, or failed
UNWRITTEN = frozenset({DraftStatus.PENDING, DraftStatus.WRITING, DraftStatus.FAILED})
DECIDED = frozenset({DraftStatus.APPROVED, DraftStatus.REJECTED})


def verdict_of(statuses: Iterable[str]) -> Verdict:
    """The verdict on a draft whose findings have these statuses: flagged if any flags."""
    return Verdict.FLAGGED if any(FindingStatus(status).flags for status in statuses) else Verdict.PASS


def status_after(verdict: Verdict | str) -> DraftStatus:
    """The status a draft is stored under once the guardrail gave it `verdict`."""
    return DraftStatus.PASSED if Verdict(verdict) is Verdict.PASS else DraftStatus.FLAGGED
