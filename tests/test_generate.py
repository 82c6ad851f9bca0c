"""`angleforge generate` with the offline provider, through the command and the library API."""

from __future__ import annotations

import asyncio
import json
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from angleforge.cli import main
from angleforge.cli.generate import summary_text
from angleforge.drafts import Completion, DraftReply
from angleforge.errors import UsageError
from angleforge.formats import post_length, violations
from angleforge.guardrail import Guardrail
from angleforge.knowledge import load
from angleforge.pipeline import Generator, Plan, Summary
from angleforge.prompts import PromptError, Prompts
from angleforge.providers.library import LibraryProvider
from angleforge.statuses import DraftStatus
from angleforge.store import Run, RunStatus, Store, StoredDraft

from .conftest import ROOT
from .support.brief_hooks import use_brief_hooks
from .support.openai_server import OpenAIServer
from .support.readonly import bound_by_permissions, read_only


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project's workspace, so runs write their store inside it."""
    root = tmp_path / "ws"
    for folder in ("knowledge", "prompts", "evals"):
        shutil.copytree(ROOT / folder, root / folder)
    shutil.copy(ROOT / "angleforge.toml", root / "angleforge.toml")
    monkeypatch.chdir(root)
    return root


def run_json(capsys, *args: str) -> tuple[int, dict]:
    code = main(["generate", *args, "--json"])
    captured = capsys.readouterr()
    run_json.err = captured.err  # type: ignore[attr-defined]
    return code, json.loads(captured.out)


def test_every_angle_gets_a_draft_with_the_documented_json(workspace, capsys):
    code, output = run_json(capsys)
    assert code == 0
    run, drafts = output["run"], output["drafts"]
    assert run["provider"] == "library" and run["offline"] is True
    assert {
        "id",
        "provider",
        "model",
        "passed",
        "flagged",
        "failed",
        "repairs",
        "latency_p50",
        "latency_p95",
    } <= set(run)
    assert len(drafts) == 13 and run["passed"] + run["flagged"] == 13
    for draft in drafts:
        assert set(draft) >= {"id", "status", "angle", "format", "text", "posts", "attempts", "findings"}
        assert draft["status"] in ("passed", "flagged")
        assert draft["text"] == "\n\n".join(draft["posts"])
        if draft["findings"]:
            assert set(draft["findings"][0]) == {
                "text",
                "start",
                "end",
                "status",
                "reason",
                "claim",
                "sources",
            }
    assert (workspace / ".angleforge" / "angleforge.db").is_file()
    assert "provider library (neither OPENAI_API_KEY nor OPENAI_BASE_URL is set" in run_json.err  # type: ignore[attr-defined]


def test_the_library_leaves_the_briefs_unsourced_figures_out_and_passes_first_time(workspace, capsys):
    """The brief's hook for this angle opens on "$10B by 2032", which no source states: the
    prompt masks it, and the library provider writes none of it."""
    code, output = run_json(capsys, "--angle", "the-300ms-rule", "-n", "6")
    assert code == 0
    drafts = output["drafts"]
    assert [(d["status"], d["attempts"]) for d in drafts] == [("passed", 1)] * 6
    assert not [d for d in drafts if "$10B" in d["text"] or "2032" in d["text"]]
    assert output["run"]["repairs"] == 0


def test_without_repairs_the_unsourced_hook_stays_flagged(workspace, capsys, monkeypatch):
    use_brief_hooks(monkeypatch)
    code, output = run_json(capsys, "--angle", "the-300ms-rule", "-n", "2", "--max-repairs", "0")
    assert code == 0
    drafts = output["drafts"]
    assert [d["status"] for d in drafts] == ["flagged"] * 2 and all(d["attempts"] == 1 for d in drafts)
    assert {f["text"] for f in drafts[0]["findings"] if f["status"] != "grounded"} >= {"$10B", "2032"}


def test_a_repair_goes_on_from_the_compose_conversation_and_is_repaired_again(workspace, capsys, monkeypatch):
    use_brief_hooks(monkeypatch)  # gives the same unsourced hook again: the repairs run out
    code, output = run_json(capsys, "--angle", "the-300ms-rule", "--max-repairs", "2")
    assert code == 0
    [draft] = output["drafts"]
    assert draft["status"] == "flagged" and draft["attempts"] == 3
    attempts = Store.open(workspace / ".angleforge" / "angleforge.db").attempts(draft["id"])
    compose, repair = attempts[0].prompt, attempts[1].prompt
    assert repair[:2] == compose and repair[2]["role"] == "assistant" and repair[-1]["role"] == "user"
    feedback = repair[-1]["content"]
    assert '"$10B" in post 1, in: "1/4 Call center AI will hit $10B by 2032."' in feedback
    assert "Rejected (unsourced)" in feedback
    assert "keep these figures" in feedback and '"300 milliseconds" (post 1)' in feedback


