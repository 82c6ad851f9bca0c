"""A reviewer in its own process, for tests/test_reliability.py: it keeps deciding drafts
through the `angleforge` command while `angleforge generate` runs write the same store.

    python tests/support/generate_worker.py review --db FILE --workspace DIR --stop FILE [--deadline S]

Each pass lists every draft (`review list --status all --json`) and decides the passed and
flagged ones it has not decided yet (`review approve` or `review reject --note`, alternately),
and tries again one draft it already decided, so "already approved" is heard too. Every
command runs in this process through `angleforge.cli.main`, so each opens the store afresh,
as a person typing the commands would. What each command wrote to stderr is copied to this
process's stderr; an exception that escapes `main` is printed with its traceback and counted.
After the stop file appears it makes one last pass and prints a JSON summary on stdout.
Exit 0, or 3 when any command raised.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

from angleforge.cli import main


def run(argv: list[str]) -> tuple[int | None, str, str]:
    """`angleforge ARGV` in this process: (exit code or None if it raised, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code: int | None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as stop:  # argparse
            code = stop.code if isinstance(stop.code, int) else 2
        except Exception:
            traceback.print_exc()
            code = None
    sys.stderr.write(err.getvalue())
    sys.stderr.flush()
    return code, out.getvalue(), err.getvalue()


def review(db: Path, workspace: Path, stop: Path, deadline: float) -> int:
    where = ["--db", str(db), "--workspace", str(workspace)]
    counts: Counter[str] = Counter()
    decided: dict[str, str] = {}
    first_decision_at: float | None = None
    ends = time.monotonic() + deadline
    while not db.exists() and not stop.exists() and time.monotonic() < ends:
        time.sleep(0.02)
    last_pass = False
    while True:
        last_pass = stop.exists() or time.monotonic() >= ends
        code, out, _ = run(["review", "list", "--status", "all", "--json", *where])
        counts["list"] += 1
        if code != 0:
            counts["list_failed" if code is not None else "raised"] += 1
            drafts: list[dict[str, Any]] = []
        else:
            drafts = json.loads(out)
        for draft in drafts:
            if draft["status"] not in ("passed", "flagged") or draft["id"] in decided:
                continue
            action = "approve" if len(decided) % 3 else "reject"
            code, _, err = run(["review", action, draft["id"], "--note", "reliability reviewer", *where])
            counts[f"{action}:{code}"] += 1
            if code is None:
                counts["raised"] += 1
            elif code == 0:
                decided[draft["id"]] = action
                first_decision_at = first_decision_at or time.time()
            elif "changed since it was read" in err or "already" in err:
                counts["conflict"] += 1
        if decided:  # decide one again: "already approved/rejected" is the expected answer
            again = sorted(decided)[counts["list"] % len(decided)]
            code, _, err = run(["review", "approve", again, "--note", "again", *where])
            counts[f"again:{code}"] += 1
            if code is None:
                counts["raised"] += 1
            elif "already" in err:
                counts["already"] += 1
        if last_pass:
            break
        time.sleep(0.01)
    summary = {
        "decided": decided,
        "counts": dict(counts),
        "first_decision_at": first_decision_at,
        "timed_out": not stop.exists(),
    }
    print(json.dumps(summary))
    return 3 if counts["raised"] else 0


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="generate_worker")
    modes = parser.add_subparsers(dest="mode", required=True)
    reviewer = modes.add_parser("review")
    reviewer.add_argument("--db", type=Path, required=True)
    reviewer.add_argument("--workspace", type=Path, required=True)
    reviewer.add_argument("--stop", type=Path, required=True, help="a file whose appearance ends the loop")
    reviewer.add_argument("--deadline", type=float, default=120.0, help="seconds before giving up on the stop file")
    return parser.parse_args(argv)


if __name__ == "__main__":
    args = parse(sys.argv[1:])
    sys.exit(review(args.db, args.workspace, args.stop, args.deadline))
