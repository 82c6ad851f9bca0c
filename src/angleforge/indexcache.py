"""A knowledge base, parsed and indexed, kept on disk between commands.

Parsing and indexing grow with the knowledge base (seconds for a hundred briefs); reading
back the pickled guardrail does not parse anything. The cache is keyed by every Markdown
file's path, size and modification time, and by angleforge's own code, so any change to
either builds it afresh. It lives in the workspace's `.angleforge/cache/`: a file angleforge
wrote itself, never one from elsewhere.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

import angleforge
from angleforge import knowledge
from angleforge.guardrail import Guardrail

_FORMAT = "1"


def fingerprint(folder: Path) -> str:
    """A digest of the knowledge folder's Markdown files and of the code that reads them."""
    digest = hashlib.sha256(f"{_FORMAT}:{angleforge.__version__}:{folder.resolve()}".encode())
    code = Path(angleforge.__file__).parent
    for path in sorted([*folder.rglob("*.md"), *code.rglob("*.py")]):
        stat = path.stat()
        digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:24]


def load_guardrail(folder: Path, cache: Path | None) -> Guardrail:
    """The guardrail over `folder`, from the cache when it is current, else built and kept."""
    if cache is None or not folder.is_dir():
        return Guardrail(knowledge.load(folder))
    path = cache / f"guardrail-{fingerprint(folder)}.pickle"
    try:
        with path.open("rb") as handle:
            found = pickle.load(handle)
        if isinstance(found, Guardrail):
            return found
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        pass  # no cache, or one from another version: build it
    guardrail = Guardrail(knowledge.load(folder))
    try:
        cache.mkdir(parents=True, exist_ok=True)
        for old in cache.glob("guardrail-*.pickle"):
            old.unlink(missing_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        with temporary.open("wb") as handle:
            pickle.dump(guardrail, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)  # readers see the whole file or none
    except OSError:
        pass  # a read-only workspace still works, only slower
    return guardrail
