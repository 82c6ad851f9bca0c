"""Markdown briefs → a typed knowledge base of sections, claims, statistics and sources.

Any brief works, not one file: sections come from headings of any level (ATX or setext);
sources from a `Sources`/`Source`/`References` label (bold, plain or italic, alone or with the
links on its line), a heading of that name, Markdown footnotes, or a closing References list
that backs every section citing nothing of its own; claims from paragraphs, list items (a
nested item inherits its parent's words) and table rows (each cell follows its column's
header, so a year column dates it), one sentence each. Paragraphs that are the author's own
drafts (Content angle, Hook, Value, CTA, and sections of thread, tweet or question ideas) are
kept as voice samples, never as evidence.

Inside: `model` (the types), `markdown` (inline Markdown and source lines), `reader` (lines
into sections, source lists, footnotes and blocks) and `claims` (blocks into claims).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from angleforge.errors import KnowledgeError
from angleforge.knowledge.claims import claims_of, sections_of
from angleforge.knowledge.markdown import plain, slug
from angleforge.knowledge.model import Claim, KnowledgeBase, Section, Source, VoiceSample
from angleforge.knowledge.reader import Reader
from angleforge.textfiles import read_text

__all__ = [
    "Claim",
    "KnowledgeBase",
    "ParsedBrief",
    "Section",
    "Source",
    "VoiceSample",
    "load",
    "parse",
    "plain",
    "slug",
]

_HEADING_LINE_RE = re.compile(r"^ {0,3}#{1,6}\s")


@dataclass
class ParsedBrief:
    """One brief, parsed."""

    sections: list[Section]
    claims: list[Claim]
    voice_samples: list[VoiceSample]


def load(folder: Path) -> KnowledgeBase:
    """Parse every Markdown file of `folder` (recursively) into a knowledge base."""
    if not folder.exists():
        raise KnowledgeError(folder, "knowledge folder not found")
    if not folder.is_dir():
        raise KnowledgeError(folder, "is not a folder")
    files = sorted(p for p in folder.rglob("*.md") if p.is_file())
    if not files:
        raise KnowledgeError(folder, "no Markdown (.md) files in the knowledge folder")
    sections: list[Section] = []
    claims: list[Claim] = []
    voice: list[VoiceSample] = []
    for path in files:
        text = read_text(path, KnowledgeError)
        parsed = parse(text, path.relative_to(folder).as_posix())
        sections.extend(parsed.sections)
        claims.extend(parsed.claims)
        voice.extend(parsed.voice_samples)
    kb = KnowledgeBase(
        root=str(folder),
        files=tuple(p.relative_to(folder).as_posix() for p in files),
        sections=tuple(sections),
        claims=tuple(claims),
        voice_samples=tuple(voice),
    )
    if not any(claim.sourced for claim in kb.claims):
        raise KnowledgeError(folder, "no claim in the knowledge folder cites a source")
    return kb


def parse(markdown: str, file: str) -> ParsedBrief:
    """Parse one brief. `file` names it in claim ids and messages."""
    stem = re.sub(r"\.md$", "", file)
    lines = markdown.splitlines()
    headings = [number for number, line in enumerate(lines) if _HEADING_LINE_RE.match(line)]
    reader = Reader(stem, last_heading=headings[-1] if headings else -1)
    # for each line, the next line that is not blank: what a blank line leads to
    upcoming: list[str | None] = [None] * (len(lines) + 1)
    for position in range(len(lines) - 1, -1, -1):
        upcoming[position] = lines[position] if lines[position].strip() else upcoming[position + 1]
    index = 0
    while index < len(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        consumed = reader.read(index, lines[index], following, upcoming[index + 1])
        index += 2 if consumed else 1
    reader.finish()
    sections = sections_of(stem, file, reader.sections)
    title = next((s.title for s in reader.sections if s.level == 1), None)
    claims, voice = claims_of(stem, file, sections, reader.blocks, reader.footnotes, title)
    return ParsedBrief(sections=sections, claims=claims, voice_samples=voice)
