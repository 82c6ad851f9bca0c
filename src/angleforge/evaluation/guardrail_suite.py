"""The guardrail's own accuracy, scored on labelled drafts in `evals/guardrail/*.yaml`.

Each case is a draft and the statistics in it that must be flagged (with their status);
every other statistic the guardrail finds must be grounded. A flag on a labelled statistic
is a true positive, a flag anywhere else a false alarm, a labelled statistic left grounded
a miss.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from pydantic import BaseModel, Field

from angleforge import knowledge
from angleforge.errors import InputError
from angleforge.evaluation.results import Threshold
from angleforge.evaluation.suites import load_yaml, suite_files
from angleforge.guardrail import Finding, Guardrail
from angleforge.statuses import FindingStatus


class ExpectedFlag(BaseModel):
    text: str
    status: FindingStatus
    occurrence: int = Field(default=1, ge=1)


class GuardrailCase(BaseModel):
    id: str
    text: str
    note: str = ""  # what the case probes, for the person reading a miss
    flagged: list[ExpectedFlag] = []


class GuardrailSuiteFile(BaseModel):
    category: str
    description: str = ""
    # the knowledge folder its drafts are checked against, relative to the file (default: the workspace's)
    knowledge: str | None = None
    thresholds: dict[str, Threshold] = {}
    cases: list[GuardrailCase]


class StatisticOutcome(BaseModel):
    """What happened to one statistic of one case."""

    case: str
    category: str
    text: str
    expected: FindingStatus | None  # None: must be grounded
    actual: FindingStatus | None  # None: the extractor did not find it


class FlagCounts(BaseModel):
    """How the guardrail's flags met the labels, and the precision and recall they make."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    status_agreements: int = 0

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        labelled = self.true_positives + self.false_negatives
        return self.true_positives / labelled if labelled else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


class SuiteReport(BaseModel):
    cases: int
    overall: FlagCounts
    by_category: dict[str, FlagCounts]
    misses: list[StatisticOutcome]
    false_alarms: list[StatisticOutcome]
    wrong_status: list[StatisticOutcome]


def load_suite(source: Path) -> list[GuardrailSuiteFile]:
    """Every `*.yaml` file of the suite folder `source` (or the one file `source` is); a
    malformed one names its file and line."""
    suites = []
    for path in suite_files(source) if source.is_dir() else [source]:
        suite: GuardrailSuiteFile = load_yaml(path, GuardrailSuiteFile)
        if suite.knowledge is not None:
            folder = (path.parent / suite.knowledge).resolve()
            if not folder.is_dir():
                raise InputError(path, f"knowledge: {suite.knowledge} is no folder")
            suite = suite.model_copy(update={"knowledge": str(folder)})
        for case in suite.cases:
            for flag in case.flagged:
                if case.text.count(flag.text) < flag.occurrence:
                    raise InputError(path, f"case {case.id}: '{flag.text}' does not occur in its text")
        suites.append(suite)
    return suites


def _locate(text: str, flag: ExpectedFlag) -> tuple[int, int]:
    start = -1
    for _ in range(flag.occurrence):
        start = text.index(flag.text, start + 1)
    return start, start + len(flag.text)


def score_suite(suites: list[GuardrailSuiteFile], guardrail: Guardrail) -> SuiteReport:
    """The flags of `guardrail` (or, for a file naming its own knowledge folder, of a guardrail
    over that folder) against every file's labels."""
    own: dict[str, Guardrail] = {}
    by_category: dict[str, FlagCounts] = defaultdict(FlagCounts)
    overall = FlagCounts()
    misses, false_alarms, wrong_status = [], [], []
    cases = 0
    for suite in suites:
        by_category.setdefault(suite.category, FlagCounts())  # reported even where nothing is flagged
        checker = guardrail
        if suite.knowledge is not None:
            if suite.knowledge not in own:
                own[suite.knowledge] = Guardrail(knowledge.load(Path(suite.knowledge)))
            checker = own[suite.knowledge]
        for case in suite.cases:
            cases += 1
            findings = checker.findings(case.text)
            matched: set[int] = set()
            for flag in case.flagged:
                start, end = _locate(case.text, flag)
                hit: Finding | None = next(
                    (f for i, f in enumerate(findings) if f.start < end and f.end > start and i not in matched),
                    None,
                )
                if hit is not None:
                    matched.add(findings.index(hit))
                actual = hit.status if hit else None
                outcome = StatisticOutcome(
                    case=case.id, category=suite.category, text=flag.text, expected=flag.status, actual=actual
                )
                for score in (overall, by_category[suite.category]):
                    if actual is None or not actual.flags:
                        score.false_negatives += 1
                    else:
                        score.true_positives += 1
                        score.status_agreements += actual == flag.status
                if actual is None or not actual.flags:
                    misses.append(outcome)
                elif actual != flag.status:
                    wrong_status.append(outcome)
            for index, finding in enumerate(findings):
                if index in matched or not finding.flags:
                    continue
                for score in (overall, by_category[suite.category]):
                    score.false_positives += 1
                false_alarms.append(
                    StatisticOutcome(
                        case=case.id,
                        category=suite.category,
                        text=finding.text,
                        expected=None,
                        actual=finding.status,
                    )
                )
    return SuiteReport(
        cases=cases,
        overall=overall,
        by_category=dict(by_category),
        misses=misses,
        false_alarms=false_alarms,
        wrong_status=wrong_status,
    )
