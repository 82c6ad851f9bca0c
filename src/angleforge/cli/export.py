"""`angleforge export`: approved drafts as text ready to post, with their sources and notes; what is
not ready is left out and named (exit 1), or exported marked with --include-flagged."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from angleforge.cli.common import find_workspace, open_store, store_option
from angleforge.errors import InputError
from angleforge.statuses import DraftStatus

if TYPE_CHECKING:
    from angleforge.cli.common import Commands


def add_parser(commands: Commands, location: argparse.ArgumentParser) -> None:
    parser = commands.add_parser("export", parents=[location, store_option()], help="drafts ready to post")
    parser.add_argument("--status", default=DraftStatus.APPROVED, help="which drafts (default approved)")
    parser.add_argument("--format", dest="fmt", default="md", choices=["md", "json", "csv"])
    parser.add_argument("--out", type=Path, metavar="FILE", help="write here instead of standard output")
    parser.add_argument(
        "--include-flagged",
        action="store_true",
        help="export drafts that are not approved-and-passing too, marked as not ready",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from angleforge.export import export
    from angleforge.printable import printable

    store = open_store(args, find_workspace(args), read_only=True)
    result = export(store, args.status, args.fmt, include_flagged=args.include_flagged)
    if args.out is None:
        # a terminal is shown the drafts' control characters, not sent them; a pipe gets the text
        sys.stdout.write(printable(result.document) if sys.stdout.isatty() else result.document)
    else:
        try:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(result.document, encoding="utf-8")
        except OSError as error:
            raise InputError(args.out, f"cannot write: {error.strerror or error}") from None
    if line := result.left_out_line():
        print(f"angleforge: {line}", file=sys.stderr)
        return 1
    return 0
