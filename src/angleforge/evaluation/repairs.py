"""How the repair loop did: false alarms, repairs that fixed a real error, rules still broken.

A flag is a real error unless a person labelled it a false alarm (a figure the sources do
back, flagged all the same). A repair is worth its call where the attempt it repaired had a
real error and the repair no longer has it; a repair of a false alarm rewrites a true
sentence, which is what these scores exist to catch.
"""

from __future__ import annotations

import re

from angleforge.evaluation.scorers import ScoredAttempt, ScoredDraft, normalised
from angleforge.evaluation.suites import FalseAlarm
from angleforge.findings import Finding
from angleforge.repair import sentence_at
from angleforge.statuses import FindingStatus


class FlagLabels:
    """The suite's labelled false alarms, matched to the flags of an attempt."""

    def __init__(self, false_alarms: list[FalseAlarm]) -> None:
        self._labels = [(label.statistic.strip(), normalised(label.sentence)) for label in false_alarms]

    def false_alarm(self, finding: Finding, attempt: ScoredAttempt) -> bool:
        if finding.status is FindingStatus.FORMAT:
            return False  # a broken rule is a broken rule
        sentence = normalised(sentence_at(attempt.text, finding.start))
        return any(finding.text.strip() == statistic and piece in sentence for statistic, piece in self._labels)

    def real_errors(self, attempt: ScoredAttempt) -> list[Finding]:
        return [finding for finding in attempt.flagged if not self.false_alarm(finding, attempt)]


def false_alarms_per_draft(drafts: list[ScoredDraft], labels: FlagLabels) -> float:
    """Labelled false alarms over every attempt, per draft written."""
    written = [d for d in drafts if d.history]
    alarms = sum(
        labels.false_alarm(finding, attempt) for d in written for attempt in d.history for finding in attempt.flagged
    )
    return alarms / len(written) if written else 0.0


def real_fix_share(drafts: list[ScoredDraft], labels: FlagLabels) -> float:
    """The share of repairs whose attempt before had a real error that the repair no longer
    has (1.0 where nothing was repaired)."""
    repairs = fixed = 0
    for draft in drafts:
        for before, after in zip(draft.history, draft.history[1:], strict=False):
            repairs += 1
            still = {_key(finding) for finding in after.flagged}
            fixed += any(_key(error) not in still for error in labels.real_errors(before))
    return fixed / repairs if repairs else 1.0


def format_violations(drafts: list[ScoredDraft]) -> float:
    """Rules of the format the drafts still break once their repairs are done."""
    last = [draft.history[-1] for draft in drafts if draft.history]
    return float(sum(1 for attempt in last for f in attempt.flagged if f.status is FindingStatus.FORMAT))


def _key(finding: Finding) -> tuple[str, str]:
    """A flag as the next attempt would raise it again: the statistic and its status, or the
    rule broken (whatever the count it names: "post 3 is 291 characters ..." is one rule)."""
    if finding.status is FindingStatus.FORMAT:
        return "format", re.sub(r"\d+", "#", finding.reason)
    return finding.text.strip(), str(finding.status)
