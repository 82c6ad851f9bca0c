"""`angleforge angles`: the angles of the knowledge base, what drafts can be written on."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import TYPE_CHECKING

from angleforge.cli.common import Knowledge, print_json

if TYPE_CHECKING:
    from angleforge.cli.common import Commands


def add_parser(commands: Commands, location: argparse.ArgumentParser) -> None:
    parser = commands.add_parser("angles", parents=[location], help="list the angles drafts can be written on")
    parser.add_argument("--json", action="store_true", help="print as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from angleforge.angles import angles

    found = angles(Knowledge.given(args).load())
    if args.json:
        print_json([asdict(angle) for angle in found])
        return 0
    width = max((len(a.name) for a in found), default=0)
    for angle in found:
        print(f"{angle.name:<{width}}  {angle.format:<8}  {angle.title}")
    return 0
