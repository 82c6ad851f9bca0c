"""The statistic extractor: what counts, how it is normalised, what is left alone."""

from __future__ import annotations

import json
import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from angleforge.quantities import extract, structure, units, words

from .conftest import FIXTURES

MS = 1e-3


def only(text: str):
    found = extract(text)
    assert len(found) == 1, f"{text!r} -> {[q.text for q in found]}"
    return found[0]


@pytest.mark.parametrize(
    ("text", "surface", "kind", "unit", "low", "high", "comparator"),
    [
        ("hit 40% of them", "40%", "percent", "%", 40, 40, None),
        ("40%+ of projects", "40%+", "percent", "%", 40, 40, ">"),
        ("hallucinate <1% of the time", "<1%", "percent", "%", 1, 1, "<"),
        ("under 1% of calls", "under 1%", "percent", "%", 1, 1, "<"),
        ("less than 1% of calls", "less than 1%", "percent", "%", 1, 1, "<"),
        ("over 40% of calls", "over 40%", "percent", "%", 40, 40, ">"),
        ("down from 15-20% back then", "15-20%", "percent", "%", 15, 20, None),
        ("40 percent of calls", "40 percent", "percent", "%", 40, 40, None),
        ("forty percent of calls", "forty percent", "percent", "%", 40, 40, None),
        ("Seventy percent of pilots fail", "Seventy percent", "percent", "%", 70, 70, None),
        ("$10.07B by then", "$10.07B", "money", "USD", 10.07e9, 10.07e9, None),
        ("the $80B in savings", "$80B", "money", "USD", 80e9, 80e9, None),
        ("a $10 billion market", "$10 billion", "money", "USD", 10e9, 10e9, None),
        ("raised €5M last year", "€5M", "money", "EUR", 5e6, 5e6, None),
        ("respond in 300ms", "300ms", "duration", "s", 300 * MS, 300 * MS, None),
        ("above 1,500ms it breaks", "above 1,500ms", "duration", "s", 1.5, 1.5, ">"),
        ("after 1.5 seconds", "1.5 seconds", "duration", "s", 1.5, 1.5, None),
        ("300 milliseconds", "300 milliseconds", "duration", "s", 0.3, 0.3, None),
        ("STT takes 100-300ms", "100-300ms", "duration", "s", 0.1, 0.3, None),
        ("STT takes 100 to 300 ms", "100 to 300 ms", "duration", "s", 0.1, 0.3, None),
        ("between 200 and 800ms", "between 200 and 800ms", "duration", "s", 0.2, 0.8, None),
        ("above 1.5 s it feels broken", "above 1.5 s", "duration", "s", 1.5, 1.5, ">"),
        # a share of a counted group is a percentage, and no rounder than its fraction
        ("A third of organizations have no strategy", "A third", "percent", "%", 100 / 3, 100 / 3, None),
        ("two-thirds of agents use it", "two-thirds", "percent", "%", 200 / 3, 200 / 3, None),
        ("Half of all calls", "Half", "percent", "%", 50, 50, None),
        ("a fifth of projects", "a fifth", "percent", "%", 20, 20, None),
        # the financial press's scale words, for money; "-fold"; a bound written after the number
        ("$4.2 bln in contracts", "$4.2 bln", "money", "USD", 4.2e9, 4.2e9, None),
        ("€300 mn of debt", "€300 mn", "money", "EUR", 3e8, 3e8, None),
        ("a 3-fold rise", "3-fold", "multiplier", "x", 3, 3, None),
        ("queues have quadrupled in length", "quadrupled", "multiplier", "x", 4, 4, None),
        ("90 minutes at most", "90 minutes at most", "duration", "s", 5400, 5400, "<="),
        # each end of a range in its own unit
        ("between 500ms and 1.6s", "between 500ms and 1.6s", "duration", "s", 0.5, 1.6, None),
        ("from 1 GB to 2 TB", "1 GB to 2 TB", "measure", "B", 1e9, 2e12, None),
        ("in 0.1-0.3 seconds", "0.1-0.3 seconds", "duration", "s", 0.1, 0.3, None),
        ("16 different metrics", "16", "count", "", 16, 16, None),
        ("7 years in call centers", "7 years", "duration", "s", 7 * 365.25 * 86400, 7 * 365.25 * 86400, None),
        ("a 3x gain", "3x", "multiplier", "x", 3, 3, None),
        ("a 2x-3x gain", "2x-3x", "multiplier", "x", 2, 3, None),
        ("four in ten projects", "four in ten", "ratio", "%", 40, 40, None),
        ("1 in 3 calls", "1 in 3", "ratio", "%", 100 / 3, 100 / 3, None),
        ("one in nine agents", "one in nine", "ratio", "%", 100 / 9, 100 / 9, None),
        ("80 GB of memory", "80 GB", "measure", "B", 80e9, 80e9, None),
        ("4.8 TB/s of bandwidth", "4.8 TB/s", "measure", "B/s", 4.8e12, 4.8e12, None),
        ("within 24 hours", "within 24 hours", "duration", "s", 86400, 86400, "<="),
        ("will fail by 2027", "2027", "year", "year", 2027, 2027, None),
        ("sub-300ms responses", "sub-300ms", "duration", "s", 0.3, 0.3, "<"),
        ("about 40 percent", "about 40 percent", "percent", "%", 40, 40, "~"),
        ("no more than 5%", "no more than 5%", "percent", "%", 5, 5, "<="),
        ("350+ lines", "350+", "count", "", 350, 350, ">"),
        ("Agents make 5 mistakes per call", "5", "count", "", 5, 5, None),
        ("STT costs 2 cents per call", "2 cents", "money", "USD", 0.02, 0.02, None),
        ("I learned 3 lessons the hard way", "3", "count", "", 3, 3, None),
        # pence per unit, apparent power, a spaced symbol before the figure it leads on to
        ("a UK ultra-rapid kWh averaged 79p/kWh", "79p/kWh", "money", "GBP/Wh", 0.00079, 0.00079, None),
        ("a typical 2 MVA depot", "2 MVA", "measure", "VA", 2e6, 2e6, None),
        ("it turns into 0.8-1 s with real traffic", "0.8-1 s", "duration", "s", 0.8, 1.0, None),
    ],
)
def test_statistics_are_found_and_normalised(text, surface, kind, unit, low, high, comparator):
    quantity = only(text)
    assert quantity.text == surface
    assert text[quantity.start : quantity.end] == surface
    assert (quantity.kind, quantity.unit, quantity.comparator) == (kind, unit, comparator)
    assert math.isclose(quantity.low, low) and math.isclose(quantity.high, high)


