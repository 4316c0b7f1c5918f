"""Facts of a story across its articles: numbers that disagree, who is named, and when things happened.

Conflicts. A fact here is a number with the thing it counts: an ordinal, amount, percentage, count,
range or date in the Hindi (:func:`translate.faithful.protect.find_spans`, so Devanagari digits,
lakh and crore and "10वीं" / "10th" are compared by value) and the noun right after it, stemmed
(``10वीं बैठक`` is the ordinal of बैठक, ``11वें बैठक`` too). Two articles disagree when both state
that kind of fact about the same noun and no value of one is a value of the other. Years on their
own are left out: one story names many years for many things.

Names. Capitalised runs of words in the English (:func:`english_names`): small and replaceable; a
Hindi name detector would take its place.

Timeline. Every date of the Hindi (day and month, with the year when given) with the English of
its sentence, earliest first; a date without a year takes the year the story's other dates give.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Sequence

from ..faithful.protect import Span, english_numbers, find_spans
from .hindi import STOP_WORDS, plain, stem, words

_FACT_KINDS = ("ordinal", "amount", "percent", "number", "range", "date")
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
#: Stop words between a number and its noun that are still one phrase ("5 लाख रुपये का निवेश").
_BRIDGE = 1
_ENGLISH_SKIP = {"the", "a", "an", "of", "in", "on", "at", "to", "for", "and", "by", "with"}

# Words (with their inner hyphens, apostrophes and initials' dots) and single punctuation marks.
_TOKEN = re.compile(r"[A-Z][a-z]{0,3}\.(?=\s)|[^\W\d_][\w'’.-]*\w|[^\W\d_]|\d[\d,.]*|[^\w\s]")
_JOINERS = ("of", "de", "bin", "al", "von", "van")
# Titles and offices: a name is what follows them ("Foreign Minister Dr. S. Jaishankar" is S. Jaishankar),
# and a run ending with one ("the Energy Minister") names nobody.
_TITLES = {"President", "Vice", "Prime", "Minister", "Deputy", "Chief", "Secretary", "Gen.", "Colonel", "Col.", "Dr.", "Dr", "Mr.", "Mr", "Mrs.", "Mrs", "Ms.", "Ms", "Prof.",
           "Ambassador", "Justice", "Senator", "Governor", "Mayor", "King", "Queen", "Prince", "Sheikh", "Shri", "Smt."}
_NOT_NAMES = {"The", "A", "An", "I", "In", "On", "At", "It", "He", "She", "They", "We", "This", "That", "These",
              "Those", "But", "And", "Or", "If", "As", "By", "For", "From", "With", "His", "Her", "Its", "Their",
              "Our", "There", "Here", "According", "Also", "After", "Before", "During", "While", "When", "Meanwhile",
              "However", "Read", "More", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
              "Sunday", *_MONTHS}


@dataclass
class Mention:
    """One fact in one article: the span in the Hindi of ``segment`` and its English sentence."""

    article: int
    segment: int
    span: Span
    head: str  # the stemmed Hindi noun after the number ("" for dates and spans with none)
    english: str  # the English sentence


@dataclass
class Conflict:
    """One kind of fact the story's articles state with different values."""

    kind: str
    head: str
    head_english: str
    versions: list[Mention] = field(default_factory=list)

    @property
    def what(self) -> str:
        noun = f"{self.head_english} ({self.head})" if self.head_english else self.head
        return f"the {self.kind} of “{noun}”" if self.kind != "date" else f"the date of “{noun}”"


def _value(span: Span) -> tuple:
    """What two spans are compared by: each number's largest reading (5 लाख -> 500000)."""
    if span.kind == "date":
        day_month = span.value.split()[:2]
        return tuple(day_month)
    return tuple(max(choices) for choices in span.numbers)


def _same(a: Span, b: Span) -> bool:
    if a.kind == "date" and b.kind == "date":
        year_a, year_b = a.value.split()[2:], b.value.split()[2:]
        return _value(a) == _value(b) and (not year_a or not year_b or year_a == year_b)
    return bool(set(_value(a)) & set(_value(b))) if a.kind != b.kind else _value(a) == _value(b)


def _is_year(span: Span) -> bool:
    if span.kind != "number" or len(span.numbers) != 1:
        return False
    value = max(span.numbers[0])
    return value == value.to_integral_value() and 1800 <= value <= 2199


def head_noun(hindi: str, span: Span) -> str:
    """The stemmed content word right after ``span`` (one stop word may come between), or ""."""
    after = words(plain(hindi[span.end :]))
    skipped = 0
    for word in after[: _BRIDGE + 1]:
        if word in STOP_WORDS:
            skipped += 1
            if skipped > _BRIDGE:
                return ""
            continue
        if word.isdigit():
            return ""
        return stem(word)
    return ""


def english_head(english: str, span: Span) -> str:
    """The English word after the number of ``span`` in ``english`` ("the 10th meeting" -> "meeting")."""
    wanted = set().union(*span.numbers) if span.numbers else set()
    for mention in english_numbers(english):
        if mention.values & wanted:
            rest = re.sub(r"^\w*", "", english[mention.end : mention.end + 60])  # "11viin" is one word
            following = re.findall(r"[A-Za-z][\w-]*", rest)
            for word in following:
                if word.lower() not in _ENGLISH_SKIP:
                    return word.lower()
            return ""
    return ""


