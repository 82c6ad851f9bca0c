"""Benchmark the human view of `angleforge check` on large drafts: it must grow linearly.

The draft is `examples/thread.md` (a thread the guardrail flags twice) repeated to each size,
so a megabyte holds about 3,400 flagged statistics. For each size, one run:

1. the view alone: `render.check_result` of the draft's result (the highlighted lines and a
   block per flagged statistic), median of three rounds;
2. `angleforge check FILE` and `angleforge check FILE --json`, wall clock, median of three
   runs: the command as a user runs it, and the same without the view.

Growth is reported as seconds per megabyte: a linear view keeps it steady from size to size.
The results are printed as a Markdown table and written to the "## Check view" section of
benchmarks/RESULTS.md (the rest of the file is kept). From the repository root:

    .venv/bin/python benchmarks/check_view.py [--sizes 0.1,1,5] [--no-write]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from angleforge import render  # noqa: E402
from angleforge.guardrail import Guardrail  # noqa: E402
from angleforge.knowledge import load  # noqa: E402
from benchmarks.results import write_section  # noqa: E402
from benchmarks.timing import command_seconds, keep_bytecode, median_seconds  # noqa: E402

HEADING = "Check view"
THREAD = (ROOT / "examples" / "thread.md").read_text(encoding="utf-8")
COMMAND = str(Path(sys.executable).with_name("angleforge"))
MEGABYTE = 1_000_000


def draft_of(megabytes: float) -> str:
    copies = max(1, round(megabytes * MEGABYTE / (len(THREAD) + 1)))
    return "\n".join([THREAD] * copies)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0.1,1,5", help="draft sizes in megabytes, comma-separated")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md as it is")
    options = parser.parse_args(argv)
    keep_bytecode()
    guardrail = Guardrail(load(ROOT / "knowledge"))
    style = render.Style(False)
    rows = []
    with tempfile.TemporaryDirectory(prefix="angleforge-check-view-") as scratch:
        for megabytes in (float(size) for size in options.sizes.split(",")):
            text = draft_of(megabytes)
            result = guardrail.check(text)
            view = median_seconds(lambda: render.check_result(result, text, style), rounds=3)  # noqa: B023
            path = Path(scratch) / f"draft-{megabytes}mb.md"
            path.write_text(text, encoding="utf-8")
            human, _ = command_seconds([COMMAND, "check", str(path)], ROOT, rounds=3)
            machine, _ = command_seconds([COMMAND, "check", str(path), "--json"], ROOT, rounds=3)
            size = len(text.encode()) / MEGABYTE
            rows.append((size, len(result.flagged), view, human, machine))
            print(f"{size:.2f} MB: view {view:.3f} s, check {human:.2f} s, --json {machine:.2f} s", file=sys.stderr)
    lines = [
        "The human view of `check` on `examples/thread.md` repeated to each size (two flagged statistics a "
        "copy); the view alone, then the whole command with it and without it (`--json`); medians of three.",
        "",
        "| draft | flagged statistics | view | view per MB | `check` | `check --json` |",
        "|---|---|---|---|---|---|",
        *[
            f"| {size:.2f} MB | {flagged:,} | {view:.3f} s | {view / size:.3f} s | {human:.2f} s | {machine:.2f} s |"
            for size, flagged, view, human, machine in rows
        ],
        "",
    ]
    if not options.no_write:
        write_section(HEADING, "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1:])
