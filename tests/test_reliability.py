"""Reliability of `generate` and the store: load under injected faults, SIGKILL at random
moments then `--resume`, and several processes writing one store at once.

Everything runs against the loopback OpenAI server of tests/support/openai_server.py; the
subprocesses get `--base-url` and a workspace of their own (short timeouts and waits), and
every server and process a test starts is stopped by the test's own fixtures.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from angleforge.config import GenerateSettings, Settings
from angleforge.knowledge import KnowledgeBase
from angleforge.pipeline import Generator, Plan
from angleforge.prompts import Prompts
from angleforge.providers.registry import Endpoint, build
from angleforge.store import Store

from .conftest import ROOT
from .support.openai_server import GROUNDED_POST, OpenAIServer

CLI = [sys.executable, "-c", "import sys; from angleforge.cli import main; sys.exit(main(sys.argv[1:]))"]
WORKER = Path(__file__).resolve().parent / "support" / "generate_worker.py"

# A statistic the seed knowledge base does not hold: the guardrail flags it, so a draft
# answered with it is repaired.
FABRICATED = "73% of contact centers say voice AI latency is their top problem."
FINAL = {"passed", "flagged", "failed"}


def mixed_reply(request: dict[str, Any]) -> str:
    """Deterministic per request seed (the pipeline's seed + draft seq + attempt number, the
    same for every try of one call): a multiple of 97 gets a reply that is not a draft at all,
    on every try, so its draft fails; a compose whose seed is a multiple of 4 gets a fabricated
    statistic, so it is repaired; a repair whose seed is 1 or 2 modulo 5 gets it again, so a
    draft composed on a multiple of 20 is still flagged after its two repairs; the rest is
    grounded."""
    seed = int(request.get("seed") or 0)
    if seed % 97 == 0:
        return "Sorry, I can only answer in prose."
    # a repair carries the draft it sends back as the model's own turn
    repairing = any(isinstance(m, dict) and m.get("role") == "assistant" for m in request["messages"])
    fabricate = seed % 5 in (1, 2) if repairing else seed % 4 == 0
    return json.dumps({"posts": [FABRICATED if fabricate else GROUNDED_POST]})


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace for the subprocesses: the project's knowledge and prompts, and settings
    that keep a faulty request short (2 s timeout, at most 0.1 s between tries)."""
    root = tmp_path_factory.mktemp("reliability-ws")
    for folder in ("knowledge", "prompts", "evals"):
        shutil.copytree(ROOT / folder, root / folder)
    (root / "angleforge.toml").write_text(
        "[generate]\ntimeout = 2\nattempts = 4\nmax_wait = 0.1\nmax_repairs = 2\nconcurrency = 8\n",
        encoding="utf-8",
    )
    return root


class Processes:
    """Subprocesses a test starts, their output in files (a full pipe would block them);
    any still running at teardown is killed and reaped."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.started: list[subprocess.Popen[bytes]] = []
        self.names: dict[int, str] = {}

    def start(self, name: str, argv: list[str]) -> subprocess.Popen[bytes]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ANGLEFORGE_"))}
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
        with open(self.folder / f"{name}.out", "wb") as out, open(self.folder / f"{name}.err", "wb") as err:
            process = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env, cwd=self.folder)
        self.started.append(process)
        self.names[process.pid] = name
        return process

    def out(self, name: str) -> str:
        return (self.folder / f"{name}.out").read_text(encoding="utf-8", errors="replace")

    def err(self, name: str) -> str:
        return (self.folder / f"{name}.err").read_text(encoding="utf-8", errors="replace")

    def wait(self, process: subprocess.Popen[bytes], timeout: float = 90) -> int:
        try:
            return process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            name = self.names[process.pid]
            pytest.fail(f"{name} did not finish in {timeout} s; stderr:\n{self.err(name)[-2000:]}")

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.kill()
                process.wait()


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Processes]:
    folder = tmp_path / "procs"
    folder.mkdir()
    started = Processes(folder)
    try:
        yield started
    finally:
        started.stop_all()


def generate_argv(base_url: str, db: Path, workspace: Path, *args: str) -> list[str]:
    return [
        *CLI,
        "generate",
        "--provider",
        "openai",
        "--base-url",
        base_url,
        "--db",
        str(db),
        "--workspace",
        str(workspace),
        "--json",
        *args,
    ]


def reader(path: Path) -> sqlite3.Connection:
    """A read-only look at a store, beside whatever writes it."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    connection.row_factory = sqlite3.Row
    return connection


