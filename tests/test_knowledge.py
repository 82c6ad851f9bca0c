"""The knowledge parser, through its public API, on the seed brief and on a second folder.

The second folder (tests/fixtures/knowledge-other, grid-scale battery storage) is written
differently from the seed on purpose: `###` sections under a `#` title with no `##` level,
a setext title, plain `Source:`/`Sources:` labels, a numbered source list, a `#### Sources`
heading, a bare URL as a source, a section with no sources and a "Hook:" inside a sourced
section.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from angleforge.errors import KnowledgeError
from angleforge.guardrail import Guardrail
from angleforge.knowledge import Claim, KnowledgeBase, Section, Source, load, parse

TESTS = Path(__file__).parent
SEED = TESTS.parent / "knowledge"
OTHER = TESTS / "fixtures" / "knowledge-other"

SEED_TITLE = "Call Center AI Production Reality - 2026"
GRID_TITLE = "Grid-Scale Battery Storage in 2025"
FIELD_TITLE = "Commissioning Field Notes"


@pytest.fixture(scope="module")
def seed() -> KnowledgeBase:
    return load(SEED)


@pytest.fixture(scope="module")
def other() -> KnowledgeBase:
    return load(OTHER)


def section(kb: KnowledgeBase, *path: str) -> Section:
    matches = [s for s in kb.sections if s.path == path]
    assert len(matches) == 1, f"expected one section {path}, found {len(matches)}"
    return matches[0]


def claims_under(kb: KnowledgeBase, *path: str) -> list[Claim]:
    prefix = " > ".join(path)
    return [c for c in kb.claims if c.section == prefix or c.section.startswith(prefix + " > ")]


def claim_with(kb: KnowledgeBase, fragment: str) -> Claim:
    matches = [c for c in kb.claims if fragment in c.text]
    assert len(matches) == 1, f"expected one claim with {fragment!r}, found {len(matches)}"
    return matches[0]


def statistic(claim: Claim, text: str):  # type: ignore[no-untyped-def]
    matches = [q for q in claim.statistics if q.text == text]
    assert len(matches) == 1, f"{text!r} not among {[q.text for q in claim.statistics]}"
    return matches[0]


def publishers(sources: tuple[Source, ...] | list[Source]) -> list[str]:
    return [s.publisher for s in sources]


def one(markdown: str) -> Section:
    """The only section of a one-section brief that has a heading."""
    headed = [s for s in parse(markdown, "brief.md").sections if s.level > 0]
    assert len(headed) == 1
    return headed[0]


# --- the seed brief --------------------------------------------------------------------------

SEED_SOURCED = [
    "1. The Voice Latency Problem",
    "2. The Hallucination Problem (Enterprise-Grade Accuracy)",
    "3. Legacy System Integration (The Silent Killer)",
    "4. Multimodal AI Complexity",
    "5. ROI Demonstration & KPI Confusion",
    "6. Adoption Maturity Gap",
    "7. Voice vs. Async Channel Gap",
]


def test_seed_has_exactly_the_seven_numbered_sections_sourced(seed: KnowledgeBase) -> None:
    brief = [s for s in seed.sections if s.file == "call-center-ai-production-reality-2026.md"]
    sourced = [s.title for s in brief if s.sources]
    assert sourced == SEED_SOURCED
    for title in SEED_SOURCED:
        s = section(seed, SEED_TITLE, "Production Challenges (2026 Reality)", title)
        assert s.level == 3
        assert all(src.url and src.url.startswith("https://") for src in s.sources)


def test_seed_section_1_sources_and_publishers(seed: KnowledgeBase) -> None:
    s = section(seed, SEED_TITLE, "Production Challenges (2026 Reality)", SEED_SOURCED[0])
    assert publishers(s.sources) == ["Trillet", "Twilio", "AssemblyAI", "Cresta"]
    first = s.sources[0]
    assert first.title == "Voice AI Latency Benchmarks (Trillet)"
    assert first.url == "https://www.trillet.ai/blogs/voice-ai-latency-benchmarks"


def test_seed_section_6_publishers_keep_multiword_names(seed: KnowledgeBase) -> None:
    s = section(seed, SEED_TITLE, "Production Challenges (2026 Reality)", SEED_SOURCED[5])
    assert publishers(s.sources) == ["TTEC Digital", "Cresta"]
    assert s.sources[0].title == "Is Agentic AI Ready? (TTEC Digital)"


def test_seed_claims_in_numbered_sections_carry_their_sections_sources(seed: KnowledgeBase) -> None:
    claim = claim_with(seed, "Only 14% have deployment-ready agentic solutions")
    assert claim.sourced
    assert publishers(claim.sources) == ["TTEC Digital", "Cresta"]
    assert statistic(claim, "14%").kind == "percent"
    latency = claim_with(seed, "Speech-to-Text: 100-300ms")
    q = statistic(latency, "100-300ms")
    assert (q.kind, q.unit, q.low, q.high) == (
        "duration",
        "s",
        pytest.approx(0.1),
        pytest.approx(0.3),
    )
    assert publishers(latency.sources)[0] == "Trillet"


@pytest.mark.parametrize(
    "path",
    [("Executive Summary",), ("Synthesis: What 7 Years Taught Me",)],
    ids=["executive-summary", "synthesis"],
)
def test_seed_summary_statistics_are_unsourced_unless_they_name_gartner(
    seed: KnowledgeBase, path: tuple[str, ...]
) -> None:
    claims = [c for c in claims_under(seed, SEED_TITLE, *path) if c.statistics]
    assert len(claims) >= 3
    for claim in claims:
        assert claim.sources == (), claim.text
        if "Gartner" in claim.text:
            assert claim.sourced and claim.organisations == ("gartner",), claim.text
        else:
            assert not claim.sourced, claim.text


def test_seed_gartner_claims_are_the_only_sourced_ones_in_the_summaries(
    seed: KnowledgeBase,
) -> None:
    sourced = [
        c.text
        for path in ("Executive Summary", "Synthesis: What 7 Years Taught Me")
        for c in claims_under(seed, SEED_TITLE, path)
        if c.sourced
    ]
    assert sourced == [
        "Gartner predicts 40%+ of agentic AI projects will fail by 2027 due to infrastructure, "
        "integration, and workflow design challenges.",
        "40% of projects will fail (Gartner)",
    ]


def test_seed_unsourced_market_figures(seed: KnowledgeBase) -> None:
    market = claim_with(seed, "projected to reach $10.07B by 2032")
    assert not market.sourced
    money = statistic(market, "$10.07B")
    assert (money.kind, money.unit, money.low) == ("money", "USD", pytest.approx(1.007e10))
    assert statistic(market, "22.7%").low == pytest.approx(22.7)
    assert statistic(market, "2032").kind == "year"


def test_seed_40_percent_plus_claims_name_gartner(seed: KnowledgeBase) -> None:
    claims = [c for c in seed.claims if any(q.text == "40%+" for q in c.statistics)]
    assert len(claims) == 2
    for claim in claims:
        assert "gartner" in claim.organisations
        assert claim.sourced
        q = statistic(claim, "40%+")
        assert (q.low, q.comparator) == (40.0, ">")


def test_seed_content_angle_paragraphs_are_voice_samples(seed: KnowledgeBase) -> None:
    angles = [v for v in seed.voice_samples if v.label == "Content angle"]
    assert len(angles) == 7
    assert {v.section.rsplit(" > ", 1)[-1] for v in angles} == set(SEED_SOURCED)
    assert not [c for c in seed.claims if "Content angle" in (c.label or "")]
    # their sentences are nowhere among the claims
    for phrase in [
        "Everyone's excited about voice AI in call centers",
        "After 7 years",
        "Call center AI vendors promise 99% accuracy",
        "AI crushes email support",
    ]:
        assert not [c for c in seed.claims if phrase in c.text], phrase


def test_seed_content_angles_for_x_is_all_voice(seed: KnowledgeBase) -> None:
    root = (SEED_TITLE, "Content Angles for X (Authority Bucket)")
    under = [s for s in seed.sections if s.path[:2] == root]
    assert {s.title for s in under} == {
        root[1],
        "Thread Ideas",
        "Single Tweet Ideas",
        "Question Tweets",
    }
    assert all(s.voice for s in under)
    assert claims_under(seed, *root) == []
    voice = [v for v in seed.voice_samples if v.section.startswith(" > ".join(root))]
    assert {v.section.rsplit(" > ", 1)[-1] for v in voice} == {
        "Thread Ideas",
        "Single Tweet Ideas",
        "Question Tweets",
    }
    hooks = [v for v in voice if v.label == "Hook"]
    assert len(hooks) == 5
    # no voice sample's text was also taken as a claim
    voice_text = "\n".join(v.text for v in seed.voice_samples)
    assert [c.text for c in seed.claims if c.text in voice_text] == []
    assert [c for c in seed.claims if "What's your P95 latency" in c.text] == []


def test_seed_author_seven_years_is_sourced_by_the_author(seed: KnowledgeBase) -> None:
    claim = claim_with(seed, "I have spent 7 years")
    assert claim.file == "author.md"
    assert claim.sourced
    assert claim.sources == (Source(title="author", url=None, publisher="author"),)
    q = statistic(claim, "7 years")
    assert q.kind == "duration"


def test_the_authors_claims_are_those_the_author_sources(seed: KnowledgeBase) -> None:
    # the file's introduction cites no source: it is about the author, not the author's record
    assert list(seed.author_claims) == [c for c in seed.claims if c.file == "author.md" and c.sourced]
    assert [claim.text[:20] for claim in seed.author_claims] == [
        "I have spent 7 years",
        "I built and ran spee",
        "I come from an infra",
    ]


def test_seed_sources_count_line_is_not_a_source_list(seed: KnowledgeBase) -> None:
    positioning = section(seed, SEED_TITLE, "Strategic Positioning")
    assert positioning.sources == ()
    claim = claim_with(seed, "20+ cited")
    assert not claim.sourced


def test_seed_statistic_at_start_of_list_item_keeps_its_text(seed: KnowledgeBase) -> None:
    claim = claim_with(seed, "hallucination rate still fails in regulated industries")
    q = statistic(claim, "<1%")
    assert (q.start, q.low, q.comparator) == (0, 1.0, "<")


# --- the other folder: grid-scale battery storage ------------------------------------------


def test_other_folder_files_and_headings(other: KnowledgeBase) -> None:
    assert other.files == ("field-notes.md", "grid-storage-2025.md")
    grid = [s for s in other.sections if s.file == "grid-storage-2025.md" and s.level > 0]
    # a # title with ### sections and no ## level between them
    assert {s.level for s in grid} == {1, 3, 4}
    title = section(other, GRID_TITLE)
    assert title.level == 1
    prices = section(other, GRID_TITLE, "Pack and system prices")
    assert prices.level == 3
    texas = section(other, GRID_TITLE, "Revenue and financing", "Texas merchant revenue")
    assert texas.level == 4


def test_other_setext_title_heads_its_file(other: KnowledgeBase) -> None:
    title = section(other, FIELD_TITLE)
    assert (title.level, title.file) == (1, "field-notes.md")
    queues = section(other, FIELD_TITLE, "Interconnection queues")
    assert queues.level == 3
    claim = claim_with(other, "3x longer than they did in 2019")
    assert claim.section == f"{FIELD_TITLE} > Interconnection queues"
    # the setext underline is not read as a claim or a rule that swallows the title
    assert not [c for c in other.claims if "=====" in c.text or c.text == FIELD_TITLE]


def test_other_plain_source_with_inline_link(other: KnowledgeBase) -> None:
    s = section(other, GRID_TITLE, "Revenue and financing")
    assert s.sources == (
        Source(
            title="Storage Finance Tracker (Rystad Energy)",
            url="https://www.rystadenergy.com/news/storage-finance-tracker",
            publisher="Rystad Energy",
        ),
    )
    for fragment, text, kind, unit, value in [
        ("raised €300M", "€300M", "money", "EUR", 3e8),
        ("committed $4.2B", "$4.2B", "money", "USD", 4.2e9),
    ]:
        claim = claim_with(other, fragment)
        assert publishers(claim.sources) == ["Rystad Energy"]
        q = statistic(claim, text)
        assert (q.kind, q.unit, q.low, q.high) == (
            kind,
            unit,
            pytest.approx(value),
            pytest.approx(value),
        )


def test_other_subsection_without_sources_inherits_its_parents(other: KnowledgeBase) -> None:
    texas = section(other, GRID_TITLE, "Revenue and financing", "Texas merchant revenue")
    assert texas.sources == ()
    claim = claim_with(other, "Merchant battery revenues in Texas")
    assert claim.sourced
    assert publishers(claim.sources) == ["Rystad Energy"]
    q = statistic(claim, "between 15 and 20%")
    assert (q.kind, q.low, q.high) == ("percent", 15.0, 20.0)


def test_other_sources_heading_with_bullets(other: KnowledgeBase) -> None:
    duration = section(other, GRID_TITLE, "How long grid batteries run")
    assert duration.sources == (
        Source(
            title="Grid-Scale Storage Duration Trends (Wood Mackenzie)",
            url="https://www.woodmac.com/news/opinion/grid-storage-duration",
            publisher="Wood Mackenzie",
        ),
        Source(
            title="Energy Storage Market Outlook",
            url="https://www.lazard.com/research-insights/levelized-cost-of-storage/",
            publisher="Lazard",  # no name in parentheses: the domain, title-cased
        ),
    )
    heading = section(other, GRID_TITLE, "How long grid batteries run", "Sources")
    assert heading.level == 4
    assert heading.sources == ()
    # the link titles are sources, not claims
    assert not [c for c in other.claims if "Duration Trends" in c.text]

    ranged = claim_with(other, "2-4 hours of discharge")
    assert publishers(ranged.sources) == ["Wood Mackenzie", "Lazard"]
    q = statistic(ranged, "2-4 hours")
    assert (q.kind, q.unit, q.low, q.high) == ("duration", "s", 7200.0, 14400.0)
    short = claim_with(other, "full output for 90 minutes or less")
    assert short.sourced
    q = statistic(short, "90 minutes or less")
    assert (q.kind, q.low, q.comparator) == ("duration", 5400.0, "<=")


def test_other_bare_url_source(other: KnowledgeBase) -> None:
    queues = section(other, FIELD_TITLE, "Interconnection queues")
    url = "https://www.lazard.com/research-insights/interconnection-queues/"
    assert queues.sources == (Source(title=url, url=url, publisher="Lazard"),)
    ratio = claim_with(other, "Only one in five storage projects")
    assert publishers(ratio.sources) == ["Lazard"]
    q = statistic(ratio, "one in five")
    assert (q.kind, q.unit, q.low) == ("ratio", "%", 20.0)
    times = claim_with(other, "3x longer")
    q = statistic(times, "3x")
    assert (q.kind, q.low) == ("multiplier", 3.0)


def test_other_plain_sources_label_with_several_inline_links(other: KnowledgeBase) -> None:
    testing = section(other, FIELD_TITLE, "Site acceptance testing")
    assert testing.sources == (
        Source(
            title="Commissioning Checklist (DNV)",
            url="https://www.dnv.com/energy/battery-commissioning-checklist",
            publisher="DNV",
        ),
        Source(
            title="Acceptance Testing Guide",
            url="https://www.epri.com/research/acceptance-testing-guide",
            publisher="Epri",
        ),
    )
    claim = claim_with(other, "about 36 hours")
    q = statistic(claim, "about 36 hours")
    assert (q.kind, q.low, q.comparator) == ("duration", 36 * 3600.0, "~")


def test_other_plain_sources_label_with_numbered_list(other: KnowledgeBase) -> None:
    prices = section(other, GRID_TITLE, "Pack and system prices")
    assert prices.sources == (
        Source(
            title="Lithium-Ion Battery Pack Prices Fall Again (BloombergNEF)",
            url="https://about.bnef.com/blog/lithium-ion-battery-pack-prices-fall",
            publisher="BloombergNEF",
        ),
        Source(
            title="Utility-Scale Battery Storage Cost Projections",
            url="https://www.nrel.gov/docs/fy25osti/battery-cost-projections.pdf",
            publisher="Nrel",
        ),
    )
    claim = claim_with(other, "pack prices fell 20% in 2024")
    assert publishers(claim.sources) == ["BloombergNEF", "Nrel"]


def test_other_numbered_source_list_is_not_claims(other: KnowledgeBase) -> None:
    texts = [c.text for c in claims_under(other, GRID_TITLE, "Pack and system prices")]
    assert "Sources:" not in texts
    assert not [t for t in texts if "Battery Pack Prices Fall Again" in t]


def test_other_section_without_sources_is_unsourced(other: KnowledgeBase) -> None:
    outlook = section(other, GRID_TITLE, "Outlook")
    assert outlook.sources == ()
    claims = claims_under(other, GRID_TITLE, "Outlook")
    stated = [c for c in claims if c.statistics]
    assert len(stated) == 3
    for claim in stated:
        assert claim.sources == ()
        if claim.text.startswith("Gartner says"):
            continue
        assert not claim.sourced, claim.text
    growth = claim_with(other, "could grow 6x")
    q = statistic(growth, "6x")
    assert (q.kind, q.low) == ("multiplier", 6.0)
    assert not growth.sourced


def test_other_gartner_says_in_unsourced_section_is_sourced_by_the_name(
    other: KnowledgeBase,
) -> None:
    claim = claim_with(other, "Gartner says one in five utilities")
    assert claim.sources == ()
    assert claim.organisations == ("gartner",)
    assert claim.sourced
    assert statistic(claim, "one in five").low == 20.0
    assert statistic(claim, "2030").kind == "year"
    assert claim.years == (2030,)


def test_other_hook_in_sourced_section_is_a_voice_sample(other: KnowledgeBase) -> None:
    duration = section(other, GRID_TITLE, "How long grid batteries run")
    assert duration.sources and not duration.voice
    hooks = [v for v in other.voice_samples if v.label == "Hook"]
    assert len(hooks) == 1
    assert hooks[0].section == f"{GRID_TITLE} > How long grid batteries run"
    assert "The grid of 2035 will need 8 hours" in hooks[0].text
    assert not [c for c in other.claims if "Everyone is building" in c.text or "8 hours" in c.text]
    # nothing the hook states is evidence
    assert not [q for _, q in other.statistics if q.kind == "duration" and q.low == 8 * 3600.0]
    assert not [c for c in other.claims if 2035 in c.years and "Hook" in (c.label or "")]


def test_other_post_ideas_are_voice_samples(other: KnowledgeBase) -> None:
    for title, file in [(GRID_TITLE, "grid-storage-2025.md"), (FIELD_TITLE, "field-notes.md")]:
        ideas = section(other, title, "Post ideas")
        assert ideas.voice and ideas.file == file
        assert claims_under(other, title, "Post ideas") == []
        samples = [v for v in other.voice_samples if v.section == f"{title} > Post ideas"]
        assert len(samples) == 2
    assert not [c for c in other.claims if "Ask what happens in hour 5" in c.text]
    assert not [c for c in other.claims if "Plan for the four that don't" in c.text]


def test_other_statistic_kinds(other: KnowledgeBase) -> None:
    kinds = {q.kind for _, q in other.statistics}
    assert {"percent", "money", "duration", "multiplier", "year", "ratio"} <= kinds
    units = {q.unit for _, q in other.statistics if q.kind == "money"}
    assert units == {"USD", "EUR"}


def test_other_sources_are_listed_once(other: KnowledgeBase) -> None:
    urls = [s.url for s in other.sources]
    assert len(urls) == len(set(urls))
    assert {"Rystad Energy", "Wood Mackenzie", "Lazard", "DNV", "Epri"} <= set(publishers(other.sources))


@pytest.mark.parametrize(
    "sentence",
    [
        "Working notes for posts on utility-scale batteries.",
        "Internal data shows 40% of projects fail.",
        "Interconnection studies now take 3x longer.",
    ],
)
def test_a_common_noun_before_a_reporting_word_names_no_organisation(sentence: str) -> None:
    claim = parse(f"# Notes\n\n{sentence}\n", "notes.md").claims[0]
    assert claim.text == sentence
    assert claim.organisations == ()
    assert not claim.sourced


# --- parsing strings --------------------------------------------------------------------------

LINK_A = "[Pack Prices (BloombergNEF)](https://about.bnef.com/blog/pack-prices)"
LINK_B = "[Storage Costs](https://www.nrel.gov/docs/storage-costs.pdf)"
EXPECTED_AB = (
    Source(
        title="Pack Prices (BloombergNEF)",
        url="https://about.bnef.com/blog/pack-prices",
        publisher="BloombergNEF",
    ),
    Source(title="Storage Costs", url="https://www.nrel.gov/docs/storage-costs.pdf", publisher="Nrel"),
)


@pytest.mark.parametrize(
    "sources",
    [
        f"**Sources**:\n- {LINK_A}\n- {LINK_B}",
        f"**Sources**:\n* {LINK_A}\n* {LINK_B}",
        f"**Sources**:\n1. {LINK_A}\n2. {LINK_B}",
        f"**Sources**:\n1) {LINK_A}\n2) {LINK_B}",
        f"**Sources**: {LINK_A}, {LINK_B}",
        f"Sources: {LINK_A}; {LINK_B}",
        f"**Source**: {LINK_A}\n\n**Source**: {LINK_B}",
        f"#### Sources\n\n- {LINK_A}\n- {LINK_B}",
        f"#### Sources\n\n1. {LINK_A}\n2. {LINK_B}",
    ],
    ids=[
        "bold-bullets",
        "bold-stars",
        "bold-numbered",
        "bold-numbered-paren",
        "bold-inline",
        "plain-inline",
        "two-single-sources",
        "heading-bullets",
        "heading-numbered",
    ],
)
def test_parse_source_lists(sources: str) -> None:
    brief = f"### Prices\n\nPack prices fell 20% in 2024.\n\n{sources}\n"
    parsed = parse(brief, "brief.md")
    prices = next(s for s in parsed.sections if s.title == "Prices")
    assert prices.sources == EXPECTED_AB
    claim = parsed.claims[0]
    assert claim.text == "Pack prices fell 20% in 2024."
    assert claim.sources == EXPECTED_AB
    assert [c.text for c in parsed.claims] == ["Pack prices fell 20% in 2024."]


@pytest.mark.parametrize(
    "sources",
    [
        f"Sources:\n1. {LINK_A}\n2. {LINK_B}",
        f"Sources:\n- {LINK_A}\n- {LINK_B}",
        f"Source:\n- {LINK_A}\n- {LINK_B}",
    ],
    ids=["plain-numbered", "plain-bullets", "plain-singular-bullets"],
)
def test_parse_plain_label_alone_then_list(sources: str) -> None:
    brief = f"### Prices\n\nPack prices fell 20% in 2024.\n\n{sources}\n"
    parsed = parse(brief, "brief.md")
    prices = next(s for s in parsed.sections if s.title == "Prices")
    assert prices.sources == EXPECTED_AB
    assert [c.text for c in parsed.claims] == ["Pack prices fell 20% in 2024."]


def test_parse_plain_source_with_bare_url() -> None:
    url = "https://www.lazard.com/research-insights/levelized-cost-of-storage/"
    s = one(f"### Costs\n\nStorage costs fell 9% in 2024.\n\nSource: {url}\n")
    assert s.sources == (Source(title=url, url=url, publisher="Lazard"),)


def test_parse_bold_source_right_under_a_paragraph() -> None:
    parsed = parse(f"### Prices\n\nPack prices fell 20% in 2024.\n**Sources**: {LINK_A}\n", "b.md")
    assert parsed.claims[0].sources == EXPECTED_AB[:1]


def test_parse_plain_source_right_under_a_paragraph() -> None:
    parsed = parse(f"### Prices\n\nPack prices fell 20% in 2024.\nSource: {LINK_A}\n", "b.md")
    assert [c.text for c in parsed.claims] == ["Pack prices fell 20% in 2024."]
    assert parsed.claims[0].sources == EXPECTED_AB[:1]


@pytest.mark.parametrize(
    "line",
    ["**Sources**: 20+ cited", "Sources: 20+ cited", "**Sources**: 12 reports, 3 surveys"],
)
def test_parse_sources_count_line_is_not_a_source_list(line: str) -> None:
    parsed = parse(f"### Notes\n\nPack prices fell 20% in 2024.\n\n{line}\n", "brief.md")
    notes = next(s for s in parsed.sections if s.title == "Notes")
    assert notes.sources == ()
    assert not any(c.sourced for c in parsed.claims)
    assert next(c.text for c in parsed.claims) == "Pack prices fell 20% in 2024."


def test_parse_named_source_without_link() -> None:
    s = one("### Me\n\nI have run 12 battery commissioning projects.\n\n**Source**: author\n")
    assert s.sources == (Source(title="author", url=None, publisher="author"),)


@pytest.mark.parametrize("fence", ["```", "~~~", "```markdown"])
def test_parse_fenced_code_is_not_claims(fence: str) -> None:
    close = fence[:3]
    brief = (
        "### Example\n\nPack prices fell 20% in 2024.\n\n"
        f"{fence}\nCapacity grew 55% in 2023.\n**Sources**: {LINK_B}\n# Not a heading\n{close}\n\n"
        "Revenue rose 7% after that.\n"
    )
    parsed = parse(brief, "brief.md")
    assert [c.text for c in parsed.claims] == [
        "Pack prices fell 20% in 2024.",
        "Revenue rose 7% after that.",
    ]
    assert not [q for c in parsed.claims for q in c.statistics if q.low == 55.0]
    assert [s.title for s in parsed.sections if s.level > 0] == ["Example"]
    assert all(s.sources == () for s in parsed.sections)


def test_parse_setext_headings_and_nesting() -> None:
    brief = (
        "Storage Notes\n=============\n\nIntro line.\n\n"
        "Prices\n------\n\n### Cells\n\nCells fell 20% in 2024.\n\n"
        "#### China\n\nChina made 3x more cells.\n\n"
        "### Packs\n\nPacks fell 9%.\n"
    )
    parsed = parse(brief, "notes.md")
    paths = [(s.level, s.path) for s in parsed.sections if s.level > 0]
    assert paths == [
        (1, ("Storage Notes",)),
        (2, ("Storage Notes", "Prices")),
        (3, ("Storage Notes", "Prices", "Cells")),
        (4, ("Storage Notes", "Prices", "Cells", "China")),
        (3, ("Storage Notes", "Prices", "Packs")),
    ]
    by_text = {c.text: c.section for c in parsed.claims}
    assert by_text["China made 3x more cells."] == "Storage Notes > Prices > Cells > China"
    assert by_text["Packs fell 9%."] == "Storage Notes > Prices > Packs"


def test_parse_hook_label_and_post_ideas_section_are_voice() -> None:
    brief = (
        "### Prices\n\nPack prices fell 20% in 2024.\n\n"
        "Hook: Batteries got 50% cheaper and nobody noticed.\n\n"
        f"**Sources**: {LINK_A}\n\n"
        "### Post ideas\n\n- Storage beat gas peakers 3x over.\n"
    )
    parsed = parse(brief, "brief.md")
    assert [c.text for c in parsed.claims] == ["Pack prices fell 20% in 2024."]
    assert [(v.label, v.section) for v in parsed.voice_samples] == [
        ("Hook", "Prices"),
        (None, "Post ideas"),
    ]


def test_parse_one_claim_per_sentence() -> None:
    parsed = parse("### Prices\n\nPacks fell 20%. Cells fell 25%! Why? Oversupply.\n", "b.md")
    assert [c.text for c in parsed.claims] == [
        "Packs fell 20%.",
        "Cells fell 25%!",
        "Why?",
        "Oversupply.",
    ]
    assert [[q.text for q in c.statistics] for c in parsed.claims] == [["20%"], ["25%"], [], []]


# --- bad knowledge folders ------------------------------------------------------------------

SOURCED_BRIEF = f"# Storage\n\n### Prices\n\nPack prices fell 20% in 2024.\n\n**Sources**: {LINK_A}\n"


def test_missing_folder(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-knowledge"
    with pytest.raises(KnowledgeError) as error:
        load(missing)
    assert str(missing) in str(error.value)
    assert error.value.path == str(missing)


def test_folder_is_a_file(tmp_path: Path) -> None:
    file = tmp_path / "brief.md"
    file.write_text(SOURCED_BRIEF, encoding="utf-8")
    with pytest.raises(KnowledgeError) as error:
        load(file)
    assert str(file) in str(error.value)


def test_empty_folder(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("Pack prices fell 20%.\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as error:
        load(empty)
    assert str(empty) in str(error.value)
    assert ".md" in str(error.value)


def test_folder_citing_no_source(tmp_path: Path) -> None:
    folder = tmp_path / "uncited"
    folder.mkdir()
    (folder / "brief.md").write_text(
        "# Storage\n\n### Prices\n\nPack prices fell 20% in 2024.\n\n"
        "**Sources**: 20+ cited\n\n### Post ideas\n\n- Gartner says 40% of projects fail.\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeError) as error:
        load(folder)
    assert str(folder) in str(error.value)
    assert "source" in str(error.value)


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("latin1.md", b"# Prices\n\nPack prices fell 20% in 2024 at the caf\xe9.\n", "UTF-8"),
        ("nul.md", b"# Prices\n\nPack prices fell 20%\x00 in 2024.\n", "binary"),
    ],
    ids=["not-utf8", "nul-bytes"],
)
def test_unreadable_file(tmp_path: Path, name: str, data: bytes, problem: str) -> None:
    folder = tmp_path / "knowledge"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.md").write_text(SOURCED_BRIEF, encoding="utf-8")
    bad = folder / "sub" / name
    bad.write_bytes(data)
    with pytest.raises(KnowledgeError) as error:
        load(folder)
    assert str(bad) in str(error.value)
    assert problem in str(error.value)


def test_good_folder_in_subfolders_loads(tmp_path: Path) -> None:
    folder = tmp_path / "knowledge"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "brief.md").write_text(SOURCED_BRIEF, encoding="utf-8")
    kb = load(folder)
    assert kb.files == ("sub/brief.md",)
    assert kb.claims[0].file == "sub/brief.md"
    assert kb.claims[0].sourced


# --- the guardrail with either folder --------------------------------------------------------

GUARDRAIL_CASES = {
    "seed": {
        "folder": SEED,
        "verbatim": "Only 14% have deployment-ready agentic solutions.",
        "publishers": ["TTEC Digital", "Cresta"],
        "perturbed": ("Only 15% have deployment-ready agentic solutions.", "15%"),
        "unsourced": ("The industry talks about $80B in labor cost savings.", "$80B"),
    },
    "other": {
        "folder": OTHER,
        "verbatim": "Most new grid batteries are built for 2-4 hours of discharge at full power.",
        "publishers": ["Wood Mackenzie", "Lazard"],
        "perturbed": (
            "Most new grid batteries are built for 2-5 hours of discharge at full power.",
            "2-5 hours",
        ),
        "unsourced": ("Global installed storage could grow 6x.", "6x"),
    },
}


@pytest.fixture(scope="module")
def guardrails(seed: KnowledgeBase, other: KnowledgeBase) -> dict[str, Guardrail]:
    return {"seed": Guardrail(seed), "other": Guardrail(other)}


@pytest.mark.parametrize("name", sorted(GUARDRAIL_CASES))
def test_guardrail_verbatim_sourced_statistic_passes(guardrails: dict[str, Guardrail], name: str) -> None:
    case = GUARDRAIL_CASES[name]
    result = guardrails[name].check(str(case["verbatim"]))
    assert result.verdict == "pass"
    assert len(result.statistics) == 1
    finding = result.statistics[0]
    assert finding.status == "grounded"
    assert publishers(finding.sources) == case["publishers"]


@pytest.mark.parametrize("name", sorted(GUARDRAIL_CASES))
def test_guardrail_perturbed_digit_is_unsupported(guardrails: dict[str, Guardrail], name: str) -> None:
    draft, text = GUARDRAIL_CASES[name]["perturbed"]  # type: ignore[misc]
    result = guardrails[name].check(draft)
    assert result.verdict == "flagged"
    assert [(f.text, f.status) for f in result.statistics] == [(text, "unsupported")]


@pytest.mark.parametrize("name", sorted(GUARDRAIL_CASES))
def test_guardrail_unsourced_statistic_is_unsourced(guardrails: dict[str, Guardrail], name: str) -> None:
    draft, text = GUARDRAIL_CASES[name]["unsourced"]  # type: ignore[misc]
    result = guardrails[name].check(draft)
    assert result.verdict == "flagged"
    assert [(f.text, f.status) for f in result.statistics] == [(text, "unsourced")]
    assert result.statistics[0].sources == []


def test_guardrail_every_sourced_statistic_of_the_other_folder_passes_verbatim(
    other: KnowledgeBase, guardrails: dict[str, Guardrail]
) -> None:
    quoted = [c for c in other.claims if c.sourced and any(q.kind != "year" for q in c.statistics)]
    assert len(quoted) >= 8
    for claim in quoted:
        result = guardrails["other"].check(claim.text)
        assert result.verdict == "pass", (
            claim.text,
            [(f.text, f.reason) for f in result.statistics],
        )


@pytest.mark.parametrize(
    ("draft", "changed"),
    [
        (
            "European storage developers raised €310M in project debt in the first half of 2025.",
            "€310M",
        ),
        ("US utilities committed $4.3B to battery procurement contracts in 2024.", "$4.3B"),
        (
            "Merchant battery revenues in Texas fell by between 15 and 25% in 2024.",
            "between 15 and 25%",
        ),
        (
            "Interconnection studies for storage projects now take 4x longer than they did in 2019.",
            "4x",
        ),
        (
            "Batteries bought for frequency response typically deliver full output for 80 minutes or less.",
            "80 minutes or less",
        ),
        (
            "A full site acceptance test of a 100 MW battery takes about 37 hours of scheduled runs.",
            "about 37 hours",
        ),
    ],
)
def test_guardrail_other_folder_perturbed_digits(guardrails: dict[str, Guardrail], draft: str, changed: str) -> None:
    result = guardrails["other"].check(draft)
    assert result.verdict == "flagged"
    statuses = {f.text: f.status for f in result.statistics}
    assert statuses[changed] == "unsupported"
    assert [t for t, s in statuses.items() if s != "grounded"] == [changed]


def test_guardrail_credits_pack_prices_to_their_own_sources(
    guardrails: dict[str, Guardrail],
) -> None:
    result = guardrails["other"].check("Stationary storage pack prices fell 20% in 2024.")
    finding = result.statistics[0]
    assert (finding.text, finding.status) == ("20%", "grounded")
    assert publishers(finding.sources) == ["BloombergNEF", "Nrel"]


def test_guardrail_unsourced_claim_is_not_grounded_by_an_unrelated_one(tmp_path: Path) -> None:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    (folder / "brief.md").write_text(
        "# Storage\n\n### Queues\n\n"
        "Interconnection studies for storage projects now take 3x longer than they did in 2019.\n\n"
        "**Sources**: [Queued Up (LBNL)](https://emp.lbl.gov/queued-up)\n\n"
        "### Factories\n\n"
        "Chinese cell makers now run 3x the manufacturing capacity the market absorbed "
        "last year.\n",
        encoding="utf-8",
    )
    result = Guardrail(load(folder)).check(
        "Chinese cell makers now run 3x the manufacturing capacity the market absorbed last year."
    )
    assert result.verdict == "flagged"
    assert result.statistics[0].status == "unsourced"


# --- the source lists and shapes briefs take ------------------------------------------------------

_SOURCE_FORMS = {
    "bold label, bullets": "**Sources**:\n- [Queue Report (Acme)](https://acme.example/q)\n",
    "plain label inline": "Sources: [Queue Report (Acme)](https://acme.example/q), [Other](https://b.example/o)\n",
    "single source label": "Source: [Queue Report (Acme)](https://acme.example/q)\n",
    "bold source label": "**Source:** [Queue Report (Acme)](https://acme.example/q)\n",
    "italic source line": "*Source: Acme, [Queue Report](https://acme.example/q)*\n",
    "bold references, numbered": "**References**\n1. [Queue Report (Acme)](https://acme.example/q)\n",
    "references heading under it": "#### References\n\n- [Queue Report (Acme)](https://acme.example/q)\n",
    "references heading after it": (
        "### References\n\n- [Queue Report (Acme)](https://acme.example/q)\n\n### Next\n\nMore text.\n"
    ),
}


@settings(max_examples=80, deadline=None, derandomize=True)
@given(
    form=st.sampled_from(sorted(_SOURCE_FORMS)),
    blank=st.sampled_from(["\n", "\n\n"]),
    heading=st.sampled_from(["### Queues", "## Queues", "Queues\n------"]),
)
def test_any_source_list_form_makes_its_section_sourced(form: str, blank: str, heading: str) -> None:
    figure = "Interconnection studies now take 3x longer than in 2019."
    brief = f"# Grid Notes\n\n{heading}\n\n{figure}{blank}{_SOURCE_FORMS[form]}"
    claim = next(c for c in parse(brief, "b.md").claims if "3x" in c.text)
    assert claim.sourced and [s.publisher for s in claim.sources][:1] == ["Acme"], (form, claim.sources)


def test_a_footnote_backs_the_claim_that_carries_its_marker() -> None:
    brief = (
        "# Notes\n\n## Grid\n\nPeak demand could rise 14-20 GW by 2035.[^1] Nobody has priced it in.\n\n"
        "Flexibility trials shifted 30-40% of peak load.\n\n"
        "[^1]: [Future Energy Scenarios (National Grid ESO)](https://ngeso.example/fes)\n"
    )
    claims = {c.text: c for c in parse(brief, "b.md").claims}
    footnoted = claims["Peak demand could rise 14-20 GW by 2035."]
    assert [s.publisher for s in footnoted.sources] == ["National Grid ESO"]
    assert not claims["Flexibility trials shifted 30-40% of peak load."].sourced
    assert not any("[^" in text for text in claims)


def test_a_note_naming_its_publisher_before_a_bare_link_backs_the_items_its_line_introduces() -> None:
    brief = (
        "# Notes\n\n## Depots\n\nConnections took a median 18 months in 2024.[^2] A typical depot's stages run:[^2]\n\n"
        "- Network study: 3-6 months\n- Construction: 9-18 months\n\n"
        "Per J.D. Power, 16% of visits failed. Fleets kept buying.\n\n"
        '[^2]: Energy Networks Association, "Connecting Fleet Depots", 2024. https://www.energynetworks.example/depots\n'
    )
    claims = {c.text: c for c in parse(brief, "b.md").claims}
    for text in (
        "Connections took a median 18 months in 2024.",
        "Network study: 3-6 months",
        "Construction: 9-18 months",
    ):
        assert [s.publisher for s in claims[text].sources] == ["Energy Networks Association"], text
    assert "Per J.D. Power, 16% of visits failed." in claims  # an initial's stop ends no sentence


def test_a_footnote_naming_its_publisher_without_a_link_backs_the_sentence_carrying_its_marker(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from angleforge.cli import main

    folder = tmp_path / "knowledge"
    folder.mkdir()
    (folder / "fleet.md").write_text(
        "# Fleet Notes\n\n## Depots\n\n"
        "A depot for 40 electric vans needs a 1.5 MVA connection.[^2] Most sites have far less.\n\n"
        "Agentic pilots stall at 30% of budgets.[^1]\n\n"
        "[^1]: Gartner, 2025\n"
        "[^2]: Energy Networks Association, Connecting Fleet Depots, 2024\n",
        encoding="utf-8",
    )
    claims = {c.text: c for c in load(folder).claims}
    depot = claims["A depot for 40 electric vans needs a 1.5 MVA connection."]
    assert depot.sources == (
        Source(
            title="Energy Networks Association, Connecting Fleet Depots, 2024",
            url=None,
            publisher="Energy Networks Association",
        ),
    )
    assert [(s.title, s.publisher) for s in claims["Agentic pilots stall at 30% of budgets."].sources] == [
        ("Gartner, 2025", "Gartner")
    ]
    assert not claims["Most sites have far less."].sourced

    draft = tmp_path / "d.md"
    draft.write_text(
        "The Energy Networks Association says a depot for 40 electric vans needs a 1.5 MVA connection.\n"
        "Gartner: agentic pilots stall at 30% of budgets.\n",
        encoding="utf-8",
    )
    assert main(["check", str(draft), "--knowledge", str(folder)]) == 0
    assert capsys.readouterr().out.strip() == f"{draft}: pass (3 statistics grounded)"
    draft.write_text("Forrester: agentic pilots stall at 30% of budgets.\n", encoding="utf-8")
    assert main(["check", str(draft), "--knowledge", str(folder)]) == 1
    assert "misattributed: credited to forrester, but the claim is backed by gartner" in capsys.readouterr().out


def test_a_closing_references_list_backs_the_sections_citing_nothing_but_those_disclaiming_sources() -> None:
    brief = (
        "# Report\n\n## Costs\n\nRecovery cost $1.8M in 2023.\n\n*Source: Sophos, [State of Ransomware](https://s.example/r)*\n\n"
        "## Insurance\n\nPremiums fell 6% in 2024.\n\n"
        "## What vendors claim (nobody cites a source)\n\n- 80% of payers get hit again\n\n"
        "## References\n\n1. Marsh, [Insurance Index](https://marsh.example/i)\n"
    )
    parsed = parse(brief, "b.md")
    by_text = {c.text: c for c in parsed.claims}
    assert [s.publisher for s in by_text["Recovery cost $1.8M in 2023."].sources] == ["Sophos"]
    assert [s.publisher for s in by_text["Premiums fell 6% in 2024."].sources] == ["Marsh"]
    assert not by_text["80% of payers get hit again"].sourced
    insurance = next(s for s in parsed.sections if s.title == "Insurance")
    assert insurance.backed_by_references


def test_a_table_is_a_claim_per_row_each_cell_under_its_column() -> None:
    brief = (
        "# Heat\n\n## Sales\n\nUnits sold per year:\n\n| Country | 2023 | 2024 |\n|---|---|---|\n"
        "| France | 558,000 | 451,000 |\n| Italy | 384,000 | 266,000 |\n\nSources: [Report (EHPA)](https://ehpa.example/r)\n"
    )
    rows = [c for c in parse(brief, "b.md").claims if c.label in ("France", "Italy")]
    assert [r.text for r in rows] == ["France: 2023 558,000; 2024 451,000", "Italy: 2023 384,000; 2024 266,000"]
    france = rows[0]
    assert france.context.startswith("Units sold per year") and france.sourced
    figures = [(q.text, date) for q, date in zip(france.statistics, france.dates, strict=True) if q.kind != "year"]
    assert figures == [("558,000", 2023), ("451,000", 2024)]
    assert rows[0].group == rows[1].group


def test_a_nested_item_inherits_its_parents_words_and_year() -> None:
    brief = (
        "# S\n\n## Switchers\n\n- Of homes that switched in 2024:\n  - 57% replaced a gas boiler\n"
        "  - 22% replaced an oil boiler\n\nSource: [Survey (Catapult)](https://c.example/s)\n"
    )
    items = [c for c in parse(brief, "b.md").claims if c.statistics]
    assert [c.text for c in items] == ["57% replaced a gas boiler", "22% replaced an oil boiler"]
    assert all("Of homes that switched in 2024" in c.framing and c.context_years == (2024,) for c in items)


def test_each_figure_has_its_own_clauses_year_and_a_reports_edition_year_dates_nothing() -> None:
    brief = (
        "# Ransomware 2024\n\n## Costs\n\nSophos's State of Ransomware 2024 found that median recovery cost was "
        "$1.8M in 2023, up from $1.4M in 2022.\n\nSource: [The State of Ransomware 2024 (Sophos)](https://s.example/r)\n"
    )
    claim = next(c for c in parse(brief, "b.md").claims if "$1.8M" in c.text)
    assert [(q.text, d) for q, d in zip(claim.statistics, claim.dates, strict=True) if q.kind != "year"] == [
        ("$1.8M", 2023),
        ("$1.4M", 2022),
    ]
    assert claim.years == (2023, 2022) and 2024 in claim.editions
    assert claim.context_years == ()  # the title's year is the brief's, not the claim's
