"""Benchmark generation: the real pipeline and openai provider against a local model server.

The model is `tests.support.openai_server.OpenAIServer` on loopback, in its own process (as a
model server is: one in this process would take the GIL from the event loop being measured).
Its default reply is a draft the guardrail passes, so every draft should take one attempt.
Three measurements:

1. Throughput: 100 drafts at concurrency 16 with a fixed 200 ms model latency. The ideal is
   ceil(100 / 16) waves x 200 ms x attempts per draft; the figure is wall time / ideal
   (target: within 1.25x).
2. The pipeline's own time per draft, model time excluded (target: under 5 ms): the same
   100 drafts at concurrency 1 with a provider that answers at once, without HTTP: render,
   check, store, wall time / drafts.
3. The SDK and HTTP per request: time inside provider.complete per call, latency 0,
   concurrency 1.

Each figure is the median of several rounds, after one warm-up run. The results are printed as
a Markdown table and written to the "## Generation" section of benchmarks/RESULTS.md (the rest
of the file is kept). Run it from the repository root:

    .venv/bin/python benchmarks/generation.py [--rounds N] [--no-write] [--profile]

`--profile` also prints a cProfile of one overhead run: where the pipeline's time goes.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from angleforge.angles import angles  # noqa: E402
from angleforge.config import Settings  # noqa: E402
from angleforge.drafts import Completion, DraftReply, DraftRequest  # noqa: E402
from angleforge.knowledge import KnowledgeBase, load  # noqa: E402
from angleforge.pipeline import Generator, Plan, Summary  # noqa: E402
from angleforge.prompts import Prompts  # noqa: E402
from angleforge.providers.base import Provider  # noqa: E402
from angleforge.providers.registry import Endpoint, build  # noqa: E402
from angleforge.store import Store  # noqa: E402
from benchmarks.results import RESULTS, write_section  # noqa: E402
from tests.support.openai_server import ServerProcess, grounded_reply  # noqa: E402

DRAFTS = 100
CONCURRENCY = 16
LATENCY = 0.200
SECTION = "## Generation"


class Timed:
    """A provider that adds up the time spent inside the real provider's `complete`."""

    def __init__(self, inner: Provider) -> None:
        self.inner = inner
        self.name = inner.name
        self.model = inner.model
        self.offline = inner.offline
        self.seconds = 0.0

    async def complete(self, request: DraftRequest) -> Completion:
        started = time.perf_counter()
        try:
            return await self.inner.complete(request)
        finally:
            self.seconds += time.perf_counter() - started

    async def aclose(self) -> None:
        await self.inner.aclose()


class Instant:
    """A provider that answers at once with the server's reply, without HTTP: what is left of
    a run is the pipeline's own work."""

    name, model, offline = "instant", "none", True

    async def complete(self, request: DraftRequest) -> Completion:
        raw = grounded_reply({})
        return Completion(reply=DraftReply.model_validate_json(raw), raw=raw)

    async def aclose(self) -> None:
        pass


@dataclass(frozen=True, slots=True)
class Round:
    wall: float  # seconds for start() + run(): the whole run, as a user waits for it
    cpu: float  # CPU seconds of the event loop's thread in that time (pipeline, SDK, httpx)
    provider: float  # seconds inside provider.complete, all calls added up
    summary: Summary
    requests: int  # HTTP requests the server saw
    peak: int  # the most requests in flight at once

    @property
    def drafts(self) -> int:
        return len(self.summary.drafts)

    @property
    def max_attempts(self) -> int:
        return max((d.attempts for d in self.summary.drafts), default=0)

    def statuses(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for draft in self.summary.drafts:
            counts[draft.status] = counts.get(draft.status, 0) + 1
        return counts


class Bench:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.kb: KnowledgeBase = load(ROOT / "knowledge")
        self.prompts = Prompts(ROOT / "prompts")
        self.prompts.check()
        self.settings = Settings()
        self.angle = next(a.name for a in angles(self.kb) if a.format == "post")
        self._stores = 0

    def plan(self, count: int) -> Plan:
        generate = self.settings.generate
        return Plan(
            angles=[self.angle],
            topic=None,
            format="post",
            count=count,
            seed=0,
            max_repairs=generate.max_repairs,
            fact_count=generate.facts,
        )

    def round(self, server: ServerProcess | None, *, count: int, concurrency: int) -> Round:
        """One run of `count` drafts against `server`, or with the `Instant` provider."""
        self._stores += 1
        store = Store.open(self.folder / f"store-{self._stores}.db")
        try:
            inner: Provider = Instant()
            if server is not None:
                endpoint = Endpoint(api_key="test", base_url=server.base_url, model=self.settings.generate.model)
                inner = build("openai", kb=self.kb, settings=self.settings, endpoint=endpoint)
                server.reset_stats()
            provider = Timed(inner)
            generator = Generator(
                kb=self.kb, prompts=self.prompts, provider=provider, store=store, concurrency=concurrency
            )

            async def go() -> tuple[float, float, Summary]:
                started, cpu = time.perf_counter(), time.thread_time()
                summary = await generator.run(generator.start(self.plan(count)))
                return time.perf_counter() - started, time.thread_time() - cpu, summary

            wall, cpu, summary = asyncio.run(go())
            stats = server.stats if server is not None else None
            return Round(
                wall=wall,
                cpu=cpu,
                provider=provider.seconds,
                summary=summary,
                requests=stats.requests if stats else len(summary.drafts),
                peak=stats.peak_in_flight if stats else 0,
            )
        finally:
            store.close()


def median(values: list[float]) -> float:
    return statistics.median(values)


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.2f} ms"


