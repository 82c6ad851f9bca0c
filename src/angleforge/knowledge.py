"""Markdown briefs → a typed knowledge base of sections, claims, statistics and sources.

Any brief works, not one file: sections come from headings of any level (ATX or setext),
a section's sources from links under a `Sources`/`Source` label (bold or plain, bulleted,
numbered or inline, or a heading named Sources), and claims from its paragraphs and list
items, one sentence each. Paragraphs that are the author's own drafts (Content angle, Hook,
Value, CTA, and sections of thread, tweet or question ideas) are kept as voice samples, never
as evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from angleforge import attribution, terms
from angleforge.errors import KnowledgeError
from angleforge.quantities import Quantity, extract
from angleforge.textfiles import read_text


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """A cited source: a link under a Sources label, or a bare name such as 'author'."""

    title: str
    url: str | None = None
    publisher: str


@dataclass(frozen=True, kw_only=True)
class Claim:
    """One sentence or list item of a brief, with the statistics it states."""

    id: str
    file: str
    section: str
    text: str
    label: str | None = None
    sources: tuple[Source, ...] = ()
    organisations: tuple[str, ...] = ()  # organisations the claim itself names
    statistics: tuple[Quantity, ...] = ()
    context_years: tuple[int, ...] = ()  # years in the headings and labels above it

    @property
    def sourced(self) -> bool:
        return bool(self.sources or self.organisations)

    @cached_property
    def years(self) -> tuple[int, ...]:
        return tuple(int(q.low) for q in self.statistics if q.kind == "year")

    @cached_property
    def credit_names(self) -> tuple[str, ...]:
        """Every name a draft may credit for this claim: publishers, titles' names, domains."""
        names = [*self.organisations]
        for source in self.sources:
            names.append(source.publisher)
            if source.url:
                names.append(attribution.domain_name(source.url))
        return tuple(dict.fromkeys(attribution.normalise(n) for n in names if n))


@dataclass(frozen=True, slots=True, kw_only=True)
class VoiceSample:
    """A passage in the author's own voice: a content angle, a hook, a post idea."""

    file: str
    section: str
    label: str | None
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    """A heading of a brief and what it cites."""

    id: str
    file: str
    title: str
    level: int
    path: tuple[str, ...]
    sources: tuple[Source, ...] = ()
    voice: bool = False


@dataclass(frozen=True, kw_only=True)
class KnowledgeBase:
    """Everything angleforge knows, parsed from one knowledge folder."""

    root: str
    files: tuple[str, ...]
    sections: tuple[Section, ...]
    claims: tuple[Claim, ...]
    voice_samples: tuple[VoiceSample, ...] = ()

    @cached_property
    def statistics(self) -> list[tuple[Claim, Quantity]]:
        return [(claim, q) for claim in self.claims for q in claim.statistics]

    @cached_property
    def sources(self) -> list[Source]:
        unique: dict[tuple[str, str | None], Source] = {}
        for section in self.sections:
            for source in section.sources:
                unique.setdefault((source.title, source.url), source)
        return list(unique.values())

    @cached_property
    def author_claims(self) -> tuple[Claim, ...]:
        """The author's own facts: the claims whose source is the author (`Source: author`)."""
        return tuple(claim for claim in self.claims if any(s.publisher == "author" for s in claim.sources))

    @cached_property
    def organisations(self) -> frozenset[str]:
        """Names the knowledge base knows as organisations: publishers and those claims name."""
        names = {attribution.normalise(s.publisher) for s in self.sources}
        for claim in self.claims:
            names.update(claim.organisations)
        return frozenset(names)


# --- loading -------------------------------------------------------------------------------


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


# --- parsing -------------------------------------------------------------------------------

