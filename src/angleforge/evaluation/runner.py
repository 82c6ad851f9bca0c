"""Running eval suites: the guardrail's labelled drafts, and generation cases scored.

Generation cases write their drafts into a scratch store (a review queue is no place for
them); the scores of every eval run are kept in the workspace store, so a run can be compared
with an earlier one and charted.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import cast

from angleforge.angles import Format
from angleforge.config import Settings
from angleforge.evaluation import scorers
from angleforge.evaluation.coherence import Coherence
from angleforge.evaluation.guardrail_suite import GuardrailSuiteFile, load_suite, score_suite
from angleforge.evaluation.recall import fact_recall
from angleforge.evaluation.recordings import recorded
from angleforge.evaluation.repairs import FlagLabels, false_alarms_per_draft, format_violations, real_fix_share
from angleforge.evaluation.results import CaseResult, EvalRun, FailingDraft, Score, SuiteResult, Threshold
from angleforge.evaluation.suites import GenerationCase, GenerationSuite, KeyFacts, load_yaml, suite_files
from angleforge.findings import Finding
from angleforge.guardrail import Guardrail
from angleforge.knowledge import KnowledgeBase
from angleforge.pipeline import Generator, Plan
from angleforge.prompts import Prompts
from angleforge.providers import registry
from angleforge.providers.base import Provider
from angleforge.providers.registry import Endpoint
from angleforge.statuses import DraftStatus, FindingStatus
from angleforge.store import Attempt, Store, StoredDraft, new_id, now

EvalProgress = Callable[[str], None]  # told the name of each suite or case scored


@dataclass(frozen=True, slots=True, kw_only=True)
class Options:
    endpoint: Endpoint  # where live openai cases and the judge go
    provider: str | None = None  # None: offline (library, and recorded replies for openai cases)
    model: str | None = None  # --model: beats a case's own model (the endpoint's model already is it)
    record: bool = False  # openai cases run live and their replies are saved
    recordings: Path | None = None
    judge: bool = False

    def endpoint_for(self, case: GenerationCase) -> Endpoint:
        """The endpoint with the model a case runs on: --model, else the case's, else the settings'."""
        if self.model is None and case.model is not None:
            return replace(self.endpoint, model=case.model)
        return self.endpoint


class Evaluator:
    def __init__(self, *, kb: KnowledgeBase, prompts: Prompts, settings: Settings, options: Options) -> None:
        self.kb = kb
        self.prompts = prompts
        self.settings = settings
        self.options = options
        self.guardrail = Guardrail(kb)
        # copying is measured against the evidence: the author's own hooks are theirs to post
        self._copies = scorers.CopyMeter(c.text for c in kb.claims)
        self._coherence = Coherence(kb)

    def run(self, suites: list[Path], progress: EvalProgress | None = None) -> EvalRun:
        started = time.perf_counter()
        results = []
        for source in suites:
            if _holds_labelled_drafts(source):
                results.append(self.guardrail_suite(source))
                if progress:
                    progress(f"guardrail suite: {source}")
            else:
                for path in suite_files(source) if source.is_dir() else [source]:
                    results.append(self.generation_suite(path, progress))
        provider = self.options.provider or "offline"
        model = self.options.model or (self.options.endpoint.model if provider == "openai" else "library")
        return EvalRun(
            id=new_id("e"),
            created_at=now(),
            provider=provider,
            model=model,
            seconds=time.perf_counter() - started,
            suites=results,
        )

    # --- the guardrail -----------------------------------------------------------------------

    def guardrail_suite(self, source: Path) -> SuiteResult:
        """The guardrail scored on the labelled drafts of a suite folder, or of one file of it."""
        files = load_suite(source)
        report = score_suite(files, self.guardrail)
        cases = []
        for file in files:
            score = report.by_category.get(file.category)
            if score is None:
                continue
            values = {"precision": score.precision, "recall": score.recall, "f1": score.f1}
            # each failing draft once, with every statistic it got wrong and what the guardrail flagged in it
            problems: dict[str, list[str]] = {}
            for o in [*report.misses, *report.false_alarms]:
                if o.category == file.category:
                    problems.setdefault(o.case, []).append(
                        f"'{o.text}' expected {o.expected or FindingStatus.GROUNDED}, got {o.actual or 'not found'}"
                    )
            failing = [
                FailingDraft(
                    draft_id=case,
                    text=(text := _case_text(files, case)),
                    problems=found,
                    flagged=[finding.to_json() for finding in self.guardrail.check(text, path=case).flagged],
                )
                for case, found in problems.items()
            ]
            cases.append(CaseResult(case=file.category, scores=_scores(values, file.thresholds), failing=failing))
        overall = report.overall
        totals = {
            "precision": overall.precision,
            "recall": overall.recall,
            "f1": overall.f1,
            "status_agreement": overall.status_agreements / max(overall.true_positives, 1),
        }
        return SuiteResult(suite="guardrail", kind="guardrail", scores=_scores(totals, {}), cases=cases)

    # --- generation --------------------------------------------------------------------------

    def generation_suite(self, path: Path, progress: EvalProgress | None = None) -> SuiteResult:
        suite: GenerationSuite = load_yaml(path, GenerationSuite)
        key_facts: KeyFacts | None = load_yaml(path.parent / suite.key_facts, KeyFacts) if suite.key_facts else None
        every: list[scorers.ScoredDraft] = []
        cases = []
        for case in suite.cases:
            drafts = asyncio.run(self._write(suite, case, path))
            every.extend(drafts)
            cases.append(self._score(suite, case.id, drafts, key_facts))
            if progress:
                progress(f"{suite.suite}/{case.id}")
        totals = self._score(suite, _OVERALL, every, key_facts)
        if self.options.judge:
            totals.scores.extend(asyncio.run(self._judge(every)))
        return SuiteResult(suite=suite.suite, kind="generation", scores=totals.scores, cases=cases)

    async def _judge(self, drafts: list[scorers.ScoredDraft]) -> list[Score]:
        from angleforge.evaluation.judge import judge

        provider = registry.build("openai", kb=self.kb, settings=self.settings, endpoint=self.options.endpoint)
        try:
            return await judge(drafts, provider, self.prompts)
        finally:
            await provider.aclose()

    async def _write(self, suite: GenerationSuite, case: GenerationCase, path: Path) -> list[scorers.ScoredDraft]:
        with tempfile.TemporaryDirectory(prefix="angleforge-eval-") as scratch:
            store = Store.open(Path(scratch) / "eval.db")
            try:
                provider = self._provider(suite, case, path)
                generator = Generator(
                    kb=self.kb,
                    prompts=self.prompts,
                    provider=provider,
                    store=store,
                    guardrail=self.guardrail,
                    concurrency=self.settings.generate.concurrency,
                )
                plan = Plan(
                    angles=[case.angle] if case.angle else [],
                    topic=case.topic,
                    format=case.format,
                    count=case.count,
                    seed=case.seed,
                    max_repairs=self.settings.generate.max_repairs if case.max_repairs is None else case.max_repairs,
                    fact_count=self.settings.generate.facts,
                )
                summary = await generator.run(generator.start(plan))
                return [_scored(case, draft, store.attempts(draft.id)) for draft in summary.drafts]
            finally:
                store.close()

    def _provider(self, suite: GenerationSuite, case: GenerationCase, path: Path) -> Provider:
        """The case's provider, live or from its recording; none keeps a reply cache, since an
        eval measures what the provider does now."""
        name = self.options.provider or case.provider or "library"
        endpoint, http_client = self.options.endpoint_for(case), None
        live = self.options.provider == "openai" and not self.options.record
        if name == "openai" and not live:  # replayed offline, or run live and recorded
            recording = self._recording(suite, case, path)
            endpoint, http_client = recorded(
                recording, endpoint, record=self.options.record, timeout=self.settings.generate.timeout
            )
        return registry.build(name, kb=self.kb, settings=self.settings, endpoint=endpoint, http_client=http_client)

    def _recording(self, suite: GenerationSuite, case: GenerationCase, path: Path) -> Path:
        """Where a case's replies are: the workspace's own recording, which `--record` writes;
        without one, the recording shipped beside the suite (`evals/recordings/`)."""
        file = f"{suite.suite}-{case.id}.json"
        own = (self.options.recordings or Path("evals/recordings")) / file
        shipped = path.parent.parent / "recordings" / file
        return own if self.options.record or own.is_file() or not shipped.is_file() else shipped

    def _score(
        self, suite: GenerationSuite, name: str, drafts: list[scorers.ScoredDraft], key_facts: KeyFacts | None
    ) -> CaseResult:
        rules: dict[str, scorers.DraftRule] = {
            "written": scorers.written,
            "pass_before_repair": scorers.passed_before_repair,
            "pass_after_repair": scorers.passed_after_repair,
            "format_rules": scorers.format_rules,
            "first_person": scorers.first_person,
            "contrarian_turn": scorers.contrarian_turn,
            "hashtags": scorers.hashtags(suite.max_hashtags),
            "hype_free": scorers.banned_words(suite.banned_words),
            "originality": self._copies.rule(suite.max_copied_share),
            "coherence": self._coherence.rule,
        }
        values: dict[str, float] = {}
        problems: dict[str, list[str]] = {}

        def keep(score: str, outcome: scorers.RuleShare) -> None:
            values[score] = outcome.value
            for draft_id, found in outcome.problems.items():
                problems.setdefault(draft_id, []).extend(f"{score}: {p}" for p in found)

        written = [d for d in drafts if d.status != DraftStatus.FAILED]
        for score, rule in rules.items():
            # a draft that was never written fails the pass rates, not the rules for text
            kept = scorers.share(drafts if score in _PASS_RATES else written, rule)
            if score in _PASS_RATES and score != "written":  # a repaired first try is no failure
                values[score] = kept.value
            else:
                keep(score, kept)
        keep("repetition", scorers.repetition(written))
        if key_facts is not None:
            keep("fact_recall", fact_recall(drafts, key_facts))
        labels = FlagLabels(suite.false_alarms)
        values["repairs_per_draft"] = scorers.repairs_per_draft(drafts)
        values["false_alarms_per_draft"] = false_alarms_per_draft(drafts, labels)
        values["real_fix_share"] = real_fix_share(drafts, labels)
        values["format_violations"] = format_violations(drafts)
        values["distinct_hooks"] = scorers.distinct_hooks(drafts)
        values["cost_usd"] = scorers.cost(drafts)
        values["latency_p95_s"] = scorers.latency_p95(drafts)
        by_id = {d.id: d for d in drafts}
        failing = [
            FailingDraft(draft_id=draft_id, text=by_id[draft_id].text, problems=found, flagged=by_id[draft_id].flagged)
            for draft_id, found in problems.items()
        ]
        # every draft must be written, unless a suite says otherwise
        thresholds = {"written": Threshold(min=1.0), **suite.thresholds}
        if name == _OVERALL:
            thresholds.update(suite.overall)
        return CaseResult(case=name, scores=_scores(values, thresholds), failing=failing)


_PASS_RATES = ("written", "pass_before_repair", "pass_after_repair")
_OVERALL = "all"  # the name the suite's scores over all its cases go by


def _scored(case: GenerationCase, draft: StoredDraft, attempts: list[Attempt]) -> scorers.ScoredDraft:
    """What the scorers see of a stored draft of a case, and of its attempts."""
    checked = [attempt for attempt in attempts if attempt.verdict is not None]
    return scorers.ScoredDraft(
        id=f"{case.id}/{draft.seq}",
        case=case.id,
        format=cast(Format, draft.format),  # the store holds the formats runs wrote
        angle=draft.angle,
        topic=case.topic,
        posts=draft.posts,
        status=draft.status,
        first_verdict=attempts[0].verdict if attempts else None,
        attempts=draft.attempts,
        seconds=draft.seconds,
        cost=draft.cost,
        flagged=[f for f in draft.findings if FindingStatus(f["status"]).flags],
        error=draft.error,
        prompt=attempts[0].prompt[-1]["content"] if attempts and attempts[0].prompt else "",
        history=[
            scorers.ScoredAttempt(
                posts=attempt.posts, flagged=[f for f in map(Finding.from_json, attempt.findings) if f.flags]
            )
            for attempt in checked
        ],
    )


def _scores(values: dict[str, float], thresholds: dict[str, Threshold]) -> list[Score]:
    return [Score(name=name, value=value, threshold=thresholds.get(name)) for name, value in values.items()]


def _case_text(files: list[GuardrailSuiteFile], case_id: str) -> str:
    return next((case.text for file in files for case in file.cases if case.id == case_id), "")


def _holds_labelled_drafts(source: Path) -> bool:
    """Whether a suite folder or file holds the guardrail's labelled drafts: a folder named
    guardrail does, and so does a file in one."""
    return (source if source.is_dir() else source.parent).name == "guardrail"
