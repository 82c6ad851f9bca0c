"""Drafts as text ready to post: posts separated as X expects, each post's length, the source
behind each statistic, and the reviewers' notes.

Only a draft that is approved and whose statistics all check out is ready. Any other draft
chosen is left out and named, or, where the caller asks for it, exported marked as not ready:
an export is what someone will post without looking again.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from pydantic import BaseModel

from angleforge.citations import cite, disagreements
from angleforge.errors import UsageError
from angleforge.findings import CheckResult
from angleforge.formats import POST_LIMIT
from angleforge.layout import lay_out
from angleforge.review import format_violations, status_filter
from angleforge.statuses import DraftStatus
from angleforge.store import Store, StoredDraft

FORMATS = ("md", "json", "csv")
# a spreadsheet runs a cell that opens with one of these as a formula (CSV injection)
_FORMULA_OPENERS = ("=", "+", "-", "@", "\t", "\r")


class ExportedSource(BaseModel):
    title: str
    url: str | None
    publisher: str


class ExportedStatistic(BaseModel):
    text: str
    post: int | None  # the post it stands in, from 1
    source: ExportedSource | None  # the source it is exported with
    named: list[str]  # organisations the claim names itself ("Gartner predicts")


class ExportedDecision(BaseModel):
    decision: DraftStatus
    reviewer: str
    note: str | None
    revision: int
    forced: bool
    at: str


class ExportedDraft(BaseModel):
    """One draft of an export (an item of `export --format json`)."""

    id: str
    angle: str
    format: str
    status: DraftStatus
    revision: int
    not_ready: str | None  # why the draft is not ready to post; None when it is
    posts: list[str]
    lengths: list[int]  # each post's length as X counts it (a link counts 23)
    statistics: list[ExportedStatistic]
    sources: list[ExportedSource]  # the statistics' sources, each once
    sources_line: list[str]  # where the draft's Sources line and its statistics' sources disagree
    format_violations: list[str]
    decisions: list[ExportedDecision]  # those that stand; withdrawn ones are left out


def markdown(draft: StoredDraft, provider: str) -> str:
    """One draft as a Markdown file of its own (`generate --out`): a header saying what it is,
    then its posts."""
    flagged = CheckResult.from_json(draft.findings).flagged
    offline = " (composed offline from the knowledge base)" if provider == "library" else ""
    header = [
        f"<!-- angleforge draft {draft.id}: {draft.status}, {draft.format} on '{draft.angle}', "
        f"by the {provider} provider{offline} -->",
    ]
    if flagged:
        header.append("<!-- flagged: " + "; ".join(f"{f.text} ({f.status})" for f in flagged) + " -->")
    body = "\n\n---\n\n".join(draft.posts) if draft.posts else draft.text
    return "\n".join(header) + "\n\n" + body + "\n"


def not_ready(draft: StoredDraft) -> str | None:
    """Why a draft is not ready to post, or None when it is approved and nothing is flagged."""
    flagged = len(CheckResult.from_json(draft.findings).flagged)
    if draft.status is not DraftStatus.APPROVED:
        return f"{draft.status}, not approved"
    if flagged:
        return f"approved over {flagged} flagged statistic(s)"
    return None


def exported(store: Store, draft: StoredDraft) -> ExportedDraft:
    findings = CheckResult.from_json(draft.findings).statistics
    posts = lay_out(draft.text, draft.posts, findings)
    citations = cite(posts, findings)
    statistics = [
        ExportedStatistic(
            text=c.statistic,
            post=c.post,
            source=ExportedSource(title=c.source.title, url=c.source.url, publisher=c.source.publisher)
            if c.source
            else None,
            named=list(c.named),
        )
        for c in citations
    ]
    unique = {(s.source.title, s.source.url): s.source for s in statistics if s.source is not None}
    return ExportedDraft(
        id=draft.id,
        angle=draft.angle,
        format=draft.format,
        status=draft.status,
        revision=draft.revision,
        not_ready=not_ready(draft),
        posts=draft.posts,
        lengths=[post.length for post in posts],
        statistics=statistics,
        sources=list(unique.values()),
        sources_line=disagreements(posts, findings),
        format_violations=format_violations(draft.format, draft.posts),
        decisions=[
            ExportedDecision(
                decision=d.decision,
                reviewer=d.reviewer,
                note=d.note,
                revision=d.revision,
                forced=d.forced,
                at=d.created_at,
            )
            for d in store.decisions(draft.id)
            if d.stands
        ],
    )


@dataclass(frozen=True, slots=True)
class Export:
    document: str
    left_out: list[ExportedDraft]  # chosen, not ready, and not asked for

    def left_out_line(self) -> str | None:
        """One line naming the drafts left out, for standard error; None when none were."""
        if not self.left_out:
            return None
        named = "; ".join(f"{d.id} ({d.not_ready})" for d in self.left_out)
        return (
            f"left out {len(self.left_out)} draft(s) not ready to post: {named}; --include-flagged exports them marked"
        )


def export(
    store: Store, status: str = DraftStatus.APPROVED, fmt: str = "md", *, include_flagged: bool = False
) -> Export:
    """Every ready draft of `status` in one document of the chosen format; drafts that are not
    ready are left out, or with `include_flagged` exported marked."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format '{fmt}' (choose from {', '.join(FORMATS)})")
    chosen = [exported(store, draft) for draft in store.drafts(status=status_filter(status)) if draft.status.written]
    records = [r for r in chosen if include_flagged or r.not_ready is None]
    left_out = [r for r in chosen if r not in records]
    if fmt == "json":
        document = json.dumps([r.model_dump(mode="json") for r in records], ensure_ascii=False, indent=2) + "\n"
    elif fmt == "csv":
        document = _csv(records)
    else:
        document = _markdown_document(records)
    return Export(document, left_out)


