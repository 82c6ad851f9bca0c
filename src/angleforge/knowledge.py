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
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from angleforge import attribution, terms
from angleforge.errors import KnowledgeError
from angleforge.quantities import Quantity, extract
from angleforge.textfiles import read_text


class Source(BaseModel):
    """A cited source: a link under a Sources label, or a bare name such as 'author'."""

    model_config = ConfigDict(frozen=True)

    title: str
    url: str | None = None
    publisher: str


class Claim(BaseModel):
    """One sentence or list item of a brief, with the statistics it states."""

    model_config = ConfigDict(frozen=True)

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


class VoiceSample(BaseModel):
    """A passage in the author's own voice: a content angle, a hook, a post idea."""

    model_config = ConfigDict(frozen=True)

    file: str
    section: str
    label: str | None
    text: str


class Section(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    file: str
    title: str
    level: int
    path: tuple[str, ...]
    sources: tuple[Source, ...] = ()
    voice: bool = False


class KnowledgeBase(BaseModel):
    """Everything angleforge knows, parsed from one knowledge folder."""

    model_config = ConfigDict(frozen=True)

    root: str
    files: tuple[str, ...]
    sections: tuple[Section, ...]
    claims: tuple[Claim, ...]
    voice_samples: tuple[VoiceSample, ...] = Field(default=())

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
_LINK_RE = re.compile(r"\[(?P<title>[^\]]*)\]\((?P<url>[^)\s]+)[^)]*\)|<(?P<auto>https?://[^>]+)>|(?P<bare>https?://[^\s)\]>]+)")
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


class _Parsed(BaseModel):
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


class _Block(BaseModel):
    """A paragraph or list item with the section and label it sits under."""

    section: int
    text: str
    label: str | None
    list_label: str | None
    voice: bool


def parse(markdown: str, file: str) -> _Parsed:
    """Parse one brief. `file` names it in claim ids and messages."""
    stem = re.sub(r"\.md$", "", file)
    sections: list[dict[str, object]] = [
        {"title": stem, "level": 0, "path": (), "sources": [], "voice": False}
    ]
    blocks: list[_Block] = []
    stack: list[int] = [0]  # indexes of the open sections, outermost first
    list_label: str | None = None  # a bold label line that introduces a list
    collecting_sources: int | None = None  # section whose Sources list we are inside
    paragraph: list[str] = []
    in_fence = False
    lines = markdown.splitlines()

    def current() -> int:
        return stack[-1]

    def flush() -> None:
        nonlocal paragraph
        if paragraph:
            _add_block(" ".join(s.strip() for s in paragraph))
            paragraph = []

    def _add_block(text: str) -> None:
        nonlocal list_label, collecting_sources
        label_match = _LABEL_RE.match(text)
        label, rest = None, text
        if label_match:
            label = (label_match.group("bold") or label_match.group("plain") or "").strip()
            rest = label_match.group("rest") if label_match.group("bold") else label_match.group("plain_rest")
            rest = rest or ""
            if _SOURCES_LABEL_RE.match(label):
                found = _sources_in(rest)
                if not found and _NAMED_SOURCE_RE.match(plain(rest)):
                    found = [Source(title=plain(rest), publisher=plain(rest))]
                if found or not rest.strip():
                    sources_of = _source_owner()
                    sections[sources_of]["sources"].extend(found)  # type: ignore[attr-defined]
                    collecting_sources = sources_of
                    return
        section_voice = bool(sections[current()]["voice"])
        voice = section_voice or bool(label and _VOICE_LABEL_RE.match(plain(label)))
        if label and not rest.strip():
            list_label = plain(label)  # introduces the list below it
            if voice and not section_voice:
                list_label = None
            return
        blocks.append(
            _Block(section=current(), text=text, label=plain(label) if label else None,
                   list_label=list_label, voice=voice)
        )

    def _source_owner() -> int:
        # a heading named Sources holds the sources of the section around it
        index = current()
        if _SOURCES_LABEL_RE.match(str(sections[index]["title"])) and len(stack) > 1:
            return stack[-2]
        return index

    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if _FENCE_RE.match(line):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        heading = _HEADING_RE.match(line)
        setext = None
        if heading is None and index < len(lines) and line.strip() and not paragraph \
                and not _LIST_RE.match(line) and _SETEXT_RE.match(lines[index]):
            setext = (1 if lines[index].strip().startswith("=") else 2, line.strip())
            index += 1
        if heading or setext:
            flush()
            level, title = (len(heading.group(1)), heading.group(2)) if heading else setext  # type: ignore[misc]
            title = plain(title)
            while len(stack) > 1 and int(sections[stack[-1]]["level"]) >= level:  # type: ignore[call-overload]
                stack.pop()
            parent = sections[stack[-1]]
            is_sources = bool(_SOURCES_LABEL_RE.match(title))
            sections.append({
                "title": title, "level": level,
                "path": (*parent["path"], title),  # type: ignore[misc]
                "sources": [], "voice": bool(parent["voice"]) or bool(_VOICE_SECTION_RE.search(title)),
            })
            stack.append(len(sections) - 1)
            list_label = None
            collecting_sources = _source_owner() if is_sources else None
            continue
        if not line.strip():
            flush()
            # a blank line ends a list's label only when what follows is not the list
            nxt = next((ln for ln in lines[index:] if ln.strip()), "")
            if not _LIST_RE.match(nxt):
                list_label = None
                collecting_sources = None
            continue
        if _RULE_RE.match(line):
            flush()
            list_label = None
            collecting_sources = None
            continue
        item = _LIST_RE.match(line)
        if item:
            flush()
            if collecting_sources is not None:
                found = _sources_in(item.group(2))
                if found:
                    sections[collecting_sources]["sources"].extend(found)  # type: ignore[attr-defined]
                    continue
            _add_block(item.group(2).strip())
            continue
        if collecting_sources is not None and not paragraph and (found := _sources_in(line)) \
                and plain(_LINK_RE.sub("", line)).strip(" ,;-") == "":
            sections[collecting_sources]["sources"].extend(found)  # type: ignore[attr-defined]
            continue
        collecting_sources = None
        label = _LABEL_RE.match(line.strip())
        if paragraph and label and (
            line.lstrip().startswith(("**", "__"))
            or _SOURCES_LABEL_RE.match((label.group("plain") or "").strip())
        ):
            flush()  # "**Date**: ...\n**Context**: ..." and "Source: ..." stand on their own
        paragraph.append(line)
    flush()
    return _build(stem, file, sections, blocks)


def _build(stem: str, file: str, raw_sections: list[dict[str, object]], blocks: list[_Block]) -> _Parsed:
    sections = []
    used_slugs: set[str] = set()
    for raw in raw_sections:
        base = slug(str(raw["title"]))
        section_slug, n = base, 2
        while section_slug in used_slugs:
            section_slug, n = f"{base}-{n}", n + 1
        used_slugs.add(section_slug)
        sections.append(Section(
            id=f"{stem}#{section_slug}", file=file, title=str(raw["title"]),
            level=int(raw["level"]), path=tuple(raw["path"]),  # type: ignore[call-overload, arg-type]
            sources=tuple(dict.fromkeys(raw["sources"])),  # type: ignore[call-overload]
            voice=bool(raw["voice"]),
        ))

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
            voice.append(VoiceSample(file=file, section=section_name, label=block.label,
                                     text=plain(block.text)))
            continue
        context = " ".join([*section.path, block.list_label or "", block.label or ""])
        context_years = tuple(sorted({int(y) for y in _YEAR_RE.findall(context + " " + stem)}))
        sources = backing(block.section)
        text = plain(block.text)
        for sentence in terms.split_sentences(text):
            counters[block.section] = counters.get(block.section, 0) + 1
            claims.append(Claim(
                id=f"{section.id}/{counters[block.section]}",
                file=file,
                section=section_name,
                text=sentence,
                label=block.list_label or block.label,
                sources=sources,
                organisations=tuple(attribution.credited_names(sentence)),
                statistics=tuple(extract(sentence)),
                context_years=context_years,
            ))
    return _Parsed(sections=sections, claims=claims, voice_samples=voice)
