"""`angleforge generate`: options in, a run of drafts out, with a progress bar and a summary."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from angleforge.cli.common import Knowledge, find_workspace, open_store, print_json, writable_folder
from angleforge.errors import AngleforgeError, InputError, RunStopped
from angleforge.limits import MAX_CONCURRENCY, MAX_COUNT, MAX_REPAIRS
from angleforge.providers.registry import NAMES
from angleforge.statuses import DraftStatus

if TYPE_CHECKING:
    from angleforge.cli.common import Commands
    from angleforge.config import Settings
    from angleforge.pipeline import Plan, Summary
    from angleforge.store import StoredDraft

# what a draft of a finished run ends as
_OUTCOMES = (DraftStatus.PASSED, DraftStatus.FLAGGED, DraftStatus.FAILED)


def add_parser(commands: Commands, location: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "generate",
        parents=[location],
        help="write drafts on the knowledge base's angles, checked and repaired",
        description="Write drafts, check every statistic, repair what fails, and store them for review. "
        "Exit 0 when every draft is stored passed or flagged, 1 when any failed, 2 on bad input.",
    )
    chosen = parser.add_mutually_exclusive_group()
    chosen.add_argument(
        "--angle", action="append", metavar="NAME", help="an angle (see `angleforge angles`); repeatable"
    )
    chosen.add_argument("--topic", type=_topic, metavar="TEXT", help="a free angle; its facts are found by retrieval")
    chosen.add_argument("--resume", metavar="RUN_ID", help="finish an interrupted run")
    parser.add_argument(
        "--format", choices=["thread", "post", "question"], help="the format (default: each angle's own)"
    )
    parser.add_argument(
        "-n",
        dest="count",
        type=_whole_number(1, MAX_COUNT),
        default=1,
        metavar="N",
        help=f"drafts per angle, 1 to {MAX_COUNT} (default 1)",
    )
    parser.add_argument(
        "--provider",
        choices=NAMES,
        help="default: openai when OPENAI_API_KEY or OPENAI_BASE_URL is set, else library",
    )
    parser.add_argument("--model", metavar="M", help="model name (default: angleforge.toml, else gpt-4o-mini)")
    parser.add_argument("--base-url", metavar="URL", help="an OpenAI-compatible endpoint (default: $OPENAI_BASE_URL)")
    parser.add_argument(
        "--concurrency",
        type=_whole_number(1, MAX_CONCURRENCY),
        metavar="C",
        help=f"requests at once, 1 to {MAX_CONCURRENCY} (default 8)",
    )
    parser.add_argument(
        "--max-repairs",
        type=_whole_number(0, MAX_REPAIRS),
        metavar="R",
        help=f"repairs per draft, 0 to {MAX_REPAIRS} (default 2)",
    )
    parser.add_argument("--seed", type=int, default=1, metavar="S", help="seed for variation (default 1)")
    parser.add_argument("--no-cache", action="store_true", help="ask the model even when a reply is cached")
    parser.add_argument("--db", type=Path, metavar="FILE", help="the draft store (default: .angleforge/angleforge.db)")
    parser.add_argument("--out", type=Path, metavar="DIR", help="also write each draft as Markdown here")
    parser.add_argument("--json", action="store_true", help="print the run and its drafts as JSON")
    parser.set_defaults(handler=run)


def _whole_number(low: int, high: int) -> Callable[[str], int]:
    """An option's parser for a whole number from `low` to `high`, saying so when it is not one."""

    def parse(text: str) -> int:
        try:
            value: int | None = int(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"takes a whole number from {low} to {high}, not {text!r}")
        return value

    return parse


def _topic(text: str) -> str:
    """A free angle's words: retrieval finds nothing for an empty one, so it is refused here."""
    if not text.strip():
        raise argparse.ArgumentTypeError("needs words saying what the drafts are about")
    return text.strip()


def run(args: argparse.Namespace) -> int:
    import asyncio

    from angleforge.config import load_settings
    from angleforge.pipeline import Generator
    from angleforge.prompts import Prompts
    from angleforge.providers import registry

    home = find_workspace(args)
    if args.out is not None:
        writable_folder(args.out, "drafts")
    settings = load_settings(home.root)
    guardrail = Knowledge.of(args, home).guardrail()
    kb = guardrail.kb
    prompts = Prompts(home.prompts)
    prompts.check()
    store = open_store(args, home)
    try:
        resumed = store.run(args.resume) if args.resume else None
        if resumed is not None:
            choice = registry.Choice(resumed.provider, f"resuming run {resumed.id}")
        else:
            choice = registry.choose(args.provider)
        # a resumed run keeps its model unless told otherwise (the library provider ignores it)
        model = args.model or (resumed.model if resumed else None)
        endpoint = registry.Endpoint.from_env(os.environ, base_url=args.base_url, model=model, settings=settings)
        provider = registry.build(
            choice.name, kb=kb, settings=settings, endpoint=endpoint, cache=None if args.no_cache else store
        )
        print(f"angleforge: provider {provider.name} ({choice.reason})", file=sys.stderr)
        generator = Generator(
            kb=kb,
            prompts=prompts,
            provider=provider,
            store=store,
            guardrail=guardrail,
            concurrency=args.concurrency or settings.generate.concurrency,
        )
        # an unknown angle stops the start of a run before anything is stored
        writing = resumed or generator.start(_plan(args, settings))
        total = len(store.drafts(writing.id))
        bar = _ProgressBar(total) if total > 1 and sys.stderr.isatty() and not args.json else None
        try:
            summary = asyncio.run(generator.run(writing, progress=bar.step if bar else None))
        except KeyboardInterrupt:
            raise RunStopped(f"interrupted; {_resumable(args, writing.id)}", exit_code=130) from None
        except AngleforgeError as error:
            if not error.stops_run:
                raise
            raise RunStopped(f"{error}; {_resumable(args, writing.id)}", error.exit_code) from None
        finally:
            if bar:
                bar.close()
    finally:
        store.close()

    if args.out is not None:
        _write_markdown(args.out, summary.drafts, summary.run.provider)
    if args.json:
        print_json(_as_json(summary, provider.offline))
    else:
        print(summary_text(summary, provider.offline))
    failed = [d for d in summary.drafts if d.status == DraftStatus.FAILED]
    if failed:
        print(
            f"angleforge: {len(failed)} of {len(summary.drafts)} drafts failed: {failed[0].error} "
            f"(finish them with `{resume_command(args, summary.run.id)}` once the provider answers)",
            file=sys.stderr,
        )
        return 1
    return 0


