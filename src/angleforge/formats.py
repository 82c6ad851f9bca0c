"""The rules of each X format, and the checks that a draft keeps them."""

from __future__ import annotations

from dataclasses import dataclass

from angleforge.angles import Format

POST_LIMIT = 280  # characters per post on X


@dataclass(frozen=True, slots=True)
class FormatRules:
    format: Format
    min_posts: int
    max_posts: int
    max_chars: int = POST_LIMIT
    ends_with_question: bool = False
    names_sources: bool = False  # the last post names the sources


RULES: dict[Format, FormatRules] = {
    "thread": FormatRules("thread", 4, 12, names_sources=True),
    "post": FormatRules("post", 1, 1),
    "question": FormatRules("question", 1, 1, ends_with_question=True),
}


def post_length(post: str) -> int:
    """Characters as X counts them closely enough: links count as 23."""
    import re

    return len(re.sub(r"https?://\S+", "x" * 23, post))


def violations(format: Format, posts: list[str]) -> list[str]:
    """What breaks the format's rules, one line each; empty when the draft keeps them."""
    rules = RULES[format]
    problems = []
    if not rules.min_posts <= len(posts) <= rules.max_posts:
        wanted = (
            f"{rules.min_posts}" if rules.min_posts == rules.max_posts else f"{rules.min_posts} to {rules.max_posts}"
        )
        problems.append(f"a {format} has {wanted} post(s), this has {len(posts)}")
    for number, post in enumerate(posts, start=1):
        if not post.strip():
            problems.append(f"post {number} is empty")
        elif post_length(post) > rules.max_chars:
            problems.append(f"post {number} has {post_length(post)} characters, over {rules.max_chars}")
    if rules.ends_with_question and posts and not posts[-1].rstrip().endswith("?"):
        problems.append("a question post ends with a question mark")
    if rules.names_sources and posts and "source" not in posts[-1].lower():
        problems.append("the last post of a thread names its sources")
    return problems
