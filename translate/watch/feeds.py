"""Reading what a feed or a news sitemap lists: the items' links, titles, dates and outlet.

    from translate.watch import read_feed, read_sitemap
    items = read_feed(rss_bytes, "https://www.example-news.in/rss.xml")
    found = read_sitemap(sitemap_bytes, "https://www.example-news.in/sitemap.xml")
    found.items, found.sitemaps          # a sitemap index lists sitemaps rather than items

Both take bytes fetched elsewhere (feedparser never fetches anything here). Every document is first
parsed by ``defusedxml``, which refuses entity declarations (no "billion laughs", no external
entities) and says where XML is malformed; RSS, Atom and RDF feeds are then read by ``feedparser``,
sitemaps (``urlset``, ``sitemapindex``, Google News's ``news:`` tags) by ``defusedxml``'s
ElementTree. Every problem is an :class:`~translate.errors.InputError` naming the source, on one line.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

from ..article import format_size, max_bytes_limit
from ..errors import InputError

_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
#: Items read from one document at most (a sitemap may list 50,000).
MAX_ITEMS = 50_000


@dataclass(frozen=True)
class Item:
    """One article a source lists: its link (without a ``#fragment``), title, date (UTC, or None
    when the source gives none), outlet (the feed's title or the news sitemap's publication name,
    else the link's host) and the source it came from."""

    link: str
    title: str = ""
    published: datetime | None = None
    outlet: str = ""
    source: str = ""

    def to_dict(self) -> dict:
        return {"link": self.link, "title": self.title,
                "published": self.published.isoformat() if self.published else None,
                "outlet": self.outlet, "source": self.source}


@dataclass
class Sitemap:
    """What a sitemap lists: article ``items`` (a ``urlset``) or further ``sitemaps`` (an index),
    each of those as ``(address, lastmod or None)``."""

    items: list[Item] = field(default_factory=list)
    sitemaps: list[tuple[str, datetime | None]] = field(default_factory=list)


def read_source(data: bytes, source: str, *, max_bytes: int | None = None) -> list[Item] | Sitemap:
    """A feed's items, or a :class:`Sitemap`: whichever the document is."""
    data = _gunzip(data, source, max_bytes)
    root = _parse_xml(data, source)
    if _local(root.tag) in ("urlset", "sitemapindex"):
        return _sitemap(root, source)
    return _feed(data, source)


def read_feed(data: bytes, source: str, *, max_bytes: int | None = None) -> list[Item]:
    """The items of an RSS, Atom or RDF feed, in the feed's order."""
    found = read_source(data, source, max_bytes=max_bytes)
    if isinstance(found, Sitemap):
        raise InputError(source, "a sitemap, not a feed")
    return found


def read_sitemap(data: bytes, source: str, *, max_bytes: int | None = None) -> Sitemap:
    """The articles (``urlset``) or sitemaps (``sitemapindex``) a sitemap lists, in its order."""
    data = _gunzip(data, source, max_bytes)
    root = _parse_xml(data, source)
    if _local(root.tag) not in ("urlset", "sitemapindex"):
        raise InputError(source, f"not a sitemap: its root element is <{_local(root.tag)}>")
    return _sitemap(root, source)


# -- XML ----------------------------------------------------------------------------------------


def _gunzip(data: bytes, source: str, max_bytes: int | None) -> bytes:
    """A gzipped sitemap (``sitemap.xml.gz``) unpacked, at most the size limit."""
    if data[:2] != b"\x1f\x8b":
        return data
    limit = max_bytes_limit(max_bytes)
    unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = unpacker.decompress(data, limit + 1)
    except zlib.error as exc:
        raise InputError(source, f"damaged gzip file ({exc})") from None
    if len(out) > limit or unpacker.unconsumed_tail:
        raise InputError(source, f"unpacks to over the {format_size(limit)} limit")
    return out


def _parse_xml(data: bytes, source: str):
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    if not data.strip():
        raise InputError(source, "not a feed or sitemap: the answer is empty")
    try:
        return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise InputError(source, "refused: the XML declares entities (entity expansion is never done)") from None
    except ParseError as exc:
        head = data[:512].lstrip().lower()
        if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
            raise InputError(source, "not a feed or sitemap: a web page") from None
        raise InputError(source, f"malformed XML ({exc})") from None
    except (ValueError, UnicodeError) as exc:
        raise InputError(source, f"malformed XML ({' '.join(str(exc).split())[:200]})") from None


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


# -- feeds --------------------------------------------------------------------------------------


def _feed(data: bytes, source: str) -> list[Item]:
    import feedparser

    parsed = feedparser.parse(data, response_headers={"content-location": source})  # bytes: never fetched
    if not parsed.get("version") and not parsed.entries:
        raise InputError(source, "not a feed or sitemap: no RSS, Atom or sitemap elements")
    outlet = " ".join(str(parsed.feed.get("title") or "").split()) or _host(source)
    items = []
    for entry in parsed.entries[:MAX_ITEMS]:
        link = _link(entry.get("link") or "", source)
        if not link:
            continue
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        published = datetime(*when[:6], tzinfo=timezone.utc) if when else None
        items.append(Item(link, " ".join(str(entry.get("title") or "").split()), published, outlet, source))
    return items


# -- sitemaps -----------------------------------------------------------------------------------


def _sitemap(root, source: str) -> Sitemap:
    found = Sitemap()
    if _local(root.tag) == "sitemapindex":
        for node in root:
            if _local(node.tag) == "sitemap":
                link = _link(_text(node, "loc"), source)
                if link:
                    found.sitemaps.append((link, _date(_text(node, "lastmod"))))
        return found
    host = _host(source)
    for node in root:
        if _local(node.tag) != "url" or len(found.items) >= MAX_ITEMS:
            continue
        link = _link(_text(node, "loc"), source)
        if not link:
            continue
        news = node.find(f"{{{_NEWS_NS}}}news")
        title, outlet, published = "", host, _date(_text(node, "lastmod"))
        if news is not None:
            title = " ".join(_text(news, "title", _NEWS_NS).split())
            outlet = " ".join(_text(news.find(f"{{{_NEWS_NS}}}publication"), "name", _NEWS_NS).split()) or host
            published = _date(_text(news, "publication_date", _NEWS_NS)) or published
        found.items.append(Item(link, title, published, outlet, source))
    return found


def _text(node, name: str, namespace: str = _SITEMAP_NS) -> str:
    if node is None:
        return ""
    child = node.find(f"{{{namespace}}}{name}")
    if child is None:
        child = node.find(name)  # a sitemap without its namespace
    return (child.text or "").strip() if child is not None else ""


def _date(text: str) -> datetime | None:
    """A W3C datetime (``2026-12-04``, ``2026-12-04T10:00:00+05:30``) or an RFC 822 date, in UTC."""
    text = text.strip()
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc)


def _link(text: str, source: str) -> str | None:
    """An item's link made absolute, http(s) only, without its ``#fragment``."""
    text = text.strip()
    if not text:
        return None
    try:
        parts = urlsplit(urljoin(source, text) if "://" in source else text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return urlunsplit((parts.scheme.lower(), parts.netloc, parts.path or "/", parts.query, ""))


def _host(source: str) -> str:
    try:
        name = (urlsplit(source).hostname or "").lower()
    except ValueError:
        return ""
    return name[4:] if name.startswith("www.") else name


__all__ = ["Item", "MAX_ITEMS", "Sitemap", "read_feed", "read_sitemap", "read_source"]
