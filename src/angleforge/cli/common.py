"""What the commands share: the location options, the workspace and knowledge folder found
once, the guardrail through the index cache, the draft store, the drafts to check, output.

Only the standard library and angleforge's light modules are imported here: every command's
parser is built from this, `angleforge check`'s too.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from angleforge import workspace
from angleforge.errors import InputError, WorkspaceError

if TYPE_CHECKING:
    from angleforge.guardrail import Guardrail
    from angleforge.knowledge import KnowledgeBase
    from angleforge.render import Style
    from angleforge.store import Store
    from angleforge.workspace import Workspace

    Commands = argparse._SubParsersAction[argparse.ArgumentParser]

Handler = Callable[[argparse.Namespace], int]


def location_options(default: object = argparse.SUPPRESS) -> argparse.ArgumentParser:
    """--workspace and --knowledge, which every command takes, before its name or after.

    The top parser takes them with `default` None, each command's parser with no default at
    all: a command's parser would otherwise write its own None over the value given before
    the command's name."""
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument(
        "--workspace",
        type=Path,
        default=default,
        metavar="DIR",
        help="the workspace folder (default: found from here upwards, or $ANGLEFORGE_HOME)",
    )
    options.add_argument(
        "--knowledge",
        type=Path,
        default=default,
        metavar="DIR",
        help="the knowledge folder to use instead of the workspace's knowledge/",
    )
    return options


def store_option(help: str = "the draft store") -> argparse.ArgumentParser:
    """--db, for the commands that read or write a store."""
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("--db", type=Path, metavar="FILE", help=help)
    return options


def find_workspace(args: argparse.Namespace) -> Workspace:
    return workspace.find(args.workspace)


@dataclass(frozen=True, slots=True)
class Knowledge:
    """The knowledge folder a command reads, and where its parsed index is kept, if anywhere."""

    folder: Path
    cache: Path | None  # the workspace's index cache; None outside a workspace

    @classmethod
    def of(cls, args: argparse.Namespace, home: Workspace) -> Knowledge:
        """--knowledge, else the workspace's own; the index is kept in the workspace."""
        return cls(folder=args.knowledge or home.knowledge, cache=home.state / "cache")

    @classmethod
    def given(cls, args: argparse.Namespace) -> Knowledge:
        """For the commands that read only knowledge: a --knowledge folder needs no workspace."""
        try:
            home = find_workspace(args)
        except WorkspaceError:
            if args.knowledge is None:
                raise
            return cls(folder=args.knowledge, cache=None)
        return cls.of(args, home)

    def load(self) -> KnowledgeBase:
        from angleforge import knowledge

        return knowledge.load(self.folder)

    def guardrail(self) -> Guardrail:
        """The guardrail over the folder, read back from the index cache when it is current."""
        from angleforge.indexcache import load_guardrail

        return load_guardrail(self.folder, self.cache)


def open_store(args: argparse.Namespace, home: Workspace, *, existing: bool = False, read_only: bool = False) -> Store:
    """The draft store: --db, else $ANGLEFORGE_DB, else the workspace's. With `existing` it
    must be there already: review and export read what generate wrote. With `read_only` it is
    only read, so a command that only shows what is stored works on a store it cannot write."""
    from angleforge.store import Store, store_path

    path = store_path(args.db, home.state)
    if (existing or read_only) and not path.exists():
        raise InputError(path, "no draft store yet; run `angleforge generate` first")
    return Store.open(path, read_only=read_only)


def read_drafts(paths: list[str]) -> list[tuple[str, str]]:
    """(label, text) of each draft named: files, folders of .md/.txt files, `-` for standard
    input (also when nothing is named and something is piped in)."""
    from angleforge.textfiles import read_stdin, read_text

    if not paths:
        if sys.stdin.isatty():
            raise InputError("check", "no draft given: name files, or pipe a draft into `angleforge check -`")
        paths = ["-"]
    drafts = []
    for name in paths:
        if name == "-":
            found = [("-", read_stdin())]
        elif Path(name).is_dir():
            files = sorted(p for p in Path(name).rglob("*") if p.suffix in (".md", ".txt") and p.is_file())
            if not files:
                raise InputError(name, "folder holds no .md or .txt drafts")
            found = [(str(p), read_text(p)) for p in files]
        else:
            found = [(name, read_text(Path(name)))]
        for label, text in found:
            if not text.strip():
                raise InputError(label, "empty draft")
        drafts.extend(found)
    return drafts


def writable_folder(folder: Path, what: str) -> None:
    """Make `folder` if need be and write a scratch file in it, or say why that cannot be done:
    checked before a run starts, so no run is stored only to fail when its output is written."""
    import tempfile

    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise InputError(folder, f"cannot write {what} there: {_why_not(error)}") from None


def _why_not(error: OSError) -> str:
    if isinstance(error, FileExistsError):
        return "it is a file, not a folder"
    if isinstance(error, NotADirectoryError):
        return "part of the path is a file, not a folder"
    return error.strerror or str(error)


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def terminal_style() -> Style:
    """Colours where standard output is a terminal (and NO_COLOR is not set)."""
    from angleforge.render import Style

    return Style(sys.stdout.isatty())
