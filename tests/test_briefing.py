"""What the prompts show the model: the masked angle, the facts, the author's posts, the rules."""

from __future__ import annotations

import pytest

from angleforge.angles import angles, topic_angle
from angleforge.briefing import Briefer
from angleforge.masking import UNSOURCED_MARK
from angleforge.prompts import Prompts

from .conftest import ROOT


@pytest.fixture(scope="module")
def briefer(seed_kb):
    return Briefer(seed_kb)


@pytest.fixture(scope="module")
def prompts():
    return Prompts(ROOT / "prompts")


def angle_named(kb, name):
    return next(a for a in angles(kb) if a.name == name)


def render(prompts, briefing):
    context = briefing.context()
    return prompts.render("system", **context), prompts.render(briefing.format, **context)


def test_no_unsourced_figure_reaches_a_prompt_as_usable(seed_kb, briefer, prompts):
    for angle in angles(seed_kb):
        for fmt in ("thread", "post", "question"):
            system, user = render(prompts, briefer.brief(angle, fmt, fact_count=12))
            for unsourced in ("$10B", "$80B", "2032", "99%", "only 3 ", "20-year"):
                assert unsourced not in user, (angle.name, fmt, unsourced)
            assert UNSOURCED_MARK in system  # and the system prompt says what the mark means


def test_a_thread_prompt_shows_the_masked_hook_facts_with_their_section_and_the_rules(seed_kb, briefer, prompts):
    _, user = render(prompts, briefer.brief(angle_named(seed_kb, "the-300ms-rule"), "thread", fact_count=12))
    assert f"The author's hook for it: Call center AI will hit {UNSOURCED_MARK} by {UNSOURCED_MARK}." in user
    assert (
        "- F7 [The Voice Latency Problem › Production reality] Total: 500-1,600ms (often exceeding acceptable "
        "threshold) (Trillet, Twilio, AssemblyAI, Cresta)"
    ) in user
    assert "F1 to F10 come from the brief's section on this angle" in user
    assert "a thread of 6 posts runs 1/6, 2/6, ... 6/6" in user and "1/4" not in user
    assert "a link counts 23" in user and "the last post ends on the call to action" in user.lower()


def test_the_authors_posts_are_real_posts_near_the_angle(seed_kb, briefer, prompts):
    _, user = render(prompts, briefer.brief(angle_named(seed_kb, "multimodal-in-production"), "thread", fact_count=12))
    shown = user.split("Posts the author drafted", 1)[1].split("Rules:", 1)[0]
    assert "Multimodal AI lets customers switch" in shown
    for note in ("Value:", "Content angles:", "10+ ready to deploy", '"The 300ms Rule"', "Lines:"):
        assert note not in shown
    assert shown.count("\n- ") == 3


def test_a_topic_has_no_call_to_action_to_end_on(seed_kb, briefer, prompts):
    _, user = render(
        prompts, briefer.brief(topic_angle("voice AI latency in production", "thread"), "thread", fact_count=12)
    )
    assert "call to action" not in user.lower() and "ends on the practitioner's point" in user


def test_a_later_question_on_an_angle_is_asked_about_another_fact(seed_kb, briefer, prompts):
    angle = angle_named(seed_kb, "for-those-running-voice-ai-in")
    first = render(prompts, briefer.brief(angle, "question", fact_count=12, variant=0))[1]
    second = briefer.brief(angle, "question", fact_count=12, variant=1)
    third = briefer.brief(angle, "question", fact_count=12, variant=2)
    assert "This is question" not in first and "What's your P95 latency?" in first
    assert second.focus is not None and third.focus is not None and second.focus != third.focus
    assert f"Ground this one in {second.focus.id}" in render(prompts, second)[1]
