"""Unsourced figures are masked out of everything a prompt shows besides the facts."""

from __future__ import annotations

from angleforge.angles import angles
from angleforge.masking import UNSOURCED_MARK, FigureMask


def test_a_figure_no_source_states_is_masked_and_a_sourced_one_kept(seed_kb, guardrail):
    mask = FigureMask(seed_kb, guardrail)
    hook = next(a for a in angles(seed_kb) if a.name == "the-300ms-rule").hook
    assert mask.mask(hook) == (
        f"Call center AI will hit {UNSOURCED_MARK} by {UNSOURCED_MARK}. After 7 years in speech analytics, "
        "here's the number that matters more than any cost projection: 300 milliseconds."
    )


def test_a_figure_the_brief_states_only_without_a_source_is_masked_where_it_stands(seed_kb, guardrail):
    """ "Under 300ms" is the brief's unsourced synthesis; its sources say "within 300ms"."""
    mask = FigureMask(seed_kb, guardrail)
    assert mask.mask("Practitioners talk about getting latency under 300ms.") == (
        f"Practitioners talk about getting latency {UNSOURCED_MARK}."
    )
    assert mask.mask("Users expect responses within 300ms.") == "Users expect responses within 300ms."


def test_every_text_of_an_angle_is_masked(seed_kb, guardrail):
    mask = FigureMask(seed_kb, guardrail)
    angle = mask.angle(next(a for a in angles(seed_kb) if a.name == "the-last-1-problem"))
    assert angle.title == f"The Last {UNSOURCED_MARK} Problem"
    assert "99%" not in angle.hook and "1%" not in angle.hook
    assert angle.name == "the-last-1-problem"  # what the store keys by stays
