"""Load a scraped Hindi news article (text, Markdown or HTML) into a clean :class:`Article`.

    from translate.article import load_article
    article = load_article("seeds/004_6f820134af09ba64.txt")
    article.title          # 'मॉस्को में रूसी विदेश मंत्री से मिले जयशंकर'
    article.blocks[1]      # Block(kind='heading', text='कई अहम मुद्दों पर गहन चर्चा', sentences=[...])
    article.removed[1]     # {'line': 'Top 5 This Week', 'reason': 'widget heading'}

Reading is this module's job: bytes to text (:func:`decode_bytes`), the format to a list of
lines/elements (:class:`translate.article.cleaning.Unit`) and an optional leading JSON header to metadata.
Cleaning (rules, titles, duplicates, headings) is :mod:`translate.article.cleaning`'s job and sentence
splitting :mod:`translate.article.segment`'s.

Input size: :data:`DEFAULT_MAX_BYTES` (5 MiB) unless ``max_bytes`` is passed or the environment
variable ``HINDI_BRIEF_MAX_BYTES`` sets another limit in bytes.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, UsageError
from .cleaning import Rules, Unit, clean_units, devanagari_share, load_rules, normalize_line, normalize_text, text_units
from .formats import legacy_font_sample, read_document, sniff
from .segment import split_sentences

__all__ = [
    "Block",
    "Article",
    "DEFAULT_MAX_BYTES",
    "MAX_BYTES_ENV",
    "FORMATS",
    "load_article",
    "parse_article",
    "decode_bytes",
    "ensure_hindi",
]

#: Default input size limit: 5 MiB.  A news article is a few tens of kB; the limit keeps a wrong
#: path (a video, a database dump) from being read into memory.
DEFAULT_MAX_BYTES: int = 5 * 1024 * 1024
#: Environment variable overriding :data:`DEFAULT_MAX_BYTES` (a number of bytes).
MAX_BYTES_ENV = "HINDI_BRIEF_MAX_BYTES"
#: Input formats :func:`parse_article` understands.
FORMATS = ("text", "markdown", "html", "docx", "pdf")
#: Below this share of Devanagari among its letters a body is not Hindi (see :func:`ensure_hindi`).
MIN_DEVANAGARI_SHARE = 0.5

_EXTENSIONS = {".html": "html", ".htm": "html", ".xhtml": "html", ".md": "markdown", ".markdown": "markdown"}
#: Formats read from bytes rather than text (see translate.article.formats).
DOCUMENT_FORMATS = ("docx", "pdf")
#: File endings read as articles when a folder is given (the rest of a folder is ignored).
INPUT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")
_HTML_START = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]", re.I | re.S)
# Markup that plain news text never holds: a text with it is read as HTML so that script/style
# content can never reach the story.
_HTML_MARKUP = re.compile(r"<(?:script|style)\b|</(?:p|div|span|script|style|body|html|h[1-6])\s*>", re.I)
_BINARY_CONTROL_SHARE = 0.05  # more C0 controls than this (tab/newline/CR/FF excepted) = binary
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\r\x0c")


@dataclass
class Block:
    """A heading or paragraph of the story, with its sentences."""

    kind: str  # "heading" | "paragraph"
    text: str
    sentences: list[str] = field(default_factory=list)


@dataclass
class Article:
    """A cleaned article.

    ``metadata`` holds only the keys that were found among "source" (file path or None), "site",
    "author", "dateline", "category", "slug", "summary", plus "sha256" of the raw input.
    ``removed`` lists every dropped line as ``{"line": ..., "reason": ...}`` in input order.
    """

    title: str
    metadata: dict[str, Any]
    blocks: list[Block]
    removed: list[dict]

    def to_dict(self) -> dict:
        """The JSON object that ``hindi-brief clean --json`` prints."""
        return {
            "title": self.title,
            "metadata": dict(self.metadata),
            "blocks": [{"kind": b.kind, "text": b.text, "sentences": list(b.sentences)} for b in self.blocks],
            "removed": [dict(r) for r in self.removed],
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Article":
        """Rebuild an article from :meth:`to_dict` output."""
        return cls(
            title=d.get("title", ""),
            metadata=dict(d.get("metadata", {})),
            blocks=[Block(b["kind"], b["text"], list(b.get("sentences", []))) for b in d.get("blocks", [])],
            removed=[dict(r) for r in d.get("removed", [])],
        )

    def sentences(self) -> list[tuple[int, str]]:
        """``(block index, sentence)`` for every sentence of every block, in order."""
        return [(i, s) for i, block in enumerate(self.blocks) for s in block.sentences]

    @property
    def text(self) -> str:
        """The cleaned body: the blocks' texts joined by blank lines (no title)."""
        return "\n\n".join(block.text for block in self.blocks)


