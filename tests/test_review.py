"""Review and export: the whole flow on a temporary workspace, conflicts, and the walk."""

from __future__ import annotations

import csv
import io
import json
import shlex
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from angleforge.cli import main
from angleforge.cli.review import describe
from angleforge.cli.walk import LineConsole, Walk
from angleforge.errors import UsageError
from angleforge.guardrail import Guardrail
from angleforge.knowledge import load
from angleforge.render import Style
from angleforge.review import approve, edit, recheck, reject
from angleforge.statuses import DraftStatus
from angleforge.store import Conflict, Store, StoredDraft

from .conftest import ROOT

# a thread as its format wants it (4 to 12 posts numbered i/N, a Sources line last), every
# statistic grounded: an edit to it passes
GROUNDED_POSTS = [
    "1/4 Users expect a response within 300ms.",
    "2/4 Above 1,500ms, calls feel broken.",
    "3/4 Every pause past that costs the caller trust.",
    "4/4 Measure the whole path, not one model.\nSources: Trillet",
]
GROUNDED = "\n\n".join(GROUNDED_POSTS) + "\n"


@pytest.fixture
def db(offline_db: Path) -> Path:
    return offline_db


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

    # the draft approved over its flags is not ready to post: left out and named, exit 1
    code, markdown, err = cli(capsys, "export")
    assert code == 1 and markdown.count("\n## ") + markdown.startswith("## ") == 1
    assert f"left out 1 draft(s) not ready to post: {second} (approved over" in err and err.count("\n") == 1
    assert "1/4 Users expect a response within 300ms.\n\n---\n\n2/4 Above 1,500ms" in markdown
    trillet = "Voice AI Latency Benchmarks (Trillet) <https://www.trillet.ai/blogs/voice-ai-latency-benchmarks>"
    assert f"Sources:\n- {trillet}" in markdown
    assert f"Statistics:\n- within 300ms: {trillet} (post 1)\n- Above 1,500ms: {trillet} (post 2)" in markdown
    assert "Characters per post: 41, 37, 49, 59 (at most 280)" in markdown

    code, markdown, err = cli(capsys, "export", "--include-flagged")
    assert code == 0 and err == "" and markdown.count("\n## ") + markdown.startswith("## ") == 2
    assert "**Not ready to post: approved over" in markdown
    assert "> approved by bo: the hook is framing, kept" in markdown

    code, document, _ = cli(capsys, "export", "--format", "json", "--include-flagged")
    records = json.loads(document)
    assert {r["id"] for r in records} == {first, second}
    by_id = {r["id"]: r for r in records}
    assert by_id[first]["posts"] == GROUNDED_POSTS
    assert by_id[first]["lengths"] == [41, 37, 49, 59] and by_id[first]["not_ready"] is None
    assert [(s["text"], s["post"]) for s in by_id[first]["statistics"]] == [("within 300ms", 1), ("Above 1,500ms", 2)]
    assert by_id[second]["decisions"][0]["note"] == "the hook is framing, kept"
    assert by_id[second]["not_ready"].startswith("approved over")
    assert all(s["url"] for s in by_id[first]["sources"])

    out_file = tmp_path / "out" / "approved.csv"
    code, _, _ = cli(capsys, "export", "--format", "csv", "--out", str(out_file), "--include-flagged")
    rows = list(csv.DictReader(io.StringIO(out_file.read_text(encoding="utf-8"))))
    assert {row["id"] for row in rows} == {first, second}
    assert {row["reviewer"] for row in rows} == {"ana", "bo"}
    assert [(row["post"], row["text"]) for row in rows if row["id"] == first] == [
        (str(number), post) for number, post in enumerate(GROUNDED_POSTS, start=1)
    ]


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
    walk = Walk(
        store, guardrail, "walker", LineConsole(io.StringIO(script), out), lambda d: describe(d, store, Style(False))
    )
    assert walk.run() == 0
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
    # the drafts with a statistic the seed grounds (an answer option or a count of a post's list
    # asserts nothing, and passes against any knowledge base)
    before = {d.id: d.status for d in store.drafts() if any(f["status"] == "grounded" for f in d.findings)}
    weaker = tmp_path / "kb"
    weaker.mkdir()
    # a knowledge base that backs nothing the drafts say
    (weaker / "other.md").write_text(
        "# Other\n\n## Grid\n\nBatteries lose 2% a year.\n\nSource: [Grid (Acme)](https://acme.example/g)\n",
        encoding="utf-8",
    )
    changes = recheck(store, Guardrail(load(weaker)), reviewer="ana")
    assert changes and all(c.after == "flagged" for c in changes)
    was_passed = {draft_id for draft_id, status in before.items() if status == "passed"}
    assert was_passed and was_passed <= {c.draft_id for c in changes}
    assert recheck(store, Guardrail(load(weaker)), reviewer="ana") == []  # nothing changes twice
    assert all(d.status == "flagged" for d in store.drafts() if d.id in before)


