"""Terminology: a TSV glossary of ``Hindi term<TAB>English rendering`` and where its terms occur.

The default news glossary (``glossary-news.tsv`` beside this module, package data; ``models/glossary-news.tsv`` in a checkout links to it: countries, institutions, offices and a few
public figures that recur in Hindi news) is loaded first; a user's file overrides its entries.

    glossary = Glossary.load("my-terms.tsv")
    glossary.find("हम शंघाई सहयोग संगठन के सदस्य हैं")
    # [(3, 21, 'शंघाई सहयोग संगठन', 'Shanghai Cooperation Organisation')]

An English rendering may list the other renderings a correct translation uses, after the first and
separated by ``|`` (``अमेरिका<TAB>United States | US | America``): the first is what the model is
given, any of them passes the check. A country and its adjective in the glossary (रूस / रूसी, भारत /
भारतीय: the adjective is the country's word plus ``ी`` or ``ीय``) accept each other's renderings, so
"the Russian President" passes for रूस के राष्ट्रपति (:meth:`Glossary.accepted`).

Matching is on word boundaries (a Devanagari term never matches inside a longer word, whose vowel
signs and viramas are not ``\\w`` to Python's ``re``, so the boundary class is spelled out) and
tolerant of the nukta: ``हजार`` and ``हज़ार`` (either Unicode form) are the same term, because
scraped Hindi drops and keeps the nukta at random.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError

DEFAULT_GLOSSARY_PATH: Path = Path(__file__).resolve().with_name("glossary-news.tsv")

_NUKTA = "\u093c"
# Consonants with a precomposed nukta letter (U+0929, U+0931, U+0934, U+0958-U+095F), keyed by base.
_PRECOMPOSED = {
    unicodedata.normalize("NFD", chr(code))[0]: chr(code)
    for code in (0x0929, 0x0931, 0x0934, *range(0x0958, 0x0960))
}
# Characters that continue a word: letters, digits, underscore (\w), every Devanagari letter, sign
# and digit (the dandas U+0964/U+0965 excepted), and the zero-width (non-)joiners.
_WORD_CHAR = r"[\w\u0900-\u0963\u0966-\u097f\u200c\u200d]"


def term_key(term: str) -> str:
    """The form terms are compared in: NFC with every nukta removed, whitespace collapsed."""
    plain = unicodedata.normalize("NFD", term).replace(_NUKTA, "")
    return " ".join(unicodedata.normalize("NFC", plain).split())


def term_pattern(term: str) -> str:
    """Regex for one term: nukta optional after each consonant, either Unicode form, any spacing."""
    parts = []
    for ch in term_key(term):
        if ch == " ":
            parts.append(r"\s+")
        elif ch in _PRECOMPOSED:
            parts.append(f"(?:{re.escape(ch)}|{_PRECOMPOSED[ch]}){_NUKTA}?")
        elif "\u0915" <= ch <= "\u0939":
            parts.append(f"{ch}{_NUKTA}?")
        else:
            parts.append(re.escape(ch))
    return "".join(parts)


@dataclass
class Glossary:
    """Hindi term -> English rendering (and the other accepted renderings after ``|``: see the module
    docstring). Terms found in a source must come out as one of them."""

    entries: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._regex: re.Pattern[str] | None = None
        self._by_key: dict[str, str] = {}
        self._own: dict[str, tuple[str, ...]] = {}  # term_key -> the term's renderings, built on first use

    def _renderings(self) -> dict[str, tuple[str, ...]]:
        if not self._own:
            self._own = {term_key(hindi): renderings(english) for hindi, english in self.entries.items()}
        return self._own

    def rendering(self, term: str) -> str:
        """The English a term is given to the model as: the first of its renderings."""
        return self._renderings()[term_key(term)][0]

    def accepted(self, term: str, *, also_in_source: "set[str] | frozenset[str]" = frozenset()) -> tuple[str, ...]:
        """Every English rendering that passes for ``term`` (a glossary term, in any nukta form): its
        own, then those of its country or adjective (रूसी accepts "Russia", रूस accepts "Russian")
        unless that partner is itself in the source sentence (``also_in_source``: the sentence's other
        glossary terms, :func:`term_key` form), whose English would otherwise hide this one's loss."""
        own = self._renderings()
        key = term_key(term)
        if key not in own:
            return ()
        partners = [other for other in _demonym_partners(key) if other in own and other not in also_in_source]
        return tuple(dict.fromkeys([*own[key], *(form for other in partners for form in own[other])]))

    @classmethod
    def load(cls, path: str | Path | None = None, *, include_default: bool = True) -> "Glossary":
        """Default entries first (unless ``include_default=False``), then the user's file on top.

        Raises UsageError naming the file (and line) for a missing, unreadable or malformed file.
        """
        entries = _read(DEFAULT_GLOSSARY_PATH) if include_default else {}
        if path is not None:
            entries.update(_read(Path(path)))
        return cls(entries)

    @classmethod
    def from_text(cls, tsv_text: str, *, source: str = "glossary", include_default: bool = True) -> "Glossary":
        """Like :meth:`load`, from the text of a TSV file (a web upload); ``source`` names it in errors."""
        entries = _read(DEFAULT_GLOSSARY_PATH) if include_default else {}
        entries.update(parse_tsv(tsv_text, source))
        return cls(entries)

    def __len__(self) -> int:
        return len(self.entries)

    def find(self, text: str) -> list[tuple[int, int, str, str]]:
        """Glossary terms in ``text`` as ``(start, end, hindi, english)``, in text order.

        Longest term first where terms overlap (``रक्षा मंत्री`` wins over ``मंत्री``), matches never
        overlap, and a term only matches as whole words.
        """
        if not self.entries:
            return []
        if self._regex is None:
            self._by_key = {term_key(hindi): hindi for hindi in self.entries}
            terms = sorted(self._by_key, key=len, reverse=True)
            alternatives = "|".join(term_pattern(term) for term in terms)
            self._regex = re.compile(f"(?<!{_WORD_CHAR})(?:{alternatives})(?!{_WORD_CHAR})")
        found = []
        for match in self._regex.finditer(text):
            hindi = self._by_key[term_key(match.group())]
            found.append((match.start(), match.end(), hindi, self.rendering(hindi)))
        return found


