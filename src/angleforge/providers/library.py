"""The `library` provider: drafts composed offline from the brief's own words, one section each.

A draft is about the angle's own section (for a free topic, the section of the fact that
answers it best) and nothing else: no fact from another section, so a latency thread never
drifts into accuracy. It is built from

- the angle's hook, with every sentence that holds an unsourced figure left out (the request's
  angle has them masked), or, where nothing of the hook is left, the section's first figure;
- the section's passages (a paragraph, or a list under its caption), each as the brief words
  it, without the label it was filed under ("The hidden cost:", "Translation:");
- the angle's call to action, and a Sources line naming the section's publishers.

It adds no sentence of its own but a question's closing stem, which asks and asserts nothing,
so every number it writes is the knowledge base's, and it never claims an experience the
author did not state. A run's posts and questions on one angle open on different passages
and ask different questions (`DraftRequest.variant`). A repair leaves out each unit that held
a rejected statistic.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass

from angleforge import terms
from angleforge.angles import Angle
from angleforge.drafts import Completion, DraftReply, DraftRequest
from angleforge.findings import Finding
from angleforge.formats import MARKER_ROOM, POST_LIMIT, POST_SEPARATOR, RULES, asks_last, numbered, post_length
from angleforge.knowledge import Claim, KnowledgeBase
from angleforge.labels import split_label
from angleforge.masking import UNSOURCED_MARK
from angleforge.providers.base import Answer, ProviderError, R
from angleforge.quantities import extract
from angleforge.repair import sentence_at
from angleforge.retrieval import Fact, as_fact
from angleforge.statuses import FindingStatus

# the room a thread post has once its "12/12 " number is in front
_ROOM = POST_LIMIT - MARKER_ROOM
# closing questions that ask and claim nothing; a run's questions on an angle take them in turn
QUESTION_STEMS = (
    "I'm curious: what does yours look like in production, with real traffic?",
    "Is that what you see in production, or do your numbers differ?",
    "I'd like to compare notes: where does it break first in your stack?",
    "How are you handling it today?",
    "What would you measure first?",
    "What did it take to get there in your deployment?",
)
# the words that tie a sentence to one a draft may not quote before it: "But <1% ≠ 100%"
_TIE_RE = re.compile(r"^(?:(?:But|And|So|Yet|Or),?|In other words,)\s+(?=\S)")
_FIRST_PERSON_RE = re.compile(r"\b(?:I|I'm|I've|I'd|my|me)\b")
_SENTENCE_BREAK_RE = re.compile(r"(?<=[.!?…])\s+")


@dataclass(frozen=True, slots=True)
class Passage:
    """A paragraph or a list of the brief, as a draft quotes it, with the facts it holds."""

    text: str
    facts: tuple[Fact, ...]
    continues: bool = False  # the rest of a list too long for one post: it follows its head, never leads

    @property
    def states_figures(self) -> bool:
        """Whether it states a figure; a year alone ("2026 shift: ...") dates, it does not count."""
        return any(q.kind != "year" for fact in self.facts for q in fact.claim.statistics)


class LibraryProvider:
    name = "library"
    model = "library"
    offline = True

    def __init__(self, kb: KnowledgeBase) -> None:
        self._author = [as_fact(claim) for claim in kb.author_claims if claim.text]
        self._order = {claim.id: index for index, claim in enumerate(kb.claims)}  # the brief's order

    async def complete(self, request: DraftRequest) -> Completion:
        refused = _refused_sentences(request.previous, request.rejected)
        own = sorted(_section_facts(request.facts), key=lambda fact: self._order.get(fact.claim.id, 0))
        passages = [p for p in _passages(own) if _clean(p.text, refused)]
        rng = random.Random(f"{request.seed}:{request.angle.name}:{request.format}")
        if request.format == "thread":
            others = [fact for fact in request.facts if fact not in own]  # best first
            spare = [p for p in _passages(others) if _clean(p.text, refused)]
            posts = self._thread(request.angle, passages, refused, request.variant, rng, spare)
        elif request.format == "post":
            posts = [_post(request.angle, passages, refused, request.variant)]
        else:
            posts = [_question(request.angle, passages, refused, request.variant)]
        reply = DraftReply(posts=posts)
        return Completion(reply=reply, raw=json.dumps(reply.model_dump(), ensure_ascii=False))

    async def ask(self, messages: list[dict[str, str]], reply_type: type[R], seed: int) -> Answer[R]:
        # it writes only what the knowledge base says; a judgement or any other answer needs a model
        raise ProviderError(
            f"the library provider composes drafts from the knowledge base alone; "
            f"a {reply_type.__name__} answer needs a model provider"
        )

    async def aclose(self) -> None:
        return None

    def _thread(
        self,
        angle: Angle,
        passages: list[Passage],
        refused: list[str],
        variant: int,
        rng: random.Random,
        spare: list[Passage],
    ) -> list[str]:
        rules = RULES["thread"]
        body = [p for p in passages if post_length(p.text) <= _ROOM]
        hook = _hook(angle, refused)
        heads = [p for p in body if not p.continues]
        # the first thread on an angle opens on its hook; the next ones (and one whose hook has
        # nothing sourced left) on the section's figures in turn, then on its other passages, a
        # paragraph before a list, which opens a thread poorly
        leads = sorted(heads, key=lambda p: (not p.states_figures, "\n" in p.text))
        if leads and (not hook or variant > 0):
            lead = leads[(variant - 1 if hook else variant) % len(leads)]
            at = body.index(lead)
            body.remove(lead)
            hook = lead.text
            # the rest of its list opens the body, where it is read right after its head
            rest = []
            while at < len(body) and body[at].continues:
                rest.append(body.pop(at))
            body = [*rest, *body]
        # a passage that only says again what the hook said adds nothing
        body = [p for p in body if not p.states_figures or _adds_to(p, hook)]
        room = rules.max_posts - 2
        if len(body) > room:  # the section's figures first, then its other passages, in order
            keep = set(map(id, sorted(body, key=lambda p: not p.states_figures)[:room]))
            body = [p for p in body if id(p) in keep]
        posts = [hook] if hook else []
        posts.extend(p.text for p in body)
        # the practitioner speaks in the first person only in what they say of themselves: where
        # the hook does not, the author fact nearest the section follows it
        author = [fact.text for fact in self._author if _clean(fact.text, refused)]
        if author and not _speaks_as_author(hook, self._author):
            line = _nearest(author, " ".join(p.text for p in body))
            joined = f"{hook}{POST_SEPARATOR}{line}" if hook else line
            if post_length(joined) <= _ROOM:
                posts[0:1] = [joined]
            else:
                posts.insert(1, line)
            author.remove(line)
        # a short thread is filled with the rest of what the author says of themselves, and, where
        # a section is too thin for a thread, with what the brief says best on the angle elsewhere
        for line in rng.sample(author, len(author)):
            if len(posts) >= rules.min_posts - 1:
                break
            posts.insert(1, line)
        for passage in spare:
            if len(posts) >= rules.min_posts - 1:
                break
            if post_length(passage.text) <= _ROOM and not passage.continues:
                posts.append(passage.text)
                body.append(passage)
        posts = _split_to(posts, rules.min_posts - 1)
        quoted = [*_lead_facts(passages, hook), *(fact for passage in body for fact in passage.facts)]
        posts.append(_closing(_usable(angle.cta, refused), quoted))
        return numbered(posts)


def _split_to(posts: list[str], count: int) -> list[str]:
    """The posts, the longest split at a sentence (or a list at an item) until there are
    `count`, where what there is allows: a thin section still makes a thread."""
    posts = list(posts)
    while len(posts) < count:
        parts = [_parts(post) for post in posts]
        longest = max(range(len(posts)), key=lambda i: (len(parts[i]), -i), default=None)
        if longest is None or len(parts[longest]) < 2:
            break
        pieces = parts[longest]
        half = len(pieces) // 2
        joiner = "\n" if "\n" in posts[longest] else " "
        posts[longest : longest + 1] = [joiner.join(pieces[:half]), joiner.join(pieces[half:])]
    return posts


def _parts(post: str) -> list[str]:
    """A post's lines where it is a list, else its sentences."""
    return post.split("\n") if "\n" in post else _sentences(post)


