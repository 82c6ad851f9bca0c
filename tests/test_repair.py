"""What a repair prompt says of the draft it sends back."""

from __future__ import annotations

from angleforge.angles import angles
from angleforge.briefing import Briefer
from angleforge.checking import check_draft
from angleforge.formats import numbered
from angleforge.prompts import Prompts
from angleforge.repair import notes
from angleforge.statuses import FindingStatus

from .conftest import ROOT

POSTS = numbered(
    [
        "Users expect responses within 300ms. Above 1,500ms, they feel broken.",
        "Telephony alone adds 250-700ms on a bad day.",
        "Advertised 600ms latency becomes 800-1,000ms in production, per Gartner.",
        "x " * 150 + "\n\nSources: Twilio",
    ]
)


def test_each_rejected_statistic_comes_with_its_sentence_reason_and_the_briefs_wording(seed_kb, guardrail):
    angle = next(a for a in angles(seed_kb) if a.name == "the-300ms-rule")
    briefing = Briefer(seed_kb).brief(angle, "thread", fact_count=12)
    result = check_draft(guardrail, "thread", POSTS)
    found = notes(POSTS, result, briefing.facts)
    by_text = {item.text: item for item in found.rejected}
    assert by_text["250-700ms"].post == 2
    assert by_text["250-700ms"].sentence == "2/4 Telephony alone adds 250-700ms on a bad day."
    credited = by_text["600ms"]
    assert credited.status is FindingStatus.MISATTRIBUTED and credited.post == 3
    assert credited.instead is not None and credited.instead.fact_id is not None
    assert "Advertised 600ms latency" in credited.instead.text and "Trillet" in credited.instead.sources
    assert {item.text for item in found.kept} == {"within 300ms", "Above 1,500ms"}
    assert found.violations == ["post 4 is 321 characters as X counts them, over 280"]


def test_the_repair_prompt_quotes_and_keeps_what_it_should(seed_kb, guardrail):
    angle = next(a for a in angles(seed_kb) if a.name == "the-300ms-rule")
    briefing = Briefer(seed_kb).brief(angle, "thread", fact_count=12)
    found = notes(POSTS, check_draft(guardrail, "thread", POSTS), briefing.facts)
    text = Prompts(ROOT / "prompts").render("repair", **briefing.context(), notes=found)
    assert '- "250-700ms" in post 2, in: "2/4 Telephony alone adds 250-700ms on a bad day."' in text
    assert "Rejected (misattributed)" in text and "The brief's own wording (F" in text
    assert "Rules of the format it breaks:\n- post 4 is 321 characters" in text
    assert 'keep these figures, and the sentences they stand in, as they are: "within 300ms" (post 1)' in text
    assert "1. " not in text  # posts are not shown as a numbered list beside their own 1/4
