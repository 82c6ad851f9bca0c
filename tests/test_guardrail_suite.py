"""The labelled guardrail set in evals/guardrail/: the guardrail's own accuracy gate."""

from __future__ import annotations

from pathlib import Path

import pytest

from angleforge.errors import InputError
from angleforge.evaluation.guardrail_suite import load_suite, score_suite
from angleforge.guardrail import Guardrail

from .conftest import ROOT

SUITE = ROOT / "evals" / "guardrail"
MUST_CATCH = ("fabricated", "perturbed_digits", "misattribution", "unsourced")
# the drafts written against briefs of their own, in the styles models write, and held to the
# thresholds their files set (the README lists what they still miss and flag)
BRIEF_SUITES = (
    "brief_heat_pumps",
    "brief_ransomware",
    "brief_dev_productivity",
    "brief_ev_charging",
    "brief_hospital_ai",
    "seed_llm_style",
    "seed_round2",
)


@pytest.fixture(scope="module")
def files():
    return load_suite(SUITE)


@pytest.fixture(scope="module")
def report(files, guardrail: Guardrail):
    return score_suite([f for f in files if f.category not in BRIEF_SUITES], guardrail)


@pytest.mark.parametrize("category", BRIEF_SUITES)
def test_each_brief_of_its_own_holds_its_thresholds(files, guardrail: Guardrail, category):
    suite = next(f for f in files if f.category == category)
    assert suite.knowledge is not None and len(suite.cases) >= 60
    score = score_suite([suite], guardrail).by_category[category]
    values = {"precision": score.precision, "recall": score.recall}
    assert all(threshold.holds(values[name]) for name, threshold in suite.thresholds.items()), values


def test_a_suite_names_the_knowledge_it_is_checked_against(tmp_path: Path, guardrail: Guardrail):
    brief = tmp_path / "brief"
    brief.mkdir()
    (brief / "b.md").write_text(
        "# B\n\n## Heat\n\nHeat pumps sold 98,000 units in 2024.\n\n*Source: EHPA, [Report](https://ehpa.org/r)*\n",
        encoding="utf-8",
    )
    suites = tmp_path / "suites"
    suites.mkdir()
    (suites / "s.yaml").write_text(
        "category: own\nknowledge: ../brief\ncases:\n"
        "  - id: a\n    text: Heat pumps sold 98,000 units in 2024 (EHPA).\n    flagged: []\n"
        "  - id: b\n    text: Heat pumps sold 89,000 units in 2024.\n"
        "    flagged:\n      - {text: '89,000', status: unsupported}\n",
        encoding="utf-8",
    )
    score = score_suite(load_suite(suites), guardrail).by_category["own"]
    assert (score.true_positives, score.false_positives, score.false_negatives) == (1, 0, 0)
    (suites / "s.yaml").write_text("category: own\nknowledge: ../nowhere\ncases: []\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"s\.yaml: knowledge: \.\./nowhere is no folder"):
        load_suite(suites)


def test_the_suite_is_large_and_covers_every_category(report):
    assert report.cases >= 150
    assert set(report.by_category) >= {
        "verbatim",
        "reformatted_units",
        "spelled_numbers",
        "perturbed_digits",
        "wrong_year",
        "wrong_subject",
        "misattribution",
        "unsourced",
        "structural_numbers",
        "fabricated",
        "paraphrases",
    }


@pytest.mark.parametrize("category", MUST_CATCH)
def test_every_fabricated_perturbed_misattributed_and_unsourced_statistic_is_caught(report, category):
    score = report.by_category[category]
    missed = [(m.case, m.text) for m in report.misses if m.category == category]
    assert score.recall == 1.0, missed


def test_no_false_alarm_on_grounded_statistics(report):
    assert [(f.case, f.text, f.actual) for f in report.false_alarms] == []


def test_overall_scores(report):
    assert report.overall.precision == 1.0
    assert report.overall.recall >= 0.97
    assert report.overall.f1 >= 0.98


def test_a_category_that_flags_nothing_is_scored_and_reported(tmp_path: Path, guardrail: Guardrail):
    (tmp_path / "clean.yaml").write_text(
        "category: clean\ncases:\n  - id: a\n    text: Users expect a response within 300ms.\n    flagged: []\n",
        encoding="utf-8",
    )
    score = score_suite(load_suite(tmp_path), guardrail).by_category["clean"]
    assert (score.precision, score.recall) == (1.0, 1.0)


def test_scoring_counts_misses_and_false_alarms(tmp_path: Path, guardrail: Guardrail):
    (tmp_path / "mixed.yaml").write_text(
        "category: mixed\ncases:\n"
        "  - id: a\n    text: Customers hang up 40% more often when agents take >1 second.\n"
        "    flagged:\n      - {text: '40%', status: unsupported}\n"
        "  - id: b\n    text: Customers hang up 45% more often when agents take >1 second.\n"
        "    flagged: []\n",
        encoding="utf-8",
    )
    report = score_suite(load_suite(tmp_path), guardrail)
    assert (
        report.overall.true_positives,
        report.overall.false_positives,
        report.overall.false_negatives,
    ) == (0, 1, 1)
    assert [m.case for m in report.misses] == ["a"]
    assert [f.case for f in report.false_alarms] == ["b"]


def test_a_malformed_suite_names_its_file_and_line(tmp_path: Path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("category: x\ncases:\n  - id: a\n    text: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.yaml: line \d+"):
        load_suite(tmp_path)


def test_a_label_that_is_not_in_its_draft_is_refused(tmp_path: Path):
    (tmp_path / "s.yaml").write_text(
        "category: x\ncases:\n  - id: a\n    text: Only 14% are ready.\n"
        "    flagged:\n      - {text: '41%', status: unsupported}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="'41%' does not occur"):
        load_suite(tmp_path)