def test_a_format_still_broken_after_the_last_repair_is_stored_flagged_with_its_rule(tmp_path):
    kb = load(ROOT / "knowledge")

    class TooLong(LibraryProvider):
        async def complete(self, request):  # type: ignore[no-untyped-def]
            return Completion(reply=DraftReply(posts=["Users expect responses within 300ms. " * 9]), raw="{}")

    plan = Plan(angles=["the-300ms-rule"], topic=None, format="post", count=1, seed=1, max_repairs=1, fact_count=12)
    _, summary = run_library(tmp_path, plan, provider=TooLong(kb), concurrency=1)
    [draft] = summary.drafts
    assert draft.status == "flagged" and draft.attempts == 2
    [problem] = [f for f in draft.findings if f["status"] == "format"]
    assert problem["reason"] == "post 1 is 332 characters as X counts them, over 280"
    assert (problem["start"], problem["end"]) == (0, len(draft.posts[0]))


def test_a_topic_draws_its_facts_by_retrieval(workspace, capsys):
    code, output = run_json(capsys, "--topic", "hallucination guardrails in regulated banking", "--format", "post")
    assert code == 0
    assert output["drafts"][0]["format"] == "post"
    db = Store.open(workspace / ".angleforge" / "angleforge.db")
    prompt = db.attempts(output["drafts"][0]["id"])[0].prompt[1]["content"]
    assert "hallucinat" in prompt.lower()


def test_out_writes_markdown_that_says_it_was_composed_offline(workspace, capsys, tmp_path):
    code, output = run_json(capsys, "--angle", "why-40-will-fail", "--out", str(tmp_path / "out"))
    files = list((tmp_path / "out").glob("*.md"))
    assert code == 0 and len(files) == 1
    text = files[0].read_text(encoding="utf-8")
    assert "composed offline" in text and output["drafts"][0]["posts"][0] in text


@pytest.mark.parametrize(
    ("where", "problem"),
    [("notes.txt", "it is a file, not a folder"), ("notes.txt/drafts", "part of the path is a file, not a folder")],
)
def test_an_out_folder_that_cannot_be_written_stops_the_run_before_it_starts(workspace, capsys, where, problem):
    (workspace / "notes.txt").write_text("not a folder", encoding="utf-8")
    assert main(["generate", "--angle", "why-40-will-fail", "--out", str(workspace / where)]) == 2
    err = capsys.readouterr().err
    assert err == f"angleforge: {workspace / where}: cannot write drafts there: {problem}\n"
    assert not (workspace / ".angleforge" / "angleforge.db").exists()


def test_a_read_only_out_folder_stops_the_run_before_it_starts(workspace):
    out = workspace / "out"
    out.mkdir()
    command = bound_by_permissions([str(Path(sys.executable).with_name("angleforge")), "generate", "--out", "out"])
    with read_only(out):
        done = subprocess.run(command, cwd=workspace, capture_output=True, text=True, check=False)
    assert done.returncode == 2, done.stderr
    assert done.stderr.endswith("angleforge: out: cannot write drafts there: Permission denied\n")
    assert not (workspace / ".angleforge" / "angleforge.db").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--angle", "no-such-angle"], "unknown angle 'no-such-angle'"),
        (["--provider", "openai"], "--provider openai needs OPENAI_API_KEY"),
        (["--resume", "rnope"], "run rnope: no such run in the store"),
    ],
)
def test_usage_errors_exit_2_and_store_nothing(workspace, capsys, args, message):
    assert main(["generate", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    store = Store.open(workspace / ".angleforge" / "angleforge.db")
    assert store.runs() == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-n", "0"], "argument -n: takes a whole number from 1 to 100, not '0'"),
        (["-n", "101"], "argument -n: takes a whole number from 1 to 100, not '101'"),
        (["-n", "three"], "argument -n: takes a whole number from 1 to 100, not 'three'"),
        (["--concurrency", "0"], "argument --concurrency: takes a whole number from 1 to 256, not '0'"),
        (["--concurrency", "100000"], "argument --concurrency: takes a whole number from 1 to 256, not '100000'"),
        (["--max-repairs", "11"], "argument --max-repairs: takes a whole number from 0 to 10, not '11'"),
        (["--topic", ""], "argument --topic: needs words saying what the drafts are about"),
        (["--topic", "  \t "], "argument --topic: needs words saying what the drafts are about"),
    ],
)
def test_limits_and_an_empty_topic_are_refused_before_anything_is_stored(workspace, capsys, args, message):
    with pytest.raises(SystemExit) as stop:
        main(["generate", *args])
    assert stop.value.code == 2
    assert message in capsys.readouterr().err
    assert not (workspace / ".angleforge" / "angleforge.db").exists()


