"""The `library` provider: drafts composed offline from vetted knowledge-base material only.

It writes the brief's own hooks and calls to action, the backed claims the retrieval chose,
and the author's facts, arranged to the format's rules with seeded variation. Every number it
writes is copied from the knowledge base; its connecting phrases carry none. Its drafts go
through the guardrail like any other: the brief's hooks use unsourced figures, and those
drafts are flagged. A repair drops whatever the guardrail rejected.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import replace
from itertools import zip_longest

from angleforge.angles import Angle
from angleforge.drafts import Completion, DraftReply, DraftRequest
from angleforge.formats import POST_LIMIT, RULES, post_length
from angleforge.knowledge import KnowledgeBase
from angleforge.providers.base import Answer, ProviderError, R
from angleforge.quantities import Quantity
from angleforge.retrieval import Fact, as_fact
from angleforge.terms import split_sentences

# connecting phrases: the voice, never a number
_OPENERS = (
    "Here's what the industry says, and what production taught me.",
    "The demos don't show this part.",
    "Everyone quotes the market. Practitioners quote these numbers instead.",
    "Here's the part vendors skip.",
)
_BRIDGES = ("Production reality:", "What the sources say:", "From the field:")
_NUMBERS_BRIDGE = "The numbers that matter:"  # only over facts that each state a number
_QUESTION_STEMS = (
    "I'd like to compare notes: what does yours look like in production, not in the demo?",
    "I see this in production every week. Do you?",
    "I know what I'd measure first. What would you?",
    "I'll share mine, but first: where does it break for you?",
)
# room in a thread post once its "12/12 " marker is in front
_ROOM = POST_LIMIT - 7
_CLOSERS = (
    "Building this for real? Start with the boring parts.",
    "The winners solve infrastructure, integration and workflow design.",
    "That's what I see in production, not in the demos.",
    "I've watched this decide more deployments than any model choice.",
)
# a fact matching the angle at under this share of the best fact's score is off the topic
RELEVANT_SHARE = 0.35
_ENOUGH_FACTS = 3
# a word of the author's before a quoted fact: the sources speak, the practitioner frames
_FRAMES = (
    "What the sources show:",
    "The part nobody demos:",
    "In production:",
    "Worth knowing:",
    "Here's the thing:",
    "What I keep seeing confirmed:",
)


class LibraryProvider:
    name = "library"
    model = "library"
    offline = True

    def __init__(self, kb: KnowledgeBase) -> None:
        self._author = [as_fact(claim) for claim in kb.author_claims]

    async def complete(self, request: DraftRequest) -> Completion:
        rejected = [f.text.strip() for f in request.rejected]
        author_ids = {fact.id for fact in self._author}
        facts = [fact for fact in request.facts if fact.id not in author_ids]
        rng = random.Random(f"{request.seed}:{request.angle.name}:{request.format}:{len(request.previous)}")
        usable = _usable(facts, rejected)
        if request.format == "thread":
            posts, used = self._thread(request.angle, usable, rejected, rng)
        else:
            compose = self._post if request.format == "post" else self._question
            # a run's drafts on one angle take its hook and its facts in turn, best first (a
            # repair drops what was refused, and so takes the next)
            posts, used = compose(request.angle, usable, rejected, rng, turn=request.variant)
        reply = DraftReply(posts=posts, cited_fact_ids=[fact.id for fact in used])
        return Completion(reply=reply, raw=json.dumps(reply.model_dump()))

    async def ask(self, messages: list[dict[str, str]], reply_type: type[R], seed: int) -> Answer[R]:
        # it writes only what the knowledge base says; a judgement or any other answer needs a model
        raise ProviderError(
            f"the library provider composes drafts from the knowledge base alone; "
            f"a {reply_type.__name__} answer needs a model provider"
        )

    async def aclose(self) -> None:
        return None

    # --- formats --------------------------------------------------------------------------

    def _thread(
        self, angle: Angle, facts: list[Fact], rejected: list[str], rng: random.Random
    ) -> tuple[list[str], list[Fact]]:
        rules = RULES["thread"]
        facts = _relevant(_distinct(facts))
        chosen = facts[: rng.randint(3, 6)] if len(facts) > 3 else facts
        if len(chosen) > 2:
            chosen = [chosen[0], *rng.sample(chosen[1:], len(chosen) - 1)]
        hook = _fits(angle.hook, rejected) if rng.random() < 0.5 else ""
        chosen_for_sources = []
        if not hook and chosen:
            # the thread opens on a figure where one of the first facts states one
            leads = _figures(chosen[:3])
            lead = leads[rng.randrange(len(leads))]
            chosen = [fact for fact in chosen if fact is not lead]
            hook = _join(rng.choice(_OPENERS), lead.text)
            chosen_for_sources = [lead]
        hook = hook or _fits(angle.hook, rejected)
        posts = [hook] if hook else []
        author = [f for f in self._author if f.claim.statistics and _clean(f.text, rejected)]
        if author and rng.random() < 0.7:
            posts.append(_join(author[0].text, rng.choice(_unused(_OPENERS, posts))))
        bridges = (*_BRIDGES, _NUMBERS_BRIDGE) if all(fact.claim.statistics for fact in chosen) else _BRIDGES
        body = _pack(chosen, rng.choice(bridges), rng)
        posts.extend(body)
        # a short thread is filled with the author's own facts, each with a closing line of the
        # author's: a post that is a sentence of the brief word for word is no post
        for filler in self._author:
            if len(posts) >= rules.min_posts - 1:
                break
            if filler.text not in " ".join(posts) and _clean(filler.text, rejected):
                posts.append(_join(filler.text, rng.choice(_unused(_CLOSERS, posts))))
        while len(posts) < rules.min_posts - 1:
            posts.append(rng.choice(_unused(_CLOSERS, posts)))
        posts = posts[: rules.max_posts - 1]
        cta = _fits(angle.cta, rejected) or rng.choice(_unused(_CLOSERS, posts))
        chosen = chosen_for_sources + chosen
        # the facts' first publishers, then their second ones: each quoted figure's source is named
        ranks = zip_longest(*(fact.sources for fact in chosen))
        publishers = list(dict.fromkeys(p for rank in ranks for p in rank if p))[:4]
        closing = f"{cta}\n\nSources: {', '.join(publishers) or 'the author'}"
        posts.append(closing if post_length(closing) <= _ROOM else f"Sources: {', '.join(publishers)}")
        total = len(posts)
        return [f"{i}/{total} {post}" for i, post in enumerate(posts, start=1)], chosen

    def _post(
        self, angle: Angle, facts: list[Fact], rejected: list[str], rng: random.Random, *, turn: int
    ) -> tuple[list[str], list[Fact]]:
        hook = _fits(angle.hook, rejected)
        # the angle's own hook takes its turn with the facts; None stands for it
        figures = _figures(_relevant(facts), fallback=facts)
        options: list[Fact | None] = [None, *figures] if hook else [*figures]
        if not options:
            return [rng.choice(_CLOSERS)], []
        fact = options[turn % len(options)]
        if fact is None:
            return [hook], []
        text = _join(fact.text, rng.choice(_CLOSERS))
        return [text if post_length(text) <= POST_LIMIT else _shorten(fact.text)], [fact]

    def _question(
        self, angle: Angle, facts: list[Fact], rejected: list[str], rng: random.Random, *, turn: int
    ) -> tuple[list[str], list[Fact]]:
        hook = _fits(angle.hook, rejected)
        asked = hook[: hook.rindex("?") + 1] if hook and "?" in hook else ""
        pool = _figures(_relevant(facts), fallback=facts)
        stem = rng.choice(_QUESTION_STEMS)
        # as with posts, the angle's own question takes its turn with the facts; None stands for it
        options: list[Fact | None] = [None, *pool] if asked else [*pool]
        if not options:
            return [stem], []
        fact = options[turn % len(options)]
        if fact is None:
            return [asked], []
        return [_join(_shorten(fact.text, POST_LIMIT - len(stem) - 2), stem)], [fact]


def _unused(lines: tuple[str, ...], posts: list[str]) -> list[str]:
    """The lines no post holds yet (all of them, if every one is used)."""
    return [line for line in lines if not any(line in post for post in posts)] or list(lines)


def _figures(facts: list[Fact], fallback: list[Fact] | None = None) -> list[Fact]:
    """The facts a draft may open on: those that state a figure, where any does, else those of
    `fallback` that do."""
    return [fact for fact in facts if fact.claim.statistics] or (_figures(fallback) if fallback else facts)


def _join(first: str, second: str) -> str:
    """Two pieces as one post, the first ending as a sentence does."""
    first = first.rstrip()
    return f"{first}{'' if first[-1:] in '.!?:' else '.'} {second}"


def _clean(text: str, rejected: list[str]) -> bool:
    return not any(r and r in text for r in rejected)


def _distinct(facts: list[Fact]) -> list[Fact]:
    """The facts that each state a figure the ones before them do not: two sources' wordings
    of "40%+ of agentic AI projects will fail" in one thread say it twice."""
    kept: list[Fact] = []
    stated: list[Quantity] = []
    for fact in facts:
        figures = [q for q in fact.claim.statistics if q.kind != "year"]
        if figures and all(any(q.states_same(s) or s.states_same(q) for s in stated) for q in figures):
            continue
        kept.append(fact)
        stated.extend(figures)
    return kept


def _relevant(facts: list[Fact]) -> list[Fact]:
    """The facts that match the angle at `RELEVANT_SHARE` of the best one's score or more, at
    least `_ENOUGH_FACTS` of them: the tail of a search drifts to other topics ("<1% ≠ 100%" in
    a thread on latency)."""
    best = max((fact.score for fact in facts), default=0.0)
    close = [fact for fact in facts if fact.score >= RELEVANT_SHARE * best]
    return close if len(close) >= _ENOUGH_FACTS else facts[: max(len(close), _ENOUGH_FACTS)]


def _usable(facts: list[Fact], rejected: list[str]) -> list[Fact]:
    return [
        replace(f, text=_standalone(_unquoted(f.text)))
        for f in facts
        if _clean(f.text, rejected) and post_length(f.text) <= _ROOM - 30
    ]


# the words that tie a sentence to the one before it: "But <1% ≠ 100%", "Translation: ..."
_TIE_TO_PREVIOUS_RE = re.compile(r"(?:(?:But|And|So|Yet|Or),?|Translation:|In other words,)\s+(?=\S)")


def _standalone(text: str) -> str:
    """The text as a fact quoted on its own: without the "But" or "Translation:" that tied it
    to the sentence before it in the brief."""
    lead = _TIE_TO_PREVIOUS_RE.match(text)
    if lead is None:
        return text
    rest = text[lead.end() :]
    return rest[:1].upper() + rest[1:]


def _unquoted(text: str) -> str:
    """The text without a quotation mark left open or closed by the sentence split, as in
    'Many early AI initiatives failed because ...them."' from a quote of two sentences."""
    if text.count('"') % 2:
        text = text[1:] if text.startswith('"') else text[:-1] if text.endswith('"') else text
    if text.count("“") != text.count("”"):
        text = text.removeprefix("“") if text.count("“") > text.count("”") else text.removesuffix("”")
    return text


def _fits(text: str, rejected: list[str]) -> str:
    """The text if it may be used as one post: nothing rejected in it, short enough."""
    if not text or not _clean(text, rejected):
        return ""
    return text if post_length(text) <= _ROOM else _shorten(text, _ROOM)


def _shorten(text: str, limit: int = POST_LIMIT) -> str:
    """Whole sentences of `text` up to `limit` characters."""
    out = ""
    for sentence in split_sentences(text):
        candidate = f"{out} {sentence}".strip()
        if post_length(candidate) > limit:
            break
        out = candidate
    return out or text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _pack(facts: list[Fact], bridge: str, rng: random.Random) -> list[str]:
    """Facts as posts: short ones gathered under a bridge line, long ones alone and framed."""
    posts: list[str] = []
    current = bridge
    for fact in facts:
        line = re.sub(r"\s+", " ", fact.text)
        if post_length(f"{current}\n- {line}") <= _ROOM and len(line) < 90:
            current = f"{current}\n- {line}"
        else:
            framed = f"{rng.choice(_FRAMES)} {line}"
            posts.append(framed if post_length(framed) <= _ROOM else line)
    if current != bridge:
        posts.insert(0, current)
    return posts
