"""`angleforge review`: a person decides on the drafts the guardrail flagged; the trail is kept."""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from angleforge.cli.common import Knowledge, find_workspace, open_store, print_json, store_option, terminal_style
from angleforge.errors import UsageError
from angleforge.statuses import DraftStatus

if TYPE_CHECKING:  # the parser is built for every command: keep its imports light
    from angleforge.cli.common import Commands
    from angleforge.guardrail import Guardrail
    from angleforge.render import Style
    from angleforge.store import Store, StoredDraft


def add_parser(commands: Commands, location: argparse.ArgumentParser) -> None:
    who = argparse.ArgumentParser(add_help=False)
    who.add_argument("--reviewer", metavar="NAME", help="who decides (default: your login name)")
    parents = [location, store_option(), who]

    parser = commands.add_parser(
        "review",
        parents=parents,
        help="review the drafts the guardrail flagged",
        description="With no subcommand: walk the flagged drafts one by one (keys on a terminal, lines on "
        "standard input otherwise).",
    )
    parser.set_defaults(handler=_walk)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")

    listing = actions.add_parser("list", parents=parents, help="one row per draft")
    listing.add_argument(
        "--status",
        default=DraftStatus.FLAGGED,
        help=f"{', '.join(DraftStatus)} or all (default: flagged)",
    )
    listing.add_argument("--run", metavar="RUN_ID", help="only this run's drafts")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_list)

    show = actions.add_parser("show", parents=parents, help="a draft, its flagged statistics and its history")
    show.add_argument("id")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=_show)

    for name, decision, needs in (
        ("approve", DraftStatus.APPROVED, "needed when the draft is flagged"),
        ("reject", DraftStatus.REJECTED, "required"),
    ):
        decide = actions.add_parser(name, parents=parents, help=f"{name} a draft")
        decide.add_argument("id")
        decide.add_argument("--note", metavar="TEXT", help=f"why ({needs})")
        decide.add_argument("--force", action="store_true", help="decide again on a decided draft")
        decide.set_defaults(handler=_decide, decision=decision)

    edit = actions.add_parser("edit", parents=parents, help="a new revision of a draft, checked at once")
    edit.add_argument("id")
    edit.add_argument("--text-file", type=Path, metavar="F", help="the new text (default: open $EDITOR)")
    edit.set_defaults(handler=_edit)

    recheck = actions.add_parser("recheck", parents=parents, help="check undecided drafts again")
    recheck.add_argument("--all", action="store_true", help="decided drafts too (their decisions stand)")
    recheck.set_defaults(handler=_recheck)


def _store(args: argparse.Namespace, *, read_only: bool = False) -> Store:
    """The store generate wrote, for a handler that needs only it (`read_only`: to show it)."""
    return open_store(args, find_workspace(args), existing=True, read_only=read_only)


def _store_and_guardrail(args: argparse.Namespace) -> tuple[Store, Guardrail]:
    """The store and the guardrail of one workspace, found once, for a handler that checks text."""
    home = find_workspace(args)
    return open_store(args, home, existing=True), Knowledge.of(args, home).guardrail()


def _first_line(draft: StoredDraft) -> str:
    text = draft.posts[0] if draft.posts else (draft.error or "")
    return " ".join(text.split())[:70]


def _list(args: argparse.Namespace) -> int:
    from angleforge import review
    from angleforge.findings import flagged_count

    found = review.drafts(_store(args, read_only=True), args.status, args.run)
    if args.json:
        print_json(
            [
                {
                    "id": d.id,
                    "status": d.status,
                    "angle": d.angle,
                    "format": d.format,
                    "first_line": _first_line(d),
                    "flagged": flagged_count(d.findings),
                    "revision": d.revision,
                }
                for d in found
            ]
        )
        return 0
    if not found:
        print(f"no {args.status} drafts")
    for d in found:
        flagged = flagged_count(d.findings)
        print(f"{d.id}  {d.status:<8} {flagged:>2} flagged  {d.format:<8}  {d.angle}: {_first_line(d)}")
    return 0


def _show(args: argparse.Namespace) -> int:
    from angleforge import review

    store = _store(args, read_only=True)
    if args.json:
        print_json(review.view(store, args.id))
        return 0
    print(_describe(store.draft(args.id), store, terminal_style()))
    return 0


def _describe(draft: StoredDraft, store: Store, style: Style) -> str:
    """A draft as `show` prints it: status, its text with flagged statistics marked, history."""
    from angleforge import review
    from angleforge.findings import CheckResult
    from angleforge.render import check_result

    result = CheckResult.from_json(draft.findings, draft.id)
    lines = [f"{draft.id}  {draft.status}  {draft.format} on '{draft.angle}', revision {draft.revision}", ""]
    lines += [draft.text or f"(no text: {draft.error})", ""]
    if draft.text:
        lines.append(check_result(result, draft.text, style))
    lines += ["", "history:"]
    lines += [f"  {event.at}  {event.detail}" for event in review.history(store, draft.id)]
    return "\n".join(lines)


def _decide(args: argparse.Namespace) -> int:
    from angleforge import review

    store = _store(args)
    who = review.reviewer_name(args.reviewer)
    decide = review.approve if args.decision is DraftStatus.APPROVED else review.reject
    decision = decide(store, args.id, reviewer=who, note=args.note, force=args.force)
    print(f"{args.id}: {decision.decision} by {decision.reviewer} (revision {decision.revision})")
    return 0


