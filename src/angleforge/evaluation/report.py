"""A self-contained HTML report of an eval run: scores, trends across earlier runs, and failing drafts.

The document loads nothing (inline CSS, inline SVG, no scripts) and escapes every string taken from the run.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any
from urllib.parse import urlsplit

from .results import CaseResult, EvalRun, FailingDraft, Score, SuiteResult, Threshold

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem; color: #222; max-width: 70rem; }
h1 { margin-bottom: .2rem; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { border: 1px solid #ddd; padding: .25rem .6rem; text-align: left; vertical-align: top; }
th { background: #f4f4f4; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.pass { color: #0a7a2f; font-weight: 600; } .fail { color: #b3141b; font-weight: 600; } .info { color: #666; }
.meta td:first-child { font-weight: 600; } .detail { color: #555; font-size: .9em; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; }
figure { margin: 0; } figcaption { font-size: .9em; font-weight: 600; }
.draft { white-space: pre-wrap; background: #fafafa; border: 1px solid #ddd; padding: .6rem; }
mark { background: #ffe28a; }
"""
_CSP = "default-src 'none'; style-src 'unsafe-inline'"
_WIDTH, _HEIGHT = 340, 182
_LEFT, _RIGHT, _TOP, _BOTTOM = 48, 14, 12, 46  # the bottom margin holds each named run's id and date


def html_report(run: EvalRun, history: Sequence[EvalRun], baseline: EvalRun | None = None) -> str:
    """The report of `run`, charting each suite-level score over `history` (oldest first) and
    `run`; with `baseline` (`--compare`), each score beside that run's. What failed comes first:
    the failures, then the suites that failed, each table's failing scores before the rest."""
    runs = [*history, run]
    flats = [r.flat_scores() for r in runs]
    before = baseline.flat_scores() if baseline is not None else None
    suites = sorted(run.suites, key=lambda suite: suite.passed)  # stable: failing suites first, in order
    sections = [_suite_section(suite, runs, flats, before) for suite in suites]
    title = f"Eval run {run.id}"
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"{_header(run, baseline)}\n{_failures(run)}\n{''.join(sections)}\n</body>\n</html>\n"
    )


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _num(value: float) -> str:
    return f"{round(value, 3):g}" if math.isfinite(value) else str(value)


def _verdict(passed: bool) -> str:
    return '<span class="pass">PASS</span>' if passed else '<span class="fail">FAIL</span>'


def _status(score: Score) -> str:
    """PASS or FAIL against a threshold; a score without one (the judge's, the cost where no
    suite bounds it) is reported, not passed."""
    if score.informational or score.threshold is None:
        return '<span class="info">informational</span>'
    return _verdict(score.passed)


def _when(run: EvalRun) -> str:
    """A run's date and time to the minute, as the charts and the header show it."""
    return run.created_at[:16].replace("T", " ")


def _header(run: EvalRun, baseline: EvalRun | None) -> str:
    rows = [
        ("Run", _e(run.id)),
        ("Time", _e(run.created_at)),
        ("Provider", _e(run.provider)),
        ("Model", _e(run.model)),
        ("Duration", f"{_num(run.seconds)} s"),
        ("Result", _verdict(run.passed)),
    ]
    if baseline is not None:
        rows.append(("Compared with", f"{_e(baseline.id)} of {_e(_when(baseline))} ({_verdict(baseline.passed)})"))
    body = "".join(f"<tr><td>{name}</td><td>{value}</td></tr>" for name, value in rows)
    return f'<h1>Eval run {_e(run.id)} {_verdict(run.passed)}</h1>\n<table class="meta">{body}</table>'


def _scores_table(scores: Iterable[Score], prefix: str, before: Mapping[str, float] | None) -> str:
    """A table of scores, the failing ones first; with `before`, the baseline's value of each
    (named `prefix/score` there) and the change."""
    rows = []
    for score in sorted(scores, key=lambda score: score.passed):
        threshold = _e(score.threshold.describe()) if score.threshold else "&mdash;"
        detail = f'<div class="detail">{_e(score.detail)}</div>' if score.detail else ""
        compared = ""
        if before is not None:
            old = before.get(f"{prefix}/{score.name}")
            compared = (
                f'<td class="num">{_num(old)}</td><td class="num">{_change(score.value - old)}</td>'
                if old is not None
                else "<td>&mdash;</td><td>&mdash;</td>"
            )
        rows.append(
            f'<tr><td>{_e(score.name)}{detail}</td><td class="num">{_num(score.value)}</td>'
            f"<td>{threshold}</td><td>{_status(score)}</td>{compared}</tr>"
        )
    baseline_head = "<th>Before</th><th>Change</th>" if before is not None else ""
    head = f"<tr><th>Score</th><th>Value</th><th>Threshold</th><th>Status</th>{baseline_head}</tr>"
    return f"<table>{head}{''.join(rows)}</table>"


