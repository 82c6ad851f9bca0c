"""A claim's year is the year bound to its figure: its clause's, its table column's, its list's
or heading's nearest, not any year of its sentence, its brief's title or its report's edition;
a year naming a report is checked against the editions of the sources backing the figure."""

from __future__ import annotations

from pathlib import Path

import pytest

from angleforge.guardrail import Guardrail
from angleforge.knowledge import load, parse

from .conftest import guardrail_of, verdicts


def guardrail_over(tmp_path: Path, markdown: str) -> Guardrail:
    (tmp_path / "brief.md").write_text(markdown, encoding="utf-8")
    return Guardrail(load(tmp_path))


# --- a range of years is checked by both its ends ------------------------------------------------


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        (
            "Day rates for qualified heat pump engineers rose 18% between 2022 and 2030.",
            {"18%": "unsupported", "between 2022 and 2030": "unsupported"},
        ),
        (
            "Day rates for qualified heat pump engineers rose 18% between 2020 and 2024.",
            {"18%": "unsupported", "between 2020 and 2024": "unsupported"},
        ),
        (
            "Day rates for qualified heat pump engineers rose 18% between 2022 and 2024.",
            {"18%": "grounded", "between 2022 and 2024": "grounded"},
        ),
        # figures of one year each are the range's ends
        (
            "Between 2022 and 2024, European heat pump sales fell from 3.02 million to 2.31 million units.",
            {"Between 2022 and 2024": "grounded", "3.02 million": "grounded", "2.31 million": "grounded"},
        ),
        (
            "Between 2022 and 2026, European heat pump sales fell from 3.02 million to 2.31 million units.",
            {"Between 2022 and 2026": "unsupported", "3.02 million": "grounded", "2.31 million": "grounded"},
        ),
    ],
)
def test_a_range_of_years_is_checked_by_both_its_ends(draft: str, expected: dict[str, str]):
    assert verdicts("heat-pumps", draft) == expected


@pytest.mark.parametrize(
    ("draft", "flagged"),
    [
        ("Company-wide assistant licences went 18% → 35% → 53% from 2023 to 2025.", set()),
        ("Company-wide assistant licences went 18% → 35% → 53% from 2023 to 2026.", {"2023 to 2026"}),
        ("Company-wide assistant licences went 18% → 35% → 53% from 2022 to 2025.", {"2022 to 2025"}),
    ],
)
def test_a_range_dating_a_series_spans_its_figures_years(draft: str, flagged: set[str]):
    found = verdicts("dev-productivity", draft)
    assert {text for text, status in found.items() if status != "grounded"} == flagged, found


def test_a_claim_states_both_ends_of_a_range_and_its_figure_is_of_the_range() -> None:
    brief = (
        "# Heat\n\n## Labour\n\nDay rates rose 18% between 2022 and 2024.\n\n"
        "Source: [Labour Survey (HPA)](https://hpa.example/l)\n"
    )
    claim = next(c for c in parse(brief, "b.md").claims if c.statistics)
    assert claim.years == (2022, 2024)
    assert [p for q, p in zip(claim.statistics, claim.periods, strict=True) if q.kind != "year"] == [(2022, 2024)]


# --- a year with no figure beside it is one a claim about its subject states -----------------------


@pytest.mark.parametrize(
    ("brief", "draft", "expected"),
    [
        ("seed", "Agentic AI projects will fail by 2026.", "unsupported"),  # 2027; the heading's "2026 Reality"
        ("seed", "Agentic AI projects will fail by 2027.", "grounded"),
        ("heat-pumps", "Europe's heat pump boom peaked in 2024.", "unsupported"),  # 2022; heading "(2022-2024)"
        ("heat-pumps", "Europe's heat pump boom peaked in 2022.", "grounded"),
        ("seed", "In 2026, customers send voice notes and images in the same chat.", "grounded"),
    ],
)
def test_a_year_that_is_its_sentences_statistic_is_the_one_a_claim_about_it_states(
    brief: str, draft: str, expected: str
):
    (finding,) = guardrail_of(brief).findings(draft)
    assert finding.status == expected, finding.reason


def test_a_heading_year_alone_does_not_back_a_year_said_of_it(tmp_path: Path):
    guardrail = guardrail_over(
        tmp_path,
        "# Depots\n\n## The Numbers (2025 Reality)\n\nDepot chargers sit idle most nights.\n\n"
        "Fleet depots wait 18 months for a grid connection.\n\n"
        "Source: [Depot Report (ENA)](https://ena.example/d)\n",
    )
    (finding,) = guardrail.findings("Depot chargers finally stopped sitting idle in 2025.")
    assert finding.status == "unsupported" and "only headings" in finding.reason


