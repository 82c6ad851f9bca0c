"""`angleforge review`: a person decides on the drafts the guardrail checked; the trail is kept."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from angleforge.cli.common import Knowledge, find_workspace, open_store, print_json, store_option, terminal_style
from angleforge.errors import UsageError
from angleforge.statuses import DraftStatus

if TYPE_CHECKING:  # the parser is built for every command: keep its imports light
    from angleforge.cli.common import Commands
    from angleforge.guardrail import Guardrail
    from angleforge.render import Style
    from angleforge.store import Store, StoredDraft

DESK_PORT = 8765


def add_parser(commands: Commands, location: argparse.ArgumentParser) -> None:
    who = argparse.ArgumentParser(add_help=False)
    who.add_argument("--reviewer", metavar="NAME", help="who decides (default: your login name)")
    parents = [location, store_option(), who]
    statuses = f"{', '.join(DraftStatus)} or all"

    parser = commands.add_parser(
        "review",
        parents=parents,
        help="review the drafts the guardrail checked",
        description="With no subcommand: walk the flagged drafts one by one (single keys on a terminal, lines "
        "on standard input otherwise); with --web, the review desk in a browser.",
    )
    parser.add_argument("--status", default=DraftStatus.FLAGGED, help="which drafts to walk (default: flagged)")
    desk = parser.add_argument_group("the review desk")
    desk.add_argument("--web", action="store_true", help="serve the review desk on this machine")
    desk.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)")
    desk.add_argument("--port", type=int, default=DESK_PORT, help=f"the port (default: {DESK_PORT}; 0 for any)")
    desk.add_argument(
        "--remote",
        action="store_true",
        help="allow an address other machines reach; every request then needs the printed token",
    )
    parser.set_defaults(handler=_walk_or_desk)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")

    listing = actions.add_parser("list", parents=parents, help="one row per draft")
    listing.add_argument("--status", default=DraftStatus.FLAGGED, help=f"{statuses} (default: flagged)")
    listing.add_argument("--run", metavar="RUN_ID", help="only this run's drafts")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_list)

    show = actions.add_parser("show", parents=parents, help="a draft, its flagged statistics and its history")
    show.add_argument("id")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=_show)

    for name, decision, needs, chosen in (
        ("approve", DraftStatus.APPROVED, "needed when a draft is flagged", DraftStatus.PASSED),
        ("reject", DraftStatus.REJECTED, "required", DraftStatus.FLAGGED),
    ):
        decide = actions.add_parser(name, parents=parents, help=f"{name} drafts, named or of a run")
        decide.add_argument("ids", nargs="*", metavar="ID")
        decide.add_argument("--run", metavar="RUN_ID", help="every draft of this run with --status")
        decide.add_argument("--status", help=f"with --run: the drafts of this status (default: {chosen})")
        decide.add_argument("--note", metavar="TEXT", help=f"why ({needs})")
        decide.add_argument("--force", action="store_true", help="decide again on a decided draft")
        decide.set_defaults(handler=_decide, decision=decision, chosen=chosen)

    edit = actions.add_parser("edit", parents=parents, help="a new revision of a draft, checked at once")
    edit.add_argument("id")
    edit.add_argument("--text-file", type=Path, metavar="F", help="the new text (default: open $EDITOR)")
    edit.set_defaults(handler=_edit)

    undo = actions.add_parser("undo", parents=parents, help="take back the decision that stands on a draft")
    undo.add_argument("id")
    undo.set_defaults(handler=_undo)

    recheck = actions.add_parser("recheck", parents=parents, help="check undecided and approved drafts again")
    recheck.add_argument("--all", action="store_true", help="rejected drafts too (their decisions stand)")
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
    from angleforge.printable import printable

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
        print(printable(f"{d.id}  {d.status:<8} {flagged:>2} flagged  {d.format:<8}  {d.angle}: {_first_line(d)}"))
    return 0


def _show(args: argparse.Namespace) -> int:
    from angleforge import review

    store = _store(args, read_only=True)
    if args.json:
        print_json(review.view(store, args.id))
        return 0
    print(describe(store.draft(args.id), store, terminal_style()))
    return 0


def describe(draft: StoredDraft, store: Store, style: Style) -> str:
    """A draft as `show` prints it: status, its text with flagged statistics marked, the rules
    of its format it breaks, history. Every control character of the draft is shown, not sent."""
    from angleforge import review
    from angleforge.findings import CheckResult
    from angleforge.printable import printable, printable_data
    from angleforge.render import check_result

    text = printable(draft.text)  # keeps its length, so the findings' offsets still hold
    result = CheckResult.from_json(printable_data(draft.findings), draft.id)
    lines = [printable(f"{draft.id}  {draft.status}  {draft.format} on '{draft.angle}', revision {draft.revision}")]
    lines += ["", text or printable(f"(no text: {draft.error})"), ""]
    if draft.text:
        lines.append(check_result(result, text, style))
    lines += _violations(review.format_violations(draft.format, draft.posts), style)
    lines += ["", "history:"]
    lines += [printable(f"  {event.at}  {event.detail}") for event in review.history(store, draft.id)]
    return "\n".join(lines)


def _violations(problems: list[str], style: Style) -> list[str]:
    """The rules of its X format a draft breaks, under the flagged statistics."""
    if not problems:
        return []
    return [f"{style.flagged('format')}: {len(problems)} rule(s) broken", *(f"  {problem}" for problem in problems)]


def _decide(args: argparse.Namespace) -> int:
    from angleforge import review

    store = _store(args)
    ids = list(args.ids)
    if args.run is not None:
        ids += [d.id for d in review.drafts(store, args.status or args.chosen, args.run)]
    elif args.status is not None:
        raise UsageError("--status chooses among a run's drafts: give --run RUN_ID too, or name the drafts")
    if not ids:
        raise UsageError(f"nothing to {args.action}: name drafts, or give --run RUN_ID")
    outcomes = review.decide_all(
        store,
        list(dict.fromkeys(ids)),
        args.decision,
        reviewer=review.reviewer_name(args.reviewer),
        note=args.note,
        force=args.force,
    )
    failed = [o for o in outcomes if o.error is not None]
    for outcome in outcomes:
        if outcome.decision is not None:
            print(review.decision_line(outcome.decision))
    if len(outcomes) == 1 and failed and failed[0].error is not None:
        raise failed[0].error  # one draft: its error is the command's, as one line
    for outcome in failed:
        print(f"angleforge: {outcome.error}", file=sys.stderr)
    if failed:
        print(f"{len(outcomes) - len(failed)} of {len(outcomes)} drafts {args.decision}", file=sys.stderr)
    return max((o.error.exit_code for o in failed if o.error is not None), default=0)


def _edit(args: argparse.Namespace) -> int:
    from angleforge import review
    from angleforge.cli.editor import edit_text
    from angleforge.textfiles import read_text

    store, guardrail = _store_and_guardrail(args)
    draft = store.draft(args.id)
    text = read_text(args.text_file) if args.text_file else edit_text(draft.text)
    outcome = review.edit(store, guardrail, args.id, text, reviewer=review.reviewer_name(args.reviewer), seen=draft)
    print(outcome.summary())
    if outcome.revision is not None:
        print("\n".join(_violations(review.format_violations(draft.format, outcome.revision.posts), terminal_style())))
    return 0


def _undo(args: argparse.Namespace) -> int:
    from angleforge import review

    print(review.undo(_store(args), args.id, reviewer=review.reviewer_name(args.reviewer)).summary())
    return 0


def _recheck(args: argparse.Namespace) -> int:
    from angleforge import review

    store, guardrail = _store_and_guardrail(args)
    changes = review.recheck(store, guardrail, reviewer=review.reviewer_name(args.reviewer), include_rejected=args.all)
    if not changes:
        print("no verdict changed")
    for change in changes:
        print(
            f"{change.draft_id}: {change.before} -> {change.after} "
            f"({change.flagged_before} -> {change.flagged_after} flagged statistics)"
        )
    reopened = [change for change in changes if change.reopened]
    for change in reopened:
        print(
            f"angleforge: approval of {change.draft_id} withdrawn: {', '.join(change.newly_flagged)} no longer "
            f"check out; it is {change.after} again and needs a new decision",
            file=sys.stderr,
        )
    return 1 if reopened else 0


# --- bare `review`: the walk, or the desk -------------------------------------------------


def _walk_or_desk(args: argparse.Namespace) -> int:
    from angleforge import review
    from angleforge.cli.walk import Walk, console_for

    store, guardrail = _store_and_guardrail(args)
    status = review.status_filter(args.status)
    if args.web:
        from angleforge.desk import DeskSettings, serve

        settings = DeskSettings(host=args.host, port=args.port, remote=args.remote)
        return serve(store, guardrail, settings, reviewer=review.reviewer_name(args.reviewer))
    if status is None:
        raise UsageError("the walk goes through the drafts of one status: give --status passed or flagged, say")
    console = console_for(sys.stdin, sys.stdout)
    style = terminal_style()
    walk = Walk(
        store, guardrail, review.reviewer_name(args.reviewer), console, lambda d: describe(d, store, style), status
    )
    return walk.run()
