"""Following outlets: translate every new article that RSS/Atom feeds and news sitemaps list.

    import translate
    report = translate.watch(["https://www.example-news.in/rss.xml", "feeds.txt"], "out/")
    for done in report.rounds:
        print(done.summary())             # sources read, articles translated, requests, digests
    from translate.watch import read_feed, read_sitemap   # the readers alone, on bytes you fetched

Read top-down: :mod:`.watcher` (rounds until stopped) -> :mod:`.round` (one round: sources, new
items, each article through the pipeline, index and digests) -> :mod:`.sources` (polite, safe
fetching: robots.txt, a delay per host, conditional requests) -> :mod:`.feeds` (feeds and
sitemaps parsed safely) ; :mod:`.state` is the SQLite memory in the output folder.
"""

from __future__ import annotations

import sys
import types

from .feeds import Item, Sitemap, read_feed, read_sitemap, read_source
from .round import RoundReport, SourceResult, run_round
from .sources import Fetcher
from .state import STATE_NAME, State
from .watcher import WatchReport, expand_sources, parse_duration, watch

__all__ = ["Fetcher", "Item", "RoundReport", "STATE_NAME", "Sitemap", "SourceResult", "State", "WatchReport",
           "expand_sources", "parse_duration", "read_feed", "read_sitemap", "read_source", "run_round", "watch"]


class _CallablePackage(types.ModuleType):
    """``translate.watch(sources, out_dir)`` is ``translate.watch.watch(...)`` (the package and its
    main function share a name, as ``translate.digest`` does)."""

    def __call__(self, *args, **kwargs) -> WatchReport:
        return watch(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
