"""A provider that posts each angle's hook as the brief writes it, unsourced figures and all.

The brief's own hooks carry numbers its sources never state ("$10B by 2032"), so some of its
drafts are flagged: what the tests of review, export and the repair loop need, whatever the
offline `library` provider does (it leaves such numbers out). A repair gets the same hook
again, so a flagged draft stays flagged, unless the writer is told to repair as the library
provider does.
"""

from __future__ import annotations

import json

import pytest

from angleforge.angles import angles
from angleforge.drafts import Completion, DraftReply, DraftRequest
from angleforge.formats import numbered
from angleforge.knowledge import KnowledgeBase
from angleforge.providers import registry
from angleforge.providers.library import LibraryProvider


class BriefHooks(LibraryProvider):
    def __init__(self, kb: KnowledgeBase, *, repairs: bool = False) -> None:
        super().__init__(kb)
        self._angles = {angle.name: angle for angle in angles(kb)}
        self._author_lines = [claim.text for claim in kb.author_claims]
        self._repairs = repairs

    async def complete(self, request: DraftRequest) -> Completion:
        if self._repairs and request.previous:
            return await super().complete(request)
        angle = self._angles.get(request.angle.name, request.angle)  # the brief's, not the prompt's masked one
        hook = angle.hook or angle.title
        if request.format == "thread":
            posts = numbered([hook, self._author_lines[0], angle.cta or angle.title, "Sources: the brief"])
        elif request.format == "question":
            posts = [hook if hook.rstrip().endswith("?") else f"{hook} What do you see?"]
        else:
            posts = [hook]
        reply = DraftReply(posts=posts)
        return Completion(reply=reply, raw=json.dumps(reply.model_dump()))


def use_brief_hooks(monkeypatch: pytest.MonkeyPatch, *, repairs: bool = False) -> None:
    """Make `--provider library` (and the offline default) write the brief's hooks; with
    `repairs`, repair them as the library provider does."""
    factory = lambda inputs: BriefHooks(inputs.kb, repairs=repairs)  # noqa: E731
    monkeypatch.setitem(registry.FACTORIES, "library", factory)  # type: ignore[index]
