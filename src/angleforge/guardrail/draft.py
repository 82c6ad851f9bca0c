"""A draft read into sentences, each knowing the post it is in and the sentence it continues.

A statistic's subject is often said a line earlier: a list item continues the line that
introduces the list ("3 numbers on AI-assisted PRs:" then "→ 24% more lines changed"), and a
sentence continues the one before it in its post ("Forrester looked at this. 42% of teams
..."). Posts are parted by blank lines and by a thread's post markers.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import islice, pairwise

from angleforge import terms
from angleforge.quantities import Quantity
from angleforge.quantities.structure import THREAD_MARKER

_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")
# a list item's marker: a bullet, an arrow or emoji, an enumerator
_ITEM_RE = re.compile(r"\s*(?:[-*+•→▪◦‣⁃]|[^\w\s\"'“‘(\[$€£¥<>~]{1,2}(?=\s)|\d{1,2}[.)]\s|\d\ufe0f?\u20e3)")
# a post that opens by going on from the one before it
_CONTINUES_RE = re.compile(r"\s*(?:\(|(?i:which|so|that|this|those|these|meaning|in\s+other\s+words)\b)")
_POST_MARKER_RE = re.compile(rf"\s*(?:(?i:thread)\s*)?[^\w\s]{{0,2}}\s*{THREAD_MARKER}(?=\s|$)")


@dataclass(slots=True)
class DraftSentence:
    """One sentence of a draft, with the statistics in it."""

    start: int
    end: int
    post: int  # the number of the post (paragraph) it is in
    item: bool  # a list item
    quantities: list[Quantity] = field(default_factory=list)
    lead: DraftSentence | None = None  # the sentence it continues, in its post
    items_after: int = 0  # the list items that follow it in its post, where it introduces a list


def read_draft(text: str, quantities: list[Quantity]) -> list[DraftSentence]:
    """The sentences of `text`, each with its statistics (of `quantities`, in text order)
    and the sentence it continues."""
    spans = terms.sentence_spans(text)
    sentences: list[DraftSentence] = []
    post = 0
    for start, end in spans:
        if sentences:
            between = text[sentences[-1].end : start]
            breaks = between.count("\n")  # a blank line holds two
            if (breaks > 1 and _BLANK_LINE_RE.search(between)) or (breaks and _POST_MARKER_RE.match(text, start)):
                post += 1
        # a sentence opening on a letter is no list item, which opens on a marker
        item = not text[start].isalpha() and _ITEM_RE.match(text, start) is not None
        sentences.append(DraftSentence(start, end, post, item))
    starts = [sentence.start for sentence in sentences]
    for quantity in quantities:
        sentences[max(bisect_right(starts, quantity.start) - 1, 0)].quantities.append(quantity)
    for at, sentence in enumerate(sentences):
        if not sentence.item:
            # a line ending on a colon introduces the list after it, a blank line between or not
            post = sentence.post + 1 if text[sentence.start : sentence.end].rstrip().endswith(":") else sentence.post
            count = 0
            for following in islice(sentences, at + 1, None):
                if not following.item or following.post not in (sentence.post, post):
                    break
                count += 1
            sentence.items_after = count
    for before, sentence in pairwise(sentences):
        if before.post == sentence.post:
            # a list item continues the line that introduces its list; anything else the sentence before
            sentence.lead = (before.lead or before) if sentence.item and before.item else before
        elif _CONTINUES_RE.match(text, sentence.start):
            sentence.lead = before  # "Which means the 11% who do ...", "(Answer: 14%.)" after the post before
    return sentences
