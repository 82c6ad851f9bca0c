"""Stores as an earlier angleforge left them, for the tests of migrating and opening."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from angleforge.migrations import MIGRATIONS


def store_before_the_last_step(path: Path) -> None:
    """A store at `path` with every schema step but the last applied and recorded."""
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        for migration in MIGRATIONS[:-1]:
            for statement in migration.statements:
                db.execute(statement)
            db.execute("INSERT INTO migrations VALUES (?, '2024-01-01T00:00:00+00:00')", (migration.name,))
