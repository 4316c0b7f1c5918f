"""`hindi-brief watch`: follow RSS/Atom feeds and news sitemaps, translating every new article into
DIR as `run` writes it, with the day's digest after each round.

Argument parsing, the signal handling (Ctrl-C or SIGTERM ends the watch after the current article)
and what is printed; the work is :func:`translate.watch.watch`.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from ..errors import UsageError
from ..options import BRIEF_WORDS_RANGE, DEFAULT_STORY_WORDS
from .common import add_model_options, at_least, pipeline_options, quiet_libraries, within
from .run import _formats


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "watch",
        help="follow RSS/Atom feeds and news sitemaps: translate each new article, rewrite the day's digest",
        description="Read SOURCE (RSS or Atom feeds, sitemaps, sitemap indexes, Google News sitemaps, or files "
                    "listing their addresses, one per line), translate every article they list that DIR does not "
                    "hold yet into DIR/<name>.json and .md as `run` does (DIR/index.jsonl lists them all), then "
                    "rewrite DIR/digest-YYYY-MM-DD.json and .md for each day (UTC) that gained articles. Repeats "
                    "every --every until Ctrl-C or SIGTERM (the article being translated is finished first), or "
                    "once with --once. DIR/watch.sqlite3 remembers what was done: a killed watch resumes, and an "
                    "article republished with the same text is skipped. Fetching follows `run`'s rules for web "
                    "addresses, honours robots.txt, waits between requests to one host and asks for a feed only "
                    "if it changed. A bad source or article is one line; exit code 1 if any, 2 for usage or "
                    "set-up errors.",
    )
    parser.add_argument("sources", nargs="+", metavar="SOURCE",
                        help="feed or sitemap address (http:// or https://), or a file listing such addresses")
    parser.add_argument("-o", "--output", default="out", metavar="DIR", help="output folder (default: out/)")
    rounds = parser.add_argument_group("rounds")
    rounds.add_argument("--once", action="store_true", help="one round, then exit (default: a round every --every)")
    rounds.add_argument("--every", default="30m", type=_duration, metavar="TIME",
                        help="time from the start of one round to the next: 90s, 30m, 2h ... (default: 30m)")
    rounds.add_argument("--since", default="24h", type=_duration, metavar="TIME",
                        help="only articles the source dates within this long before each round: 6h, 24h, 2d ... "
                             "(undated ones are taken; default: 24h)")
    rounds.add_argument("--max-items", type=at_least(1), default=100, metavar="N",
                        help="new articles per round at most, the newest first; the rest wait for the next round "
                             "(default: 100)")
    rounds.add_argument("--delay", type=float, default=1.0, metavar="SECONDS",
                        help="seconds between two requests to one host, or the host's robots.txt Crawl-delay if "
                             "longer (up to 60; default: 1)")
    parser.add_argument("--format", default="json,md", metavar="LIST", type=_formats,
                        help="what to write per article, comma-separated from json, md, txt, docx (default: json,md; "
                             "the JSON is always written)")
    parser.add_argument("--bilingual", action="store_true",
                        help="the .docx also gets a two-column Hindi | English table, one row per sentence")
    parser.add_argument("--allow-private-urls", action="store_true",
                        help="let sources and articles be on private, loopback and link-local addresses (a server on "
                             "your own network); by default only public ones are fetched")
    parser.add_argument("--max-bytes", type=at_least(1), default=None, metavar="N",
                        help="refuse feeds, sitemaps and pages larger than N bytes (default: 5 MiB, or "
                             "$HINDI_BRIEF_MAX_BYTES)")
    parser.add_argument("--digest-words", type=within(*BRIEF_WORDS_RANGE), default=DEFAULT_STORY_WORDS, metavar="N",
                        help=f"length of each story's brief in the digests, in words, about (default: {DEFAULT_STORY_WORDS})")
    parser.add_argument("-q", "--quiet", action="store_true", help="no line per round, only errors")
    add_model_options(parser)
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from .. import watch as watching
    from ..article import max_bytes_limit

    try:  # what can be checked before loading models: a typo fails in milliseconds
        watching.expand_sources(args.sources)
        max_bytes_limit(args.max_bytes)
    except UsageError as exc:
        raise UsageError(str(exc)) from None
    if args.delay < 0:
        raise UsageError(f"--delay must be 0 or more, got {args.delay:g}")
    quiet_libraries()
    options = pipeline_options(args)
    from ..pipeline import Pipeline

    pipeline = Pipeline.from_options(options)
    for info in (pipeline.models["translator"], pipeline.models["summarizer"]):
        if info.get("license_note"):
            print(f"note: {info['license_note']}", file=sys.stderr)
    stop = threading.Event()
    previous = _on_signals(stop)
    try:
        report = watching.watch(
            args.sources, args.output, options, pipeline=pipeline, rounds=1 if args.once else None, every=args.every,
            since=args.since, max_items=args.max_items, formats=args.format, bilingual=args.bilingual,
            allow_private_urls=args.allow_private_urls, max_bytes=args.max_bytes, delay=args.delay,
            digest_words=args.digest_words, stop=stop, on_record=_print_record, on_source=_print_source,
            on_round=None if args.quiet else _print_round,
        )
    except UsageError as exc:
        raise UsageError(str(exc).replace("the output folder is a file", "-o must be a folder, and this is a file")
                         .replace("another watch is writing", "another watch is writing (-o)")) from None
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    return report.exit_code


def _on_signals(stop: threading.Event) -> dict:
    """SIGTERM and the first Ctrl-C set ``stop`` (the watch ends after the current article); a second
    Ctrl-C interrupts at once."""
    previous: dict = {}
    if threading.current_thread() is not threading.main_thread():
        return previous

    def handler(number, frame) -> None:
        if stop.is_set() and number == signal.SIGINT:
            raise KeyboardInterrupt
        stop.set()
        print("hindi-brief: stopping after the current article (Ctrl-C again to stop at once)", file=sys.stderr)

    for number in (signal.SIGINT, signal.SIGTERM):
        previous[number] = signal.signal(number, handler)
    return previous


def _print_record(record) -> None:
    if record.status != "ok":
        print(f"hindi-brief: error: {record.error}", file=sys.stderr)


def _print_source(result) -> None:
    if result.status == "error":
        print(f"hindi-brief: error: {result.error}", file=sys.stderr)


def _print_round(report) -> None:
    print(report.summary(), file=sys.stderr)


def _duration(value: str):
    from ..watch import parse_duration

    try:
        return parse_duration(value)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
