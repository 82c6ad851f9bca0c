"""The HTML eval report: self-contained, escaped, charted, with failing drafts highlighted."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from angleforge.evaluation.report import html_report
from angleforge.evaluation.results import CaseResult, EvalRun, FailingDraft, Score, SuiteResult, Threshold

HOSTILE = "<script>alert(1)</script>"
DRAFT = f"Sales rose 42% to $3.1m in 2023. {HOSTILE}"


def _flag(text: str, **extra: object) -> dict[str, object]:
    start = DRAFT.index(text)
    return {"text": text, "start": start, "end": start + len(text), **extra}


def _failing_draft() -> FailingDraft:
    return FailingDraft(
        draft_id="d-1",
        text=DRAFT,
        problems=["unsupported statistic", HOSTILE],
        flagged=[
            _flag(
                "42%",
                status="perturbed_digits",
                reason=f"claim says 24% {HOSTILE}",
                claim={"id": "c-7", "section": "Results", "text": f"Sales rose 24% {HOSTILE}"},
                sources=[
                    {"title": "Annual report", "url": "https://example.com/report?a=1&b=2", "publisher": "ACME"},
                    {"title": "Evil", "url": "javascript:alert(1)", "publisher": HOSTILE},
                ],
            ),
            _flag(
                "$3.1m",
                status="unsourced",
                reason="no claim mentions it",
                claim=None,
                sources=[{"title": HOSTILE, "url": 'http://x.test/"onmouseover="alert(1)', "publisher": "X"}],
            ),
        ],
    )


def _run(run_id: str, recall: float, precision: float, faithful: float, failing: bool = False) -> EvalRun:
    guardrail = SuiteResult(
        suite="guardrail",
        kind="guardrail",
        scores=[
            Score(name="recall", value=recall, threshold=Threshold(min=0.95)),
            Score(name="precision", value=precision, threshold=Threshold(min=0.8, max=1.0), detail="tp/(tp+fp)"),
        ],
    )
    case = CaseResult(
        case="launch-post",
        scores=[Score(name="flag_rate", value=0.5 if failing else 0.0, threshold=Threshold(max=0.0))],
        failing=[_failing_draft()] if failing else [],
    )
    ok_case = CaseResult(case="ok-case", scores=[Score(name="flag_rate", value=0.0, threshold=Threshold(max=0.0))])
    generation = SuiteResult(
        suite="generation",
        kind="generation",
        scores=[
            Score(name="faithfulness", value=faithful, threshold=Threshold(min=0.9)),
            Score(name="judge", value=3.5, informational=True),
        ],
        cases=[case, ok_case],
    )
    return EvalRun(
        id=run_id,
        created_at="2024-05-01T12:00:00Z",
        provider="fake",
        model="m-1",
        seconds=12.345,
        suites=[guardrail, generation],
    )


HISTORY = [_run("r1", 0.97, 0.9, 0.95), _run("r2", 0.96, 0.85, 0.93), _run("r3", 0.98, 0.88, 0.96)]
SUITE_SCORES = 4  # guardrail/recall, guardrail/precision, generation/faithfulness, generation/judge


def test_a_single_self_contained_document():
    html = html_report(_run("r4", 0.99, 0.9, 0.97), HISTORY)
    assert html.startswith("<!DOCTYPE html>")
    assert html.count("<html") == 1 and html.count("</html>") == 1
    assert html.count("<body") == 1 and html.count("<head>") == 1
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@import" not in html and "url(" not in html
    assert "<link" not in html


def test_one_chart_per_suite_level_score_with_thresholds_and_latest_point():
    html = html_report(_run("r4", 0.99, 0.9, 0.97), HISTORY)
    assert html.count("<svg") == SUITE_SCORES
    for name in ("guardrail/recall", "guardrail/precision", "generation/faithfulness", "generation/judge"):
        assert f"<figcaption>{name}</figcaption>" in html
    # recall: min; precision: min and max; faithfulness: min; judge: no threshold
    assert html.count('class="threshold"') == 4
    assert 'stroke-dasharray="5 4"' in html
    assert html.count('class="latest"') == SUITE_SCORES
    assert "run 4 (r4, 2024-05-01 12:00)" in html and "run 1 (r1, 2024-05-01 12:00)" in html
    for svg in re.findall(r"<svg.*?</svg>", html, re.S):
        ET.fromstring(svg)  # well-formed


def test_pass_and_fail_are_shown():
    passing = html_report(_run("r4", 0.99, 0.9, 0.97), HISTORY)
    assert re.search(r"<h1>Eval run r4 <span class=\"pass\">PASS</span></h1>", passing)
    assert '<span class="fail">' not in passing
    assert "<p>None.</p>" in passing

    failing = html_report(_run("r5", 0.90, 0.9, 0.97, failing=True), HISTORY)
    assert re.search(r"<h1>Eval run r5 <span class=\"fail\">FAIL</span></h1>", failing)
    assert "informational" in failing
    assert "&gt;= 0.95" in failing and "&gt;= 0.8 and &lt;= 1" in failing
    assert "tp/(tp+fp)" in failing


def test_failing_drafts_highlight_flagged_statistics_and_link_sources():
    html = html_report(_run("r5", 0.99, 0.9, 0.97, failing=True), HISTORY)
    assert "generation / launch-post" in html
    assert "ok-case</h3>" not in html
    assert "Sales rose <mark>42%</mark> to <mark>$3.1m</mark> in 2023." in html
    assert "perturbed_digits" in html and "unsourced" in html
    assert "Sales rose 24% &lt;script&gt;" in html and "(c-7 Results)" in html
    assert '<a href="https://example.com/report?a=1&amp;b=2" rel="noopener noreferrer">Annual report</a>' in html


def test_hostile_text_and_urls_are_inert():
    html = html_report(_run("r5", 0.99, 0.9, 0.97, failing=True), HISTORY)
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "javascript:" not in re.sub(r"<code>[^<]*</code>", "", html)  # only shown as inert text
    assert 'href="javascript' not in html
    assert "<code>javascript:alert(1)</code>" in html
    assert '"onmouseover' not in html and 'onmouseover="' not in html
    assert "&quot;onmouseover=&quot;alert(1)" in html
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(h.startswith(("http://", "https://")) for h in hrefs)


def test_bad_offsets_are_handled_defensively():
    draft = "abc 12 def 34"
    flags: list[dict[str, object]] = [
        {"text": "12", "start": 4, "end": 6},
        {"text": "2 d", "start": 5, "end": 8},  # overlaps the first: merged
        {"text": "34", "start": 50, "end": 60},  # out of range: found by text
        {"text": "zz", "start": -3, "end": "x"},  # unusable and not in the draft: skipped
        {"text": "abc", "start": True, "end": None},  # falls back to finding its text
    ]
    run = _run("r6", 0.99, 0.9, 0.97, failing=True)
    run.suites[1].cases[0].failing = [FailingDraft(draft_id="d", text=draft, problems=[], flagged=flags)]
    html = html_report(run, [])
    assert "<mark>abc</mark> <mark>12 d</mark>ef <mark>34</mark>" in html


def test_empty_history_works():
    html = html_report(_run("only", 0.99, 0.9, 0.97), [])
    assert html.count("<svg") == SUITE_SCORES
    assert html.count('class="latest"') == SUITE_SCORES
    assert "run 1 (only, 2024-05-01 12:00)" in html
    assert 'class="threshold"' in html


def test_missing_or_non_finite_values_do_not_break_charts():
    history = [_run("r1", 0.97, 0.9, 0.95)]
    history[0].suites[0].scores.pop()  # precision absent in the old run
    current = _run("r2", float("nan"), 0.9, 0.95)
    html = html_report(current, history)
    assert html.count("<svg") == SUITE_SCORES
    shown = re.sub(r"<td class=\"num\">nan</td>|<code>guardrail/recall</code> nan,", "", html)  # the value itself
    assert "nan" not in shown.lower()


def test_failures_come_first():
    html = html_report(_run("r5", 0.90, 0.9, 0.97, failing=True), HISTORY)
    failures, guardrail, generation = (
        html.index(h) for h in ("<h2>Failures</h2>", "<h2>Suite guardrail", "<h2>Suite generation")
    )
    assert failures < guardrail < generation
    listed = html[failures:guardrail]
    assert "<code>guardrail/recall</code> 0.9, needs &gt;= 0.95" in listed
    assert "<code>generation/launch-post/flag_rate</code> 0.5, needs &lt;= 0" in listed
    recall, precision = html.index("<td>recall</td>"), html.index("<td>precision<")
    assert recall < precision  # the failing score first in its table
    passing = html_report(_run("r6", 0.99, 0.9, 0.97, failing=True), HISTORY)
    assert passing.index("<h2>Suite generation") < passing.index("<h2>Suite guardrail")  # the failing suite first


def test_a_score_without_a_threshold_is_informational_not_a_pass():
    run = _run("r4", 0.99, 0.9, 0.97)
    run.suites[1].scores.append(Score(name="cost_usd", value=0.12))  # no threshold, not marked informational
    html = html_report(run, HISTORY)
    row = re.search(r"<tr><td>cost_usd</td>.*?</tr>", html)
    assert row and '<span class="info">informational</span>' in row.group() and "PASS" not in row.group()


def test_chart_axes_name_the_first_and_last_run_by_id_and_date():
    history = [_run("r1", 0.97, 0.9, 0.95), _run("r2", 0.96, 0.85, 0.93)]
    history[0].created_at = "2024-04-02T08:15:00.000+00:00"
    html = html_report(_run("r3", 0.98, 0.88, 0.96), history)
    svg = re.findall(r"<svg.*?</svg>", html, re.S)[0]
    texts = re.findall(r'<text x="[^"]*" y="[^"]*" text-anchor="(start|end)"[^>]*>([^<]*)</text>', svg)
    labels = [(anchor, text) for anchor, text in texts if not re.fullmatch(r"[\d.]+", text)]  # not the value axis
    assert labels == [("start", "r1"), ("start", "2024-04-02 08:15"), ("end", "r3"), ("end", "2024-05-01 12:00")]


def test_the_compare_baseline_is_shown_beside_each_score():
    baseline = HISTORY[1]
    html = html_report(_run("r4", 0.99, 0.9, 0.97), HISTORY, baseline)
    assert "<td>Compared with</td><td>r2 of 2024-05-01 12:00" in html
    assert "<th>Before</th><th>Change</th>" in html
    row = re.search(r"<tr><td>recall</td>.*?</tr>", html)
    assert row and '<td class="num">0.96</td><td class="num">+0.03</td>' in row.group()
    assert "Compared with" not in html_report(_run("r4", 0.99, 0.9, 0.97), HISTORY)
