"""``watch()``: rounds of :func:`translate.watch.round.run_round` over the same sources and output
folder, once or every so often until stopped."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Sequence

from ..article import web_address
from ..batch import parse_formats, remove_stale_temporaries
from ..errors import EXIT_OK, UsageError
from ..options import DEFAULT_STORY_WORDS, PipelineOptions, check_brief_words
from .round import RoundReport, Settings, SourceResult, run_round
from .sources import DEFAULT_DELAY, Fetcher
from .state import State

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_duration(value: str | float | int | timedelta) -> timedelta:
    """``"30m"``, ``"24h"``, ``"2d"``, ``"90s"``, ``"1h30m"`` or a number of seconds as a timedelta."""
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, (int, float)):
        seconds = float(value)
    else:
        text = str(value).strip().lower()
        parts = re.findall(r"(\d+(?:\.\d+)?)\s*([smhdw]?)", text)
        if not text or not re.fullmatch(r"(?:\d+(?:\.\d+)?\s*[smhdw]?\s*)+", text):
            raise UsageError(f"not a duration: {value!r} (for example 30m, 24h, 2d)")
        seconds = sum(float(number) * _UNITS[unit or "s"] for number, unit in parts)
    if seconds <= 0:
        raise UsageError(f"a duration must be more than 0, got {value!r}")
    return timedelta(seconds=seconds)


def expand_sources(sources: Sequence[str | Path]) -> list[str]:
    """Every source as a web address: a link (``https://...`` or ``www.outlet.in/rss.xml``) as is, a
    file as the addresses it lists (one per line; blank lines and ``#`` comments skipped), in order,
    without repeats. A file line or an argument that is neither is a UsageError naming it."""
    found: list[str] = []
    for raw in sources:
        text = str(raw).strip()
        path = Path(text)
        if text and path.is_file():
            try:
                lines = path.read_text(encoding="utf-8-sig").splitlines()
            except (OSError, UnicodeError) as exc:
                raise UsageError(f"{text}: cannot read the list of sources: {getattr(exc, 'strerror', None) or exc}") from None
            for number, line in enumerate(lines, 1):
                line = line.split("#", 1)[0].strip() if line.lstrip().startswith("#") else line.strip()
                if not line:
                    continue
                address = web_address(line)
                if address is None:
                    raise UsageError(f"{text}:{number}: not a web address: {line[:200]!r}")
                found.append(address)
            continue
        if path.is_dir():
            raise UsageError(f"{text}: a folder, not a feed, a sitemap or a file listing them")
        address = web_address(text)
        if address is None:
            raise UsageError(f"{text}: neither a web address nor a file listing feeds and sitemaps")
        found.append(address)
    if not found:
        raise UsageError("no sources to watch")
    return list(dict.fromkeys(found))


@dataclass
class WatchReport:
    """What a watch did: one :class:`RoundReport` per round, in order."""

    rounds: list[RoundReport] = field(default_factory=list)
    out_dir: Path | None = None

    @property
    def exit_code(self) -> int:
        return max((r.exit_code for r in self.rounds), default=EXIT_OK)


def watch(
    sources: Sequence[str | Path],
    out_dir: str | Path,
    options: PipelineOptions | None = None,
    *,
    pipeline: Any = None,
    rounds: int | None = 1,
    every: str | float | timedelta = "30m",
    since: str | float | timedelta = "24h",
    max_items: int = 100,
    formats: str | Sequence[str] = ("json", "md"),
    bilingual: bool = False,
    allow_private_urls: bool | Sequence[str] = False,
    max_bytes: int | None = None,
    delay: float = DEFAULT_DELAY,
    timeout: float = 20.0,
    digest_words: int = DEFAULT_STORY_WORDS,
    stop: threading.Event | None = None,
    now: Callable[[], datetime] | None = None,
    on_record: Callable[[Any], None] | None = None,
    on_source: Callable[[SourceResult], None] | None = None,
    on_round: Callable[[RoundReport], None] | None = None,
) -> WatchReport:
    """Follow feeds and sitemaps: translate every new article they list into ``out_dir``.

    ``sources``: RSS, Atom or RDF feeds, sitemaps (a ``urlset``, a sitemap index, Google News
    sitemaps), as web addresses or files listing them. Each new article is fetched, translated
    and written as :func:`translate.batch.run_batch` writes it (``<name>.json``, the other
    ``formats``, ``index.jsonl``), never twice: ``out_dir/watch.sqlite3`` remembers the links done,
    the hashes of their texts and the sources' validators, so a killed watch resumes and a
    republished article is skipped. After each round ``digest-YYYY-MM-DD.json`` and ``.md`` are
    rewritten for each day (UTC) that gained articles.

    ``rounds``: how many rounds (None: until ``stop`` is set), ``every`` apart (from the start of
    one to the start of the next: ``"30m"``, seconds, or a timedelta). ``since``: only items dated
    within this window (undated ones are taken). ``max_items``: new articles per round at most
    (the newest; the rest wait for the next round). ``allow_private_urls``: as
    :func:`~translate.batch.run_batch`'s. ``delay``: seconds between two requests to one host (or
    its robots.txt ``Crawl-delay``). ``stop``: set it (from a signal handler, another thread) and the
    watch ends after the current article, with the index and digests written. ``now``: the clock
    (UTC), for tests. ``on_record``/``on_source``/``on_round``: called with each article's record,
    each source's result and each round's report as they happen.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir}: the output folder is a file")
    addresses = expand_sources(sources)
    if max_items < 1:
        raise UsageError(f"articles per round must be at least 1, got {max_items}")
    if rounds is not None and rounds < 1:
        raise UsageError(f"rounds must be at least 1, got {rounds}")
    settings = Settings(since=parse_duration(since), max_items=max_items, formats=parse_formats(formats),
                        bilingual=bilingual, max_bytes=max_bytes, digest_words=check_brief_words(digest_words))
    interval = parse_duration(every).total_seconds()
    if options is None:
        options = PipelineOptions(brief_words=pipeline.brief_words) if pipeline is not None else PipelineOptions()
    if pipeline is None:
        from ..pipeline import Pipeline

        pipeline = Pipeline.from_options(options)
    fingerprint = options.fingerprint(pipeline.models)
    fetcher = Fetcher(allow_private=allow_private_urls, max_bytes=max_bytes, timeout=timeout, delay=delay)
    clock = now or (lambda: datetime.now(timezone.utc))
    stop = stop or threading.Event()
    report = WatchReport(out_dir=out_dir)
    remove_stale_temporaries(out_dir)
    with State(out_dir) as state:
        number = 0
        while rounds is None or number < rounds:
            number += 1
            began = time.monotonic()
            done = run_round(number, addresses, out_dir, pipeline=pipeline, fingerprint=fingerprint,
                             brief_words=options.brief_words, state=state, fetcher=fetcher, settings=settings,
                             now=clock(), stop=stop, on_record=on_record, on_source=on_source)
            report.rounds.append(done)
            if on_round is not None:
                on_round(done)
            if stop.is_set() or (rounds is not None and number >= rounds):
                break
            if stop.wait(max(0.0, interval - (time.monotonic() - began))):
                break
    return report