def test_the_summary_shows_each_first_post_whole_with_its_size(workspace, capsys):
    assert main(["generate", "--angle", "why-40-will-fail", "-n", "2"]) == 0
    out = capsys.readouterr().out
    store = Store.open(workspace / ".angleforge" / "angleforge.db")
    drafts = store.drafts()
    assert drafts and all(d.status == "passed" for d in drafts)
    for draft in drafts:
        longest = max(post_length(post) for post in draft.posts)
        assert (
            f"{draft.id}  passed   thread    why-40-will-fail ({len(draft.posts)} posts, longest {longest} of 280"
            in out
        )
        assert all(f"      {line}" in out.splitlines() for line in draft.posts[0].splitlines())
    assert "angleforge review" not in out  # nothing is flagged: there is nothing to review


def test_the_summary_sends_to_review_only_when_something_is_flagged(workspace, capsys, monkeypatch):
    use_brief_hooks(monkeypatch)  # the brief's own hook for this angle carries an unsourced figure
    assert main(["generate", "--angle", "the-300ms-rule", "-n", "6", "--max-repairs", "0"]) == 0
    assert "review flagged drafts with `angleforge review`" in capsys.readouterr().out


def test_the_summary_weighs_a_link_as_x_does():
    link = "https://example.com/" + "a" * 200
    posts = ["Short opener", f"Read it: {link}"]
    stamp = "2026-01-01T00:00:00+00:00"
    run = Run(
        id="r1",
        created_at=stamp,
        finished_at=stamp,
        status=RunStatus.FINISHED,
        provider="openai",
        model="m",
        parameters={},
        prompt_tokens=0,
        completion_tokens=0,
        cost=0.0,
        seconds=1.0,
    )
    draft = StoredDraft(
        id="r1-001",
        run_id="r1",
        seq=1,
        angle="a",
        format="thread",
        status=DraftStatus.PASSED,
        text="\n\n".join(posts),
        posts=posts,
        findings=[],
        error=None,
        attempts=1,
        prompt_tokens=0,
        completion_tokens=0,
        cost=0.0,
        seconds=0.1,
        created_at=stamp,
        updated_at=stamp,
    )
    text = summary_text(Summary(run=run, drafts=[draft]), offline=False)
    assert "(2 posts, longest 32 of 280 characters)" in text  # "Read it: " and a link of 23


def test_a_broken_template_names_its_file_and_line(workspace, capsys):
    (workspace / "prompts" / "post.j2").write_text("line one\n{{ angle.title }\n", encoding="utf-8")
    assert main(["generate", "--format", "post"]) == 2
    err = capsys.readouterr().err
    assert f"{workspace / 'prompts' / 'post.j2'}:2:" in err


def test_an_undefined_variable_is_an_error_with_its_line(tmp_path):
    (tmp_path / "thread.j2").write_text("fine\n{{ no_such_thing }}\n", encoding="utf-8")
    with pytest.raises(PromptError, match=r"thread\.j2:2: 'no_such_thing' is undefined"):
        Prompts(tmp_path).render("thread")


