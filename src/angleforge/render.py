"""Terminal views of check results and knowledge-base listings: text in, text out."""

from __future__ import annotations

import os
from collections.abc import Iterable

from angleforge.audit import Audit
from angleforge.findings import CheckResult, Finding
from angleforge.knowledge import KnowledgeBase, Source
from angleforge.statuses import Verdict


class Style:
    """ANSI styling, or none when the output is not a terminal or NO_COLOR is set."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and "NO_COLOR" not in os.environ

    def _wrap(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled else text

    def flagged(self, text: str) -> str:
        return self._wrap("1;31", text)

    def grounded(self, text: str) -> str:
        return self._wrap("32", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def bold(self, text: str) -> str:
        return self._wrap("1", text)


def sources_line(sources: Iterable[Source], named: Iterable[str] = ()) -> str:
    """A claim's backers: its section's cited sources, then the organisations it names."""
    parts = [f"{s.publisher} ({s.url})" if s.url else s.publisher for s in sources]
    if names := ", ".join(named):
        parts.append(f"named in the claim: {names}")
    return "; ".join(parts) if parts else "none cited in its section"


def check_result(result: CheckResult, text: str, style: Style) -> str:
    """A draft with its flagged statistics highlighted, then one block per flagged statistic
    with the claim it most likely meant and what backs that claim: its section's sources and
    the organisations it names ("Gartner predicts ..." is backed by Gartner all the same)."""
    flagged = result.flagged
    total = len(result.statistics)
    if not flagged:
        head = style.grounded(Verdict.PASS)
        return f"{result.path}: {head} ({total} statistic{'s' * (total != 1)} grounded)"
    lines = [f"{result.path}: {style.flagged(Verdict.FLAGGED)} ({len(flagged)} of {total} statistics)"]
    lines.extend(_highlighted(text, flagged, style))
    for finding in flagged:
        line, column = _position(text, finding.start)
        lines.append(
            f"  {line}:{column} {style.flagged(finding.text.strip())} {style.bold(finding.status)}: {finding.reason}"
        )
        if finding.claim is not None:
            lines.append(f'      did you mean: "{finding.claim.text}" ({finding.claim.section})')
            backers = sources_line(finding.sources, finding.claim.organisations)
            lines.append(f"      sources: {backers}")
    return "\n".join(lines)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _highlighted(text: str, flagged: list[Finding], style: Style) -> list[str]:
    """The lines of the draft that hold a flagged statistic, numbered, with it marked."""
    starts = {_position(text, f.start)[0] for f in flagged}
    out = []
    offset = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if number in starts:
            marked, cursor = [], 0
            for finding in flagged:
                if offset <= finding.start < offset + len(line) + 1:
                    begin = finding.start - offset
                    end = min(finding.end - offset, len(line))
                    marked.append(line[cursor:begin])
                    marked.append(style.flagged(line[begin:end]) if style.enabled else f"[{line[begin:end]}]")
                    cursor = end
            marked.append(line[cursor:])
            out.append(style.dim(f"  {number:>4} | ") + "".join(marked))
        offset += len(line) + 1
    return out


def kb_summary(kb: KnowledgeBase) -> str:
    sourced = [q for c, q in kb.statistics if c.sourced]
    return "\n".join(
        [
            f"knowledge: {kb.root}",
            f"  files:          {len(kb.files)} ({', '.join(kb.files)})",
            f"  sections:       {len(kb.sections)} ({sum(1 for s in kb.sections if s.sources)} cite sources)",
            f"  sources:        {len(kb.sources)}",
            f"  claims:         {len(kb.claims)}",
            f"  statistics:     {len(kb.statistics)} ({len(sourced)} with a cited source or a named "
            f"organisation, {len(kb.statistics) - len(sourced)} with neither)",
            f"  voice samples:  {len(kb.voice_samples)}",
        ]
    )


def kb_statistics(kb: KnowledgeBase, style: Style) -> str:
    lines = []
    for claim, quantity in kb.statistics:
        mark = style.grounded("backed  ") if claim.sourced else style.flagged("unsourced")
        lines.append(f"{mark} {quantity.text.strip():<22} {claim.text}")
        lines.append(style.dim(f"          {claim.section}"))
        lines.append(style.dim(f"          sources: {sources_line(claim.sources, claim.organisations)}"))
    return "\n".join(lines)


def kb_audit(report: Audit, style: Style) -> str:
    lines = [
        style.bold(f"Statistics no cited source states ({len(report.unsourced)}):"),
        style.dim("  (a statistic stated without a source is left out where a sourced claim states it too)"),
    ]
    for item in report.unsourced:
        lines.append(f"  {style.flagged(item.text):<22} {item.claim}")
        lines.append(style.dim(f"      {item.section}"))
    lines.append(style.bold(f"Sources that back no statistic ({len(report.idle_sources)}):"))
    for idle in report.idle_sources:
        lines.append(f"  {idle.source.title} ({idle.source.url or 'no link'})")
        lines.append(style.dim(f"      {idle.section}"))
    return "\n".join(lines)
