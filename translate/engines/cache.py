"""The on-disk translation cache: (model id, revision, backend, options, sentence) -> translation.

A rerun over the same articles, or a paragraph repeated across articles, costs no model work.

- Where: ``<store>/cache/translations.sqlite3`` (the model store, see :func:`translate.store.registry.store_dir`);
  ``HINDI_BRIEF_CACHE`` moves it (a file path, or an existing folder to hold ``translations.sqlite3``).
- Format: one SQLite table; the key is the sha256 of the JSON list
  ``[model id, revision, backend, options, sentence]``, so any change to the model or to an option
  that changes the output (beams, length limits, quantization, languages) is a different key.
- Concurrency: SQLite in WAL mode, so any number of readers (other processes, the web server's
  threads) run beside one writer; ``busy_timeout`` makes a second writer wait instead of failing.
  A connection is opened per operation (cheap next to a model call), which keeps the object free of
  thread and fork state: it can be shared by threads and pickled to worker processes.
- A cache that cannot be read or written (read-only store, broken file) never fails a translation:
  :func:`cached_translate` warns once and translates without it; a damaged file (truncated, garbage)
  is moved aside (``translations.sqlite3.corrupt-1``) and a fresh cache started.

SQLite is the standard library's; no hand-written storage here beyond the one table.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import warnings
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from ..errors import UsageError

CACHE_ENV = "HINDI_BRIEF_CACHE"
CACHE_FILE = "translations.sqlite3"
#: Milliseconds a writer waits for another writer's lock before giving up.
BUSY_TIMEOUT_MS = 10_000
#: Keys per ``IN (...)`` query, far below SQLite's limit on bound parameters.
_LOOKUP_CHUNK = 500

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    translation TEXT NOT NULL
) WITHOUT ROWID
"""


def default_cache_path() -> Path:
    """``$HINDI_BRIEF_CACHE`` (a file, or a folder to hold the file), else ``<store>/cache/translations.sqlite3``."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        path = Path(configured).expanduser()
        path = path / CACHE_FILE if path.is_dir() else path
        if any(parent.exists() and not parent.is_dir() for parent in path.parents):
            raise UsageError(f"{CACHE_ENV}={configured}: a file stands where its folder should be")
        return path
    from ..store.registry import store_dir

    return store_dir() / "cache" / CACHE_FILE


def cache_identity(model_info: dict[str, Any], options: dict[str, Any]) -> list[Any]:
    """The part of every key that names the model and the options: ``[id, revision, backend, options]``."""
    return [model_info.get("id"), model_info.get("revision"), model_info.get("backend"), options]


def entry_key(identity: Sequence[Any], sentence: str) -> str:
    """sha256 of the JSON list ``identity + [sentence]``."""
    payload = json.dumps([*identity, sentence], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class TranslationCache:
    """A SQLite file mapping (identity, sentence) to a translation. ``path=None``: :func:`default_cache_path`."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else default_cache_path()

    def __repr__(self) -> str:
        return f"TranslationCache({str(self.path)!r})"

    @contextmanager
    def _connect(self, *, create: bool) -> Iterator[sqlite3.Connection]:
        if create:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)) as connection:
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if create:
                connection.execute("PRAGMA journal_mode = WAL")
                connection.execute(_SCHEMA)
            yield connection

    def get_many(self, identity: Sequence[Any], sentences: Sequence[str]) -> list[str | None]:
        """The cached translation of each sentence, or None where there is none. No file: all None."""
        if not self.path.exists() or not sentences:
            return [None] * len(sentences)
        keys = [entry_key(identity, sentence) for sentence in sentences]
        found: dict[str, str] = {}
        with self._connect(create=False) as connection:
            for start in range(0, len(keys), _LOOKUP_CHUNK):
                chunk = keys[start:start + _LOOKUP_CHUNK]
                marks = ",".join("?" * len(chunk))
                found.update(self._select(connection, f"SELECT key, translation FROM translations WHERE key IN ({marks})", chunk))
        return [found.get(key) for key in keys]

    @staticmethod
    def _select(connection: sqlite3.Connection, query: str, parameters: Sequence[Any] = ()) -> list[tuple]:
        """Rows of ``query``; none while another process has created the file but not the table yet."""
        try:
            return connection.execute(query, parameters).fetchall()
        except sqlite3.OperationalError as exc:
            if str(exc).startswith("no such table"):
                return []
            raise

    def put_many(self, identity: Sequence[Any], sentences: Sequence[str], translations: Sequence[str]) -> None:
        """Store translations (one transaction; an existing entry is replaced)."""
        if len(sentences) != len(translations):
            raise ValueError(f"{len(sentences)} sentences but {len(translations)} translations")
        if not sentences:
            return
        model = str(identity[0]) if identity else ""
        rows = [(entry_key(identity, s), model, t) for s, t in zip(sentences, translations)]
        with self._connect(create=True) as connection, connection:
            connection.executemany("INSERT OR REPLACE INTO translations (key, model, translation) VALUES (?, ?, ?)", rows)

    def move_aside(self) -> Path:
        """Rename a damaged cache file (and its WAL and shared-memory files) to
        ``<name>.corrupt-<n>`` beside it; return the new path. The next write starts a fresh file."""
        n = 1
        while self.path.with_name(f"{self.path.name}.corrupt-{n}").exists():
            n += 1
        aside = self.path.with_name(f"{self.path.name}.corrupt-{n}")
        for suffix in ("", "-wal", "-shm"):
            source = self.path.with_name(self.path.name + suffix)
            if source.exists():
                os.replace(source, aside.with_name(aside.name + suffix))
        return aside

    def clear(self) -> int:
        """Remove every entry (the file stays, so open readers are not disturbed); return how many."""
        if not self.path.exists():
            return 0
        with self._connect(create=True) as connection:
            with connection:
                removed = connection.execute("DELETE FROM translations").rowcount
            connection.execute("VACUUM")
        return removed

    def info(self) -> dict[str, Any]:
        """Path, whether it exists, size on disk in bytes, entry count and entries per model id."""
        info: dict[str, Any] = {"path": str(self.path), "exists": self.path.exists(), "bytes": 0, "entries": 0, "models": {}}
        if not info["exists"]:
            return info
        info["bytes"] = sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*") if p.is_file())
        with self._connect(create=False) as connection:
            rows = self._select(connection, "SELECT model, COUNT(*) FROM translations GROUP BY model ORDER BY model")
        info["models"] = dict(rows)
        info["entries"] = sum(info["models"].values())
        return info


