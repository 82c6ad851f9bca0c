"""The terminal view of a check: where each flagged statistic is, marked in its line, and a
view that grows with the draft, not with the draft times its flags."""

from __future__ import annotations

import re
import time

from hypothesis import given
from hypothesis import strategies as st

from angleforge.findings import CheckResult, Finding
from angleforge.render import Style, check_result
from angleforge.statuses import FindingStatus

PLAIN = Style(False)


def flag(text: str, start: int, end: int) -> Finding:
    return Finding(
        text=text[start:end],
        start=start,
        end=end,
        status=FindingStatus.UNSUPPORTED,
        reason="no claim states it",
        claim=None,
        sources=[],
    )


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