def _speaks_as_author(text: str, author: list[Fact]) -> bool:
    """Whether `text` speaks in the first person or states a figure of the author's own."""
    figures = [q for fact in author for q in fact.claim.statistics]
    return bool(_FIRST_PERSON_RE.search(text)) or any(q.states_same(own) for q in extract(text) for own in figures)


def _nearest(lines: list[str], text: str) -> str:
    """The line sharing the most words with `text`; the first among equals."""
    words = set(terms.content_terms(text))
    return max(lines, key=lambda line: (len(words & set(terms.content_terms(line))), -lines.index(line)))


def _post(angle: Angle, passages: list[Passage], refused: list[str], variant: int) -> str:
    """The angle's own post where nothing in it is unsourced, then the section's passages in
    turn, figures first, each closed by the angle's call to action where it has one and there
    is room."""
    own = angle.hook if UNSOURCED_MARK not in angle.hook and _clean(angle.hook, refused) else ""
    ranked = sorted((p for p in passages if _fits(p.text) and not p.continues), key=lambda p: not p.states_figures)
    options = ([own] if _fits(own) else []) + [p.text for p in ranked] or [_shorten(angle.title, POST_LIMIT)]
    text = options[variant % len(options)]
    cta = _usable(angle.cta, refused)
    with_cta = f"{text}\n\n{cta}" if cta and text != own else text
    return with_cta if post_length(with_cta) <= POST_LIMIT else text


