"""Who published an article: the outlet a digest names beside each fact.

In order: the page's own ``site`` (metadata read from a JSON header, an HTML page or a byline line),
its ``url``, a "Read More at …" line that cleaning removed (``Result.removed``), the input itself
when it is a URL, and else the input's file name. Desk and bureau labels, a dateline place the
news glossary knows and a parent network in brackets are not the outlet's name: "वर्ल्ड डेस्क, अमर उजाला, इस्लामाबाद" is
अमर उजाला, "The Printlines (Part of Bharat Express News Network)" is The Printlines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from ..faithful.glossary import Glossary, term_key

_DESK = re.compile(r"डेस्क|ब्यूरो|\bdesk\b|\bbureau\b", re.I)
_BRACKETS = re.compile(r"\s*[(\[].*?[)\]]\s*")
_HOST = re.compile(r"(?:https?://)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?:[/:?#]\S*)?$", re.I)
_READ_MORE = re.compile(r"^\s*(?:read more at|read more:|source:|स्रोत:)\s*(\S+)", re.I)

_PLACES: set[str] | None = None


@dataclass(frozen=True)
class Outlet:
    """``name`` is what a reader calls the outlet; ``site``, ``url`` and ``author`` as found."""

    name: str
    site: str | None = None
    url: str | None = None
    author: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "site": self.site, "url": self.url, "author": self.author}


def _places() -> set[str]:
    """Hindi names of the news glossary (countries, cities, institutions): never an outlet's name."""
    global _PLACES
    if _PLACES is None:
        _PLACES = {term_key(hindi) for hindi in Glossary.load(None).entries}
    return _PLACES


def host(text: str) -> str | None:
    """``www.abplive.com`` or ``https://www.abplive.com/news/x`` -> ``abplive.com``; None if no host."""
    match = _HOST.match(text.strip())
    if not match:
        return None
    name = match.group(1).lower()
    return name[4:] if name.startswith("www.") else name


def site_name(site: str) -> str:
    """The outlet in a site line: desk labels, glossary places and bracketed parents dropped."""
    parts = [part.strip() for part in _BRACKETS.sub(" ", site).split(",")]
    kept = [part for part in parts if part and not _DESK.search(part) and term_key(part) not in _places()]
    return ", ".join(kept) or site.strip()


def outlet_of(metadata: dict[str, Any], removed: list[dict[str, str]], source: str) -> Outlet:
    """The outlet of an article, from its metadata, the lines cleaning removed and its input name."""
    site = metadata.get("site") or None
    url = metadata.get("url") or (source if host(source) and "://" in source else None)
    author = metadata.get("author") or None
    if site:
        name = site_name(site)
    elif url and host(url):
        name = host(url)
    else:
        read_more = next((host(m.group(1)) for line in removed
                          if (m := _READ_MORE.match(line.get("line", ""))) and host(m.group(1))), None)
        name = read_more or _file_name(source)
    return Outlet(name, site, url, author)


def _file_name(source: str) -> str:
    path = PureWindowsPath(source) if "\\" in source else PurePosixPath(source)
    return path.name or source
