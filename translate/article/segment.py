"""Split Hindi (and mixed Hindi-English) news text into sentences.

    >>> split_sentences("डॉ. एस. जयशंकर मॉस्को पहुंचे. वहां 1.5 घंटे बात हुई।")
    ['डॉ. एस. जयशंकर मॉस्को पहुंचे.', 'वहां 1.5 घंटे बात हुई।']

Why a hand-written scanner rather than a library: the sentence splitters that ship with the
project's dependencies (nltk's Punkt, trafilatura/justext) have no Hindi model, treat ``।`` as an
ordinary character and split ``डॉ.``; pySBD/indic-nlp are not dependencies.  The rules below are
the ones Hindi news needs, measured on FLORES-200 (``bench/segmentation.py``).

Boundaries are placed after ``।`` ``॥`` ``?`` ``!`` ``|`` ``.`` and at a blank line, except:

- ``.`` after an abbreviation (:data:`ABBREVIATIONS`) or a single initial (``एस.``, ``वी.``, ``A.``);
- ``.`` between digits (``1.5``), and ``.``/``?``/``!`` inside a URL or e-mail address;
- a terminator followed by more punctuation such as ``:`` ``,`` ``-`` (``करीबी?: दोनों``);
- an ellipsis (``…``, ``...``) is never a boundary: every mid-paragraph ellipsis in FLORES-200
  devtest (4) and newstest2014 (2) continues the sentence (``करता है ... मैं तैयार``); a doubled
  period ``..`` ends sentences in both (``कहा.. किस``) and counts as a period;
- a piece holding no letter or digit is joined to the next one.

Closing quotes and brackets right after a terminator stay with its sentence (``…है।"``), also
across one space (``थे। ”``, as FLORES writes it).  A missing space after a terminator still splits
(``है.इस``).  Whitespace between sentences is dropped and nothing else: ``"".join(pieces)`` equals
the input with its whitespace removed.  The scan is one pass with bounded look-back, so it runs
in linear time even on a 20,000-character line with no terminator.
"""

from __future__ import annotations

import re
import unicodedata

from .cleaning import is_devanagari

__all__ = ["split_sentences", "ABBREVIATIONS"]

#: Words that take a period without ending a sentence (compared case-insensitively, without the
#: period).  Latin: titles and Latin abbreviations seen in Indian English news.  Devanagari: titles
#: (``डॉ.`` doctor, ``प्रो.`` professor, ``श्री.``), units and the names of Latin letters, which is how
#: initials are spelled in Hindi (``एस. जयशंकर``, ``अलेक्जेंडर वी. फोमिन``).  Stored in NFC, the form
#: :func:`translate.article.cleaning.normalize_text` gives the text.
ABBREVIATIONS: frozenset[str] = frozenset(
    unicodedata.normalize("NFC", word)
    for word in {
        # Latin titles and abbreviations
        "mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "sh", "smt", "gen", "col", "lt", "capt",
        "maj", "sgt", "rev", "hon", "etc", "vs", "viz", "no", "nos", "vol", "fig", "approx", "inc",
        "ltd", "co", "corp", "govt", "dept", "est", "ie", "eg", "rs", "mt", "ft", "km", "kg",
        # Devanagari titles and units
        "डॉ", "डा", "प्रो", "श्री", "श्रीमती", "सुश्री", "कु", "मि", "सं", "रु", "पू", "कि", "मी",
        # Latin letters as spelled in Devanagari (initials)
        "ए", "बी", "सी", "डी", "ई", "एफ", "जी", "एच", "आई", "जे", "के", "एल", "एम", "एन", "ओ",
        "पी", "क्यू", "आर", "एस", "टी", "यू", "वी", "डब्ल्यू", "डब्लू", "एक्स", "वाई", "जेड", "ज़ेड",
    }
)

_HARD_TERMINATORS = frozenset("।॥?!|")
_CLOSERS = frozenset("\"'”’»)]}›")
# Closers that can only close: allowed after terminator + one space (FLORES writes ``थे। ”``).
_ONLY_CLOSERS = frozenset("”’»)]}›")
# After a terminator these characters continue the sentence (``करीबी?: दोनों``, ``?,``).
_CONTINUERS = frozenset(",;:-–—")
_MAX_ABBREV_LEN = max(len(a) for a in ABBREVIATIONS)
_TOKEN_RE = re.compile(r"\S+")
_TRAILING_PUNCT = ".,;:!?)]}\"'”’»|।"


def _is_word_char(ch: str) -> bool:
    """Letters, digits and combining marks (Devanagari matras and virama are marks, not letters)."""
    return ch.isalnum() or (is_devanagari(ch) and ch not in "।॥")


