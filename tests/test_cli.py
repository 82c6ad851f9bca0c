"""`angleforge check` and `angleforge kb`, through main() and through the installed command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from angleforge.cli import main

from .conftest import ROOT, SEED

PASSING = "Users expect a response within 300ms. Above 1,500ms, calls feel broken.\n"
FLAGGED = "Gartner predicts 40%+ of agentic AI projects will fail by 2028.\n"


@pytest.fixture(autouse=True)
def in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_check_json_is_the_documented_contract(tmp_path, capsys):
    good, bad = write(tmp_path, "good.md", PASSING), write(tmp_path, "bad.md", FLAGGED)
    assert main(["check", str(bad), str(good), "--json"]) == 1
    results = json.loads(capsys.readouterr().out)
    assert [r["path"] for r in results] == [str(bad), str(good)]
    assert [r["verdict"] for r in results] == ["flagged", "pass"]
    first = results[0]["statistics"][0]
    assert set(first) == {"text", "start", "end", "status", "reason", "claim", "sources"}
    assert FLAGGED[first["start"] : first["end"]] == first["text"] == "40%+"
    assert first["status"] == "unsupported"
    assert set(first["claim"]) == {"id", "section", "text", "organisations"}
    assert set(first["sources"][0]) == {"title", "url", "publisher"}


def test_check_passes_with_exit_0(tmp_path, capsys):
    assert main(["check", str(write(tmp_path, "good.md", PASSING))]) == 0
    assert "pass (2 statistics grounded)" in capsys.readouterr().out


def test_human_view_highlights_and_suggests(tmp_path, capsys):
    assert main(["check", str(write(tmp_path, "bad.md", FLAGGED))]) == 1
    out = capsys.readouterr().out
    assert "flagged (2 of 2 statistics)" in out
    assert "[40%+]" in out and "[2028]" in out
    assert "1:18 40%+ unsupported: the knowledge base gives 2027 for this, not 2028" in out
    assert 'did you mean: "' in out and "Deloitte (https://www.deloitte.com/" in out


def test_human_view_shows_answer_options_as_numbers_that_assert_nothing(tmp_path, capsys):
    options = write(tmp_path, "options.md", "Where do you draw the line: 95%, 99% or 99.9%?\n")
    assert main(["check", str(options)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{options}: pass (no statistic; 3 numbers that assert nothing)",
        "  1:29 not a claim: 95% — an answer the question offers, not a claim",
        "  1:34 not a claim: 99% — an answer the question offers, not a claim",
        "  1:41 not a claim: 99.9% — an answer the question offers, not a claim",
    ]
    mixed = write(tmp_path, "mixed.md", f"{PASSING}Is it 99%, 99.9% or 100%?\n")
    assert main(["check", str(mixed)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{mixed}: pass (2 statistics grounded; 3 numbers that assert nothing)\n")
    assert "  2:7 not a claim: 99% — an answer the question offers, not a claim" in out
    assert main(["check", str(mixed), "--json"]) == 0
    statistics = json.loads(capsys.readouterr().out)[0]["statistics"]
    assert [f["status"] for f in statistics] == ["grounded", "grounded", "not_a_claim", "not_a_claim", "not_a_claim"]
    assert statistics[2] == {
        "text": "99%",
        "start": len(PASSING) + 6,
        "end": len(PASSING) + 9,
        "status": "not_a_claim",
        "reason": "an answer the question offers, not a claim",
        "claim": None,
        "sources": [],
    }


def test_human_view_names_a_bound_no_source_states_not_the_year_of_a_loosely_matching_claim(tmp_path, capsys):
    draft = write(tmp_path, "bound.md", "Up to 40% of agentic AI projects will fail by 2027.\n")
    assert main(["check", str(draft)]) == 1
    out = capsys.readouterr().out
    assert f"{draft}: flagged (1 of 2 statistics)" in out
    assert "1:1 Up to 40% unsupported: no cited source states Up to 40%; the nearest claim says 40%+" in out
    assert "no year" not in out


def test_python_dash_m_angleforge_runs_the_command(tmp_path):
    draft = write(tmp_path, "d.md", FLAGGED)
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT / "src")}
    run = subprocess.run(
        [sys.executable, "-m", "angleforge", "check", str(draft), "--knowledge", str(SEED)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert run.returncode == 1, run.stderr
    assert f"{draft}: flagged (2 of 2 statistics)" in run.stdout and run.stderr == ""
    version = subprocess.run(
        [sys.executable, "-m", "angleforge", "--version"], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert (version.returncode, version.stdout.strip()) == (0, "angleforge 0.1.0")


def test_human_view_names_the_organisation_that_backs_a_claim_without_cited_sources(tmp_path, capsys):
    """The Synthesis's "40% of projects will fail (Gartner)" cites no link: Gartner backs it."""
    assert main(["check", str(write(tmp_path, "bad.md", "McKinsey says 40% of projects will fail.\n"))]) == 1
    out = capsys.readouterr().out
    assert "misattributed: credited to mckinsey, but the claim is backed by gartner" in out
    assert 'did you mean: "40% of projects will fail (Gartner)"' in out
    assert "sources: named in the claim: gartner" in out