def test_a_template_that_fails_to_render_is_bad_input_and_stores_no_run(workspace, capsys):
    post = workspace / "prompts" / "post.j2"
    post.write_text(post.read_text(encoding="utf-8") + "{{ angle.no_such_field }}\n", encoding="utf-8")
    assert main(["generate", "--format", "post"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[-1].startswith(f"angleforge: {post}:") and "has no attribute 'no_such_field'" in err[-1]
    assert Store.open(workspace / ".angleforge" / "angleforge.db").runs() == []


def test_a_repair_template_that_fails_stops_the_run_and_says_how_to_finish_it(workspace, capsys, monkeypatch):
    use_brief_hooks(monkeypatch, repairs=True)
    repair = workspace / "prompts" / "repair.j2"
    good = repair.read_text(encoding="utf-8")
    repair.write_text(good + "{{ 1 / 0 }}\n", encoding="utf-8")
    # the brief's own hook for this angle carries an unsourced figure: its drafts need a repair
    assert main(["generate", "--angle", "the-300ms-rule", "-n", "6", "--concurrency", "1"]) == 2
    err = capsys.readouterr().err.splitlines()[-1]
    assert f"{repair}:" in err and "ZeroDivisionError: division by zero" in err
    run = Store.open(workspace / ".angleforge" / "angleforge.db").runs()[0]
    assert f"finish it with `angleforge generate --resume {run.id}`" in err
    repair.write_text(good, encoding="utf-8")
    code, output = run_json(capsys, "--resume", run.id)
    assert code == 0 and [d["status"] for d in output["drafts"]] == ["passed"] * 6


def test_any_error_a_template_raises_names_its_file_and_line(tmp_path):
    (tmp_path / "post.j2").write_text("fine\n{{ 1 / 0 }}\n", encoding="utf-8")
    with pytest.raises(PromptError, match=r"post\.j2:2: ZeroDivisionError: division by zero"):
        Prompts(tmp_path).render("post")


@pytest.mark.parametrize(("fault", "meaning"), [("401", "the API key was refused"), ("403", "access denied")])
def test_a_refusing_endpoint_stops_the_run_at_its_first_refusal(workspace, capsys, fault, meaning):
    with OpenAIServer(faults={fault: 1.0}) as server:
        code = main(
            [
                "generate",
                "--provider",
                "openai",
                "--base-url",
                server.base_url,
                "--concurrency",
                "1",
                "--format",
                "post",
            ]
        )
        asked, url = server.stats.requests, server.base_url
    assert code == 2 and asked == 1
    err = capsys.readouterr().err.splitlines()[-1]
    [run] = Store.open(workspace / ".angleforge" / "angleforge.db").runs()
    assert err == (
        f"angleforge: {url}/ refused the request: HTTP {fault} ({meaning}): "
        f"{'Incorrect API key provided' if fault == '401' else 'You are not allowed to use this model'} "
        f"(injected fault); run {run.id} is stored, its unwritten drafts with it: "
        f"finish it with `angleforge generate --resume {run.id} --base-url {url}`"
    )


def test_an_endpoint_that_cannot_be_reached_is_named(workspace, capsys):
    (workspace / "angleforge.toml").write_text("[generate]\nattempts = 1\n", encoding="utf-8")
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}/v1"
    assert main(["generate", "--provider", "openai", "--base-url", url, "--angle", "why-40-will-fail"]) == 1
    err = capsys.readouterr().err
    assert f"1 of 1 drafts failed: could not connect to {url}/ (finish them with `angleforge generate --resume" in err


def test_ctrl_c_says_which_run_to_resume_and_how(workspace):
    command = Path(sys.executable).with_name("angleforge")
    # the reply would take longer than the test waits: only the interrupt can end the run
    with OpenAIServer(latency=300.0) as server:
        args = [str(command), "generate", "--provider", "openai", "--base-url", server.base_url, "--format", "post"]
        process = subprocess.Popen(args, cwd=workspace, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while server.stats.requests == 0 and time.monotonic() < deadline:  # a request is in flight
            time.sleep(0.02)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=120)
        assert process.returncode == 130, err
        [run] = Store.open(workspace / ".angleforge" / "angleforge.db").runs()
        resume = f"angleforge generate --resume {run.id} --base-url {server.base_url}"
        assert err.splitlines()[-1] == (
            f"angleforge: interrupted; run {run.id} is stored, its unwritten drafts with it: finish it with `{resume}`"
        )
        server.latency = 0.0
        finished = subprocess.run([str(command), *shlex.split(resume)[1:]], cwd=workspace, capture_output=True)
    assert finished.returncode == 0, finished.stderr
    assert all(d.status == "passed" for d in Store.open(workspace / ".angleforge" / "angleforge.db").drafts())


def test_resume_finishes_a_run_that_was_stopped(workspace, capsys):
    kb = load(workspace / "knowledge")
    store = Store.open(workspace / ".angleforge" / "angleforge.db")
    generator = Generator(kb=kb, prompts=Prompts(workspace / "prompts"), provider=LibraryProvider(kb), store=store)
    run = generator.start(
        Plan(angles=["why-40-will-fail"], topic=None, format=None, count=3, seed=1, max_repairs=2, fact_count=8)
    )
    assert [d.status for d in store.drafts(run.id)] == ["pending"] * 3
    code, output = run_json(capsys, "--resume", run.id)
    assert code == 0 and output["run"]["id"] == run.id
    assert [d["status"] for d in output["drafts"]] == ["passed"] * 3
    assert len(store.drafts(run.id)) == 3


def test_resume_finishes_a_run_stored_when_the_fact_count_was_called_facts(workspace, capsys):
    store = Store.open(workspace / ".angleforge" / "angleforge.db")
    parameters = {"angles": ["why-40-will-fail"], "topic": None, "format": "post", "count": 2, "seed": 1}
    run = store.create_run(
        "library", "library", {**parameters, "max_repairs": 2, "facts": 3}, [("why-40-will-fail", "post")] * 2
    )
    code, output = run_json(capsys, "--resume", run.id)
    assert code == 0 and [d["status"] for d in output["drafts"]] == ["passed"] * 2
    prompt = store.attempts(output["drafts"][0]["id"])[0].prompt[1]["content"]
    facts = prompt.split("Facts you may use", 1)[1].split("Posts the author drafted", 1)[0]
    assert facts.count("\n- F") == 3  # the prompt carries the count the run was stored with


def run_library(tmp_path, plan, *, provider=None, guardrail=None, concurrency):  # type: ignore[no-untyped-def]
    """A run of `plan` through the library API, with the library provider unless told otherwise."""
    kb = load(ROOT / "knowledge")
    generator = Generator(
        kb=kb,
        prompts=Prompts(ROOT / "prompts"),
        provider=provider or LibraryProvider(kb),
        store=Store.open(tmp_path / "s.db"),
        guardrail=guardrail or Guardrail(kb),
        concurrency=concurrency,
    )
    return generator, asyncio.run(generator.run(generator.start(plan)))


def test_the_library_api_runs_without_the_command(tmp_path):
    plan = Plan(angles=[], topic=None, format="question", count=1, seed=5, max_repairs=2, fact_count=8)
    generator, summary = run_library(tmp_path, plan, concurrency=2)
    assert len(summary.drafts) == 13 and all(d.format == "question" for d in summary.drafts)
    assert all(violations("question", d.posts) == [] for d in summary.drafts)
    with pytest.raises(UsageError):
        generator.jobs(Plan(angles=["nope"], topic=None, format=None, count=1, seed=1, max_repairs=0, fact_count=8))


def test_a_freed_request_slot_goes_to_the_next_draft_before_the_last_reply_is_checked(tmp_path):
    """--concurrency bounds requests in flight, not drafts: while one draft's reply is checked
    and stored, the next draft's request is already out, and never more than C at once."""
    kb = load(ROOT / "knowledge")
    events: list[str] = []
    in_flight = peak = 0

    class Recorded(LibraryProvider):
        async def complete(self, request):  # type: ignore[no-untyped-def]
            nonlocal in_flight, peak
            in_flight += 1
            peak = max(peak, in_flight)
            events.append(f"ask {request.seed}")
            await asyncio.sleep(0.01)  # the model's latency
            in_flight -= 1
            return await super().complete(request)

    class Watched(Guardrail):
        def check(self, text, *, path="-"):  # type: ignore[no-untyped-def]
            events.append(f"check {path}")
            return super().check(text, path=path)

    plan = Plan(angles=[], topic=None, format="post", count=1, seed=0, max_repairs=0, fact_count=8)
    _, summary = run_library(tmp_path, plan, provider=Recorded(kb), guardrail=Watched(kb), concurrency=1)
    assert peak == 1 and len(summary.drafts) == 13
    first_check = next(i for i, e in enumerate(events) if e.startswith("check"))
    assert events[: first_check + 1][-3:-1] == ["ask 1", "ask 2"]  # draft 2 asked before draft 1 is checked


def test_a_runs_drafts_on_one_angle_are_numbered_from_0(tmp_path):
    """A provider learns which of the run's drafts on an angle and format it writes: the
    library provider gives the first the best-matching material and the next ones the rest."""
    kb = load(ROOT / "knowledge")
    asked: list[tuple[str, int]] = []

    class Recorded(LibraryProvider):
        async def complete(self, request):  # type: ignore[no-untyped-def]
            asked.append((request.angle.name, request.variant))
            return await super().complete(request)

    angles = ["the-300ms-rule", "why-40-will-fail"]
    plan = Plan(angles=angles, topic=None, format="post", count=3, seed=5, max_repairs=0, fact_count=8)
    run_library(tmp_path, plan, provider=Recorded(kb), concurrency=4)
    assert sorted(asked) == [(name, variant) for name in angles for variant in range(3)]
