"""Which source backs each statistic of a draft, and whether the draft's own Sources line
agrees.

A grounded statistic may be backed by several sources (every link its claim's section cites).
The one a draft relies on is the one its Sources line names, where it names one, so that the
line a reader sees and the list an export prints tell the same story; the line is then checked
against that list both ways: a name backing no statistic, and a statistic whose backers the
line leaves out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from angleforge.findings import Finding
from angleforge.knowledge import Source
from angleforge.layout import Post, post_of
from angleforge.statuses import FindingStatus

AUTHOR = "author"  # the publisher of the author's own facts: no Sources line needs to name it
_AUTHOR_NAMES = frozenset({AUTHOR, f"the {AUTHOR}", "me"})

_SOURCES_LINE = re.compile(r"^\W*sources?\s*:\s*(?P<names>.+)$", re.IGNORECASE | re.MULTILINE)
_NAME_BREAK = re.compile(r"\s*(?:[,;/|·]|\band\b|&)\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Citation:
    """A grounded statistic and the source it is exported with."""

    statistic: str
    post: int | None
    source: Source | None  # None where only the claim's own words name who said it
    named: tuple[str, ...]  # organisations the claim names itself ("Gartner predicts")

    @property
    def backer(self) -> str:
        """Who backs the statistic, in a few words."""
        if self.source is not None:
            return self.source.publisher
        return ", ".join(self.named) or "nobody cited"


def sources_line(posts: list[str]) -> list[str] | None:
    """The names the draft's last Sources line lists, or None where it has none."""
    found = [match for post in posts for match in _SOURCES_LINE.finditer(post)]
    if not found:
        return None
    names = _NAME_BREAK.split(found[-1]["names"].strip().rstrip("."))
    return [name.strip() for name in names if name.strip()]


def _means(name: str, source: Source) -> bool:
    """Whether a name on a Sources line means this source (its publisher, or part of its title)."""
    wanted, publisher = name.casefold(), source.publisher.casefold()
    return wanted == publisher or wanted in source.title.casefold() or publisher in wanted


def _backs(name: str, finding: Finding) -> bool:
    """Whether a name on a Sources line is among the statistic's backers."""
    organisations = finding.claim.organisations if finding.claim else ()
    return any(_means(name, source) for source in finding.sources) or name.casefold() in {
        organisation.casefold() for organisation in organisations
    }


def _authors_own(finding: Finding) -> bool:
    return any(source.publisher.casefold() == AUTHOR for source in finding.sources)


def _grounded(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.status is FindingStatus.GROUNDED]


def cite(posts: list[Post], findings: list[Finding]) -> list[Citation]:
    """A citation per grounded statistic, preferring a source the draft's Sources line names."""
    line = sources_line([post.text for post in posts]) or []
    citations = []
    for finding in _grounded(findings):
        preferred = [source for source in finding.sources if any(_means(name, source) for name in line)]
        source = next(iter(preferred or finding.sources), None)
        named = finding.claim.organisations if finding.claim else ()
        citations.append(Citation(finding.text.strip(), post_of(posts, finding), source, named))
    return citations


def disagreements(posts: list[Post], findings: list[Finding]) -> list[str]:
    """Where the draft's Sources line and its statistics' backers disagree, one line each;
    empty where they agree or the draft has no Sources line."""
    line = sources_line([post.text for post in posts])
    if line is None:
        return []
    grounded = _grounded(findings)
    problems = [
        f"the Sources line names {name}, which backs none of the draft's statistics"
        for name in line
        if name.casefold() not in _AUTHOR_NAMES and not any(_backs(name, finding) for finding in grounded)
    ]
    for finding in grounded:
        if not _authors_own(finding) and not any(_backs(name, finding) for name in line):
            backers = ", ".join(dict.fromkeys(source.publisher for source in finding.sources))
            problems.append(f"the Sources line names no source of {finding.text.strip()} ({backers})")
    return list(dict.fromkeys(problems))
