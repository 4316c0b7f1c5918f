"""What a watch costs per round: 10 feeds on 127.0.0.1 listing 500 articles in all (the seeds and
FLORES-200 devtest / newstest2014 Hindi text, in groups of sentences; 5% of them repeated under new
addresses), followed for 5 rounds by one ``translate.watch(..., rounds=5)`` in this process. The
feeds grow in rounds 1-3 and stay the same in rounds 4-5, so those two show what a quiet outlet
costs: one conditional request per feed (304) and nothing translated.

    .venv/bin/python bench/watch.py                       # 500 items, the stub engines (default)
    .venv/bin/python bench/watch.py --engine tiny --items 20 --no-tracemalloc
    .venv/bin/python bench/watch.py [--feeds 10] [--rounds 5] [--work-dir DIR] [--json FILE] [--no-tracemalloc]

``--engine stub`` (the default) injects tests/stubs.py's deterministic engines (``Pipeline(translator,
summarizer)``): 500 articles through the real pipeline, fetching, state and digests in about a
minute, the engine's own time left out. ``--engine tiny`` loads tests/tiny_models.py's random-weight
replicas (real model code, no real speed: their figures say nothing about the real models') and is
for a smaller ``--items`` on a small machine. Printed: per round the new items, seconds, articles
translated, republished ones skipped, the requests the server saw (feeds / 304 / robots.txt / pages)
against those the round reported, RSS after the round and the Python heap's peak during it
(tracemalloc); then whether each article went through the pipeline exactly once (counted per
page by a ``Pipeline`` subclass; the repeats must never reach it) and has exactly one JSON file and one index line.

Measured 2026-12-04 on the shared 2-core CPU:

``bench/watch.py`` (stub engines, 10 feeds, 500 items, tracemalloc on): 5 rounds in 137.8 s

    round | new | seconds | translated | republished | requests | feeds 200/304 | robots | pages | RSS MiB | heap peak / after MiB
    1 | 190 | 56.05 | 190 | 0 | 201 | 10/0 | 1 | 190 | 413.4 | 72.9 / 52.9
    2 | 167 | 35.92 | 142 | 25 | 177 | 10/0 | 0 | 167 | 441.9 | 88.5 / 56.3
    3 | 143 | 44.43 | 143 | 0 | 153 | 10/0 | 0 | 143 | 482.9 | 99.9 / 60.3
    4 | 0 | 0.67 | 0 | 0 | 10 | 0/10 | 0 | 0 | 482.9 | 60.9 / 60.3
    5 | 0 | 0.53 | 0 | 0 | 10 | 0/10 | 0 | 0 | 482.9 | 60.9 / 60.3
    each exactly once: yes (475 articles through the pipeline once each, 475 JSON files and index
    lines; the 25 repeats skipped as republished, none through the pipeline)

Memory is flat once nothing is new (rounds 4-5). While articles arrive the heap left after a round
grows about 4 MiB per ~150 articles, about what the round reports ``watch()`` returns hold (each
article's Record keeps its page bytes, JSON and Markdown; not traced further); the day's digest, rewritten from all of the day's
articles, makes each round's peak higher than the last.

``bench/watch.py --engine tiny --items 20 --no-tracemalloc`` (one torch thread): 5 rounds in 77.0 s
(91 s with building the models); --items 40, or tracemalloc on, did not finish in 4-7 minutes here.

    round | new | seconds | translated | republished | requests | feeds 200/304 | robots | pages | RSS MiB
    1 | 8 | 41.7 | 8 | 0 | 19 | 10/0 | 1 | 8 | 646.0
    2 | 6 | 17.25 | 5 | 1 | 16 | 5/5 | 0 | 6 | 647.4
    3 | 6 | 17.44 | 6 | 0 | 16 | 6/4 | 0 | 6 | 658.8
    4 | 0 | 0.37 | 0 | 0 | 10 | 0/10 | 0 | 0 | 658.8
    5 | 0 | 0.27 | 0 | 0 | 10 | 0/10 | 0 | 0 | 658.8
    each exactly once: yes (19 articles, 1 repeat skipped)
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import resource
import sys
import tempfile
import threading
import time
import tracemalloc
from collections import Counter
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

SEEDS = sorted((REPO / "seeds").glob("*.txt"))
TEXTS = [REPO.parent / "shared" / "data" / "hi-en" / name for name in ("flores200-devtest.hin_Deva", "newstest2014.hi")]
NOW = datetime(2026, 12, 4, 12, 0, tzinfo=timezone.utc)
REPEATED = 0.05


# -- the articles -------------------------------------------------------------------------------------


def _html(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (f'<!doctype html><html lang="hi"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"</head><body><article><h1>{html.escape(title)}</h1>{body}</article></body></html>").encode()


def articles(count: int) -> list[tuple[str, bytes]]:
    """``count`` distinct (title, page): the seeds first, then groups of other Hindi sentences, each
    titled ``खबर N: <its first words>``."""
    from translate.article import load_article

    found: list[tuple[str, bytes]] = []
    for n, seed in enumerate(SEEDS[:count]):
        article = load_article(seed)
        heading = article.title or " ".join(article.blocks[0].text.split()[:6])
        title = f"खबर {n}: {heading}"
        found.append((title, _html(title, [b.text for b in article.blocks])))
    sentences = [line.strip() for path in TEXTS if path.is_file()
                 for line in path.read_text(encoding="utf-8").splitlines() if len(line.split()) >= 4]
    wanted = count - len(found)
    if wanted > 0:
        if not sentences:
            raise SystemExit(f"no Hindi text beyond the seeds ({TEXTS[0].parent} is missing): use --items {len(found)}")
        size = max(2, min(8, len(sentences) // wanted))
        for k in range(wanted):
            group = [sentences[(k * size + i) % len(sentences)] for i in range(size)]
            title = f"खबर {len(found)}: {' '.join(group[0].split()[:6])}"
            found.append((title, _html(title, [" ".join(group[i:i + 2]) for i in range(0, size, 2)])))
    return found


def plan(items: int, feeds: int, rounds: int) -> tuple[list[tuple[str, str, int]], dict[str, bytes], dict[str, str]]:
    """Every item as (path, title, round it appears in), the pages by path and the titles by path.

    The articles appear over the first ``rounds - 2`` rounds (40%, then the rest evenly); each
    repetition (5% of the items: an earlier article under ``/again/``) one round after its original."""
    repeats = round(items * REPEATED)
    unique = items - repeats
    pages, titles, listed = {}, {}, []
    growing = max(1, rounds - 2)
    shares = [0.4] + [0.6 / (growing - 1)] * (growing - 1) if growing > 1 else [1.0]
    bounds, total = [], 0.0
    for share in shares:
        total += share
        bounds.append(round(unique * total))
    for n, (title, page) in enumerate(articles(unique)):
        path = f"/news/{n}.html"
        appears = next(r for r, bound in enumerate(bounds, 1) if n < bound)
        pages[path], titles[path] = page, title
        listed.append((path, title, appears))
    for k in range(repeats):  # originals from the first round, repeated in the later growing rounds
        n = (k * 7) % max(1, bounds[0])
        path = f"/again/{k}.html"
        pages[path], titles[path] = pages[f"/news/{n}.html"], titles[f"/news/{n}.html"]
        listed.append((path, titles[path], min(growing, 2)))
    return listed, pages, titles


def feed(base: str, number: int, items: list[tuple[str, str, int]]) -> bytes:
    entries = "".join(
        f"<item><title>{html.escape(title)}</title><link>{base}{path}</link>"
        f"<pubDate>{format_datetime(NOW - timedelta(minutes=k + 1), usegmt=True)}</pubDate></item>"
        for k, (path, title, _) in enumerate(items))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>समाचार {number}</title>'
            f"<link>{base}/</link>{entries}</channel></rss>").encode()


# -- the server ----------------------------------------------------------------------------------------


def serve(pages: dict[str, bytes], feeds: dict[str, bytes], seen: Counter) -> ThreadingHTTPServer:
    """Pages, and ``feeds`` (path -> bytes, changed by the caller between rounds) with an ETag each."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            status, kind, body, extra = 404, "text/html", b"", {}
            if self.path in feeds:
                body = feeds[self.path]
                tag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                extra = {"ETag": tag}
                status, kind = 200, "application/rss+xml; charset=utf-8"
                if self.headers.get("If-None-Match") == tag:
                    status, body = 304, b""
                seen["304" if status == 304 else "feed"] += 1
            elif self.path in pages:
                status, kind, body = 200, "text/html; charset=utf-8", pages[self.path]
                seen["page"] += 1
            else:
                seen["robots" if self.path == "/robots.txt" else "other"] += 1
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for name, value in extra.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


