"""Generate: for each angle x format x count, render, call the provider, check, repair, store.

Every attempt is committed before the next step starts, so a killed run loses at most the
call in flight, and `resume` picks up each unfinished draft where its last attempt left it.
Drafts run concurrently up to a bound; a provider failure fails one draft, not the run.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal

from angleforge import repair
from angleforge.angles import Angle, Format, angles, topic_angle
from angleforge.briefing import Briefer, Briefing
from angleforge.checking import check_draft
from angleforge.drafts import DraftRequest
from angleforge.errors import AngleforgeError, UsageError
from angleforge.findings import CheckResult
from angleforge.guardrail import Guardrail
from angleforge.knowledge import KnowledgeBase
from angleforge.percentile import percentile
from angleforge.prompts import Prompts
from angleforge.providers.base import Provider, ProviderError
from angleforge.retrieval import FactIndex
from angleforge.statuses import DraftStatus, Verdict
from angleforge.store import Attempt, Run, Store, StoredDraft, owner

DraftProgress = Callable[[StoredDraft], None]  # told of each draft once it is stored


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    """What a run was asked for; stored with the run so `resume` can rebuild it."""

    angles: list[str]  # angle names, or empty with a topic
    topic: str | None
    format: Format | None  # None: each angle in its own format
    count: int
    seed: int
    max_repairs: int
    fact_count: int  # facts a prompt carries

    @classmethod
    def from_parameters(cls, parameters: Mapping[str, Any]) -> Plan:
        """The plan a run was stored with; runs stored before `fact_count` had its name call
        it `facts`, and resume all the same."""
        given = dict(parameters)
        if "facts" in given:
            given["fact_count"] = given.pop("facts")
        return cls(**given)


@dataclass(frozen=True, slots=True, kw_only=True)
class Summary:
    run: Run
    drafts: list[StoredDraft]

    def count(self, status: DraftStatus) -> int:
        return sum(1 for d in self.drafts if d.status == status)

    @property
    def repairs(self) -> int:
        return sum(max(d.attempts - 1, 0) for d in self.drafts)

    def latency(self, share: float) -> float:
        """Seconds per draft at this percentile (0.5 for the median) of the drafts attempted."""
        return percentile((d.seconds for d in self.drafts if d.attempts), share)


class Generator:
    """Writes the drafts of a run with one provider."""

    def __init__(
        self,
        *,
        kb: KnowledgeBase,
        prompts: Prompts,
        provider: Provider,
        store: Store,
        guardrail: Guardrail | None = None,
        concurrency: int = 8,
    ) -> None:
        self.kb = kb
        self.prompts = prompts
        self.provider = provider
        self.store = store
        self.guardrail = guardrail or Guardrail(kb)
        self.index = FactIndex(kb)
        self.briefer = Briefer(kb, self.index, self.guardrail)
        self.concurrency = concurrency
        self._angles = {a.name: a for a in angles(kb)}

    # --- planning ----------------------------------------------------------------------

    def angle(self, name: str) -> Angle:
        if name not in self._angles:
            known = ", ".join(self._angles) or "none"
            raise UsageError(f"unknown angle '{name}' (angles: {known})")
        return self._angles[name]

    def jobs(self, plan: Plan) -> list[tuple[Angle, Format]]:
        if plan.topic is not None:
            chosen = [topic_angle(plan.topic, plan.format or "thread")]
        elif plan.angles:
            chosen = [self.angle(name) for name in plan.angles]
        else:
            chosen = list(self._angles.values())
        return [(angle, plan.format or angle.format) for angle in chosen for _ in range(plan.count)]

    def start(self, plan: Plan) -> Run:
        jobs = self.jobs(plan)
        # a template that fails to render stops the start of a run before anything is stored
        for seq, (angle, fmt) in enumerate(jobs, start=1):
            if (angle, fmt) not in jobs[: seq - 1]:
                self._compose(self.briefer.brief(angle, fmt, fact_count=plan.fact_count))
        return self.store.create_run(
            self.provider.name, self.provider.model, asdict(plan), [(a.name, f) for a, f in jobs]
        )

    # --- running -----------------------------------------------------------------------

    async def run(self, run: Run, progress: DraftProgress | None = None) -> Summary:
        """Write every draft of `run` not yet written (all of them, for a new run); drafts that
        failed are tried again."""
        plan = Plan.from_parameters(run.parameters)
        jobs = self.jobs(plan)
        pending = [d for d in self.store.drafts(run.id) if not d.status.written]
        # `concurrency` bounds requests in flight. Twice as many drafts are in hand, so a freed
        # request slot goes at once to a draft already rendered, while the draft whose reply just
        # came back is checked and stored off the model's critical path.
        in_hand = asyncio.Semaphore(2 * self.concurrency)
        requests = _Requests(self.concurrency)
        started = time.perf_counter()
        me = owner()

        async def one(draft: StoredDraft) -> None:
            angle, fmt = jobs[draft.seq - 1]
            variant = jobs[: draft.seq - 1].count((angle, fmt))
            async with in_hand:
                # a stopped run takes no more drafts; and another process resuming the same run
                # may have this one: write each draft once
                if requests.stopped or not self.store.take(draft.id, me):
                    return
                try:
                    await self._write(draft, angle, fmt, plan, requests, variant)
                except (AngleforgeError, sqlite3.Error, OSError) as error:
                    # one draft's trouble fails that draft, not the run...
                    self.store.fail_draft(draft.id, f"{type(error).__name__}: {error}")
                    if isinstance(error, AngleforgeError) and error.stops_run:
                        requests.stopped = True
                        raise  # ...unless every other draft would meet it too
            if progress is not None:
                progress(self.store.draft(draft.id))

        try:
            # a task group: the first error that stops the run cancels the drafts still to come,
            # which stay pending (or leased to this process) for `resume`
            async with asyncio.TaskGroup() as drafts:
                for draft in pending:
                    drafts.create_task(one(draft))
        except BaseExceptionGroup as stopped:
            raise _first(stopped) from None
        finally:
            await self.provider.aclose()
        finished = self.store.finish_run(run.id, time.perf_counter() - started)
        return Summary(run=finished, drafts=self.store.drafts(run.id))

    def _compose(self, briefing: Briefing) -> list[dict[str, str]]:
        context = briefing.context()
        return [
            {"role": "system", "content": self.prompts.render("system", **context)},
            {"role": "user", "content": self.prompts.render(briefing.format, **context)},
        ]

    def _repair(
        self, briefing: Briefing, compose: list[dict[str, str]], posts: list[str], result: CheckResult
    ) -> list[dict[str, str]]:
        """The compose conversation, the draft as the model gave it, and what to fix in it: the
        model repairs with the angle, facts, voice and rules of the first message in view."""
        notes = repair.notes(posts, result, briefing.facts)
        feedback = self.prompts.render("repair", **briefing.context(), notes=notes)
        answer = json.dumps({"posts": posts}, ensure_ascii=False)
        return [*compose, {"role": "assistant", "content": answer}, {"role": "user", "content": feedback}]

    async def _write(
        self, draft: StoredDraft, angle: Angle, fmt: Format, plan: Plan, requests: _Requests, variant: int
    ) -> None:
        seed = plan.seed + draft.seq
        briefing = self.briefer.brief(angle, fmt, fact_count=plan.fact_count, variant=variant)
        compose = self._compose(briefing)

        done = self.store.attempts(draft.id)
        # a resumed draft goes on from its last checked attempt: a failed call changes nothing
        checked = [attempt for attempt in done if attempt.verdict is not None]
        previous: list[str] = checked[-1].posts if checked else []
        last = CheckResult.from_json(checked[-1].findings) if checked else None
        number, made = len(done), len(checked)
        while True:
            kind: Literal["compose", "repair"] = "repair" if last is not None else "compose"
            messages = compose if last is None else self._repair(briefing, compose, previous, last)
            request = DraftRequest(
                angle=briefing.angle,
                format=fmt,
                facts=briefing.facts,
                messages=messages,
                seed=seed + number,
                variant=variant,
                rejected=last.flagged if last is not None else [],
                previous=previous,
            )
            number += 1
            try:
                async with requests:
                    completion = await self.provider.complete(request)
                await _behind_the_requests()
            except ProviderError as error:
                failed = Attempt(
                    draft_id=draft.id,
                    number=number,
                    kind=kind,
                    prompt=messages,
                    raw=error.raw,
                    error=str(error),
                    prompt_tokens=error.usage.prompt_tokens,
                    completion_tokens=error.usage.completion_tokens,
                    cost=error.cost,
                    seconds=error.seconds,
                    retries=max(error.attempts - 1, 0),
                )
                self.store.record_attempt(failed, finish=(DraftStatus.FAILED, previous, [], str(error)))
                if error.stops_run:
                    raise
                return
            made += 1
            posts = [post.strip() for post in completion.reply.posts]
            # the statistics and the format's rules alike: a 300-character post is sent back as
            # an unbacked figure is, and is stored flagged if the last repair still breaks a rule
            result = check_draft(self.guardrail, fmt, posts, path=draft.id)
            findings = result.findings_json()
            final = result.verdict is Verdict.PASS or made > plan.max_repairs
            attempt = Attempt(
                draft_id=draft.id,
                number=number,
                kind=kind,
                prompt=messages,
                raw=completion.raw,
                posts=posts,
                findings=findings,
                verdict=result.verdict,
                prompt_tokens=completion.usage.prompt_tokens,
                completion_tokens=completion.usage.completion_tokens,
                cost=completion.cost,
                seconds=completion.latency,
                cached=completion.cached,
                retries=completion.retries,
            )
            self.store.record_attempt(attempt, finish=(result.draft_status, posts, findings, None) if final else None)
            if final:
                return
            previous, last = posts, result


class _Requests:
    """A run's request slots: at most `bound` requests in flight, and none sent once the run
    is stopped (a draft woken by the slot the stopping draft freed would otherwise still send
    its request before the task group cancels it)."""

    def __init__(self, bound: int) -> None:
        self._slots = asyncio.Semaphore(bound)
        self.stopped = False

    async def __aenter__(self) -> None:
        await self._slots.acquire()
        if self.stopped:
            self._slots.release()
            raise asyncio.CancelledError

    async def __aexit__(self, *exc: object) -> None:
        self._slots.release()


def _first(group: BaseExceptionGroup[BaseException]) -> BaseException:
    """The error that stopped a run: drafts in flight may have met the same one at once."""
    first = group.exceptions[0]
    return _first(first) if isinstance(first, BaseExceptionGroup) else first


async def _behind_the_requests() -> None:
    """Two turns of the event loop: the first lets the draft woken by a freed request slot send
    its request, the second puts this draft behind every draft woken by replies that came back
    in the same turn. Requests go out first; replies are checked and stored after."""
    await asyncio.sleep(0)
    await asyncio.sleep(0)
