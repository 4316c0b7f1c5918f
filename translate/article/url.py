"""Fetch an article from a link, safely: the server that does it may be serving other people.

    from translate.article.url import fetch, page_metadata
    page = fetch("https://www.example-news.in/world/story-123.html")
    page.final_url, page.content_type, len(page.data)     # after redirects; "text/html"; bytes
    page_metadata(page.data.decode("utf-8", "replace"), page.final_url)
    # {"url": "https://...", "site": "...", "dateline": "2025-11-19", "author": "..."}

The rules (every refusal is an :class:`~translate.errors.InputError` naming the link, on one line):

- only ``http`` and ``https`` links;
- the host is resolved here and **every** address it resolves to must be public: no private,
  loopback, link-local, multicast, reserved, shared (CGNAT) or unspecified address, unless the
  caller allows private addresses (``allow_private=True``, or a list of the networks allowed).
  Cloud metadata addresses (``169.254.169.254``, ``fd00:ec2::254``, ...) are refused even then:
  no article lives there;
- the connection goes to the address that was checked (the request's URL carries that address,
  its ``Host`` header and the TLS server name the link's host, so certificates are still verified
  for the host): a DNS answer that changes between the check and the connection (DNS rebinding)
  cannot send the request elsewhere;
- redirects are followed by hand, at most ``max_redirects``, and every target is checked again
  (scheme, addresses) before it is requested;
- ``timeout`` seconds for the whole fetch, redirects included (each network step also waits at
  most what is left);
- at most ``max_bytes`` (the 5 MiB limit of files, or ``$HINDI_BRIEF_MAX_BYTES``): a larger
  ``Content-Length`` is refused before the body is read, and the body is read in chunks and
  dropped as soon as it passes the limit (the limit counts decompressed bytes);
- the answer must be a web page (``text/html``, ``application/xhtml+xml``); anything else is
  refused with what it is (a PDF, an image, ...), unless the caller accepts that kind too
  (``kinds=("html", "pdf", "docx")``);
- an HTTP error status is refused with its code and reason (``HTTP 404 Not Found``).

httpx fetches (no proxy from the environment: a proxy would hide which address is reached).  The
address check and the redirect loop are written here because httpx has neither.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable
from urllib.parse import urljoin

import httpx

from ..errors import InputError, UsageError, printable
from .load import format_size, max_bytes_limit

__all__ = ["Fetched", "fetch", "load_url", "page_article", "page_metadata", "address_problem", "DEFAULT_TIMEOUT", "DEFAULT_MAX_REDIRECTS", "METADATA_ADDRESSES"]

#: Seconds for a whole fetch, redirects included.
DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_REDIRECTS = 5
#: Cloud instance-metadata endpoints (AWS, GCP, Azure, OpenStack; AWS's IPv6 one; Alibaba; ECS tasks):
#: never fetched, whatever is allowed.
METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254", "fd00:ec2::254", "100.100.100.200", "169.254.170.2",
))
_USER_AGENT = "hindi-brief (article fetcher)"
_REDIRECTS = (301, 302, 303, 307, 308)
#: Media types and the kind of document each is.
_KINDS = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "text/plain": "text",
    "text/markdown": "text",
    "application/rss+xml": "xml",
    "application/atom+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/gzip": "gzip",
    "application/x-gzip": "gzip",
}
_DESCRIBED = {"pdf": "a PDF document", "docx": "a Word document", "text": "plain text", "xml": "XML",
              "gzip": "a gzip file"}

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Fetched:
    """What a link gave: the link as given, where it ended after redirects, the media type (lower
    case, no parameters: ``"text/html"``), the body and the final answer's headers (lower-case names)."""

    url: str
    final_url: str
    content_type: str
    data: bytes
    headers: dict[str, str] = field(default_factory=dict)
    status: int = 200  # 304 (no body) when a conditional request found the resource unchanged

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def kind(self) -> str | None:
        """"html", "pdf", "docx", "text", "xml", "gzip" or None: what :attr:`content_type` (or the bytes) says."""
        return _KINDS.get(self.content_type) or _sniff_kind(self.data)

    @property
    def charset(self) -> str | None:
        """The ``charset`` parameter of the ``Content-Type`` header, if any."""
        for part in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = part.partition("=")
            if name.strip().lower() == "charset" and value.strip():
                return value.strip().strip('"').lower()
        return None