def mentions(articles: Sequence[Sequence[tuple[str, str]]]) -> list[Mention]:
    """Every fact of every article; ``articles`` holds each article's ``(hindi, english)`` segments."""
    found = []
    for a, segments in enumerate(articles):
        for s, (hindi, english) in enumerate(segments):
            for span in find_spans(hindi):
                if span.kind not in _FACT_KINDS or _is_year(span):
                    continue
                head = head_noun(hindi, span)
                found.append(Mention(a, s, span, head, english))
    return found


def conflicts(found: list[Mention]) -> list[Conflict]:
    """Facts of the same kind about the same noun whose values differ between two articles."""
    by_key: dict[tuple[str, str], list[Mention]] = {}
    for mention in found:
        if mention.head:
            kind = "number" if mention.span.kind == "range" else mention.span.kind
            by_key.setdefault((kind, mention.head), []).append(mention)
    out = []
    for (kind, head), group in by_key.items():
        articles = sorted({m.article for m in group})
        if len(articles) < 2:
            continue
        per_article = {a: [m for m in group if m.article == a] for a in articles}
        disagree = any(
            not any(_same(x.span, y.span) for x in per_article[a] for y in per_article[b])
            for i, a in enumerate(articles) for b in articles[i + 1 :]
        )
        if not disagree:
            continue
        versions = []
        for a in articles:  # each article's distinct values, first mention of each
            seen: list[Span] = []
            for m in per_article[a]:
                if not any(_same(m.span, s) for s in seen):
                    seen.append(m.span)
                    versions.append(m)
        english = Counter(english_head(m.english, m.span) for m in versions)
        english.pop("", None)
        head_english = min(english, key=lambda w: (-english[w], w)) if english else ""
        out.append(Conflict(kind, head, head_english, versions))
    return sorted(out, key=lambda c: (c.versions[0].article, c.versions[0].segment, c.versions[0].span.start))


def english_names(sentences: Sequence[str]) -> list[str]:
    """Capitalised names in English ``sentences``, in order of first mention, each once.

    A name is a run of capitalised words ("Sergey Lavrov", "Bank of England", "PSM"), without the
    titles and offices before it ("President Vladimir Putin" is Vladimir Putin; "the Energy
    Minister" alone names nobody). A sentence's first word is capitalised anyway, so it starts a
    name only when the same word is capitalised inside some sentence too; pronouns, articles, day
    and month names never do. The small, replaceable stand-in for a name detector."""
    tokenised = [_TOKEN.findall(sentence) for sentence in sentences]
    inside = {token for tokens in tokenised for token in tokens[1:] if token[:1].isupper()}
    found: list[str] = []
    for tokens in tokenised:
        run: list[str] = []
        for index, token in enumerate(tokens + ["."]):
            capital = token[:1].isupper() and token not in _NOT_NAMES and (index > 0 or token in inside)
            joins = (token in _JOINERS and run and index + 1 < len(tokens) and tokens[index + 1][:1].isupper())
            if capital or joins:
                run.append(token)
                continue
            name = _without_titles(run)
            if name and name not in found:
                found.append(name)
            run = []
    return found


def _without_titles(run: list[str]) -> str:
    """The name in a run of capitalised words: what follows its last title or office word."""
    while run and run[-1] in _JOINERS:
        run = run[:-1]
    offices = [k for k, token in enumerate(run) if token in _TITLES]
    if offices:
        run = run[offices[-1] + 1 :]
    name = " ".join(run).rstrip(".")
    return name if len(name) >= 2 else ""


@dataclass
class Dated:
    """A date of the story, where it was found, and the English of those sentences."""

    day: int
    month: int
    year: int | None
    shown: str
    where: list[tuple[int, int]]  # (article, segment)
    english: str

    @property
    def sort_key(self) -> tuple:
        return (self.year if self.year is not None else 9999, self.month, self.day)


def timeline(found: list[Mention], years: Sequence[int] = ()) -> list[Dated]:
    """One entry per date (day, month, year), earliest first; ``years`` are the years the story
    names (a date without its year takes the most frequent, if any)."""
    story_year = Counter(years).most_common(1)[0][0] if years else None
    entries: dict[tuple, Dated] = {}
    for mention in found:
        span = mention.span
        if span.kind != "date":
            continue
        parts = span.value.split()
        day, month = int(Decimal(parts[0])), _MONTHS.index(parts[1]) + 1
        year = int(parts[2]) if len(parts) > 2 else story_year
        shown = f"{day} {parts[1]} {year}" if year is not None else f"{day} {parts[1]}"
        key = (year, month, day)
        if key not in entries:
            entries[key] = Dated(day, month, year, shown, [], mention.english)
        if (mention.article, mention.segment) not in entries[key].where:
            entries[key].where.append((mention.article, mention.segment))
    return sorted(entries.values(), key=lambda d: d.sort_key)


def years_named(found: list[Mention], texts: Sequence[str]) -> list[int]:
    """Years the story states: those of its dates, and bare years in ``texts`` (the Hindi)."""
    years = [int(m.span.value.split()[2]) for m in found if m.span.kind == "date" and len(m.span.value.split()) > 2]
    for text in texts:
        years += [int(max(s.numbers[0])) for s in find_spans(text) if _is_year(s)]
    return years

