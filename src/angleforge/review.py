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

from angleforge.errors import UsageError
from angleforge.findings import CheckResult, flagged_count
from angleforge.guardrail import Guardrail
from angleforge.statuses import DraftStatus
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


@dataclass(frozen=True, slots=True)
class Event:
    at: str
    kind: str  # attempt | edit | decision
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
    return sorted(events, key=lambda event: event.at)


def view(store: Store, draft_id: str) -> dict[str, Any]:
    """Everything `review show` prints, as data."""
    draft = store.draft(draft_id)
    return {**draft.model_dump(), "history": [asdict(event) for event in history(store, draft_id)]}


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


def edit(
    store: Store, guardrail: Guardrail, draft_id: str, text: str, *, reviewer: str, seen: StoredDraft | None = None
) -> tuple[Revision, CheckResult]:
    """A new revision of the draft's text, checked at once; its status follows the check."""
    draft = seen or store.draft(draft_id)
    if not draft.status.written and not draft.text:
        raise UsageError(f"draft {draft_id} is {draft.status}: there is no text to edit")
    posts = split_posts(text)
    if not posts:
        raise UsageError(f"the edit leaves draft {draft_id} empty; nothing was written")
    joined = "\n\n".join(posts)
    result = guardrail.check(joined, path=draft_id)
    revision = store.add_revision(
        draft_id,
        seen_revision=draft.revision,
        seen_status=draft.status,
        text=joined,
        posts=posts,
        findings=result.findings_json(),
        status=result.draft_status,
        reviewer=reviewer,
    )
    return revision, result


@dataclass(frozen=True, slots=True)
class Change:
    draft_id: str
    before: DraftStatus
    after: DraftStatus
    flagged_before: int
    flagged_after: int


def recheck(store: Store, guardrail: Guardrail, *, include_decided: bool = False) -> list[Change]:
    """Run the guardrail again on every undecided draft (and decided ones with
    `include_decided`, whose decision stands); report those whose verdict changed."""
    changes = []
    for draft in store.drafts():
        wanted = draft.status.written and (include_decided or not draft.status.decided)
        if not wanted or not draft.text:
            continue
        result = guardrail.check(draft.text, path=draft.id)
        findings = result.findings_json()
        status = draft.status if draft.status.decided else result.draft_status
        after = len(result.flagged)
        if findings == draft.findings and status == draft.status:
            continue
        store.recheck(
            draft.id, seen_revision=draft.revision, seen_status=draft.status, findings=findings, status=status
        )
        before = flagged_count(draft.findings)
        if status != draft.status or after != before:
            changes.append(Change(draft.id, draft.status, status, before, after))
    return changes
