"""Timing for the benchmark scripts: medians of rounds, so one noisy round does not decide."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import TypeVar

from angleforge import attribution, terms
from angleforge.guardrail import Guardrail


def cold(guardrail: Guardrail | None = None) -> None:
    """Empty angleforge's per-process caches of texts seen (each sentence's words and the
    organisations it credits, and `guardrail`'s word weights), so the next check costs what a
    draft never seen before costs, as in a fresh `angleforge check`."""
    terms.content_terms.cache_clear()
    attribution._credited.cache_clear()
    if guardrail is not None:
        guardrail._subjects._weights.cache_clear()


T = TypeVar("T")


def median_cold(action: Callable[[], T], rounds: int) -> tuple[float, T]:
    """The median seconds of `action` over `rounds`, the caches emptied before each (`cold`),
    and what the last round returned."""
    samples = []
    for _ in range(rounds):
        cold()
        start = time.perf_counter()
        result = action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def median_seconds(action: Callable[[], object], repeat: int = 1, rounds: int = 5) -> float:
    """The median over `rounds` of the mean time of one call, in seconds."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(repeat):
            action()
        samples.append((time.perf_counter() - start) / repeat)
    return statistics.median(samples)
