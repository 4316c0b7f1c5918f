"""A watch's memory, one SQLite file in the output folder (``DIR/watch.sqlite3``): the links seen
(with what became of each), the hashes of the articles' texts, the feeds' validators (``ETag``,
``Last-Modified``) and the days whose digest is out of date. Each article is committed as soon as
its files are written, so a killed watch resumes where it stopped; one watch at a time per folder
(a lock beside the file).
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError

STATE_NAME = "watch.sqlite3"
#: An article whose page could not be fetched is tried again in later rounds, this many times in all.
MAX_ATTEMPTS = 3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    link TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    status TEXT NOT NULL,          -- ok | error | duplicate | unfetched
    stem TEXT,
    sha256 TEXT,                   -- of the page's bytes, as index.jsonl has it
    text_hash TEXT,                -- of the cleaned title and text: a republished article is the same
    error TEXT,
    outputs TEXT,                  -- JSON: output name -> file name
    day TEXT,                      -- YYYY-MM-DD (UTC) of the digest it belongs to
    title TEXT, published TEXT, outlet TEXT, source TEXT,
    attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS articles_text ON articles(text_hash);
CREATE TABLE IF NOT EXISTS sources (
    address TEXT PRIMARY KEY, etag TEXT, last_modified TEXT
);
CREATE TABLE IF NOT EXISTS stale_digests (day TEXT PRIMARY KEY);
"""


@dataclass(frozen=True)
class Seen:
    link: str
    status: str
    stem: str | None
    sha256: str | None
    error: str | None
    outputs: dict[str, str]
    day: str | None
    attempts: int


class State:
    """The state file of ``out_dir``, opened (and locked) for one watch."""

    def __init__(self, out_dir: Path):
        out_dir.mkdir(parents=True, exist_ok=True)
        self.path = out_dir / STATE_NAME
        self._lock = os.open(out_dir / f".{STATE_NAME}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._lock)
            raise UsageError(f"{out_dir}: another watch is writing to this folder") from None
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None)
            self.db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            os.close(self._lock)
            raise UsageError(f"{self.path}: not a watch state file ({exc}); move it away to start afresh") from None

    def close(self) -> None:
        self.db.close()
        os.close(self._lock)

    def __enter__(self) -> "State":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- sources ---------------------------------------------------------------------------------

    def validators(self, address: str) -> tuple[str | None, str | None]:
        row = self.db.execute("SELECT etag, last_modified FROM sources WHERE address = ?", (address,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def set_validators(self, address: str, etag: str | None, last_modified: str | None) -> None:
        self.db.execute("INSERT OR REPLACE INTO sources VALUES (?, ?, ?)", (address, etag, last_modified))

    # -- articles --------------------------------------------------------------------------------

    def seen(self, link: str) -> Seen | None:
        row = self.db.execute("SELECT link, status, stem, sha256, error, outputs, day, attempts FROM articles "
                              "WHERE link = ?", (link,)).fetchone()
        return _seen(row) if row else None

    def done(self, link: str) -> bool:
        """Whether ``link`` needs no more work: translated, failed for good or a duplicate."""
        found = self.seen(link)
        return found is not None and (found.status != "unfetched" or found.attempts >= MAX_ATTEMPTS)

    def same_text(self, text_hash: str) -> str | None:
        row = self.db.execute("SELECT link FROM articles WHERE text_hash = ? AND status = 'ok' LIMIT 1",
                              (text_hash,)).fetchone()
        return row[0] if row else None

    def stems(self) -> set[str]:
        return {row[0].lower() for row in self.db.execute("SELECT stem FROM articles WHERE stem IS NOT NULL")}

    def record(self, link: str, status: str, *, item=None, stem: str | None = None, sha256: str | None = None,
               text_hash: str | None = None, error: str | None = None, outputs: dict[str, str] | None = None,
               day: str | None = None) -> None:
        """What became of ``link`` (one transaction: a killed watch keeps every article recorded)."""
        previous = self.seen(link)
        seq = self.db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM articles").fetchone()[0]
        attempts = (previous.attempts if previous else 0) + 1
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute(
                "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (link, seq, status, stem, sha256, text_hash, error, json.dumps(outputs or {}), day,
                 getattr(item, "title", None), _iso(getattr(item, "published", None)), getattr(item, "outlet", None),
                 getattr(item, "source", None), attempts))
            if status == "ok" and day:
                self.db.execute("INSERT OR IGNORE INTO stale_digests VALUES (?)", (day,))

    def indexed(self) -> list[Seen]:
        """The articles ``index.jsonl`` lists, in the order they were done: translated or failed."""
        return [_seen(row) for row in self.db.execute(
            "SELECT link, status, stem, sha256, error, outputs, day, attempts FROM articles "
            "WHERE status IN ('ok', 'error', 'unfetched') ORDER BY seq")]

    def articles_of(self, day: str) -> list[Seen]:
        return [_seen(row) for row in self.db.execute(
            "SELECT link, status, stem, sha256, error, outputs, day, attempts FROM articles "
            "WHERE status = 'ok' AND day = ? ORDER BY seq", (day,))]

    def stale_days(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT day FROM stale_digests ORDER BY day")]

    def digest_written(self, day: str) -> None:
        self.db.execute("DELETE FROM stale_digests WHERE day = ?", (day,))


def _seen(row) -> Seen:
    return Seen(row[0], row[1], row[2], row[3], row[4], json.loads(row[5] or "{}"), row[6], row[7])


def _iso(when) -> str | None:
    return when.isoformat() if when is not None else None