def renderings(english: str) -> tuple[str, ...]:
    """A glossary entry's English field as its renderings: ``"United States | US"`` -> both, first first."""
    return tuple(part for part in (" ".join(p.split()) for p in english.split("|")) if part)


def adjective_bases(term: str) -> list[str]:
    """The words ``term`` would be the adjective of (भारतीय -> भारत; रूसी -> रूस, रूसा; none for भारत):
    the country's word plus ``ीय``, or plus ``ी`` (a final ा giving way to it: अमेरिका -> अमेरिकी)."""
    for suffix, endings in (("ीय", ("",)), ("ी", ("", "ा"))):
        if term.endswith(suffix):
            return [term[: -len(suffix)] + ending for ending in endings]
    return []


def _demonym_partners(key: str) -> list[str]:
    """The terms (:func:`term_key` form) that may be ``key``'s adjective or country: भारत <-> भारतीय,
    रूस <-> रूसी, अमेरिका <-> अमेरिकी."""
    adjectives = [key + "ी", key + "ीय", *([key[:-1] + "ी"] if key.endswith("ा") else [])]
    return adjectives + adjective_bases(key)


def parse_tsv(text: str, source: str) -> dict[str, str]:
    """``Hindi<TAB>English`` lines -> entries. ``#`` comments and blank lines are skipped.

    Raises UsageError naming ``source`` and the line number of the first bad line.
    """
    entries: dict[str, str] = {}
    first_line: dict[str, int] = {}
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        columns = raw.rstrip("\r\n").split("\t")
        if len(columns) != 2:
            raise UsageError(
                f"{source}: line {number}: expected 'Hindi term<TAB>English rendering', "
                f"found {len(columns)} tab-separated column{'s' if len(columns) != 1 else ''}"
            )
        hindi = " ".join(unicodedata.normalize("NFC", columns[0]).split())
        english = " | ".join(renderings(columns[1]))
        if not hindi or not english:
            raise UsageError(f"{source}: line {number}: the {'Hindi term' if not hindi else 'English rendering'} is empty")
        if hindi in entries and entries[hindi] != english:
            raise UsageError(
                f"{source}: line {number}: '{hindi}' is already given as '{entries[hindi]}' on line {first_line[hindi]}"
            )
        entries[hindi] = english
        first_line.setdefault(hindi, number)
    return entries


def _read(path: Path) -> dict[str, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: glossary file not found") from None
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: glossary is not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read glossary: {exc.strerror}") from None
    return parse_tsv(text, str(path))
