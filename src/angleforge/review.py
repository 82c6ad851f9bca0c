"""A person's review of stored drafts: decisions, edits and re-checks, with a full trail.

Nothing is deleted: a decision or an edit is a row with its time, reviewer and note. Every
write checks, in the same transaction, that the draft is still the revision the reviewer was
shown, so two reviewers deciding the same draft at once leave exactly one decision and the
other hears of the conflict.
"""

from __future__ import annotations

import getpass
import re
from dataclasses import asdict, dataclass
from typing import Any

from angleforge.checking import check_draft
from angleforge.errors import AngleforgeError, UsageError
from angleforge.findings import CheckResult, Finding, flagged_count
from angleforge.formats import POST_SEPARATOR, known_format, violations
from angleforge.guardrail import Guardrail
from angleforge.statuses import DraftStatus, FindingStatus
from angleforge.store import Decision, Revision, Store, StoredDraft

EVERY_STATUS = "all"  # what a status filter says to mean every draft
_SEPARATOR = re.compile(r"[ \t]*-{3,}[ \t]*")


def reviewer_name(given: str | None = None) -> str:
    if given:
        return given
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def split_posts(text: str) -> list[str]:
    """Posts from edited text: separated by blank lines, or by a `---` line."""
    posts: list[str] = []
    lines: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.strip() and not _SEPARATOR.fullmatch(line):
            lines.append(line.rstrip())
        elif lines:
            posts.append("\n".join(lines).strip())
            lines = []
    return posts


def joined(posts: list[str]) -> str:
    """A draft's text: its posts, separated by blank lines (the guardrail's offsets point into it)."""
    return POST_SEPARATOR.join(posts)


def status_filter(status: str) -> DraftStatus | None:
    """The status a listing asks for, or None for every draft ("all")."""
    if status == EVERY_STATUS:
        return None
    try:
        return DraftStatus(status)
    except ValueError:
        known = ", ".join([*DraftStatus, EVERY_STATUS])
        raise UsageError(f"unknown status '{status}' (choose from {known})") from None


def drafts(store: Store, status: str = DraftStatus.FLAGGED, run: str | None = None) -> list[StoredDraft]:
    wanted = status_filter(status)
    if run is not None:
        store.run(run)  # an unknown run is an error, not an empty list
    return store.drafts(run_id=run, status=wanted)


def format_violations(draft_format: str, posts: list[str]) -> list[str]:
    """What breaks the rules of the draft's X format (too long, wrong post count, ...)."""
    if not known_format(draft_format):
        return []
    return [violation.rule for violation in violations(draft_format, posts)]


@dataclass(frozen=True, slots=True)
class Event:
    at: str
    kind: str  # attempt | edit | decision | withdrawal
    detail: str


def history(store: Store, draft_id: str) -> list[Event]:
    """What happened to a draft, oldest first: attempts, edits and decisions."""
    events = []
    for attempt in store.attempts(draft_id):
        outcome = attempt.error or f"{attempt.verdict}, {flagged_count(attempt.findings)}"
        if not attempt.error:
            outcome += " statistic(s) flagged"
        events.append(Event(attempt.created_at, "attempt", f"attempt {attempt.number} ({attempt.kind}): {outcome}"))
    for revision in store.revisions(draft_id):
        events.append(
            Event(revision.created_at, "edit", f"revision {revision.number} by {revision.reviewer}: {revision.status}")
        )
    for decision in store.decisions(draft_id):
        note = f": {decision.note}" if decision.note else ""
        forced = " (forced)" if decision.forced else ""
        events.append(
            Event(
                decision.created_at,
                "decision",
                f"{decision.decision} revision {decision.revision} by {decision.reviewer}{forced}{note}",
            )
        )
        if decision.withdrawn_at is not None:
            events.append(
                Event(
                    decision.withdrawn_at,
                    "withdrawal",
                    f"{decision.decision} of revision {decision.revision} withdrawn by {decision.withdrawn_by}: "
                    f"{decision.withdrawn_because}",
                )
            )
    return sorted(events, key=lambda event: event.at)


def generated_text(store: Store, draft_id: str) -> str:
    """Revision 1: the text the provider's last answered attempt gave (it has no revision row)."""
    answered = [attempt for attempt in store.attempts(draft_id) if attempt.verdict is not None]
    return joined(answered[-1].posts) if answered else ""


def view(store: Store, draft_id: str) -> dict[str, Any]:
    """Everything `review show` prints, as data."""
    draft = store.draft(draft_id)
    return {
        **draft.model_dump(),
        "format_violations": format_violations(draft.format, draft.posts),
        "history": [asdict(event) for event in history(store, draft_id)],
    }


