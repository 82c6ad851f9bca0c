"""Drafts as text ready to post: posts separated as X expects, then the sources they rely on."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from angleforge.errors import UsageError
from angleforge.findings import CheckResult
from angleforge.review import status_filter
from angleforge.statuses import DraftStatus, FindingStatus
from angleforge.store import Store, StoredDraft

FORMATS = ("md", "json", "csv")


def markdown(draft: StoredDraft, provider: str) -> str:
    """One draft as a Markdown file: a header saying what it is, then its posts."""
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


def sources(draft: StoredDraft) -> list[dict[str, Any]]:
    """The sources the draft's grounded statistics rely on, each once."""
    found: dict[tuple[str, str | None], dict[str, Any]] = {}
    for finding in draft.findings:
        if FindingStatus(finding["status"]) is FindingStatus.GROUNDED:
            for source in finding["sources"]:
                found.setdefault((source["title"], source["url"]), source)
    return list(found.values())


def _record(store: Store, draft: StoredDraft) -> dict[str, Any]:
    decisions = store.decisions(draft.id)
    return {
        "id": draft.id,
        "angle": draft.angle,
        "format": draft.format,
        "status": draft.status,
        "revision": draft.revision,
        "posts": draft.posts,
        "sources": sources(draft),
        "decisions": [
            {
                "decision": d.decision,
                "reviewer": d.reviewer,
                "note": d.note,
                "revision": d.revision,
                "forced": d.forced,
                "at": d.created_at,
            }
            for d in decisions
        ],
    }


def export(store: Store, status: str = DraftStatus.APPROVED, fmt: str = "md") -> str:
    """Every draft of `status` in one document of the chosen format."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format '{fmt}' (choose from {', '.join(FORMATS)})")
    chosen = store.drafts(status=status_filter(status))
    records = [_record(store, draft) for draft in chosen]
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return _csv(records)
    return _markdown_document(records)


def _markdown_document(records: list[dict[str, Any]]) -> str:
    parts = []
    for record in records:
        lines = [f"## {record['angle']} ({record['format']}, {record['id']})", ""]
        lines.append("\n\n---\n\n".join(record["posts"]))
        if record["sources"]:
            lines += ["", "Sources:"]
            lines += [f"- {s['title']}" + (f" <{s['url']}>" if s["url"] else "") for s in record["sources"]]
        notes = [d for d in record["decisions"] if d["note"]]
        if notes:
            lines += ["", *(f"> {d['decision']} by {d['reviewer']}: {d['note']}" for d in notes)]
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + ("\n" if parts else "")


def _csv(records: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "angle", "format", "status", "posts", "sources", "reviewer", "note", "decided_at"])
    for record in records:
        last = record["decisions"][-1] if record["decisions"] else {}
        writer.writerow(
            [
                record["id"],
                record["angle"],
                record["format"],
                record["status"],
                "\n\n".join(record["posts"]),
                "; ".join(f"{s['title']} <{s['url']}>" if s["url"] else s["title"] for s in record["sources"]),
                last.get("reviewer", ""),
                last.get("note") or "",
                last.get("at", ""),
            ]
        )
    return buffer.getvalue()