# --- a wrong year is flagged with the figure it dates ------------------------------------------------


@pytest.mark.parametrize(
    ("brief", "draft", "expected"),
    [
        (
            "heat-pumps",
            "Of homes that switched in 2023, 57% replaced a gas boiler.",
            {"2023": "unsupported", "57%": "unsupported"},
        ),
        (
            "heat-pumps",
            "Of homes that switched in 2024, 57% replaced a gas boiler.",
            {"2024": "grounded", "57%": "grounded"},
        ),
        # the table's caption dates its rows, not the section heading's "(2025 Reality)"
        (
            "ev-charging",
            "GB rapid chargers averaged just 11% time utilisation in 2025 (Cornwall Insight).",
            {"11%": "unsupported", "2025": "unsupported"},
        ),
        (
            "ev-charging",
            "GB rapid chargers averaged just 11% time utilisation in 2024 (Cornwall Insight).",
            {"11%": "grounded", "2024": "grounded"},
        ),
    ],
)
def test_a_wrong_year_is_flagged_with_the_figure_it_dates(brief: str, draft: str, expected: dict[str, str]):
    assert verdicts(brief, draft) == expected


def test_the_nearest_label_caption_or_heading_with_a_year_dates_a_claim() -> None:
    brief = (
        "# Charging - 2025\n\n## The Numbers (2025 Reality)\n\n### Utilisation\n\n"
        "| Metric (GB rapid network, 2024) | Value |\n|---|---|\n| Average time utilisation | 11% |\n\n"
        "Chargers are busiest at lunchtime, at 30% of their hours.\n\n"
        "Sources: [Rapid Charging Economics 2025 (Cornwall Insight)](https://ci.example/r)\n"
    )
    by_text = {c.text: c for c in parse(brief, "b.md").claims}
    assert by_text["Average time utilisation: Value 11%"].context_years == (2024,)
    assert by_text["Chargers are busiest at lunchtime, at 30% of their hours."].context_years == (2025,)


def test_a_year_a_change_is_measured_against_is_a_year_its_claim_states():
    """ "grew in 2024: up 63% on 2023" gives the 63% 2024, and "up 63% on 2023" says so too."""
    assert verdicts("heat-pumps", "Germany's sales were down 46% on 2023.") == {"46%": "grounded", "2023": "grounded"}
    assert verdicts("heat-pumps", "Germany's sales were down 46% on 2022.") == {
        "46%": "unsupported",
        "2022": "unsupported",
    }
    brief = parse(
        "# Heat\n\n## Sales\n\nThe UK grew in 2024: up 63% on 2023.\n\nSource: [Report (EHPA)](https://ehpa.example/r)\n",
        "b.md",
    )
    claim = next(c for c in brief.claims if c.statistics)
    assert [d for q, d in zip(claim.statistics, claim.dates, strict=True) if q.kind != "year"] == [2024]


# --- a year naming a report is its edition, the backing source's ---------------------------------


@pytest.mark.parametrize(
    ("brief", "draft", "expected"),
    [
        # the brief's sources are The State of Ransomware 2024, describing 2023
        ("ransomware", "Sophos's 2024 survey: 61% of mid-sized organisations were hit in 2023.", "grounded"),
        ("ransomware", "Sophos's 2023 survey: 61% of mid-sized organisations were hit in 2023.", "unsupported"),
        (
            "ransomware",
            "Sophos's 2024 survey: 61% of mid-sized organisations were hit by ransomware in 2023.",
            "grounded",
        ),
        (
            "ransomware",
            "Sophos's 2023 survey: 61% of mid-sized organisations were hit by ransomware in 2023.",
            "unsupported",
        ),
        # Deloitte's source is its 2026 Tech Trends; another source of the claim has 2025 in its link
        ("seed", "Deloitte's 2025 Tech Trends: 40%+ of agentic AI projects will fail by 2027.", "unsupported"),
        ("seed", "Deloitte's 2026 Tech Trends: 40%+ of agentic AI projects will fail by 2027.", "grounded"),
        ("seed", "Deloitte's Tech Trends 2025: 40%+ of agentic AI projects will fail by 2027.", "unsupported"),
        (
            "ransomware",
            "IBM's Cost of a Data Breach Report 2023 says downtime costs mid-sized firms dearly.",
            "unsupported",
        ),
        (
            "ransomware",
            "IBM's Cost of a Data Breach Report 2024 says downtime costs mid-sized firms dearly.",
            "grounded",
        ),
        (
            "ev-charging",
            "Cornwall Insight's 2025 Rapid Charging Economics: 60% of GB rapid sites sit below break-even.",
            "grounded",
        ),
        (
            "ev-charging",
            "Cornwall Insight's 2024 Rapid Charging Economics: 60% of GB rapid sites sit below break-even.",
            "unsupported",
        ),
    ],
)
def test_a_year_naming_a_report_is_checked_against_the_edition_backing_the_figure(
    brief: str, draft: str, expected: str
):
    finding = guardrail_of(brief).findings(draft)[0]
    assert finding.status == expected, finding.reason
    assert all(f.status == "grounded" for f in guardrail_of(brief).findings(draft)[1:])