def _question(angle: Angle, passages: list[Passage], refused: list[str], variant: int) -> str:
    """The angle's own question first, what it keeps of its sourced sentences; then a passage
    of the section with a stem, each variant on another passage and with another stem."""
    own = _own_question(angle, refused)
    if own and variant == 0:
        return own
    turn = variant - 1 if own else variant
    stem = QUESTION_STEMS[turn % len(QUESTION_STEMS)]
    room = POST_LIMIT - post_length(stem) - len(POST_SEPARATOR)
    # a question leads with a sentence or two, not with a list
    leads = [p for p in passages if "\n" not in p.text and _fits(p.text, room)]
    leads.sort(key=lambda p: not p.states_figures)
    if not leads:
        return own or stem
    return f"{leads[turn % len(leads)].text}{POST_SEPARATOR}{stem}"


def _own_question(angle: Angle, refused: list[str]) -> str:
    """The angle's hook as a question post: its sourced sentences, where the first survives and
    it still ends on a question."""
    sentences = _sentences(angle.hook)
    kept = [s for s in sentences if UNSOURCED_MARK not in s and _clean(s, refused)]
    if not kept or kept[0] != sentences[0]:
        return ""
    text = " ".join(kept)
    return text if asks_last(text) and _fits(text) else ""


def _sentences(text: str) -> list[str]:
    """A hook's sentences, each question of a run of them ("99%? 99.9%? 100%?") on its own."""
    return [part for part in _SENTENCE_BREAK_RE.split(text.strip()) if part]


def _hook(angle: Angle, refused: list[str]) -> str:
    """The angle's hook without its sentences that hold an unsourced figure or were refused,
    where what is left still opens as a hook does: on the hook's own first sentence, or on a
    figure ("One is marketing. One is engineering." is no hook without what came before)."""
    sentences = _sentences(angle.hook)
    kept = [s for s in sentences if UNSOURCED_MARK not in s and _clean(s, refused)]
    text = " ".join(kept)
    if not kept or not _fits(text, _ROOM):
        return ""
    return text if kept[0] == sentences[0] or extract(kept[0]) else ""


def _section_facts(facts: list[Fact]) -> list[Fact]:
    """The facts of one section: the angle's own, else those of the section that answers it
    best (the first fact's). The author's facts belong to no section of the brief."""
    own = [fact for fact in facts if fact.home]
    if own:
        return own
    return [fact for fact in facts if facts and fact.claim.section == facts[0].claim.section]


def _passages(facts: list[Fact]) -> list[Passage]:
    """The facts as the brief groups them, in the order given: a paragraph's sentences together,
    a list's items under its caption; a group too long for one post goes on in the next."""
    groups: dict[str, list[Fact]] = {}
    for fact in facts:
        groups.setdefault(fact.claim.group or fact.claim.id, []).append(fact)
    passages = []
    for members in groups.values():
        caption = members[0].claim.context.strip()
        head = f"{_standalone(_unlabelled(caption.rstrip(':').strip()))}:" if caption else ""
        chunk: list[Fact] = []
        continues = False
        for fact in members:
            if chunk and post_length(_passage_text(head, [*chunk, fact])) > _ROOM:
                passages.append(Passage(_passage_text(head, chunk), tuple(chunk), continues))
                chunk, head, continues = [], "", True  # a list going on needs no caption again
            chunk.append(fact)
        passages.append(Passage(_passage_text(head, chunk), tuple(chunk), continues))
    return passages


def _passage_text(head: str, facts: list[Fact]) -> str:
    if head or facts[0].claim.context:  # a list: its caption, then an item a line
        items = "\n".join(f"- {' '.join(fact.text.split())}" for fact in facts)
        return f"{head}\n{items}" if head else items
    sentences = [_unlabelled(fact.text, fact.claim) for fact in facts]
    return _balanced(_standalone(" ".join(sentences)))


