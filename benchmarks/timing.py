"""Timing for the benchmark scripts: medians of rounds, so one noisy round does not decide."""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from angleforge import attribution, subjects, terms
from angleforge.guardrail import Guardrail, rules, sense


def cold(guardrail: Guardrail | None = None) -> None:
    """Empty angleforge's per-process caches of texts seen (each sentence's words and the
    organisations it credits, and `guardrail`'s word weights), so the next check costs what a
    draft never seen before costs, as in a fresh `angleforge check`."""
    terms.content_terms.cache_clear()
    attribution._credited.cache_clear()
    subjects.clause_breaks.cache_clear()
    rules._may_deny.cache_clear()
    sense._sentence_tokens.cache_clear()
    if guardrail is not None:
        guardrail.index.subjects._weights.cache_clear()


def keep_bytecode() -> None:
    """Time angleforge's commands as installed: with their bytecode compiled once and kept, as
    `pip install` leaves it. Where PYTHONDONTWRITEBYTECODE is set, as some development set-ups
    do, every start would compile each module from source again (about 60 ms of a `check`
    here). The bytecode goes to a cache folder of the benchmarks' own, not into the source
    tree; the processes a script starts after this call inherit the setting."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "angleforge-benchmarks-pycache")


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


def command_seconds(
    args: list[str], cwd: Path, rounds: int = 3, warm_up: bool = False
) -> tuple[float, subprocess.CompletedProcess[str]]:
    """The median wall time of running `args` over `rounds` (after one unmeasured run that
    compiles their bytecode, with `warm_up`), and the last run."""
    samples = []
    done: subprocess.CompletedProcess[str] | None = None
    for _ in range(rounds + warm_up):
        start = time.perf_counter()
        done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
        samples.append(time.perf_counter() - start)
    assert done is not None
    return statistics.median(samples[warm_up:]), done
