"""Read-only files and folders, as a user whom file permissions bind.

Root reads and writes whatever the permission bits say, so a test that makes a folder
read-only runs its command through `setpriv`, without the capabilities that override them;
as any other user the bits bind already.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

_OVERRIDES = "dac_override,dac_read_search,fowner"


def bound_by_permissions(command: list[str]) -> list[str]:
    """`command`, run so that read-only files and folders are read-only to it."""
    if os.geteuid() != 0:
        return command
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: a read-only folder cannot be made to bind")
    dropped = ",".join(f"-{cap}" for cap in _OVERRIDES.split(","))
    return [setpriv, f"--inh-caps={dropped}", f"--bounding-set={dropped}", "--", *command]


@contextmanager
def read_only(*paths: Path) -> Iterator[None]:
    """Every file and folder under `paths` without write permission, restored afterwards (so
    pytest can remove them)."""
    changed: list[tuple[Path, int]] = []
    for top in paths:
        for path in [top, *(top.rglob("*") if top.is_dir() else [])]:
            mode = path.stat().st_mode
            changed.append((path, mode))
            path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        yield
    finally:
        for path, mode in reversed(changed):
            path.chmod(mode)
