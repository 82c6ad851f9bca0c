"""A provider that posts each angle's hook as the brief writes it, unsourced figures and all.

The brief's own hooks carry numbers its sources never state ("$10B by 2032"), so some of its
drafts are flagged: what the tests of review, export and the repair loop need, whatever the
offline `library` provider does (it leaves such numbers out). A repair gets the same hook
again, so a flagged draft stays flagged.
"""

from __future__ import annotations

import json

import pytest

from angleforge.angles import angles
from angleforge.drafts import Completion, DraftReply, DraftRequest
from angleforge.formats import numbered
from angleforge.knowledge import KnowledgeBase
from angleforge.providers import registry
from angleforge.providers.base import Answer, ProviderError, R


class BriefHooks:
    name = "library"
    model = "library"
    offline = True

    def __init__(self, kb: KnowledgeBase) -> None:
        self._angles = {angle.name: angle for angle in angles(kb)}
        self._author = [claim.text for claim in kb.author_claims]

    async def complete(self, request: DraftRequest) -> Completion:
        angle = self._angles.get(request.angle.name, request.angle)  # the brief's, not the prompt's masked one
        hook = angle.hook or angle.title
        if request.format == "thread":
            posts = numbered([hook, self._author[0], angle.cta or angle.title, "Sources: the brief"])
        elif request.format == "question":
            posts = [hook if hook.rstrip().endswith("?") else f"{hook} What do you see?"]
        else:
            posts = [hook]
        reply = DraftReply(posts=posts)
        return Completion(reply=reply, raw=json.dumps(reply.model_dump()))

    async def ask(self, messages: list[dict[str, str]], reply_type: type[R], seed: int) -> Answer[R]:
        raise ProviderError("the brief's hooks answer no question")

    async def aclose(self) -> None:
        return None


def use_brief_hooks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `--provider library` (and the offline default) write the brief's hooks."""
    monkeypatch.setitem(registry.FACTORIES, "library", lambda inputs: BriefHooks(inputs.kb))  # type: ignore[index]
