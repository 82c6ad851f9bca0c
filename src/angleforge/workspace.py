"""Find the workspace: the folder holding knowledge/, and perhaps prompts/, evals/ and
angleforge.toml of its own.

Like git with `.git`, commands look from the current directory upwards, unless told
otherwise by `--workspace` or `ANGLEFORGE_HOME`. A workspace without prompts/ or evals/ uses
the ones angleforge ships (`DEFAULTS`), so a folder holding a brief is enough to check drafts
against it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from angleforge.errors import WorkspaceError

HOME_VARIABLE = "ANGLEFORGE_HOME"
DEFAULTS = Path(__file__).resolve().parent / "defaults"  # the shipped prompts/, evals/, knowledge/, angleforge.toml


@dataclass(frozen=True, slots=True, kw_only=True)
class Workspace:
    """A workspace folder and the places in it."""

    root: Path

    @property
    def knowledge(self) -> Path:
        return self.root / "knowledge"

    @property
    def prompts(self) -> Path:
        """The workspace's templates, else the shipped ones."""
        return _own_or_default(self.root, "prompts")

    @property
    def evals(self) -> Path:
        """The workspace's eval suites, else the shipped ones."""
        return _own_or_default(self.root, "evals")

    @property
    def recordings(self) -> Path:
        """Where recorded model replies are kept: always the workspace's own, since `--record`
        writes there and the shipped files are not to be written."""
        return self.root / "evals" / "recordings"

    @property
    def state(self) -> Path:
        """Where angleforge keeps what it writes (the draft store)."""
        return self.root / ".angleforge"


def _own_or_default(root: Path, name: str) -> Path:
    own = root / name
    return own if own.is_dir() else DEFAULTS / name


def is_workspace(folder: Path) -> bool:
    return (folder / "knowledge").is_dir()


def find(explicit: Path | None = None, start: Path | None = None) -> Workspace:
    """The workspace named by `explicit` or ANGLEFORGE_HOME, else the nearest one upwards."""
    named = explicit or (Path(os.environ[HOME_VARIABLE]) if os.environ.get(HOME_VARIABLE) else None)
    if named is not None:
        if not named.is_dir():
            raise WorkspaceError(f"{named}: workspace folder not found")
        if not is_workspace(named):
            raise WorkspaceError(f"{named}: not a workspace (it has no knowledge/ folder)")
        return Workspace(root=named.resolve())
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if is_workspace(folder):
            return Workspace(root=folder)
    raise WorkspaceError(
        f"{here}: no workspace here or above (a folder holding a knowledge/ folder); run inside one, "
        f"pass --workspace DIR or set {HOME_VARIABLE}, or make one with `angleforge init`"
    )
