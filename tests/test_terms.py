"""Sentence splitting, content words and crediting: their fast forms agree with the plain definitions."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from angleforge import attribution, patterns, subjects, terms
from angleforge.guardrail import case
from angleforge.quantities import structure
from angleforge.quantities.structure import THREAD_MARKER

# a stop is a sentence's end where closing marks, a space and a capital or number follow
_PLAIN_SENTENCE_END_RE = re.compile(
    r"(?<=[.!?…])[\"'”’)\]*_]*\s+(?=[\"'“‘(\[*_]*[A-Z0-9$€£<>~])|\n\s*\n|\n(?=\s*[-*+•]\s)|\n(?=\s*\d{1,3}[.)/]\s)"
    r"|\n(?=[ \t]*[^\s:][^\n:]{0,38}:\s)|\n(?=[ \t]*[<>~]?\d[\d,.]*\s?%)"
    r"|\n(?=[ \t]*(?:[^\w\s\"'“‘(\[$€£¥<>~]|\d\ufe0f?\u20e3))"
)


def _plain_sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _PLAIN_SENTENCE_END_RE.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()] or [(0, len(text))]


def test_sentences_lines_and_list_items_are_split():
    text = "Latency kills. “Above 800ms” it feels broken!\n\n- a list item\n2/ next post… Done"
    assert [text[s:e] for s, e in terms.sentence_spans(text)] == [
        "Latency kills.",
        "“Above 800ms” it feels broken!",
        "- a list item",
        "2/ next post…",
        "Done",
    ]


def test_lines_of_figures_are_sentences_of_their_own():
    text = "Per TTEC Digital:\n14% deployment-ready\n11% in production\nup 40% since"
    assert [text[s:e] for s, e in terms.sentence_spans(text)] == [
        "Per TTEC Digital:",
        "14% deployment-ready",
        "11% in production\nup 40% since",
    ]


def test_lines_opened_by_a_symbol_are_sentences_of_their_own():
    text = "Three numbers:\n1️⃣ 14% ready (TTEC Digital)\n→ 11% in production\n✅ and 42% building"
    assert [text[s:e] for s, e in terms.sentence_spans(text)] == [
        "Three numbers:",
        "1️⃣ 14% ready (TTEC Digital)",
        "→ 11% in production",
        "✅ and 42% building",
    ]


def test_labelled_lines_are_sentences_of_their_own():
    """ "Speech-to-Text: 100-300ms" on one line and "LLM inference: 200-800ms" on the next are two
    statements, bullets or not; a link's or a clock's colon labels nothing."""
    text = "Latency budget:\nSpeech-to-Text: 100-300ms\nLLM inference: 200-800ms\nsee https://x.io at\n10:30 today"
    assert [text[s:e] for s, e in terms.sentence_spans(text)] == [
        "Latency budget:",
        "Speech-to-Text: 100-300ms",
        "LLM inference: 200-800ms\nsee https://x.io at\n10:30 today",
    ]


@settings(max_examples=3000, derandomize=True)
@given(st.text(alphabet=".!?…\n \t-*•1(“”')_Aab$:%,→\u20e3", max_size=24))
def test_sentence_spans_agree_with_the_plain_definition(text: str):
    assert terms.sentence_spans(text) == _plain_sentence_spans(text)


_WORD_PIECES = ["Users", "expect", "the", "a", "speech's", "analytics", "don’t", "P95", "’s", "40%", "-", ",", "\n"]


@settings(max_examples=1500, derandomize=True)
@given(st.lists(st.sampled_from(_WORD_PIECES) | st.text(alphabet="Ab'’ .1", max_size=3), max_size=8).map("".join))
def test_content_words_and_their_starts_agree_with_a_scan_word_by_word(text: str):
    plain = [(m.start(), found) for m in terms._WORD_RE.finditer(text) if (found := terms.term(m.group()))]
    names, starts, words = terms.term_starts(text)
    assert list(zip(starts, names, strict=True)) == plain
    assert names == terms.content_terms(text)
    assert words == terms.all_words(text)


_CREDIT_PIECES = [
    *"Gartner predicts McKinsey's data shows Forrester research the study said numbers".split(),
    *"according to per Per PER via VİA vıa cited by Source: sources: ſource: (IDC) Twilio: TTEC".split(),
    *"40% of projects fail . , Internal and https://www.twilio.com/blog www.cresta.com".split(),
    *"J.D. Power A.B. here's IDC’s 2025 survey: Gartner: \n• McKinsey: ! 2/3".split(" "),
    # names glued to what opens or closes them, other spaces, and the reporting words of several words
    *"(Gartner Gartner, AT&T O’Brien BCG’s predictions found looked at into ran the numbers".split(),
    "\n",
    "\t",
    "  ",
]


@settings(max_examples=1500, derandomize=True)
@given(st.lists(st.sampled_from(_CREDIT_PIECES), max_size=10).map(" ".join))
def test_the_words_looked_for_first_change_no_credit(sentence: str):
    known = attribution.Known.of(frozenset(), frozenset())
    attribution._credited.cache_clear()
    quick = attribution._credited(sentence, known)
    with pytest.MonkeyPatch.context() as patch:  # every pattern runs on every sentence
        patch.setattr(attribution, "_may_report", lambda sentence: True)
        patch.setattr(attribution, "_may_cite", lambda sentence: True)
        patch.setattr(
            attribution,
            "_CREDIT_RES",
            [
                re.compile(_PLAIN_NAME_WORD.join(p.pattern.split(attribution._NAME_WORD)))
                for p in attribution._CREDIT_RES
            ],
        )
        attribution._credited.cache_clear()
        assert attribution._credited(sentence, known) == quick
    attribution._credited.cache_clear()


# the patterns as first written; their fast forms open on one set of characters, which lets the
# regex engine skip to the places they can match
_PLAIN_NAME_WORD = r"(?:(?:[A-Z]\.){2,}|[A-Z][\w&-]*(?:['’](?!s\b)\w+)?)"
_PLAIN_CLAUSE_RE = re.compile(r",(?:(?<!\d,)|(?!\d))|[;:()\[\]—–]|\s(?:-|and|but|while|whereas|because)\s|\.\s")
_PLAIN_BREAK_RE = re.compile(r"[.,](?:(?<!\d[.,])|(?!\d))|[;:!?]|\s(?:but|while|whereas)\s")
_PLAIN_LABEL_RE = re.compile(
    rf"(?:^|[.!?]\s+|\n)\s*(?:{THREAD_MARKER}\s+)?(?:[^\w\s\"'“‘(]{{1,3}}\s*)?(?P<name>{attribution._NAME}):\s"
)
_BREAK_PIECES = [
    *"and but while whereas because - 1,500 , . ; : ( ) [ ] — – ! ? J.D. A.B.C. Power: •".split(),
    *(" ", "\n", "2/3"),
]


@settings(max_examples=2000, derandomize=True)
@given(st.lists(st.sampled_from(_BREAK_PIECES) | st.text(alphabet="aA1 ,.:\n", max_size=3), max_size=12).map("".join))
def test_patterns_that_open_on_a_set_find_what_their_plain_forms_find(text: str):
    spans = lambda pattern: [m.span() for m in pattern.finditer(text)]  # noqa: E731
    assert spans(subjects.CLAUSE_RE) == spans(_PLAIN_CLAUSE_RE)
    assert spans(case._BREAK_RE) == spans(_PLAIN_BREAK_RE)
    name_word = re.compile(attribution._NAME_WORD)
    assert spans(name_word) == spans(re.compile(_PLAIN_NAME_WORD))
    first = attribution._LABEL_AT_START_RE.match(text)
    labels = [*([first] if first else []), *attribution._LABEL_RE.finditer(text, first.end() if first else 0)]
    assert [m.span("name") for m in labels] == [m.span("name") for m in _PLAIN_LABEL_RE.finditer(text)]


_WORD_LISTS = st.lists(st.text(alphabet="abc'", min_size=1, max_size=4), min_size=1, max_size=8, unique=True)


@settings(max_examples=1500, derandomize=True)
@given(_WORD_LISTS, st.text(alphabet="abc' ", max_size=12))
def test_a_factored_alternation_matches_where_its_plain_form_matches(words: list[str], text: str):
    factored = re.compile(patterns.alternation(words))
    plain = re.compile("|".join(map(re.escape, words)))
    for at in range(len(text) + 1):
        quick, slow = factored.match(text, at), plain.match(text, at)
        assert (quick is None) == (slow is None)
        if quick and slow:  # where one word begins another, the longer is taken
            assert quick.end() >= slow.end()
            assert text[at : quick.end()] in words


@settings(max_examples=500, derandomize=True)
@given(st.dictionaries(st.text(alphabet="ab", min_size=1, max_size=3), st.sampled_from(["", "-c", "(?:-c)?", r"\d"])))
def test_a_factored_alternation_keeps_each_words_own_ending(tails: dict[str, str]):
    factored = re.compile(rf"(?:{patterns.alternation(tails)})\Z")
    for word, tail in tails.items():
        for ending in ("", "-c", "1"):
            if re.fullmatch(tail, ending):
                assert factored.match(word + ending)


_DATE_MARK_PIECES = [*"1 2 : / - a p m . x".split(), " ", "am", "p.m.", "12"]
_PLAIN_DATE_OR_TIME_MARK_RE = re.compile(r"[-/:]|(?<=[0-9 ])[ap]\.?m\b")


@settings(max_examples=1500, derandomize=True)
@given(st.lists(st.sampled_from(_DATE_MARK_PIECES), max_size=8).map("".join))
def test_the_date_mark_pattern_opening_on_a_set_finds_what_its_plain_form_finds(text: str):
    for start in range(len(text) + 1):
        quick = structure._DATE_OR_TIME_MARK_RE.search(text, start, start + 5)
        slow = _PLAIN_DATE_OR_TIME_MARK_RE.search(text, start, start + 5)
        assert (quick is None) == (slow is None)
