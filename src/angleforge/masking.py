"""Figures no cited source states, blanked out of what a prompt shows.

A brief's own hooks and notes carry numbers its sources never give ("Call center AI will hit
$10B by 2032"). Shown to a model as the author's hook, such a number reads as usable, the
model writes it, and the guardrail sends the draft back. So every text a prompt shows besides
the facts (the angle's title, hook, value and call to action, the author's example posts)
goes through `FigureMask`, and the system prompt says what the mark means.

A figure is unsourced where no statistic of a sourced claim states it (what `kb audit` lists),
and where the guardrail, reading it in its sentence, finds the brief states it only without a
source: "getting latency under 300ms" is the brief's unsourced synthesis, not the sourced
"within 300ms".
"""

from __future__ import annotations

from dataclasses import replace

from angleforge.angles import Angle
from angleforge.audit import sourced_statistics
from angleforge.guardrail import Guardrail
from angleforge.knowledge import KnowledgeBase
from angleforge.quantities import Quantity, extract
from angleforge.statuses import FindingStatus

UNSOURCED_MARK = "[unsourced figure]"


class FigureMask:
    """Knows the statistics the knowledge base's cited sources state; blanks out the others."""

    def __init__(self, kb: KnowledgeBase, guardrail: Guardrail | None = None) -> None:
        self._sourced = sourced_statistics(kb)
        self._guardrail = guardrail or Guardrail(kb)
        self._masked: dict[str, str] = {}  # a run shows the same hooks in every draft's prompt

    def unsourced(self, text: str) -> list[Quantity]:
        """The statistics of `text` that no cited source states."""
        unsourced_here = {f.start for f in self._guardrail.findings(text) if f.status is FindingStatus.UNSOURCED}
        return [
            q for q in extract(text) if q.start in unsourced_here or not any(q.states_same(s) for s in self._sourced)
        ]

    def mask(self, text: str) -> str:
        """`text` with each unsourced statistic replaced by `UNSOURCED_MARK`."""
        if text not in self._masked:
            masked = text
            for quantity in reversed(self.unsourced(text)):
                masked = masked[: quantity.start] + UNSOURCED_MARK + masked[quantity.end :]
            self._masked[text] = masked
        return self._masked[text]

    def angle(self, angle: Angle) -> Angle:
        """The angle as a prompt shows it: every text of it masked."""
        return replace(
            angle,
            title=self.mask(angle.title),
            hook=self.mask(angle.hook),
            value=self.mask(angle.value),
            cta=self.mask(angle.cta),
        )