@pytest.mark.parametrize(
    "text",
    [
        "1/5 The thread starts here",
        "2/ and the next post",
        "The last post (3/7)",
        "1. First point\n2) Second point",
        "### 1. The Voice Latency Problem",
        "See https://example.com/2026/12/report-41 for more",
        "Thanks @agent42 and #ai2026",
        "What's your P95 latency on GPT-4 with H100 cards?",
        "B2B support runs 24/7",
        "Published 2026-02-10 at 10:30",
        "Two problems nobody talks about. One tool for calls.",
        "We are the 3rd vendor they tried; 5G is irrelevant",
        "Step 1: measure latency at P95. In phase 2, fix it.",
        "Top 3 reasons agentic AI projects fail:",
        "🧵 3 things I'd tell every contact center leader",
        "Here are 5 hard truths about voice AI. Day 2 of the rollout",
        "My 2 cents: latency wins. Just my $0.02.",
        "Half of the problem is latency; half the battle is won.",
        "Ask what happens in hour 5, about a day and a half of scheduled runs later.",
        "So we doubled down on the plumbing.",
        "🧵 1. The rule\n1️⃣ Users first\nThread 🧵 2/7: and then",
        "The one your drivers feel at 6am, or at 9 p.m.",
        "US Class 8 trucks and Level 2 chargers",
        "It came through the 510(k) pathway",
    ],
)
def test_structural_numbers_and_names_are_not_statistics(text):
    assert extract(text) == []


def test_adds_up_to_is_a_total_not_a_bound():
    assert [(q.text, q.comparator) for q in extract("The parts add up to 500-1,600ms.")] == [("500-1,600ms", None)]
    assert [(q.text, q.comparator) for q in extract("It takes up to 800ms.")] == [("up to 800ms", "<=")]


def test_talks_about_is_not_an_estimate():
    assert [(q.text, q.comparator) for q in extract("The industry talks about $80B.")] == [("$80B", None)]
    assert [(q.text, q.comparator) for q in extract("The industry (talks about $80B).")] == [("$80B", None)]


@pytest.mark.parametrize(
    ("text", "surface", "comparator"),
    [
        ("Hallucinations (under 1%) remain.", "under 1%", "<"),
        ('Vendors quote "up to 70%" savings.', "up to 70%", "<="),
        ("Adoption is “nearly 90%” by now.", "nearly 90%", "~"),
        ("Failure rates run **more than 35%** here.", "more than 35%", ">"),
        ("Latency sits [between 200 and 800ms] per hop.", "between 200 and 800ms", None),
        ("The parts (add up to 500-1,600ms) in all.", "500-1,600ms", None),
    ],
)
def test_a_bound_opened_by_a_bracket_a_quote_or_emphasis_keeps_its_comparator(text, surface, comparator):
    (quantity,) = extract(text)
    assert (quantity.text, quantity.comparator) == (surface, comparator)


