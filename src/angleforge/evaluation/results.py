"""What an eval run produces: scores against thresholds, per case and per suite."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Threshold(BaseModel):
    """A score must stay at or above `min` and at or below `max` (either may be absent)."""

    min: float | None = None
    max: float | None = None

    def holds(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)

    def describe(self) -> str:
        parts = ([f">= {self.min:g}"] if self.min is not None else []) + (
            [f"<= {self.max:g}"] if self.max is not None else []
        )
        return " and ".join(parts) or "any"


class Score(BaseModel):
    name: str
    value: float
    threshold: Threshold | None = None
    detail: str = ""
    informational: bool = False  # reported beside the gate, never part of it (the judge)

    @property
    def passed(self) -> bool:
        return self.informational or self.threshold is None or self.threshold.holds(self.value)


class FailingDraft(BaseModel):
    """A draft that failed a score, with the statistics the guardrail flagged in it."""

    draft_id: str
    text: str
    problems: list[str]
    flagged: list[dict[str, Any]] = Field(default_factory=list)


class CaseResult(BaseModel):
    case: str
    scores: list[Score]
    failing: list[FailingDraft] = Field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(score.passed for score in self.scores)


class SuiteResult(BaseModel):
    suite: str
    kind: str  # guardrail | generation
    scores: list[Score]
    cases: list[CaseResult] = Field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(score.passed for score in self.scores) and all(case.passed for case in self.cases)


class EvalRun(BaseModel):
    id: str
    created_at: str
    provider: str
    model: str
    seconds: float
    suites: list[SuiteResult]

    @property
    def passed(self) -> bool:
        return all(suite.passed for suite in self.suites)

    def flat_scores(self) -> dict[str, float]:
        """Every score by a stable name: suite/score and suite/case/score."""
        flat = {}
        for suite in self.suites:
            for score in suite.scores:
                flat[f"{suite.suite}/{score.name}"] = score.value
            for case in suite.cases:
                for score in case.scores:
                    flat[f"{suite.suite}/{case.case}/{score.name}"] = score.value
        return flat
