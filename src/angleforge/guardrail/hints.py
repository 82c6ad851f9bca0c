"""The "did you mean" of an unsupported figure: the claim it most likely meant."""

from __future__ import annotations

import math

from angleforge.guardrail.index import ClaimIndex, Entry
from angleforge.quantities import Quantity
from angleforge.subjects import SUBJECT_AGREES, Subject

# the hint is the claim nearest in value among those within HINT_MARGIN of the best-fitting one
HINT_MARGIN = 0.15


def nearest_claim(index: ClaimIndex, quantity: Quantity, draft: Subject) -> Entry | None:
    """Among the claims stating a figure in the same unit and sharing a word with the
    sentence, the one whose subject fits best or, among those that fit nearly as well, the
    nearest in value ("users expect a reply within 250ms" means the 300ms rule, not ">1
    second to respond"); where that claim is backed by nothing, a backed claim stating the
    same figure, so the hint comes with its sources."""
    similarity = index.subjects.similarity
    scored = [(similarity(draft, e.subject), e) for e in index.sharing_words(quantity.unit, draft)]
    if not scored:
        return None
    top = max(score for score, _ in scored)
    agreeing = [(score, entry) for score, entry in scored if score >= max(top - HINT_MARGIN, SUBJECT_AGREES)]
    if agreeing:
        nearest = min(agreeing, key=lambda pair: (distance(quantity, pair[1].quantity), -pair[0]))[1]
    else:
        nearest = max(scored, key=lambda pair: pair[0])[1]
    if nearest.claim.sourced:
        return nearest
    return max(
        (e for e in index.stating(nearest.quantity) if e.claim.sourced),
        key=lambda e: similarity(draft, e.subject),
        default=nearest,
    )


def distance(a: Quantity, b: Quantity) -> float:
    """How far apart two figures of one unit are, as a ratio of their midpoints where both are
    positive: 250ms is nearer 300ms than 1 second, 12% nearer 11% than 89%."""
    x, y = (a.low + a.high) / 2, (b.low + b.high) / 2
    return abs(math.log(x / y)) if x > 0 and y > 0 else abs(x - y) + 1e9