def test_spelled_and_digit_forms_state_the_same_quantity():
    pairs = [
        ("300ms", "0.3 seconds"),
        ("1,500ms", "1.5 seconds"),
        ("$10 billion", "$10B"),
        ("four in ten", "40%"),
        ("forty percent", "40 percent"),
        ("under 1%", "<1%"),
        ("over 40%", "40%+"),
        ("seven years", "7 years"),
        # a spelled unit with a prefix is its symbol ("100 megawatts" was 100 W)
        ("a 100-megawatt battery", "100 MW"),
        ("2 megawatt-hours", "2 MWh"),
        ("5 kilograms", "5 kg"),
        ("3 kilometres", "3 km"),
        ("7 millimeters", "7 mm"),
        ("250 milliliters", "250 ml"),
        ("2 gallons", "2 gal"),
        ("5 kilojoules", "5 kJ"),
    ]
    for draft, claim in pairs:
        assert only(draft).states_same(only(claim)), (draft, claim)


def test_no_rounding_beyond_normalisation():
    assert not only("one in three").states_same(only("35%"))
    assert not only("one in three").states_same(only("33%"))
    assert not only("250ms").states_same(only("200-800ms"))  # inside a range is not an endpoint
    assert only("300ms").states_same(only("100-300ms"))  # an endpoint is
    assert only("40%").states_same(only("40%+"))  # plain for a lower bound is fine
    assert not only("over 40%").states_same(only("40%"))  # a bound the claim does not give
    assert not only("1%").states_same(only("<1%"))


PEER = json.loads((FIXTURES / "quantulum3" / "quantities.json").read_text(encoding="utf-8"))


def test_every_unit_bearing_quantity_of_the_peer_corpus_is_found_in_place():
    expected = [(case["req"], q["surface"]) for case in PEER for q in case["res"] if q["unit"] != "dimensionless"]
    assert len(expected) == 115
    missing = []
    for sentence, surface in expected:
        start = sentence.index(surface)
        end = start + len(surface)
        if not any(q.start < end and q.end > start for q in extract(sentence)):
            missing.append((surface, sentence))
    assert missing == []


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_gives_statistics_with_true_offsets(text):
    for quantity in extract(text):
        assert text[quantity.start : quantity.end] == quantity.text
        assert quantity.low <= quantity.high


@settings(max_examples=3000, derandomize=True)
@given(st.text(alphabet="0123456789/()x \n\t", max_size=16))
def test_thread_markers_are_looked_for_around_slashes_as_a_full_scan_finds_them(text: str):
    full_scan = [
        m.span()
        for m in structure.MARKER_RE.finditer(text)
        if m.start() == 0 or not (text[m.start() - 1].isalnum() or text[m.start() - 1] == "/")
    ]
    assert structure.markers(text) == full_scan


_NUMBER_WORD_PIECES = [
    *"one two twenty-one forty hundred dozen a an baker's absolute zero gallon half square".split(),
    "often", "tenant", "athens", "zebra",
]  # fmt: skip


@settings(max_examples=3000, derandomize=True)
@given(
    st.lists(st.sampled_from(_NUMBER_WORD_PIECES) | st.text(alphabet="aonet- '\n", max_size=3), max_size=6).map("".join)
)
def test_number_words_are_found_where_a_scan_of_every_position_finds_them(text: str):
    every_position = re.compile(rf"\b(?:{words._WORD_START})")
    assert words.word_starts(text) == [m.start() for m in every_position.finditer(text)]


_DATE_PIECES = ["jan", "sept", "aug", "august", "t", "may", " ", ". ", "5", "12", "3rd", "x"]


@settings(max_examples=3000, derandomize=True)
@given(st.lists(st.sampled_from(_DATE_PIECES), max_size=8).map("".join))
def test_month_days_are_found_as_a_scan_of_the_whole_text_finds_them(text: str):
    whole_scan = [
        m.span(1) for m in structure.MONTH_DAY_RE.finditer(text) if m.start() == 0 or not text[m.start() - 1].isalpha()
    ]
    assert structure.month_days(text) == whole_scan


