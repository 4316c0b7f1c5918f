"""Clean scraped Hindi news: normalize the text, drop page furniture, keep every story line once.

The input is a list of :class:`Unit` (one line of a text file, or one element of an HTML or
Markdown page); the output is a :class:`Cleaned` page: title, metadata, story blocks and the
removed lines with their reasons.  What counts as furniture lives in one declarative table,
``cleaning_rules.toml`` (see its header for the format); :func:`load_rules` reads it, plus a
user's own TOML file.  The matching code is one loop over that table.

Steps, in order:

1. :func:`normalize_text` on every line (Unicode NFC, Indic zero-width handling, whitespace).
2. Line rules: metadata lines, dropped lines, "cut from here" lines (see the TOML header).
3. Title: the page's title (JSON header / HTML ``<title>``) if given, else the first line when it
   reads like a headline (at most ``title_max_chars``, no final ``. । ॥ | !``).  A body line equal
   to the title is the title, not a block.
4. Repeated paragraphs: exact repeats (same words, ignoring case and punctuation) and
   near-duplicates (``difflib.SequenceMatcher`` ratio over word tokens >= ``near_duplicate_ratio``,
   for paragraphs of at least ``near_duplicate_min_words`` words) are removed; the first copy stays.
5. Headings: a line with a structural hint (Markdown ``#``, HTML ``h1``-``h6``) keeps it; otherwise
   a line is a heading when it is short (<= ``heading_max_chars``), has no final ``. । ॥ | !``
   (a question can be a heading) and the next kept line is a paragraph.  So two short lines in a
   row, or a short last line, stay paragraphs.

Cleaning is idempotent: cleaning :meth:`Cleaned.to_units` again gives the same page.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import UsageError

__all__ = [
    "Unit",
    "Rule",
    "Rules",
    "Cleaned",
    "load_rules",
    "normalize_text",
    "normalize_line",
    "clean_units",
    "text_units",
    "devanagari_share",
    "is_devanagari",
]

# --- normalization ----------------------------------------------------------------------------

_LINE_BREAK = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# Characters that never carry text: C0/C1 controls (tab and newline excepted), bidi marks,
# zero-width space, word joiners, BOM, soft hyphen, lone surrogates (from JSON "\ud800"), the two
# non-characters.  ZWJ/ZWNJ are handled separately (they can be meaningful inside a conjunct).
_INVISIBLE = re.compile(
    r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e"
    r"\u2060-\u2064\u2066-\u2069\ud800-\udfff\ufeff\ufffe\uffff]"
)
# ZWNJ / ZWJ are kept only between two Devanagari letters, marks or viramas (e.g. "क्‍ष" forms).
_DEVANAGARI_LETTER = "\u0900-\u0963\u0971-\u097f\ua8e0-\ua8ff"
_STRAY_JOINER = re.compile(
    f"(?<![{_DEVANAGARI_LETTER}])[\u200c\u200d]|[\u200c\u200d](?![{_DEVANAGARI_LETTER}])"
)
# Terminal escape sequences (ANSI CSI such as "\x1b[31m", and two-character escapes): the whole
# sequence goes, not only the ESC, so "[31m" never reaches the story.
_ANSI_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]")
_SPACES = re.compile(r"[^\S\n]+")
_SPACE_AROUND_NEWLINE = re.compile(r" ?\n ?")


def normalize_text(text: str) -> str:
    """Normalize *text*, keeping its line breaks: NFC, invisible characters out, spaces collapsed.

    - every line-break convention (``\\r\\n``, ``\\r``, U+2028, ...) becomes ``\\n``;
    - terminal escape sequences, control characters, bidi marks, ZWSP, BOM, soft hyphens and
      lone surrogates are removed;
    - ZWJ/ZWNJ are kept only between two Devanagari letters/marks (where they select a conjunct
      form) and removed elsewhere;
    - Unicode NFC, which also unifies the two spellings of nukta letters (``ज़`` as one code point
      or as ``ज`` + nukta) and of other composed Devanagari letters;
    - runs of spaces, tabs and other Unicode spaces (NBSP, thin space, ...) become one space.
    Idempotent: ``normalize_text(normalize_text(t)) == normalize_text(t)``.
    """
    text = _INVISIBLE.sub("", _ANSI_ESCAPE.sub("", _LINE_BREAK.sub("\n", text)))
    text = _STRAY_JOINER.sub("", text)
    text = unicodedata.normalize("NFC", text)
    return _SPACE_AROUND_NEWLINE.sub("\n", _SPACES.sub(" ", text))


def normalize_line(text: str) -> str:
    """:func:`normalize_text` with every run of whitespace, line breaks included, made one space."""
    return " ".join(normalize_text(text).split())


def is_devanagari(ch: str) -> bool:
    """Whether the character *ch* is in the Devanagari or Devanagari Extended block."""
    return "\u0900" <= ch <= "\u097f" or "\ua8e0" <= ch <= "\ua8ff"


def devanagari_share(text: str) -> tuple[float, int]:
    """Share of Devanagari among the letters of *text*, and the number of letters."""
    letters = devanagari = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            devanagari += is_devanagari(ch)
    return (devanagari / letters if letters else 0.0), letters


# --- the rules table --------------------------------------------------------------------------

_ACTIONS = ("metadata", "drop", "cut")
_KINDS = ("exact", "prefix", "regex")
_SETTINGS_DEFAULTS: dict[str, int | float] = {
    "heading_max_chars": 100,
    "title_max_chars": 160,
    "previous_max_chars": 80,
    "near_duplicate_min_words": 8,
    "near_duplicate_ratio": 0.9,
    "near_duplicate_window": 200,
    "max_rule_line_chars": 400,
}
_TRAILING_MARKS = " :：-–—|"


def _fold(text: str) -> str:
    """Comparison key of exact/prefix patterns: normalized, case-folded, trailing ``:-|`` off."""
    return normalize_line(text).casefold().rstrip(_TRAILING_MARKS)


@dataclass(frozen=True)
class Rule:
    """One pattern of the rules table.

    ``action`` is "metadata", "drop" or "cut"; ``label`` is the metadata key or the reason;
    ``kind`` is "exact", "prefix" or "regex".
    """

    action: str
    label: str
    kind: str
    pattern: str
    previous: str | None = None
    value: str | None = None
    before_story: str = "widget heading"
    compiled: re.Pattern | None = field(default=None, compare=False, repr=False)

    def match(self, line: str, folded: str) -> str | None:
        """The value this rule reads from *line* (its metadata value, or the line), or None."""
        if self.kind == "exact":
            return line if folded.rstrip(_TRAILING_MARKS) == self.pattern else None
        if self.kind == "prefix":
            if not folded.startswith(self.pattern):
                return None
            return line[len(self.pattern) :].strip(_TRAILING_MARKS) or line
        found = self.compiled.search(line)
        if found is None:
            return None
        value = found.groupdict().get("value")
        return value.strip() if value else line


@dataclass(frozen=True)
class Rules:
    """The loaded rules table: ordered line rules and the numeric settings."""

    rules: tuple[Rule, ...]
    settings: dict[str, Any]

    def first_match(self, line: str) -> tuple[Rule, str] | None:
        """The first rule matching *line* and the value it reads, or None (one loop, table order)."""
        if len(line) > self.settings["max_rule_line_chars"]:
            return None
        folded = line.casefold()
        for rule in self.rules:
            value = rule.match(line, folded)
            if value is not None:
                return rule, value
        return None


def _parse_rules(data: dict, where: str) -> tuple[list[Rule], dict[str, Any]]:
    """Validate one TOML table and turn it into rules; errors name *where* and the entry."""
    unknown = set(data) - {"settings", *_ACTIONS}
    if unknown:
        raise UsageError(f"{where}: unknown section(s) {', '.join(sorted(unknown))}; expected settings, {', '.join(_ACTIONS)}")
    settings = data.get("settings", {})
    if not isinstance(settings, dict):
        raise UsageError(f"{where}: [settings] must be a table")
    for name, value in settings.items():
        if name not in _SETTINGS_DEFAULTS:
            raise UsageError(f"{where}: unknown setting {name!r}")
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
            raise UsageError(f"{where}: setting {name!r} must be a positive number, got {value!r}")
    rules: list[Rule] = []
    for action in _ACTIONS:
        entries = data.get(action, [])
        if not isinstance(entries, list):
            raise UsageError(f"{where}: [[{action}]] must be an array of tables")
        for n, entry in enumerate(entries, 1):
            rules.extend(_parse_entry(action, entry, f"{where}: [[{action}]] #{n}"))
    return rules, settings


def _parse_entry(action: str, entry: Any, where: str) -> list[Rule]:
    if not isinstance(entry, dict):
        raise UsageError(f"{where}: must be a table")
    label_name = "key" if action == "metadata" else "reason"
    label = entry.get(label_name)
    if not isinstance(label, str) or not label.strip():
        raise UsageError(f"{where}: needs a {label_name!r} string")
    allowed = {label_name, *_KINDS, "previous"} | ({"value"} if action == "metadata" else set())
    allowed |= {"before_story"} if action == "cut" else set()
    extra = set(entry) - allowed
    if extra:
        raise UsageError(f"{where}: unknown field(s) {', '.join(sorted(extra))}")
    if action == "cut" and "previous" in entry:
        raise UsageError(f"{where}: 'previous' is not allowed in [[cut]]")
    if entry.get("value", "next_line") != "next_line":
        raise UsageError(f"{where}: 'value' can only be \"next_line\"")
    options = {k: entry[k] for k in ("previous", "value", "before_story") if k in entry}
    for name, option in options.items():
        if not isinstance(option, str) or not option.strip():
            raise UsageError(f"{where}: {name!r} must be a non-empty string")
    rules = []
    for kind in _KINDS:
        patterns = entry.get(kind, [])
        if isinstance(patterns, str):
            patterns = [patterns]
        if not isinstance(patterns, list) or not all(isinstance(p, str) and p.strip() for p in patterns):
            raise UsageError(f"{where}: {kind!r} must be a list of non-empty strings")
        for pattern in patterns:
            compiled = None
            if kind == "regex":
                pattern = unicodedata.normalize("NFC", pattern)
                try:
                    compiled = re.compile(pattern, re.IGNORECASE)
                except re.error as exc:
                    raise UsageError(f"{where}: bad regex {pattern!r}: {exc}") from None
            elif kind == "prefix":  # keep a trailing ":" or space: "Reporter " must not match "Reporters"
                pattern = normalize_line(pattern).casefold() + (" " if pattern[-1].isspace() else "")
            else:
                pattern = _fold(pattern)
            rules.append(Rule(action, label.strip(), kind, pattern, compiled=compiled, **options))
    if not rules:
        raise UsageError(f"{where}: needs at least one of {', '.join(_KINDS)}")
    return rules


def _read_toml(source, where: str) -> dict:
    try:
        return tomllib.loads(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{where}: cannot read rules file: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{where}: not a valid UTF-8 TOML rules file: {exc}") from None


@lru_cache(maxsize=1)
def _builtin_rules() -> tuple[list[Rule], dict[str, Any]]:
    builtin = resources.files("translate.article").joinpath("cleaning_rules.toml")
    rules, settings = _parse_rules(_read_toml(builtin, "cleaning_rules.toml"), "cleaning_rules.toml")
    return rules, dict(_SETTINGS_DEFAULTS) | settings


def load_rules(extra_path: str | Path | None = None) -> Rules:
    """The built-in rules table, extended by the user's TOML file *extra_path* if given.

    The user's rules are tried before the built-in ones and the user's ``[settings]`` override
    the built-in values.  A missing or malformed file raises :class:`UsageError` naming it.
    The built-in table is read once per process; a user file is read at every call.
    """
    rules, settings = _builtin_rules()
    if extra_path is None:
        return Rules(tuple(rules), dict(settings))
    where = str(extra_path)
    user_rules, user_settings = _parse_rules(_read_toml(Path(extra_path), where), where)
    return Rules(tuple(user_rules + rules), settings | user_settings)


# --- cleaning ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """One line or element of the input.

    ``hint`` is "title", "heading" or "paragraph" when the input's structure says so (Markdown,
    HTML), else None.  ``reason`` set means the reader already knows the unit is not story text
    (a JSON header, a code block): it goes straight to ``removed``.
    """

    text: str
    hint: str | None = None
    reason: str | None = None


@dataclass
class Cleaned:
    """The result of :func:`clean_units`: ``blocks`` are ``(kind, text)`` pairs."""

    title: str
    metadata: dict[str, str]
    blocks: list[tuple[str, str]]
    removed: list[dict[str, str]]

    def to_units(self) -> list[Unit]:
        """The kept page as units with structural hints, for cleaning it again."""
        units = [Unit(self.title, "title")] if self.title else []
        return units + [Unit(text, kind) for kind, text in self.blocks]


_TERMINATORS = ".।॥|!"
_CLOSERS = "\"'”’»)]}"
_PUNCT = "\"'”’“‘«»()[]{}.,;:!?।॥|-–—…*#"


def _ends_sentence(text: str) -> bool:
    return text.rstrip(_CLOSERS + " ")[-1:] in tuple(_TERMINATORS)


def _tokens(text: str) -> list[str]:
    """Word tokens for duplicate detection: case-folded, punctuation stripped."""
    return [t for t in (w.strip(_PUNCT) for w in text.casefold().split()) if t]


@dataclass
class _Entry:
    index: int
    text: str
    hint: str | None


class _Deduper:
    """Finds exact and near-duplicate paragraphs among the ones kept so far."""

    def __init__(self, settings: dict[str, Any]):
        self.min_words = settings["near_duplicate_min_words"]
        self.ratio = settings["near_duplicate_ratio"]
        self.window = int(settings["near_duplicate_window"])
        self.exact: set[tuple[str, ...]] = set()
        self.recent: list[list[str]] = []

    def check(self, text: str) -> str | None:
        """The removal reason when *text* repeats a kept line, else None (and remember it)."""
        tokens = _tokens(text)
        key = tuple(tokens) if tokens else (text,)
        if key in self.exact:
            return "duplicate paragraph"
        if len(tokens) >= self.min_words:
            for other in self.recent[-self.window :]:
                total = len(tokens) + len(other)
                if 2 * min(len(tokens), len(other)) < self.ratio * total:
                    continue  # lengths too different to reach the ratio
                matcher = SequenceMatcher(None, other, tokens, autojunk=False)
                if matcher.quick_ratio() >= self.ratio and matcher.ratio() >= self.ratio:
                    return "near-duplicate paragraph"
            self.recent.append(tokens)
        self.exact.add(key)
        return None


def clean_units(units: list[Unit], rules: Rules | None = None, *, title: str = "") -> Cleaned:
    """Clean *units* with *rules* (default: :func:`load_rules`); *title* is a known page title.

    Every non-blank unit ends up exactly once in the title, a block or ``removed`` (in input
    order, each ``{"line": ..., "reason": ...}``), so nothing of the story is lost silently.
    """
    rules = rules or load_rules()
    cfg = rules.settings
    metadata: dict[str, str] = {}
    removed: list[tuple[int, str, str]] = []
    kept: list[_Entry] = []
    paragraphs_kept = 0  # the story has started once a paragraph-like line was kept
    cut_after: str | None = None
    take_next: str | None = None
    last_index = -1

    def paragraph_like(entry: _Entry) -> bool:
        return entry.hint == "paragraph" or (entry.hint is None and not _heading_like(entry.text, cfg))

    def take_previous(index: int, label: str, as_metadata: bool) -> None:
        nonlocal paragraphs_kept
        if not kept or kept[-1].index != index - 1 or kept[-1].hint == "title":
            return
        prev = kept[-1]
        if len(prev.text) > cfg["previous_max_chars"]:
            return
        kept.pop()
        paragraphs_kept -= paragraph_like(prev)
        if as_metadata:
            metadata.setdefault(label, prev.text)
            removed.append((prev.index, prev.text, f"metadata: {label}"))
        else:
            removed.append((prev.index, prev.text, label))

    for unit in units:
        text = normalize_line(unit.text)
        if not text:
            continue
        last_index += 1
        index = last_index
        if unit.reason:
            removed.append((index, text, unit.reason))
            continue
        if cut_after is not None:
            removed.append((index, text, f"after {cut_after}"))
            continue
        if take_next is not None:
            metadata.setdefault(take_next, text)
            removed.append((index, text, f"metadata: {take_next}"))
            take_next = None
            continue
        found = rules.first_match(text) if unit.hint != "title" else None
        if found is None:
            entry = _Entry(index, text, unit.hint)
            kept.append(entry)
            paragraphs_kept += paragraph_like(entry)
            continue
        rule, value = found
        if rule.action == "metadata":
            if rule.value == "next_line":
                take_next = rule.label
            else:
                metadata.setdefault(rule.label, value)
            if rule.previous:
                take_previous(index, rule.previous, as_metadata=True)
            removed.append((index, text, f"metadata: {rule.label}"))
        elif rule.action == "drop":
            if rule.previous:
                take_previous(index, rule.previous, as_metadata=False)
            removed.append((index, text, rule.label))
        elif paragraphs_kept:  # cut
            cut_after = text
            removed.append((index, text, rule.label))
        else:
            removed.append((index, text, rule.before_story))

    title, kept = _find_title(kept, title, cfg)
    deduper = _Deduper(cfg)
    if title:
        deduper.check(title)
    story: list[_Entry] = []
    for entry in kept:
        reason = deduper.check(entry.text)
        if reason:
            removed.append((entry.index, entry.text, reason))
        else:
            story.append(entry)

    blocks = []
    for i, entry in enumerate(story):
        kind = entry.hint if entry.hint in ("heading", "paragraph") else None
        if kind is None:
            next_is_paragraph = i + 1 < len(story) and paragraph_like(story[i + 1])
            kind = "heading" if _heading_like(entry.text, cfg) and next_is_paragraph else "paragraph"
        blocks.append((kind, entry.text))
    removed.sort(key=lambda item: item[0])
    return Cleaned(title, metadata, blocks, [{"line": line, "reason": reason} for _, line, reason in removed])


def _heading_like(text: str, cfg: dict[str, Any]) -> bool:
    return len(text) <= cfg["heading_max_chars"] and not _ends_sentence(text)


def _find_title(kept: list[_Entry], known: str, cfg: dict[str, Any]) -> tuple[str, list[_Entry]]:
    """The page title and the entries left after taking it out (see the module docstring)."""
    known = normalize_line(known)
    if not kept:
        return known, kept
    first = kept[0]
    if first.hint == "title":
        return first.text, kept[1:]
    if known:
        if _tokens(first.text) == _tokens(known):
            return known, kept[1:]
        return known, kept
    headline = first.hint == "heading" or (
        first.hint is None and len(first.text) <= cfg["title_max_chars"] and not _ends_sentence(first.text)
    )
    if headline and len(kept) > 1:
        return first.text, kept[1:]
    return "", kept


def text_units(text: str) -> list[Unit]:
    """One unit per line of plain text (blank lines are skipped by :func:`clean_units`)."""
    return [Unit(line) for line in text.split("\n")]
