"""Drafts as text ready to post: Markdown files for people, posts separated as X expects."""

from __future__ import annotations

from angleforge.store import StoredDraft


def markdown(draft: StoredDraft, provider: str) -> str:
    """One draft as a Markdown file: a header of what it is, then its posts."""
    flagged = [f for f in draft.findings if f["status"] != "grounded"]
    header = [
        f"<!-- angleforge draft {draft.id}: {draft.status}, {draft.format} on '{draft.angle}', "
        f"by the {provider} provider{' (composed offline from the knowledge base)' if provider == 'library' else ''} -->",
    ]
    if flagged:
        header.append("<!-- flagged: " + "; ".join(f"{f['text']} ({f['status']})" for f in flagged) + " -->")
    body = "\n\n---\n\n".join(draft.posts) if draft.posts else draft.text
    return "\n".join(header) + "\n\n" + body + "\n"
