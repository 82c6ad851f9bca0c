"""The draft store: SQLite (WAL) holding runs, drafts, attempts and cached model replies.

The schema migrates itself when the store is opened (`migrations`: named steps, each
applied once and recorded). Every write is its own short transaction, so a killed process
loses at most the call in flight; a busy timeout lets several processes share one store.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from angleforge.errors import AngleforgeError, InputError
from angleforge.migrations import migrate, unapplied
from angleforge.statuses import DraftStatus, Verdict, status_after, verdict_of

DB_VARIABLE = "ANGLEFORGE_DB"

LEASE_EXPIRES = 900.0  # seconds after which another host's lease on a draft is taken over
# a draft another process may take: never taken, or given up on by the provider
_TAKEABLE = frozenset({DraftStatus.PENDING, DraftStatus.FAILED})


class RunStatus(StrEnum):
    """Where a run stands; each of its drafts has a `DraftStatus` of its own."""

    RUNNING = "running"
    FINISHED = "finished"


def owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _alive(holder: str | None, updated_at: str) -> bool:
    """Whether the process that took a draft may still be writing it."""
    if not holder:
        return False
    host, _, pid = holder.rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    age = (datetime.now(UTC) - datetime.fromisoformat(updated_at)).total_seconds()
    return age < LEASE_EXPIRES


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def new_id(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def store_path(given: Path | None, state: Path) -> Path:
    """--db, else $ANGLEFORGE_DB, else the workspace's .angleforge/angleforge.db."""
    if given is not None:
        return Path(given)
    if os.environ.get(DB_VARIABLE):
        return Path(os.environ[DB_VARIABLE])
    return state / "angleforge.db"


class Run(BaseModel):
    id: str
    created_at: str
    finished_at: str | None
    status: RunStatus
    provider: str
    model: str
    parameters: dict[str, Any]
    prompt_tokens: int
    completion_tokens: int
    cost: float
    seconds: float


class StoredDraft(BaseModel):
    id: str
    run_id: str
    seq: int
    angle: str
    format: str
    status: DraftStatus
    text: str
    posts: list[str]
    findings: list[dict[str, Any]]
    error: str | None
    attempts: int
    prompt_tokens: int
    completion_tokens: int
    cost: float
    seconds: float
    created_at: str
    updated_at: str
    revision: int = 1


class Revision(BaseModel):
    """A person's edit of a draft; revision 1 is the generated text and has no row."""

    draft_id: str
    number: int
    text: str
    posts: list[str]
    findings: list[dict[str, Any]]
    status: DraftStatus  # passed or flagged, as the guardrail found it
    reviewer: str
    created_at: str


class Decision(BaseModel):
    draft_id: str
    revision: int
    decision: DraftStatus  # approved or rejected
    reviewer: str
    note: str | None
    forced: bool
    created_at: str
    # set when the decision was taken back (an undo, or a re-check that reopened the draft)
    withdrawn_at: str | None = None
    withdrawn_by: str | None = None
    withdrawn_because: str | None = None

    @property
    def stands(self) -> bool:
        return self.withdrawn_at is None


class Attempt(BaseModel):
    """One call to the provider for a draft; what it did not give keeps its column's default."""

    draft_id: str
    number: int
    kind: Literal["compose", "repair"]
    prompt: list[dict[str, str]]
    raw: str = ""
    posts: list[str] = Field(default_factory=list)
    findings: list[dict[str, Any]] = Field(default_factory=list)
    verdict: Verdict | None = None  # None when the call failed
    error: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0
    seconds: float = 0.0
    cached: bool = False
    retries: int = 0
    created_at: str = Field(default_factory=now)


_JSON_COLUMNS = {"parameters", "posts", "findings", "prompt"}


def _row(row: sqlite3.Row) -> dict[str, Any]:
    return {k: (json.loads(row[k]) if k in _JSON_COLUMNS else row[k]) for k in row.keys()}  # noqa: SIM118


def _decision(row: sqlite3.Row) -> Decision:
    return Decision.model_validate({**_row(row), "forced": bool(row["forced"])})


