"""Words that carry a sentence's subject: sentence splitting, stop words and light stemming.

The guardrail compares the subject of a draft sentence with the subject of a knowledge-base
claim by the content words they share; this module decides what a content word is.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from functools import lru_cache
from itertools import accumulate, compress

from angleforge.quantities import units, words
from angleforge.quantities.structure import THREAD_MARKER

_STOP_WORDS = frozenset(
    """a about above after again against all almost also am an and any are aren't as at be
    because been before being below between both but by can can't cannot could couldn't did
    didn't do does doesn't doing don't down during each even ever every few for from further
    get gets got had hadn't has hasn't have haven't having he her here hers herself him himself
    his how i i'm i've if in into is isn't it it's its itself just know knew let's like made
    make makes many may me might more most much must mustn't my myself no nor not now of off
    often on once only or other others our ours ourselves out over own per really same say says
    said see she should shouldn't so some such than that that's the their theirs them
    themselves then there there's these they they're this those though through thus to too
    under until up upon us very was wasn't way we we're we've well were weren't what what's
    when where which while who whom whose why will with within without won't would wouldn't
    yet you you're your yours yourself yourselves here's nobody everyone everybody someone
    something anything everything one ones another still already actually less least lot lots
    thing things number numbers time times percent per cent today year years new next last
    first second around approximately roughly nearly over under more less than between
    via vs versus etc e.g i.e x""".split()
)

# a stop (not an initial's: "J.D. Power"), closing quotes or brackets, a space, and a capital
# (or a number) next; a blank line;
# a line break before a list item, a thread's next post, a labelled line ("Telephony: 200ms"), a
# line that opens with a percentage ("11% in production") or with a symbol ("→", "✅", "1️⃣").
# The pattern opens with the one character every break starts with, which lets the regex engine
# skip from one such character to the next instead of trying each position.
_SENTENCE_END_RE = re.compile(
    r"[.!?…\n](?:(?<=[.!?…])(?<![\s.][A-Z]\.)[\"'”’)\]*_]*\s+(?=[\"'“‘(\[*_]*[A-Z0-9$€£<>~])"
    rf"|(?<=\n)\s*\n|(?<=\n)(?=\s*[-*+•]\s)|(?<=\n)(?=\s*(?:\d{{1,3}}[.)]|{THREAD_MARKER})\s)"
    r"|(?<=\n)(?=[ \t]*[^\s:][^\n:]{0,38}:\s)|(?<=\n)(?=[ \t]*[<>~]?\d[\d,.]*\s?%)"
    r"|(?<=\n)(?=[ \t]*(?:[^\w\s\"'“‘(\[$€£¥<>~]|\d\ufe0f?\u20e3)))"
)
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’]*")
_WORD_SPLIT_RE = re.compile(f"({_WORD_RE.pattern})")
WORD_CHARACTERS = frozenset(string.ascii_letters + "'’")  # what _WORD_RE takes


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences (and list items, and lines of a thread) in `text`."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END_RE.finditer(text):
        stop = match.start()
        spans.append((start, stop if text[stop] == "\n" else stop + 1))  # a sentence keeps its stop
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()] or [(0, len(text))]


def split_sentences(text: str) -> Iterator[str]:
    for start, end in sentence_spans(text):
        yield text[start:end].strip()


# words that name the same subject in briefs and posts
_SYNONYMS = {
    "organisation": "organization",
    "caller": "customer",
    "centre": "center",
    "llm": "model",
    "stt": "speech",
    "asr": "speech",
}
# forms a suffix stripper cannot bring together: "paid" and "payment" meet "pay"
_IRREGULAR = {"paid": "pay", "payment": "pay", "spent": "spend", "spending": "spend", "grew": "grow", "rose": "rise"}
# nouns for a group of organisations, which name the same thing as "organizations" in the
# plural ("89% of companies"), where the singular is often part of a name ("Copilot Business")
_ORGANIZATIONS = frozenset({"company", "org", "enterprise", "business", "firm"})
_NOT_WORDS_RE = re.compile(r"https?://\S+|www\.\S+|[@#][\w-]+|\]\([^)]*\)")


@lru_cache(maxsize=65536)  # a knowledge base has a few thousand distinct words, used again and again
def stem(word: str) -> str:
    """A crude suffix stripper: enough that 'organizations' meets 'organization' and 'using'
    meets 'use'."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    plural = word.endswith("s")
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif len(word) > 4 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 3 and word.endswith("ed") and not word.endswith("eed"):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    word = "organization" if plural and word in _ORGANIZATIONS else _SYNONYMS.get(word, word)
    word = _IRREGULAR.get(word, word)
    return word[:-1] if len(word) > 2 and word.endswith("e") else word