class _Refused(Exception):
    """An address or a link that may not be fetched; the reason is the message."""


def fetch(
    url: str,
    *,
    allow_private: bool | Iterable[str] = False,
    max_bytes: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    kinds: Iterable[str] = ("html",),
    headers: dict[str, str] | None = None,
    check_redirect: Callable[[str], str | None] | None = None,
    on_request: Callable[[str], None] | None = None,
) -> Fetched:
    """Fetch *url* under the rules of the module docstring; :class:`InputError` naming *url* otherwise.

    *allow_private*: ``True`` lets every private, loopback and link-local address through (a server
    that fetches from its own network; the tests' local server); a list of networks or addresses
    (``["10.1.2.0/24"]``) lets only those through.  *kinds*: the kinds of answer accepted, among
    "html", "pdf", "docx", "text", "xml" (feeds, sitemaps) and "gzip"; a web page only by default.
    *headers*: extra request headers (``Accept``, ``If-None-Match``, ``If-Modified-Since``); when a
    conditional one is given, a ``304 Not Modified`` answer is returned as a :class:`Fetched` with
    ``status`` 304 and no body.  *check_redirect*: called with each redirect's target before it is
    followed; a reason it returns (``"blocked by the site's robots.txt"``) refuses the redirect.
    *on_request*: called with each request's link as it is sent (after its address passed the checks;
    a redirect's hop is a request too, a refused address none).
    """
    limit = max_bytes_limit(max_bytes)
    allow = _allowed_networks(allow_private)
    accepted = set(kinds)
    deadline = time.monotonic() + timeout
    current = url
    transport = _GuardedTransport(allow, on_request)
    sent = {"User-Agent": _USER_AGENT, "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5", **(headers or {})}
    conditional = any(name.lower() in ("if-none-match", "if-modified-since") for name in headers or {})
    try:
        with httpx.Client(transport=transport, follow_redirects=False, trust_env=False, headers=sent) as client:
            for hop in range(max_redirects + 1):
                target = _check_link(current)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise httpx.TimeoutException("deadline")
                with client.stream("GET", target, timeout=httpx.Timeout(remaining)) as response:
                    if response.status_code in _REDIRECTS and "location" in response.headers:
                        if hop == max_redirects:
                            raise _Refused(f"more than {max_redirects} redirects")
                        current = urljoin(str(target), response.headers["location"])
                        problem = check_redirect(current) if check_redirect is not None else None
                        if problem:
                            raise _Refused(problem)
                        continue
                    if response.status_code == 304 and conditional:
                        return Fetched(url, str(target), "", b"", {k.lower(): v for k, v in response.headers.items()},
                                       status=304)
                    if not 200 <= response.status_code < 300:
                        raise _Refused(f"the server answered HTTP {response.status_code} {response.reason_phrase}".rstrip())
                    return _read(url, str(target), response, limit, accepted, deadline)
    except _Refused as exc:
        where = "" if current == url else f"redirected to {printable(current)}: "
        raise InputError(url, f"{where}{exc}") from None
    except httpx.TimeoutException:
        raise InputError(url, f"no complete answer within {timeout:g} s") from None
    except httpx.InvalidURL as exc:
        raise InputError(url, f"not a valid web address ({_one_line(exc)})") from None
    except httpx.DecodingError:
        raise InputError(url, "the server's answer could not be decompressed") from None
    except httpx.HTTPError as exc:
        raise InputError(url, f"cannot fetch: {type(exc).__name__}: {_one_line(exc)}".rstrip(": ")) from None
    raise AssertionError("unreachable")  # pragma: no cover