# --- bytes to text ----------------------------------------------------------------------------


def decode_bytes(data: bytes, source: str | None) -> str:
    """Decode an article's bytes.

    1. A BOM decides: UTF-8, UTF-16 LE or BE (undecodable after its BOM -> InputError).
    2. NUL bytes, or more than 5 % control characters -> InputError "binary file ...".
    3. Strict UTF-8.
    4. Bytes that are not UTF-8 but hold UTF-8-encoded Devanagari (a damaged UTF-8 file) ->
       InputError: decoding them any other way would turn the Hindi into mojibake.
    5. Legacy fallback, cp1252 then latin-1: Windows-saved English pages and Hindi typed in
       legacy 8-bit fonts (Kruti Dev etc., stored as cp1252 bytes) still load, so the user gets
       the precise "no Hindi (Devanagari) text" error from :func:`ensure_hindi` instead of a
       decoding error.  Hindi in Unicode cannot be written in these code pages, so nothing that
       is real Hindi text is mis-decoded here.
    """
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(source, f"undecodable: not valid {codec.upper()} despite its byte-order mark (byte {exc.start + len(bom)})") from None
    if b"\x00" in data:
        raise InputError(source, "binary file (NUL bytes), not a text article")
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if data and controls / len(data) > _BINARY_CONTROL_SHARE:
        raise InputError(source, f"binary file ({controls} control bytes), not a text article")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if b"\xe0\xa4" in data or b"\xe0\xa5" in data:
            raise InputError(source, f"undecodable: damaged UTF-8 (invalid byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def max_bytes_limit(max_bytes: int | None = None) -> int:
    """The input size limit in force: *max_bytes*, else ``$HINDI_BRIEF_MAX_BYTES``, else the default.

    A limit that is not a positive whole number is a :class:`UsageError`.
    """
    if max_bytes is None:
        env = os.environ.get(MAX_BYTES_ENV)
        if env is None or not env.strip():
            return DEFAULT_MAX_BYTES
        try:
            max_bytes = int(env)
        except ValueError:
            raise UsageError(f"{MAX_BYTES_ENV} must be a whole number of bytes, got {env!r}") from None
    if max_bytes <= 0:
        raise UsageError(f"the input size limit must be positive, got {max_bytes}")
    return max_bytes


def format_size(n: int) -> str:
    """``12.3 MiB`` (one decimal, no trailing ``.0``), or ``1234 bytes`` below 0.1 MiB."""
    if n < 2**20 // 10:
        return f"{n} bytes"
    return f"{n / 2**20:.1f}".removesuffix(".0") + " MiB"


def load_article(
    path: str | os.PathLike,
    *,
    max_bytes: int | None = None,
    fmt: str | None = None,
    rules: Rules | None = None,
) -> Article:
    """Read, decode, clean and sentence-split the article at *path*.

    The format comes from *fmt* or the file extension (``.html``/``.htm``, ``.md``) or, for other
    files, from the content (see :func:`parse_article`).  *max_bytes* limits the file size
    (default :data:`DEFAULT_MAX_BYTES`, 5 MiB, or ``$HINDI_BRIEF_MAX_BYTES``).  Every problem with
    the file raises :class:`InputError` naming it: not found, a directory, unreadable, empty,
    too large, binary, undecodable, nothing left after cleaning.
    """
    source = os.fspath(path)
    source = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
    limit = max_bytes_limit(max_bytes)
    p = Path(source)
    try:
        if p.is_dir():
            raise InputError(source, "is a directory, not an article file")
        with p.open("rb") as handle:
            data = handle.read(limit + 1)
            size = len(data)
            if size > limit:
                size = max(size, os.fstat(handle.fileno()).st_size)
    except FileNotFoundError:
        raise InputError(source, "file not found") from None
    except PermissionError:
        raise InputError(source, "cannot read: permission denied") from None
    except OSError as exc:
        raise InputError(source, f"cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:  # "embedded null byte" and other impossible paths
        raise InputError(source, f"invalid path: {exc}") from None
    if size > limit:
        raise InputError(
            source, f"file is {format_size(size)}, over the {format_size(limit)} limit (--max-bytes / {MAX_BYTES_ENV})"
        )
    if fmt is None:
        fmt = _EXTENSIONS.get(p.suffix.lower())
    return load_bytes(data, source, max_bytes=limit, fmt=fmt, rules=rules)


def load_bytes(
    data: bytes,
    source: str | None = None,
    *,
    max_bytes: int | None = None,
    fmt: str | None = None,
    rules: Rules | None = None,
) -> Article:
    """An article from raw bytes (standard input, an upload), with :func:`load_article`'s checks:
    the size limit, decoding (BOMs, UTF-16, binary refused) and cleaning."""
    limit = max_bytes_limit(max_bytes)
    if len(data) > limit:
        raise InputError(source, f"input is over the {format_size(limit)} limit (--max-bytes / {MAX_BYTES_ENV})")
    digest = hashlib.sha256(data).hexdigest()
    document = fmt if fmt in DOCUMENT_FORMATS else None
    if fmt is None:
        document = sniff(data, Path(source).suffix if source else None)
    if document:  # Word and PDF: read from their bytes into the same lines/elements as text
        return _from_units(read_document(data, source, document), {}, "", source, rules, digest)
    return _parse(decode_bytes(data, source), source, fmt, rules, digest)


def parse_article(
    text: str,
    source: str | None = None,
    *,
    fmt: str | None = None,
    rules: Rules | None = None,
) -> Article:
    """Clean and sentence-split an article given as text.

    *fmt* is "text", "markdown" or "html"; None sniffs it: the extension of *source* if it has
    one of ``.html``/``.htm``/``.md``, else "html" when the text looks like an HTML document
    (starts with a doctype, ``<html>``, ``<head>`` or ``<body>``, or holds ``<script>``/``<style>``
    or closing tags such as ``</p>``), else "text".  A leading JSON object (text or Markdown) is
    parsed into metadata, not kept as story.  *rules* defaults to
    :func:`translate.article.cleaning.load_rules`.  Raises :class:`InputError` for an empty text or one
    with no story left after cleaning.
    """
    if fmt is None and source:
        fmt = _EXTENSIONS.get(Path(source).suffix.lower())
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return _parse(text, source, fmt, rules, digest)


def _parse(text: str, source: str | None, fmt: str | None, rules: Rules | None, digest: str) -> Article:
    if fmt is not None and fmt not in FORMATS:
        raise UsageError(f"unknown input format {fmt!r}; expected one of {', '.join(FORMATS)}")
    text = normalize_text(text)
    if not text.strip():
        raise InputError(source, "empty file")
    if fmt is None:
        fmt = "html" if _HTML_START.match(text[:4096]) or _HTML_MARKUP.search(text) else "text"
    if fmt in DOCUMENT_FORMATS:
        raise UsageError(f"{fmt} documents are read from their bytes (load_article or load_bytes), not from text")
    if fmt == "html":
        units, found, title = _read_html(text, source)
    else:
        header, body, found = _split_json_header(text)
        title = found.pop("title", "")
        reader = _read_markdown if fmt == "markdown" else text_units
        units = ([Unit(header, reason="metadata: JSON header")] if header else []) + reader(body)
    return _from_units(units, found, title, source, rules, digest)


def _from_units(units: list[Unit], found: dict[str, Any], title: str, source: str | None, rules: Rules | None,
                digest: str) -> Article:
    """Clean a format's lines/elements into an :class:`Article` (every format ends here)."""
    metadata: dict[str, Any] = {"source": source}
    cleaned = clean_units(units, rules or load_rules(), title=title)
    metadata.update({k: v for k, v in found.items() if v})
    for key, value in cleaned.metadata.items():
        metadata.setdefault(key, value)
    metadata["sha256"] = digest
    blocks = [Block(kind, body, split_sentences(body)) for kind, body in cleaned.blocks]
    if not blocks:
        what = f"{len(cleaned.removed)} line(s) were all page furniture or metadata" if cleaned.removed else "no text"
        raise InputError(source, f"nothing left after cleaning: {what}")
    return Article(cleaned.title, metadata, blocks, cleaned.removed)


def is_url(text: str) -> bool:
    """Whether a command-line argument or pasted line is a web address (http or https)."""
    return bool(re.match(r"https?://\S+$", text.strip(), re.I))


_BARE_HOST = re.compile(r"(?:www\.[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:[/?#]\S*)?"
                        r"|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}[/?#]\S*)", re.I)


def web_address(text: str) -> str | None:
    """The web address in ``text``: itself when it starts with http(s)://, ``https://`` + it for a
    bare host (``www.bhaskar.com/...``, ``bhaskar.com/news/x``), else None."""
    text = text.strip()
    if is_url(text):
        return text
    if _BARE_HOST.fullmatch(text):
        return "https://" + text
    return None


def ensure_hindi(article: Article) -> None:
    """Raise :class:`InputError` when the article's body is not Hindi.

    The body (title and blocks) must have at least :data:`MIN_DEVANAGARI_SHARE` of its letters in
    Devanagari; an English-only or Urdu-script (Arabic letters) article fails.  English words and
    acronyms inside Hindi news (``PSM``, ``SCO``) are far below that share.
    """
    share, letters = devanagari_share(article.title + "\n" + article.text)
    if share < MIN_DEVANAGARI_SHARE:
        sample = legacy_font_sample(article.title + "\n" + article.text)
        if sample:  # Kruti Dev and the like: Hindi typed in a font that draws Latin letters as Devanagari
            raise InputError(article.metadata.get("source"), f"looks like Hindi typed in a legacy font (Kruti Dev): "
                             f"its text is Latin letters, not Unicode Devanagari ('{sample}'); convert it to "
                             "Unicode Hindi and try again")
        raise InputError(
            article.metadata.get("source"),
            f"no Hindi (Devanagari) text: {share:.0%} of its {letters} letters are Devanagari "
            "(an English-only or Urdu-script article?)",
        )


# --- formats ----------------------------------------------------------------------------------

_JSON_KEYS = {
    "title": ("title_hn", "title", "headline"),
    "slug": ("slug",),
    "category": ("category", "section"),
    "author": ("author", "byline"),
    "dateline": ("dateline", "date", "published", "updated"),
    "site": ("site", "publisher", "source"),
    "summary": ("summary", "description"),
}


def _json_value(value: Any) -> str:
    """A metadata string from a JSON value: a string, the English/Hindi title of an object, a list."""
    if isinstance(value, str):
        return normalize_line(value)
    if isinstance(value, dict):
        for key in ("title", "title_hn", "name", "slug"):
            if isinstance(value.get(key), str):
                return normalize_line(value[key])
    if isinstance(value, list):
        return ", ".join(v for v in map(_json_value, value) if v)
    return ""


def _split_json_header(text: str) -> tuple[str, str, dict[str, str]]:
    """``(header text, rest, metadata)`` when *text* starts with a JSON object, else ``("", text, {})``.

    Metadata keys: "title" (``title_hn`` first), "slug", "category" (its English ``title`` when the
    category is an object), "author", "dateline", "site", "summary".
    """
    start = len(text) - len(text.lstrip())
    if not text.startswith("{", start):
        return "", text, {}
    try:
        obj, end = json.JSONDecoder().raw_decode(text, start)
    except (ValueError, RecursionError):
        return "", text, {}
    if not isinstance(obj, dict):
        return "", text, {}
    found = {}
    for key, names in _JSON_KEYS.items():
        for name in names:
            value = _json_value(obj.get(name))
            if value:
                found[key] = value
                break
    return text[start:end], text[end:], found


def _read_markdown(text: str) -> list[Unit]:
    """Markdown blocks via markdown-it-py: headings, paragraphs (list items and quotes too).

    Inline markup goes (links keep their text, images go); fenced/indented code is not story text,
    nor are raw HTML script/style elements.
    """
    from markdown_it import MarkdownIt  # imported here: only Markdown input needs it

    units: list[Unit] = []
    tokens = MarkdownIt("commonmark").parse(_drop_script_and_style(text))  # raw HTML is allowed in Markdown
    kind = "paragraph"
    for token in tokens:
        if token.type == "heading_open":
            kind = "heading"
        elif token.type == "paragraph_open":
            kind = "paragraph"
        elif token.type == "inline":
            parts = []
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
            units.append(Unit("".join(parts), kind))
        elif token.type in ("fence", "code_block"):
            units.append(Unit(token.content, reason="code block"))
        elif token.type == "html_block":
            units.extend(Unit(t, "paragraph") for t in _html_fragment_text(token.content))
    return units


_DROPPED_TAGS = ("script", "style", "noscript", "template", "svg", "math", "iframe", "object")
_BLOCK_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "td", "th", "dt", "dd", "figcaption", "caption")


# Script/style source is cut out of the HTML text before any parser sees it.  Why not leave it to
# the parser: malformed markup (``<p x<script>``, ``<![CDATA[<script>``, ``<title><script>``) makes
# an HTML5 parser, lxml's included, read the script's source as visible text; a brief must never
# contain it.  JSON-LD blocks stay (trafilatura reads author and date from them).  The scan is
# linear: each element's end is searched once, and an element never closed ends the document.
_RAW_TEXT_START = re.compile(r"<(script|style)\b(?![^>]{0,200}application/ld\+json)", re.I)


def _drop_script_and_style(html: str) -> str:
    kept, pos = [], 0
    while (start := _RAW_TEXT_START.search(html, pos)) is not None:
        kept.append(html[pos : start.start()])
        end = re.compile(rf"</{start.group(1)}\s*>", re.I).search(html, start.end())
        if end is None:
            return "".join(kept)
        pos = end.end()
    kept.append(html[pos:])
    return "".join(kept)


def _html_tree(html: str):
    """lxml's tree of *html* with script/style/... removed, or None when there is no document."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.document_fromstring(html.encode("utf-8", "replace"), parser=lxml_html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError):
        return None
    etree.strip_elements(root, *_DROPPED_TAGS, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    return root


def _html_fragment_text(html: str) -> list[str]:
    root = _html_tree(_drop_script_and_style(html))
    return [] if root is None else [t for t in (normalize_line(root.text_content()),) if t]


def _read_html(html: str, source: str | None) -> tuple[list[Unit], dict[str, str], str]:
    """Units, metadata and title of an HTML page.

    The main text comes from trafilatura (boilerplate removal; ``<head>`` elements it marks as
    headings become headings; a multi-line ``<p>`` of its fallback extractor is read line by
    line).  When trafilatura finds no main text, the page's block elements are read with lxml
    instead: h1-h6 are headings, p/li/blockquote/td... paragraphs.  Script, style and similar
    elements never reach the text; trafilatura's title is used only when it is visible text of
    the page (it can come from a ``<script>``), else the first ``<h1>`` or the ``<title>``.
    """
    import trafilatura  # imported here: only HTML input needs it

    html = _drop_script_and_style(html)
    root = _html_tree(html)
    if root is None:
        raise InputError(source, "no HTML document to read")
    try:
        doc = trafilatura.bare_extraction(
            html, with_metadata=True, include_formatting=True, include_comments=False,
            include_images=False, include_tables=True, output_format="python",
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:  # noqa: BLE001 - a third-party extractor; lxml below still reads the page
        doc = None
    units: list[Unit] = []
    meta: dict[str, str] = {}
    title = ""
    if doc is not None and getattr(doc, "body", None) is not None:
        meta = {
            "author": doc.author or "",
            "dateline": doc.date or "",
            "site": doc.sitename or "",
            "category": ", ".join(doc.categories or []),
        }
        units = _trafilatura_units(doc.body)
        title = normalize_line(doc.title or "")
        if title and title not in normalize_line(root.text_content()):
            title = _lxml_title(root, prefer_h1=True)
    if not any(u.text.strip() for u in units):
        units = _lxml_units(root)
        title = _lxml_title(root, prefer_h1=False)
    return units, meta, title


def _trafilatura_units(body) -> list[Unit]:
    units = []
    for element in body:
        for lb in element.iter("lb"):
            lb.tail = " " + (lb.tail or "")
        if element.tag == "head":
            units.append(Unit("".join(element.itertext()), "heading"))
        elif element.tag in ("list", "table"):
            rows = element.iter("item") if element.tag == "list" else element.iter("row")
            units.extend(Unit(" ".join("".join(row.itertext()).split()), "paragraph") for row in rows)
        else:
            text = "".join(element.itertext())
            if "\n" in text.strip():
                # trafilatura's baseline fallback (short pages) returns the whole page as one <p>
                # with a line per element: let the cleaner's heuristics find headings again.
                units.extend(text_units(text))
            else:
                units.append(Unit(text, "paragraph"))
    return units


def _lxml_title(root, *, prefer_h1: bool) -> str:
    """The first ``<h1>`` when *prefer_h1*, else ``<title>``; without *prefer_h1* a page with an
    ``<h1>`` gets "" so that the cleaner takes that first heading as the title."""
    h1, title_el = root.find(".//h1"), root.find(".//title")
    if h1 is not None:
        return normalize_line(h1.text_content()) if prefer_h1 else ""
    # <title> often carries the site's name too, so it is the title only when there is no <h1>.
    return normalize_line(title_el.text_content()) if title_el is not None else ""


def _lxml_units(root) -> list[Unit]:
    """Block elements of a script-free lxml tree, outermost only; the body's text if it has none."""
    blocks = [el for el in root.iter(*_BLOCK_TAGS) if not any(a.tag in _BLOCK_TAGS for a in el.iterancestors())]
    if not blocks:
        body = root.find("body")
        return text_units((body if body is not None else root).text_content())
    return [Unit(el.text_content(), "heading" if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6") else "paragraph")
            for el in blocks]
