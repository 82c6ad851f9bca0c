"""The rules of each X format, in one place: limits, the thread numbering, how X counts.

The prompts state these rules, the `library` provider composes to them, `generate` checks
every attempt against them (`violations`, `findings`), and the eval scores them; nothing
else spells a limit out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeGuard

from angleforge.angles import Format
from angleforge.findings import Finding
from angleforge.statuses import FindingStatus

POST_LIMIT = 280  # weighted characters per post on X
LINK_WEIGHT = 23  # X counts every link as this many characters, whatever its length
MARKER_ROOM = len("12/12 ")  # what a thread post's number takes at the most
POST_SEPARATOR = "\n\n"  # how a draft's posts are joined into the text the guardrail checks

# X's counting (twitter-text, version 3): a code point in these ranges weighs 1, any other
# (emoji, CJK, most symbols) 2. Variation selectors and the zero-width joiner glue an emoji
# sequence together and add nothing of their own.
_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_WEIGHTLESS = frozenset({0x200D, *range(0xFE00, 0xFE10)})
_LINK_RE = re.compile(r"https?://\S+|www\.\S+")

# "3/7 " at the start of a post: its number and the count it claims
_NUMBERING_RE = re.compile(r"^\s*\(?(\d{1,3})\s?/\s?(\d{1,3})?\)?(?=\s|$)")
# a parenthetical aside may follow a question's question mark: "...latency? (Not advertised.)"
_TRAILING_ASIDE_RE = re.compile(r"\s*\([^()]*\)\s*$")
_SOURCES_LINE_RE = re.compile(r"(?im)^\s*(?:\d{1,3}/\d{1,3}\s+)?sources?\s*:\s*\S")


@dataclass(frozen=True, slots=True)
class FormatRules:
    format: Format
    min_posts: int
    max_posts: int
    max_chars: int = POST_LIMIT
    link_weight: int = LINK_WEIGHT
    ends_with_question: bool = False
    names_sources: bool = False  # the last post ends with a "Sources:" line
    numbered: bool = False  # every post opens with "i/N", N the number of posts


RULES: dict[Format, FormatRules] = {
    "thread": FormatRules("thread", 4, 12, names_sources=True, numbered=True),
    "post": FormatRules("post", 1, 1),
    "question": FormatRules("question", 1, 1, ends_with_question=True),
}


def known_format(name: str) -> TypeGuard[Format]:
    """Whether `name` is a format whose rules are known here: a stored draft may carry one a
    later version wrote, and there is nothing to check it against."""
    return name in RULES


def post_length(post: str) -> int:
    """A post's length as X counts it: a link is `LINK_WEIGHT`, an emoji or CJK character 2."""
    total = LINK_WEIGHT * len(_LINK_RE.findall(post))
    for char in _LINK_RE.sub("", post):
        point = ord(char)
        if point in _WEIGHTLESS:
            continue
        total += 1 if any(low <= point <= high for low, high in _LIGHT_RANGES) else 2
    return total


def marker(number: int, total: int) -> str:
    """The numbering a thread's post opens with: "3/7"."""
    return f"{number}/{total}"


def numbered(posts: list[str]) -> list[str]:
    """The posts of a thread, each opening with its "i/N"."""
    return [f"{marker(i, len(posts))} {post}" for i, post in enumerate(posts, start=1)]


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule: the rule as a line a writer can act on, and the post it is in (None
    where it concerns the whole draft)."""

    rule: str
    post: int | None = None  # 0-based


def violations(format: Format, posts: list[str]) -> list[Violation]:
    """What breaks the format's rules; empty when the draft keeps them."""
    rules = RULES[format]
    found: list[Violation] = []
    if not rules.min_posts <= len(posts) <= rules.max_posts:
        wanted = "one post" if rules.max_posts == 1 else f"{rules.min_posts} to {rules.max_posts} posts"
        found.append(Violation(f"a {format} is {wanted}; this draft has {len(posts)}"))
    for index, post in enumerate(posts):
        if not post.strip():
            found.append(Violation(f"post {index + 1} is empty", index))
        elif (length := post_length(post)) > rules.max_chars:
            found.append(
                Violation(f"post {index + 1} is {length} characters as X counts them, over {rules.max_chars}", index)
            )
    found.extend(_numbering(rules, posts))
    if rules.ends_with_question and posts and not asks_last(posts[-1]):
        found.append(Violation("a question post ends with its question mark", len(posts) - 1))
    if rules.names_sources and posts and not _SOURCES_LINE_RE.search(posts[-1]):
        found.append(Violation('the last post of a thread ends with a "Sources:" line', len(posts) - 1))
    return found


def _numbering(rules: FormatRules, posts: list[str]) -> list[Violation]:
    """A thread's posts run 1/N to N/N with N its number of posts; a single post carries no
    thread numbering (a post numbered "1/3" promises a thread that is not there)."""
    found = []
    for index, post in enumerate(posts):
        match = _NUMBERING_RE.match(post)
        if not rules.numbered:
            if match and match.group(2):
                found.append(Violation(f"a {rules.format} is not a thread: it carries no numbering like '1/3'", index))
            continue
        wanted = marker(index + 1, len(posts))
        if match is None or match.group(1) != str(index + 1) or match.group(2) != str(len(posts)):
            given = f"opens with '{match.group(0).strip()}'" if match else "has no numbering"
            found.append(
                Violation(f"post {index + 1} {given}: a thread of {len(posts)} posts numbers it {wanted}", index)
            )
    return found


def asks_last(post: str) -> bool:
    """Whether a post ends on its question mark (a parenthetical aside may follow it)."""
    return _TRAILING_ASIDE_RE.sub("", post.rstrip()).endswith("?")


def findings(format: Format, posts: list[str]) -> list[Finding]:
    """Each violation as a finding of the draft text (the posts joined by `POST_SEPARATOR`):
    the offending post and where it stands, or the whole draft for a rule about all of it."""
    spans = post_spans(posts)
    text = POST_SEPARATOR.join(posts)
    found = []
    for violation in violations(format, posts):
        start, end = spans[violation.post] if violation.post is not None else (0, len(text))
        found.append(
            Finding(
                text=text[start:end] or violation.rule,
                start=start,
                end=end,
                status=FindingStatus.FORMAT,
                reason=violation.rule,
                claim=None,
                sources=[],
            )
        )
    return found


def post_spans(posts: list[str]) -> list[tuple[int, int]]:
    """Where each post stands in the draft text (the posts joined by `POST_SEPARATOR`)."""
    spans, offset = [], 0
    for post in posts:
        spans.append((offset, offset + len(post)))
        offset += len(post) + len(POST_SEPARATOR)
    return spans