# the whole unit table as one pattern: what `units.match_unit` must agree with
_ALL_UNITS_RE = re.compile(
    rf"(?P<name>(?i:{'|'.join(name.pattern for name in units._NAMES)}))\b"
    rf"|(?P<symbol>{'|'.join(re.escape(s) for s in sorted(units._SYMBOLS, key=len, reverse=True))})(?![\w%°])"
)
_UNIT_PIECES = [*units._SYMBOLS, "seconds", "Milliseconds", "kilometres", "square miles", "us dollars", "ſecs", "KB"]


def test_every_spelled_unit_form_opens_with_the_lower_case_letter_it_is_filed_under():
    assert all("a" <= form[0] <= "z" for form in units._NAME_FORMS)


@settings(max_examples=3000, derandomize=True)
@given(
    st.lists(st.sampled_from(_UNIT_PIECES) | st.text(alphabet="msSkKgh°µſ %-^23.wWx", max_size=3), max_size=3).map(
        "".join
    )
)
def test_units_looked_up_by_first_character_match_as_the_whole_table_does(text: str):
    expected = _ALL_UNITS_RE.match(text)
    found = units.match_unit(text, 0)
    assert (found and (found.span(), found.lastgroup)) == (expected and (expected.span(), expected.lastgroup))


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # a year and an amount are no range; a falling pair is a change; so is a pair after a rise
        ("the UK went from 60,000 in 2023 to 98,000 in 2024", ["60,000", "2023", "98,000", "2024"]),
        ("Unit tests: 95 min to 41 min", ["95 min", "41 min"]),
        ("BUS raised from £5,000 to £7,500", ["£5,000", "£7,500"]),
        ("down from 15 to 20 percent two years ago", ["15 to 20 percent", "two years"]),
        ("the range is from 200 to 800ms", ["200 to 800ms"]),
        # a bare number after "to" or an arrow goes on in the figure's unit
        ("dropped from 70 minutes to 33", ["70 minutes", "33"]),
        ("OWASP Top 10 flaws", []),
    ],
)
def test_what_is_a_range_and_what_is_two_figures(text: str, found: list[str]) -> None:
    assert [q.text for q in extract(text)] == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Normal chest X-ray: 96 s → 61 s", [("96 s", 96.0), ("61 s", 61.0)]),
        ("Head CT: 7.4 → 6.1 min", [("7.4", 444.0), ("6.1 min", 366.0)]),
        ("Time per note drops from 6.2 to 4.1 minutes", [("6.2", 372.0), ("4.1 minutes", 246.0)]),
        ("Time per note: 6.2 minutes down to 4.1.", [("6.2 minutes", 372.0), ("4.1", 246.0)]),
        ("It takes 52 s to read, down from 96 s.", [("52 s", 52.0), ("96 s", 96.0)]),
    ],
)
def test_a_bare_number_beside_a_figure_it_leads_on_to_or_from_is_in_its_unit(
    text: str, found: list[tuple[str, float]]
) -> None:
    assert [(q.text, round(q.low, 6)) for q in extract(text)] == found
    assert {q.unit for q in extract(text)} == {"s"}


def test_a_number_going_on_in_the_figures_unit_takes_it() -> None:
    _, second = extract("dropped from 70 minutes to 33")
    assert (second.kind, second.unit, second.low) == ("duration", "s", 33 * 60)


@pytest.mark.parametrize(
    ("text", "comparator"),
    [
        ("up to 70%", "<="),
        ("no more than €21,000", "<="),
        ("never more than $2,000", "<="),
        ("within 300ms", "<="),
        ("capped at $2,000", "<="),
        ("as much as 70%", "<="),
        ("at least 1.75", ">="),
        ("40% or more", ">="),
        ("40%+", ">"),
        ("more than 35%", ">"),
        ("short of 100%", "<"),
        ("under 1%", "<"),
        ("north of 40%", ">"),
    ],
)
def test_bounds_that_include_their_figure_and_those_that_leave_it_out(text: str, comparator: str) -> None:
    assert extract(text)[0].comparator == comparator


@pytest.mark.parametrize(
    ("draft", "claim", "quotes"),
    [
        ("300ms", "within 300ms", True),  # a plain figure for an inclusive bound
        ("under 300ms", "within 300ms", True),
        ("up to 70%", "70%", True),  # an inclusive bound at a plain figure
        ("more than 35%", "35%", False),  # an exclusive one claims more
        ("1%", "<1%", False),
        ("40%", "40%+", True),
        ("at least 40%", "40%+", True),
        ("up to 40%", "40%+", False),
    ],
)
def test_which_comparator_quotes_which(draft: str, claim: str, quotes: bool) -> None:
    assert extract(draft)[0].states_same(extract(claim)[0]) is quotes
