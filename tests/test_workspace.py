"""The workspace: found from a folder that holds only a brief, with the shipped prompts and
evals where it has none of its own, and named before a command or after it."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest

from angleforge.cli import main
from angleforge.workspace import DEFAULTS, find

from .conftest import ROOT

FLAGGED = "Gartner predicts 40%+ of agentic AI projects will fail by 2028.\n"


@pytest.fixture
def brief_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding only knowledge/: a brief, and nothing else of a workspace's."""
    root = tmp_path / "brief"
    shutil.copytree(ROOT / "knowledge", root / "knowledge")
    (root / "draft.md").write_text(FLAGGED, encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def test_a_folder_with_only_knowledge_checks_drafts_and_lists_its_brief(brief_folder, capsys):
    assert main(["check", "draft.md", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)[0]["verdict"] == "flagged"
    assert main(["kb", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["root"] == str(brief_folder / "knowledge")


def test_a_folder_with_only_knowledge_uses_the_shipped_prompts_and_evals(brief_folder, capsys):
    home = find()
    assert home.prompts == DEFAULTS / "prompts" and home.evals == DEFAULTS / "evals"
    assert home.recordings == brief_folder / "evals" / "recordings"  # written to the workspace, never the package
    assert main(["generate", "--angle", "why-40-will-fail", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["drafts"][0]["status"] == "passed"
    assert main(["eval", "--json"]) == 0
    assert {suite["suite"] for suite in json.loads(capsys.readouterr().out)["suites"]} == {
        "guardrail",
        "generation",
        "recorded",
    }
    (brief_folder / "prompts").mkdir()  # the workspace's own, once it has them
    assert find().prompts == brief_folder / "prompts"


def test_the_shipped_defaults_are_the_repository_workspace_itself():
    """One copy of each template and suite: the package's defaults link to the root's folders,
    and the package data a build copies takes every file behind the links."""
    for name in ("prompts", "evals", "knowledge", "angleforge.toml"):
        assert (DEFAULTS / name).is_symlink() and (DEFAULTS / name).resolve() == (ROOT / name).resolve()
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = settings["tool"]["setuptools"]["package-data"]["angleforge.defaults"]
    shipped = {path for pattern in patterns for path in DEFAULTS.glob(pattern) if path.is_file()}
    behind = {
        DEFAULTS / name / path.relative_to(ROOT / name)
        for name in ("prompts", "evals", "knowledge")
        for path in (ROOT / name).rglob("*")
        if path.is_file()
    }
    assert behind | {DEFAULTS / "angleforge.toml"} <= shipped
    assert {p.name for p in (DEFAULTS / "prompts").glob("*.j2")} >= {"system.j2", "thread.j2", "repair.j2"}


@pytest.mark.parametrize("where", ["before", "after"])
def test_workspace_is_taken_before_the_command_or_after_it(brief_folder, tmp_path, monkeypatch, capsys, where):
    monkeypatch.chdir(tmp_path)
    named = ["--workspace", str(brief_folder)]
    args = (
        [*named, "check", str(brief_folder / "draft.md")]
        if where == "before"
        else ["check", str(brief_folder / "draft.md"), *named]
    )
    assert main(args) == 1
    assert "flagged (2 of 2 statistics)" in capsys.readouterr().out


def test_a_workspace_named_after_the_command_wins_over_one_named_before(brief_folder, tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["--workspace", str(empty), "kb", "--workspace", str(brief_folder)]) == 0
    assert main(["--workspace", str(brief_folder), "kb", "--workspace", str(empty)]) == 2
    assert "not a workspace (it has no knowledge/ folder)" in capsys.readouterr().err