def _unlabelled(text: str, claim: Claim | None = None) -> str:
    """The text without the label the brief filed it under. A label naming an organisation the
    claim names credits it ("Gartner prediction: 40%+ ..." -> "Per Gartner, 40%+ ...")."""
    label, rest = split_label(text)
    if label is None:
        return text
    label = label.lower()
    credited = [name for name in (claim.organisations if claim else ()) if name in label]
    if credited:
        spelt = re.search(re.escape(credited[0]), text, re.IGNORECASE)
        return f"Per {spelt.group(0) if spelt else credited[0].title()}, {_lower_first(rest)}"
    return rest[:1].upper() + rest[1:]


def _lower_first(text: str) -> str:
    """The text as the rest of a sentence: a capitalised first word in lower case (an acronym,
    a number or a word with capitals inside stays as it is)."""
    first = text.split(" ", 1)[0]
    if first[:1].isupper() and first[1:] == first[1:].lower():
        return text[:1].lower() + text[1:]
    return text


def _standalone(text: str) -> str:
    """The text as a passage opening on it: without the "But" that tied it to a sentence before."""
    lead = _TIE_RE.match(text)
    if lead is None:
        return text
    rest = text[lead.end() :]
    return rest[:1].upper() + rest[1:]


def _balanced(text: str) -> str:
    """The text without a quotation mark its sentences leave open or closed on one side."""
    if text.count('"') % 2:
        text = text.replace('"', "", 1) if text.startswith('"') else text.rstrip('"')
    return text


def _adds_to(passage: Passage, hook: str) -> bool:
    """Whether a passage states a figure the hook does not."""
    said = [q for q in extract(hook) if q.kind != "year"]
    return any(
        not any(q.states_same(s) and s.states_same(q) for s in said)
        for fact in passage.facts
        for q in fact.claim.statistics
        if q.kind != "year"
    )


def _lead_facts(passages: list[Passage], hook: str) -> list[Fact]:
    """The facts of the passage a thread opens on, where it opens on one."""
    return [fact for passage in passages if passage.text == hook for fact in passage.facts]


def _closing(cta: str, facts: list[Fact]) -> str:
    """The last post: the call to action and the publishers of the facts quoted, as many as fit."""
    named: list[str] = []
    for fact in facts:
        publishers = {source.publisher for source in fact.claim.sources}
        # an organisation the claim itself names is who the draft quotes; then the section's
        named.extend(name for name in fact.sources if name not in publishers)
    for fact in facts:
        named.extend(fact.sources)
    names = list(dict.fromkeys(named))[:3] or ["the author"]
    while True:
        closing = f"{cta}\n\nSources: {', '.join(names)}" if cta else f"Sources: {', '.join(names)}"
        if post_length(closing) <= _ROOM or len(names) == 1:
            return closing
        names.pop()


def _usable(text: str, refused: list[str]) -> str:
    return text if text and UNSOURCED_MARK not in text and _clean(text, refused) and _fits(text, _ROOM) else ""


def _fits(text: str, limit: int = POST_LIMIT) -> bool:
    return bool(text) and post_length(text) <= limit


def _shorten(text: str, limit: int) -> str:
    """Whole sentences of `text` up to `limit` characters."""
    out = ""
    for sentence in terms.split_sentences(text):
        candidate = f"{out} {sentence}".strip()
        if post_length(candidate) > limit:
            break
        out = candidate
    return out or text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _refused_sentences(previous: list[str], rejected: Iterable[Finding]) -> list[str]:
    """The sentences of the refused draft that hold a rejected statistic; a format finding's
    text is its whole post, which the provider's own composition never repeats."""
    text = POST_SEPARATOR.join(previous)
    refused = [
        _unnumbered(sentence_at(text, finding.start))
        for finding in rejected
        if finding.status is not FindingStatus.FORMAT
    ]
    return [sentence for sentence in refused if sentence]


def _unnumbered(sentence: str) -> str:
    return re.sub(r"^\s*\d{1,3}/\d{1,3}\s+", "", sentence).strip().lstrip("- ").strip()


def _clean(text: str, refused: list[str]) -> bool:
    """Whether `text` holds none of the refused sentences."""
    flat = " ".join(text.split())
    return not any(" ".join(sentence.split()) in flat for sentence in refused)
