"""One definition of a percentile, for every latency angleforge reports."""

from __future__ import annotations

from collections.abc import Iterable


def percentile(values: Iterable[float], share: float) -> float:
    """The value below which `share` (0 to 1) of `values` lie, interpolated linearly between
    the two nearest ranks (the "inclusive" method of `statistics.quantiles`, and numpy's
    default); 0.0 for no values."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    position = share * (len(ordered) - 1)
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)
