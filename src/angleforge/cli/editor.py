"""Text edited in the reviewer's own editor ($VISUAL, else $EDITOR)."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from angleforge.errors import UsageError


class EditorError(UsageError):
    """The editor could not be started, or gave up; nothing was written to the store."""


def editor_command() -> str:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise EditorError("no $EDITOR set: set one, or pass --text-file")
    return editor


def edit_text(text: str) -> str:
    """`text` as the reviewer leaves it in their editor. Where the editor fails after it was
    started, the file is kept and named, so typing is not lost with it."""
    editor = editor_command()
    try:
        command = shlex.split(editor)
    except ValueError as error:
        raise EditorError(f"cannot read the editor command '{editor}': {error}") from None
    if not command:
        raise EditorError("$EDITOR is blank: set one, or pass --text-file")
    with tempfile.NamedTemporaryFile("w", suffix=".md", encoding="utf-8", delete=False) as handle:
        handle.write(text)
    path = Path(handle.name)
    try:
        code = subprocess.run([*command, str(path)], check=False).returncode
    except OSError as error:  # no such program, not executable, ...
        path.unlink(missing_ok=True)
        problem = "no such program" if isinstance(error, FileNotFoundError) else (error.strerror or str(error))
        raise EditorError(f"cannot start the editor '{command[0]}': {problem}; nothing was written") from None
    if code != 0:
        raise EditorError(
            f"the editor '{command[0]}' exited with status {code}; nothing was written (your text: {path})"
        )
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise EditorError(f"cannot read back {path}: {error}; nothing was written") from None
    finally:
        path.unlink(missing_ok=True)
