"""`angleforge export`: decided drafts as text ready to post, with their sources and notes."""

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
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from angleforge.export import export

    document = export(open_store(args, find_workspace(args), read_only=True), args.status, args.fmt)
    if args.out is None:
        sys.stdout.write(document)
        return 0
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(document, encoding="utf-8")
    except OSError as error:
        raise InputError(args.out, f"cannot write: {error.strerror or error}") from None
    return 0
