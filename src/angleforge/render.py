"""Terminal views of check results and knowledge-base listings: text in, text out."""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from collections.abc import Iterable

from angleforge.audit import Audit
from angleforge.findings import CheckResult, Finding
from angleforge.knowledge import KnowledgeBase, Source
from angleforge.statuses import FindingStatus, Verdict

_NEWLINE = re.compile("\n")


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
    the organisations it names ("Gartner predicts ..." is backed by Gartner all the same).
    The numbers that assert nothing (an answer a question offers, a count of the post's own
    list) are listed on lines of their own, after them: they flag nothing, and the summary
    counts them apart from the statistics."""
    flagged = sorted(result.flagged, key=lambda finding: finding.start)
    idle = sorted(
        (f for f in result.statistics if f.status is FindingStatus.NOT_A_CLAIM), key=lambda finding: finding.start
    )
    total = len(result.statistics) - len(idle)
    aside = f"; {_numbers_asserting_nothing(len(idle))}" if idle else ""
    if not flagged:
        head = style.grounded(Verdict.PASS)
        counted = f"{total} statistic{'s' * (total != 1)} grounded" if total else "no statistic"
        out = [f"{result.path}: {head} ({counted}{aside})"]
        if not idle:
            return out[0]
    lines = _Lines(text)
    if flagged:
        out = [f"{result.path}: {style.flagged(Verdict.FLAGGED)} ({len(flagged)} of {total} statistics{aside})"]
        out.extend(_highlighted(lines, flagged, style))
    for finding in flagged:
        line, column = lines.position(finding.start)
        out.append(
            f"  {line}:{column} {style.flagged(finding.text.strip())} {style.bold(finding.status)}: {finding.reason}"
        )
        if finding.claim is not None:
            out.append(f'      did you mean: "{finding.claim.text}" ({finding.claim.section})')
            backers = sources_line(finding.sources, finding.claim.organisations)
            out.append(f"      sources: {backers}")
    for finding in idle:
        line, column = lines.position(finding.start)
        out.append(style.dim(f"  {line}:{column} {NOT_A_CLAIM}: {finding.text.strip()} — {finding.reason}"))
    return "\n".join(out)


# how the view marks a number that asserts nothing (`FindingStatus.NOT_A_CLAIM`)
NOT_A_CLAIM = "not a claim"


def _numbers_asserting_nothing(count: int) -> str:
    return f"{count} number{'s' * (count != 1)} that assert{'s' * (count == 1)} nothing"


class _Lines:
    """Where each line of a text starts, found once, so the line and column of any offset is a
    bisection: the view grows with the draft's size, not with its size times its flags."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts = [0, *(match.end() for match in _NEWLINE.finditer(text))]

    def number(self, offset: int) -> int:
        """The line (from 1) holding `offset`; the newline that ends a line belongs to it."""
        return bisect_right(self._starts, offset)

    def position(self, offset: int) -> tuple[int, int]:
        """The line and column (both from 1) of `offset`."""
        number = self.number(offset)
        return number, offset - self._starts[number - 1] + 1

    def line(self, number: int) -> tuple[int, str]:
        """Where line `number` starts, and its text without its newline."""
        start = self._starts[number - 1]
        end = self._starts[number] - 1 if number < len(self._starts) else len(self._text)
        return start, self._text[start:end]


def _highlighted(lines: _Lines, flagged: list[Finding], style: Style) -> list[str]:
    """The lines of the draft that hold a flagged statistic (`flagged` in order of offset),
    numbered, with each statistic marked."""
    by_line: dict[int, list[Finding]] = {}
    for finding in flagged:
        by_line.setdefault(lines.number(finding.start), []).append(finding)
    out = []
    for number, findings in by_line.items():
        offset, line = lines.line(number)
        marked, cursor = [], 0
        for finding in findings:
            begin = finding.start - offset
            end = min(finding.end - offset, len(line))
            marked.append(line[cursor:begin])
            marked.append(style.flagged(line[begin:end]) if style.enabled else f"[{line[begin:end]}]")
            cursor = end
        marked.append(line[cursor:])
        out.append(style.dim(f"  {number:>4} | ") + "".join(marked))
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
    lines.append(style.bold(f"Sections citing no source of their own ({len(report.backed_by_references_only)}):"))
    for section in report.backed_by_references_only:
        lines.append(f"  backed by the closing References list only: {section}")
    return "\n".join(lines)
