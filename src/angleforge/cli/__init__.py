"""The `angleforge` command: the top parser, built from one module per command, and the one
place an error becomes a message and an exit code.

Every command module builds its parser with the standard library alone and imports what its
handler needs when it runs, so `angleforge check` never pays for the model client or the
template engine.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Sequence

from angleforge import __version__
from angleforge.cli import angles, check, export, generate, init, kb, review
from angleforge.cli import eval as evaluate
from angleforge.cli.common import Handler, location_options
from angleforge.errors import AngleforgeError

COMMANDS = (init, check, angles, generate, review, export, evaluate, kb)  # in the order `--help` lists them


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="angleforge",
        description="X drafts from a research brief, with every statistic checked against its sources.",
        parents=[location_options(default=None)],
    )
    parser.add_argument("--version", action="version", version=f"angleforge {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    location = location_options()
    for command in COMMANDS:
        command.add_parser(commands, location)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except AngleforgeError as error:
        print(f"angleforge: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("angleforge: interrupted", file=sys.stderr)
        return 130
    except sqlite3.Error as error:  # the store failed under us: a disk, a lock held too long
        print(f"angleforge: the draft store failed: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