def _one_line(exc: object) -> str:
    """An exception's message on one line, escaped and at most 200 characters."""
    text = printable(" ".join(str(exc).split()))
    return text if len(text) <= 200 else text[:199] + "…"


def _read(url: str, final_url: str, response, limit: int, accepted: set[str], deadline: float) -> Fetched:
    """The body of a 2xx answer, after the checks that need only its headers."""
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    kind = _KINDS.get(content_type)
    if kind is None and content_type not in ("", "application/octet-stream", "binary/octet-stream"):
        raise _Refused(f"not a web page: the server sent {content_type}")
    if kind is not None and kind not in accepted:
        raise _Refused(f"not a web page: the server sent {_DESCRIBED.get(kind, kind)} ({content_type})")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _Refused(f"the answer is {format_size(int(declared))}, over the {format_size(limit)} limit")
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise _Refused(f"the answer is over the {format_size(limit)} limit")
        chunks.append(chunk)
        if time.monotonic() > deadline:
            raise httpx.TimeoutException("deadline")
    data = b"".join(chunks)
    if kind is None:  # no type, or "octet-stream": the bytes say what they are
        kind = _sniff_kind(data)
        if kind not in accepted:
            what = _DESCRIBED.get(kind or "", "something that is neither a web page nor a document")
            raise _Refused(f"not a web page: the server sent {what} ({content_type or 'no content type'})")
    return Fetched(url, final_url, content_type, data, {k.lower(): v for k, v in response.headers.items()})


def _sniff_kind(data: bytes) -> str | None:
    head = data[:1024].lstrip()
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04") and b"word/" in data[:4096]:
        return "docx"
    if data[:2] == b"\x1f\x8b":
        return "gzip"
    lowered = head[:512].lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in lowered:
        return "html"
    if lowered.startswith((b"<?xml", b"<rss", b"<feed", b"<urlset", b"<sitemapindex", b"<rdf:rdf")):
        return "xml"
    return None


def _check_link(link: str):
    """The link as an ``httpx.URL`` when its scheme and host may be fetched, else :class:`_Refused`."""
    try:
        target = httpx.URL(link)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise _Refused(f"not a valid web address ({_one_line(exc)})") from None
    if not target.scheme:
        raise _Refused("not a web address: it does not start with http:// or https://")
    if target.scheme not in ("http", "https"):
        raise _Refused(f"only http and https links can be fetched, not {target.scheme}:")
    if not target.host:
        raise _Refused("not a web address: no host name")
    return target


def _allowed_networks(allow: bool | Iterable[str]) -> bool | tuple[Network, ...]:
    if allow is True or allow is False:
        return allow
    try:
        return tuple(ipaddress.ip_network(str(item), strict=False) for item in allow)
    except ValueError as exc:
        raise UsageError(f"allowed private networks: {exc}") from None


def address_problem(address: Address, allow: bool | tuple[Network, ...] = False) -> str | None:
    """Why *address* may not be fetched ("a loopback address", ...), or None when it may.

    IPv4 addresses inside IPv6 ones (``::ffff:127.0.0.1``, 6to4 ``2002:7f00:1::``) are judged as
    the IPv4 address they carry.
    """
    if isinstance(address, ipaddress.IPv6Address):
        inner = address.ipv4_mapped or address.sixtofour
        if inner is not None:
            return address_problem(inner, allow)
        address = ipaddress.IPv6Address(int(address))  # drop a scope id (fe80::1%eth0)
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if allow is True or (allow and any(address in network for network in allow)):
        return None
    for test, what in (
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_private", "a private address"),
        ("is_unspecified", "an unspecified address"),
        ("is_reserved", "a reserved address"),
    ):
        if getattr(address, test):
            return what
    if not address.is_global:
        return "not a public address"
    return None