def _change(delta: float) -> str:
    return f"{delta:+.3g}" if math.isfinite(delta) else str(delta)


def _suite_section(
    suite: SuiteResult,
    runs: Sequence[EvalRun],
    flats: Sequence[Mapping[str, float]],
    before: Mapping[str, float] | None,
) -> str:
    charts = "".join(
        _line_chart(
            f"{suite.suite}/{score.name}",
            [flat.get(f"{suite.suite}/{score.name}") for flat in flats],
            runs,
            score.threshold,
        )
        for score in suite.scores
    )
    cases = "".join(
        f"<h4>Case {_e(case.case)} {_verdict(case.passed)}</h4>"
        f"{_scores_table(case.scores, f'{suite.suite}/{case.case}', before)}"
        for case in sorted(suite.cases, key=lambda case: case.passed)
    )
    return (
        f"<section>\n<h2>Suite {_e(suite.suite)} <small>({_e(suite.kind)})</small> {_verdict(suite.passed)}</h2>\n"
        f'{_scores_table(suite.scores, suite.suite, before)}\n<div class="charts">{charts}</div>\n'
        + (f"<h3>Cases</h3>\n{cases}\n" if cases else "")
        + "</section>\n"
    )


def _line_chart(name: str, values: Sequence[float | None], runs: Sequence[EvalRun], threshold: Threshold | None) -> str:
    """A small SVG line chart of one score per run (x = run index, the first and last named by
    id and date), threshold dashed, the latest point highlighted."""
    points = [(i, v) for i, v in enumerate(values) if v is not None and math.isfinite(v)]
    limits = [b for b in (threshold.min, threshold.max) if b is not None] if threshold else []
    bounds = [v for _, v in points] + limits or [0.0]
    low, high = min(bounds), max(bounds)
    pad = (high - low) * 0.08 or 0.5  # keep points and thresholds off the frame
    plot_w, plot_h = _WIDTH - _LEFT - _RIGHT, _HEIGHT - _TOP - _BOTTOM
    last = max(len(values) - 1, 1)

    def x(index: int) -> float:
        return _LEFT + (plot_w * index / last if len(values) > 1 else plot_w / 2)

    def y(value: float) -> float:
        return _TOP + plot_h * (high + pad - value) / (high - low + 2 * pad)

    bottom, right = _TOP + plot_h, _LEFT + plot_w
    parts = [
        f'<line x1="{_LEFT}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#888"/>',
        f'<line x1="{_LEFT}" y1="{_TOP}" x2="{_LEFT}" y2="{bottom}" stroke="#888"/>',
        *(f'<text x="{_LEFT - 4}" y="{y(v) + 4:.1f}" text-anchor="end">{_num(v)}</text>' for v in {low, high}),
        *(
            _tick(x(index), bottom, runs[index], anchor)
            for index, anchor in ([(0, "start"), (len(runs) - 1, "end")] if len(runs) > 1 else [(0, "middle")])
        ),
        f'<text x="{_LEFT + plot_w / 2:.1f}" y="{_HEIGHT - 4}" text-anchor="middle">run</text>',
        f'<text x="12" y="{_TOP + plot_h / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 12 {_TOP + plot_h / 2:.1f})">value</text>',
    ]
    for bound in limits:
        parts.append(
            f'<line class="threshold" x1="{_LEFT}" y1="{y(bound):.1f}" x2="{right}" y2="{y(bound):.1f}" '
            f'stroke="#b3141b" stroke-dasharray="5 4"><title>threshold {_num(bound)}</title></line>'
        )
    if len(points) > 1:
        coords = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in points)
        parts.append(f'<polyline points="{coords}" fill="none" stroke="#2b6cb0" stroke-width="2"/>')
    for i, v in points:
        latest = i == len(values) - 1
        style = 'r="5" fill="#f59e0b" stroke="#222" class="latest"' if latest else 'r="3" fill="#2b6cb0"'
        label = f"{'latest: ' if latest else ''}run {i + 1} ({runs[i].id}, {_when(runs[i])}): {_num(v)}"
        parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" {style}><title>{_e(label)}</title></circle>')
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{_HEIGHT}" '
        f'viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" aria-label="{_e(name)} per run" '
        f'font-size="11" font-family="sans-serif"><title>{_e(name)}</title>{"".join(parts)}</svg>'
    )
    return f"<figure>{svg}<figcaption>{_e(name)}</figcaption></figure>"