def _source_text(source: ExportedSource) -> str:
    return f"{source.title} <{source.url}>" if source.url else source.title


def _statistic_text(statistic: ExportedStatistic) -> str:
    if statistic.source is not None:
        return f"{statistic.text}: {_source_text(statistic.source)}"
    return f"{statistic.text}: named in the claim: {', '.join(statistic.named) or 'nobody'}"


def _markdown_document(records: list[ExportedDraft]) -> str:
    parts = []
    for record in records:
        lines = [f"## {record.angle} ({record.format}, {record.id})", ""]
        if record.not_ready:
            lines += [f"**Not ready to post: {record.not_ready}.**", ""]
        lines.append("\n\n---\n\n".join(record.posts))
        lines += ["", f"Characters per post: {', '.join(map(str, record.lengths))} (at most {POST_LIMIT})"]
        if record.statistics:
            lines += ["", "Statistics:"]
            lines += [
                f"- {_statistic_text(s)}" + (f" (post {s.post})" if s.post and len(record.posts) > 1 else "")
                for s in record.statistics
            ]
        if record.sources:
            lines += ["", "Sources:", *(f"- {_source_text(s)}" for s in record.sources)]
        problems = record.format_violations + record.sources_line
        if problems:
            lines += ["", "To check before posting:", *(f"- {problem}" for problem in problems)]
        notes = [d for d in record.decisions if d.note]
        if notes:
            lines += ["", *(f"> {d.decision} by {d.reviewer}: {d.note}" for d in notes)]
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + ("\n" if parts else "")


def neutralised(cell: str) -> str:
    """A cell a spreadsheet shows as text: one that opens like a formula gets a leading quote."""
    return "'" + cell if cell.startswith(_FORMULA_OPENERS) else cell


_CSV_COLUMNS = (
    "id",
    "angle",
    "format",
    "status",
    "not_ready",
    "post",
    "posts",
    "text",
    "characters",
    "statistics",
    "sources",
    "reviewer",
    "note",
    "decided_at",
)


def _csv(records: list[ExportedDraft]) -> str:
    """A row per post, so a post's text stands alone in its cell, whatever lines it holds."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_CSV_COLUMNS)
    for record in records:
        last = record.decisions[-1] if record.decisions else None
        for number, (post, length) in enumerate(zip(record.posts, record.lengths, strict=True), start=1):
            statistics = "; ".join(_statistic_text(s) for s in record.statistics if s.post == number)
            row = [
                record.id,
                record.angle,
                record.format,
                record.status,
                record.not_ready or "",
                str(number),
                str(len(record.posts)),
                post,
                str(length),
                statistics,
                "; ".join(_source_text(s) for s in record.sources),
                last.reviewer if last else "",
                (last.note or "") if last else "",
                last.at if last else "",
            ]
            writer.writerow([neutralised(cell) for cell in row])
    return buffer.getvalue()