def _vetted_address(host: str, port: int, allow: bool | tuple[Network, ...]) -> str:
    """The address to connect to for *host*: every address it resolves to is checked first."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise _Refused(f"cannot resolve host {host!r} ({_one_line(getattr(exc, 'strerror', None) or exc)})") from None
    addresses: list[Address] = []
    for info in infos:
        try:
            address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        except ValueError:
            continue
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise _Refused(f"cannot resolve host {host!r}")
    for address in addresses:
        problem = address_problem(address, allow)
        if problem:
            shown = host if host == str(address) else f"{host} ({address})"
            raise _Refused(f"refused: {shown} is {problem}; only public addresses are fetched")
    return str(addresses[0])


class _GuardedTransport(httpx.HTTPTransport):
    """Resolves and checks the host of every request, then connects to the checked address."""

    def __init__(self, allow: bool | tuple[Network, ...], on_request: Callable[[str], None] | None = None):
        # No connection is reused: one fetch is a handful of requests, and a pooled connection keyed
        # by address could carry a request for another host name.
        super().__init__(trust_env=False, limits=httpx.Limits(max_keepalive_connections=0))
        self.allow = allow
        self.on_request = on_request

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        port = request.url.port or (443 if request.url.scheme == "https" else 80)
        address = _vetted_address(host, port, self.allow)
        if self.on_request is not None:
            self.on_request(str(request.url))
        if address != host:
            request.url = request.url.copy_with(host=address)  # the Host header stays the link's host
            request.extensions = {**request.extensions, "sni_hostname": host}
        return super().handle_request(request)


def page_metadata(html: str | bytes, final_url: str) -> dict[str, str]:
    """The page's own metadata, read by trafilatura (meta tags, JSON-LD): ``{"url": final_url}`` plus
    whichever of "site", "dateline", "author", "category", "summary" the page states, under the
    keys :class:`~translate.article.load.Article` metadata uses."""
    from trafilatura.metadata import extract_metadata  # imported here: only links need it

    if isinstance(html, bytes):
        html = html.decode("utf-8", "replace")
    meta = {"url": final_url}
    try:
        doc = extract_metadata(html, default_url=final_url)
    except Exception:  # noqa: BLE001 - a third-party extractor on untrusted HTML: no metadata then
        return meta
    found = {
        "site": doc.sitename,
        "dateline": doc.date,
        "author": doc.author,
        "category": ", ".join(doc.categories or []),
        "summary": doc.description,
    }
    meta.update({key: " ".join(str(value).split()) for key, value in found.items() if value and str(value).strip()})
    if "author" in meta:
        meta["author"] = "; ".join(_restore_marks(name, html) for name in meta["author"].split("; "))
    return meta


_MARKS = "[\u0900-\u0903\u093a-\u094f\u0951-\u0957\u0962\u0963]*"


def _restore_marks(name: str, html: str) -> str:
    """*name* with the vowel signs trafilatura cut off its end put back, as the page writes it.

    trafilatura's author clean-up removes trailing characters that are not ``\\w``
    (``[^\\w]+$``), and Devanagari vowel signs are not: "राम कुमार शर्मा" comes out "राम कुमार शर्म".
    The name is looked up in the page followed by any Devanagari signs, which are put back.
    """
    found = re.search(re.escape(name) + _MARKS, html)
    return found.group(0) if found else name


def page_article(page: Fetched, *, max_bytes: int | None = None, rules=None):
    """A fetched page as an article: read as HTML like a saved page, its ``metadata`` holding the link
    (``source``), where it ended (``url``) and the page's own site name, date and author."""
    from .load import load_bytes

    article = load_bytes(page.data, page.url, max_bytes=max_bytes, fmt="html", rules=rules)
    for key, value in page_metadata(page.data, page.final_url).items():
        article.metadata.setdefault(key, value)
    article.metadata["source"] = page.url
    return article


def load_url(url: str, *, allow_private: bool | Iterable[str] = False, max_bytes: int | None = None,
             rules=None):
    """The article at ``url``: fetched safely (:func:`fetch`), then :func:`page_article`."""
    return page_article(fetch(url, allow_private=allow_private, max_bytes=max_bytes), max_bytes=max_bytes, rules=rules)
