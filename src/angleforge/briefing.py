"""What a prompt on an angle shows the model, gathered once per draft.

The angle with every unsourced figure masked, the facts retrieval chose (its own section's
first), the author's drafted posts nearest the angle (masked too), the format's rules, and
which of a run's drafts on the angle this is, with the fact it should open on, so that a
run's posts and questions on one angle are different posts.
"""

from __future__ import annotations

from dataclasses import dataclass

from angleforge.angles import Angle, Example, Format, examples, nearest_examples
from angleforge.formats import RULES, FormatRules
from angleforge.guardrail import Guardrail
from angleforge.knowledge import KnowledgeBase
from angleforge.masking import UNSOURCED_MARK, FigureMask
from angleforge.retrieval import Fact, FactIndex

EXAMPLES_SHOWN = 3


@dataclass(frozen=True, slots=True, kw_only=True)
class Briefing:
    angle: Angle  # its unsourced figures masked
    format: Format
    facts: list[Fact]
    examples: list[Example]  # the author's posts nearest the angle, masked
    rules: FormatRules
    author: list[str]  # the author's own facts, for the system prompt
    variant: int  # which of the run's drafts on this angle and format, from 0
    focus: Fact | None  # the fact a later variant opens on, where the first took the hook

    @property
    def home_facts(self) -> int:
        """How many of the facts, from the first, come from the angle's own section."""
        return sum(1 for fact in self.facts if fact.home)

    def context(self) -> dict[str, object]:
        """The variables every template renders with."""
        return {
            "angle": self.angle,
            "format": self.format,
            "facts": self.facts,
            "home_facts": self.home_facts,
            "examples": self.examples,
            "rules": self.rules,
            "author": self.author,
            "variant": self.variant,
            "focus": self.focus,
            "unsourced_mark": UNSOURCED_MARK,
        }


class Briefer:
    """Builds the briefing of each draft from one knowledge base."""

    def __init__(self, kb: KnowledgeBase, index: FactIndex | None = None, guardrail: Guardrail | None = None) -> None:
        self.index = index or FactIndex(kb)
        self.mask = FigureMask(kb, guardrail)
        self._examples = examples(kb)
        self._author = [claim.text for claim in kb.author_claims]

    def brief(self, angle: Angle, format: Format, *, fact_count: int, variant: int = 0) -> Briefing:
        facts = self.index.for_angle(angle, fact_count)
        nearest = nearest_examples(self._examples, angle, EXAMPLES_SHOWN)
        return Briefing(
            angle=self.mask.angle(angle),
            format=format,
            facts=facts,
            examples=[Example(kind=example.kind, text=self.mask.mask(example.text)) for example in nearest],
            rules=RULES[format],
            author=self._author,
            variant=variant,
            focus=_focus(facts, format, variant),
        )


def _focus(facts: list[Fact], format: Format, variant: int) -> Fact | None:
    """The fact a run's later post or question on an angle opens on: the first takes the
    angle's hook, the next ones the figures of its own section in turn. A thread uses them all."""
    if format == "thread" or variant == 0:
        return None
    figures = [f for f in facts if f.home and f.claim.statistics] or [f for f in facts if f.claim.statistics]
    return figures[(variant - 1) % len(figures)] if figures else None