def decision_line(decision: Decision) -> str:
    """A decision as the commands confirm it."""
    forced = ", forced" if decision.forced else ""
    return f"{decision.draft_id}: {decision.decision} by {decision.reviewer} (revision {decision.revision}{forced})"


def _note(note: str | None) -> str | None:
    return note.strip() if note and note.strip() else None


def approve(
    store: Store,
    draft_id: str,
    *,
    reviewer: str,
    note: str | None = None,
    force: bool = False,
    seen: StoredDraft | None = None,
) -> Decision:
    """Approve a draft. A draft the guardrail flagged needs a note: approving it overrides it."""
    draft = seen or store.draft(draft_id)
    flagged = flagged_count(draft.findings)
    if flagged and _note(note) is None:
        _decidable(draft, force)
        raise UsageError(
            f"draft {draft_id} has {flagged} flagged statistic(s): approving it "
            "overrides the guardrail, so give a --note saying why"
        )
    return _decide(store, draft, DraftStatus.APPROVED, reviewer, note, force)


def reject(
    store: Store,
    draft_id: str,
    *,
    reviewer: str,
    note: str | None,
    force: bool = False,
    seen: StoredDraft | None = None,
) -> Decision:
    draft = seen or store.draft(draft_id)
    if _note(note) is None:
        _decidable(draft, force)
        raise UsageError(f"rejecting draft {draft_id} needs a --note saying why")
    return _decide(store, draft, DraftStatus.REJECTED, reviewer, note, force)


def _decide(
    store: Store, draft: StoredDraft, decision: DraftStatus, reviewer: str, note: str | None, force: bool
) -> Decision:
    _decidable(draft, force)
    return store.decide(
        draft.id,
        seen_revision=draft.revision,
        seen_status=draft.status,
        decision=decision,
        reviewer=reviewer,
        note=_note(note),
        forced=force,
    )


def _decidable(draft: StoredDraft, force: bool) -> None:
    if not draft.status.written:
        raise UsageError(f"draft {draft.id} is {draft.status}: there is no text to decide on")
    if draft.status.decided and not force:
        raise UsageError(
            f"draft {draft.id} is already {draft.status}; edit it to reopen it, or decide again with --force"
        )


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one decision of a bulk request came to: the decision, or why there is none."""

    draft_id: str
    decision: Decision | None
    error: AngleforgeError | None = None


def decide_all(
    store: Store,
    draft_ids: list[str],
    decision: DraftStatus,
    *,
    reviewer: str,
    note: str | None,
    force: bool = False,
) -> list[Outcome]:
    """One decision on each draft named; a draft that cannot be decided is reported, and the
    others are decided all the same."""
    decide = approve if decision is DraftStatus.APPROVED else reject
    outcomes = []
    for draft_id in draft_ids:
        try:
            outcomes.append(Outcome(draft_id, decide(store, draft_id, reviewer=reviewer, note=note, force=force)))
        except AngleforgeError as error:
            outcomes.append(Outcome(draft_id, None, error))
    return outcomes


@dataclass(frozen=True, slots=True)
class Withdrawal:
    """A decision taken back, and where that leaves its draft."""

    decision: Decision
    status: DraftStatus

    def summary(self) -> str:
        d = self.decision
        return f"{d.draft_id}: {d.decision} by {d.reviewer} (revision {d.revision}) undone; now {self.status}"


def undo(store: Store, draft_id: str, *, reviewer: str, seen: StoredDraft | None = None) -> Withdrawal:
    """Take back the decision that stands on the draft; the trail keeps it, marked withdrawn."""
    draft = seen or store.draft(draft_id)
    if not draft.status.decided:
        raise UsageError(f"draft {draft_id} is {draft.status}: there is no decision to undo")
    decision, status = store.withdraw(
        draft_id,
        seen_revision=draft.revision,
        seen_status=draft.status,
        findings=draft.findings,
        by=reviewer,
        because="undone",
    )
    return Withdrawal(decision, status)


@dataclass(frozen=True, slots=True)
class EditOutcome:
    """What an edit did: a new revision and its check, or nothing where the text is the same."""

    draft_id: str
    revision: Revision | None  # None: the text did not change, so nothing was written
    result: CheckResult
    before: DraftStatus  # the draft's status when the edit was made

    @property
    def reopened(self) -> bool:
        """Whether the edit took the draft out of a decision (a new revision needs a new one)."""
        return self.revision is not None and self.before.decided

    def summary(self) -> str:
        # a broken format rule is a finding too, but it is no statistic: it is counted apart
        statistics = [f for f in self.result.statistics if f.status is not FindingStatus.FORMAT]
        rules = len(self.result.statistics) - len(statistics)
        flagged = f"{sum(f.flags for f in statistics)} of {len(statistics)} statistics flagged"
        if rules:
            flagged += f", {rules} format rule(s) broken"
        if self.revision is None:
            return f"{self.draft_id}: nothing changed, no revision written; it stays {self.before}"
        line = f"{self.draft_id}: revision {self.revision.number} is {self.revision.status} ({flagged})"
        if self.reopened:
            line += f"; it was {self.before}, and the edit reopens it for a new decision"
        return line


def edit(
    store: Store, guardrail: Guardrail, draft_id: str, text: str, *, reviewer: str, seen: StoredDraft | None = None
) -> EditOutcome:
    """A new revision of the draft's text, checked at once as `generate` checks an attempt
    (statistics and format rules); its status follows the check. Text whose posts are the
    draft's own writes nothing, so an approval stands."""
    draft = seen or store.draft(draft_id)
    if not draft.status.written and not draft.text:
        raise UsageError(f"draft {draft_id} is {draft.status}: there is no text to edit")
    posts = split_posts(text)
    if not posts:
        raise UsageError(f"the edit leaves draft {draft_id} empty; nothing was written")
    if posts == draft.posts:
        return EditOutcome(draft_id, None, CheckResult.from_json(draft.findings, draft_id), draft.status)
    result = check_draft(guardrail, draft.format, posts, path=draft_id)
    revision = store.add_revision(
        draft_id,
        seen_revision=draft.revision,
        seen_status=draft.status,
        text=joined(posts),
        posts=posts,
        findings=result.findings_json(),
        status=result.draft_status,
        reviewer=reviewer,
    )
    return EditOutcome(draft_id, revision, result, draft.status)


