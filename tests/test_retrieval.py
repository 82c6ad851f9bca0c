"""The facts a prompt carries: the angle's own section first, each figure once, no author fact."""

from __future__ import annotations

import pytest

from angleforge.angles import angles, topic_angle
from angleforge.retrieval import FactIndex, heading


@pytest.fixture(scope="module")
def index(seed_kb):
    return FactIndex(seed_kb)


def angle_named(kb, name):
    return next(a for a in angles(kb) if a.name == name)


def test_an_angle_carries_its_own_sections_claims_first_in_the_briefs_order(seed_kb, index):
    facts = index.for_angle(angle_named(seed_kb, "the-300ms-rule"), 12)
    own = [fact for fact in facts if fact.home]
    assert [f.id for f in facts] == [f"F{n}" for n in range(1, len(facts) + 1)]
    assert facts[: len(own)] == own and len(own) == 10
    assert {heading(f.claim.section) for f in own} == {"The Voice Latency Problem"}
    texts = [f.text for f in own]
    assert texts.index("Speech-to-Text: 100-300ms") < texts.index(
        "Total: 500-1,600ms (often exceeding acceptable threshold)"
    )
    # the hook's words are about cost projections; the section is what the angle is about
    assert any("hang up 40% more frequently" in text for text in texts)


def test_a_fact_reads_with_its_section_and_the_caption_or_label_it_sits_under(seed_kb, index):
    facts = {f.text: f for f in index.for_angle(angle_named(seed_kb, "the-300ms-rule"), 12)}
    assert facts["Total: 500-1,600ms (often exceeding acceptable threshold)"].where == (
        "The Voice Latency Problem › Production reality"
    )
    assert facts["Above 800ms, conversations feel awkward."].where == "The Voice Latency Problem › The 300ms rule"
    assert facts["Above 800ms, conversations feel awkward."].sources[:2] == ("Trillet", "Twilio")


def test_the_same_figure_counts_once_and_a_range_end_is_no_restatement(seed_kb, index):
    facts = index.for_angle(angle_named(seed_kb, "why-40-will-fail"), 12)
    gartner = [f for f in facts if "40%" in f.text]
    assert len(gartner) == 1 and "Gartner" in gartner[0].sources  # the claim names Gartner itself
    latency = [f.text for f in index.for_angle(angle_named(seed_kb, "the-300ms-rule"), 12)]
    # "within 300ms" is not "Speech-to-Text: 100-300ms", "Above 800ms" not "LLM Inference: 200-800ms"
    assert any("within 300ms" in text for text in latency) and any("Above 800ms" in text for text in latency)


def test_the_authors_facts_take_no_slot(seed_kb, index):
    author = {claim.id for claim in seed_kb.author_claims}
    for angle in angles(seed_kb):
        assert not [f for f in index.for_angle(angle, 12) if f.claim.id in author], angle.name


def test_beside_its_own_section_an_angle_gets_only_claims_that_really_match_it(seed_kb, index):
    facts = index.for_angle(angle_named(seed_kb, "why-40-will-fail"), 12)
    assert [f.text for f in facts if not f.home] == ["Failing to define clear success metrics upfront"]
    multimodal = index.for_angle(angle_named(seed_kb, "multimodal-in-production"), 40)
    assert all(f.home for f in multimodal)  # the latency claims its "latency" finds stay out


def test_a_topic_is_about_a_section_where_most_of_its_best_claims_stand(seed_kb, index):
    latency = topic_angle("voice AI latency in production", "thread")
    assert heading(index.home_section(latency) or "") == "The Voice Latency Problem"
    texts = " ".join(f.text for f in index.for_angle(latency, 12))
    for wanted in ("Speech-to-Text", "LLM Inference", "Telephony paths", "Total", "Above 1,500ms", "hang up 40%"):
        assert wanted in texts
    assert index.home_section(topic_angle("how to hire a team", "thread")) is None
    assert index.for_angle(topic_angle("how to hire a team", "thread"), 12) == []
