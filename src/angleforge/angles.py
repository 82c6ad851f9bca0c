"""Angles: what a draft is about, taken from the brief's own content ideas or a free topic.

A brief's thread ideas (a title with Hook, Value and CTA), single-post ideas and question
ideas are its angles; each has a natural format. `--topic` makes a free angle from any text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from angleforge import terms
from angleforge.knowledge import KnowledgeBase, VoiceSample, slug

Format = Literal["thread", "post", "question"]

_THREAD_SECTION = re.compile(r"(?i)thread")
_QUESTION_SECTION = re.compile(r"(?i)question")
_POST_SECTION = re.compile(r"(?i)tweet|post")
_LABEL_PREFIX = re.compile(r"^[A-Za-z ]{1,30}:\s*")
# labels under which the author drafts a hook of their own: a thread idea's, a section's angle
_HOOK_LABELS = frozenset({"hook", "content angle"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Angle:
    name: str
    format: Format  # the format the brief meant it for
    title: str
    hook: str = ""
    value: str = ""
    cta: str = ""
    source: str = ""  # where in the brief it comes from, or "topic"

    @property
    def query(self) -> str:
        """The text that finds the facts this angle needs."""
        return " ".join(part for part in (self.title, self.hook, self.value, self.cta) if part)


def unquote(text: str) -> str:
    """'Hook: "Call center AI ..."' -> 'Call center AI ...'."""
    text = text.strip()
    if text.startswith('"') and text.endswith('"') and len(text) > 1:
        text = text[1:-1].strip()
    return text


def _body(sample: VoiceSample) -> str:
    text = sample.text
    if sample.label:
        text = _LABEL_PREFIX.sub("", text, count=1)
    return unquote(text)


def angles(kb: KnowledgeBase) -> list[Angle]:
    """The angles of a knowledge base, in the order the brief gives them."""
    found: list[Angle] = []
    current: dict[str, str] | None = None
    used: set[str] = set()
    suffix: dict[str, int] = {}  # the next number to try for a repeated name

    def unique(name: str) -> str:
        base = name[:48].strip("-") or "angle"
        name = base
        while name in used:
            suffix[base] = suffix.get(base, 1) + 1
            name = f"{base}-{suffix[base]}"
        used.add(name)
        return name

    def close_thread() -> None:
        nonlocal current
        if current is not None:
            found.append(Angle(name=unique(slug(current["title"])), format="thread", **current))
            current = None

    for sample in kb.voice_samples:
        section = sample.section.rsplit(" > ", 1)[-1]
        if _THREAD_SECTION.search(section):
            label = (sample.label or "").lower()
            if not label:
                close_thread()
                current = {"title": _body(sample), "source": sample.section}
            elif current is not None and label in ("hook", "value", "cta"):
                current[label] = _body(sample)
            continue
        close_thread()
        if sample.label:
            continue
        kind: Format | None = (
            "question" if _QUESTION_SECTION.search(section) else "post" if _POST_SECTION.search(section) else None
        )
        if kind is not None:
            text = _body(sample)
            found.append(
                Angle(
                    name=unique(slug(" ".join(text.split()[:6]))),
                    format=kind,
                    title=text,
                    hook=text,
                    source=sample.section,
                )
            )
    close_thread()
    return found


def topic_angle(topic: str, format: Format) -> Angle:
    return Angle(
        name=slug(" ".join(topic.split()[:6]))[:48] or "topic",
        format=format,
        title=topic.strip(),
        source="topic",
    )


ExampleKind = Literal["hook", "post", "question"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Example:
    """A post the author drafted in the brief: a thread's hook, a single post, a question.
    Notes about a post (its value, its title) and the brief's metadata are none."""

    kind: ExampleKind
    text: str


def examples(kb: KnowledgeBase) -> list[Example]:
    """The author's own drafted posts, in the brief's order: the hooks of its thread ideas and
    sections, its single-post ideas and its questions."""
    found: list[Example] = []
    ideas = {a.hook for a in angles(kb) if a.format != "thread"}
    for sample in kb.voice_samples:
        label = (sample.label or "").lower()
        text = _body(sample)
        if label in _HOOK_LABELS:
            found.append(Example(kind="hook", text=text))
        elif not label and text in ideas:
            kind: ExampleKind = "question" if _QUESTION_SECTION.search(sample.section) else "post"
            found.append(Example(kind=kind, text=text))
    return list({example.text: example for example in found}.values())


def nearest_examples(pool: list[Example], angle: Angle, count: int) -> list[Example]:
    """The `count` examples whose words are nearest the angle's, leaving out the angle's own
    hook (the prompt shows it already); the brief's order among equals."""
    wanted = set(terms.content_terms(angle.query))
    own = {angle.hook, angle.title}
    scored = [
        (len(wanted & set(terms.content_terms(example.text))), -index, example)
        for index, example in enumerate(pool)
        if example.text not in own
    ]
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [example for _, _, example in scored[:count]]