def _approved_passed_draft(store: Store, guardrail: Guardrail) -> str:
    draft = store.drafts(status="flagged")[0]
    edit(store, guardrail, draft.id, GROUNDED, reviewer="ana")
    approve(store, draft.id, reviewer="ana")
    return draft.id


def test_an_edit_that_changes_nothing_keeps_the_approval_and_one_that_does_says_it_reopens(db, capsys, tmp_path):
    store = Store.open(db)
    draft_id = _approved_passed_draft(store, Guardrail(load(ROOT / "knowledge")))
    same = tmp_path / "same.md"
    same.write_text(GROUNDED.replace("\n\n", "\n\n---\n\n") + "\n\n", encoding="utf-8")
    code, out, _ = cli(capsys, "review", "edit", draft_id, "--text-file", str(same))
    assert code == 0 and "nothing changed, no revision written; it stays approved" in out
    assert store.draft(draft_id).status == "approved" and len(store.revisions(draft_id)) == 1

    changed = tmp_path / "changed.md"
    changed.write_text(GROUNDED.replace("\nSources: Trillet", ""), encoding="utf-8")
    code, out, _ = cli(capsys, "review", "edit", draft_id, "--text-file", str(changed))
    assert code == 0 and "it was approved, and the edit reopens it" in out
    # the format's rules decide as the statistics do, and are listed beside them
    assert "revision 3 is flagged (0 of 2 statistics flagged, 1 format rule(s) broken)" in out
    assert 'the last post of a thread ends with a "Sources:" line' in out
    assert store.draft(draft_id).status == "flagged"


# one post of 400 characters as X counts them, with no statistic for the guardrail to flag
TOO_LONG = "Callers hang up when the line goes quiet. " * 9 + "Say something, always."
TOO_LONG_RULE = "post 1 is 400 characters as X counts them, over 280"


def _single_post_draft(store: Store) -> StoredDraft:
    return next(d for d in store.drafts(status="flagged") if d.format == "post")


def test_an_edit_that_makes_a_post_too_long_is_stored_flagged_with_the_rule(db, capsys, tmp_path, monkeypatch):
    store = Store.open(db)
    draft = _single_post_draft(store)
    writer = tmp_path / "editor.py"
    writer.write_text(
        f"import sys\nopen(sys.argv[1], 'w', encoding='utf-8').write({TOO_LONG!r} + '\\n')\n", encoding="utf-8"
    )
    monkeypatch.setenv("EDITOR", f"{shlex.quote(sys.executable)} {shlex.quote(str(writer))}")
    monkeypatch.delenv("VISUAL", raising=False)
    code, out, _ = cli(capsys, "review", "edit", draft.id, "--reviewer", "ana")
    assert code == 0
    assert f"{draft.id}: revision 2 is flagged (0 of 0 statistics flagged, 1 format rule(s) broken)" in out
    edited = store.draft(draft.id)
    assert edited.posts == [TOO_LONG] and edited.status == "flagged"
    assert [(f["status"], f["reason"]) for f in edited.findings] == [("format", TOO_LONG_RULE)]

    code, out, _ = cli(capsys, "review", "show", draft.id)
    assert code == 0 and f"{draft.id}: flagged (1 of 1 statistics)" in out
    assert f"format: {TOO_LONG_RULE}" in out  # the stored finding, not only the rules listed under it
    assert "revision 2 by ana: flagged" in out

    # approving it overrides a flag, and what is approved over a flag is not ready to post
    code, _, err = cli(capsys, "review", "approve", draft.id, "--reviewer", "ana")
    assert code == 2 and "give a --note" in err
    assert cli(capsys, "review", "approve", draft.id, "--reviewer", "ana", "--note", "will trim it")[0] == 0
    code, _, err = cli(capsys, "export")
    assert code == 1 and f"{draft.id} (approved over 1 flagged" in err
    code, markdown, _ = cli(capsys, "export", "--include-flagged")
    assert code == 0 and f"To check before posting:\n- {TOO_LONG_RULE}" in markdown


