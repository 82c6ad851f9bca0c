"""What a rule of the guardrail decides of one statistic."""

from __future__ import annotations

from typing import NamedTuple

from angleforge.knowledge import Claim
from angleforge.statuses import FindingStatus


class Ruling(NamedTuple):
    """A status, its reason, and the claim the finding points to."""

    status: FindingStatus
    reason: str
    claim: Claim | None
    # whether `claim` is the one this statistic relies on, which dates the sentence's years
    relied_on: bool = True
    date: int | None = None  # for a grounded figure, the year its claim gives it
    # the years the claim it points to gives the figure (`Entry.years`): what a year beside it must be
    years: tuple[int, ...] = ()
