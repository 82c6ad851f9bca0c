"""The API key never lands in the store, the cache, the output, reports or error messages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from angleforge.cli import main

from .conftest import ROOT
from .support.openai_server import OpenAIServer

KEY = "sk-test-KNOWN-f4k3-k3y-0123456789"


def echoing_reply(request: dict[str, Any]) -> str:
    """A grounded draft; the server never sees the key in the body, so nothing to echo here."""
    return json.dumps({"posts": ["Users expect a response within 300ms. I see it in production."]})


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "ws"
    for folder in ("knowledge", "prompts", "evals"):
        shutil.copytree(ROOT / folder, root / folder)
    (root / "angleforge.toml").write_text("[generate]\nattempts = 3\nmax_wait = 0.02\ntimeout = 5\n", encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    return root


def everything_written(root: Path) -> list[tuple[Path, bytes]]:
    return [(path, path.read_bytes()) for path in root.rglob("*") if path.is_file()]


def test_a_run_with_a_known_key_leaves_it_nowhere(workspace, capsys, tmp_path):
    with OpenAIServer(reply=echoing_reply, faults={"500": 0.3, "429": 0.2}, retry_after=0.01, seed=3) as server:
        generate = [
            "generate",
            "--provider",
            "openai",
            "--base-url",
            server.base_url,
            "--format",
            "post",
            "--angle",
            "the-300ms-rule",
            "-n",
            "6",
        ]
        code = main([*generate, "--out", str(tmp_path / "out"), "--json"])
        assert code in (0, 1) and server.stats.requests >= 6
        main(generate)  # a second run is answered from the cache
        eval_code = main(
            [
                "eval",
                str(workspace / "evals" / "generation"),
                "--provider",
                "openai",
                "--base-url",
                server.base_url,
                "--report",
                str(tmp_path / "report"),
            ]
        )
        assert eval_code in (0, 1)
    # a server that refuses the key, and one that is not there: the errors do not carry it
    with OpenAIServer(reply=echoing_reply, faults={"500": 1.0}) as server:
        main(["generate", "--provider", "openai", "--base-url", server.base_url, "--angle", "the-300ms-rule"])
    main(["generate", "--provider", "openai", "--base-url", "http://127.0.0.1:9/v1", "--angle", "the-300ms-rule"])
    captured = capsys.readouterr()
    assert KEY not in captured.out and KEY not in captured.err
    written = (
        everything_written(workspace / ".angleforge")
        + everything_written(tmp_path / "out")
        + everything_written(tmp_path / "report")
    )
    assert any(path.suffix == ".db" for path, _ in written) and any(p.suffix == ".html" for p, _ in written)
    leaks = [str(path) for path, data in written if KEY.encode() in data]
    assert leaks == []
