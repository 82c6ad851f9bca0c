"""Count the machine instructions one check of the 1 KB thread costs, under valgrind's callgrind.

Wall-clock figures on a shared machine move by half from one hour to the next; instruction
counts do not (the same count twice, whatever else the machine is doing), so they tell whether
a change to the check made it cheaper. Each figure is (instructions of N checks - instructions
of none) / N, so loading Python and the knowledge base cancels out.

Where mypyc (it comes with the dev extras' mypy) and a C compiler are at hand, the check is
also counted with its modules compiled by mypyc into a scratch folder: what compiling the same
code, rather than changing it, would give. angleforge itself stays pure Python.

Writes its section of benchmarks/RESULTS.md. From the repository root (one to two minutes;
needs `valgrind`):

    .venv/bin/python benchmarks/instructions.py
"""

from __future__ import annotations

import importlib.util
import os
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
COMPILED = "Check, 1 KB thread never seen before, its modules compiled by mypyc"
# the modules and packages a check runs through
CHECK_MODULES = ("attribution", "findings", "guardrail", "patterns", "quantities", "statuses", "subjects", "terms")


def _work(what: str, rounds: int, package_root: str = "") -> None:
    """What is counted: `rounds` checks (or extractions) after one warm-up check, with
    angleforge imported from `package_root` if given."""
    sys.path.insert(0, str(ROOT))
    if package_root:
        sys.path.insert(0, package_root)
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


def _instructions(what: str, rounds: int, package_root: str = "") -> int:
    # the runs of a pair start alike only if neither writes bytecode that the other, running
    # beside it, might read instead of compiling
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONPYCACHEPREFIX"}
    environment["PYTHONDONTWRITEBYTECODE"] = "1"
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
                package_root,
            ],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        )
    found = re.search(r"Collected : (\d+)", run.stderr)
    if found is None:
        raise SystemExit(f"callgrind printed no count: {run.stderr[-500:]}")
    return int(found.group(1))


def _check_sources(root: Path) -> list[str]:
    """The files of the check's modules and packages in the copy of angleforge at `root`."""
    files: list[Path] = []
    for name in CHECK_MODULES:
        module = root / "angleforge" / f"{name}.py"
        files.extend([module] if module.exists() else sorted((root / "angleforge" / name).glob("*.py")))
    return [path.relative_to(root).as_posix() for path in files]


def _compile(folder: Path) -> str:
    """A copy of angleforge in `folder` with the check's modules compiled by mypyc, or ""
    where mypyc or a C compiler is missing."""
    if importlib.util.find_spec("mypyc") is None or not (shutil.which("cc") or shutil.which("gcc")):
        return ""
    shutil.copytree(ROOT / "src" / "angleforge", folder / "angleforge")
    build = subprocess.run(
        [sys.executable, "-m", "mypyc", *_check_sources(folder)], cwd=folder, capture_output=True, text=True
    )
    if build.returncode != 0:
        print(f"mypyc could not compile the check, so it is counted only as Python: {build.stdout[-300:]}")
        return ""
    return str(folder)


def main() -> None:
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed")
    sys.path.insert(0, str(ROOT))
    from benchmarks.results import write_section

    rows = [(label, what, "") for what, label in WHAT.items()]
    # each run is its own process; the compiled copy is built while the first runs count
    with tempfile.TemporaryDirectory() as scratch, ThreadPoolExecutor(max_workers=2) as pool:
        compiled = pool.submit(_compile, Path(scratch))
        runs = {(what, rounds, ""): pool.submit(_instructions, what, rounds) for what in WHAT for rounds in (ROUNDS, 0)}
        if package_root := compiled.result():
            rows.append((COMPILED, "new", package_root))
            runs.update(
                {
                    ("new", rounds, package_root): pool.submit(_instructions, "new", rounds, package_root)
                    for rounds in (ROUNDS, 0)
                }
            )
        counts = {run: future.result() for run, future in runs.items()}
    lines = [
        f"Counted by `benchmarks/instructions.py` under valgrind's callgrind on {platform.machine()}, "
        f"Python {platform.python_version()}: (instructions of {ROUNDS} rounds - instructions of none) / "
        f"{ROUNDS}. Unlike wall-clock time, a count does not move with the machine's load.",
        "",
        "| what | instructions |",
        "|---|---|",
    ]
    for label, what, root in rows:
        per_round = (counts[(what, ROUNDS, root)] - counts[(what, 0, root)]) / ROUNDS
        lines.append(f"| {label} | {per_round / 1e6:.2f} million |")
    write_section("Instructions per check", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--work"]:
        _work(sys.argv[2], int(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else "")
    else:
        main()