def _protected_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of URLs and e-mail addresses, whose ``.``/``?``/``!`` end nothing.

    Works token by token (whitespace-separated) so it stays linear; a trailing ``.`` or ``)``
    after the address is left outside the span so it can still end the sentence.
    """
    spans = []
    for match in _TOKEN_RE.finditer(text):
        token = match.group()
        lower = token.lower()
        at = token.find("@")
        is_url = "://" in token or lower.startswith("www.") or lower.startswith("(www.")
        is_mail = at > 0 and "." in token[at + 1 :]
        if is_url or is_mail:
            end = match.end()
            while end > match.start() and text[end - 1] in _TRAILING_PUNCT:
                end -= 1
            spans.append((match.start(), end))
    return spans


def _word_before(text: str, i: int) -> str:
    """The word that ends right before position *i*, or "" when longer than any abbreviation."""
    j = i
    while j > 0 and i - j <= _MAX_ABBREV_LEN and _is_word_char(text[j - 1]):
        j -= 1
    if i - j > _MAX_ABBREV_LEN or (j > 0 and _is_word_char(text[j - 1])):
        return ""
    return text[j:i]


def _is_abbreviation(word: str) -> bool:
    if not word:
        return False
    if len(word) == 1 and word.isalpha() and word.isupper():
        return True  # Latin initial: "A."
    return word.casefold() in ABBREVIATIONS


def _period_ends_sentence(text: str, i: int, n: int) -> bool:
    """Decide for a single ``.`` at *i* (not part of an ellipsis)."""
    prev = text[i - 1] if i > 0 else ""
    nxt = text[i + 1] if i + 1 < n else ""
    if prev.isdigit() and nxt.isdigit():
        return False  # 1.5, 2.3
    if _is_abbreviation(_word_before(text, i)):
        return False
    if nxt and nxt.isascii() and nxt.isalnum() and not nxt.isupper():
        return False  # abplive.com, e.g, file.txt: a lower-case letter glued to the period
    if nxt.isdigit():
        return False  # version numbers, dotted dates 11.07.2025
    return True


def _after_closers(text: str, j: int, n: int) -> int:
    """Extend a boundary at *j* over closing quotes/brackets and further terminators (``!).``),
    also over closers across one space."""
    while j < n and (text[j] in _CLOSERS or text[j] in _HARD_TERMINATORS or text[j] in ".…"):
        j += 1
    if j + 1 < n and text[j] == " " and text[j + 1] in _ONLY_CLOSERS:
        k = j + 1
        while k < n and text[k] in _CLOSERS:
            k += 1
        if k == n or text[k].isspace():
            j = k
    return j


def _boundaries(text: str) -> list[int]:
    """Positions (exclusive ends) where a sentence stops, in increasing order."""
    n = len(text)
    spans = _protected_spans(text)
    span_idx = 0
    cuts: list[int] = []
    i = 0
    while i < n:
        ch = text[i]
        while span_idx < len(spans) and spans[span_idx][1] <= i:
            span_idx += 1
        if span_idx < len(spans) and spans[span_idx][0] <= i:
            i = spans[span_idx][1]  # skip over the URL / e-mail address
            continue
        if ch == "\n":
            j = i + 1
            while j < n and text[j] in " \t\r\f\v":
                j += 1
            if j < n and text[j] == "\n":
                cuts.append(i)  # blank line: paragraph break
            i = j
            continue
        if ch == "…" or (ch == "." and text.startswith(".", i + 1)):
            j = i
            while j < n and text[j] in ".…":
                j += 1
            if text[i:j] != "..":
                i = j  # an ellipsis continues the sentence (see the module docstring)
                continue
            i, ch = j - 1, "."  # ".." is a period typed twice: decide on its last dot
        if ch in _HARD_TERMINATORS or ch == ".":
            j = i + 1
            if ch != ".":
                while j < n and (text[j] in _HARD_TERMINATORS or text[j] == "."):
                    j += 1  # "?!", "।।", "!!!"
            elif not _period_ends_sentence(text, i, n):
                i += 1
                continue
            j = _after_closers(text, j, n)
            if j < n and text[j] in _CONTINUERS:
                i = j
                continue
            cuts.append(j)
            i = j
            continue
        i += 1
    return cuts


def _has_word(piece: str) -> bool:
    return any(c.isalnum() for c in piece)


def split_sentences(text: str) -> list[str]:
    """Split *text* into sentences, stripped of surrounding whitespace.

    Concatenating the result gives back *text* without its whitespace: no character is lost or
    invented.  A last sentence without terminator is returned as is; pieces holding no letter or
    digit are joined to the following sentence (or to the previous one at the end).
    """
    pieces: list[str] = []
    start = 0
    pending = ""  # a piece with no letter/digit, waiting to be glued to the next sentence
    for cut in [*_boundaries(text), len(text)]:
        piece = text[start:cut].strip()
        start = cut
        if not piece:
            continue
        if pending:
            piece = pending + " " + piece
            pending = ""
        if _has_word(piece):
            pieces.append(piece)
        else:
            pending = piece
    if pending:
        if pieces:
            pieces[-1] = pieces[-1] + " " + pending
        else:
            pieces.append(pending)
    return pieces
