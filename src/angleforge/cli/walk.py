"""Bare `angleforge review`: the drafts of one status, one by one, decided from the keyboard.

On a terminal each key acts as it is pressed and an edit opens $EDITOR; from standard input
(a script, a test) each key is a line, and an edit's text follows the `e` line up to a line
holding a single `.`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol, TextIO

from angleforge.cli.editor import edit_text
from angleforge.errors import AngleforgeError
from angleforge.statuses import DraftStatus
from angleforge.store import Conflict

if TYPE_CHECKING:
    from angleforge.guardrail import Guardrail
    from angleforge.store import Store, StoredDraft

KEYS = "[a]pprove [r]eject [e]dit [u]ndo [s]kip [q]uit: "
_END_OF_INPUT = {"\x04", ""}  # Ctrl-D on a terminal in cbreak mode; the end of a file


class Console(Protocol):
    """Where the walk asks and tells."""

    terminal: bool

    def key(self, prompt: str) -> str | None:
        """One key, or None at the end of input."""

    def line(self, prompt: str) -> str | None:
        """One line (a note), or None at the end of input."""

    def text(self, draft_text: str) -> str:
        """A draft's new text."""

    def say(self, text: str) -> None: ...


class LineConsole:
    """Keys, notes and texts as lines of a stream, echoed so a transcript reads as a session."""

    terminal = False

    def __init__(self, source: TextIO, out: TextIO) -> None:
        self.source, self.out = source, out

    def say(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def line(self, prompt: str) -> str | None:
        self.out.write(prompt)
        line = self.source.readline()
        if not line:
            self.out.write("\n")
            return None
        self.out.write(line if line.endswith("\n") else line + "\n")
        return line.rstrip("\n")

    def key(self, prompt: str) -> str | None:
        line = self.line(prompt)
        return None if line is None else line.strip()[:1]

    def text(self, draft_text: str) -> str:
        lines = []
        while (line := self.source.readline()) and line.rstrip("\n") != ".":
            lines.append(line)
        return "".join(lines)


class TerminalConsole(LineConsole):
    """A terminal: a key acts as it is pressed (no Enter), a note is a line, an edit opens
    the reviewer's editor."""

    terminal = True

    def __init__(self, source: TextIO, out: TextIO, editor: Callable[[str], str] = edit_text) -> None:
        super().__init__(source, out)
        self.editor = editor

    def key(self, prompt: str) -> str | None:
        import termios
        import tty

        self.out.write(prompt)
        self.out.flush()
        fd = self.source.fileno()
        saved = termios.tcgetattr(fd)
        try:
            tty.setcbreak(fd)  # Ctrl-C still interrupts: cbreak keeps the signal keys
            pressed = os.read(fd, 1).decode("utf-8", "replace")
            if pressed == "\x1b":  # an arrow or function key: the rest of its sequence is no key
                termios.tcflush(fd, termios.TCIFLUSH)
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        self.out.write((pressed if pressed.isprintable() else "") + "\n")
        return None if pressed in _END_OF_INPUT else pressed

    def text(self, draft_text: str) -> str:
        return self.editor(draft_text)


def console_for(source: TextIO, out: TextIO) -> Console:
    return TerminalConsole(source, out) if source.isatty() and out.isatty() else LineConsole(source, out)


class Step(StrEnum):
    """What a reviewer did with one draft of the walk; the walk ends by counting them."""

    APPROVED = "approved"
    REJECTED = "rejected"
    EDITED = "edited"
    SKIPPED = "skipped"
    UNDO = "undo"  # take back the walk's last decision and show that draft again
    QUIT = "quit"


_COUNTED = (Step.APPROVED, Step.REJECTED, Step.EDITED, Step.SKIPPED)


class Walk:
    """The drafts of one status (flagged unless told) one by one."""

    def __init__(
        self,
        store: Store,
        guardrail: Guardrail,
        reviewer: str,
        console: Console,
        describe: Callable[[StoredDraft], str],
        status: DraftStatus = DraftStatus.FLAGGED,
    ) -> None:
        self.store, self.guardrail, self.reviewer = store, guardrail, reviewer
        self.console, self.describe, self.status = console, describe, status

    def run(self) -> int:
        queue = [draft.id for draft in self.store.drafts(status=self.status)]
        if not queue:
            self.console.say(f"no {self.status} drafts to review")
            return 0
        counts = dict.fromkeys(_COUNTED, 0)
        decided: list[tuple[int, Step]] = []  # (position, step) of each decision, for undo
        position = 0
        while position < len(queue):
            draft = self.store.draft(queue[position])  # as it is now, not as the queue was read
            self.console.say(f"\n[{position + 1}/{len(queue)}] " + self.describe(draft))
            step = self._one(draft)
            if step is Step.QUIT:
                break
            if step is Step.UNDO:
                if not decided:
                    self.console.say("no decision of this walk to undo")
                    continue
                earlier, was = decided[-1]
                if self._undo(queue[earlier]):
                    decided.pop()
                    counts[was] -= 1
                    position = earlier
                continue
            counts[step] += 1
            if step in (Step.APPROVED, Step.REJECTED):
                decided.append((position, step))
            position += 1
        self.console.say(", ".join(f"{n} {step}" for step, n in counts.items()))
        return 0

    def _undo(self, draft_id: str) -> bool:
        from angleforge import review

        try:
            self.console.say(review.undo(self.store, draft_id, reviewer=self.reviewer).summary())
        except AngleforgeError as error:
            self.console.say(str(error))
            return False
        return True

    def _one(self, draft: StoredDraft) -> Step:
        from angleforge import review
        from angleforge.findings import flagged_count

        while True:
            key = self.console.key(KEYS)
            if key is None or key.lower() == "q":
                return Step.QUIT
            key = key.lower()
            try:
                if key in ("s", "u"):
                    return Step.SKIPPED if key == "s" else Step.UNDO
                if key == "a":
                    flagged = flagged_count(draft.findings) > 0
                    note = self.console.line("note (why override the guardrail): ") if flagged else None
                    decision = review.approve(self.store, draft.id, reviewer=self.reviewer, note=note, seen=draft)
                    self.console.say(review.decision_line(decision))
                    return Step.APPROVED
                if key == "r":
                    note = self.console.line("note (why reject): ")
                    decision = review.reject(self.store, draft.id, reviewer=self.reviewer, note=note, seen=draft)
                    self.console.say(review.decision_line(decision))
                    return Step.REJECTED
                if key == "e":
                    text = self.console.text(draft.text)
                    outcome = review.edit(
                        self.store, self.guardrail, draft.id, text, reviewer=self.reviewer, seen=draft
                    )
                    self.console.say(outcome.summary())
                    return Step.EDITED
            except Conflict as conflict:  # someone else changed it: show what is there now
                self.console.say(str(conflict))
                draft = self.store.draft(draft.id)
                self.console.say(self.describe(draft))
                continue
            except AngleforgeError as error:  # a missing note, an editor that failed: ask again
                self.console.say(str(error))
                continue
            self.console.say("keys: a, r, e, u, s, q")
