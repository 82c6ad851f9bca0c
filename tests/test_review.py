"""Review and export: the whole flow on a temporary workspace, conflicts, and the walk."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from angleforge.cli import main
from angleforge.cli.review import Walk
from angleforge.errors import UsageError
from angleforge.guardrail import Guardrail
from angleforge.knowledge import load
from angleforge.review import approve, edit, recheck, reject
from angleforge.store import Conflict, Store

from .conftest import ROOT
from .support.brief_hooks import use_brief_hooks

GROUNDED = "Users expect a response within 300ms.\n\nAbove 1,500ms, calls feel broken.\n"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> Path:
    """A store holding one run of the brief's own hooks with no repairs, so the drafts whose
    hooks carry unsourced figures stay flagged."""
    path = tmp_path / "store.db"
    monkeypatch.setenv("ANGLEFORGE_DB", str(path))
    monkeypatch.chdir(ROOT)
    use_brief_hooks(monkeypatch)
    assert main(["generate", "--max-repairs", "0", "--json"]) == 0
    capsys.readouterr()
    return path


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def listed(capsys, status: str) -> list[dict]:
    code, out, _ = cli(capsys, "review", "list", "--status", status, "--json")
    assert code == 0
    return json.loads(out)


def test_the_whole_flow_from_generation_to_export(db, capsys, tmp_path):
    flagged = listed(capsys, "flagged")
    assert len(flagged) >= 3 and all(row["flagged"] > 0 for row in flagged)
    assert set(flagged[0]) == {"id", "status", "angle", "format", "first_line", "flagged", "revision"}
    first, second, third = (row["id"] for row in flagged[:3])

    code, out, _ = cli(capsys, "review", "show", first)
    assert code == 0 and "did you mean" in out and "history:" in out and "attempt 1 (compose)" in out

    edited = tmp_path / "edit.md"
    edited.write_text(GROUNDED, encoding="utf-8")
    code, out, _ = cli(capsys, "review", "edit", first, "--text-file", str(edited), "--reviewer", "ana")
    assert code == 0 and "revision 2 is passed" in out
    code, _, _ = cli(capsys, "review", "approve", first, "--reviewer", "ana")
    assert code == 0

    code, _, err = cli(capsys, "review", "approve", second, "--reviewer", "bo")
    assert code == 2 and "give a --note" in err
    code, _, _ = cli(capsys, "review", "approve", second, "--reviewer", "bo", "--note", "the hook is framing, kept")
    assert code == 0
    code, _, _ = cli(capsys, "review", "reject", third, "--reviewer", "cy", "--note", "off voice")
    assert code == 0

    approved = {row["id"] for row in listed(capsys, "approved")}
    assert approved == {first, second}
    assert [row["id"] for row in listed(capsys, "rejected")] == [third]

    code, markdown, _ = cli(capsys, "export")
    assert code == 0 and markdown.count("\n## ") + markdown.startswith("## ") == 2
    assert "Users expect a response within 300ms.\n\n---\n\nAbove 1,500ms" in markdown
    assert "> approved by bo: the hook is framing, kept" in markdown
    trillet = "Voice AI Latency Benchmarks (Trillet) <https://www.trillet.ai/blogs/voice-ai-latency-benchmarks>"
    assert f"Sources:\n- {trillet}" in markdown

    code, document, _ = cli(capsys, "export", "--format", "json")
    records = json.loads(document)
    assert {r["id"] for r in records} == {first, second}
    by_id = {r["id"]: r for r in records}
    assert by_id[first]["posts"] == ["Users expect a response within 300ms.", "Above 1,500ms, calls feel broken."]
    assert by_id[second]["decisions"][0]["note"] == "the hook is framing, kept"
    assert all(s["url"] for s in by_id[first]["sources"])

    out_file = tmp_path / "out" / "approved.csv"
    code, _, _ = cli(capsys, "export", "--format", "csv", "--out", str(out_file))
    rows = list(csv.DictReader(io.StringIO(out_file.read_text(encoding="utf-8"))))
    assert {row["id"] for row in rows} == {first, second}
    assert {row["reviewer"] for row in rows} == {"ana", "bo"}


def test_nothing_is_deleted_and_decided_drafts_change_only_by_edit_or_force(db, tmp_path):
    store = Store.open(db)
    guardrail = Guardrail(load(ROOT / "knowledge"))
    draft = store.drafts(status="flagged")[0]
    reject(store, draft.id, reviewer="ana", note="numbers unsourced")
    with pytest.raises(UsageError, match="already rejected"):
        approve(store, draft.id, reviewer="bo", note="fine")
    approve(store, draft.id, reviewer="bo", note="the author's own framing", force=True)
    edit(store, guardrail, draft.id, GROUNDED, reviewer="cy")
    reopened = store.draft(draft.id)
    assert reopened.status == "passed" and reopened.revision == 2
    assert [d.decision for d in store.decisions(draft.id)] == ["rejected", "approved"]
    assert [r.number for r in store.revisions(draft.id)] == [2]
    assert store.attempts(draft.id)  # the generated attempt is kept


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["review", "show", "r-nope-001"], "draft r-nope-001: no such draft"),
        (["review", "approve", "r-nope-001"], "no such draft"),
        (["review", "list", "--status", "maybe"], "unknown status 'maybe'"),
        (["export", "--status", "maybe"], "unknown status 'maybe'"),
    ],
)
def test_bad_requests_exit_2_and_write_nothing(db, capsys, args, message):
    before = db.read_bytes()
    code, _, err = cli(capsys, *args)
    assert code == 2 and message in err and err.count("\n") == 1
    assert Store.open(db).decisions() == []
    assert len(before) <= len(db.read_bytes())


def test_an_edit_that_leaves_nothing_is_refused(db, capsys, tmp_path):
    draft_id = listed(capsys, "flagged")[0]["id"]
    blank = tmp_path / "blank.md"
    blank.write_text("\n  \n---\n", encoding="utf-8")
    code, _, err = cli(capsys, "review", "edit", draft_id, "--text-file", str(blank))
    assert code == 2 and "empty" in err
    assert Store.open(db).revisions(draft_id) == []


def test_deciding_on_a_revision_that_changed_is_a_conflict(db):
    store = Store.open(db)
    guardrail = Guardrail(load(ROOT / "knowledge"))
    shown = store.drafts(status="flagged")[0]
    edit(store, guardrail, shown.id, GROUNDED, reviewer="ana")
    with pytest.raises(Conflict, match="changed since it was read"):
        approve(store, shown.id, reviewer="bo", note="ok", seen=shown)
    assert store.decisions(shown.id) == []


_DECIDE = """
import sys, time
from pathlib import Path
from angleforge.errors import AngleforgeError
from angleforge.store import Store
from angleforge.review import approve
store = Store.open(Path(sys.argv[1]))
draft = store.draft(sys.argv[2])
while time.time() < float(sys.argv[3]):
    time.sleep(0.001)
