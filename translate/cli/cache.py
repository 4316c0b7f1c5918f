"""`hindi-brief cache info|clear`: look at or empty the on-disk translation cache."""

from __future__ import annotations

import argparse
import json
import sqlite3
from contextlib import contextmanager
from typing import Iterator

from ..engines.cache import CACHE_ENV, TranslationCache
from ..errors import EXIT_OK, UsageError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "cache",
        help="show or clear the translation cache",
        description="The translation cache keeps every translated sentence, keyed by model, revision, backend, options "
                    f"and the sentence, so reruns and repeated paragraphs cost no model work. It lives in the model store "
                    f"(<store>/cache/translations.sqlite3); ${CACHE_ENV} moves it. `hindi-brief run --no-cache` bypasses it.",
    )
    actions = parser.add_subparsers(dest="cache_command", metavar="ACTION")
    actions.required = True
    info = actions.add_parser("info", help="where the cache is, its size and entries per model",
                              description="Print the cache's path, size on disk and number of entries per model.")
    info.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    info.set_defaults(func=info_main)
    clear = actions.add_parser("clear", help="remove every cached translation",
                               description="Remove every cached translation; the next run translates everything again.")
    clear.set_defaults(func=clear_main)


@contextmanager
def _reported(cache: TranslationCache) -> Iterator[None]:
    """A broken or unwritable cache file becomes a one-line error naming the file."""
    try:
        yield
    except (sqlite3.Error, OSError) as exc:
        raise UsageError(f"{cache.path}: cannot use the translation cache ({exc}); delete the file or set ${CACHE_ENV}") from exc


def info_main(args: argparse.Namespace) -> int:
    cache = TranslationCache()
    with _reported(cache):
        info = cache.info()
    if args.json:
        print(json.dumps(info, ensure_ascii=False))
        return EXIT_OK
    print(f"path:    {info['path']}{'' if info['exists'] else ' (not created yet)'}")
    print(f"size:    {info['bytes'] / 1e6:.1f} MB")
    print(f"entries: {info['entries']}")
    for model, count in info["models"].items():
        print(f"  {model}: {count}")
    return EXIT_OK


def clear_main(args: argparse.Namespace) -> int:
    cache = TranslationCache()
    with _reported(cache):
        removed = cache.clear()
    print(f"removed {removed} cached translations from {cache.path}")
    return EXIT_OK
