"""Count the machine instructions one check of the 1 KB thread costs, under valgrind's callgrind.

Wall-clock figures on a shared machine move by half from one hour to the next; instruction
counts do not (the same count twice, whatever else the machine is doing), so they tell whether
a change to the check made it cheaper. Each figure is (instructions of N checks - instructions
of none) / N, so loading Python and the knowledge base cancels out. Writes its section of
benchmarks/RESULTS.md. From the repository root (about a minute; needs `valgrind`):

    .venv/bin/python benchmarks/instructions.py
"""

from __future__ import annotations

import platform
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 40
WHAT = {
    "new": "Check, 1 KB thread never seen before",
    "again": "Check, the same thread again",
    "extract": "Statistic extraction alone",
}


def _work(what: str, rounds: int) -> None:
    """What is counted: `rounds` checks (or extractions) after one warm-up check."""
    sys.path.insert(0, str(ROOT))
    from angleforge.guardrail import Guardrail
    from angleforge.knowledge import load
    from angleforge.quantities import extract
    from benchmarks.timing import cold

    guardrail = Guardrail(load(ROOT / "knowledge"))
    thread = (ROOT / "benchmarks" / "thread-1kb.md").read_text(encoding="utf-8")
    guardrail.check(thread)
    for _ in range(rounds):
        if what == "extract":
            extract(thread)
            continue
        if what == "new":
            cold(guardrail)
        guardrail.check(thread)


def _instructions(what: str, rounds: int) -> int:
    with tempfile.TemporaryDirectory() as folder:
        run = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={folder}/out",
                sys.executable,
                __file__,
                "--work",
                what,
                str(rounds),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    found = re.search(r"Collected : (\d+)", run.stderr)
    if found is None:
        raise SystemExit(f"callgrind printed no count: {run.stderr[-500:]}")
    return int(found.group(1))


def main() -> None:
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed")
    sys.path.insert(0, str(ROOT))
    from benchmarks.results import write_section

    runs = [(what, rounds) for what in WHAT for rounds in (ROUNDS, 0)]
    with ThreadPoolExecutor(max_workers=2) as pool:  # each run is its own process
        counts = dict(zip(runs, pool.map(lambda run: _instructions(*run), runs), strict=True))
    lines = [
        f"Counted by `benchmarks/instructions.py` under valgrind's callgrind on {platform.machine()}, "
        f"Python {platform.python_version()}: (instructions of {ROUNDS} rounds - instructions of none) / "
        f"{ROUNDS}. Unlike wall-clock time, a count does not move with the machine's load.",
        "",
        "| what | instructions |",
        "|---|---|",
    ]
    for what, label in WHAT.items():
        per_round = (counts[(what, ROUNDS)] - counts[(what, 0)]) / ROUNDS
        lines.append(f"| {label} | {per_round / 1e6:.2f} million |")
    write_section("Instructions per check", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--work"]:
        _work(sys.argv[2], int(sys.argv[3]))
    else:
        main()
