"""`angleforge eval`: run the suites, print a table, keep the scores, compare, report."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from angleforge.cli.common import Knowledge, find_workspace, open_store, print_json, store_option, writable_folder
from angleforge.providers.registry import NAMES

if TYPE_CHECKING:
    from angleforge.cli.common import Commands
    from angleforge.evaluation.results import EvalRun, Score


def add_parser(commands: Commands, location: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "eval",
        parents=[location, store_option("the store that keeps eval runs")],
        help="score the guardrail and generation against the suites in evals/",
        description="Exit 0 when every threshold holds, 1 when any fails, 2 on bad input. Offline by default: "
        "the library provider, and recorded replies for cases that name the openai provider.",
    )
    parser.add_argument(
        "suites",
        nargs="*",
        type=Path,
        metavar="SUITE",
        help="suite folders or files; a folder named guardrail, or a file in one, holds the guardrail's"
        " labelled drafts (default: evals/guardrail and evals/generation)",
    )
    parser.add_argument("--provider", choices=NAMES, help="run every case with this provider, live")
    parser.add_argument("--model", metavar="M", help="model for openai cases")
    parser.add_argument("--base-url", metavar="URL", help="an OpenAI-compatible endpoint (default: $OPENAI_BASE_URL)")
    parser.add_argument(
        "--record",
        action="store_true",
        help="run openai cases against the live endpoint and save their replies in evals/recordings/",
    )
    parser.add_argument(
        "--judge",
        action="store_true",
        help="also have a model score voice and persuasiveness (informational, needs an endpoint)",
    )
    parser.add_argument("--compare", metavar="EVAL_RUN_ID", help="show each score beside an earlier eval run's")
    parser.add_argument("--report", type=Path, metavar="DIR", help="write a self-contained HTML report here")
    parser.add_argument("--json", action="store_true", help="print the eval run as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from angleforge.config import load_settings
    from angleforge.errors import InputError, UsageError
    from angleforge.evaluation.results import EvalRun
    from angleforge.evaluation.runner import Evaluator, Options
    from angleforge.prompts import Prompts
    from angleforge.providers.registry import KEY_VARIABLE, URL_VARIABLE, Endpoint

    home = find_workspace(args)
    if args.report is not None:
        writable_folder(args.report, "the report")
    settings = load_settings(home.root)
    endpoint = Endpoint.from_env(os.environ, base_url=args.base_url, model=args.model, settings=settings)
    if (args.provider == "openai" or args.record or args.judge) and not endpoint.configured:
        raise UsageError(f"a live run needs {KEY_VARIABLE} (or {URL_VARIABLE} / --base-url for a local server)")
    suites = args.suites or [home.evals / "guardrail", home.evals / "generation"]
    prompts = Prompts(home.prompts)
    prompts.check()
    store = open_store(args, home)
    history = [EvalRun.model_validate(result) for result in store.eval_results()]
    before = None
    if args.compare:
        before = next((r for r in history if r.id == args.compare), None)
        if before is None:
            raise UsageError(f"no eval run {args.compare} in {store.path}")
    evaluator = Evaluator(
        kb=Knowledge.of(args, home).load(),
        prompts=prompts,
        settings=settings,
        options=Options(
            endpoint=endpoint,
            provider=args.provider,
            model=args.model,
            record=args.record,
            recordings=home.recordings,
            judge=args.judge,
        ),
    )
    terminal = sys.stderr.isatty() and not args.json
    result = evaluator.run(suites, progress=_progress if terminal else None)
    if terminal:
        sys.stderr.write("\n")
    store.save_eval_run(
        result.id, result.created_at, result.provider, result.model, result.passed, result.model_dump(mode="json")
    )
    if args.report is not None:
        from angleforge.evaluation.report import html_report

        page = args.report / f"eval-{result.id}.html"
        try:
            page.write_text(html_report(result, history, before), encoding="utf-8")
        except OSError as error:  # the folder was writable when the run began
            raise InputError(page, f"cannot write the report: {error.strerror or error}") from None
        print(f"report: {page}", file=sys.stderr)
    if args.json:
        print_json({**result.model_dump(mode="json"), "passed": result.passed})
    else:
        print(table(result, before))
    return 0 if result.passed else 1


def _progress(label: str) -> None:
    sys.stderr.write(f"\r\x1b[Kscored {label}")
    sys.stderr.flush()


def table(result: EvalRun, before: EvalRun | None = None) -> str:
    """Suites, cases and scores as a text table; with `before`, its values and the change."""
    old = before.flat_scores() if before is not None else {}
    lines = [f"eval {result.id}: {'PASS' if result.passed else 'FAIL'} ({result.provider}, {result.seconds:.1f} s)"]
    header = f"  {'score':<44} {'value':>9}  {'threshold':<16}"
    lines.append(header + (f" {'before':>9} {'change':>8}" if old else ""))
    for suite in result.suites:
        rows = [(suite.suite, score) for score in suite.scores]
        rows += [(f"{suite.suite}/{case.case}", score) for case in suite.cases for score in case.scores]
        for prefix, score in rows:
            name = f"{prefix}/{score.name}"
            mark = "" if score.passed else "  FAIL"
            threshold = score.threshold.describe() if score.threshold else "(informational)"
            line = f"  {name:<44} {score.value:>9.3f}  {threshold:<16}"
            if name in old:
                change = score.value - old[name]
                line += f" {old[name]:>9.3f} {change:>+8.3f}" + (" (worse)" if _worse(score, change) else "")
            lines.append(line + mark)
        for case in suite.cases:
            for failing in case.failing[:3]:
                lines.append(f"    {suite.suite}/{case.case} {failing.draft_id}: {'; '.join(failing.problems)[:150]}")
    return "\n".join(lines)


def _worse(score: Score, change: float) -> bool:
    lower_is_better = score.threshold is not None and score.threshold.max is not None and score.threshold.min is None
    return change > 1e-9 if lower_is_better else change < -1e-9
