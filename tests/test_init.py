"""`angleforge init`: a workspace written from the shipped files, around a brief, never over
what is there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from angleforge.cli import main

from .conftest import FIXTURES, ROOT


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_new_workspace_holds_the_starter_brief_and_the_shipped_files(tmp_path, capsys):
    root = tmp_path / "ws"
    assert main(["init", str(root)]) == 0
    assert "knowledge/ (the starter brief)" in capsys.readouterr().out
    for name in ("knowledge", "prompts", "evals"):
        assert tree(root / name) == tree(ROOT / name)
    assert (root / "angleforge.toml").read_bytes() == (ROOT / "angleforge.toml").read_bytes()
    assert main(["--workspace", str(root), "kb", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["files"] == ["author.md", "call-center-ai-production-reality-2026.md"]


def test_a_workspace_around_the_users_brief(tmp_path, capsys):
    root = tmp_path / "ws"
    brief = FIXTURES / "knowledge-other"
    assert main(["init", str(root), "--brief", str(brief)]) == 0
    assert "knowledge/ (your brief)" in capsys.readouterr().out
    assert tree(root / "knowledge") == {p.name: p.read_bytes() for p in sorted(brief.glob("*.md"))}
    assert main(["kb", "--workspace", str(root)]) == 0


def test_a_folder_holding_only_a_brief_keeps_it(tmp_path, capsys):
    root = tmp_path / "ws"
    (root / "knowledge").mkdir(parents=True)
    (root / "knowledge" / "mine.md").write_text("# Mine\n", encoding="utf-8")
    assert main(["--workspace", str(root), "init"]) == 0
    assert tree(root / "knowledge") == {"mine.md": b"# Mine\n"}
    assert (root / "prompts" / "system.j2").is_file() and (root / "angleforge.toml").is_file()


@pytest.mark.parametrize(
    ("present", "args", "named"),
    [
        ("prompts/system.j2", [], "prompts"),
        ("angleforge.toml", [], "angleforge.toml"),
        ("knowledge/mine.md", ["--brief", str(FIXTURES / "knowledge-other")], "knowledge"),
    ],
)
def test_init_overwrites_nothing(tmp_path, capsys, present, args, named):
    root = tmp_path / "ws"
    (root / present).parent.mkdir(parents=True, exist_ok=True)
    (root / present).write_text("mine\n", encoding="utf-8")
    before = tree(root)
    assert main(["init", str(root), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"angleforge: {root}: {named}") and "overwrites nothing" in err
    assert tree(root) == before


def test_a_missing_brief_is_bad_input_and_writes_nothing(tmp_path, capsys):
    root = tmp_path / "ws"
    assert main(["init", str(root), "--brief", str(tmp_path / "nope.md")]) == 2
    assert capsys.readouterr().err == f"angleforge: {tmp_path / 'nope.md'}: file not found\n"
    assert not root.exists()