def _insert(db: sqlite3.Connection, table: str, record: BaseModel) -> None:
    """A model as a new row of `table`, its JSON columns encoded as `_row` decodes them."""
    data = record.model_dump()
    values = [json.dumps(value) if key in _JSON_COLUMNS else value for key, value in data.items()]
    db.execute(f"INSERT INTO {table} ({', '.join(data)}) VALUES ({', '.join('?' * len(data))})", values)


class Store:
    """One SQLite database file; open it with `Store.open(path)`."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.connection = connection
        self.path = path

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False) -> Store:
        """The store at `path`, made and migrated if need be; with `read_only`, an existing
        store that this process may not be able to write (a read-only folder or file), which
        it only reads."""
        if read_only:
            return cls(_connect_read_only(path), path)
        # a read-only file in a writable folder opens for writing without complaint and fails at
        # its first write, which for `eval` comes after the whole run: say so before any work
        if path.is_file() and not os.access(path, os.W_OK, effective_ids=os.access in os.supports_effective_ids):
            raise ReadOnlyStore(path, "the file cannot be written")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(path, timeout=30.0, isolation_level=None, check_same_thread=False)
            connection.row_factory = sqlite3.Row
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute("PRAGMA foreign_keys=ON")
            connection.execute("PRAGMA busy_timeout=30000")
            store = cls(connection, path)
            store._migrate()
        except sqlite3.DatabaseError as error:
            if _refused_writing(error):
                raise ReadOnlyStore(path, _why_read_only(error)) from None
            raise InputError(path, f"not an angleforge store ({error})") from None
        except PermissionError:
            raise ReadOnlyStore(path, "its folder cannot be made here") from None
        except OSError as error:
            raise InputError(path, f"cannot open the store: {error.strerror or error}") from None
        return store

    def close(self) -> None:
        self.connection.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT: writers queue on the busy timeout instead of failing.
        A store that turns out not to take writes (its file read-only while its folder is
        not, so opening it wrote nothing) is said to be read-only at the first write."""
        try:
            self.connection.execute("BEGIN IMMEDIATE")
            try:
                yield self.connection
            except BaseException:
                self.connection.execute("ROLLBACK")
                raise
            self.connection.execute("COMMIT")
        except sqlite3.OperationalError as error:
            if _refused_writing(error):
                raise ReadOnlyStore(self.path, _why_read_only(error)) from None
            raise

    def _migrate(self) -> None:
        with self.transaction() as db:
            migrate(db, now())

    # --- runs and drafts ----------------------------------------------------------------

    def create_run(self, provider: str, model: str, parameters: dict[str, Any], plan: list[tuple[str, str]]) -> Run:
        """A run and all its drafts, as pending rows, in one transaction."""
        run_id = new_id("r")
        stamp = now()
        with self.transaction() as db:
            db.execute(
                "INSERT INTO runs (id, created_at, status, provider, model, parameters) VALUES (?, ?, ?, ?, ?, ?)",
                (run_id, stamp, RunStatus.RUNNING, provider, model, json.dumps(parameters)),
            )
            db.executemany(
                "INSERT INTO drafts (id, run_id, seq, angle, format, status, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (f"{run_id}-{seq:03d}", run_id, seq, angle, fmt, DraftStatus.PENDING, stamp, stamp)
                    for seq, (angle, fmt) in enumerate(plan, start=1)
                ],
            )
        return self.run(run_id)

    def run(self, run_id: str) -> Run:
        row = self.connection.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise UnknownRun(run_id)
        return Run.model_validate(_row(row))

    def runs(self) -> list[Run]:
        rows = self.connection.execute("SELECT * FROM runs ORDER BY created_at").fetchall()
        return [Run.model_validate(_row(row)) for row in rows]

    def drafts(self, run_id: str | None = None, status: DraftStatus | None = None) -> list[StoredDraft]:
        query, args = "SELECT * FROM drafts WHERE 1=1", list[str]()
        if run_id is not None:
            query, args = query + " AND run_id = ?", [*args, run_id]
        if status is not None:
            query, args = query + " AND status = ?", [*args, status]
        rows = self.connection.execute(query + " ORDER BY created_at, run_id, seq", args).fetchall()
        return [StoredDraft.model_validate(_row(row)) for row in rows]

    def draft(self, draft_id: str) -> StoredDraft:
        row = self.connection.execute("SELECT * FROM drafts WHERE id = ?", (draft_id,)).fetchone()
        if row is None:
            raise UnknownDraft(draft_id)
        return StoredDraft.model_validate(_row(row))

    def attempts(self, draft_id: str) -> list[Attempt]:
        rows = self.connection.execute(
            "SELECT * FROM attempts WHERE draft_id = ? ORDER BY number", (draft_id,)
        ).fetchall()
        return [Attempt.model_validate(_row(row)) for row in rows]

    def revisions(self, draft_id: str) -> list[Revision]:
        rows = self.connection.execute(
            "SELECT * FROM revisions WHERE draft_id = ? ORDER BY number", (draft_id,)
        ).fetchall()
        return [Revision.model_validate(_row(row)) for row in rows]

    def decisions(self, draft_id: str | None = None) -> list[Decision]:
        query = "SELECT * FROM decisions" + (" WHERE draft_id = ?" if draft_id else "") + " ORDER BY id"
        rows = self.connection.execute(query, (draft_id,) if draft_id else ()).fetchall()
        return [_decision(row) for row in rows]

    def record_attempt(
        self, attempt: Attempt, finish: tuple[DraftStatus, list[str], list[dict[str, Any]], str | None] | None = None
    ) -> None:
        """One attempt and the draft's running totals, committed together; with `finish`
        (status, posts, findings, error), the draft's outcome in the same transaction."""
        stamp = now()
        with self.transaction() as db:
            _insert(db, "attempts", attempt)
            db.execute(
                "UPDATE drafts SET attempts = attempts + 1, prompt_tokens = prompt_tokens + ?, "
                "completion_tokens = completion_tokens + ?, cost = cost + ?, seconds = seconds + ?, updated_at = ? "
                "WHERE id = ?",
                (
                    attempt.prompt_tokens,
                    attempt.completion_tokens,
                    attempt.cost,
                    attempt.seconds,
                    stamp,
                    attempt.draft_id,
                ),
            )
            if finish is not None:
                status, posts, findings, error = finish
                db.execute(
                    "UPDATE drafts SET status = ?, text = ?, posts = ?, findings = ?, error = ?, owner = NULL "
                    "WHERE id = ?",
                    (status, "\n\n".join(posts), json.dumps(posts), json.dumps(findings), error, attempt.draft_id),
                )

    def take(self, draft_id: str, taker: str) -> bool:
        """Lease a draft to write it; False when a live process holds it or it is written."""
        with self.transaction() as db:
            row = db.execute("SELECT status, owner, updated_at FROM drafts WHERE id = ?", (draft_id,)).fetchone()
            if row is None:
                raise UnknownDraft(draft_id)
            status = DraftStatus(row["status"])
            free = status in _TAKEABLE or (
                status is DraftStatus.WRITING and (row["owner"] == taker or not _alive(row["owner"], row["updated_at"]))
            )
            if free:
                db.execute(
                    "UPDATE drafts SET status = ?, owner = ?, updated_at = ? WHERE id = ?",
                    (DraftStatus.WRITING, taker, now(), draft_id),
                )
            return free

    def fail_draft(self, draft_id: str, error: str) -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE drafts SET status = ?, error = ?, owner = NULL, updated_at = ? WHERE id = ?",
                (DraftStatus.FAILED, error, now(), draft_id),
            )

    def finish_run(self, run_id: str, seconds: float) -> Run:
        with self.transaction() as db:
            db.execute(
                "UPDATE runs SET status = ?, finished_at = ?, seconds = seconds + ?, "
                "prompt_tokens = (SELECT COALESCE(SUM(prompt_tokens), 0) FROM drafts WHERE run_id = ?), "
                "completion_tokens = (SELECT COALESCE(SUM(completion_tokens), 0) FROM drafts WHERE run_id = ?), "
                "cost = (SELECT COALESCE(SUM(cost), 0) FROM drafts WHERE run_id = ?) WHERE id = ?",
                (RunStatus.FINISHED, now(), seconds, run_id, run_id, run_id, run_id),
            )
        return self.run(run_id)

    # --- review -------------------------------------------------------------------------

    def _current(self, db: sqlite3.Connection, draft_id: str, seen_revision: int, seen_status: DraftStatus) -> None:
        """Inside a transaction: the draft is still as the reviewer saw it, or a Conflict."""
        row = db.execute("SELECT revision, status FROM drafts WHERE id = ?", (draft_id,)).fetchone()
        if row is None:
            raise UnknownDraft(draft_id)
        if (row["revision"], row["status"]) != (seen_revision, seen_status):
            last = db.execute(
                "SELECT reviewer, created_at FROM decisions WHERE draft_id = ? ORDER BY id DESC LIMIT 1", (draft_id,)
            ).fetchone()
            by = f" by {last['reviewer']} at {last['created_at']}" if last and row["status"] != seen_status else ""
            raise Conflict(
                f"draft {draft_id} changed since it was read (now revision {row['revision']}, "
                f"{row['status']}{by}); look again and decide on what is there now"
            )

    def decide(
        self,
        draft_id: str,
        *,
        seen_revision: int,
        seen_status: DraftStatus,
        decision: DraftStatus,
        reviewer: str,
        note: str | None,
        forced: bool,
    ) -> Decision:
        with self.transaction() as db:
            self._current(db, draft_id, seen_revision, seen_status)
            made = Decision(
                draft_id=draft_id,
                revision=seen_revision,
                decision=decision,
                reviewer=reviewer,
                note=note,
                forced=forced,
                created_at=now(),
            )
            _insert(db, "decisions", made)
            db.execute(
                "UPDATE drafts SET status = ?, updated_at = ? WHERE id = ?", (decision, made.created_at, draft_id)
            )
        return made

    def add_revision(
        self,
        draft_id: str,
        *,
        seen_revision: int,
        seen_status: DraftStatus,
        text: str,
        posts: list[str],
        findings: list[dict[str, Any]],
        status: DraftStatus,
        reviewer: str,
    ) -> Revision:
        """A new revision becomes the draft's text; it reopens a decided draft."""
        with self.transaction() as db:
            self._current(db, draft_id, seen_revision, seen_status)
            made = Revision(
                draft_id=draft_id,
                number=seen_revision + 1,
                text=text,
                posts=posts,
                findings=findings,
                status=status,
                reviewer=reviewer,
                created_at=now(),
            )
            _insert(db, "revisions", made)
            db.execute(
                "UPDATE drafts SET revision = ?, text = ?, posts = ?, findings = ?, status = ?, updated_at = ? "
                "WHERE id = ?",
                (made.number, text, json.dumps(posts), json.dumps(findings), status, made.created_at, draft_id),
            )
        return made

    def withdraw(
        self,
        draft_id: str,
        *,
        seen_revision: int,
        seen_status: DraftStatus,
        findings: list[dict[str, Any]],
        by: str,
        because: str,
    ) -> tuple[Decision, DraftStatus]:
        """Take back the decision that made the draft what it is now, with `findings` as its
        current ones. The draft returns to the decision that stood before on the same revision,
        else to what the guardrail makes of the findings. Returns the decision and the status."""
        with self.transaction() as db:
            self._current(db, draft_id, seen_revision, seen_status)
            standing = db.execute(
                "SELECT * FROM decisions WHERE draft_id = ? AND revision = ? AND withdrawn_at IS NULL ORDER BY id DESC",
                (draft_id, seen_revision),
            ).fetchall()
            if not seen_status.decided or not standing or standing[0]["decision"] != seen_status:
                raise Conflict(f"draft {draft_id} is {seen_status}: there is no decision of its revision to take back")
            last, earlier = standing[0], standing[1:]
            stamp = now()
            db.execute(
                "UPDATE decisions SET withdrawn_at = ?, withdrawn_by = ?, withdrawn_because = ? WHERE id = ?",
                (stamp, by, because, last["id"]),
            )
            status = (
                DraftStatus(earlier[0]["decision"])
                if earlier
                else status_after(verdict_of(finding["status"] for finding in findings))
            )
            db.execute(
                "UPDATE drafts SET findings = ?, status = ?, updated_at = ? WHERE id = ?",
                (json.dumps(findings), status, stamp, draft_id),
            )
        withdrawn = _decision(last).model_copy(
            update={"withdrawn_at": stamp, "withdrawn_by": by, "withdrawn_because": because}
        )
        return withdrawn, status

    def recheck(
        self,
        draft_id: str,
        *,
        seen_revision: int,
        seen_status: DraftStatus,
        findings: list[dict[str, Any]],
        status: DraftStatus,
    ) -> None:
        """New findings for the same text, after the knowledge base changed."""
        with self.transaction() as db:
            self._current(db, draft_id, seen_revision, seen_status)
            db.execute(
                "UPDATE drafts SET findings = ?, status = ?, updated_at = ? WHERE id = ?",
                (json.dumps(findings), status, now(), draft_id),
            )

    # --- eval runs ----------------------------------------------------------------------

    def save_eval_run(
        self, run_id: str, created_at: str, provider: str, model: str, passed: bool, result: dict[str, Any]
    ) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO eval_runs (id, created_at, provider, model, passed, result) VALUES (?, ?, ?, ?, ?, ?)",
                (run_id, created_at, provider, model, int(passed), json.dumps(result)),
            )

    def eval_results(self) -> list[dict[str, Any]]:
        """Every stored eval run's result, oldest first."""
        rows = self.connection.execute("SELECT result FROM eval_runs ORDER BY created_at, rowid").fetchall()
        return [json.loads(row[0]) for row in rows]

    # --- the response cache -------------------------------------------------------------

    def cached_reply(self, key: str) -> str | None:
        row = self.connection.execute("SELECT reply FROM responses WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def cache_reply(self, key: str, model: str, reply: str, prompt_tokens: int, completion_tokens: int) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO responses (key, model, reply, prompt_tokens, completion_tokens, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (key, model, reply, prompt_tokens, completion_tokens, now()),
            )