def resume_command(args: argparse.Namespace, run_id: str) -> str:
    """The command that finishes `run_id`, with the options that said where it is stored and
    where its drafts go, as this command was given them."""
    command = ["angleforge", "generate", "--resume", run_id]
    for option, value in (
        ("--workspace", args.workspace),
        ("--knowledge", args.knowledge),
        ("--db", args.db),
        ("--base-url", args.base_url),
        ("--out", args.out),
    ):
        if value is not None:
            command += [option, str(value)]
    return shlex.join(command)


def _resumable(args: argparse.Namespace, run_id: str) -> str:
    return f"run {run_id} is stored, its unwritten drafts with it: finish it with `{resume_command(args, run_id)}`"


def _plan(args: argparse.Namespace, settings: Settings) -> Plan:
    from angleforge.pipeline import Plan

    return Plan(
        angles=args.angle or [],
        topic=args.topic,
        format=args.format,
        count=args.count,
        seed=args.seed,
        max_repairs=settings.generate.max_repairs if args.max_repairs is None else args.max_repairs,
        fact_count=settings.generate.facts,
    )


class _ProgressBar:
    def __init__(self, total: int) -> None:
        self.total, self.done = total, 0
        self._draw()

    def step(self, draft: StoredDraft) -> None:
        self.done += 1
        self._draw()

    def _draw(self) -> None:
        width = 30
        filled = width * self.done // self.total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} drafts")
        sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write("\n")


def _write_markdown(folder: Path, drafts: list[StoredDraft], provider: str) -> None:
    from angleforge.export import markdown

    try:
        folder.mkdir(parents=True, exist_ok=True)
        for draft in drafts:
            (folder / f"{draft.id}-{draft.angle}-{draft.format}.md").write_text(
                markdown(draft, provider), encoding="utf-8"
            )
    except OSError as error:
        raise InputError(folder, f"cannot write drafts there: {error.strerror or error}") from None


def _as_json(summary: Summary, offline: bool) -> dict[str, Any]:
    run = summary.run
    return {
        "run": {
            "id": run.id,
            "provider": run.provider,
            "model": run.model,
            "offline": offline,
            "created_at": run.created_at,
            "finished_at": run.finished_at,
            "parameters": run.parameters,
            "drafts": len(summary.drafts),
            **{status: summary.count(status) for status in _OUTCOMES},
            "repairs": summary.repairs,
            "prompt_tokens": run.prompt_tokens,
            "completion_tokens": run.completion_tokens,
            "cost": run.cost,
            "seconds": run.seconds,
            "latency_p50": summary.latency(0.5),
            "latency_p95": summary.latency(0.95),
        },
        "drafts": [
            {
                "id": d.id,
                "status": d.status,
                "angle": d.angle,
                "format": d.format,
                "text": d.text,
                "posts": d.posts,
                "attempts": d.attempts,
                "findings": d.findings,
                **({"error": d.error} if d.error else {}),
            }
            for d in summary.drafts
        ],
    }


def summary_text(summary: Summary, offline: bool) -> str:
    run = summary.run
    counts = ", ".join(f"{status} {summary.count(status)}" for status in _OUTCOMES)
    lines = [
        f"run {run.id}: {len(summary.drafts)} drafts by {run.provider}"
        + (" (composed offline from the knowledge base, no model)" if offline else f" ({run.model})"),
        f"  {counts}; repairs used {summary.repairs}",
        f"  tokens {run.prompt_tokens} in / {run.completion_tokens} out, cost ${run.cost:.4f}",
        f"  latency per draft p50 {summary.latency(0.5) * 1000:.0f} ms, p95 {summary.latency(0.95) * 1000:.0f} ms; "
        f"run {run.seconds:.1f} s",
    ]
    for draft in summary.drafts:
        lines.extend(_draft_lines(draft))
    if summary.count(DraftStatus.FLAGGED):
        lines.append("review flagged drafts with `angleforge review`")
    return "\n".join(lines)


def _draft_lines(draft: StoredDraft) -> list[str]:
    """A draft's line of the summary, then its first post whole (or why there is none): what
    it opens with, how many posts it has, and how close its longest comes to X's limit."""
    from angleforge.formats import RULES, post_length

    head = f"  {draft.id}  {draft.status:<7}  {draft.format:<8}  {draft.angle}"
    if not draft.posts:
        return [f"{head}: {draft.error or 'no text'}"]
    longest = max(post_length(post) for post in draft.posts)
    limit = RULES[draft.format].max_chars if draft.format in RULES else None
    size = f"{len(draft.posts)} post{'s' * (len(draft.posts) != 1)}, longest {longest}" + (
        f" of {limit} characters" if limit else " characters"
    )
    first = draft.posts[0].splitlines() or [""]
    return [f"{head} ({size})", *(f"      {line}" for line in first)]
