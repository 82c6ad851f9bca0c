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
from angleforge.quantities import Quantity, extract
from angleforge.quantities.dates import credit_named, split_years, year_beside

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
    cited_by: dict[str, list[Source]] = {}  # the brief's sources by publisher
    for source in (*(s for section in sections for s in section.sources), *(s for n in footnotes.values() for s in n)):
        cited_by.setdefault(attribution.normalise(source.publisher), []).append(source)
    publishers = frozenset(cited_by)
    # the organisations whose name before a year makes it an edition: "Coveware 2024", not "Germany 2024"
    known = attribution.KNOWN_ORGANISATIONS | publishers
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
        # the nearest that gives a year dates the claim: a table's caption "(GB network, 2024)"
        # before its section's "The Numbers (2025 Reality)"; the title's year is the brief's
        headings = [heading for heading in section.path if heading != title]
        context_years = next(
            (found for part in (context, *reversed(headings)) if (found := _dating_years(part, known))), ()
        )
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
                    cited_by,
                    known,
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
    cited_by: dict[str, list[Source]],
    known: frozenset[str],
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
    organisations = tuple(attribution.credited_names(sentence, publishers))
    dating, editions = split_years(sentence, statistics, organisations=known)
    # a year closing a credit to one of its organisations is the credit's: "(Gartner, 2025)"
    credits = [year for year in dating if _credits(sentence, year, organisations)]
    dating = [year for year in dating if year not in credits]
    figures = [q for q in statistics if q.kind != "year"]
    beside = [year_beside(q, dating, figures, sentence) if q.kind != "year" else None for q in statistics]
    periods = tuple((int(year.low), int(year.high)) if year is not None else None for year in beside)
    # a claim that only names who says it ("61% were hit in 2023 (Sophos)") relies on what that
    # publisher's sources in the brief are the edition of
    backing = sources or [
        s for key, own in cited_by.items() if attribution.credits_agree(key, organisations) for s in own
    ]
    return Claim(
        id=claim_id,
        file=file,
        section=section,
        text=sentence,
        label=label,
        context=context,
        group=group,
        sources=sources,
        organisations=organisations,
        statistics=tuple(statistics),
        dates=tuple(period[0] if period is not None else None for period in periods),
        periods=periods,
        years=tuple(end for y in dating for end in _ends(y)),
        context_years=context_years,
        editions=tuple(sorted({*(int(y.low) for y in (*editions, *credits)), *(y for s in backing for y in s.years)})),
    )


def _ends(year: Quantity) -> tuple[int, ...]:
    """The first and last year of a range ("between 2022 and 2024"), the year of a year."""
    return (int(year.low),) if year.low == year.high else (int(year.low), int(year.high))


def _credits(sentence: str, year: Quantity, organisations: tuple[str, ...]) -> bool:
    """Whether the year closes a parenthesised credit to one of `organisations`."""
    name = credit_named(sentence, year)
    return name is not None and attribution.credits_agree(attribution.normalise(name), organisations)


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


def _dating_years(text: str, known: frozenset[str]) -> tuple[int, ...]:
    """The years a heading or label gives as dates ("2024 snapshot", "Who switched in 2024"),
    not those naming a report ("The Numbers (2024 Reports)"); `known`, the organisations
    whose names make a year an edition."""
    if not _YEAR_RE.search(text):
        return ()
    dating, _ = split_years(text, extract(text), organisations=known)
    return tuple(sorted({year for y in dating for year in range(int(y.low), int(y.high) + 1)}))
