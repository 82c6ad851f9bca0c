"""Building blocks for scanning a draft for lists of words.

Python's regex engine tries the branches of an alternation one after another, so a list of
forty words costs forty tests at every place it is tried. `alternation` factors the words
by their shared beginnings ("s(?:a(?:id|ys)|how(?:ed|s))"): at a place where no word starts,
the engine rejects each first letter once and moves on. Where plain words are all a search
needs, `occurrences` finds them with `str.find`, which skips through a text faster still.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

_END = ""  # the key of a word's end in the tree of its letters


def alternation(words: Iterable[str] | Mapping[str, str]) -> str:
    """A pattern matching any of `words`, factored by their shared beginnings; given a mapping,
    each word is followed by its value, a pattern of its own (a word's ending that is no plain
    word, as "(?:-(?:one|two))?" after "twenty").

    Where one word begins another ("four", "fourteen") the longer is tried first, as a greedy
    quantifier tries it: it matches what the plain alternation `four|fourteen` matches at the
    same place, possibly further on, which is all a search for where a word starts needs."""
    tails = words if isinstance(words, Mapping) else dict.fromkeys(words, "")
    tree: dict[str, Any] = {}  # by letter, each word's end (`_END`) holding its tail
    for word, tail in tails.items():
        node = tree
        for letter in word:
            node = node.setdefault(letter, {})
        node[_END] = tail
    return _branches(tree)


def _branches(node: dict[str, Any]) -> str:
    branches = [re.escape(letter) + _branches(child) for letter, child in sorted(node.items()) if letter != _END]
    if _END not in node:
        return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    tail: str = node[_END]
    if not branches:
        return tail
    if tail:
        return f"(?:{'|'.join(branches)}|{tail})"
    return f"(?:{'|'.join(branches)})?"


def occurrences(text: str, words: Iterable[str]) -> list[int]:
    """Where each of `words` stands in `text`, in order."""
    found = []
    for word in words:
        at = text.find(word)
        while at != -1:
            found.append(at)
            at = text.find(word, at + 1)
    found.sort()
    return found