try:
    approve(store, draft.id, reviewer=sys.argv[4], note="override", seen=draft)
    print("decided")
except AngleforgeError as error:  # a Conflict, or "already approved" when read after the other's write
    print("conflict", error)
"""


def test_two_reviewers_at_once(db):
    import time

    store = Store.open(db)
    flagged = [d.id for d in store.drafts(status="flagged")]
    start = str(time.time() + 3.0)

    def launch(draft_id: str, who: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-c", _DECIDE, str(db), draft_id, start, who],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    # different drafts: both succeed
    results = [p.communicate(timeout=30) for p in (launch(flagged[0], "ana"), launch(flagged[1], "bo"))]
    assert [out.strip() for out, _ in results] == ["decided", "decided"], results
    # the same draft: exactly one decision, the other is told of the conflict
    start = str(time.time() + 3.0)
    results = [p.communicate(timeout=30) for p in (launch(flagged[2], "cy"), launch(flagged[2], "di"))]
    outcomes = sorted(out.split()[0] for out, _ in results)
    assert outcomes == ["conflict", "decided"], results
    assert len(Store.open(db).decisions(flagged[2])) == 1


def test_the_walk_is_driven_by_standard_input(db):
    store = Store.open(db)
    guardrail = Guardrail(load(ROOT / "knowledge"))
    queue = [d.id for d in store.drafts(status="flagged")]
    script = (
        "a\n\n"  # approve without a note: refused, asked again
        "a\nthe author's framing\n"  # approve with a note
        "r\noff voice\n"  # reject
        f"e\n{GROUNDED}.\n"  # edit: text until a lone dot
        "s\n"  # skip
        "q\n"
    )
    out = io.StringIO()
    assert Walk(store, guardrail, "walker", io.StringIO(script), out, terminal=False).run() == 0
    text = out.getvalue()
    assert "give a --note saying why" in text
    assert "1 approved, 1 rejected, 1 edited, 1 skipped" in text
    statuses = [store.draft(draft_id).status for draft_id in queue[:4]]
    assert statuses == ["approved", "rejected", "passed", "flagged"]
    assert store.decisions(queue[0])[0].reviewer == "walker"


def test_the_walk_through_the_command(db, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("s\nq\n"))
    code, out, _ = cli(capsys, "review")
    assert code == 0 and "[1/" in out and "0 approved, 0 rejected, 0 edited, 1 skipped" in out


def test_recheck_after_the_knowledge_base_changes(db, tmp_path):
    store = Store.open(db)
    before = {d.id: d.status for d in store.drafts() if d.findings}
    weaker = tmp_path / "kb"
    weaker.mkdir()
    # a knowledge base that backs nothing the drafts say
    (weaker / "other.md").write_text(
        "# Other\n\n## Grid\n\nBatteries lose 2% a year.\n\nSource: [Grid (Acme)](https://acme.example/g)\n",
        encoding="utf-8",
    )
    changes = recheck(store, Guardrail(load(weaker)))
    assert changes and all(c.after == "flagged" for c in changes)
    was_passed = {draft_id for draft_id, status in before.items() if status == "passed"}
    assert was_passed and was_passed <= {c.draft_id for c in changes}
    assert recheck(store, Guardrail(load(weaker))) == []  # nothing changes twice
    assert all(d.status == "flagged" for d in store.drafts() if d.findings)
