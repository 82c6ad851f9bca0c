"""`angleforge generate`: options in, a run of drafts out, with a progress bar and a summary."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from angleforge import workspace
from angleforge.cli import guardrail_for
from angleforge.config import load_settings
from angleforge.export import markdown
from angleforge.pipeline import Generator, Plan, Summary
from angleforge.prompts import Prompts
from angleforge.providers import select
from angleforge.statuses import DraftStatus
from angleforge.store import Store, StoredDraft, store_path


def generate(args: argparse.Namespace) -> int:
    home = workspace.find(args.workspace)
    settings = load_settings(home.root)
    guardrail = guardrail_for(args)
    kb = guardrail.kb
    prompts = Prompts(home.prompts)
    prompts.check()
    store = Store.open(store_path(args.db, home.state))
    try:
        if args.resume:
            run = store.run(args.resume)
            provider_name, reason = run.provider, f"resuming run {run.id}"
        else:
            provider_name, reason = select.choose(args.provider)
        provider = select.build(
            provider_name,
            kb=kb,
            settings=settings,
            store=store,
            model=args.model or (run.model if args.resume and run.provider == "openai" else None),
            base_url=args.base_url,
            use_cache=not args.no_cache,
        )
        print(f"angleforge: provider {provider.name} ({reason})", file=sys.stderr)
        generator = Generator(
            kb=kb,
            prompts=prompts,
            provider=provider,
            store=store,
            guardrail=guardrail,
            concurrency=args.concurrency or settings.generate.concurrency,
        )
        if not args.resume:
            plan = Plan(
                angles=args.angle or [],
                topic=args.topic,
                format=args.format,
                count=args.count,
                seed=args.seed,
                max_repairs=settings.generate.max_repairs if args.max_repairs is None else args.max_repairs,
                facts=settings.generate.facts,
            )
            generator.jobs(plan)  # an unknown angle stops here, before anything is stored
            run = generator.start(plan)
        total = len(store.drafts(run.id))
        bar = _ProgressBar(total) if total > 1 and sys.stderr.isatty() and not args.json else None
        summary = asyncio.run(generator.run(run, progress=bar.step if bar else None))
        if bar:
            bar.close()
    finally:
        store.close()

    if args.out is not None:
        _write_markdown(args.out, summary.drafts, summary.run.provider)
    if args.json:
        print(json.dumps(_as_json(summary, provider.offline), ensure_ascii=False, indent=2))
    else:
        print(_summary_text(summary, provider.offline))
    failed = [d for d in summary.drafts if d.status == DraftStatus.FAILED]
    if failed:
        print(
            f"angleforge: {len(failed)} of {len(summary.drafts)} drafts failed: {failed[0].error} "
            f"(finish them with --resume {summary.run.id} once the provider answers)",
            file=sys.stderr,
        )
        return 1
    return 0


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
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for draft in drafts:
            (folder / f"{draft.id}-{draft.angle}-{draft.format}.md").write_text(
                markdown(draft, provider), encoding="utf-8"
            )
    except OSError as error:
        from angleforge.errors import InputError

        raise InputError(folder, f"cannot write drafts there: {error.strerror or error}") from None


# what a draft of a finished run ends as
_OUTCOMES = (DraftStatus.PASSED, DraftStatus.FLAGGED, DraftStatus.FAILED)


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


def _summary_text(summary: Summary, offline: bool) -> str:
    run = summary.run
    lines = [
        f"run {run.id}: {len(summary.drafts)} drafts by {run.provider}"
        + (" (composed offline from the knowledge base, no model)" if offline else f" ({run.model})"),
        "  "
        + ", ".join(f"{status} {summary.count(status)}" for status in _OUTCOMES)
        + f"; repairs used {summary.repairs}",
        f"  tokens {run.prompt_tokens} in / {run.completion_tokens} out, cost ${run.cost:.4f}",
        f"  latency per draft p50 {summary.latency(0.5) * 1000:.0f} ms, p95 {summary.latency(0.95) * 1000:.0f} ms; "
        f"run {run.seconds:.1f} s",
    ]
    for draft in summary.drafts:
        first = (draft.posts[0] if draft.posts else draft.error or "").replace("\n", " ")
        lines.append(f"  {draft.id}  {draft.status:<7}  {draft.format:<8}  {draft.angle}: {first[:70]}")
    lines.append("review flagged drafts with `angleforge review`")
    return "\n".join(lines)
