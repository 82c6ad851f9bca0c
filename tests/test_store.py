"""Opening the draft store: read-only stores read by the commands that only show, refused with
one line by the commands that write, and what is stored never touched."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from angleforge.cli import main
from angleforge.errors import InputError
from angleforge.store import Store

from .conftest import ROOT
from .support.brief_hooks import use_brief_hooks
from .support.openai_server import OpenAIServer
from .support.readonly import bound_by_permissions, read_only
from .support.stores import store_before_the_last_step

COMMAND = str(Path(sys.executable).with_name("angleforge"))
READ_ONLY = "the draft store is read-only"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with a store holding one run, some of its drafts flagged."""
    root = tmp_path_factory.mktemp("readonly") / "ws"
    for folder in ("knowledge", "prompts", "evals"):
        shutil.copytree(ROOT / folder, root / folder)
    # the brief's own hooks, some of which carry unsourced figures: with no repair, those stay flagged
    with pytest.MonkeyPatch.context() as patch:
        use_brief_hooks(patch)
        patch.chdir(root)
        assert main(["generate", "--max-repairs", "0", "--json"]) == 0
    return root


def angleforge(workspace: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command in `workspace`, made read-only, as a user whom that binds."""
    command = bound_by_permissions([COMMAND, *args])
    with read_only(workspace):
        return subprocess.run(command, cwd=workspace, capture_output=True, text=True, env={"NO_COLOR": "1"})


def fingerprint(folder: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def stored_drafts(workspace: Path) -> list[dict[str, str]]:
    done = subprocess.run([COMMAND, "review", "list", "--status", "all", "--json"], cwd=workspace, capture_output=True)
    return json.loads(done.stdout)


def test_a_read_only_store_is_listed_shown_and_exported(workspace):
    drafts = stored_drafts(workspace)
    before = fingerprint(workspace / ".angleforge")
    listing = angleforge(workspace, "review", "list", "--status", "all")
    assert listing.returncode == 0, listing.stderr
    assert [line.split()[0] for line in listing.stdout.splitlines()] == [d["id"] for d in drafts]
    flagged = next(d["id"] for d in drafts if d["status"] == "flagged")
    shown = angleforge(workspace, "review", "show", flagged)
    assert shown.returncode == 0 and shown.stdout.startswith(f"{flagged}  flagged"), shown.stderr
    exported = angleforge(workspace, "export", "--status", "all", "--format", "json", "--include-flagged")
    assert exported.returncode == 0, exported.stderr
    assert [d["id"] for d in json.loads(exported.stdout)] == [d["id"] for d in drafts]
    assert fingerprint(workspace / ".angleforge") == before


@pytest.mark.parametrize(
    "args",
    [
        ["generate", "--angle", "why-40-will-fail"],
        ["review", "approve", "FLAGGED", "--note", "checked by hand"],
    ],
    ids=["generate", "approve"],
)
def test_a_command_that_writes_says_the_store_is_read_only(workspace, args):
    flagged = next(d["id"] for d in stored_drafts(workspace) if d["status"] == "flagged")
    before = fingerprint(workspace / ".angleforge")
    done = angleforge(workspace, *[flagged if a == "FLAGGED" else a for a in args])
    assert done.returncode == 2
    line = done.stderr.splitlines()[-1]
    assert line.startswith(f"angleforge: {workspace / '.angleforge' / 'angleforge.db'}: {READ_ONLY} (")
    assert "not an angleforge store" not in done.stderr and "Traceback" not in done.stderr
    assert fingerprint(workspace / ".angleforge") == before


def test_a_read_only_store_file_is_refused_before_an_eval_runs(workspace, tmp_path):
    store = workspace / ".angleforge" / "angleforge.db"
    suite = tmp_path / "live.yaml"
    suite.write_text(
        "suite: live\ncases:\n  - id: one\n    angle: why-40-will-fail\n    format: post\n    count: 1\n",
        encoding="utf-8",
    )
    with OpenAIServer() as server, read_only(store):
        command = [COMMAND, "eval", str(suite), "--provider", "openai", "--base-url", server.base_url]
        done = subprocess.run(bound_by_permissions(command), cwd=workspace, capture_output=True, text=True)
        asked = server.stats.requests
    assert done.returncode == 2 and asked == 0  # refused before any case ran
    assert done.stderr.startswith(f"angleforge: {store}: {READ_ONLY} (the file cannot be written): ")
    assert done.stderr.count("\n") == 1


def test_a_read_only_workspace_without_a_store_says_so(tmp_path):
    root = tmp_path / "ws"
    for folder in ("knowledge", "prompts"):
        shutil.copytree(ROOT / folder, root / folder)
    done = angleforge(root, "generate", "--angle", "why-40-will-fail")
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1].startswith(f"angleforge: {root / '.angleforge' / 'angleforge.db'}: {READ_ONLY}")


def test_reading_needs_a_store_that_is_there_and_current(tmp_path):
    with pytest.raises(InputError, match="no draft store here"):
        Store.open(tmp_path / "none.db", read_only=True)
    (tmp_path / "notes.db").write_text("not a database", encoding="utf-8")
    with pytest.raises(InputError, match="not an angleforge store"):
        Store.open(tmp_path / "notes.db", read_only=True)
    old = tmp_path / "old.db"
    store_before_the_last_step(old)
    with pytest.raises(InputError, match="1 step"):
        Store.open(old, read_only=True)
    Store.open(old).close()  # a writer brings it up to date; then it reads
    Store.open(old, read_only=True).close()