def test_recheck_flags_a_stored_revision_that_breaks_its_format(db, capsys):
    """A revision stored with its statistics' findings only (as edits once were) gets the format
    rule as a finding on re-check, and an approval that never saw it is withdrawn."""
    store = Store.open(db)
    draft = _single_post_draft(store)
    store.add_revision(
        draft.id,
        seen_revision=draft.revision,
        seen_status=draft.status,
        text=TOO_LONG,
        posts=[TOO_LONG],
        findings=[],
        status=DraftStatus.PASSED,
        reviewer="ana",
    )
    approve(store, draft.id, reviewer="ana")
    code, out, err = cli(capsys, "review", "recheck", "--reviewer", "ops")
    assert code == 1 and f"{draft.id}: approved -> flagged" in out
    assert (
        f"angleforge: approval of {draft.id} withdrawn: {TOO_LONG_RULE} (format) no longer check out; "
        "it is flagged again and needs a new decision"
    ) in err
    rechecked = store.draft(draft.id)
    assert rechecked.status == "flagged"
    assert [(f["status"], f["reason"]) for f in rechecked.findings] == [("format", TOO_LONG_RULE)]


def test_a_draft_of_a_format_this_version_does_not_know_has_only_its_statistics_checked(db):
    store = Store.open(db)
    draft = _single_post_draft(store)
    with sqlite3.connect(db) as connection:  # as a later version may write it
        connection.execute("UPDATE drafts SET format = 'carousel' WHERE id = ?", (draft.id,))
    outcome = edit(store, Guardrail(load(ROOT / "knowledge")), draft.id, TOO_LONG, reviewer="ana")
    assert outcome.revision is not None and outcome.revision.status == "passed"
    assert store.draft(draft.id).findings == []


def test_a_missing_editor_is_one_line_and_writes_nothing(db, capsys, monkeypatch):
    store = Store.open(db)
    draft = store.drafts(status="flagged")[0]
    monkeypatch.setenv("EDITOR", "no-such-editor-here --wait")
    monkeypatch.delenv("VISUAL", raising=False)
    code, out, err = cli(capsys, "review", "edit", draft.id)
    assert code == 2 and out == ""
    assert err == "angleforge: cannot start the editor 'no-such-editor-here': no such program; nothing was written\n"
    assert store.draft(draft.id) == draft and store.revisions(draft.id) == []


def test_an_editor_that_fails_keeps_the_text_and_names_it(db, capsys, monkeypatch):
    draft = Store.open(db).drafts(status="flagged")[0]
    monkeypatch.setenv("VISUAL", "false")
    code, _, err = cli(capsys, "review", "edit", draft.id)
    assert code == 2 and "the editor 'false' exited with status 1; nothing was written (your text: " in err
    kept = Path(err.rsplit("your text: ", 1)[1].rstrip(")\n"))
    assert kept.read_text(encoding="utf-8") == draft.text
    kept.unlink()


def test_the_walk_on_a_terminal_takes_single_keys_and_goes_on_past_a_missing_editor(db, monkeypatch):
    import os
    import pty
    import threading

    from angleforge.cli.walk import TerminalConsole

    monkeypatch.setenv("EDITOR", "no-such-editor-here")
    store = Store.open(db)
    guardrail = Guardrail(load(ROOT / "knowledge"))
    queue = [d.id for d in store.drafts(status="passed")]
    leader, follower = pty.openpty()
    keys = os.fdopen(follower, "r", encoding="utf-8", closefd=True)
    out = io.StringIO()
    console = TerminalConsole(keys, out)
    walk = Walk(store, guardrail, "kay", console, lambda d: describe(d, store, Style(False)), status=DraftStatus.PASSED)
    # each key without Enter: e (the editor is missing: said, and the walk goes on), a (a passed
    # draft needs no note), s, q

    def type_keys() -> None:
        for key in "easq":
            time.sleep(0.2)
            os.write(leader, key.encode())

    typed = threading.Thread(target=type_keys, daemon=True)
    typed.start()
    assert walk.run() == 0
    typed.join()
    os.close(leader)
    text = out.getvalue()
    assert "cannot start the editor 'no-such-editor-here': no such program; nothing was written" in text
    assert f"{queue[0]}: approved by kay (revision 1)" in text
    assert "1 approved, 0 rejected, 0 edited, 1 skipped" in text
    assert store.draft(queue[0]).status == "approved" and store.draft(queue[1]).status == "passed"


def test_undo_in_the_walk_takes_back_its_last_decision_and_shows_that_draft_again(db):
    store = Store.open(db)
    guardrail = Guardrail(load(ROOT / "knowledge"))
    queue = [d.id for d in store.drafts(status="flagged")]
    out = io.StringIO()
    script = "r\noff voice\nu\ns\nq\n"
    walk = Walk(
        store, guardrail, "w", LineConsole(io.StringIO(script), out), lambda d: describe(d, store, Style(False))
    )
    assert walk.run() == 0
    text = out.getvalue()
    assert f"{queue[0]}: rejected by w (revision 1) undone; now flagged" in text
    assert text.count(f"[1/{len(queue)}] {queue[0]}") == 2 and "0 approved, 0 rejected, 0 edited, 1 skipped" in text
    assert store.draft(queue[0]).status == "flagged"
    [decision] = store.decisions(queue[0])
    assert decision.withdrawn_by == "w" and decision.withdrawn_because == "undone"


