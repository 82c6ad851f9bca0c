"""Timing for the benchmark scripts: medians of rounds, so one noisy round does not decide."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_seconds(action: Callable[[], object], repeat: int = 1, rounds: int = 5) -> float:
    """The median over `rounds` of the mean time of one call, in seconds."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(repeat):
            action()
        samples.append((time.perf_counter() - start) / repeat)
    return statistics.median(samples)
