"""The labels a brief files its notes under: "The hidden cost: ...", "Translation: ...".

A brief writes "**The hidden cost**: Advertised 600ms latency becomes ..."; a post says the
sentence and leaves the filing out. The library provider takes labels off what it quotes,
and the eval's coherence score finds any a draft pasted in.
"""

from __future__ import annotations

import re

from angleforge.knowledge import Claim

# a label opening a text: a capitalised phrase of a few words, a colon, then the text
LABEL_RE = re.compile(r"^(?P<label>[A-Z0-9][\w'’&()/ -]{0,40}?):\s+(?=\S)")


def split_label(text: str) -> tuple[str | None, str]:
    """The label a text opens with, if any, and the text after it."""
    match = LABEL_RE.match(text)
    return (match.group("label"), text[match.end() :]) if match else (None, text)


def paragraph_label(claim: Claim) -> str | None:
    """The label a paragraph of the brief is filed under ("The hidden cost", "Translation");
    a list item's label ("Speech-to-Text: 100-300ms") names its own datum and is none."""
    if claim.context:
        return None
    label, _ = split_label(claim.text)
    return label or claim.label
