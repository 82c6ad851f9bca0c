"""Measure angleforge on this machine and write benchmarks/RESULTS.md, all in one run.

This script measures the knowledge base and `check`, then runs `instructions.py` (the
instructions of one check, where valgrind is installed), `generation.py` (the pipeline
against the loopback server), `check_view.py` (the human view of `check` on drafts up to
5 MB) and `scaling.py` (100 and 1,000 briefs, drafts up to 1 MB, peak memory, the offline
eval suites); each writes its own section. Every figure is the median of
several rounds in the same run, so figures can be compared even on a shared, noisy machine.
From the repository root (a few minutes; `--quick` skips the 1,000-brief knowledge base):

    .venv/bin/python benchmarks/run.py [--quick]
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from angleforge.evaluation.guardrail_suite import load_suite  # noqa: E402
from angleforge.guardrail import Guardrail  # noqa: E402
from angleforge.knowledge import load  # noqa: E402
from angleforge.quantities import extract  # noqa: E402
from benchmarks.results import write_section  # noqa: E402
from benchmarks.timing import cold, command_seconds, keep_bytecode, median_seconds  # noqa: E402

HEAVY_MODULES = ("openai", "jinja2", "httpx", "httpx2", "yaml", "pydantic")
THREAD = (ROOT / "benchmarks" / "thread-1kb.md").read_text(encoding="utf-8")


def main() -> None:
    keep_bytecode()
    knowledge = ROOT / "knowledge"
    kb_load = median_seconds(lambda: load(knowledge), repeat=5)
    guardrail = Guardrail(load(knowledge))
    index = median_seconds(lambda: Guardrail(load(knowledge)), repeat=3) - kb_load
    statistics_in_thread = len(extract(THREAD))
    extraction = median_seconds(lambda: extract(THREAD), repeat=200)
    check = median_seconds(lambda: guardrail.check(THREAD), repeat=200)
    # the same thread again and again meets its sentences' words in the caches; a new draft does not
    emptying = median_seconds(lambda: cold(guardrail), repeat=200)
    check_new = median_seconds(lambda: (cold(guardrail), guardrail.check(THREAD)), repeat=200) - emptying
    # the labelled guardrail drafts: short posts, as most drafts are, each never seen before
    labelled = [case.text for suite in load_suite(ROOT / "evals" / "guardrail") for case in suite.cases]
    labelled_statistics = sum(len(extract(text)) for text in labelled)
    check_labelled = (
        median_seconds(lambda: [(cold(guardrail), guardrail.check(text)) for text in labelled], rounds=5)
        - emptying * len(labelled)
    ) / len(labelled)
    megabyte = (THREAD + "\n\n") * (1_000_000 // (len(THREAD) + 2))
    check_megabyte = median_seconds(lambda: guardrail.check(megabyte), repeat=1, rounds=3)

    python = sys.executable
    command = str(Path(python).with_name("angleforge"))
    bare_python, _ = command_seconds([python, "-c", "pass"], ROOT, rounds=9, warm_up=True)
    startup, _ = command_seconds([command, "check", "benchmarks/thread-1kb.md"], ROOT, rounds=9, warm_up=True)
    heavy = subprocess.run(
        [
            python,
            "-c",
            "import sys; from angleforge.cli import main; main(['check', 'benchmarks/thread-1kb.md']);"
            "print(' '.join(m for m in HEAVY if m in sys.modules) or 'none', file=sys.stderr)".replace(
                "HEAVY", repr(HEAVY_MODULES)
            ),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stderr.strip()

    rows = [
        ("Knowledge base load (seed, 2 files)", f"{kb_load * 1e3:.1f} ms", ""),
        ("Guardrail index build (after load)", f"{index * 1e3:.1f} ms", ""),
        (
            f"Statistic extraction, 1 KB thread ({statistics_in_thread} statistics)",
            f"{extraction * 1e3:.3f} ms",
            "",
        ),
        (
            "Check, 1 KB thread, after load",
            f"{check * 1e3:.3f} ms",
            f"{1 / check:,.0f} drafts/s on one core",
        ),
        (
            "Check, 1 KB thread never seen before, after load",
            f"{check_new * 1e3:.3f} ms",
            f"{1 / check_new:,.0f} drafts/s; the word caches emptied before each check (the row above "
            "checks the same thread again, its sentences' words cached); budget <= 3 ms",
        ),
        (
            f"Check, each of the {len(labelled)} labelled guardrail drafts, never seen before",
            f"{check_labelled * 1e3:.3f} ms",
            f"{1 / check_labelled:,.0f} drafts/s; mean {sum(map(len, labelled)) / len(labelled):.0f} characters and "
            f"{labelled_statistics / len(labelled):.1f} statistics a draft (`evals/guardrail/`)",
        ),
        (
            "Check, 1 MB draft",
            f"{check_megabyte:.2f} s",
            f"{check_megabyte / check / (len(megabyte) / len(THREAD)):.2f}x the 1 KB cost per KB",
        ),
        (
            "`angleforge check` on one file, wall clock",
            f"{startup * 1e3:.0f} ms",
            f"bytecode compiled once, as installed; bare `python -c pass`: {bare_python * 1e3:.0f} ms; target < 300 ms",
        ),
        ("Heavy modules imported by `check`", heavy, f"of {', '.join(HEAVY_MODULES)}"),
    ]
    lines = [
        f"Measured by `benchmarks/run.py` on {platform.machine()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores. Each figure is a median of several rounds in one run.",
        "",
        "| what | median | notes |",
        "|---|---|---|",
        *[f"| {what} | {value} | {note} |" for what, value, note in rows],
        "",
    ]
    write_section("Knowledge base and check", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
    import shutil

    from benchmarks import check_view, generation, instructions, scaling

    if shutil.which("valgrind"):
        instructions.main()
    generation.main([])
    check_view.main([])
    scaling.main(["--sizes", "1,100" if "--quick" in sys.argv else "1,100,1000"])