def test_check_reads_standard_input(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", _Stdin(FLAGGED.encode()))
    assert main(["check", "-", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)[0]["path"] == "-"


class _Stdin:
    def __init__(self, data: bytes) -> None:
        import io

        self.buffer = io.BytesIO(data)

    def isatty(self) -> bool:
        return False


def test_check_a_folder_of_drafts(tmp_path, capsys):
    write(tmp_path, "a.md", PASSING)
    write(tmp_path, "b.txt", FLAGGED)
    write(tmp_path, "notes.json", "{}")
    assert main(["check", str(tmp_path), "--json"]) == 1
    assert [Path(r["path"]).name for r in json.loads(capsys.readouterr().out)] == ["a.md", "b.txt"]


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("missing.md", None, "file not found"),
        ("empty.md", "  \n\n", "empty draft"),
        ("binary.md", b"\x89PNG\x00\x00data", "is a binary file, not text"),
        ("latin1.md", "caf\xe9 40%".encode("latin-1"), "is not UTF-8 text"),
    ],
)
def test_bad_drafts_get_one_line_and_exit_2(tmp_path, capsys, name, content, problem):
    path = tmp_path / name if content is None else write(tmp_path, name, content)
    assert main(["check", str(write(tmp_path, "good.md", PASSING)), str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"angleforge: {path}: {problem}")


@pytest.mark.parametrize(
    ("setup", "problem"),
    [
        (lambda d: None, "knowledge folder not found"),
        (lambda d: d.mkdir(), "no Markdown (.md) files"),
        (
            lambda d: (d.mkdir(), (d / "a.md").write_text("# Notes\n\n40% of calls.\n")),
            "no claim in the knowledge folder cites a source",
        ),
    ],
)
def test_bad_knowledge_folders_exit_2(tmp_path, capsys, setup, problem):
    folder = tmp_path / "kb"
    setup(folder)
    assert main(["check", str(write(tmp_path, "d.md", PASSING)), "--knowledge", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"angleforge: {folder}: ") and problem in err and err.count("\n") == 1


def test_a_one_megabyte_draft_is_checked(tmp_path, capsys):
    paragraph = PASSING + FLAGGED + "\n"
    big = write(tmp_path, "big.md", paragraph * (1_000_000 // len(paragraph)))
    assert big.stat().st_size > 990_000
    assert main(["check", str(big), "--json"]) == 1
    statistics = json.loads(capsys.readouterr().out)[0]["statistics"]
    assert len(statistics) == 4 * (1_000_000 // len(paragraph))


def test_workspace_is_found_upwards_or_named(tmp_path, monkeypatch, capsys):
    workspace = tmp_path / "ws"
    (workspace / "knowledge").mkdir(parents=True)
    (workspace / "evals").mkdir()
    (workspace / "knowledge" / "brief.md").write_text(
        "# Brief\n\n## Storage\n\nBatteries lose 2% a year.\n\nSource: [Grid report (Acme)](https://acme.example/r)\n",
        encoding="utf-8",
    )
    draft = write(tmp_path, "d.md", "Batteries lose 2% a year.\n")
    deep = workspace / "drafts" / "x"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert main(["check", str(draft)]) == 0
    monkeypatch.chdir(tmp_path)
    assert main(["check", str(draft)]) == 2
    assert "no workspace here or above" in capsys.readouterr().err
    assert main(["check", str(draft), "--workspace", str(workspace)]) == 0
    monkeypatch.setenv("ANGLEFORGE_HOME", str(workspace))
    assert main(["check", str(draft)]) == 0


def test_kb_summary_stats_and_audit(capsys):
    assert main(["kb", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["sourced_sections"] == 8 and summary["statistics"] > 40
    assert main(["kb", "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    gartner = [s for s in stats if s["text"] == "40%+" and "prediction" in s["claim_text"]]
    assert gartner and gartner[0]["sourced"] and "gartner" in gartner[0]["organisations"]
    assert main(["kb", "audit"]) == 0
    audit = capsys.readouterr().out
    for text in ("$10.07B", "22.7%", "$80B", "80%", "2029"):
        assert text in audit
    assert "Sources that back no statistic" in audit


def test_the_installed_command_runs_check_without_the_model_client_or_templates(tmp_path):
    draft = write(tmp_path, "d.md", FLAGGED)
    probe = (
        "import sys; from angleforge.cli import main; code = main(['check', sys.argv[1]]); "
        "heavy = sorted(m for m in ('openai', 'jinja2', 'httpx', 'httpx2', 'yaml', 'pydantic') if m in sys.modules); "
        "print('HEAVY', heavy); raise SystemExit(code)"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe, str(draft)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert run.returncode == 1, run.stderr
    assert "HEAVY []" in run.stdout
    command = Path(sys.executable).with_name("angleforge")
    real = subprocess.run(
        [str(command), "check", str(draft), "--knowledge", str(SEED)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert real.returncode == 1 and "unsupported" in real.stdout and real.stderr == ""