def _is_corrupt(exc: sqlite3.DatabaseError) -> bool:
    """SQLite's words for a file that is no database or a damaged one (not a lock or a permission)."""
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text or "corrupt" in text


def cached_translate(
    cache: TranslationCache | None,
    identity: Sequence[Any],
    sentences: Sequence[str],
    translate: Callable[[list[str]], list[str]],
    *,
    on_known: Callable[[list[str], list[str]], None] | None = None,
) -> list[str]:
    """Translate ``sentences`` with ``translate``, asking ``cache`` first and filling it after.

    Only the distinct sentences the cache lacks reach ``translate`` (a sentence repeated in the call
    is translated once); the result has the input's length and order. With ``cache=None`` every
    distinct sentence goes to the model. A cache error warns and falls back to the model.
    ``on_known(sentences, values)``: told what the cache held, before anything is translated.
    """
    sentences = list(sentences)
    distinct = list(dict.fromkeys(sentences))
    known: dict[str, str] = {}
    if cache is not None:
        try:
            known = {s: t for s, t in zip(distinct, cache.get_many(identity, distinct)) if t is not None}
        except sqlite3.DatabaseError as exc:
            if _is_corrupt(exc):  # not a database, or a damaged one: out of the way, and a fresh one
                aside = cache.move_aside()
                warnings.warn(f"translation cache {cache.path} is damaged ({exc}); moved aside to {aside.name}, "
                              "starting a new one", stacklevel=2)
            else:
                warnings.warn(f"translation cache {cache.path} unreadable ({exc}); translating without it",
                              stacklevel=2)
                cache = None
    missing = [s for s in distinct if s not in known]
    if on_known is not None and known:
        on_known(list(known), list(known.values()))
    if missing:
        translated = translate(missing)
        if len(translated) != len(missing):
            raise RuntimeError(f"model returned {len(translated)} translations for {len(missing)} sentences")
        known.update(zip(missing, translated))
        if cache is not None:
            try:
                cache.put_many(identity, missing, translated)
            except sqlite3.DatabaseError as exc:
                if not _is_corrupt(exc):
                    warnings.warn(f"translation cache {cache.path} not writable ({exc}); results not cached",
                                  stacklevel=2)
                else:  # damaged under the reads (a truncated file fails on the pages it lost)
                    aside = cache.move_aside()
                    warnings.warn(f"translation cache {cache.path} is damaged ({exc}); moved aside to {aside.name}, "
                                  "starting a new one", stacklevel=2)
                    try:
                        cache.put_many(identity, missing, translated)
                    except (sqlite3.Error, OSError):
                        pass
            except (sqlite3.Error, OSError) as exc:
                warnings.warn(f"translation cache {cache.path} not writable ({exc}); results not cached", stacklevel=2)
    return [known[s] for s in sentences]
