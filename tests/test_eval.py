"""`angleforge eval`: scorers on hand-made drafts, offline runs, a worse prompt, recordings."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from angleforge.cli import main
from angleforge.config import Settings
from angleforge.evaluation import scorers
from angleforge.evaluation.coherence import Coherence
from angleforge.evaluation.recall import fact_recall
from angleforge.evaluation.repairs import FlagLabels, false_alarms_per_draft, format_violations, real_fix_share
from angleforge.evaluation.runner import Evaluator, Options
from angleforge.evaluation.scorers import ScoredAttempt, ScoredDraft
from angleforge.evaluation.suites import FalseAlarm, KeyFacts
from angleforge.findings import Finding
from angleforge.prompts import Prompts
from angleforge.providers.registry import Endpoint
from angleforge.statuses import DraftStatus, FindingStatus, Verdict

from .conftest import ROOT
from .support.openai_server import OpenAIServer
from .support.readonly import bound_by_permissions, read_only


def draft(
    posts: list[str],
    *,
    fmt: str = "post",
    status: DraftStatus = DraftStatus.PASSED,
    first: Verdict | None = Verdict.PASS,
    attempts: int = 1,
    **extra: Any,
) -> ScoredDraft:
    return ScoredDraft(
        id=extra.pop("id", "d1"),
        format=fmt,
        posts=posts,
        status=status,
        first_verdict=first,
        attempts=attempts,
        seconds=extra.pop("seconds", 0.1),
        cost=extra.pop("cost", 0.0),
        **extra,
    )


# --- scorers ------------------------------------------------------------------------------------

THREAD = [
    "1/4 Users expect a reply within 300ms.",
    "2/4 Above 800ms it feels awkward.",
    "3/4 I've seen it break in production.",
    "4/4 Sources: Twilio, AssemblyAI",
]


@pytest.mark.parametrize(
    ("rule", "good", "bad", "problems"),
    [
        (
            scorers.passed_before_repair,
            draft(["x"]),
            draft(["x"], first=Verdict.FLAGGED),
            ["the first attempt was flagged or failed"],
        ),
        (scorers.passed_after_repair, draft(["x"]), draft(["x"], status=DraftStatus.FLAGGED), ["ended flagged"]),
        (
            scorers.format_rules,
            draft(THREAD, fmt="thread"),
            draft(THREAD[:2], fmt="thread"),
            [
                "a thread is 4 to 12 posts; this draft has 2",
                "post 1 opens with '1/4': a thread of 2 posts numbers it 1/2",
                "post 2 opens with '2/4': a thread of 2 posts numbers it 2/2",
                'the last post of a thread ends with a "Sources:" line',
            ],
        ),
        (
            scorers.format_rules,
            draft(["Short and sharp."]),
            draft(["x" * 281]),
            ["post 1 is 281 characters as X counts them, over 280"],
        ),
        (
            scorers.format_rules,
            draft(["What is your P95?"], fmt="question"),
            draft(["No question."], fmt="question"),
            ["a question post ends with its question mark"],
        ),
        (
            scorers.format_rules,
            draft(THREAD, fmt="thread"),
            draft([*THREAD[:3], "4/4 That's it."], fmt="thread"),
            ['the last post of a thread ends with a "Sources:" line'],
        ),
        (
            scorers.first_person,
            draft(["After 7 years, I know why."]),
            draft(["Latency is hard."]),
            ["no first-person practitioner voice"],
        ),
        (
            scorers.contrarian_turn,
            draft(["Vendors say 99%. Reality is different."]),
            draft(["Latency is hard."]),
            ["no contrarian turn (no 'but', 'not', 'reality', ...)"],
        ),
        (
            scorers.hashtags(2),
            draft(["Latency #voiceai #cx"]),
            draft(["#a #b #c latency"]),
            ["3 hashtags, more than 2"],
        ),
        (
            scorers.banned_words(["game-changer", "revolutionary"]),
            draft(["Solid engineering."]),
            draft(["A revolutionary, game-changer of a model."]),
            ["hype words: game-changer, revolutionary"],
        ),
    ],
)
def test_each_rule_passes_good_drafts_and_names_the_problem_of_bad_ones(rule, good, bad, problems):
    assert rule(good) == []
    assert rule(bad) == problems


def test_share_counts_the_drafts_keeping_a_rule():
    outcome = scorers.share([draft(["I know."], id="a"), draft(["Nope."], id="b")], scorers.first_person)
    assert outcome.value == 0.5 and list(outcome.problems) == ["b"]


def test_copy_meter_measures_word_for_word_copying():
    meter = scorers.CopyMeter(["Users expect responses within 300ms (natural human pause)."])
    assert meter.copied_share("Users expect responses within 300ms (natural human pause).") == 1.0
    assert meter.copied_share("In production: users expect responses within 300ms, and nobody gets there.") < 0.6
    assert meter.copied_share("Something else entirely about latency budgets.") == 0.0
    assert meter.rule(0.9)(draft(["Users expect responses within 300ms (natural human pause)."])) == [
        "a post copies 100% of a knowledge-base sentence"
    ]


def test_run_level_numbers():
    drafts = [
        draft(["1/2 Same hook.", "b"], id="a", attempts=3, cost=0.01, seconds=1.0),
        draft(["2/2 Same hook.", "c"], id="b", attempts=1, cost=0.02, seconds=3.0),
    ]
    assert scorers.repairs_per_draft(drafts) == 1.0
    assert scorers.distinct_hooks(drafts) == 0.5
    assert scorers.cost(drafts) == pytest.approx(0.03)
    assert scorers.latency_p95(drafts) == pytest.approx(2.9)  # between the two, 95% of the way


def test_coherence_finds_a_second_section_and_a_pasted_label(seed_kb):
    coherence = Coherence(seed_kb)
    one = draft(["Users expect responses within 300ms. Total: 500-1,600ms, and callers hang up 40% more often."])
    assert coherence.rule(one) == []
    mixed = draft(["Speech-to-Text alone takes 100-300ms.", "Top models now hallucinate <1% of the time."])
    assert coherence.rule(mixed) == [
        "draws on more than one section: "
        "The Hallucination Problem (Enterprise-Grade Accuracy); The Voice Latency Problem"
    ]
    labelled = draft(
        ["What the sources say: users wait.\nThe KPI confusion: leaders disagree. Translation: nobody knows."]
    )
    assert coherence.rule(labelled) == [
        "pastes the brief's label 'the kpi confusion:'",
        "pastes the brief's label 'translation:'",
    ]
    assert coherence.rule(draft(["1/4 Hook.\n\nSources: Twilio"])) == []  # a thread's Sources line is no label


def test_repetition_finds_a_sentence_said_twice_and_a_question_asked_again():
    twice = draft(["Latency is the whole problem here.", "And again: latency is the whole problem here."])
    assert scorers.repetition([twice]).value == 1.0  # the second is a different sentence
    same = draft(["Latency is the whole problem here. Latency is the whole problem here."], id="a")
    assert scorers.repetition([same]).problems == {"a": ["says twice: 'latency is the whole problem here.'"]}
    asked = [
        draft(["<1% is not 100%. What is your threshold?"], fmt="question", id="q1"),
        draft(["Anything below 100% fails. What is your threshold?"], fmt="question", id="q2"),
    ]
    outcome = scorers.repetition(asked)
    assert outcome.value == 0.5 and outcome.problems == {"q2": ["asks again: 'what is your threshold?'"]}


def test_fact_recall_is_the_worst_angles_share_of_key_facts_in_its_prompt():
    key_facts = KeyFacts(angles={"a": ["Speech-to-Text: 100-300ms", "Total: 500-1,600ms"], "b": ["89%"]})
    drafts = [
        draft(["x"], id="1", angle="a", prompt="F1 [..] Speech-to-Text: 100-300ms (Trillet)"),
        draft(["x"], id="2", angle="b", prompt="F1 89% of organizations"),
        draft(["x"], id="3", angle="c", prompt="nothing"),
    ]
    outcome = fact_recall(drafts, key_facts)
    assert outcome.value == 0.5 and outcome.problems == {"1": ["the prompt lacks a key fact: 'Total: 500-1,600ms'"]}


def finding(text: str, start: int, status: FindingStatus = FindingStatus.UNSUPPORTED, reason: str = "r") -> Finding:
    return Finding(text=text, start=start, end=start + len(text), status=status, reason=reason, claim=None, sources=[])


def test_false_alarms_and_repairs_that_fixed_a_real_error():
    labels = FlagLabels([FalseAlarm(statistic="under 300ms", sentence="latency under 300ms", why="backed")])
    alarm_text = "Getting latency under 300ms is the job."
    alarm = ScoredAttempt(posts=[alarm_text], flagged=[finding("under 300ms", alarm_text.index("under"))])
    real_text = "Hallucinations cost 73% of trust."
    real = ScoredAttempt(posts=[real_text], flagged=[finding("73%", real_text.index("73%"))])
    fixed = ScoredAttempt(posts=["Hallucinations erode trust."])
    wasted = draft(["x"], id="w", attempts=2, history=[alarm, fixed])
    useful = draft(["x"], id="u", attempts=2, history=[real, fixed])
    assert false_alarms_per_draft([wasted, useful], labels) == 0.5
    assert real_fix_share([wasted, useful], labels) == 0.5
    long_post = ScoredAttempt(posts=["x"], flagged=[finding("x", 0, FindingStatus.FORMAT, "post 1 is 290 characters")])
    assert format_violations([draft(["x"], history=[long_post]), useful]) == 1.0
    still_long = ScoredAttempt(posts=["y"], flagged=[finding("y", 0, FindingStatus.FORMAT, "post 1 is 284 characters")])
    assert real_fix_share([draft(["y"], history=[long_post, still_long])], labels) == 0.0


# --- running ------------------------------------------------------------------------------------


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "ws"
    for folder in ("knowledge", "prompts", "evals"):
        shutil.copytree(ROOT / folder, root / folder)
    monkeypatch.chdir(root)
    return root


def eval_json(capsys, *args: str) -> tuple[int, dict[str, Any]]:
    code = main(["eval", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_the_offline_suites_pass_and_are_kept(workspace, capsys, tmp_path):
    code, run = eval_json(capsys, "--report", str(tmp_path / "report"))
    assert code == 0 and run["passed"] is True
    suites = {suite["suite"]: suite for suite in run["suites"]}
    assert set(suites) == {"guardrail", "generation", "recorded"}
    categories = {c["case"]: {s["name"]: s["value"] for s in c["scores"]} for c in suites["guardrail"]["cases"]}
    for seed in ("fabricated", "wrong_year", "unsourced"):  # the seed's own labelled drafts, judged without fault
        assert categories[seed]["precision"] == 1.0 and categories[seed]["recall"] == 1.0
    generation = {s["name"]: s for s in suites["generation"]["scores"]}
    assert generation["format_rules"]["value"] == 1.0 and generation["format_rules"]["threshold"]["min"] == 1.0
    # the model's replies replayed: every key fact reached its prompt, no rule left broken, and
    # the repair loop's rates gated over the whole suite, not case by case
    recorded = {s["name"]: s for s in suites["recorded"]["scores"]}
    assert recorded["fact_recall"]["value"] == 1.0 and recorded["format_violations"]["value"] == 0.0
    assert recorded["real_fix_share"]["threshold"]["min"] > 0
    every_post = next(c for c in suites["recorded"]["cases"] if c["case"] == "every-angle-post")
    assert {s["name"]: s["threshold"] for s in every_post["scores"]}["real_fix_share"] is None
    report = next((tmp_path / "report").glob("eval-*.html")).read_text(encoding="utf-8")
    assert "<svg" in report and run["id"] in report
    code, second = eval_json(capsys, "--compare", run["id"])
    assert code == 0 and second["id"] != run["id"]


@pytest.mark.parametrize(
    ("where", "problem"),
    [("notes.txt", "it is a file, not a folder"), ("notes.txt/report", "part of the path is a file, not a folder")],
)
def test_a_report_folder_that_cannot_be_written_is_refused_before_the_run(workspace, capsys, where, problem):
    (workspace / "notes.txt").write_text("not a folder", encoding="utf-8")
    assert main(["eval", "--report", str(workspace / where)]) == 2
    assert capsys.readouterr().err == f"angleforge: {workspace / where}: cannot write the report there: {problem}\n"
    assert not (workspace / ".angleforge" / "angleforge.db").exists()  # no eval run was stored


def test_a_read_only_report_folder_is_refused_before_the_run(workspace):
    report = workspace / "report"
    report.mkdir()
    command = [str(Path(sys.executable).with_name("angleforge")), "eval", "--report", "report"]
    with read_only(report):
        done = subprocess.run(bound_by_permissions(command), cwd=workspace, capture_output=True, text=True)
    assert done.returncode == 2, done.stderr
    assert done.stderr == "angleforge: report: cannot write the report there: Permission denied\n"
    assert not (workspace / ".angleforge" / "angleforge.db").exists()


def test_one_file_of_the_guardrail_suite_is_scored_alone(workspace, capsys):
    code, run = eval_json(capsys, str(Path("evals") / "guardrail" / "verbatim.yaml"))
    assert code == 0 and [suite["suite"] for suite in run["suites"]] == ["guardrail"]
    assert [case["case"] for case in run["suites"][0]["cases"]] == ["verbatim"]


def test_a_malformed_suite_is_bad_input_naming_file_and_line(workspace, capsys):
    bad = workspace / "evals" / "generation" / "broken.yaml"
    bad.write_text("suite: broken\ncases:\n  - id: a\n    angle: the-300ms-rule\n    count: many\n", encoding="utf-8")
    assert main(["eval", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}: line 5: cases.0.count" in err


def test_a_guardrail_draft_that_fails_twice_is_listed_once_with_all_its_findings(seed_kb, tmp_path):
    folder = tmp_path / "guardrail"
    folder.mkdir()
    (folder / "grounded.yaml").write_text(
        "category: grounded\nthresholds:\n  precision: {min: 1.0}\ncases:\n  - id: two-wrong\n    text: |\n"
        "      Gartner predicts 40%+ of agentic AI projects will fail by 2028.\n    flagged: []\n",
        encoding="utf-8",
    )
    evaluator = Evaluator(
        kb=seed_kb,
        prompts=Prompts(ROOT / "prompts"),
        settings=Settings(),
        options=Options(endpoint=Endpoint(api_key=None, base_url=None, model="m")),
    )
    [case] = evaluator.guardrail_suite(folder).cases
    [failing] = case.failing
    assert failing.draft_id == "two-wrong"
    assert failing.problems == [
        "'40%+' expected grounded, got unsupported",
        "'2028' expected grounded, got unsupported",
    ]
    assert [flag["text"] for flag in failing.flagged] == ["40%+", "2028"]


def test_the_report_of_a_compared_run_shows_its_baseline(workspace, capsys, tmp_path):
    suite = str(workspace / "evals" / "guardrail")
    code, first = eval_json(capsys, suite)
    assert code == 0
    code, second = eval_json(capsys, suite, "--compare", first["id"], "--report", str(tmp_path))
    page = (tmp_path / f"eval-{second['id']}.html").read_text(encoding="utf-8")
    assert f"<td>Compared with</td><td>{first['id']} of " in page and "<th>Before</th>" in page


def rule_following_model(request: dict[str, Any]) -> str:
    """A stand-in model: it keeps X's 280-character limit only when the prompt states it."""
    prompt = " ".join(str(m.get("content", "")) for m in request.get("messages", []))
    post = "Users expect a response within 300ms. I've seen it in production, not in demos."
    if "at most 280 characters" not in prompt:
        post = (post + " ") * 5
    return json.dumps({"posts": [post.strip()]})


