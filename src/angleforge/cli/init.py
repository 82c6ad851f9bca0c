"""`angleforge init`: a new workspace from the files angleforge ships, around a brief.

It writes knowledge/ (the user's brief, or the starter brief), prompts/, evals/ and
angleforge.toml, and never overwrites: where any of them is there already it writes nothing
and says which. A folder that holds only knowledge/ keeps it as the brief.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from angleforge.errors import InputError, UsageError

if TYPE_CHECKING:
    from angleforge.cli.common import Commands

_SHIPPED = ("prompts", "evals", "angleforge.toml")  # written from the defaults, never over the user's


def add_parser(commands: Commands, location: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "init",
        parents=[location],
        help="write a new workspace: knowledge/, prompts/, evals/ and angleforge.toml",
        description="Write a workspace in DIR (default: --workspace, else the current folder) from the files "
        "angleforge ships, with your brief in knowledge/ (or the starter brief). Nothing is overwritten.",
    )
    parser.add_argument("folder", nargs="?", type=Path, metavar="DIR", help="where to write the workspace")
    parser.add_argument(
        "--brief",
        action="append",
        type=Path,
        metavar="PATH",
        help="a Markdown brief, or a folder of them, to put in knowledge/ (repeatable; default: the starter brief, "
        "or the folder's own knowledge/)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import shutil

    from angleforge.cli.common import writable_folder
    from angleforge.workspace import DEFAULTS

    root: Path = args.folder or args.workspace or Path.cwd()
    briefs = _briefs(args.brief or [])
    knowledge = root / "knowledge"
    keep_knowledge = knowledge.exists() and not briefs
    there = [name for name in _SHIPPED if (root / name).exists()]
    if knowledge.exists() and briefs:
        there.insert(0, "knowledge")
    if there:
        raise UsageError(f"{root}: {', '.join(there)} already there; init overwrites nothing")
    writable_folder(root, "a workspace")
    try:
        if not keep_knowledge:
            knowledge.mkdir()
            for path in briefs or sorted((DEFAULTS / "knowledge").glob("*.md")):
                shutil.copyfile(path, knowledge / path.name)
        shutil.copytree(DEFAULTS / "prompts", root / "prompts")
        shutil.copytree(DEFAULTS / "evals", root / "evals")
        shutil.copyfile(DEFAULTS / "angleforge.toml", root / "angleforge.toml")
    except OSError as error:
        raise InputError(error.filename or root, f"cannot write the workspace: {error.strerror or error}") from None
    whose = "your brief" if briefs or keep_knowledge else "the starter brief"
    print(f"wrote a workspace in {root}: knowledge/ ({whose}), prompts/, evals/, angleforge.toml")
    if briefs or keep_knowledge:
        print("the suites in evals/ score the starter brief's angles and figures: write your own for `angleforge eval`")
    print("next: `angleforge kb audit` to see what the brief backs, `angleforge generate` to write drafts")
    return 0


def _briefs(given: list[Path]) -> list[Path]:
    """The Markdown files named, each folder's read in name order; two of one name would
    overwrite each other in knowledge/, so they are refused."""
    found: list[Path] = []
    for path in given:
        if path.is_dir():
            files = sorted(p for p in path.glob("*.md") if p.is_file())
            if not files:
                raise InputError(path, "folder holds no .md briefs")
            found.extend(files)
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(path, "file not found")
    names = [p.name for p in found]
    if twice := sorted({name for name in names if names.count(name) > 1}):
        raise InputError(given[0], f"two briefs named {', '.join(twice)}; knowledge/ holds one of each name")
    return found
