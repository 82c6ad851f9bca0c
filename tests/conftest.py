"""Shared fixtures: the seed knowledge base, a clean environment, and no network."""

from __future__ import annotations

import socket
from functools import cache
from pathlib import Path

import pytest

from angleforge.guardrail import Guardrail
from angleforge.knowledge import KnowledgeBase, load

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "knowledge"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BRIEFS = ROOT / "evals" / "briefs"


@cache  # loading and indexing a brief is the slow part of a guardrail test: once a session
def guardrail_of(brief: str) -> Guardrail:
    """The guardrail over the seed knowledge base ("seed") or one of the eval briefs."""
    return Guardrail(load(SEED if brief == "seed" else BRIEFS / brief))


def verdicts(brief: str, draft: str) -> dict[str, str]:
    """Each statistic of `draft` as written, with its status against `brief` (`guardrail_of`)."""
    return {f.text: str(f.status) for f in guardrail_of(brief).findings(draft)}


@pytest.fixture(scope="session")
def seed_kb() -> KnowledgeBase:
    return load(SEED)


@pytest.fixture(scope="session")
def guardrail(seed_kb: KnowledgeBase) -> Guardrail:
    return Guardrail(seed_kb)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No setting of the developer's shell leaks into a test."""
    for name in ("ANGLEFORGE_HOME", "ANGLEFORGE_DB", "OPENAI_API_KEY", "OPENAI_BASE_URL", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)


_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: object) -> None:
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and (host.startswith("127.") or host in ("localhost", "::1")):
        return _real_connect(self, address)  # type: ignore[arg-type]
    if self.family == socket.AF_UNIX:
        return _real_connect(self, address)  # type: ignore[arg-type]
    raise RuntimeError(f"tests may not reach the network (tried {address!r})")


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)


@pytest.fixture
def offline_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    """A store holding one offline run of every angle with no repairs, written from the brief's
    own hooks, so the drafts whose hooks carry unsourced figures stay flagged; it is
    $ANGLEFORGE_DB, and the seed workspace the current folder."""
    from concurrent.futures import ThreadPoolExecutor

    from angleforge.cli import main

    from .support.brief_hooks import use_brief_hooks

    use_brief_hooks(monkeypatch)

    path = tmp_path / "store.db"
    monkeypatch.setenv("ANGLEFORGE_DB", str(path))
    monkeypatch.chdir(ROOT)
    # in a thread of its own: a test driving a browser holds an event loop in this one
    with ThreadPoolExecutor(1) as worker:
        assert worker.submit(main, ["generate", "--max-repairs", "0", "--json"]).result() == 0
    capsys.readouterr()
    return path
