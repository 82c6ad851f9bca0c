"""The terminal view of a check: where each flagged statistic is, marked in its line, the
numbers that assert nothing on lines of their own, and a view that grows with the draft, not
with the draft times its flags."""

from __future__ import annotations

import re
import time

from hypothesis import given
from hypothesis import strategies as st

from angleforge.findings import CheckResult, Finding
from angleforge.render import Style, check_result
from angleforge.statuses import FindingStatus

PLAIN = Style(False)


def flag(
    text: str,
    start: int,
    end: int,
    status: FindingStatus = FindingStatus.UNSUPPORTED,
    reason: str = "no claim states it",
) -> Finding:
    return Finding(text=text[start:end], start=start, end=end, status=status, reason=reason, claim=None, sources=[])


def option(text: str, start: int, end: int) -> Finding:
    return flag(text, start, end, FindingStatus.NOT_A_CLAIM, "an answer the question offers, not a claim")


def grounded(text: str, start: int, end: int) -> Finding:
    return flag(text, start, end, FindingStatus.GROUNDED, "backed by 'a claim'")


def view(text: str, spans: list[tuple[int, int]]) -> str:
    return check_result(CheckResult.of([flag(text, start, end) for start, end in spans], "d.md"), text, PLAIN)


def test_each_flagged_line_is_shown_once_with_its_statistics_marked():
    text = "Intro 12% here.\nnothing\n\nBoth 40% and 3x.\n"
    spans = [(6, 9), (30, 33), (38, 40)]
    assert view(text, spans).splitlines() == [
        "d.md: flagged (3 of 3 statistics)",
        "     1 | Intro [12%] here.",
        "     4 | Both [40%] and [3x].",
        "  1:7 12% unsupported: no claim states it",
        "  4:6 40% unsupported: no claim states it",
        "  4:14 3x unsupported: no claim states it",
    ]


def test_numbers_that_assert_nothing_are_listed_apart_and_not_counted_as_grounded():
    text = "Is it 99%, 99.9% or 100%?"
    result = CheckResult.of([option(text, 6, 9), option(text, 11, 16), option(text, 20, 24)], "d.md")
    assert result.verdict == "pass"
    assert check_result(result, text, PLAIN).splitlines() == [
        "d.md: pass (no statistic; 3 numbers that assert nothing)",
        "  1:7 not a claim: 99% — an answer the question offers, not a claim",
        "  1:12 not a claim: 99.9% — an answer the question offers, not a claim",
        "  1:21 not a claim: 100% — an answer the question offers, not a claim",
    ]


def test_a_passing_draft_counts_its_grounded_statistics_apart_from_its_answer_options():
    text = "Replies take 300ms.\nIs it 99% or 100%?"
    findings = [grounded(text, 13, 18), option(text, 26, 29), option(text, 33, 37)]
    assert check_result(CheckResult.of(findings, "d.md"), text, PLAIN).splitlines() == [
        "d.md: pass (1 statistic grounded; 2 numbers that assert nothing)",
        "  2:7 not a claim: 99% — an answer the question offers, not a claim",
        "  2:14 not a claim: 100% — an answer the question offers, not a claim",
    ]


def test_a_flagged_draft_shows_its_answer_options_unmarked_after_its_flags():
    text = "Replies take 250ms. Is it 99%?\n99.9%?"
    findings = [flag(text, 13, 18), option(text, 26, 29), option(text, 31, 36)]
    assert check_result(CheckResult.of(findings, "d.md"), text, PLAIN).splitlines() == [
        "d.md: flagged (1 of 1 statistics; 2 numbers that assert nothing)",
        "     1 | Replies take [250ms]. Is it 99%?",
        "  1:14 250ms unsupported: no claim states it",
        "  1:27 not a claim: 99% — an answer the question offers, not a claim",
        "  2:1 not a claim: 99.9% — an answer the question offers, not a claim",
    ]


@given(st.lists(st.text(alphabet="ab \n", max_size=12), min_size=1, max_size=12), st.data())
def test_every_position_is_the_line_and_column_the_text_puts_it_at(pieces, data):
    text = "".join(pieces) + "z"
    starts = sorted(set(data.draw(st.lists(st.integers(0, len(text) - 1), min_size=1, max_size=6))))
    shown = view(text, [(start, start + 1) for start in starts])
    positions = re.findall(r"^  (\d+):(\d+) ", shown, re.MULTILINE)
    expected = [(text.count("\n", 0, s) + 1, s - (text.rfind("\n", 0, s) + 1) + 1) for s in starts]
    assert [(int(line), int(column)) for line, column in positions] == expected
    numbered = [int(n) for n in re.findall(r"^ +(\d+) \| ", shown, re.MULTILINE)]
    assert numbered == sorted({line for line, _ in expected})


def seconds_to_view(lines: int) -> float:
    """The best of three views of a draft of `lines` lines, each with one flagged statistic."""
    text = "Teams report 40% fewer calls.\n" * lines
    result = CheckResult.of([flag(text, 30 * n + 13, 30 * n + 16) for n in range(lines)], "d.md")
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        check_result(result, text, PLAIN)
        best = min(best, time.perf_counter() - started)
    return best


def test_the_view_grows_linearly_with_the_flags_of_a_draft():
    # ten times the draft: ten times the time where the view is linear, a hundred where it was
    # quadratic (every flagged line scanned for every flag); a ratio, so a slow machine passes
    small, large = seconds_to_view(500), seconds_to_view(5_000)
    assert large / small < 30, f"{small * 1e3:.1f} ms for 500 lines, {large * 1e3:.1f} ms for 5,000"
