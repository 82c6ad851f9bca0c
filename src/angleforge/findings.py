"""What a check says of a draft: a finding per statistic, a verdict per draft.

These are the `check --json` contract and what the store keeps of every attempt and revision.
They are plain frozen dataclasses rather than pydantic models: a check builds one per
statistic, and a model's validation would cost more than judging a short draft. Data read
back from the store comes in through `Finding.from_json`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from angleforge.knowledge import Source
from angleforge.statuses import DraftStatus, FindingStatus, Verdict, status_after, verdict_of


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimRef:
    """The knowledge-base claim a finding points to, with the organisations the claim names
    itself ("Gartner predicts ..."), which back it as its section's sources do."""

    id: str
    section: str
    text: str
    organisations: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "section": self.section, "text": self.text, "organisations": list(self.organisations)}


@dataclass(slots=True, kw_only=True)
class Finding:
    """The verdict on one statistic of a draft (the `statistics` items of `check --json`).

    Nothing assigns to one once it is made; unlike the other records here it is not declared
    frozen, whose field-by-field `object.__setattr__` cost 1.5% of a check, one per statistic."""

    text: str
    start: int
    end: int
    status: FindingStatus
    reason: str
    claim: ClaimRef | None
    sources: list[Source]

    @property
    def flags(self) -> bool:
        """Whether this finding sends its draft to review."""
        return self.status.flags

    def to_json(self) -> dict[str, Any]:
        """The `check --json` form; written out field by field, since `dataclasses.asdict`'s
        deep copy costs more than the check of a short draft."""
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "status": str(self.status),
            "reason": self.reason,
            "claim": self.claim.to_json() if self.claim else None,
            "sources": [{"title": s.title, "url": s.url, "publisher": s.publisher} for s in self.sources],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Finding:
        """A finding back from its `check --json` form (as the store keeps it)."""
        claim = data.get("claim")
        return cls(
            text=data["text"],
            start=data["start"],
            end=data["end"],
            status=FindingStatus(data["status"]),
            reason=data["reason"],
            claim=ClaimRef(
                id=claim["id"],
                section=claim["section"],
                text=claim["text"],
                organisations=tuple(claim.get("organisations", ())),
            )
            if claim
            else None,
            sources=[Source(**source) for source in data.get("sources", [])],
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckResult:
    """One checked draft: `check --json` prints a list of these."""

    path: str
    verdict: Verdict
    statistics: list[Finding]

    @classmethod
    def of(cls, findings: list[Finding], path: str = "-") -> CheckResult:
        return cls(path=path, verdict=verdict_of(f.status for f in findings), statistics=findings)

    @classmethod
    def from_json(cls, findings: list[dict[str, Any]], path: str = "-") -> CheckResult:
        """A stored draft's findings as a result, for the views that print them."""
        return cls.of([Finding.from_json(f) for f in findings], path)

    @property
    def flagged(self) -> list[Finding]:
        return [f for f in self.statistics if f.flags]

    @property
    def draft_status(self) -> DraftStatus:
        """The status a draft with this verdict is stored under."""
        return status_after(self.verdict)

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "verdict": str(self.verdict), "statistics": self.findings_json()}

    def findings_json(self) -> list[dict[str, Any]]:
        return [finding.to_json() for finding in self.statistics]


def flagged_count(findings: list[dict[str, Any]]) -> int:
    """How many of a stored draft's findings flag it."""
    return sum(1 for finding in findings if FindingStatus(finding["status"]).flags)