SMALL_SUITE = """suite: model
thresholds:
  format_rules: {min: 1.0}
cases:
  - id: latency-post
    angle: the-300ms-rule
    format: post
    count: 2
    provider: openai
    model: stand-in
"""


def test_a_worse_prompt_shows_as_a_drop_in_compare(workspace, capsys):
    suite = workspace / "evals" / "model.yaml"
    suite.write_text(SMALL_SUITE, encoding="utf-8")
    with OpenAIServer(reply=rule_following_model) as server:
        args = [str(suite), "--provider", "openai", "--base-url", server.base_url, "--model", "stand-in"]
        code, good = eval_json(capsys, *args)
        assert code == 0
        score = {s["name"]: s["value"] for s in good["suites"][0]["scores"]}
        assert score["format_rules"] == 1.0
        # the fixture prompt drops the format rules
        post = workspace / "prompts" / "post.j2"
        post.write_text(
            post.read_text(encoding="utf-8").replace("at most {{ rules.max_chars }} characters", "any length"),
            encoding="utf-8",
        )
        assert main(["eval", *args, "--compare", good["id"]]) == 1
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.strip().startswith("model/format_rules"))
    assert "0.000" in line and "1.000" in line and "-1.000 (worse)" in line and "FAIL" in line


def test_recorded_replies_replay_offline_through_the_same_client(workspace, capsys):
    suite = workspace / "evals" / "model.yaml"
    suite.write_text(SMALL_SUITE, encoding="utf-8")
    with OpenAIServer(reply=rule_following_model) as server:
        code, live = eval_json(capsys, str(suite), "--record", "--base-url", server.base_url)
        assert code == 0 and server.stats.requests == 2
    recording = workspace / "evals" / "recordings" / "model-latency-post.json"
    assert len(json.loads(recording.read_text(encoding="utf-8"))["exchanges"]) == 2
    code, replayed = eval_json(capsys, str(suite))  # no server, no key: replayed from the file
    assert code == 0

    def scores(run: dict[str, Any]) -> dict[str, float]:  # timings differ between runs, scores do not
        return {s["name"]: s["value"] for s in run["suites"][0]["scores"] if s["name"] != "latency_p95_s"}

    assert scores(live) == scores(replayed)
    recording.unlink()
    assert main(["eval", str(suite)]) == 1
    assert "no recorded reply" in capsys.readouterr().out


def judging_model(request: dict[str, Any]) -> str:
    """A stand-in judge: likes drafts that speak in the first person."""
    rubric = str(request["messages"][-1]["content"])
    draft = rubric.split("The draft:", 1)[1]
    voice = 5 if " I" in draft or "I'" in draft else 2
    return json.dumps({"voice": voice, "persuasiveness": 3, "reason": "stand-in"})


def test_the_judge_reports_beside_the_gate_and_never_replaces_it(workspace, capsys):
    suite = workspace / "evals" / "generation" / "library.yaml"
    with OpenAIServer(reply=judging_model) as server:
        code, run = eval_json(capsys, str(suite), "--judge", "--base-url", server.base_url)
        assert server.stats.requests > 0
    assert code == 0
    scores = {s["name"]: s for s in run["suites"][0]["scores"]}
    assert 2 <= scores["judge_voice"]["value"] <= 5 and scores["judge_persuasiveness"]["value"] == 3
    assert scores["judge_voice"]["informational"] is True
    assert scores["format_rules"]["value"] == 1.0  # the deterministic scores stand as they were
