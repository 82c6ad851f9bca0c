"""Inline Markdown: plain text of a line, its links, the sources a source line names, and
footnote markers."""

from __future__ import annotations

import re

from angleforge import attribution
from angleforge.knowledge.model import Source

LINK_RE = re.compile(
    # bounded, so a line of unmatched brackets costs linear time, not quadratic
    r"\[(?P<title>[^\]\n]{0,500})\]\((?P<url>[^)\s]{1,2000})[^)\n]{0,200}\)|<(?P<auto>https?://[^>\s]{1,2000})>"
    r"|(?P<bare>https?://[^\s)\]>]{1,2000})"
)
_MARKUP_RE = re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|`")
_PUBLISHER_RE = re.compile(r"\(([^()]+)\)\s*$")
# the name written before a link on a source line: "Sophos, [The State of Ransomware 2024](...)"
_NAME_BEFORE_RE = re.compile(r"([A-Z][\w&.'’-]*(?:\s+(?:&\s+)?[A-Z(][\w&.'’()-]*){0,5})\s*[,:–—-]\s*$")
# the publisher opening a note that ends in a bare link: 'Energy Networks Association, "Connecting
# Fleet Depots", 2024. https://...'
LEADING_NAME_RE = re.compile(r"([A-Z][\w&.'’-]*(?:\s+(?:&\s+|of\s+|for\s+|and\s+)?[A-Z][\w&.'’-]*){0,6})\s*,")
NAMED_SOURCE_RE = re.compile(r"^[A-Za-z][A-Za-z .&'-]{0,60}$")
# "[^1]", "[^dora]": a footnote marker; "[^1]: ..." at a line's start defines the note
FOOTNOTE_MARKER_RE = re.compile(r"\[\^([^\]\s]{1,40})\]")
FOOTNOTE_DEFINITION_RE = re.compile(r"^ {0,3}\[\^([^\]\s]{1,40})\]:\s*(.*)$")
# a marker just after a sentence's stop belongs to that sentence: "... in 2023.[^1] The next"
_MARKER_AFTER_STOP_RE = re.compile(r"([.!?])((?:\[\^[^\]\s]{1,40}\])+)")


def plain(markdown: str) -> str:
    """Inline Markdown to text: links keep their titles, emphasis and code marks go."""
    text = LINK_RE.sub(lambda m: m.group("title") or m.group("auto") or m.group("bare"), markdown)
    return _MARKUP_RE.sub("", text).strip()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def sources_in(line: str) -> list[Source]:
    """The sources a source line or list item names: each link, with its publisher taken from
    the parenthesised name closing its title ("Voice AI Latency Benchmarks (Trillet)"), else
    from the name written before the link ("Sophos, [The State of Ransomware 2024](...)") or
    opening a note that ends in a bare link, else from its domain."""
    sources = []
    done = 0
    for match in LINK_RE.finditer(line):
        url = match.group("url") or match.group("auto") or match.group("bare")
        if url.startswith(("http://", "https://", "www.")):
            before = plain(line[done : match.start()]).rstrip(" ;")
            named = _NAME_BEFORE_RE.search(before) or (LEADING_NAME_RE.match(before) if not done else None)
            sources.append(_source(match.group("title") or "", url, named.group(1) if named else None))
        done = match.end()
    return sources


def _source(title: str, url: str, named: str | None) -> Source:
    title = plain(title) or url
    publisher = _PUBLISHER_RE.search(title)
    if publisher:
        name = publisher.group(1).strip()
    elif named:
        name = named.strip()
    else:
        name = attribution.domain_name(url).title()
    return Source(title=title, url=url, publisher=name)


def without_links(line: str) -> str:
    """The line's text once its links are gone: what a source line says besides its sources."""
    return plain(LINK_RE.sub("", line))


def footnotes_to_their_sentences(text: str) -> str:
    """Markers moved before the stop they follow, so splitting sentences keeps each marker
    with the sentence it footnotes."""
    return _MARKER_AFTER_STOP_RE.sub(r"\2\1", text)