@pytest.mark.parametrize(("year", "expected"), [("2025", "grounded"), ("2024", "unsupported")])
def test_a_sentence_naming_a_report_without_a_figure_names_the_report_of_the_one_before(year: str, expected: str):
    draft = (
        "I've had US utilities quote 2-4 years for depot service upgrades above 5 MW. "
        f"CALSTART's {year} survey says that's not bad luck, it's normal."
    )
    found = verdicts("ev-charging", draft)
    assert found == {"2-4 years": "grounded", "above 5 MW": "grounded", year: expected}


def test_a_claim_that_names_who_says_it_relies_on_that_publishers_editions() -> None:
    brief = (
        "# Ransomware\n\n## Costs\n\nRecovery cost $1.8M in 2023.\n\n"
        "*Source: Sophos, [The State of Ransomware 2024](https://s.example/r)*\n\n"
        "## Synthesis\n\n- 61% of mid-sized firms were hit in 2023 (Sophos)\n\n"
        "## References\n\n1. Sophos, [The State of Ransomware 2024](https://s.example/r)\n"
    )
    claim = next(c for c in parse(brief, "b.md").claims if c.text.startswith("61%"))
    assert claim.organisations == ("sophos",) and not claim.sources
    assert claim.editions == (2024,) and claim.years == (2023,)


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        ("40%+ of agentic AI projects will fail by 2027 (Gartner, 2025).", "grounded"),
        ("Gartner (2025): 40%+ of agentic AI projects will fail by 2027.", "grounded"),
        # a credit whose source the claim cites, of another edition
        ("40%+ of agentic AI projects will fail by 2027 (Deloitte, 2025).", "unsupported"),
        ("40%+ of agentic AI projects will fail by 2027 (Deloitte, 2026).", "grounded"),
    ],
)
def test_a_year_closing_a_credit_is_its_date_wrong_only_against_a_stated_edition(draft: str, expected: str):
    found = verdicts("seed", draft)
    credit_year = next(year for year in ("2025", "2026") if year in found)
    assert found == {"40%+": "grounded", "2027": "grounded", credit_year: expected}


def test_a_year_closing_a_credit_in_a_brief_is_an_edition_not_a_date() -> None:
    brief = (
        "# AI\n\n## Failure\n\n40% of agentic AI projects will fail by 2027 (Gartner, 2025).\n\n"
        "Source: [Agentic AI (Gartner)](https://gartner.example/a)\n"
    )
    claim = next(c for c in parse(brief, "b.md").claims if c.statistics)
    assert claim.years == (2027,) and 2025 in claim.editions


# --- years as labels of a list or a table's cells ------------------------------------------------


@pytest.mark.parametrize(
    ("draft", "flagged"),
    [
        ("UK public charge points installed per year:\n\n2022 → 8,500\n2023 → 12,800\n2024 → 15,900\n", set()),
        (
            "UK public charge points installed per year:\n\n2022 → 8,500\n2023 → 15,900\n2024 → 12,800\n",
            {"15,900", "2023", "12,800", "2024"},
        ),
        ("UK public installs:\n• 2022: 8,500\n• 2023: 12,800\n• 2024: 15,900", set()),
        (
            "Installs by year in the UK: 8,500 (2022), 12,800 (2024), 15,900 (2023).",
            {"12,800", "2024", "15,900", "2023"},
        ),
    ],
)
def test_a_year_labelling_a_line_dates_that_lines_figure(draft: str, flagged: set[str]):
    found = verdicts("ev-charging", draft)
    assert {text for text, status in found.items() if status != "grounded"} == flagged, found


def test_a_country_before_a_year_labels_a_figure_where_a_publisher_before_one_names_its_report():
    assert verdicts("heat-pumps", "Germany 2023: 356,000 heat pumps. Germany 2024: 193,000.") == {
        "2023": "grounded",
        "356,000": "grounded",
        "2024": "grounded",
        "193,000": "grounded",
    }
    assert verdicts("heat-pumps", "Germany 2022: 356,000 heat pumps.") == {
        "2022": "unsupported",
        "356,000": "unsupported",
    }
