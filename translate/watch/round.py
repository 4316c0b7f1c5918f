"""One round of a watch: read every source, pick the new articles, translate each through the
pipeline into the output folder exactly as ``hindi-brief run`` writes it, then rewrite
``index.jsonl`` and the digests of the days that gained articles.

A round, in order:

1. every source is fetched (conditionally: an unchanged feed answers 304 and is not read again),
   a sitemap index's sitemaps too (those changed within the window, at most
   :data:`MAX_SITEMAPS`); a bad source is one line in the report and the others go on;
2. the items are pooled (first listing wins), those older than the window dropped, those already
   done dropped, the newest ``max_items`` kept (undated ones last, in their sources' order);
3. each article is fetched, compared by the hash of its cleaned text with those already translated
   (a republished article is skipped), translated and written, and recorded in the state file at
   once, so a watch killed mid-round resumes with the next article;
4. a source's validators are stored only once all of its items are done, so an article left out by
   a kill, ``max_items`` or a failed fetch is found again in the next round;
5. ``index.jsonl`` (every article the folder holds, in the order done) and ``digest-YYYY-MM-DD.json``
   / ``.md`` of each day that gained articles (UTC days of the items' dates) are rewritten.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Sequence

from ..batch import Record, Task, atomic_write, process, unique_stem, write_results
from ..batch.plan import INDEX_NAME, url_stem
from ..errors import EXIT_OK, EXIT_SOME_FAILED, HindiBriefError, InputError
from .feeds import Item, Sitemap, read_sitemap, read_source
from .sources import Fetcher
from .state import State

#: Sitemaps read from one sitemap index per round at most (the most recently changed first).
MAX_SITEMAPS = 50


@dataclass
class SourceResult:
    """What one source gave this round: ``status`` "ok", "not-modified" or "error" (``error`` says
    why, on one line), and how many items it listed."""

    address: str
    status: str
    items: int = 0
    error: str | None = None


@dataclass
class RoundReport:
    """What one round did."""

    number: int
    started: datetime
    sources: list[SourceResult] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)  # the articles translated or failed, in order (written: no page, JSON or Markdown kept)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (link, the link with the same text)
    items: list[Item] = field(default_factory=list)  # the new items this round worked on
    too_old: int = 0
    left_for_later: int = 0  # new items past max_items
    stopped: bool = False  # asked to stop before the round's last article
    requests: int = 0
    digests: list[Path] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def translated(self) -> int:
        return sum(r.status == "ok" for r in self.records)

    @property
    def failed(self) -> int:
        return sum(r.status != "ok" for r in self.records)

    @property
    def bad_sources(self) -> list[SourceResult]:
        return [s for s in self.sources if s.status == "error"]

    @property
    def exit_code(self) -> int:
        return EXIT_SOME_FAILED if self.failed or self.bad_sources else EXIT_OK

    def summary(self) -> str:
        unchanged = sum(s.status == "not-modified" for s in self.sources)
        parts = [f"round {self.number}: {len(self.sources)} sources ({unchanged} unchanged, {len(self.bad_sources)} failed)",
                 f"{self.translated} new articles translated, {self.failed} failed, {len(self.duplicates)} republished skipped"]
        if self.left_for_later:
            parts.append(f"{self.left_for_later} left for the next round")
        if self.stopped:
            parts.append("stopped early")
        digests = ", ".join(p.name for p in self.digests if p.suffix == ".md")
        parts.append(f"{self.requests} requests; {self.seconds:.1f} s" + (f"; {digests}" if digests else ""))
        return "; ".join(parts)


@dataclass
class Settings:
    """How a watch works (see :func:`translate.watch.watch` for each)."""

    since: timedelta = timedelta(hours=24)
    max_items: int = 100
    formats: tuple[str, ...] = ("json", "md")
    bilingual: bool = False
    max_bytes: int | None = None
    digest_words: int = 100


def run_round(number: int, sources: Sequence[str], out_dir: Path, *, pipeline: Any, fingerprint: str, brief_words: int,
              state: State, fetcher: Fetcher, settings: Settings, now: datetime, stop: threading.Event | None = None,
              on_record: Callable[[Record], None] | None = None,
              on_source: Callable[[SourceResult], None] | None = None) -> RoundReport:
    started, requests = time.perf_counter(), fetcher.requests
    report = RoundReport(number, now)
    cutoff = now - settings.since
    listed: dict[str, list[str]] = {}  # source address -> its items' links
    validators: dict[str, tuple[str | None, str | None]] = {}
    pool: dict[str, Item] = {}
    for address in sources:
        for result, items, found_validators in _read(address, fetcher, state, settings, cutoff):
            report.sources.append(result)
            if on_source is not None:
                on_source(result)
            if found_validators is not None:
                validators[result.address] = found_validators
                listed[result.address] = [item.link for item in items if _recent(item, cutoff)]
            for item in items:
                if not _recent(item, cutoff):
                    report.too_old += 1
                elif item.link not in pool and not state.done(item.link):
                    pool[item.link] = item
    order = list(pool.values())
    order.sort(key=lambda item: -item.published.timestamp() if item.published else float("inf"))
    report.left_for_later = max(0, len(order) - settings.max_items)
    report.items = order[:settings.max_items]
    used = state.stems()
    for item in report.items:
        if stop is not None and stop.is_set():
            report.stopped = True
            break
        record = _article(item, out_dir, pipeline=pipeline, fingerprint=fingerprint, brief_words=brief_words,
                          state=state, fetcher=fetcher, settings=settings, used=used, now=now, report=report)
        if record is not None:
            if on_record is not None:
                on_record(record)
            # Written by now: the report keeps what happened, not the page and the outputs (a watch
            # that polls for days would otherwise hold every article it ever translated).
            report.records.append(replace(record, json_text=None, markdown=None, task=replace(record.task, data=None)))
    for address, links in listed.items():
        if all(state.done(link) for link in links):
            state.set_validators(address, *validators[address])
    write_watch_index(out_dir, state)
    report.digests = write_day_digests(out_dir, state, words=settings.digest_words)
    report.requests = fetcher.requests - requests
    report.seconds = time.perf_counter() - started
    return report


def _recent(item: Item, cutoff: datetime) -> bool:
    return item.published is None or item.published >= cutoff


def _read(address: str, fetcher: Fetcher, state: State, settings: Settings, cutoff: datetime):
    """``(SourceResult, items, validators or None)`` for the source and, for a sitemap index, each of
    its sitemaps read this round."""
    failed, answer, found = _fetch(address, read_source, fetcher, state, settings)
    if failed:
        yield failed, [], None
        return
    fresh = _validators(answer)
    if not isinstance(found, Sitemap):
        yield SourceResult(address, "ok", len(found)), found, fresh
        return
    # A sitemap index is always read again (no validators kept): an unchanged index must still lead to
    # its sitemaps, whose articles max_items, a kill or a failed fetch left for a later round.
    yield (SourceResult(address, "ok", len(found.items) + len(found.sitemaps)), found.items,
           None if found.sitemaps and not found.items else fresh)
    children = [(link, when) for link, when in found.sitemaps if when is None or when >= cutoff]
    children.sort(key=lambda pair: -pair[1].timestamp() if pair[1] else float("inf"))
    for link, _ in children[:MAX_SITEMAPS]:
        failed, answer, child = _fetch(link, read_sitemap, fetcher, state, settings)
        if failed:
            yield failed, [], None
            continue
        # A sitemap index inside an index is not followed: one level is what news sites use.
        yield SourceResult(link, "ok", len(child.items)), child.items, _validators(answer)


def _fetch(address: str, parse, fetcher: Fetcher, state: State, settings: Settings):
    """``(None, answer, parse(answer))`` for a source that changed since its validators, else
    ``(SourceResult, None, None)``: not modified, or the one line saying why it could not be read."""
    etag, modified = state.validators(address)
    try:
        answer = fetcher.source(address, etag=etag, last_modified=modified)
        if answer.not_modified:
            return SourceResult(address, "not-modified"), None, None
        return None, answer, parse(answer.data, address, max_bytes=settings.max_bytes)
    except InputError as exc:
        return SourceResult(address, "error", error=str(exc)), None, None


def _validators(answer) -> tuple[str | None, str | None]:
    return answer.headers.get("etag"), answer.headers.get("last-modified")


def _article(item: Item, out_dir: Path, *, pipeline: Any, fingerprint: str, brief_words: int, state: State,
             fetcher: Fetcher, settings: Settings, used: set[str], now: datetime, report: RoundReport) -> Record | None:
    """Fetch, compare, translate and write one article; its record (None for a republished one)."""
    from ..article.url import page_article

    day = (item.published or now).astimezone(timezone.utc).date().isoformat()
    try:
        page = fetcher.page(item.link)
    except InputError as exc:
        state.record(item.link, "unfetched", item=item, error=str(exc), day=day)
        return Record(Task(input=item.link, stem=""), "error", str(exc))
    text_hash = None
    try:
        article = page_article(page, max_bytes=settings.max_bytes)
        text_hash = hashlib.sha256(f"{article.title}\n{article.text}".encode("utf-8", "surrogatepass")).hexdigest()
    except HindiBriefError:
        pass  # process() reports it as the article's error
    same = state.same_text(text_hash) if text_hash else None
    if same is not None and same != item.link:
        state.record(item.link, "duplicate", item=item, text_hash=text_hash, error=f"the same text as {same}", day=day)
        report.duplicates.append((item.link, same))
        return None
    previous = state.seen(item.link)
    stem = previous.stem if previous and previous.stem else unique_stem(_stem(item.link), used)
    task = Task(input=item.link, stem=stem, sha256=hashlib.sha256(page.data).hexdigest(), data=page.data,
                fetched_url=page.final_url, formats=settings.formats, bilingual=settings.bilingual)
    records = process(pipeline, [task], fingerprint=fingerprint, brief_words=brief_words, max_bytes=settings.max_bytes)
    (record,) = write_results([task], out_dir, records)
    state.record(item.link, record.status, item=item, stem=stem, sha256=task.sha256, text_hash=text_hash,
                 error=record.error, outputs=task.outputs if record.status == "ok" else None, day=day)
    return record


def _stem(link: str) -> str:
    from ..batch import safe_stem

    return safe_stem(url_stem(link))


def write_watch_index(out_dir: Path, state: State) -> Path:
    """``index.jsonl`` as ``hindi-brief run`` writes it, one line per article the watch has done."""
    lines = []
    for seen in state.indexed():
        ok = seen.status == "ok"
        lines.append(json.dumps({"input": seen.link, "outputs": seen.outputs if ok else {}, "status": "ok" if ok else "error",
                                 "error": seen.error, "sha256": seen.sha256 or ""}, ensure_ascii=False) + "\n")
    path = out_dir / INDEX_NAME
    atomic_write(path, "".join(lines))
    return path


def digest_names(day: str) -> tuple[str, str]:
    return f"digest-{day}.json", f"digest-{day}.md"


def write_day_digests(out_dir: Path, state: State, *, words: int) -> list[Path]:
    """The digest of every day that gained articles since its digest was last written."""
    from ..digest import digest

    written = []
    for day in state.stale_days():
        rows = state.articles_of(day)
        results = [json.loads((out_dir / row.outputs["json"]).read_text(encoding="utf-8")) for row in rows]
        found = digest(results, [row.link for row in rows], words=words)
        names = digest_names(day)
        atomic_write(out_dir / names[0], found.to_json())
        atomic_write(out_dir / names[1], found.to_markdown())
        state.digest_written(day)
        written += [out_dir / name for name in names]
    return written
