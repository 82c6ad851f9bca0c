"""`angleforge check`: every statistic of each draft against the knowledge base."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from angleforge.cli.common import Knowledge, print_json, read_drafts, terminal_style

if TYPE_CHECKING:
    from angleforge.cli.common import Commands


def add_parser(commands: Commands, location: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "check",
        parents=[location],
        help="check the statistics of drafts against the knowledge base",
        description="Check every statistic of each draft. Exit 0 when all pass, 1 when any is flagged, 2 on bad input.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="draft files or folders of .md/.txt drafts; - reads standard input",
    )
    parser.add_argument("--json", action="store_true", help="print results as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from angleforge import render
    from angleforge.statuses import Verdict

    drafts = read_drafts(args.paths)
    guardrail = Knowledge.given(args).guardrail()
    results = [guardrail.check(text, path) for path, text in drafts]
    if args.json:
        print_json([result.to_json() for result in results])
    else:
        style = terminal_style()
        views = (render.check_result(r, text, style) for r, (_, text) in zip(results, drafts, strict=True))
        print("\n\n".join(views))
    return 1 if any(r.verdict is Verdict.FLAGGED for r in results) else 0
