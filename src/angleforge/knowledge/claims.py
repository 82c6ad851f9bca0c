"""From what the reader found to claims: one per sentence, list item or table row, each with
its statistics, the year each statistic is of, the words it inherits and the sources that
back it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from angleforge import attribution, terms
from angleforge.knowledge.markdown import FOOTNOTE_MARKER_RE, footnotes_to_their_sentences, plain, slug
from angleforge.knowledge.model import Claim, Section, Source, VoiceSample
from angleforge.knowledge.reader import DISCLAIMS_SOURCES_RE, Block, OpenSection
from angleforge.quantities import extract
from angleforge.quantities.dates import split_years, year_beside

_YEAR_RE = re.compile(r"(?<!\d)(19\d\d|20\d\d|2100)(?!\d)")


def sections_of(stem: str, file: str, raw_sections: list[OpenSection]) -> list[Section]:
    """The sections of one brief, each with a unique id and its own source list. The brief's
    closing References list becomes the sources of the brief as a whole (its first, untitled
    section), so it backs every section that cites nothing of its own."""
    closing = next((raw.sources for raw in raw_sections if raw.closing_references), [])
    sections = []
    used_slugs: set[str] = set()
    for index, raw in enumerate(raw_sections):
        base = slug(raw.title)
        section_slug, n = base, 2
        while section_slug in used_slugs:
            section_slug, n = f"{base}-{n}", n + 1
        used_slugs.add(section_slug)
        own = [*raw.sources, *closing] if index == 0 else ([] if raw.closing_references else raw.sources)
        sections.append(
            Section(
                id=f"{stem}#{section_slug}",
                file=file,
                title=raw.title,
                level=raw.level,
                path=raw.path,
                sources=tuple(dict.fromkeys(own)),
                voice=raw.voice,
                disclaims_sources=raw.disclaims,
            )
        )
    if closing:
        sections = [
            replace(section, backed_by_references=True)
            if index and not section.voice and _backer(sections, index) == 0
            else section
            for index, section in enumerate(sections)
        ]
    return sections


def claims_of(
    stem: str,
    file: str,
    sections: list[Section],
    blocks: Iterable[Block],
    footnotes: dict[str, list[Source]],
    title: str | None,
) -> tuple[list[Claim], list[VoiceSample]]:
    """The claims and voice samples of one brief's blocks. `title` is the brief's title
    heading: its year is the brief's, not every claim's."""
    claims: list[Claim] = []
    voice: list[VoiceSample] = []
    counters: dict[int, int] = {}
    # the brief's publishers are organisations its claims may name: "Attackers went after backups (Veeam)"
    publishers = frozenset(
        attribution.normalise(source.publisher)
        for section in sections
        for source in (*section.sources, *(s for notes in footnotes.values() for s in notes))
    )
    for block in blocks:
        section = sections[block.section]
        section_name = " > ".join(section.path) or stem
        if block.voice:
            voice.append(VoiceSample(file=file, section=section_name, label=block.label, text=plain(block.text)))
            continue
        # the label of a list and the item it heads are often one line: "Of homes that switched in 2024:"
        label = block.list_label if block.list_label and not block.context.startswith(block.list_label) else None
        context = " ".join(part for part in (label, block.context) if part)
        # an item takes the notes of the line that introduces it ("the stages run:[^2]")
        introduced = _notes(footnotes, block.context.rsplit(". ", 1)[-1]) if "[^" in block.context else []
        context = FOOTNOTE_MARKER_RE.sub("", context) if introduced else context
        headings = [heading for heading in section.path if heading != title]
        context_years = _dating_years(" ".join([*headings, context]))
        # a list's items are disclaimed by the line introducing them ("No report backs any of it:")
        disclaimed = DISCLAIMS_SOURCES_RE.search(block.text) or (
            block.kind == "item" and DISCLAIMS_SOURCES_RE.search(block.context)
        )
        backing = () if disclaimed else _backing(sections, block.section)
        text = plain(footnotes_to_their_sentences(block.text))
        for sentence in terms.split_sentences(text):
            notes = _notes(footnotes, sentence) or introduced
            sentence = FOOTNOTE_MARKER_RE.sub("", sentence).strip()
            if not sentence:
                continue
            counters[block.section] = counters.get(block.section, 0) + 1
            sources = tuple(dict.fromkeys([*notes, *backing]))
            if section.backed_by_references and not notes and attribution.credited_names(sentence, publishers):
                # a claim in a section the closing list backs, naming who says it ("... (Veeam)"), is theirs
                sources = ()
            claims.append(
                _claim(
                    publishers,
                    f"{section.id}/{counters[block.section]}",
                    file,
                    section_name,
                    sentence,
                    label=block.label,
                    context=context,
                    group=f"{stem}:{block.group}",
                    sources=sources,
                    context_years=context_years,
                )
            )
    return claims, voice


def _notes(footnotes: dict[str, list[Source]], text: str) -> list[Source]:
    """The sources of the footnotes whose markers `text` carries."""
    return [source for note in FOOTNOTE_MARKER_RE.findall(text) for source in footnotes.get(note, ())]


def _claim(
    publishers: frozenset[str],
    claim_id: str,
    file: str,
    section: str,
    sentence: str,
    *,
    label: str | None,
    context: str,
    group: str,
    sources: tuple[Source, ...],
    context_years: tuple[int, ...],
) -> Claim:
    statistics = extract(sentence)
    dating, editions = split_years(sentence, statistics)
    figures = [q for q in statistics if q.kind != "year"]
    beside = [year_beside(q, dating, figures, sentence) if q.kind != "year" else None for q in statistics]
    dates = tuple(int(year.low) if year is not None else None for year in beside)
    cited = {int(y) for source in sources for y in _YEAR_RE.findall(f"{source.title} {source.url or ''}")}
    return Claim(
        id=claim_id,
        file=file,
        section=section,
        text=sentence,
        label=label,
        context=context,
        group=group,
        sources=sources,
        organisations=tuple(attribution.credited_names(sentence, publishers)),
        statistics=tuple(statistics),
        dates=dates,
        years=tuple(int(y.low) for y in dating),
        context_years=context_years,
        editions=tuple(sorted({*(int(y.low) for y in editions), *cited})),
    )


def _backing(sections: list[Section], index: int) -> tuple[Source, ...]:
    """The sources of the nearest enclosing section with a source list."""
    backer = _backer(sections, index)
    return sections[backer].sources if backer is not None else ()


def _backer(sections: list[Section], index: int) -> int | None:
    """The nearest enclosing section with a source list: none for a section that says its
    figures have no source, or that sits in one that says so."""
    path = sections[index].path
    for candidate in reversed(range(index + 1)):
        section = sections[candidate]
        if path[: len(section.path)] != section.path:
            continue
        if section.sources and not section.voice:
            return candidate
        if section.disclaims_sources:
            return None
    return None


def _dating_years(text: str) -> tuple[int, ...]:
    """The years a heading or label gives as dates ("2024 snapshot", "Who switched in 2024"),
    not those naming a report ("The Numbers (2024 Reports)")."""
    if not _YEAR_RE.search(text):
        return ()
    dating, _ = split_years(text, extract(text))
    return tuple(sorted({year for y in dating for year in range(int(y.low), int(y.high) + 1)}))
