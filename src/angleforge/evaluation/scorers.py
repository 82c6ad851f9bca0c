"""Scorers for generated drafts: one small function each, from drafts to a number.

A per-draft scorer returns the share of drafts that keep its rule and, for each that does
not, the problem; run-level scorers (repairs, cost, latency, diversity) return a number only.
Thresholds live in the suite files, not here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from angleforge.angles import Format
from angleforge.findings import Finding
from angleforge.formats import POST_SEPARATOR, violations
from angleforge.percentile import percentile
from angleforge.quantities.structure import THREAD_MARKER
from angleforge.statuses import DraftStatus, Verdict
from angleforge.terms import split_sentences


@dataclass(frozen=True, slots=True, kw_only=True)
class ScoredAttempt:
    """One checked attempt at a draft: what it said and what flagged it."""

    posts: list[str]
    flagged: list[Finding] = field(default_factory=list)  # statistics and format rules alike

    @property
    def text(self) -> str:
        return POST_SEPARATOR.join(self.posts)


@dataclass(frozen=True, slots=True, kw_only=True)
class ScoredDraft:
    """What scorers see of a draft: its posts, format, and how generation went."""

    id: str
    format: Format
    posts: list[str]
    status: DraftStatus  # passed, flagged or failed
    first_verdict: Verdict | None  # the guardrail's verdict on the first attempt; None when it failed
    attempts: int
    seconds: float
    cost: float
    flagged: list[dict[str, object]] = field(default_factory=list)
    error: str | None = None  # why no draft was written
    case: str = ""  # the eval case that wrote it
    angle: str = ""  # the angle's name (a topic's too)
    topic: str | None = None  # the free topic it was written on, if it was
    prompt: str = ""  # the compose prompt's last message: what the model was given to write from
    history: list[ScoredAttempt] = field(default_factory=list)  # the checked attempts, first to last

    @property
    def text(self) -> str:
        return POST_SEPARATOR.join(self.posts)


@dataclass(frozen=True, slots=True)
class RuleShare:
    """The share of drafts that keep a rule, and why each other draft does not."""

    value: float
    problems: dict[str, list[str]] = field(default_factory=dict)  # draft id -> why it failed


DraftRule = Callable[[ScoredDraft], list[str]]

_MARKER = re.compile(rf"^\s*{THREAD_MARKER}\s*")
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|me|my|we|we've|our)\b|\b\d+\s+years\b", re.IGNORECASE)
_CONTRARIAN = re.compile(
    r"\b(?:but|not|isn't|aren't|don't|doesn't|won't|instead|actually|really|reality|nobody|myth|wrong|"
    r"the real|the hard|vs\.?|versus|yet|hide|skip|until)\b|\?",
    re.IGNORECASE,
)
_HASHTAG = re.compile(r"(?<!\w)#\w+")


def share(drafts: list[ScoredDraft], rule: DraftRule) -> RuleShare:
    """The share of drafts that keep `rule` (1.0 for none), with the problems of the others."""
    problems = {d.id: found for d in drafts if (found := rule(d))}
    return RuleShare(1 - len(problems) / len(drafts) if drafts else 1.0, problems)


# --- per-draft rules --------------------------------------------------------------------------


def written(draft: ScoredDraft) -> list[str]:
    return [f"failed: {draft.error}"] if draft.status == DraftStatus.FAILED else []


def passed_before_repair(draft: ScoredDraft) -> list[str]:
    return [] if draft.first_verdict == Verdict.PASS else ["the first attempt was flagged or failed"]


def passed_after_repair(draft: ScoredDraft) -> list[str]:
    return [] if draft.status == DraftStatus.PASSED else [f"ended {draft.status}"]


def format_rules(draft: ScoredDraft) -> list[str]:
    return [violation.rule for violation in violations(draft.format, draft.posts)]


def first_person(draft: ScoredDraft) -> list[str]:
    return [] if _FIRST_PERSON.search(draft.text) else ["no first-person practitioner voice"]


def contrarian_turn(draft: ScoredDraft) -> list[str]:
    return [] if _CONTRARIAN.search(draft.text) else ["no contrarian turn (no 'but', 'not', 'reality', ...)"]


def hashtags(limit: int) -> DraftRule:
    def rule(draft: ScoredDraft) -> list[str]:
        count = len(_HASHTAG.findall(draft.text))
        return [] if count <= limit else [f"{count} hashtags, more than {limit}"]

    return rule


def banned_words(words: Iterable[str]) -> DraftRule:
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE) if words else None

    def rule(draft: ScoredDraft) -> list[str]:
        found = sorted({m.group().lower() for m in pattern.finditer(draft.text)}) if pattern else []
        return [f"hype words: {', '.join(found)}"] if found else []

    return rule


class CopyMeter:
    """How much of a post is copied word for word from one knowledge-base sentence."""

    def __init__(self, sentences: Iterable[str], longest: int = 60) -> None:
        self._runs: set[tuple[str, ...]] = set()
        for sentence in sentences:
            words = _words(sentence)
            for start in range(len(words)):
                for end in range(start + 4, min(len(words), start + longest) + 1):
                    self._runs.add(tuple(words[start:end]))

    def copied_share(self, post: str) -> float:
        words = _words(_MARKER.sub("", post))
        if not words:
            return 0.0
        best = 0
        for start in range(len(words)):
            end = start + max(best + 1, 4)
            while end <= len(words) and tuple(words[start:end]) in self._runs:
                best = end - start
                end += 1
        return best / len(words)

    def rule(self, limit: float) -> DraftRule:
        def rule(draft: ScoredDraft) -> list[str]:
            shares = [self.copied_share(post) for post in draft.posts]
            worst = max(shares, default=0.0)
            return [f"a post copies {worst:.0%} of a knowledge-base sentence"] if worst > limit else []

        return rule


def _words(text: str) -> list[str]:
    return re.findall(r"[\w%$.,']+", text.lower())


# --- run-level numbers ------------------------------------------------------------------------


def repairs_per_draft(drafts: list[ScoredDraft]) -> float:
    written = [d for d in drafts if d.attempts]
    return sum(d.attempts - 1 for d in written) / len(written) if written else 0.0


def distinct_hooks(drafts: list[ScoredDraft]) -> float:
    """Distinct first posts (thread markers aside) over drafts written, among the drafts of a
    case on one angle: drafts on different angles open differently anyway."""
    groups: dict[tuple[str, str], list[str]] = {}
    for draft in drafts:
        if draft.posts:
            groups.setdefault((draft.case, draft.angle), []).append(_hook(draft))
    hooks = sum(len(group) for group in groups.values())
    return sum(len(set(group)) for group in groups.values()) / hooks if hooks else 1.0


def _hook(draft: ScoredDraft) -> str:
    first = _MARKER.sub("", draft.posts[0])
    sentences = list(split_sentences(first))
    return (sentences[0] if sentences else first).strip().lower()


def repetition(drafts: list[ScoredDraft]) -> RuleShare:
    """The share of drafts that say nothing twice: no sentence of a draft stands in it twice,
    and no question post asks what an earlier question post of its case on its angle asked."""
    problems: dict[str, list[str]] = {}
    asked: dict[tuple[str, str, str], set[str]] = {}
    for draft in drafts:
        found: list[str] = []
        sentences = [normalised(s) for post in draft.posts for s in split_sentences(_MARKER.sub("", post))]
        repeated = sorted({s for s in sentences if len(s.split()) >= _REPEATED_WORDS and sentences.count(s) > 1})
        found.extend(f"says twice: {sentence!r}" for sentence in repeated)
        questions = {s for s in sentences if s.endswith("?")} if draft.format == "question" else set()
        earlier = asked.setdefault((draft.case, draft.angle, draft.format), set())
        found.extend(f"asks again: {question!r}" for question in sorted(questions & earlier))
        earlier |= questions
        if found:
            problems[draft.id] = found
    return RuleShare(1 - len(problems) / len(drafts) if drafts else 1.0, problems)


# a sentence this short ("Not yet.") may well stand twice on purpose
_REPEATED_WORDS = 4


def normalised(text: str) -> str:
    """The text as scorers compare it: lower case, white space folded."""
    return " ".join(text.lower().split())


def cost(drafts: list[ScoredDraft]) -> float:
    return sum(d.cost for d in drafts)


def latency_p95(drafts: list[ScoredDraft]) -> float:
    return percentile((d.seconds for d in drafts), 0.95)
