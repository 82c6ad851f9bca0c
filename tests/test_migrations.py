"""The store's schema steps: recorded by name, applied once, and an older store brought up to date."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from angleforge.migrations import MIGRATIONS
from angleforge.store import Store

from .support.stores import store_before_the_last_step

RELEASED = [
    "001_runs_drafts_attempts",
    "002_revisions_and_decisions",
    "003_eval_runs",
    "004_draft_owner",
    "005_withdrawn_decisions",
]


def recorded(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        return [row[0] for row in db.execute("SELECT name FROM migrations ORDER BY rowid")]


def columns(path: Path, table: str) -> set[str]:
    with sqlite3.connect(path) as db:
        return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


def test_a_new_store_records_every_step_by_its_released_name(tmp_path):
    path = tmp_path / "new.db"
    Store.open(path).close()
    assert recorded(path) == RELEASED == [migration.name for migration in MIGRATIONS]
    assert {"revision", "owner"} <= columns(path, "drafts")


def test_a_store_from_before_the_last_step_gets_only_that_step(tmp_path):
    path = tmp_path / "old.db"
    store_before_the_last_step(path)
    assert "withdrawn_at" not in columns(path, "decisions")
    store = Store.open(path)  # a step applied twice would fail here: its tables exist
    store.close()
    assert recorded(path) == RELEASED
    assert {"withdrawn_at", "withdrawn_by", "withdrawn_because"} <= columns(path, "decisions")
    Store.open(path).close()  # and opening it again applies nothing
    assert recorded(path) == RELEASED