def _edit(args: argparse.Namespace) -> int:
    from angleforge import review
    from angleforge.textfiles import read_text

    store, guardrail = _store_and_guardrail(args)
    draft = store.draft(args.id)
    text = read_text(args.text_file) if args.text_file else _in_editor(draft.text)
    revision, result = review.edit(
        store, guardrail, args.id, text, reviewer=review.reviewer_name(args.reviewer), seen=draft
    )
    print(
        f"{args.id}: revision {revision.number} is {revision.status} "
        f"({len(result.flagged)} of {len(result.statistics)} statistics flagged)"
    )
    return 0


def _in_editor(text: str) -> str:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise UsageError("no $EDITOR set: set one, or pass --text-file")
    with tempfile.NamedTemporaryFile("w+", suffix=".md", encoding="utf-8", delete=False) as handle:
        handle.write(text)
        name = handle.name
    try:
        if subprocess.run([*shlex.split(editor), name], check=False).returncode != 0:
            raise UsageError(f"{editor} exited with an error; nothing was written")
        return Path(name).read_text(encoding="utf-8")
    finally:
        Path(name).unlink(missing_ok=True)


def _recheck(args: argparse.Namespace) -> int:
    from angleforge import review

    store, guardrail = _store_and_guardrail(args)
    changes = review.recheck(store, guardrail, include_decided=args.all)
    if not changes:
        print("no verdict changed")
    for change in changes:
        print(
            f"{change.draft_id}: {change.before} -> {change.after} "
            f"({change.flagged_before} -> {change.flagged_after} flagged statistics)"
        )
    return 0


# --- the interactive walk -------------------------------------------------------------------


def _walk(args: argparse.Namespace) -> int:
    from angleforge import review

    store, guardrail = _store_and_guardrail(args)
    terminal = sys.stdin.isatty() and sys.stdout.isatty()
    walk = Walk(store, guardrail, review.reviewer_name(args.reviewer), sys.stdin, sys.stdout, terminal)
    return walk.run()


class Step(StrEnum):
    """What a reviewer did with one draft of the walk; the walk ends by counting them."""

    APPROVED = "approved"
    REJECTED = "rejected"
    EDITED = "edited"
    SKIPPED = "skipped"
    QUIT = "quit"


class Walk:
    """Flagged drafts one by one: [a]pprove, [r]eject, [e]dit, [s]kip, [q]uit.

    On a terminal an edit opens $EDITOR; from standard input, the new text follows the `e`
    line and ends with a line holding a single `.`."""

    def __init__(
        self,
        store: Store,
        guardrail: Guardrail,
        reviewer: str,
        source: TextIO,
        out: TextIO,
        terminal: bool,
        editor: Callable[[str], str] = _in_editor,
    ) -> None:
        self.store, self.guardrail, self.reviewer = store, guardrail, reviewer
        self.source, self.out, self.terminal, self.editor = source, out, terminal, editor

    def _ask(self, prompt: str) -> str | None:
        self.out.write(prompt)
        self.out.flush()
        line = self.source.readline()
        if not line:
            return None
        if not self.terminal:
            self.out.write(line if line.endswith("\n") else line + "\n")
        return line.rstrip("\n")

    def run(self) -> int:

        queue = self.store.drafts(status=DraftStatus.FLAGGED)
        if not queue:
            self.out.write("no flagged drafts to review\n")
            return 0
        counts = {step: 0 for step in Step if step is not Step.QUIT}
        from angleforge.render import Style

        for position, draft in enumerate(queue, start=1):
            self.out.write(f"\n[{position}/{len(queue)}] " + _describe(draft, self.store, Style(self.terminal)) + "\n")
            step = self._one(draft)
            if step is Step.QUIT:
                break
            counts[step] += 1
        self.out.write(", ".join(f"{n} {step}" for step, n in counts.items()) + "\n")
        return 0

    def _one(self, draft: StoredDraft) -> Step:
        from angleforge import review

        while True:
            key = self._ask("[a]pprove [r]eject [e]dit [s]kip [q]uit: ")
            if key is None or key.strip().lower() in ("q", "quit"):
                return Step.QUIT
            key = key.strip().lower()[:1]
            try:
                if key == "s":
                    return Step.SKIPPED
                if key == "a":
                    note = self._ask("note (why override the guardrail): ")
                    review.approve(self.store, draft.id, reviewer=self.reviewer, note=note, seen=draft)
                    return Step.APPROVED
                if key == "r":
                    note = self._ask("note (why reject): ")
                    review.reject(self.store, draft.id, reviewer=self.reviewer, note=note, seen=draft)
                    return Step.REJECTED
                if key == "e":
                    text = self.editor(draft.text) if self.terminal else self._read_text()
                    revision, _ = review.edit(
                        self.store, self.guardrail, draft.id, text, reviewer=self.reviewer, seen=draft
                    )
                    self.out.write(f"revision {revision.number} is {revision.status}\n")
                    return Step.EDITED
            except UsageError as error:
                self.out.write(f"{error}\n")
                continue
            self.out.write("keys: a, r, e, s, q\n")

    def _read_text(self) -> str:
        lines = []
        while (line := self.source.readline()) and line.rstrip("\n") != ".":
            lines.append(line)
        return "".join(lines)
