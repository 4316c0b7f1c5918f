"""Word (.docx) and PDF articles to :class:`~translate.article.cleaning.Unit` lists.

    from translate.article.formats import sniff, read_docx, read_pdf
    kind = sniff(data, ".pdf")             # "docx" | "pdf" | None
    units = read_pdf(data, "paper.pdf")    # [Unit("मॉस्को में ...", "heading"), Unit("भारत और ..."), ...]

The readers only read: cleaning (furniture, repeats, the title) is
:func:`translate.article.cleaning.clean_units`' job, as for text, Markdown and HTML.  Every problem
is an :class:`~translate.errors.InputError` naming the input, on one line.

**Word** (python-docx): the body's paragraphs in document order, table cells included.  A paragraph
styled ``Title`` (or a style based on it) is the title, ``Heading 1``-``9`` (or styles based on
them) are headings; other paragraphs carry no hint, so the cleaner's rules decide as for a text file
(a short unterminated line before a paragraph is a heading).  Headers, footers, footnotes, comments
and text boxes are not read.

**PDF** (pdfminer.six for the characters and where they sit; pypdf for the checks before it): the
characters of the text layer are joined into lines (:func:`_pdf_lines`) and the lines into
paragraphs (:func:`_paragraphs`); a paragraph set in a font clearly larger than the body text is a
heading.  Refused with one clear line: a legacy-font PDF
(Kruti Dev and the like: its "text" is Latin letters that the font draws as Hindi), a PDF whose text
layer lost its vowel signs and conjuncts (glyphs mapped to nothing), a scanned PDF (no text layer),
a password-protected or damaged one.

How the libraries extract Devanagari (checked with PDFs made by fpdf2 + HarfBuzz and by Chromium,
both with Noto Sans Devanagari; ``tests/test_formats.py`` keeps the first):

- A shaped PDF draws ``ि`` before its consonant and conjuncts as single glyphs, so the text comes
  from the font's ToUnicode map.  fpdf2 maps each cluster's text onto one glyph and leaves the other
  glyphs of the cluster unmapped: pdfminer.six marks those ``(cid:N)`` (dropped here, the text is
  then exact and in logical order), while **pypdf** decodes them as the glyph number read as a
  character (``'&'``, ``'5'``, ``'A'``: ``द्वि&पक्षीय``, ``धर्म5``), which cannot be told from text.
  That is why pdfminer.six extracts; it also gives each character's position and font size, which
  lines, paragraphs and headings come from.
- Chromium (Skia) maps vowel signs, conjuncts and other contextual glyphs to U+0000 (``किया`` comes
  out as ``\\x00कया``): that text is lost in every extractor, so such a PDF is refused
  (:data:`MAX_LOST_GLYPHS`) instead of translating broken words.
- Producers that map each glyph to its character but write them in visual order give ``िकया``;
  a ``ि`` that follows no consonant cannot occur in Unicode text, so a text full of them is in
  visual order and every ``ि`` is moved after its consonant cluster (:func:`repair_visual_order`).

pdfminer.six decompresses streams without a size limit, so a small PDF could unpack to gigabytes;
pypdf, which bounds every decompression, first opens the file and decodes every stream the pages use
(:func:`_check_pdf`), within :data:`MAX_PDF_UNPACKED` in all.
"""

from __future__ import annotations

import io
import re
import statistics
import zipfile
from dataclasses import dataclass

from ..errors import InputError, printable
from .cleaning import Unit, devanagari_share, normalize_line

__all__ = [
    "DOCUMENT_SUFFIXES",
    "MAX_PDF_PAGES",
    "MAX_PDF_UNPACKED",
    "MAX_DOCX_UNPACKED",
    "sniff",
    "read_document",
    "read_docx",
    "read_pdf",
    "legacy_font_sample",
    "repair_visual_order",
]

#: File endings of the formats this module reads, and the format each names.
DOCUMENT_SUFFIXES = {".docx": "docx", ".pdf": "pdf"}
#: A PDF with more pages is not one news article (and would take minutes to read).
MAX_PDF_PAGES = 100
#: Every stream a PDF's pages use, decompressed, in bytes.  A 5 MiB article PDF with its fonts
#: unpacks to a few MiB; a compression bomb to gigabytes.
MAX_PDF_UNPACKED = 200 * 1024 * 1024
#: A .docx (a ZIP package) may unpack to this many bytes in all (its images included).
MAX_DOCX_UNPACKED = 200 * 1024 * 1024
#: Share of a PDF's characters that may be glyphs mapped to nothing (U+0000, U+FFFD) before its
#: text layer counts as broken.
MAX_LOST_GLYPHS = 0.01

