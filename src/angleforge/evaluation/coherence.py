"""Whether a draft holds together: it draws on one section of the brief, and pastes none of
the labels the brief files its notes under.

A draft on latency that quotes an accuracy figure has mixed two topics, whatever each
sentence says on its own; "The hidden cost: ..." or "Translation: ..." is the brief's filing,
not a post. A figure counts for every section whose sourced claims state it (two sections
may state the same "40%+ by 2027"), a sentence for the section of the claim it quotes word
for word; the author's own facts belong to none.
"""

from __future__ import annotations

import re

from angleforge.evaluation.scorers import ScoredDraft
from angleforge.knowledge import KnowledgeBase
from angleforge.labels import paragraph_label, split_label
from angleforge.quantities import extract
from angleforge.quantities.structure import THREAD_MARKER
from angleforge.retrieval import heading

# a claim shorter than this quoted word for word may well be a phrase any section uses
_QUOTED_CHARS = 30
_LINE_START_RE = re.compile(rf"(?m)(?:^|(?<=[.!?]\s))\s*(?:{THREAD_MARKER}\s+)?(?:-\s+)?")


class Coherence:
    """The sections and labels of one knowledge base, to judge drafts by."""

    def __init__(self, kb: KnowledgeBase) -> None:
        author = {claim.id for claim in kb.author_claims}
        self._claims = [c for c in kb.claims if c.sourced and c.id not in author]
        # each claim as a draft would quote it: without its label, its white space folded
        bodies = ((" ".join(split_label(c.text)[1].split()), c.section) for c in self._claims)
        self._quotable = [(body, section) for body, section in bodies if len(body) >= _QUOTED_CHARS]
        # the author's own lines are theirs to post as they stand ("I come from an infrastructure background: ...")
        labels = {label.lower() for c in kb.claims if c.id not in author and (label := paragraph_label(c))}
        # a thread's closing "Sources:" line is a rule of the format, whatever a brief files under it
        self._labels = sorted(labels - {"source", "sources"}, key=len)

    def sections(self, text: str) -> tuple[list[set[str]], set[str]]:
        """The sections each figure of `text` could come from, and those of the claims it quotes."""
        figures = []
        for quantity in extract(text):
            if quantity.kind == "year":
                continue
            stating = {c.section for c in self._claims if any(quantity.states_same(q) for q in c.statistics)}
            if stating:
                figures.append(stating)
        flat = " ".join(text.split())
        quoted = {section for body, section in self._quotable if body in flat}
        return figures, quoted

    def rule(self, draft: ScoredDraft) -> list[str]:
        problems = []
        figures, quoted = self.sections(draft.text)
        candidates = set.intersection(*figures) if figures else None
        if quoted:
            candidates = quoted if candidates is None else candidates & quoted
            if len(quoted) > 1:
                candidates = set()
        if candidates is not None and not candidates:
            drawn = sorted({heading(s) for group in [*figures, quoted] for s in group})
            problems.append(f"draws on more than one section: {'; '.join(drawn)}")
        pasted = self.pasted_labels(draft.text)
        problems.extend(f"pastes the brief's label {label!r}" for label in pasted)
        return problems

    def pasted_labels(self, text: str) -> list[str]:
        """The brief's paragraph labels a line or sentence of `text` opens with."""
        found: list[str] = []
        for start in _LINE_START_RE.finditer(text):
            opening = text[start.end() : start.end() + 60].lower()
            found.extend(f"{label}:" for label in self._labels if opening.startswith(f"{label}:"))
        return sorted(set(found))
