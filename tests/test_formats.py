"""The rules of each X format: how X counts, the thread numbering, and the violations found."""

from __future__ import annotations

import pytest

from angleforge.formats import LINK_WEIGHT, POST_LIMIT, findings, numbered, post_length, violations
from angleforge.statuses import FindingStatus


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("plain text", 10),
        ("see https://example.com/a/very/long/path/that/goes/on/and/on", 4 + LINK_WEIGHT),
        ("www.example.com", LINK_WEIGHT),
        ("latency — the real one", 22),  # an em dash weighs 1
        ("voice → chat", 13),  # an arrow weighs 2
        ("✅ done", 7),
        ("❤️", 2),  # a heart and its variation selector: one emoji
        ("延迟", 4),
    ],
)
def test_a_posts_length_is_counted_as_x_counts_it(text, length):
    assert post_length(text) == length


def test_a_thread_is_numbered_by_its_own_post_count():
    assert numbered(["a", "b", "c"]) == ["1/3 a", "2/3 b", "3/3 c"]


THREAD = numbered(["Hook.", "Body.", "More.", "Close.\n\nSources: Twilio, Trillet"])


def test_a_thread_that_keeps_the_rules_has_no_violation():
    assert violations("thread", THREAD) == []


@pytest.mark.parametrize(
    ("posts", "rule", "post"),
    [
        (
            [f"{i}/6 {text}" for i, text in enumerate(["Hook.", "Body.", "More.", "Close.\n\nSources: X"], 1)],
            "post 1 opens with '1/6': a thread of 4 posts numbers it 1/4",
            0,
        ),
        ([*THREAD[:3], "Close.\n\nSources: X"], "post 4 has no numbering: a thread of 4 posts numbers it 4/4", 3),
        ([*THREAD[:3], "4/4 Close."], 'the last post of a thread ends with a "Sources:" line', 3),
        (THREAD[:2], "a thread is 4 to 12 posts; this draft has 2", None),
        (
            [*THREAD[:3], "4/4 " + "x" * 290 + "\n\nSources: X"],
            "post 4 is 306 characters as X counts them, over 280",
            3,
        ),
    ],
)
def test_each_broken_thread_rule_is_named_with_its_post(posts, rule, post):
    found = violations("thread", posts)
    assert any(v.rule == rule and v.post == post for v in found), found


def test_a_single_post_is_one_post_without_thread_numbering():
    assert [v.rule for v in violations("post", ["1/3 The first of three."])] == [
        "a post is not a thread: it carries no numbering like '1/3'"
    ]
    assert [v.rule for v in violations("post", ["One.", "Two."])] == ["a post is one post; this draft has 2"]


def test_a_question_ends_on_its_question_mark_an_aside_may_follow():
    assert violations("question", ["What's your P95? (Not advertised, actual production.)"]) == []
    assert [v.rule for v in violations("question", ["Tell me your P95."])] == [
        "a question post ends with its question mark"
    ]


def test_findings_point_at_the_offending_post_in_the_draft_text():
    posts = ["Short.", "x" * (POST_LIMIT + 1)]
    [finding] = [f for f in findings("post", posts) if f.reason.startswith("post 2")]
    assert finding.status is FindingStatus.FORMAT and finding.flags
    assert (finding.start, finding.end) == (len("Short.") + 2, len("Short.") + 2 + POST_LIMIT + 1)
    assert finding.text == posts[1] and finding.claim is None
    [whole] = [f for f in findings("post", posts) if f.reason.startswith("a post is one post")]
    assert (whole.start, whole.end) == (0, len("Short.\n\n") + POST_LIMIT + 1)