# phrases that name a total, read as the word "total" (padded, so offsets hold): "All in,
# 500-1,600ms", "add it up", "end to end"
_TOTAL = r"\b(?:all[ -]in|add(?:s|ed|ing)?(?: it| them)? up|end[ -]to[ -]end|in total|altogether|combined|summed)\b"
_TOTAL_RE = re.compile(_TOTAL, re.IGNORECASE)


def _totals(text: str) -> str:
    lower = text.lower()
    # every such phrase holds one of these: a test far cheaper than the pattern, which most texts fail
    if not (
        "all" in lower
        or "add" in lower
        or "end" in lower
        or "total" in lower
        or "together" in lower
        or "combined" in lower
        or "summed" in lower
    ):
        return text
    return _TOTAL_RE.sub(lambda m: "total".ljust(len(m.group())), text)


@lru_cache(maxsize=65536)
def content_terms(text: str) -> tuple[str, ...]:
    """The stemmed content words of `text`, in order, stop words and number words left out."""
    text = _totals(text)
    if _may_hold_non_words(text):
        text = _NOT_WORDS_RE.sub(" ", text)
    return tuple(filter(None, map(term, _WORD_RE.findall(text))))


def term_starts(text: str) -> tuple[tuple[str, ...], list[int], list[str]]:
    """`content_terms` of a text holding no link, handle or hashtag (`has_non_words`), where
    each of those words starts, and all its words (`all_words`).

    Built without a Python step per word: the text split around its words, the pieces'
    lengths summed into offsets, and the stop words dropped from both (`filter`, `compress`)."""
    pieces = _WORD_SPLIT_RE.split(_totals(text))  # text between words at even places, words at odd ones
    offsets = list(accumulate(map(len, pieces), initial=0))
    words = pieces[1::2]
    found = list(map(term, words))
    return tuple(filter(None, found)), list(compress(offsets[1::2], found)), words


def all_words(text: str) -> list[str]:
    """Every word of `text`, stop words too, as written; a phrase naming a total is "total"."""
    return _WORD_RE.findall(_totals(text))


def has_non_words(text: str) -> bool:
    """Whether `text` holds a link, handle or hashtag, whose letters are no words."""
    return _may_hold_non_words(text) and bool(_NOT_WORDS_RE.search(text))


def _may_hold_non_words(text: str) -> bool:
    """What `_NOT_WORDS_RE` needs, tested far more cheaply: most texts hold none of it."""
    return "http" in text or "www." in text or "@" in text or "#" in text or "](" in text


@lru_cache(maxsize=65536)  # words recur across drafts far more than the sentences they make
def term(word: str) -> str:
    """The content term a word stands for, or '' for a stop word or number word."""
    lower = word.lower().replace("’", "'")
    if lower in _STOP_WORDS or len(lower) < 2 or lower in _NUMBER_WORDS:
        return ""
    return stem(lower)


# number words and unit symbols that read as words ("ms", "kg") say how much, not of what
_NUMBER_WORDS = words.NUMBER_WORDS | units.WORD_SYMBOLS
