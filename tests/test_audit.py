"""`angleforge kb audit` on a brief of its own: which sections only its closing References list backs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from angleforge.cli import main

BRIEF = (
    "# Report\n\n"
    "## The Numbers\n\n"
    "### Costs\n\nRecovery cost $1.8M in 2023.\n\n*Source: Sophos, [State of Ransomware](https://s.example/r)*\n\n"
    "### Insurance\n\nPremiums fell 6% in 2024.\n\n"
    "## What vendors claim (nobody cites a source)\n\n- 80% of payers get hit again\n\n"
    "## Staffing\n\nMost teams have four people on call.\n\n"
    "## References\n\n1. Marsh, [Insurance Index](https://marsh.example/i)\n"
)


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding only a brief in knowledge/: a workspace of its own."""
    (tmp_path / "knowledge").mkdir()
    (tmp_path / "knowledge" / "report.md").write_text(BRIEF, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_audit_names_the_sections_only_the_closing_references_back(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["kb", "audit"]) == 0
    out = capsys.readouterr().out
    assert "Sections citing no source of their own (2):" in out
    named = [line.strip() for line in out.splitlines() if "backed by the closing References list only" in line]
    # not Costs (its own source), the vendors' section (it disclaims sources), The Numbers
    # (nothing under its heading but sections) nor References (the list itself)
    assert named == [
        "backed by the closing References list only: Report > The Numbers > Insurance",
        "backed by the closing References list only: Report > Staffing",
    ]


def test_audit_json_lists_the_same_sections(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "audit", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["backed_by_references_only"] == ["Report > The Numbers > Insurance", "Report > Staffing"]


def test_a_brief_without_a_closing_references_list_has_no_such_section(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    without = BRIEF.split("## References")[0]
    (workspace / "knowledge" / "report.md").write_text(without, encoding="utf-8")
    assert main(["kb", "audit", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["backed_by_references_only"] == []