_HEADING_RE = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT_RE = re.compile(r"^ {0,3}(=+|-+)\s*$")
_RULE_RE = re.compile(r"^ {0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_FENCE_RE = re.compile(r"^ {0,3}(```|~~~)")
_LIST_RE = re.compile(r"^(\s*)(?:[-*+•]|\d{1,3}[.)])\s+(.*)$")
_LABEL_RE = re.compile(
    r"^(?:\*\*|__)(?P<bold>[^*_]{1,60}?)(?::(?:\*\*|__)|(?:\*\*|__)\s*:)\s*(?P<rest>.*)$"
    r"|^(?P<plain>[A-Z][\w /&'-]{0,40}?):(?:\s+(?P<plain_rest>.*))?$"
)
_SOURCES_LABEL_RE = re.compile(r"(?i)^(?:sources?|references?|citations?)$")
_LINK_RE = re.compile(
    # bounded, so a line of unmatched brackets costs linear time, not quadratic
    r"\[(?P<title>[^\]\n]{0,500})\]\((?P<url>[^)\s]{1,2000})[^)\n]{0,200}\)|<(?P<auto>https?://[^>\s]{1,2000})>"
    r"|(?P<bare>https?://[^\s)\]>]{1,2000})"
)
_NAMED_SOURCE_RE = re.compile(r"^[A-Za-z][A-Za-z .&'-]{0,60}$")
_PUBLISHER_RE = re.compile(r"\(([^()]+)\)\s*$")
_VOICE_LABEL_RE = re.compile(
    r"(?i)^(?:content\s+angles?|hooks?|value|cta|call\s+to\s+action|angle|draft|post\s+idea"
    r"|tweet|thread)$"
)
_VOICE_SECTION_RE = re.compile(
    r"(?i)\b(?:content\s+angles?|(?:thread|tweet|post|question)s?\s+ideas?|question\s+tweets?"
    r"|hooks?|voice\s+samples?|example\s+posts?|drafts?)\b"
)
_YEAR_RE = re.compile(r"(?<!\d)(19\d\d|20\d\d|2100)(?!\d)")
_MARKUP_RE = re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|`")


@dataclass
class _Parsed:
    sections: list[Section]
    claims: list[Claim]
    voice_samples: list[VoiceSample]


def plain(markdown: str) -> str:
    """Inline Markdown to text: links keep their titles, emphasis and code marks go."""
    text = _LINK_RE.sub(lambda m: m.group("title") or m.group("auto") or m.group("bare"), markdown)
    return _MARKUP_RE.sub("", text).strip()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def _source_from_link(title: str, url: str) -> Source:
    title = plain(title) or url
    publisher = _PUBLISHER_RE.search(title)
    name = publisher.group(1).strip() if publisher else attribution.domain_name(url).title()
    return Source(title=title, url=url, publisher=name)


def _sources_in(line: str) -> list[Source]:
    sources = []
    for match in _LINK_RE.finditer(line):
        url = match.group("url") or match.group("auto") or match.group("bare")
        if url.startswith(("http://", "https://", "www.")):
            sources.append(_source_from_link(match.group("title") or "", url))
    return sources


@dataclass(slots=True)
class _Block:
    """A paragraph or list item with the section and label it sits under."""

    section: int
    text: str
    label: str | None
    list_label: str | None
    voice: bool


@dataclass
class _OpenSection:
    """A section while its brief is being read: its sources still grow."""

    title: str
    level: int
    path: tuple[str, ...]
    voice: bool
    sources: list[Source] = field(default_factory=list)


def parse(markdown: str, file: str) -> _Parsed:
    """Parse one brief. `file` names it in claim ids and messages."""
    reader = _Reader(re.sub(r"\.md$", "", file))
    lines = markdown.splitlines()
    # for each line, the next line that is not blank: what a blank line leads to
    upcoming: list[str | None] = [None] * (len(lines) + 1)
    for position in range(len(lines) - 1, -1, -1):
        upcoming[position] = lines[position] if lines[position].strip() else upcoming[position + 1]
    index = 0
    while index < len(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        consumed = reader.read(lines[index], following, upcoming[index + 1])
        index += 2 if consumed else 1
    reader.flush()
    return _build(reader.stem, file, reader.sections, reader.blocks)


class _Reader:
    """Reads a brief line by line into sections and blocks."""

    def __init__(self, stem: str) -> None:
        self.stem = stem
        self.sections = [_OpenSection(title=stem, level=0, path=(), voice=False)]
        self.blocks: list[_Block] = []
        self.stack = [0]  # indexes of the open sections, outermost first
        self.list_label: str | None = None  # a label line that introduces a list
        self.collecting: int | None = None  # the section whose source list we are in
        self.paragraph: list[str] = []
        self.in_fence = False
        self.next_line: str | None = None

    @property
    def current(self) -> int:
        return self.stack[-1]

    def read(self, line: str, following: str | None, upcoming: str | None) -> bool:
        """Take one line; True when it also consumed `following` (a setext underline).
        `upcoming` is the next line that is not blank."""
        if _FENCE_RE.match(line):
            self.flush()
            self.in_fence = not self.in_fence
            return False
        if self.in_fence:
            return False
        heading = _HEADING_RE.match(line)
        if heading:
            self._open(len(heading.group(1)), heading.group(2))
            return False
        if (
            following is not None
            and line.strip()
            and not self.paragraph
            and not _LIST_RE.match(line)
            and _SETEXT_RE.match(following)
        ):
            self._open(1 if following.strip().startswith("=") else 2, line.strip())
            return True
        if not line.strip():
            self.next_line = upcoming or ""
            self.flush()
            return False
        self._read_content(line)
        return False

    def _read_content(self, line: str) -> None:
        if _RULE_RE.match(line):
            self.flush()
            self.list_label = self.collecting = None
            return
        item = _LIST_RE.match(line)
        if item:
            self.flush()
            if self.collecting is not None and (found := _sources_in(item.group(2))):
                self.sections[self.collecting].sources.extend(found)
                return
            self._add_block(item.group(2).strip())
            return
        if (
            self.collecting is not None
            and not self.paragraph
            and (found := _sources_in(line))
            and plain(_LINK_RE.sub("", line)).strip(" ,;-") == ""
        ):
            self.sections[self.collecting].sources.extend(found)
            return
        self.collecting = None
        label = _LABEL_RE.match(line.strip())
        if (
            self.paragraph
            and label
            and (
                line.lstrip().startswith(("**", "__")) or _SOURCES_LABEL_RE.match((label.group("plain") or "").strip())
            )
        ):
            self.flush()  # "**Date**: ...\n**Context**: ..." and "Source: ..." stand on their own
        self.paragraph.append(line)

    def _open(self, level: int, raw_title: str) -> None:
        self.flush()
        title = plain(raw_title)
        while len(self.stack) > 1 and self.sections[self.stack[-1]].level >= level:
            self.stack.pop()
        parent = self.sections[self.stack[-1]]
        self.sections.append(
            _OpenSection(
                title=title,
                level=level,
                path=(*parent.path, title),
                voice=parent.voice or bool(_VOICE_SECTION_RE.search(title)),
            )
        )
        self.stack.append(len(self.sections) - 1)
        self.list_label = None
        self.collecting = self._source_owner() if _SOURCES_LABEL_RE.match(title) else None

    def flush(self) -> None:
        if self.paragraph:
            self._add_block(" ".join(part.strip() for part in self.paragraph))
            self.paragraph = []
        if self.next_line is not None:
            # a blank line ends a list's label only when what follows is not the list
            if not _LIST_RE.match(self.next_line):
                self.list_label = self.collecting = None
            self.next_line = None

    def _add_block(self, text: str) -> None:
        label_match = _LABEL_RE.match(text)
        label, rest = None, text
        if label_match:
            label = (label_match.group("bold") or label_match.group("plain") or "").strip()
            bold = label_match.group("bold") is not None
            rest = label_match.group("rest" if bold else "plain_rest") or ""
            if _SOURCES_LABEL_RE.match(label) and self._take_sources(rest):
                return
        section_voice = self.sections[self.current].voice
        voice = section_voice or bool(label and _VOICE_LABEL_RE.match(plain(label)))
        if label and not rest.strip():
            # a label on its own introduces the list below it
            self.list_label = None if voice and not section_voice else plain(label)
            return
        self.blocks.append(
            _Block(
                section=self.current,
                text=text,
                label=plain(label) if label else None,
                list_label=self.list_label,
                voice=voice,
            )
        )

    def _take_sources(self, rest: str) -> bool:
        """Read a Sources label's line; False when it is no source list ("Sources: 20+ cited")."""
        found = _sources_in(rest)
        if not found and _NAMED_SOURCE_RE.match(plain(rest)):
            found = [Source(title=plain(rest), publisher=plain(rest))]
        if not found and rest.strip():
            return False
        self.collecting = self._source_owner()
        self.sections[self.collecting].sources.extend(found)
        return True

    def _source_owner(self) -> int:
        # a heading named Sources holds the sources of the section around it
        if _SOURCES_LABEL_RE.match(self.sections[self.current].title) and len(self.stack) > 1:
            return self.stack[-2]
        return self.current


def _build(stem: str, file: str, raw_sections: list[_OpenSection], blocks: list[_Block]) -> _Parsed:
    sections = []
    used_slugs: set[str] = set()
    for raw in raw_sections:
        base = slug(raw.title)
        section_slug, n = base, 2
        while section_slug in used_slugs:
            section_slug, n = f"{base}-{n}", n + 1
        used_slugs.add(section_slug)
        sections.append(
            Section(
                id=f"{stem}#{section_slug}",
                file=file,
                title=raw.title,
                level=raw.level,
                path=raw.path,
                sources=tuple(dict.fromkeys(raw.sources)),
                voice=raw.voice,
            )
        )

    def backing(index: int) -> tuple[Source, ...]:
        # the nearest enclosing section with a source list backs what is stated in it
        path = sections[index].path
        for candidate in reversed(range(index + 1)):
            section = sections[candidate]
            if section.sources and path[: len(section.path)] == section.path and not section.voice:
                return section.sources
        return ()

    claims: list[Claim] = []
    voice: list[VoiceSample] = []
    counters: dict[int, int] = {}
    for block in blocks:
        section = sections[block.section]
        section_name = " > ".join(section.path) or stem
        if block.voice:
            voice.append(VoiceSample(file=file, section=section_name, label=block.label, text=plain(block.text)))
            continue
        context = " ".join([*section.path, block.list_label or "", block.label or ""])
        context_years = tuple(sorted({int(y) for y in _YEAR_RE.findall(context + " " + stem)}))
        sources = backing(block.section)
        text = plain(block.text)
        for sentence in terms.split_sentences(text):
            counters[block.section] = counters.get(block.section, 0) + 1
            claims.append(
                Claim(
                    id=f"{section.id}/{counters[block.section]}",
                    file=file,
                    section=section_name,
                    text=sentence,
                    label=block.list_label or block.label,
                    sources=sources,
                    organisations=tuple(attribution.credited_names(sentence)),
                    statistics=tuple(extract(sentence)),
                    context_years=context_years,
                )
            )
    return _Parsed(sections=sections, claims=claims, voice_samples=voice)