def test_bulk_decisions_by_id_and_by_run(db, capsys):
    store = Store.open(db)
    passed = [d.id for d in store.drafts(status="passed")]
    flagged = [d.id for d in store.drafts(status="flagged")]
    code, out, err = cli(capsys, "review", "approve", passed[0], flagged[0], "--reviewer", "bo")
    assert code == 2 and out == f"{passed[0]}: approved by bo (revision 1)\n"
    assert f"angleforge: draft {flagged[0]} has" in err and "1 of 2 drafts approved" in err
    run_id = store.draft(passed[0]).run_id
    code, out, _ = cli(capsys, "review", "approve", "--run", run_id, "--status", "passed", "--note", "batch")
    assert code == 0 and out.count("approved by") == len(passed) - 1
    assert {d.id for d in store.drafts(status="approved")} == set(passed)
    code, _, err = cli(capsys, "review", "reject", "--status", "flagged")
    assert code == 2 and "give --run RUN_ID too" in err


def test_undo_through_the_command(db, capsys):
    store = Store.open(db)
    draft_id = store.drafts(status="passed")[0].id
    assert cli(capsys, "review", "approve", draft_id)[0] == 0
    code, out, _ = cli(capsys, "review", "undo", draft_id, "--reviewer", "cy")
    assert code == 0 and out.endswith("undone; now passed\n")
    code, _, err = cli(capsys, "review", "undo", draft_id)
    assert code == 2 and "there is no decision to undo" in err
    code, out, _ = cli(capsys, "review", "show", draft_id)
    assert "withdrawn by cy: undone" in out


def test_recheck_reopens_an_approved_draft_whose_statistics_no_longer_check_out(db, capsys, tmp_path):
    store = Store.open(db)
    draft_id = _approved_passed_draft(store, Guardrail(load(ROOT / "knowledge")))
    weaker = tmp_path / "kb"
    weaker.mkdir()
    (weaker / "other.md").write_text(
        "# Other\n\n## Grid\n\nBatteries lose 2% a year.\n\nSource: [Grid (Acme)](https://acme.example/g)\n",
        encoding="utf-8",
    )
    code, out, err = cli(capsys, "review", "recheck", "--knowledge", str(weaker), "--reviewer", "ops")
    assert code == 1 and f"{draft_id}: approved -> flagged" in out
    assert f"angleforge: approval of {draft_id} withdrawn: within 300ms (unsupported), Above 1,500ms" in err
    assert store.draft(draft_id).status == "flagged"
    assert store.decisions(draft_id)[-1].withdrawn_by == "ops"
    code, out, _ = cli(capsys, "export", "--format", "json")
    assert draft_id not in out


def test_csv_cells_that_open_like_formulas_are_neutralised_and_posts_stay_whole(db, capsys, tmp_path):
    store = Store.open(db)
    guardrail = Guardrail(load(ROOT / "knowledge"))
    draft = store.drafts(status="flagged")[0]
    text = '=HYPERLINK("http://evil.example")\nsecond line of post 1\n---\n@everyone users expect 300ms.\n'
    edit(store, guardrail, draft.id, text, reviewer="ana")
    approve(store, draft.id, reviewer="+ana", note="-ok", force=False)
    _, document, _ = cli(capsys, "export", "--format", "csv", "--include-flagged")
    rows = [row for row in csv.DictReader(io.StringIO(document)) if row["id"] == draft.id]
    assert [row["text"] for row in rows] == [
        '\'=HYPERLINK("http://evil.example")\nsecond line of post 1',
        "'@everyone users expect 300ms.",
    ]
    assert rows[0]["reviewer"] == "'+ana" and rows[0]["note"] == "'-ok"


def test_control_characters_of_a_draft_never_reach_the_terminal_raw(db, capsys, monkeypatch):
    store = Store.open(db)
    guardrail = Guardrail(load(ROOT / "knowledge"))
    draft = store.drafts(status="flagged")[0]
    edit(store, guardrail, draft.id, "Users expect 300ms.\x1b]0;owned\x07\x1b[2J\u202eevil", reviewer="ana")
    code, out, _ = cli(capsys, "review", "show", draft.id)
    assert code == 0 and "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "Users expect 300ms.␛]0;owned␇␛[2J\ufffdevil" in out
    code, out, _ = cli(capsys, "review", "list", "--status", "all")
    assert "\x1b" not in out