_READ_ONLY = 8  # SQLITE_READONLY; its extended codes share the low byte
_READ_ONLY_DIRECTORY = 1544  # SQLITE_READONLY_DIRECTORY: the -wal and -shm files cannot be made
_CANNOT_OPEN = 14  # SQLITE_CANTOPEN: among others, a new store in a folder that takes no files


def _refused_writing(error: sqlite3.Error) -> bool:
    code = getattr(error, "sqlite_errorcode", 0)
    return code & 0xFF in (_READ_ONLY, _CANNOT_OPEN)


def _why_read_only(error: sqlite3.Error) -> str:
    code = getattr(error, "sqlite_errorcode", 0)
    if code in (_READ_ONLY_DIRECTORY, _CANNOT_OPEN):
        return "its folder takes no new files"
    return "the file cannot be written"


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that never writes, to a store that must already be there and be current.

    SQLite reads a WAL store through its -shm file, which it makes beside the store; in a
    read-only folder, where it cannot, the store is opened as immutable instead: read as the
    file stands, which is all a reader that cannot write could see anyway."""
    if not path.is_file():
        raise InputError(path, "no draft store here" if not path.exists() else "is a folder, not a draft store")
    problem: sqlite3.Error | None = None
    for mode in ("mode=ro", "mode=ro&immutable=1"):
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True, check_same_thread=False)
        connection.row_factory = sqlite3.Row
        try:
            behind = unapplied(connection)
        except sqlite3.DatabaseError as error:
            connection.close()
            if not _refused_writing(error):
                raise InputError(path, f"not an angleforge store ({error})") from None
            problem = error
            continue
        if behind:
            connection.close()
            raise InputError(
                path,
                f"written by an earlier angleforge: {len(behind)} step(s) of its schema are to be applied, "
                "which needs a store this process can write",
            )
        return connection
    raise InputError(path, f"cannot read the store ({problem})")


class ReadOnlyStore(InputError):
    """A command that writes met a store it cannot write."""

    def __init__(self, path: Path, why: str) -> None:
        super().__init__(
            path,
            f"the draft store is read-only ({why}): `review list`, `review show` and `export` can read it; "
            "to write, make it writable or name another store with --db",
        )


class Conflict(AngleforgeError):
    """Someone else changed the draft between reading and writing it."""


class UnknownRun(InputError):
    def __init__(self, run_id: str) -> None:
        super().__init__(f"run {run_id}", "no such run in the store")


class UnknownDraft(InputError):
    def __init__(self, draft_id: str) -> None:
        super().__init__(f"draft {draft_id}", "no such draft in the store")