# -- the engines -----------------------------------------------------------------------------------------


def counting_pipeline(engine: str, work: Path, counts: Counter):
    """A :class:`translate.pipeline.Pipeline` that counts the articles it prepares, by their page's path."""
    from translate.article import Article
    from translate.options import PipelineOptions
    from translate.pipeline import Pipeline

    class Counting(Pipeline):
        def preprocess(self, item):
            prepared = super().preprocess(item)
            counts[urlsplit(item.metadata.get("url", "")).path if isinstance(item, Article) else "?"] += 1
            return prepared

    if engine == "stub":
        from stubs import HonestSummarizer, HonestTranslator

        return Counting(HonestTranslator(), HonestSummarizer())
    from tiny_models import build_tiny_models

    models = build_tiny_models(work / "models")
    return Counting.from_options(PipelineOptions(translator=str(models["translator"]),
                                                 summarizer=str(models["summarizer"]), beams=1, cache=False))


def rss_mib() -> float:
    try:
        import psutil

        return psutil.Process().memory_info().rss / 2**20
    except ImportError:  # the high-water mark instead (KiB on Linux)
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- the bench ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("stub", "tiny"), default="stub",
                        help="stub: tests/stubs.py's engines (default); tiny: the random-weight replica models")
    parser.add_argument("--items", type=int, default=500, help="items the feeds list in all (default: 500)")
    parser.add_argument("--feeds", type=int, default=10, help="feeds (default: 10)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds (default: 5; the last two find nothing new)")
    parser.add_argument("--no-tracemalloc", action="store_true", help="RSS only (tracemalloc slows Python down)")
    parser.add_argument("--work-dir", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.engine == "tiny":  # one thread: two busy ones on a shared 2-core machine made it many times slower
        os.environ.setdefault("OMP_NUM_THREADS", "1")
    import translate
    from translate.article import load_article

    work = args.work_dir or Path(tempfile.mkdtemp(prefix="bench-watch-"))
    work.mkdir(parents=True, exist_ok=True)
    out = work / "out"
    listed, pages, titles = plan(args.items, args.feeds, args.rounds)
    counts: Counter = Counter()
    pipeline = counting_pipeline(args.engine, work, counts)
    feeds: dict[str, bytes] = {}
    seen: Counter = Counter()
    httpd = serve(pages, feeds, seen)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    paths = [f"/feed-{f}.xml" for f in range(args.feeds)]

    def publish(number: int) -> int:
        """The feeds as they stand in round ``number``; how many items are new in it."""
        for f, path in enumerate(paths):
            mine = [item for k, item in enumerate(listed) if k % args.feeds == f and item[2] <= number]
            feeds[path] = feed(base, f, list(reversed(mine)))  # newest first, as outlets list them
        return sum(item[2] == number for item in listed)

    rows: list[dict] = []
    new = publish(1)

    def on_round(done) -> None:
        nonlocal new
        current, peak = tracemalloc.get_traced_memory() if tracemalloc.is_tracing() else (0, 0)
        rows.append({"round": done.number, "new items": new, "seconds": round(done.seconds, 2),
                     "translated": done.translated, "failed": done.failed, "republished": len(done.duplicates),
                     "requests": done.requests, "server": dict(seen), "rss_mib": round(rss_mib(), 1),
                     "heap_peak_mib": round(peak / 2**20, 1), "heap_after_mib": round(current / 2**20, 1)})
        seen.clear()
        if tracemalloc.is_tracing():
            tracemalloc.reset_peak()
        new = publish(done.number + 1)

    # A one-article watch into another folder first: what loads once (imports, the segmenter) is not round 1's.
    pages["/warm-up.html"] = _html("तैयारी", [b.text for b in load_article(SEEDS[0]).blocks])
    feeds["/warm-up.xml"] = feed(base, 0, [("/warm-up.html", "तैयारी", 1)])
    translate.watch([base + "/warm-up.xml"], work / "warm-up", pipeline=pipeline, delay=0,
                    allow_private_urls=["127.0.0.1"], now=lambda: NOW)
    counts.clear()
    seen.clear()
    if not args.no_tracemalloc:
        tracemalloc.start()
    started = time.perf_counter()
    report = translate.watch([base + p for p in paths], out, pipeline=pipeline, rounds=args.rounds, every=0.001,
                             max_items=max(1, args.items), since="24h", delay=0, allow_private_urls=["127.0.0.1"],
                             now=lambda: NOW, on_round=on_round)
    total = time.perf_counter() - started
    tracemalloc.stop()
    httpd.shutdown()

    unique = {path for path, _, _ in listed if path.startswith("/news/")}
    again = [path for path, _, _ in listed if path.startswith("/again/")]
    written = [p for p in out.glob("*.json") if not p.name.startswith("digest-")]
    index = [json.loads(line) for line in (out / "index.jsonl").read_text(encoding="utf-8").splitlines()]
    once = {
        "articles": len(unique), "repeated under new addresses": len(again),
        "through the pipeline once": sum(counts[p] == 1 for p in unique),
        "through it more than once": sum(counts[p] > 1 for p in unique),
        "never": sum(counts[p] == 0 for p in unique), "repeats through it": sum(counts[p] for p in again),
        "other": sum(counts.values()) - sum(counts[p] for p in unique) - sum(counts[p] for p in again),
        "json files": len(written),
        "index lines": len(index), "distinct index inputs": len({row["input"] for row in index}),
        "republished skipped": sum(len(r.duplicates) for r in report.rounds),
    }
    exactly_once = (once["through the pipeline once"] == once["articles"] == once["json files"] == once["index lines"]
                    == once["distinct index inputs"] and once["republished skipped"] == once["repeated under new addresses"]
                    and once["repeats through it"] == once["other"] == 0)
    print(f"engine: {args.engine}; {args.feeds} feeds, {len(listed)} items; {args.rounds} rounds in {total:.1f} s")
    head = ("round", "new", "seconds", "translated", "republished", "requests", "feeds 200/304", "robots", "pages",
            "RSS MiB", "heap peak / after MiB")
    print(" | ".join(head))
    for row in rows:
        s = row["server"]
        print(" | ".join(str(v) for v in (row["round"], row["new items"], row["seconds"], row["translated"],
                                          row["republished"], row["requests"], f"{s.get('feed', 0)}/{s.get('304', 0)}",
                                          s.get("robots", 0), s.get("page", 0), row["rss_mib"],
                                          f"{row['heap_peak_mib']} / {row['heap_after_mib']}"
                                          if not args.no_tracemalloc else "-")))
    print("each exactly once:", "yes" if exactly_once else "NO", json.dumps(once, ensure_ascii=False))
    result = {"engine": args.engine, "feeds": args.feeds, "items": len(listed), "seconds": round(total, 1),
              "rounds": rows, "exactly_once": exactly_once, "counts": once}
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    quiet = rows[-1]
    ok = (exactly_once and report.exit_code == 0 and quiet["translated"] == 0
          and quiet["server"] == {"304": args.feeds} and quiet["requests"] == args.feeds)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
