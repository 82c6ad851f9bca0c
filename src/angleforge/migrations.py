"""The draft store's schema, step by step.

Each migration is a named step holding its own statements. A store applies the steps it has
not seen, in order, and records each by name in its `migrations` table, so a store written
by an earlier version opens and is brought up to date. A step is never edited once released:
a change to the schema is a new step.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    name: str  # recorded in the store; the names of released steps never change
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "001_runs_drafts_attempts",
        (
            """CREATE TABLE runs (
                id TEXT PRIMARY KEY,
                created_at TEXT NOT NULL,
                finished_at TEXT,
                status TEXT NOT NULL,            -- running | finished
                provider TEXT NOT NULL,
                model TEXT NOT NULL,
                parameters TEXT NOT NULL,        -- JSON: what the run was asked for
                prompt_tokens INTEGER NOT NULL DEFAULT 0,
                completion_tokens INTEGER NOT NULL DEFAULT 0,
                cost REAL NOT NULL DEFAULT 0,
                seconds REAL NOT NULL DEFAULT 0
            )""",
            """CREATE TABLE drafts (
                id TEXT PRIMARY KEY,
                run_id TEXT NOT NULL REFERENCES runs(id),
                seq INTEGER NOT NULL,
                angle TEXT NOT NULL,
                format TEXT NOT NULL,
                status TEXT NOT NULL,            -- a DraftStatus
                text TEXT NOT NULL DEFAULT '',
                posts TEXT NOT NULL DEFAULT '[]',
                findings TEXT NOT NULL DEFAULT '[]',
                error TEXT,
                attempts INTEGER NOT NULL DEFAULT 0,
                prompt_tokens INTEGER NOT NULL DEFAULT 0,
                completion_tokens INTEGER NOT NULL DEFAULT 0,
                cost REAL NOT NULL DEFAULT 0,
                seconds REAL NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                UNIQUE (run_id, seq)
            )""",
            "CREATE INDEX drafts_by_status ON drafts(status)",
            """CREATE TABLE attempts (
                id INTEGER PRIMARY KEY,
                draft_id TEXT NOT NULL REFERENCES drafts(id),
                number INTEGER NOT NULL,
                kind TEXT NOT NULL,              -- compose | repair
                prompt TEXT NOT NULL,            -- JSON: the messages sent
                raw TEXT NOT NULL DEFAULT '',
                posts TEXT NOT NULL DEFAULT '[]',
                findings TEXT NOT NULL DEFAULT '[]',
                verdict TEXT,                    -- pass | flagged | NULL when the call failed
                error TEXT,
                prompt_tokens INTEGER NOT NULL DEFAULT 0,
                completion_tokens INTEGER NOT NULL DEFAULT 0,
                cost REAL NOT NULL DEFAULT 0,
                seconds REAL NOT NULL DEFAULT 0,
                cached INTEGER NOT NULL DEFAULT 0,
                retries INTEGER NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL,
                UNIQUE (draft_id, number)
            )""",
            """CREATE TABLE responses (
                key TEXT PRIMARY KEY,
                model TEXT NOT NULL,
                reply TEXT NOT NULL,
                prompt_tokens INTEGER NOT NULL,
                completion_tokens INTEGER NOT NULL,
                created_at TEXT NOT NULL
            )""",
        ),
    ),
    Migration(
        "002_revisions_and_decisions",
        (
            "ALTER TABLE drafts ADD COLUMN revision INTEGER NOT NULL DEFAULT 1",
            """CREATE TABLE revisions (
                id INTEGER PRIMARY KEY,
                draft_id TEXT NOT NULL REFERENCES drafts(id),
                number INTEGER NOT NULL,
                text TEXT NOT NULL,
                posts TEXT NOT NULL,
                findings TEXT NOT NULL,
                status TEXT NOT NULL,            -- passed | flagged, as the guardrail found it
                reviewer TEXT NOT NULL,
                created_at TEXT NOT NULL,
                UNIQUE (draft_id, number)
            )""",
            """CREATE TABLE decisions (
                id INTEGER PRIMARY KEY,
                draft_id TEXT NOT NULL REFERENCES drafts(id),
                revision INTEGER NOT NULL,
                decision TEXT NOT NULL,          -- approved | rejected
                reviewer TEXT NOT NULL,
                note TEXT,
                forced INTEGER NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL
            )""",
            "CREATE INDEX decisions_by_draft ON decisions(draft_id)",
        ),
    ),
    Migration(
        "003_eval_runs",
        (
            """CREATE TABLE eval_runs (
                id TEXT PRIMARY KEY,
                created_at TEXT NOT NULL,
                provider TEXT NOT NULL,
                model TEXT NOT NULL,
                passed INTEGER NOT NULL,
                result TEXT NOT NULL              -- JSON: every suite, case and score
            )""",
        ),
    ),
    Migration(
        "004_draft_owner",
        # owner: host:pid of the process writing the draft. Said here, not in an SQL comment:
        # ADD COLUMN copies the column's text into the stored CREATE TABLE, where a trailing
        # comment would swallow its closing parenthesis
        ("ALTER TABLE drafts ADD COLUMN owner TEXT",),
    ),
    Migration(
        "005_withdrawn_decisions",
        # a decision is withdrawn, never deleted: by an undo, or by a re-check that finds an
        # approved draft's statistics no longer check out (who, when and why)
        (
            "ALTER TABLE decisions ADD COLUMN withdrawn_at TEXT",
            "ALTER TABLE decisions ADD COLUMN withdrawn_by TEXT",
            "ALTER TABLE decisions ADD COLUMN withdrawn_because TEXT",
        ),
    ),
)


def migrate(db: sqlite3.Connection, applied_at: str) -> None:
    """Apply, inside the caller's transaction, every step the store has not recorded."""
    db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for migration in unapplied(db):
        for statement in migration.statements:
            db.execute(statement)
        db.execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)", (migration.name, applied_at))


def unapplied(db: sqlite3.Connection) -> list[Migration]:
    """The steps a store has not recorded, in order (raises where it has no `migrations` table:
    no angleforge store)."""
    applied = {row[0] for row in db.execute("SELECT name FROM migrations")}
    return [migration for migration in MIGRATIONS if migration.name not in applied]