def check_store(path: Path) -> dict[str, Any]:
    """What a store must be after any crash: sound, and no attempt or outcome half-written.
    Returns counts for the report."""
    db = reader(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        if _unmigrated(db):  # killed before the transaction creating its schema committed
            return {"statuses": {}, "attempts": 0, "mid_repair": 0}
        orphans = db.execute(
            "SELECT COUNT(*) FROM attempts a LEFT JOIN drafts d ON d.id = a.draft_id WHERE d.id IS NULL"
        ).fetchone()[0]
        assert orphans == 0, f"{orphans} attempt rows without their draft"
        duplicates = db.execute(
            "SELECT run_id, seq, COUNT(*) FROM drafts GROUP BY run_id, seq HAVING COUNT(*) > 1"
        ).fetchall()
        assert duplicates == [], [tuple(r) for r in duplicates]
        for run in db.execute("SELECT id, parameters FROM runs"):
            # create_run is one transaction: a run has all its drafts or does not exist
            planned = json.loads(run["parameters"])["count"] * max(len(json.loads(run["parameters"])["angles"]), 1)
            seqs = [r[0] for r in db.execute("SELECT seq FROM drafts WHERE run_id = ? ORDER BY seq", (run["id"],))]
            assert seqs == list(range(1, planned + 1)), f"run {run['id']} has drafts {seqs}"
        attempts: dict[str, list[sqlite3.Row]] = {}
        for row in db.execute("SELECT * FROM attempts ORDER BY draft_id, number"):
            attempts.setdefault(row["draft_id"], []).append(row)
        statuses: dict[str, int] = {}
        mid_repair = 0  # pending drafts whose last stored attempt was checked and flagged
        for draft in db.execute("SELECT * FROM drafts"):
            statuses[draft["status"]] = statuses.get(draft["status"], 0) + 1
            made = attempts.get(draft["id"], [])
            numbers = [a["number"] for a in made]
            where = f"draft {draft['id']} ({draft['status']})"
            assert numbers == list(range(1, len(made) + 1)), f"{where}: attempts numbered {numbers}"
            assert draft["attempts"] == len(made), f"{where}: counts {draft['attempts']} attempts, has {len(made)}"
            for attempt in made:  # each attempt either failed (error) or was checked (verdict)
                assert (attempt["verdict"] is None) != (attempt["error"] is None), (
                    f"{where}: attempt {attempt['number']}"
                )
            checked = [a for a in made if a["verdict"] is not None]
            if draft["status"] in ("passed", "flagged", "approved", "rejected"):
                assert draft["text"].strip(), f"{where}: no text"
                assert checked, f"{where}: no attempt with a verdict"
            if draft["status"] in ("passed", "flagged"):
                assert made[-1]["verdict"] == ("pass" if draft["status"] == "passed" else "flagged"), where
                assert draft["text"] == "\n\n".join(json.loads(made[-1]["posts"])), f"{where}: text is not its last"
            if draft["status"] == "failed":
                assert draft["error"], f"{where}: no error"
                assert made and made[-1]["error"], f"{where}: last attempt did not fail"
            if draft["status"] == "pending":
                # an attempt that ended the draft is committed with its outcome, never alone
                assert all(a["verdict"] != "pass" for a in made), f"{where}: a passing attempt, still pending"
                assert all(a["error"] is None for a in made), f"{where}: a failed attempt, still pending"
                mid_repair += bool(made)
        return {"statuses": statuses, "attempts": sum(len(v) for v in attempts.values()), "mid_repair": mid_repair}
    finally:
        db.close()


# --- 1. load with faults ---------------------------------------------------------------------

FAULTS = {"429": 0.05, "500": 0.05, "reset": 0.04, "slow": 0.03, "truncated": 0.03}  # 20 % in all


def test_500_drafts_under_20_percent_faults_each_end_stored_exactly_once(
    seed_kb: KnowledgeBase, tmp_path: Path, record_property: Any
) -> None:
    drafts, concurrency, attempts, max_repairs = 500, 32, 4, 2
    settings = Settings(generate=GenerateSettings(attempts=attempts, max_wait=0.1, timeout=2.0))
    path = tmp_path / "load.db"
    store = Store.open(path)
    started = time.perf_counter()
    try:
        with OpenAIServer(
            latency=0.01, reply=mixed_reply, faults=FAULTS, retry_after=0.05, slow_delay=0.3, seed=20
        ) as server:
            endpoint = Endpoint(api_key=None, base_url=server.base_url, model=settings.generate.model)
            provider = build("openai", kb=seed_kb, settings=settings, endpoint=endpoint)
            generator = Generator(
                kb=seed_kb, prompts=Prompts(ROOT / "prompts"), provider=provider, store=store, concurrency=concurrency
            )
            plan = Plan(
                angles=["the-300ms-rule"],
                topic=None,
                format="post",
                count=drafts,
                seed=1,
                max_repairs=max_repairs,
                fact_count=8,
            )
            summary = asyncio.run(generator.run(generator.start(plan)))
            stats = server.stats
            errors = list(server.errors)
        elapsed = time.perf_counter() - started

        run_id = summary.run.id
        assert summary.run.status == "finished"
        rows = store.connection.execute("SELECT id, seq, status, error FROM drafts WHERE run_id = ?", (run_id,))
        rows = rows.fetchall()
        assert len(rows) == drafts
        assert len({r["id"] for r in rows}) == drafts
        assert sorted(r["seq"] for r in rows) == list(range(1, drafts + 1))
        assert {r["status"] for r in rows} <= FINAL, "a draft was left pending"
        assert all(r["error"] for r in rows if r["status"] == "failed"), "a failed draft carries no error"
        assert store.connection.execute("SELECT COUNT(*) FROM drafts").fetchone()[0] == drafts

        stored = [a for r in rows for a in store.attempts(r["id"])]
        assert all(0 <= a.retries <= attempts - 1 for a in stored), max(a.retries for a in stored)
        assert all(a.draft_id for a in stored)
        assert stats.requests <= drafts * attempts * (1 + max_repairs)
        # every request the server saw is accounted for by one stored attempt's tries; a try the
        # client gave up on (its timeout) before the server, on a loaded machine, had read it
        # reaches no counter, so a few tries may be more than the requests seen, never fewer
        tries = sum(a.retries + 1 for a in stored)
        assert stats.requests <= tries <= stats.requests + max(5, tries // 100), (tries, stats.requests)
        assert stats.faults > 0 and sum(a.retries for a in stored) > 0, "no fault was retried: the test tested nothing"
        assert stats.peak_in_flight <= concurrency
        assert errors == []
        check_store(path)

        counts = {s: summary.count(s) for s in sorted(FINAL)}
        figures = {
            "seconds": round(elapsed, 1),
            "requests": stats.requests,
            "bound": drafts * attempts * (1 + max_repairs),
            "kinds": stats.kinds,
            "peak_in_flight": stats.peak_in_flight,
            "attempt_rows": len(stored),
            "retries": sum(a.retries for a in stored),
            "max_retries": max(a.retries for a in stored),
            "repairs": summary.repairs,
            **counts,
        }
        record_property("figures", json.dumps(figures))
        print(f"\nload: {figures}")
    finally:
        store.close()


# --- 2. SIGKILL at random moments, then --resume ---------------------------------------------

KILL_TRIALS = 10
KILL_DRAFTS = 40


def test_sigkill_at_random_moments_leaves_a_sound_store_that_resume_finishes(
    workspace: Path, tmp_path: Path, processes: Processes, record_property: Any
) -> None:
    """Ten trials, seeded. In odd trials the kill comes 0.2 to 2 s after the process starts;
    on a slow machine that is start-up (imports, opening and migrating the store, creating the
    run), since a run of 40 drafts takes about 3 s from spawn here. So that kills also land while
    drafts are being written, whatever the machine's speed, even trials kill once K of the 40
    drafts are stored (K drawn from 1..39), plus 0 to 50 ms."""
    rng = random.Random(9)
    trials: list[dict[str, Any]] = []
    for trial in range(KILL_TRIALS):
        db = tmp_path / f"kill-{trial}.db"
        by_progress = trial % 2 == 0
        delay = round(rng.uniform(0.0, 0.05), 3) if by_progress else round(rng.uniform(0.2, 2.0), 3)
        after_drafts = rng.randint(1, KILL_DRAFTS - 1) if by_progress else 0
        with OpenAIServer(
            latency=0.05,
            reply=mixed_reply,
            faults={"429": 0.02, "500": 0.02, "reset": 0.01, "truncated": 0.01},
            retry_after=0.05,
            seed=100 + trial,
        ) as server:
            argv = generate_argv(
                server.base_url,
                db,
                workspace,
                "--angle",
                "the-300ms-rule",
                "--format",
                "post",
                "-n",
                str(KILL_DRAFTS),
                "--concurrency",
                "8",
                "--seed",
                str(trial * 1000),
            )
            process = processes.start(f"kill-{trial}", argv)
            clock = time.monotonic()
            if by_progress:
                while process.poll() is None and _stored(db) < after_drafts:
                    time.sleep(0.005)
                clock = time.monotonic()
            while process.poll() is None and time.monotonic() - clock < delay:
                time.sleep(0.005)
            finished_first = process.poll() is not None
            if not finished_first:
                os.kill(process.pid, signal.SIGKILL)
            code = process.wait(timeout=30)
            killed_at = check_store(db) if db.exists() else {"statuses": {}, "attempts": 0, "mid_repair": 0}
            done_at_kill = _outcomes(db) if db.exists() else {}
            requests_before = server.stats.requests

            runs = _runs(db) if db.exists() else []
            assert len(runs) <= 1
            if runs:
                run_id = runs[0]
                resume = processes.start(
                    f"resume-{trial}", generate_argv(server.base_url, db, workspace, "--resume", run_id)
                )
            else:  # killed before its run existed: nothing to resume, so the same command again
                run_id = None
                resume = processes.start(f"resume-{trial}", argv)
            resumed = processes.wait(resume, timeout=120)
            err = processes.err(f"resume-{trial}")
            assert resumed in (0, 1), err[-2000:]
            output = json.loads(processes.out(f"resume-{trial}"))
            assert run_id is None or output["run"]["id"] == run_id
            after = check_store(db)
            # what was finished before the kill is neither written again nor changed by the resume
            outcomes = _outcomes(db)
            assert {d: outcomes[d] for d in done_at_kill} == done_at_kill
            final = _runs(db)
            assert len(final) == 1 and (run_id is None or final == [run_id])
            db_ = reader(db)
            try:
                rows = db_.execute("SELECT id, status, error FROM drafts WHERE run_id = ?", (final[0],)).fetchall()
                run_status = db_.execute("SELECT status FROM runs WHERE id = ?", (final[0],)).fetchone()[0]
                retries = db_.execute("SELECT COALESCE(SUM(retries), 0), COALESCE(MAX(retries), 0) FROM attempts")
                retries_sum, retries_max = retries.fetchone()
            finally:
                db_.close()
            assert len(rows) == KILL_DRAFTS and len({r["id"] for r in rows}) == KILL_DRAFTS
            assert {r["status"] for r in rows} <= FINAL, [r["status"] for r in rows]
            assert all(r["error"] for r in rows if r["status"] == "failed")
            assert run_status == "finished"
            assert retries_max <= 3
            assert (resumed == 1) == any(r["status"] == "failed" for r in rows)
            trials.append(
                {
                    "trial": trial,
                    "kill": f"{after_drafts} stored + {delay} s" if by_progress else f"{delay} s from spawn",
                    "exit": code,
                    "finished_before_kill": finished_first,
                    "at_kill": killed_at["statuses"],
                    "attempts_at_kill": killed_at["attempts"],
                    "mid_repair_at_kill": killed_at["mid_repair"],
                    "resumed": run_id is not None,
                    "after": after["statuses"],
                    "requests": server.stats.requests,
                    "requests_after_kill": server.stats.requests - requests_before,
                    "faults": server.stats.faults,
                    "retries": retries_sum,
                }
            )
    record_property("trials", json.dumps(trials))
    print("\nkill trials:\n" + "\n".join(json.dumps(t) for t in trials))
    killed = [t for t in trials if not t["finished_before_kill"]]
    assert killed and all(t["exit"] == -signal.SIGKILL for t in killed)
    # the trials are worth something only if some kills hit a run in the middle of its drafts
    mid_run = [t for t in killed if t["resumed"] and 0 < t["at_kill"].get("pending", 0) < KILL_DRAFTS]
    assert len(mid_run) >= 3, trials


def _stored(db: Path) -> int:
    """Drafts the run has finished (passed, flagged or failed) so far; 0 before there is a store."""
    if not db.exists():
        return 0
    try:
        connection = reader(db)
        try:
            return int(connection.execute("SELECT COUNT(*) FROM drafts WHERE status != 'pending'").fetchone()[0])
        finally:
            connection.close()
    except sqlite3.Error:  # not migrated yet
        return 0


def _outcomes(db: Path) -> dict[str, tuple[str, int, str]]:
    """Each passed or flagged draft's status, attempt count and text."""
    connection = reader(db)
    try:
        rows = connection.execute("SELECT id, status, attempts, text FROM drafts WHERE status IN ('passed', 'flagged')")
        return {r["id"]: (r["status"], r["attempts"], r["text"]) for r in rows}
    except sqlite3.Error:  # not migrated yet
        return {}
    finally:
        connection.close()


def _runs(db: Path) -> list[str]:
    connection = reader(db)
    try:
        if _unmigrated(connection):
            return []
        return [r[0] for r in connection.execute("SELECT id FROM runs ORDER BY created_at")]
    finally:
        connection.close()


def _unmigrated(connection: sqlite3.Connection) -> bool:
    """Whether the store holds no table at all: its file made, its schema not yet committed
    (the migrations run in one transaction, so a store has all its tables or none)."""
    return connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0


# --- 3. two generate runs and a reviewer on one store at once ----------------------------------

LOCKED = "database is locked"


def test_two_generate_runs_and_a_reviewer_share_one_store_without_locking(
    workspace: Path, tmp_path: Path, processes: Processes, record_property: Any
) -> None:
    db = tmp_path / "shared.db"  # does not exist yet: all three start on a fresh store
    stop = tmp_path / "stop"
    started = time.perf_counter()
    with OpenAIServer(
        latency=0.05, reply=mixed_reply, faults={"429": 0.02, "500": 0.02}, retry_after=0.05, seed=3
    ) as server:
        reviewer = processes.start(
            "reviewer",
            [
                sys.executable,
                str(WORKER),
                "review",
                "--db",
                str(db),
                "--workspace",
                str(workspace),
                "--stop",
                str(stop),
            ],
        )
        runs = [
            processes.start(
                name,
                generate_argv(
                    server.base_url, db, workspace, "--angle", angle, "--format", "post", "-n", "60", "--seed", seed
                ),
            )
            for name, angle, seed in (
                ("generate-a", "the-300ms-rule", "1"),
                ("generate-b", "voice-ai-in-call-centers-the", "5000"),
            )
        ]
        codes = {
            name: processes.wait(p, timeout=120) for name, p in zip(("generate-a", "generate-b"), runs, strict=True)
        }
        generated_at = time.time()
        stop.touch()
        codes["reviewer"] = processes.wait(reviewer, timeout=120)
        stats = server.stats
    elapsed = time.perf_counter() - started

    errs = {name: processes.err(name) for name in codes}
    for name, err in errs.items():
        assert LOCKED not in err.lower(), f"{name} saw '{LOCKED}':\n{err[-3000:]}"
        assert "Traceback" not in err, f"{name} raised:\n{err[-3000:]}"
    failed_drafts = {}
    for name in ("generate-a", "generate-b"):
        output = json.loads(processes.out(name))
        assert output["run"]["drafts"] == 60
        failed_drafts[name] = output["run"]["failed"]
        assert codes[name] == (1 if output["run"]["failed"] else 0), errs[name][-2000:]
    assert codes["reviewer"] == 0, errs["reviewer"][-3000:]
    summary = json.loads(processes.out("reviewer"))
    assert not summary["timed_out"]
    assert summary["decided"], "the reviewer decided nothing"
    assert summary["first_decision_at"] < generated_at, "the reviewer did not overlap the generate runs"

    found = check_store(db)
    connection = reader(db)
    try:
        assert connection.execute("SELECT COUNT(*) FROM runs WHERE status = 'finished'").fetchone()[0] == 2
        assert connection.execute("SELECT COUNT(*) FROM drafts").fetchone()[0] == 120
        decisions = connection.execute("SELECT draft_id, COUNT(*) FROM decisions GROUP BY draft_id").fetchall()
        statuses = dict(connection.execute("SELECT id, status FROM drafts").fetchall())
        last_attempt = connection.execute("SELECT MAX(created_at) FROM attempts").fetchone()[0]
        overlapping = connection.execute(
            "SELECT COUNT(*) FROM decisions WHERE created_at < ?", (last_attempt,)
        ).fetchone()[0]
    finally:
        connection.close()
    assert {d: n for d, n in decisions} == dict.fromkeys(summary["decided"], 1)  # one decision each, none forced
    assert all(statuses[d] == ("approved" if a == "approve" else "rejected") for d, a in summary["decided"].items())
    assert overlapping > 0, "no decision was written while the runs were still writing attempts"

    figures = {
        "seconds": round(elapsed, 1),
        "requests": stats.requests,
        "kinds": stats.kinds,
        "statuses": found["statuses"],
        "failed": failed_drafts,
        "reviewer": summary["counts"],
        "decided": len(summary["decided"]),
        "decided_while_generating": overlapping,
    }
    record_property("figures", json.dumps(figures))
    print(f"\nshared store: {figures}")


# --- 3b. two processes resuming one run at once -------------------------------------------------


def test_two_resumes_of_one_run_at_once_neither_crashes_and_the_run_finishes(
    workspace: Path, tmp_path: Path, processes: Processes, record_property: Any
) -> None:
    db = tmp_path / "resumed.db"
    store = Store.open(db)
    try:
        plan = Plan(angles=["the-300ms-rule"], topic=None, format="post", count=40, seed=1, max_repairs=2, fact_count=8)
        run = store.create_run("openai", "gpt-4o-mini", asdict(plan), [("the-300ms-rule", "post")] * 40)
    finally:
        store.close()
    # 0.5 s a request: each resume needs about 2.5 s for its 40 drafts, far longer than the
    # difference between the two processes' start-up, so they surely work on the run together
    with OpenAIServer(latency=0.5, seed=4) as server:
        names = ("resume-a", "resume-b")
        started = [
            processes.start(name, generate_argv(server.base_url, db, workspace, "--resume", run.id)) for name in names
        ]
        codes = {name: processes.wait(p, timeout=120) for name, p in zip(names, started, strict=True)}
        requests = server.stats.requests
    errs = {name: processes.err(name) for name in names}
    record_property("figures", json.dumps({"codes": codes, "requests": requests}))
    check_store(db)
    for name in names:
        # refusing ("run is being resumed elsewhere", exit 2) would be fine; a crash is not
        assert "Traceback" not in errs[name], f"{name} crashed:\n{errs[name][-1500:]}"
        assert codes[name] in (0, 1, 2), errs[name][-1500:]
    connection = reader(db)
    try:
        statuses = [r[0] for r in connection.execute("SELECT status FROM drafts WHERE run_id = ?", (run.id,))]
        run_status = connection.execute("SELECT status FROM runs WHERE id = ?", (run.id,)).fetchone()[0]
    finally:
        connection.close()
    assert len(statuses) == 40 and set(statuses) <= FINAL, statuses
    assert run_status == "finished"
