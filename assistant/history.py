"""Conversations on disk: SQLite in WAL mode, one row per finished turn.

A turn is written in one transaction after its answer is verified, so a crash in the middle
of an answer loses at most that answer.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from assistant.answer import Answer

_SCHEMA = """
CREATE TABLE IF NOT EXISTS threads (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS turns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    thread_id TEXT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    answer_json TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS turns_by_thread ON turns(thread_id, id);
"""


@dataclass(frozen=True)
class Thread:
    id: str
    title: str
    created_at: str
    updated_at: str
    turns: int


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ConversationStore:
    """Threads and their turns. Safe to share between threads of one process."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)

    @contextmanager
    def _connect(self):
        db = sqlite3.connect(self.path, timeout=30)
        db.execute("PRAGMA foreign_keys=ON")
        try:
            with db:
                yield db
        finally:
            db.close()

    def create_thread(self, title: str = "New conversation", owner: str = "", thread_id: str | None = None) -> str:
        """Create a thread and return its id."""
        tid = thread_id or uuid.uuid4().hex[:12]
        now = _now()
        with self._lock, self._connect() as db:
            db.execute(
                "INSERT OR IGNORE INTO threads(id, owner, title, created_at, updated_at) VALUES (?,?,?,?,?)",
                (tid, owner, title[:120], now, now),
            )
        return tid

    def ensure_thread(self, thread_id: str, title: str, owner: str = "") -> None:
        self.create_thread(title=title, owner=owner, thread_id=thread_id)

    def owner_of(self, thread_id: str) -> str | None:
        """The thread's owner, or None when there is no such thread."""
        with self._connect() as db:
            row = db.execute("SELECT owner FROM threads WHERE id = ?", (thread_id,)).fetchone()
        return row[0] if row else None

    def threads(self, owner: str = "") -> list[Thread]:
        """The owner's threads, most recently used first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT t.id, t.title, t.created_at, t.updated_at, COUNT(u.id) FROM threads t "
                "LEFT JOIN turns u ON u.thread_id = t.id WHERE t.owner = ? "
                "GROUP BY t.id ORDER BY t.updated_at DESC, t.rowid DESC",
                (owner,),
            ).fetchall()
        return [Thread(*row) for row in rows]

    def rename(self, thread_id: str, title: str, owner: str = "") -> None:
        with self._lock, self._connect() as db:
            db.execute("UPDATE threads SET title = ? WHERE id = ? AND owner = ?", (title.strip()[:120] or "Untitled", thread_id, owner))

    def delete(self, thread_id: str, owner: str = "") -> None:
        with self._lock, self._connect() as db:
            db.execute("DELETE FROM threads WHERE id = ? AND owner = ?", (thread_id, owner))

    def add_turn(self, thread_id: str, answer: Answer, owner: str = "") -> None:
        """Store a finished turn (question and verified answer) atomically."""
        now = _now()
        with self._lock, self._connect() as db:
            db.execute(
                "INSERT OR IGNORE INTO threads(id, owner, title, created_at, updated_at) VALUES (?,?,?,?,?)",
                (thread_id, owner, answer.question[:60], now, now),
            )
            (thread_owner,) = db.execute("SELECT owner FROM threads WHERE id = ?", (thread_id,)).fetchone()
            if thread_owner != owner:
                raise PermissionError("this conversation belongs to another user; start a new one")
            db.execute(
                "INSERT INTO turns(thread_id, question, answer_json, created_at) VALUES (?,?,?,?)",
                (thread_id, answer.question, answer.model_dump_json(), now),
            )
            db.execute("UPDATE threads SET updated_at = ? WHERE id = ?", (now, thread_id))

    def turn_count(self, thread_id: str, owner: str = "") -> int:
        """How many turns the thread holds (0 when it is not the owner's), without loading them."""
        with self._connect() as db:
            (count,) = db.execute(
                "SELECT COUNT(*) FROM turns u JOIN threads t ON t.id = u.thread_id WHERE u.thread_id = ? AND t.owner = ?",
                (thread_id, owner),
            ).fetchone()
        return count

    def turns(self, thread_id: str, owner: str = "") -> list[Answer]:
        """The thread's answers in order; empty when the thread is not the owner's."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT u.answer_json FROM turns u JOIN threads t ON t.id = u.thread_id "
                "WHERE u.thread_id = ? AND t.owner = ? ORDER BY u.id",
                (thread_id, owner),
            ).fetchall()
        return [Answer.model_validate_json(row[0]) for row in rows]