def _tick(x: float, bottom: float, run: EvalRun, anchor: str) -> str:
    """A run named under the x axis: its id, and its date below."""
    return (
        f'<text x="{x:.1f}" y="{bottom + 13}" text-anchor="{anchor}">{_e(run.id)}</text>'
        f'<text x="{x:.1f}" y="{bottom + 25}" text-anchor="{anchor}" class="date">{_e(_when(run))}</text>'
    )


def _failures(run: EvalRun) -> str:
    """What failed, before anything else: each score under its threshold, then each failing
    case's drafts."""
    scores = [(f"{suite.suite}/{score.name}", score) for suite in run.suites for score in suite.scores]
    scores += [
        (f"{suite.suite}/{case.case}/{score.name}", score)
        for suite in run.suites
        for case in suite.cases
        for score in case.scores
    ]
    failed = "".join(
        f"<li><code>{_e(name)}</code> {_num(score.value)}, "
        f"needs {_e(score.threshold.describe() if score.threshold else '')}</li>"
        for name, score in scores
        if not score.passed
    )
    blocks = [
        f"<h3>{_e(suite.suite)} / {_e(case.case)}</h3>\n{_case_failures(case)}"
        for suite in run.suites
        for case in suite.cases
        if not case.passed
    ]
    body = (f"<ul>{failed}</ul>\n" if failed else "") + "\n".join(blocks)
    return "<section>\n<h2>Failures</h2>\n" + (body or "<p>None.</p>") + "\n</section>"


def _case_failures(case: CaseResult) -> str:
    if not case.failing:
        return "<p>No failing drafts recorded.</p>"
    return "\n".join(_draft(draft) for draft in case.failing)


def _draft(draft: FailingDraft) -> str:
    problems = "".join(f"<li>{_e(problem)}</li>" for problem in draft.problems)
    flagged = "".join(_flag_row(flag) for flag in draft.flagged if isinstance(flag, Mapping))
    head = "<tr><th>Statistic</th><th>Status</th><th>Reason</th><th>Nearest claim</th><th>Sources</th></tr>"
    return (
        f"<h4>Draft {_e(draft.draft_id)}</h4>\n"
        f'<div class="draft">{_highlight(draft.text, draft.flagged)}</div>\n'
        + (f"<ul>{problems}</ul>\n" if problems else "")
        + (f"<table>{head}{flagged}</table>\n" if flagged else "")
    )


def _offset(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _spans(text: str, flagged: Iterable[Any]) -> list[tuple[int, int]]:
    """Valid, merged (start, end) spans; a flag with unusable offsets falls back to finding its text."""
    spans: list[tuple[int, int]] = []
    for flag in flagged:
        if not isinstance(flag, Mapping):
            continue
        start, end = _offset(flag.get("start")), _offset(flag.get("end"))
        if start is None or end is None or not 0 <= start < end <= len(text):
            needle = str(flag.get("text") or "")
            found = text.find(needle) if needle else -1
            if found < 0:
                continue
            start, end = found, found + len(needle)
        spans.append((start, end))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _highlight(text: str, flagged: Iterable[Any]) -> str:
    out: list[str] = []
    cursor = 0
    for start, end in _spans(text, flagged):
        out += [_e(text[cursor:start]), f"<mark>{_e(text[start:end])}</mark>"]
        cursor = end
    out.append(_e(text[cursor:]))
    return "".join(out)


def _flag_row(flag: Mapping[str, Any]) -> str:
    claim = flag.get("claim")
    claim_cell = "&mdash;"
    if isinstance(claim, Mapping):
        where = " ".join(_e(claim[k]) for k in ("id", "section") if claim.get(k))
        claim_cell = _e(claim.get("text") or "") + (f' <span class="detail">({where})</span>' if where else "")
    sources = flag.get("sources")
    links = [_source(s) for s in sources if isinstance(s, Mapping)] if isinstance(sources, list) else []
    return (
        f"<tr><td><code>{_e(flag.get('text') or '')}</code></td><td>{_e(flag.get('status') or '')}</td>"
        f"<td>{_e(flag.get('reason') or '')}</td><td>{claim_cell}</td>"
        f"<td>{'<br>'.join(links) or '&mdash;'}</td></tr>"
    )


def _source(source: Mapping[str, Any]) -> str:
    url = str(source.get("url") or "").strip()
    title = str(source.get("title") or url or "source")
    publisher = f' <span class="detail">({_e(source["publisher"])})</span>' if source.get("publisher") else ""
    try:
        parts = urlsplit(url)
        linkable = parts.scheme.lower() in ("http", "https") and bool(parts.netloc)
    except ValueError:
        linkable = False
    if not linkable:
        shown = f" <code>{_e(url)}</code>" if url and url != title else ""
        return f"{_e(title)}{shown}{publisher}"
    return f'<a href="{_e(url)}" rel="noopener noreferrer">{_e(title)}</a>{publisher}'
