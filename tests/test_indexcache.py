"""The parsed and indexed knowledge base kept between commands."""

from __future__ import annotations

import shutil
from pathlib import Path

from angleforge.indexcache import load_guardrail

from .conftest import SEED

DRAFT = "Users expect a response within 300ms."


def test_the_cache_is_used_and_follows_every_change(tmp_path: Path):
    folder = tmp_path / "knowledge"
    shutil.copytree(SEED, folder)
    cache = tmp_path / "cache"
    first = load_guardrail(folder, cache)
    assert len(list(cache.glob("guardrail-*.pickle"))) == 1
    second = load_guardrail(folder, cache)
    assert second is not first and second.check(DRAFT).verdict == "pass"
    # the knowledge changes: the cached index is not used, and the old one is dropped
    brief = folder / "call-center-ai-production-reality-2026.md"
    brief.write_text(brief.read_text(encoding="utf-8").replace("within 300ms", "within 350ms"), encoding="utf-8")
    third = load_guardrail(folder, cache)
    assert third.check(DRAFT).verdict == "flagged"
    assert len(list(cache.glob("guardrail-*.pickle"))) == 1


def test_a_damaged_cache_is_rebuilt(tmp_path: Path):
    cache = tmp_path / "cache"
    load_guardrail(SEED, cache)
    for path in cache.glob("guardrail-*.pickle"):
        path.write_bytes(b"not a pickle")
    assert load_guardrail(SEED, cache).check(DRAFT).verdict == "pass"


def test_without_a_cache_folder_nothing_is_written(tmp_path: Path):
    assert load_guardrail(SEED, None).check(DRAFT).verdict == "pass"
    assert list(tmp_path.iterdir()) == []
