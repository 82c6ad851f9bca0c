"""Reading a brief line by line into sections, source lists, footnotes and blocks.

A block is a paragraph, a list item or a table row, with the section, labels and parent items
it sits under; `claims` turns blocks into claims. Source lists come in the forms briefs use:
a `Sources`/`Source`/`References` label (bold, plain or italic, alone or with the sources on
its line), a heading of that name (under a section, after it, or closing the whole brief),
and Markdown footnotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from angleforge.knowledge.markdown import (
    FOOTNOTE_DEFINITION_RE,
    FOOTNOTE_MARKER_RE,
    LEADING_NAME_RE,
    LINK_RE,
    NAMED_SOURCE_RE,
    plain,
    sources_in,
    without_links,
)
from angleforge.knowledge.model import Source

_HEADING_RE = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT_RE = re.compile(r"^ {0,3}(=+|-+)\s*$")
_RULE_RE = re.compile(r"^ {0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_FENCE_RE = re.compile(r"^ {0,3}(```|~~~)")
LIST_RE = re.compile(r"^(\s*)(?:[-*+•]|\d{1,3}[.)])\s+(.*)$")
_LABEL = (
    r"^(?:\*\*|__)(?P<bold>[^*_]{{1,60}}?)(?::(?:\*\*|__)|(?:\*\*|__)\s*:)\s*(?P<rest>.*)$"
    # a plain label may close on an aside: "Hot-climate fleets (Arizona, Gulf states): 2.2%"
    r"|^(?P<plain>{first}[\w /&'-]{{0,40}}?(?:\s\([^()]{{1,60}}\))?):(?:\s+(?P<plain_rest>.*))?$"
)
LABEL_RE = re.compile(_LABEL.format(first="[A-Z]"))
# a list item may be labelled by a figure too: "- 1 week to 1 month: 34%"
ITEM_LABEL_RE = re.compile(_LABEL.format(first="[A-Z0-9]"))
SOURCES_LABEL_RE = re.compile(r"(?i)^(?:sources?|references?|citations?|bibliography)$")
# a sources label alone on its line, with or without a colon: "**References**", "Sources:"
_SOURCES_ALONE_RE = re.compile(r"(?i)^(?:\*\*|__|\*|_)?(?:sources?|references?|citations?)(?:\*\*|__|\*|_)?\s*:?\s*$")
# a whole line in italics: "*Source: Sophos, [The State of Ransomware 2024](...)*"
_ITALIC_LINE_RE = re.compile(r"^\s*([*_])(?![*_\s])(.*\S)\1\s*$")
_TABLE_ROW_RE = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
VOICE_LABEL_RE = re.compile(
    r"(?i)^(?:content\s+angles?|hooks?|value|cta|call\s+to\s+action|angle|draft|post\s+idea"
    r"|tweet|thread)$"
)
VOICE_SECTION_RE = re.compile(
    r"(?i)\b(?:content\s+angles?|(?:thread|tweet|post|question)s?\s+ideas?|question\s+tweets?"
    r"|hooks?|voice\s+samples?|example\s+posts?|drafts?)\b"
)
# a section or paragraph that says its figures have no source: a closing References list does
# not back it ("what I hear in sales pitches; nobody cites a source", "from my own work (not a study)")
DISCLAIMS_SOURCES_RE = re.compile(
    r"(?i)\b(?:nobody|no\s+one|no-one)\s+cites|\bno\s+(?:cited\s+)?sources?\b|\bnot\s+(?:a|any)\s+(?:study|source)"
    r"|\bun(?:sourced|cited|verified|backed)\b|\bhave\s+not\s+seen\s+a\s+study|\bfrom\s+my\s+own\b"
    # "No report in this brief backs any of it", "none of it is backed", "not backed by a study"
    r"|\bno\s+(?:report|study|survey|data|evidence|source)\b[^.:]{0,40}\bbacks?\b|\bnot\s+backed\b"
    r"|\bnone\s+of\s+(?:it|this|these|them)\s+(?:is|are)\s+(?:backed|sourced)"
)


@dataclass(slots=True)
class Block:
    """A paragraph, list item or table row, with the section and labels it sits under."""

    section: int
    text: str
    label: str | None  # its own label ("Speech-to-Text" of "Speech-to-Text: 100-300ms"), a row's first cell
    list_label: str | None  # the label alone on its line that introduces its list ("Production reality")
    context: str  # what it inherits: the parent item it is nested under, the caption of its list or table
    voice: bool
    kind: Literal["paragraph", "item", "row"] = "paragraph"
    group: int = 0  # the paragraph, list or table it belongs to: the items of one list share one


@dataclass
class OpenSection:
    """A section while its brief is being read: its sources still grow."""

    title: str
    level: int
    path: tuple[str, ...]
    voice: bool
    sources: list[Source] = field(default_factory=list)
    lists_sources: bool = False  # a heading named Sources or References: what it holds is sources
    sources_owner: int = 0  # for such a heading, the section whose sources those are
    disclaims: bool = False  # says its figures have no source
    closing_references: bool = False  # the brief's closing References list, backing the sections above it


@dataclass(slots=True)
class _Item:
    indent: int
    text: str


class Reader:
    """Reads a brief line by line into sections, blocks and footnotes."""

    def __init__(self, stem: str, last_heading: int) -> None:
        self.stem = stem
        self.sections = [OpenSection(title=stem, level=0, path=(), voice=False)]
        self.blocks: list[Block] = []
        self.footnotes: dict[str, list[Source]] = {}
        self.stack = [0]  # indexes of the open sections, outermost first
        self.list_label: str | None = None  # a label line that introduces a list
        self.caption = ""  # a line ending on a colon that introduces the list or table below it
        self.items: list[_Item] = []  # the list items open above the current one, outermost first
        self.group = 0  # the number of the paragraph, list or table being read
        self.in_list = False  # whether the last block was an item or row of a list or table still open
        self.collecting: int | None = None  # the section whose source list we are in
        self.paragraph: list[str] = []
        self.table: list[list[str]] = []  # the rows of the table being read, its header first
        self.in_fence = False
        self.next_line: str | None = None
        self.last_heading = last_heading  # the line number of the brief's last heading
        self.line_number = 0

    @property
    def current(self) -> int:
        return self.stack[-1]

    def read(self, number: int, line: str, following: str | None, upcoming: str | None) -> bool:
        """Take line `number`; True when it also consumed `following` (a setext underline).
        `upcoming` is the next line that is not blank."""
        self.line_number = number
        if _FENCE_RE.match(line):
            self.flush()
            self.in_fence = not self.in_fence
            return False
        if self.in_fence:
            return False
        if not _TABLE_ROW_RE.match(line):
            self._end_table()
        heading = _HEADING_RE.match(line)
        if heading:
            self._open(len(heading.group(1)), heading.group(2))
            return False
        if (
            following is not None
            and line.strip()
            and not self.paragraph
            and not LIST_RE.match(line)
            and not _TABLE_ROW_RE.match(line)
            and _SETEXT_RE.match(following)
        ):
            self._open(1 if following.strip().startswith("=") else 2, line.strip())
            return True
        if not line.strip():
            self.next_line = upcoming or ""
            self.flush()
            return False
        if _TABLE_ROW_RE.match(line) and (self.table or (following is not None and _TABLE_RULE_RE.match(following))):
            self._table_row(line)
            return False
        self._read_content(line)
        return False

    # --- lines -------------------------------------------------------------------------------

    def _read_content(self, line: str) -> None:
        if _RULE_RE.match(line):
            self.flush()
            self.list_label = self.collecting = None
            self.caption = ""
            return
        if footnote := FOOTNOTE_DEFINITION_RE.match(line):
            self.flush()
            found = sources_in(footnote.group(2)) or _named(footnote.group(2))
            self.footnotes.setdefault(footnote.group(1), []).extend(found)
            return
        if italic := _ITALIC_LINE_RE.match(line):
            inner = italic.group(2)
            if LABEL_RE.match(inner.strip()) and SOURCES_LABEL_RE.match(_label_of(inner) or ""):
                line = inner  # "*Source: Sophos, [...](...)*" is a source line in italics
        if self.sections[self.current].lists_sources:
            # a Sources or References section holds sources: its links, whatever text is around them
            self.flush()
            self._add_sources(sources_in(line) or (_named(plain(line)) if LIST_RE.match(line) else []))
            return
        if _SOURCES_ALONE_RE.match(line.strip()):
            self.flush()
            self.collecting = self.current
            return
        item = LIST_RE.match(line)
        if item:
            self.flush()
            if self.collecting is not None and (found := sources_in(item.group(2))):
                self._add_sources(found)
                return
            self._add_item(len(item.group(1).expandtabs(4)), item.group(2).strip())
            return
        if (
            self.collecting is not None
            and not self.paragraph
            and (found := sources_in(line))
            and without_links(line).strip(" ,;-") == ""
        ):
            self._add_sources(found)
            return
        self.collecting = None
        label = LABEL_RE.match(line.strip())
        if (
            self.paragraph
            and label
            and (line.lstrip().startswith(("**", "__")) or SOURCES_LABEL_RE.match((label.group("plain") or "").strip()))
        ):
            self.flush()  # "**Date**: ...\n**Context**: ..." and "Source: ..." stand on their own
        self.paragraph.append(line)

    def _add_item(self, indent: int, text: str) -> None:
        while self.items and self.items[-1].indent >= indent:
            self.items.pop()
        parent = self.items[-1].text if self.items else ""
        self._add_block(text, kind="item", parent=parent)
        self.items.append(_Item(indent, plain(text)))

    def _table_row(self, line: str) -> None:
        if _TABLE_RULE_RE.match(line):
            return
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        self.flush()
        self.table.append(cells)

    def _end_table(self) -> None:
        """Each body row as a block: its first cell labels it, each other cell follows its
        column's header ("France: 2022 621,000; 2023 558,000"), so a year column dates its
        cells and a header names what its cells measure."""
        if not self.table:
            return
        header, *rows = self.table
        self.table = []
        headers = [plain(cell) for cell in header]
        for row in rows:
            cells = [plain(cell) for cell in row]
            if not any(cells):
                continue
            label = cells[0]
            values = "; ".join(
                f"{name} {value}".strip() for name, value in zip(headers[1:], cells[1:], strict=False) if value
            )
            context = " ".join(part for part in (self.caption, headers[0] if headers else "") if part)
            self._add_block(f"{label}: {values}" if values else label, kind="row", label=label, context=context)

    # --- sections ----------------------------------------------------------------------------

    def _open(self, level: int, raw_title: str) -> None:
        self.flush()
        self._end_table()
        title = plain(raw_title)
        # the section of this level the heading closes, if any: a Sources heading after it holds its sources
        sibling = next((i for i in reversed(self.stack) if self.sections[i].level == level), None)
        while len(self.stack) > 1 and self.sections[self.stack[-1]].level >= level:
            self.stack.pop()
        parent = self.sections[self.stack[-1]]
        lists_sources = bool(SOURCES_LABEL_RE.match(title))
        self.sections.append(
            OpenSection(
                title=title,
                level=level,
                path=(*parent.path, title),
                voice=parent.voice or bool(VOICE_SECTION_RE.search(title)),
                lists_sources=lists_sources,
                disclaims=parent.disclaims or bool(DISCLAIMS_SOURCES_RE.search(title)),
            )
        )
        self.stack.append(len(self.sections) - 1)
        self.list_label = None
        self.caption = ""
        self.items = []
        self.in_list = False
        self.collecting = None
        if lists_sources:
            self.sections[-1].sources_owner = self._sources_heading_owner(sibling, level)

    def _sources_heading_owner(self, sibling: int | None, level: int) -> int:
        """The section a heading named Sources or References holds the sources of: the
        section around it when it sits below that section's heading, else the section it
        follows at the same level ("### References" after "### 2. Time saved"). The brief's last
        heading, at level 2 or above, closes the whole brief: its list backs every section
        above that cites nothing of its own."""
        heading = self.sections[self.current]
        if self.line_number >= self.last_heading and level <= 2:
            heading.closing_references = True
            return self.current
        if sibling is not None and not self.sections[sibling].lists_sources:
            return sibling
        return self.stack[-2]

    def _add_sources(self, found: list[Source]) -> None:
        section = self.sections[self.current]
        if section.lists_sources:
            owner = section.sources_owner
        else:
            owner = self.collecting if self.collecting is not None else self.current
        self.sections[owner].sources.extend(found)

    # --- blocks ------------------------------------------------------------------------------

    def flush(self) -> None:
        if self.paragraph:
            self._add_block(" ".join(part.strip() for part in self.paragraph))
            self.paragraph = []
        if self.next_line is not None:
            # a blank line ends a list's label only when what follows is not the list
            if not LIST_RE.match(self.next_line) and not _TABLE_ROW_RE.match(self.next_line):
                self.list_label = self.collecting = None
                self.caption = ""
                self.items = []
                self.in_list = False
            self.next_line = None

    def _add_block(
        self,
        text: str,
        *,
        kind: Literal["paragraph", "item", "row"] = "paragraph",
        parent: str = "",
        label: str | None = None,
        context: str = "",
    ) -> None:
        label_match = (ITEM_LABEL_RE if kind == "item" else LABEL_RE).match(text) if label is None else None
        rest = text
        if label_match:
            label = (label_match.group("bold") or label_match.group("plain") or "").strip()
            bold = label_match.group("bold") is not None
            rest = label_match.group("rest" if bold else "plain_rest") or ""
            if SOURCES_LABEL_RE.match(label) and self._take_sources(rest):
                return
        section = self.sections[self.current]
        voice = section.voice or bool(label and kind != "row" and VOICE_LABEL_RE.match(plain(label)))
        if label and not rest.strip() and kind != "row":
            # a label on its own introduces the list below it
            self.list_label = None if voice and not section.voice else plain(label)
            return
        inherited = context or parent or self.caption
        if kind == "paragraph" and FOOTNOTE_MARKER_RE.sub("", plain(text)).rstrip().endswith(":"):
            self.caption = plain(text)  # "Heat pumps sold, units per year:" introduces what follows
        if kind == "paragraph" or not self.in_list:
            self.group += 1
        self.in_list = kind != "paragraph"
        self.blocks.append(
            Block(
                section=self.current,
                text=text,
                label=plain(label) if label else None,
                list_label=self.list_label,
                context=inherited,
                voice=voice,
                kind=kind,
                group=self.group,
            )
        )

    def _take_sources(self, rest: str) -> bool:
        """Read a Sources label's line; False when it is no source list ("Sources: 20+ cited")."""
        found = sources_in(rest)
        if not found and NAMED_SOURCE_RE.match(plain(rest)):
            found = _named(plain(rest))
        if not found and rest.strip():
            return False
        self.collecting = self.current
        self.sections[self.current].sources.extend(found)
        return True

    def finish(self) -> None:
        self.flush()
        self._end_table()


def _named(text: str) -> list[Source]:
    """A source named without a link ("Source: author"), or a note naming its publisher before
    a comma and its title or year (a footnote "Gartner, 2025", "Energy Networks Association,
    Connecting Fleet Depots, 2024"): the name is the publisher, the whole note the title."""
    note = plain(text).strip(" .")
    if not note:
        return []
    if NAMED_SOURCE_RE.match(note):
        return [Source(title=note, publisher=note)]
    leading = LEADING_NAME_RE.match(note)
    return [Source(title=note, publisher=leading.group(1))] if leading else []


def _label_of(line: str) -> str | None:
    match = LABEL_RE.match(line.strip())
    return (match.group("bold") or match.group("plain") or "").strip() if match else None


__all__ = ["LINK_RE", "Block", "OpenSection", "Reader"]
