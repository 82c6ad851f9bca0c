"""A checked draft laid out as the posts X will show: each post's text, its length as X
counts it, and the findings that fall inside it, as spans of plain text and statistics.

A draft's text is its posts joined by blank lines, and the guardrail's offsets point into that
text; the review views, the desk and the export all need the same offsets per post.
"""

from __future__ import annotations

from dataclasses import dataclass

from angleforge.findings import Finding
from angleforge.formats import POST_LIMIT, post_length


@dataclass(frozen=True, slots=True)
class Span:
    """A run of a post's text: a statistic the guardrail judged (`finding`), or plain text."""

    text: str
    finding: Finding | None = None


@dataclass(frozen=True, slots=True)
class Post:
    number: int  # from 1, as a thread numbers its posts
    text: str
    start: int  # where the post begins in the draft's text
    findings: tuple[Finding, ...]

    @property
    def length(self) -> int:
        """Characters as X counts them (a link counts 23)."""
        return post_length(self.text)

    @property
    def too_long(self) -> bool:
        return self.length > POST_LIMIT

    def spans(self) -> list[Span]:
        """The post's text cut at each statistic, in order; the spans join to the text."""
        spans, cursor = [], 0
        for finding in self.findings:
            begin, end = finding.start - self.start, finding.end - self.start
            if begin < cursor:  # overlapping findings: the first one keeps the text
                continue
            if begin > cursor:
                spans.append(Span(self.text[cursor:begin]))
            spans.append(Span(self.text[begin:end], finding))
            cursor = end
        if cursor < len(self.text):
            spans.append(Span(self.text[cursor:]))
        return spans


def lay_out(text: str, posts: list[str], findings: list[Finding]) -> list[Post]:
    """Each post found in order in the draft's text, with the findings inside it."""
    laid_out, cursor = [], 0
    ordered = sorted(findings, key=lambda finding: (finding.start, finding.end))
    for number, post in enumerate(posts, start=1):
        start = text.find(post, cursor)
        if start < 0:  # a text that is not its posts joined: the post stands without findings
            laid_out.append(Post(number, post, -1, ()))
            continue
        end = start + len(post)
        inside = tuple(f for f in ordered if start <= f.start and f.end <= end)
        laid_out.append(Post(number, post, start, inside))
        cursor = end
    return laid_out


def post_of(posts: list[Post], finding: Finding) -> int | None:
    """The number of the post holding `finding`, if any does."""
    return next((post.number for post in posts if finding in post.findings), None)