_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, and password-protected .docx


def sniff(data: bytes, suffix: str | None = None) -> str | None:
    """The document format of *data*: "docx", "pdf" or None (text, Markdown or HTML: not ours).

    The content decides when it is clear (a PDF header, a ZIP package holding ``word/document.xml``,
    an OLE2 file: the old ``.doc`` format or a password-protected Word file, which :func:`read_docx`
    refuses with a clear line).  Otherwise the *suffix* (``".docx"``, ``".PDF"``, ...) does, so that
    a ``.pdf`` that is no PDF gets :func:`read_pdf`'s "not a PDF" rather than a text decoding error.
    """
    head = data[:1024]
    if head.lstrip().startswith(_PDF_MAGIC) or (_PDF_MAGIC in head and b"%%EOF" in data[-2048:]):
        return "pdf"
    if data.startswith(_OLE_MAGIC):
        return "docx"
    if data.startswith(_ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                if "word/document.xml" in package.namelist():
                    return "docx"
        except (zipfile.BadZipFile, ValueError, OSError):
            pass
    return DOCUMENT_SUFFIXES.get((suffix or "").lower())


def read_document(data: bytes, source: str | None, fmt: str) -> list[Unit]:
    """:func:`read_docx` or :func:`read_pdf`, as *fmt* ("docx" or "pdf") says."""
    readers = {"docx": read_docx, "pdf": read_pdf}
    return readers[fmt](data, source)


# --- legacy (non-Unicode) Hindi fonts ------------------------------------------------------------

# Kruti Dev / DevLys (one keyboard layout, the most used legacy Hindi fonts) spell the commonest Hindi
# words like this: के की का है में से ने को और कि पर भी यह था इस एक नहीं कहा किया गया लिए हैं तो जो.
# No library names legacy Hindi encodings (wordfreq would only say "not English", which French also
# is), so this list and the letter pattern below are hand-written.
_KRUTI_WORDS = frozenset(
    "ds dh dk gS esa ls us dks vkSj fd ij Hkh ;g Fkk bl ,d ugha dgk fd;k x;k fy, gSa rks tks Fkh ;s og "
    "mUgksaus dgrs djus gks jgk jgs Hkkjr ljdkj".split()
)
# What Latin words of any language rarely hold but legacy-font "text" is full of: an upper-case
# letter after a lower-case one (vkSj, gS), or ; : , > < [ ] { } | ' " between letters (x;k, fy,).
_LEGACY_SHAPE = re.compile(r"[a-z][A-Z]|[A-Za-z][;:,<>\[\]{}|'\"~`][A-Za-z]")
_LEGACY_FONT_NAMES = re.compile(r"kruti|devlys|chanakya|shusha|walkman", re.I)


def legacy_font_sample(text: str) -> str | None:
    """The first words of *text* when it is Hindi typed in a legacy 8-bit font, else None.

    Such text is Latin letters and punctuation that the font draws as Devanagari (``Hkkjr vkSj :l
    us`` for ``भारत और रूस ने``).  It is recognised when at most a fifth of its letters are Devanagari
    and either 8 % of its words are the Kruti Dev spellings of the commonest Hindi words or 30 %
    of them have the shape of legacy-font text (``vkSj``, ``x;k``).  English, other Latin-script
    languages and romanised Hindi (``Bharat aur Rus ne``) have neither.
    """
    share, letters = devanagari_share(text)
    if letters < 20 or share > 0.2:
        return None
    words = [w for w in text.split() if any("a" <= c.lower() <= "z" for c in w)]
    if len(words) < 5:
        return None
    known = sum(w.rstrip("A") in _KRUTI_WORDS or w in _KRUTI_WORDS for w in words) / len(words)
    shaped = sum(bool(_LEGACY_SHAPE.search(w)) for w in words) / len(words)
    if known < 0.08 and shaped < 0.3:  # the seeds typed in Kruti Dev: 34-45 % shaped, 30-35 % known
        return None
    return " ".join(words[:4])


def _size(n: int) -> str:
    return f"{n // 2**20} MiB" if n >= 2**20 else f"{n} bytes"


def _one_line(exc: object) -> str:
    """An exception's message on one line, escaped and at most 200 characters (parsers of untrusted
    files put raw bytes and line breaks in theirs)."""
    text = printable(" ".join(str(exc).split()))
    return text if len(text) <= 200 else text[:199] + "…"


def _legacy_error(source: str | None, what: str, sample: str) -> InputError:
    return InputError(
        source,
        f"looks like a legacy-font (Kruti Dev) {what}: its text is not Unicode Devanagari but Latin letters "
        f"that the font draws as Hindi ('{sample}'); convert it to Unicode Hindi and try again",
    )


# --- Word -------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# The text of a paragraph: every w:t, tab and break that is not deleted text (tracked changes) nor in
# a text box.  Hand-written because python-docx's Paragraph.text skips runs inside tracked insertions
# (w:ins), content controls (w:sdt), smart tags and simple fields, all common in real documents.
_PARAGRAPH_TEXT = (
    ".//w:t[not(ancestor::w:del) and not(ancestor::w:moveFrom) and not(ancestor::w:txbxContent)]"
    " | .//w:tab[not(ancestor::w:txbxContent) and not(ancestor::w:pPr)]"
    " | .//w:br[not(ancestor::w:txbxContent)] | .//w:cr[not(ancestor::w:txbxContent)]"
)


def read_docx(data: bytes, source: str | None = None) -> list[Unit]:
    """Units of a Word (.docx) document: title, headings and paragraphs in document order.

    A paragraph styled ``Title`` gives a "title" unit, ``Heading N`` a "heading" unit (styles based
    on these count too); other paragraphs and table cells carry no hint, so the cleaner's rules treat
    them as lines of a text file.  Tracked insertions are read and tracked deletions are not (the
    document as it reads with the changes accepted).  Refused with an :class:`InputError`: not a
    .docx (the old .doc format, a password-protected file, any other bytes), damaged, unpacking to
    over :data:`MAX_DOCX_UNPACKED`, or typed in a legacy Hindi font.
    """
    if data.startswith(_OLE_MAGIC):
        raise InputError(
            source, "is an old-format Office file (Word 97-2003 .doc) or a password-protected document; save it "
            "as .docx without a password and try again")
    if not data.startswith(_ZIP_MAGIC):
        raise InputError(source, "not a Word .docx document (it is not a ZIP package)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = package.namelist()
            unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise InputError(source, f"damaged Word .docx document ({_one_line(exc)})") from None
    if "word/document.xml" not in names:
        raise InputError(source, "not a Word .docx document (a ZIP package without word/document.xml)")
    if unpacked > MAX_DOCX_UNPACKED:
        raise InputError(source, f"Word document unpacks to {_size(unpacked)}, over the {_size(MAX_DOCX_UNPACKED)} limit")

    import docx  # imported here: only Word input needs it
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - a third-party parser on untrusted bytes: any failure is "damaged"
        raise InputError(source, f"damaged Word .docx document ({type(exc).__name__}: {_one_line(exc)})") from None
    units: list[Unit] = []
    kinds: dict[str, str | None] = {}
    for p in document.element.body.iter(f"{_W}p"):
        if any(a.tag == f"{_W}txbxContent" for a in p.iterancestors()):
            continue
        text = "".join("\t" if el.tag == f"{_W}tab" else "\n" if el.tag in (f"{_W}br", f"{_W}cr") else el.text or ""
                       for el in p.xpath(_PARAGRAPH_TEXT))
        if not text.strip():
            continue
        style_id = p.style or ""
        if style_id not in kinds:
            kinds[style_id] = _style_kind(Paragraph(p, document).style)
        units.append(Unit(text, kinds[style_id]))
    sample = legacy_font_sample("\n".join(u.text for u in units))
    if sample:
        raise _legacy_error(source, "Word document", sample)
    return units


def _style_kind(style) -> str | None:
    """"title", "heading" or None for a paragraph style, following the styles it is based on."""
    seen = 0
    while style is not None and seen < 20:
        name = (style.name or "").strip().lower()
        if name in ("title", "heading"):
            return name
        if re.fullmatch(r"heading \d", name):
            return "heading"
        style, seen = style.base_style, seen + 1
    return None


# --- PDF --------------------------------------------------------------------------------------

_CID = re.compile(r"\(cid:\d+\)")
_LOST = re.compile("[\x00\ufffd]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_PAGE_NUMBER = re.compile(r"[-–—\s]*(?:page|पृष्ठ|पेज)?\s*[0-9०-९]{1,4}(?:\s*(?:/|of|का)\s*[0-9०-९]{1,4})?[-–—\s]*", re.I)
_ENDS_SENTENCE = re.compile(r"[.।॥?!|][\"'”’)\]]*\s*$")
_CONSONANT = "\u0915-\u0939\u0958-\u095f\u0978-\u097f"
_I_THEN_CLUSTER = re.compile(f"\u093f((?:[{_CONSONANT}]\u093c?\u094d)*[{_CONSONANT}]\u093c?)")
_IMPOSSIBLE_I = re.compile(f"(?<![{_CONSONANT}\u093c])\u093f")


def repair_visual_order(text: str) -> str:
    """*text* with every ``ि`` (U+093F) put after its consonant cluster when the text holds them in
    visual order (drawn before the consonant, as some PDFs store them): ``िकया`` -> ``किया``,
    ``िस्थित`` -> ``स्थिति``.  Text in logical (Unicode) order is returned unchanged.

    The order is told from the text: in Unicode ``ि`` always follows a consonant (or nukta), so a
    ``ि`` after anything else (a space, a vowel sign) is impossible there; when a third or more of
    the ``ि`` are such, the text is in visual order and every ``ि`` moves (in visual text about 80 %
    are, in logical text none).  Hand-written: no library reorders extracted Devanagari.
    """
    total = text.count("\u093f")
    if not total or 3 * len(_IMPOSSIBLE_I.findall(text)) < total:
        return text
    return _I_THEN_CLUSTER.sub(lambda m: m.group(1) + "\u093f", text)


@dataclass
class _Line:
    text: str
    page: int
    x0: float
    x1: float
    y0: float
    y1: float
    size: float


def read_pdf(data: bytes, source: str | None = None) -> list[Unit]:
    """Units of a PDF's text layer: one per paragraph, headings marked by their larger font.

    Refused with an :class:`InputError` on one line: not a PDF, damaged, password-protected, over
    :data:`MAX_PDF_PAGES` pages or :data:`MAX_PDF_UNPACKED` unpacked, no text layer (a scanned PDF),
    a legacy-font (Kruti Dev) PDF, a text layer whose vowel signs and conjuncts were lost.
    """
    if _PDF_MAGIC not in data[:1024]:
        raise InputError(source, "not a PDF document (no %PDF- header)")
    pages, images = _check_pdf(data, source)
    lines, fonts = _pdf_lines(data, source)
    raw = "\n".join(line.text for line in lines)
    letters = sum(ch.isalpha() for ch in raw)
    cids = len(_CID.findall(raw))
    if letters == 0 or cids > letters:
        if letters == 0 and cids == 0:
            if images:
                raise InputError(source, f"PDF has no text layer: its {pages} page(s) are images (a scanned PDF?); "
                                         "it needs OCR before it can be translated")
            raise InputError(source, "PDF holds no text")
        raise InputError(source, "PDF's fonts carry no Unicode text (glyph numbers only): its text cannot be read")
    if images >= pages and letters < 50 * pages:
        raise InputError(source, f"PDF has almost no text layer: its {pages} page(s) are images with {letters} letters "
                                 "of text (a scanned PDF?); it needs OCR before it can be translated")
    in_legacy_fonts = sum(count for name, count in fonts.items() if _LEGACY_FONT_NAMES.search(name))
    sample = legacy_font_sample(raw)
    if sample or 2 * in_legacy_fonts > sum(fonts.values()):
        raise _legacy_error(source, "PDF", sample or " ".join(raw.split()[:4]))
    lost = len(_LOST.findall(raw))
    if lost > MAX_LOST_GLYPHS * (letters + lost):
        raise InputError(
            source, f"PDF's text layer is broken: {lost} of its glyphs map to no character (vowel signs and "
            "conjuncts lost, as in PDFs printed from a browser); export it again from the original document "
            "or use OCR")
    texts = [normalize_line(_CONTROLS.sub("", _CID.sub("", line.text))) for line in lines]
    for line, text in zip(lines, repair_visual_order("\n".join(texts)).split("\n")):
        line.text = text
    return _paragraphs([line for line in lines if line.text])


def _check_pdf(data: bytes, source: str | None) -> tuple[int, int]:
    """Open the PDF with pypdf and decode every stream its pages use, within pypdf's per-stream limits
    and :data:`MAX_PDF_UNPACKED` in all: ``(pages, pages showing an image)``.  Images are not decoded."""
    from pypdf import PdfReader  # imported here: only PDF input needs it
    from pypdf.errors import FileNotDecryptedError, LimitReachedError
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(source, "PDF is password-protected; remove the password and try again")
        pages = len(reader.pages)
        if pages > MAX_PDF_PAGES:
            raise InputError(source, f"PDF has {pages} pages, over the {MAX_PDF_PAGES}-page limit for one article")
        images = sum(_shows_an_image(page) for page in reader.pages)
        unpacked = 0
        seen: set[tuple[int, int]] = set()
        todo: list = [page for page in reader.pages]
        while todo:
            obj = todo.pop()
            if isinstance(obj, IndirectObject):
                if (obj.idnum, obj.generation) in seen:
                    continue
                seen.add((obj.idnum, obj.generation))
                obj = obj.get_object()
            if isinstance(obj, StreamObject):
                if obj.get("/Subtype") == "/Image":
                    continue
                unpacked += len(obj.get_data())
                if unpacked > MAX_PDF_UNPACKED:
                    raise InputError(source, f"PDF unpacks to over {_size(MAX_PDF_UNPACKED)} (a compression bomb?)")
            if isinstance(obj, DictionaryObject):
                todo.extend(value for key, value in obj.items() if key not in ("/Parent", "/P"))
            elif isinstance(obj, ArrayObject):
                todo.extend(obj)
    except InputError:
        raise
    except FileNotDecryptedError:
        raise InputError(source, "PDF is password-protected; remove the password and try again") from None
    except LimitReachedError:
        raise InputError(source, "PDF holds a stream that unpacks past pypdf's limits (a compression bomb?)") from None
    except Exception as exc:  # noqa: BLE001 - any failure of the parser on untrusted bytes
        raise InputError(source, f"damaged or unreadable PDF ({type(exc).__name__}: {_one_line(exc)})") from None
    if pages == 0:
        raise InputError(source, "PDF has no pages")
    return pages, images


def _shows_an_image(page) -> bool:
    """Whether a pypdf page's resources hold an image (directly or in a form it uses)."""
    todo, seen = [page.get("/Resources")], 0
    while todo and seen < 1000:
        resources = todo.pop()
        seen += 1
        resources = resources.get_object() if resources is not None else None
        xobjects = resources.get("/XObject") if hasattr(resources, "get") else None
        xobjects = xobjects.get_object() if xobjects is not None else {}
        for xobject in (xobjects or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Image":
                return True
            if xobject.get("/Subtype") == "/Form":
                todo.append(xobject.get("/Resources"))
    return False


def _pdf_lines(data: bytes, source: str | None) -> tuple[list[_Line], dict[str, int]]:
    """The text lines of every page in the order the PDF draws them, and how many characters each
    font (by name) drew.

    pdfminer.six gives each character with its font, size and position (no layout analysis); the
    lines are built here.  Why not pdfminer's own layout analysis: it cuts a line wherever two
    zero-width glyphs follow each other, and a shaped Devanagari PDF is full of them (``े`` + ``ं``
    of ``में`` drawn as two marks), so "मे" and "ं" ended up in different paragraphs.  A character
    starts a new line when its baseline moves by more than a third of its size, or when it sits more
    than three sizes away from the previous one (another column); a space goes in where the gap
    between a character and the line's right edge so far exceeds 0.15 of the size and the PDF drew
    none.
    """
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    lines: list[_Line] = []
    fonts: dict[str, int] = {}
    current: list = []

    def flush(page: int) -> None:
        if current:
            sizes = [ch.size for ch in current]
            parts = [current[0].get_text()]
            right = current[0].x1  # marks are drawn back over their base: the line's right edge so far
            for ch in current[1:]:
                if ch.x0 - right > 0.15 * ch.size and not parts[-1].endswith(" ") and not ch.get_text().startswith(" "):
                    parts.append(" ")
                parts.append(ch.get_text())
                right = max(right, ch.x1)
            lines.append(_Line("".join(parts), page, min(ch.x0 for ch in current), max(ch.x1 for ch in current),
                               min(ch.y0 for ch in current), max(ch.y1 for ch in current), statistics.median(sizes)))
            current.clear()

    def walk(element, page: int) -> None:
        if isinstance(element, LTChar):
            fonts[element.fontname] = fonts.get(element.fontname, 0) + 1
            if current:
                prev = current[-1]
                size = max(prev.size, element.size, 1.0)
                if abs(element.matrix[5] - prev.matrix[5]) > size / 3 or not -3 * size < element.x0 - prev.x1 < 3 * size:
                    flush(page)
            current.append(element)
            return
        try:
            children = list(element)
        except TypeError:
            return
        for child in children:
            walk(child, page)

    try:
        manager = PDFResourceManager()
        device = PDFPageAggregator(manager, laparams=None)
        interpreter = PDFPageInterpreter(manager, device)
        for number, page in enumerate(PDFPage.get_pages(io.BytesIO(data), maxpages=MAX_PDF_PAGES)):
            interpreter.process_page(page)
            walk(device.get_result(), number)
            flush(number)
    except Exception as exc:  # noqa: BLE001 - any failure of the parser on untrusted bytes
        raise InputError(source, f"damaged or unreadable PDF ({type(exc).__name__}: {_one_line(exc)})") from None
    return lines, fonts


def _paragraphs(lines: list[_Line]) -> list[Unit]:
    """Join a PDF's lines into paragraph units.  Hand-written because pdfminer's own text boxes split
    a paragraph at every line once the line spacing exceeds 1.5 (usual in Devanagari typesetting).

    A line continues the paragraph before it when it has the same font size (within 10 %) and
    either sits right below it (overlapping it horizontally, with no more space between them than
    the document's usual line gap plus 0.4 of the font size) or, when the paragraph's last line does
    not end a sentence, starts the next page or a new column.  A paragraph in a font 15 % larger
    than the body text (the size most characters have) is a heading; a line holding only a page
    number is dropped (a unit with a reason, after the text).
    """
    weights: dict[float, int] = {}
    for line in lines:
        weights[round(line.size, 1)] = weights.get(round(line.size, 1), 0) + len(line.text)
    body = max(weights, key=weights.get) if weights else 0.0
    gaps = [prev.y0 - cur.y1 for prev, cur in zip(lines, lines[1:])
            if prev.page == cur.page and _same_size(prev, cur) and _overlap(prev, cur) and prev.y1 > cur.y1]
    usual_gap = statistics.median(gaps) if gaps else 0.0

    paragraphs: list[list[_Line]] = []
    page_numbers: list[Unit] = []
    for line in lines:
        if _PAGE_NUMBER.fullmatch(line.text):
            page_numbers.append(Unit(line.text, reason="page number"))
            continue
        prev = paragraphs[-1][-1] if paragraphs else None
        if prev is not None and _same_size(prev, line) and (
            (prev.page == line.page and _overlap(prev, line) and prev.y1 > line.y1
             and prev.y0 - line.y1 <= usual_gap + 0.4 * line.size)
            or (not _ENDS_SENTENCE.search(prev.text)
                and (line.page == prev.page + 1 or (line.page == prev.page and line.y1 > prev.y1 and line.x0 > prev.x0)))
        ):
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    units = []
    for group in paragraphs:
        text = " ".join(line.text for line in group)
        heading = group[0].size >= 1.15 * body and len(text) <= 300
        units.append(Unit(text, "heading" if heading else None))
    return units + page_numbers


def _same_size(a: _Line, b: _Line) -> bool:
    return abs(a.size - b.size) <= 0.1 * max(a.size, b.size)


def _overlap(a: _Line, b: _Line) -> bool:
    return min(a.x1, b.x1) > max(a.x0, b.x0)
