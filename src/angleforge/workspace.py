"""Find the workspace: the folder holding knowledge/, prompts/ and evals/.

Like git with `.git`, commands look from the current directory upwards, unless told
otherwise by `--workspace` or `ANGLEFORGE_HOME`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from angleforge.errors import WorkspaceError

HOME_VARIABLE = "ANGLEFORGE_HOME"
_MARKERS = ("knowledge", "prompts", "evals")


@dataclass(frozen=True, slots=True, kw_only=True)
class Workspace:
    """A workspace folder and the places in it."""

    root: Path

    @property
    def knowledge(self) -> Path:
        return self.root / "knowledge"

    @property
    def prompts(self) -> Path:
        return self.root / "prompts"

    @property
    def evals(self) -> Path:
        return self.root / "evals"

    @property
    def state(self) -> Path:
        """Where angleforge keeps what it writes (the draft store)."""
        return self.root / ".angleforge"


def is_workspace(folder: Path) -> bool:
    return (folder / "knowledge").is_dir() and any((folder / m).is_dir() for m in _MARKERS[1:])


def find(explicit: Path | None = None, start: Path | None = None) -> Workspace:
    """The workspace named by `explicit` or ANGLEFORGE_HOME, else the nearest one upwards."""
    named = explicit or (Path(os.environ[HOME_VARIABLE]) if os.environ.get(HOME_VARIABLE) else None)
    if named is not None:
        if not named.is_dir():
            raise WorkspaceError(f"{named}: workspace folder not found")
        if not (named / "knowledge").is_dir():
            raise WorkspaceError(f"{named}: not a workspace (it has no knowledge/ folder)")
        return Workspace(root=named.resolve())
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if is_workspace(folder):
            return Workspace(root=folder)
    raise WorkspaceError(
        f"{here}: no workspace here or above (a folder with knowledge/, prompts/ and evals/); "
        f"run inside one, or pass --workspace DIR or set {HOME_VARIABLE}"
    )
