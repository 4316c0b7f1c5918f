"""Fetching for a watch: the safety rules of :func:`translate.article.url.fetch` (http and https
only, public addresses unless allowed, redirects checked again, time and size limits), plus
politeness towards the outlets watched:

- ``robots.txt`` is read once per host (kept for a day, parsed by ``protego``) and a link it
  disallows for this tool is not requested: a ``robots.txt`` that is missing or answers a 4xx
  allows everything, one that cannot be fetched (a 5xx, a network error) allows nothing this round,
  as RFC 9309 says;
- one request at a time, and at least ``delay`` seconds between two requests to one host (or the
  host's ``Crawl-delay``, up to a minute);
- conditional requests: a feed's ``ETag`` and ``Last-Modified`` are sent back (``If-None-Match``,
  ``If-Modified-Since``), so an unchanged feed answers ``304 Not Modified`` and costs no parsing.

Every refusal is an :class:`~translate.errors.InputError` naming the link, on one line.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Iterable
from urllib.parse import urlsplit, urlunsplit

from ..article.url import Fetched, fetch
from ..errors import InputError

#: The name ``robots.txt`` rules are matched against.
ROBOTS_AGENT = "hindi-brief"
#: How long a host's ``robots.txt`` is trusted before it is read again.
ROBOTS_LIFETIME = 24 * 3600.0
MAX_CRAWL_DELAY = 60.0
DEFAULT_DELAY = 1.0
#: What a feed or sitemap may be served as (some outlets send feeds as text/html or text/plain).
SOURCE_KINDS = ("xml", "html", "text", "gzip")
_SOURCE_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"


@dataclass
class _Robots:
    parser: object | None  # a protego.Protego, or None for "everything allowed"
    fetched_at: float
    blocked: str | None = None  # why nothing is allowed (robots.txt unreachable)


@dataclass
class Fetcher:
    """Fetches links politely and safely, one at a time; counts the requests it sends (``requests``:
    each HTTP request that left, a redirect's hops included; none for a link refused before sending).

    ``allow_private``, ``max_bytes``, ``timeout``: as :func:`translate.article.url.fetch`'s.
    ``clock`` and ``sleep`` are injectable (tests)."""

    allow_private: bool | Iterable[str] = False
    max_bytes: int | None = None
    timeout: float = 20.0
    delay: float = DEFAULT_DELAY
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    requests: int = 0
    _robots: dict[str, _Robots] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)

    def page(self, url: str) -> Fetched:
        """An article's web page."""
        return self._get(url, kinds=("html",))

    def source(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """A feed or a sitemap, conditionally when validators are known (``status`` 304: unchanged)."""
        headers = {"Accept": _SOURCE_ACCEPT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            return self._get(url, kinds=SOURCE_KINDS, headers=headers)
        except InputError as exc:
            raise InputError(url, exc.reason.replace("not a web page:", "not a feed or sitemap:")) from None

    # -- politeness --------------------------------------------------------------------------------

    def _get(self, url: str, *, kinds: tuple[str, ...], headers: dict[str, str] | None = None) -> Fetched:
        host = _origin(url)
        if host is not None:  # an address fetch() will refuse anyway is not asked for its robots.txt
            problem = self._robots_problem(url, host)
            if problem:
                raise InputError(url, problem)
        self._wait(host)
        try:
            return fetch(url, allow_private=self.allow_private, max_bytes=self.max_bytes, timeout=self.timeout,
                         kinds=kinds, headers=headers, check_redirect=self._redirect_problem, on_request=self._count)
        finally:
            self._sent(host)

    def _wait(self, host: str | None) -> None:
        if host is None or host not in self._last:
            return
        robots = self._robots.get(host)
        delay = self.delay
        crawl_delay = getattr(robots.parser, "crawl_delay", None) if robots and robots.parser else None
        if crawl_delay is not None:
            try:
                delay = max(delay, min(float(crawl_delay(ROBOTS_AGENT) or 0), MAX_CRAWL_DELAY))
            except (TypeError, ValueError):
                pass
        wait = self._last[host] + delay - self.clock()
        if wait > 0:
            self.sleep(wait)

    def _count(self, url: str) -> None:
        self.requests += 1

    def _sent(self, host: str | None) -> None:
        if host is not None:
            self._last[host] = self.clock()

    def _redirect_problem(self, target: str) -> str | None:
        """Why a redirect to ``target`` is not followed: its site's robots.txt (fetch() checks the rest)."""
        host = _origin(target)
        return self._robots_problem(target, host) if host is not None else None

    def _robots_problem(self, url: str, host: str) -> str | None:
        robots = self._robots.get(host)
        if robots is None or self.clock() - robots.fetched_at > ROBOTS_LIFETIME:
            robots = self._read_robots(host)
            if robots is None:
                return None  # the host itself is refused: fetch() says why
            self._robots[host] = robots
        if robots.blocked:
            return robots.blocked
        if robots.parser is not None and not robots.parser.can_fetch(url, ROBOTS_AGENT):
            return "blocked by the site's robots.txt"
        return None

    def _read_robots(self, host: str) -> _Robots | None:
        from protego import Protego

        address = f"{host}/robots.txt"
        self._wait(host)
        try:
            answer = fetch(address, allow_private=self.allow_private, max_bytes=min(self.max_bytes or 2**19, 2**19),
                           timeout=self.timeout, kinds=("text", "html"), headers={"Accept": "text/plain"},
                           on_request=self._count)
        except InputError as exc:
            if "refused:" in exc.reason or "only http and https" in exc.reason or "not a valid" in exc.reason:
                if not exc.reason.startswith("redirected to"):
                    return None
            if " HTTP 4" in exc.reason or "not a web page" in exc.reason:
                return _Robots(None, self.clock())  # no robots.txt (or not a text file): everything allowed
            return _Robots(None, self.clock(), blocked=f"its site's robots.txt cannot be read ({exc.reason}), so "
                                                      "nothing there is fetched for now")
        finally:
            self._sent(host)
        text = answer.data.decode(answer.charset or "utf-8", "replace")
        try:
            return _Robots(Protego.parse(text), self.clock())
        except Exception:  # noqa: BLE001 - an unparsable robots.txt says nothing: everything allowed
            return _Robots(None, self.clock())


def _origin(url: str) -> str | None:
    """``scheme://host[:port]`` of an http(s) link, or None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return urlunsplit((parts.scheme.lower(), parts.netloc.rsplit("@", 1)[-1].lower(), "", "", ""))