def check_round(label: str, result: Round) -> list[str]:
    """Warnings for a round that did not go as the benchmark assumes."""
    warnings = []
    statuses = result.statuses()
    if statuses.get("passed", 0) != result.drafts:
        warnings.append(f"{label}: not every draft passed: {statuses}")
    attempts = sum(d.attempts for d in result.summary.drafts)
    if result.requests != attempts:
        warnings.append(f"{label}: {result.requests} HTTP requests for {attempts} attempts (retries?)")
    return warnings


def profile(bench: Bench) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    bench.round(None, count=DRAFTS, concurrency=1)
    profiler.disable()
    print(f"\n## Profile: {DRAFTS} drafts, instant provider, concurrency 1 (cumulative time)\n")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
    print("## Profile (own time)\n")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=5, help="rounds per figure (default 5)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    parser.add_argument("--profile", action="store_true", help="also print a profile of the pipeline's own work")
    args = parser.parse_args(argv)

    began = time.perf_counter()
    warnings: list[str] = []
    with tempfile.TemporaryDirectory(prefix="angleforge-bench-") as folder:
        bench = Bench(Path(folder))
        with ServerProcess(latency=LATENCY) as server:
            bench.round(server, count=CONCURRENCY, concurrency=CONCURRENCY)  # warm-up: imports, templates
            loaded = [bench.round(server, count=DRAFTS, concurrency=CONCURRENCY) for _ in range(args.rounds)]
        with ServerProcess(latency=0.0) as server:
            bare = [bench.round(server, count=DRAFTS, concurrency=1) for _ in range(args.rounds)]
        own = [bench.round(None, count=DRAFTS, concurrency=1) for _ in range(args.rounds)]
        if args.profile:
            profile(bench)
    for label, rounds in (("latency 200 ms", loaded), ("latency 0", bare), ("instant provider", own)):
        for result in rounds:
            warnings.extend(check_round(label, result))

    attempts = max(r.max_attempts for r in loaded)
    waves = math.ceil(DRAFTS / CONCURRENCY)
    ideal = waves * LATENCY * attempts
    wall = median([r.wall for r in loaded])
    peak = max(r.peak for r in loaded)
    pipeline = median([r.wall / r.drafts for r in own])
    per_request = median([r.provider / r.requests for r in bare])
    cpu = median([r.cpu / r.drafts for r in loaded])

    rows = [
        (
            f"{DRAFTS} drafts at concurrency {CONCURRENCY}, {LATENCY * 1e3:.0f} ms model latency, wall clock",
            f"{wall:.3f} s",
            f"{wall / ideal:.2f}x the ideal {ideal:.2f} s ({waves} waves x {LATENCY * 1e3:.0f} ms x "
            f"{attempts} attempt{'s' if attempts != 1 else ''} per draft); target within 1.25x; "
            f"peak {peak} requests in flight",
        ),
        (
            "Pipeline time per draft, model time excluded",
            ms(pipeline),
            "concurrency 1, a provider that answers at once without HTTP: render, check, store; "
            "wall / drafts; target < 5 ms",
        ),
        (
            "SDK and HTTP per request, latency 0, concurrency 1",
            ms(per_request),
            "time inside provider.complete per request: the OpenAI SDK and its httpx2 transport to the "
            "loopback server, the server's own work included",
        ),
        (
            f"Event-loop CPU per draft at concurrency {CONCURRENCY}",
            ms(cpu),
            "CPU time of the thread running the pipeline (pipeline, SDK, httpx2), per draft; replies that "
            "come back together queue for it",
        ),
    ]
    header = (
        f"Measured by `benchmarks/generation.py` on {platform.machine()}, Python "
        f"{platform.python_version()}, {os.cpu_count()} cores: the real pipeline and `openai` "
        f"provider (no reply cache) against `tests/support/openai_server.py` on loopback in its own "
        f"process, "
        f"{DRAFTS} one-post drafts of angle `{bench.angle}`, each answered with a grounded draft. "
        f"Medians of {args.rounds} rounds after a warm-up run. `--concurrency` bounds requests in flight; "
        f"twice as many drafts are in hand, so a freed request slot goes at once to a rendered draft."
    )
    section = "\n".join(
        [
            header,
            "",
            "| what | median | notes |",
            "|---|---|---|",
            *[f"| {what} | {value} | {note} |" for what, value, note in rows],
            "",
        ]
    )
    print(f"{SECTION}\n\n{section}")
    detail = [
        f"  latency 200 ms walls: {', '.join(f'{r.wall:.3f}' for r in loaded)} s",
        f"  latency 0 walls: {', '.join(f'{r.wall:.3f}' for r in bare)} s; "
        f"provider: {', '.join(f'{r.provider:.3f}' for r in bare)} s",
        f"  instant provider walls: {', '.join(f'{r.wall:.3f}' for r in own)} s",
        f"  statuses: {loaded[0].statuses()}; max attempts {attempts}; total {time.perf_counter() - began:.1f} s",
    ]
    print("\n".join(detail))
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not args.no_write:
        write_section(SECTION.removeprefix("## "), section)
        print(f"\nwrote the {SECTION!r} section of {RESULTS.relative_to(ROOT)}")
    return 1 if warnings else 0


if __name__ == "__main__":
    sys.exit(main())