@dataclass(frozen=True, slots=True)
class Change:
    draft_id: str
    before: DraftStatus
    after: DraftStatus
    flagged_before: int
    flagged_after: int
    newly_flagged: tuple[str, ...] = ()  # "40% (unsupported)": what an approval did not see

    @property
    def reopened(self) -> bool:
        """An approved draft whose statistics no longer check out: its approval is withdrawn."""
        return self.before is DraftStatus.APPROVED and self.after is not DraftStatus.APPROVED


def _flag_keys(findings: list[dict[str, Any]]) -> set[tuple[int, int, str]]:
    return {(f["start"], f["end"], f["status"]) for f in findings if FindingStatus(f["status"]).flags}


def _flag_name(finding: Finding) -> str:
    """A flag as a withdrawal names it: a statistic by its text, a format rule by the rule
    (its text is the whole post)."""
    return f"{finding.reason if finding.status is FindingStatus.FORMAT else finding.text.strip()} ({finding.status})"


def recheck(store: Store, guardrail: Guardrail, *, reviewer: str, include_rejected: bool = False) -> list[Change]:
    """Check every undecided and approved draft again as `generate` checks an attempt (rejected
    ones too with `include_rejected`; that decision stands); report those whose verdict changed.
    An approved draft with a flag that its approval did not see is reopened: the approval is
    withdrawn and the draft waits for a new decision."""
    changes = []
    for draft in store.drafts():
        wanted = draft.status.written and (include_rejected or draft.status is not DraftStatus.REJECTED)
        if not wanted or not draft.text:
            continue
        result = check_draft(guardrail, draft.format, draft.posts, path=draft.id)
        findings = result.findings_json()
        new = _flag_keys(findings) - _flag_keys(draft.findings)
        if draft.status is DraftStatus.APPROVED and new:
            newly = tuple(_flag_name(f) for f in result.flagged if (f.start, f.end, f.status) in new)
            because = "re-check: " + ", ".join(newly) + " no longer check out"
            _, status = store.withdraw(
                draft.id,
                seen_revision=draft.revision,
                seen_status=draft.status,
                findings=findings,
                by=reviewer,
                because=because,
            )
            changes.append(
                Change(draft.id, draft.status, status, flagged_count(draft.findings), len(result.flagged), newly)
            )
            continue
        status = draft.status if draft.status.decided else result.draft_status
        if findings == draft.findings and status == draft.status:
            continue
        store.recheck(
            draft.id, seen_revision=draft.revision, seen_status=draft.status, findings=findings, status=status
        )
        before, after = flagged_count(draft.findings), len(result.flagged)
        if status != draft.status or after != before:
            changes.append(Change(draft.id, draft.status, status, before, after))
    return changes
