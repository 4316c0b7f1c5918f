"""Protected spans: values that must come out of translation unchanged, and the numbers of a text.

Design (check and repair, not mask and restore; measured by ``bench/protect.py``):

* :meth:`Protector.prepare` leaves numbers, URLs, e-mail addresses and handles in the source, with
  Devanagari digits written as ASCII (NLLB, Marian and IndicTrans copy ASCII digits and Latin spans
  far more reliably than they carry placeholder tokens, which they drop, duplicate or translate), and
  puts each glossary term's English rendering in place of the Hindi term.
* :meth:`Protector.finish` writes any Devanagari digit or danda left in the output as ASCII and
  repairs a changed number only where that is unambiguous: exactly one source value of a
  recognisable kind (percent, ordinal, amount with the same scale word, year) is missing and exactly
  one number of that kind in the output is not in the source. Every repair is noted in
  ``ProtectedText.repairs``; everything else is left to :mod:`translate.faithful.checks`, which names it.

Why check-and-repair and not mask-and-restore: under the same damage, both name every wrong number,
but only check-and-repair fixes some, and its model input stays natural text; ``bench/protect.py``
measures it (figures in ``bench/README.md``).

Numbers are compared by value, never by string: ``10वीं`` is ``10th``, ``50 फीसदी`` is ``50%`` or
``50 percent``, ``2,000`` is ``2000``, ``5 लाख`` is ``5 lakh`` or ``500,000``, and in English the
words one to ten (and first to tenth) count as their numbers. Hindi number *words* (``दो``, ``तीन``)
are not protected spans: they are ordinary vocabulary the model translates, and a digit-only check
cannot tell "दो देशों" (the two countries) from a count.

``Span.value`` is the canonical English form a reader should find: ``"2000"``, ``"1.5"``, ``"50%"``,
``"10th"``, ``"10-15"``, ``"1 billion dollars"``, ``"₹5000"``, ``"11 July 2025"``, or the URL,
address, handle or glossary rendering as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .glossary import Glossary, term_key, term_pattern
from .warnings import Warning, warning

_DEVANAGARI_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")
_DANDA = str.maketrans({"।": ".", "॥": "."})

# A number: digits in either script, optional grouping commas (Western 1,000,000 or Indian 10,00,000),
# optional decimals. Never preceded or followed by another digit.
_D = "[0-9०-९]"
_NUMBER = rf"(?<![0-9०-९])(?:{_D}{{1,3}}(?:,{_D}{{2,3}})+(?!{_D})|{_D}+)(?:\.{_D}+)?(?!{_D})"

_HI_SCALES = {
    "हजार": 10**3, "लाख": 10**5, "करोड़": 10**7, "करोड": 10**7, "अरब": 10**9, "खरब": 10**11, "मिलियन": 10**6, "बिलियन": 10**9, "ट्रिलियन": 10**12,
}
_EN_SCALES = {
    "thousand": 10**3, "lakh": 10**5, "lakhs": 10**5, "lac": 10**5, "crore": 10**7, "crores": 10**7,
    "million": 10**6, "mn": 10**6, "billion": 10**9, "bn": 10**9, "trillion": 10**12, "tn": 10**12,
}
_HI_SCALE_ENGLISH = {10**3: "thousand", 10**5: "lakh", 10**6: "million", 10**7: "crore", 10**9: "billion",
                     10**11: "hundred billion", 10**12: "trillion"}
_HI_CURRENCY = {"डॉलर": "dollars", "डालर": "dollars", "रुपये": "rupees", "रुपए": "rupees", "रुपया": "rupees",
                "यूरो": "euros", "पाउंड": "pounds", "येन": "yen", "युआन": "yuan", "रूबल": "roubles"}
_HI_PERCENT = ("प्रतिशत", "फीसदी", "फ़ीसदी", "फीसद", "फ़ीसद", "%")
_HI_ORDINAL = ("वीं", "वी", "वां", "वाँ", "वें", "वे", "th", "st", "nd", "rd")
_HI_MONTHS = {
    "जनवरी": "January", "फरवरी": "February", "फ़रवरी": "February", "मार्च": "March",
    "अप्रैल": "April", "अप्रेल": "April", "मई": "May", "जून": "June", "जुलाई": "July", "अगस्त": "August",
    "सितंबर": "September", "सितम्बर": "September", "अक्टूबर": "October", "अक्तूबर": "October",
    "नवंबर": "November", "नवम्बर": "November", "दिसंबर": "December", "दिसम्बर": "December",
}
_EN_WORDS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten".split())}
_EN_ORDINAL_WORDS = {w: i for i, w in enumerate(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth".split())}

_WORD_CHAR = r"[\w\u0900-\u0963\u0966-\u097f]"  # a letter, digit or Devanagari sign continues a word


def _alternation(words) -> str:
    """Regex alternation of ``words``, longest first, each in any nukta spelling."""
    return "|".join(term_pattern(w) for w in sorted(words, key=len, reverse=True))


def _lookup(table: dict[str, str | int], word: str) -> str | int:
    """``table[word]`` whatever the nukta spelling or spacing of ``word``."""
    return {term_key(key): value for key, value in table.items()}[term_key(word)]


_HI_SPAN = re.compile(
    rf"(?P<cur>₹\s?|रु\.\s?|Rs\.?\s?|US\$\s?|\$\s?)?"
    rf"(?P<num>{_NUMBER})"
    rf"(?:\s?(?P<dash>[-–—])\s?(?P<num2>{_NUMBER}))?"
    rf"(?:(?P<ord>{_alternation(_HI_ORDINAL)})(?!{_WORD_CHAR})"
    rf"|\s?(?P<pct>{_alternation(_HI_PERCENT)})(?!{_WORD_CHAR})"
    rf"|\s(?P<month>{_alternation(_HI_MONTHS)})(?!{_WORD_CHAR})(?:,?\s(?P<year>{_NUMBER}))?"
    rf"|\s?(?P<scale>{_alternation(_HI_SCALES)}|{_alternation(_EN_SCALES)})(?!{_WORD_CHAR})"
    rf"(?:\s(?P<cur2>{_alternation(_HI_CURRENCY)})(?!{_WORD_CHAR}))?"
    rf"|\s(?P<cur3>{_alternation(_HI_CURRENCY)})(?!{_WORD_CHAR}))?",
)
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'“”‘’]+[^\s<>\"'“”‘’.,;:!?)\]।]", re.I)
_EMAIL = re.compile(r"\b[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\b")
_HANDLE = re.compile(r"(?<![\w@])[@#][A-Za-z_][A-Za-z0-9_]{1,30}\b")

_EN_NUMBER = re.compile(
    rf"(?P<cur>₹\s?|Rs\.?\s?|US\$\s?|\$\s?)?"
    rf"(?:(?P<num>{_NUMBER})|\b(?P<word>{_alternation(_EN_WORDS)}|{_alternation(_EN_ORDINAL_WORDS)})\b)"
    rf"(?:(?P<ord>st|nd|rd|th)\b"
    rf"|\s?(?P<pct>%|percent\b|per cent\b|pc\b)"
    rf"|\s?(?P<scale>{_alternation(_EN_SCALES)})\b)?",
    re.I,
)


def to_ascii_digits(text: str) -> str:
    """Devanagari digits ``०-९`` written as ASCII ``0-9`` (same length, so offsets still hold)."""
    return text.translate(_DEVANAGARI_DIGITS)


def _decimal(digits: str) -> Decimal:
    return Decimal(to_ascii_digits(digits).replace(",", ""))


def format_number(value: Decimal) -> str:
    """``Decimal('2E+3')`` -> ``'2000'``, ``Decimal('1.50')`` -> ``'1.5'``."""
    return format(value.normalize(), "f")


@dataclass
class Span:
    """A value in the Hindi that must come out of translation unchanged.

    ``numbers`` holds, per number in the span, the set of values that count as that number in the
    English (``5 लाख`` -> ``{5, 500000}``); it is empty for URLs, addresses, handles and terms,
    which must appear as ``value``.
    """

    kind: str  # number | amount | percent | ordinal | range | date | url | email | handle | term
    source: str
    value: str
    start: int
    end: int
    numbers: tuple[frozenset[Decimal], ...] = ()

    @property
    def repair_class(self) -> str | None:
        """The kind of number a repair may match it to, if recognisable (see module docstring)."""
        if self.kind in ("percent", "ordinal", "amount"):
            return self.kind
        if self.kind == "number" and len(self.numbers) == 1:
            (value,) = self.numbers[0]
            if _is_year(value):
                return "year"
        return None


@dataclass
class Mention:
    """A number found in English text."""

    start: int
    end: int
    value: Decimal
    scale: int  # multiplier of a following scale word ("5 lakh" -> 100000), 1 if none
    kind: str  # number | percent | ordinal | amount | year | word
    number_start: int  # where the digits are (for a repair)
    number_end: int

    @property
    def values(self) -> frozenset[Decimal]:
        """The values this mention stands for: as written and scaled."""
        return frozenset({self.value, self.value * self.scale})


def _is_year(value: Decimal) -> bool:
    return value == value.to_integral_value() and 1800 <= value <= 2199


def english_numbers(text: str, *, words: bool = True) -> list[Mention]:
    """Numbers in English text, with their kinds; ``words=False`` skips "one".."ten"."""
    mentions = []
    for m in _EN_NUMBER.finditer(to_ascii_digits(text)):
        if m.group("word"):
            if not words:
                continue
            word = m.group("word").lower()
            value = Decimal(_EN_WORDS[word] if word in _EN_WORDS else _EN_ORDINAL_WORDS[word])
            start, end = m.span("word")
        else:
            value = _decimal(m.group("num"))
            start, end = m.span("num")
        scale = _EN_SCALES[m.group("scale").lower()] if m.group("scale") else 1
        if m.group("word"):
            kind = "word"
        elif m.group("pct"):
            kind = "percent"
        elif m.group("ord"):
            kind = "ordinal"
        elif m.group("scale") or m.group("cur"):
            kind = "amount"
        elif _is_year(value) and "." not in m.group("num"):
            kind = "year"
        else:
            kind = "number"
        mentions.append(Mention(m.start(), m.end(), value, scale, kind, start, end))
    return mentions


def number_values(text: str) -> set[Decimal]:
    """Every value a number in English ``text`` stands for (digits and the words one to ten)."""
    values: set[Decimal] = set()
    for mention in english_numbers(text):
        values |= mention.values
    return values


def _number_span(m: re.Match[str]) -> Span:
    """One regex match of a Hindi number expression -> a Span with its kind and canonical value."""
    first = _decimal(m.group("num"))
    text = format_number(first)
    currency_prefix = (m.group("cur") or "").strip()
    if m.group("num2"):
        second = _decimal(m.group("num2"))
        choices = {second}
        # "2023-24" also means 2024: the shorter second half borrows the first half's leading digits.
        digits1, digits2 = m.group("num").replace(",", ""), m.group("num2").replace(",", "")
        if "." not in digits1 + digits2 and len(digits2) < len(digits1):
            choices.add(_decimal(digits1[: len(digits1) - len(digits2)] + digits2))
        kind, value = "range", f"{text}-{format_number(second)}"
        numbers = (frozenset({first}), frozenset(choices))
        if m.group("pct"):
            value += "%"
        return Span(kind, m.group(), currency_prefix + value, m.start(), m.end(), numbers)
    if m.group("ord"):
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(int(first) % 10 if int(first) % 100 not in (11, 12, 13) else 0, "th")
        return Span("ordinal", m.group(), f"{text}{suffix}", m.start(), m.end(), (frozenset({first}),))
    if m.group("pct"):
        return Span("percent", m.group(), f"{text}%", m.start(), m.end(), (frozenset({first}),))
    if m.group("month"):
        month = _lookup(_HI_MONTHS, m.group("month"))
        numbers = [frozenset({first})]
        value = f"{text} {month}"
        if m.group("year"):
            year = _decimal(m.group("year"))
            numbers.append(frozenset({year}))
            value += f" {format_number(year)}"
        return Span("date", m.group(), value, m.start(), m.end(), tuple(numbers))
    scale_word = m.group("scale")
    currency = m.group("cur2") or m.group("cur3")
    if scale_word or currency or currency_prefix:
        scale = (_EN_SCALES.get(scale_word.lower()) or _lookup(_HI_SCALES, scale_word)) if scale_word else 1
        value = currency_prefix + text
        if scale != 1:
            value += " " + _HI_SCALE_ENGLISH.get(scale, scale_word)
        if currency:
            value += " " + _lookup(_HI_CURRENCY, currency)
        return Span("amount", m.group(), value, m.start(), m.end(), (frozenset({first, first * scale}),))
    return Span("number", m.group(), text, m.start(), m.end(), (frozenset({first}),))


def find_spans(text: str, glossary: Glossary | None = None) -> list[Span]:
    """Protected spans of a Hindi sentence, in text order, never overlapping.

    URLs, e-mail addresses and handles first (their digits are part of them), then glossary terms,
    then number expressions (numbers, amounts, percentages, ordinals, ranges, dates).
    """
    spans: list[Span] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for kind, regex in (("url", _URL), ("email", _EMAIL), ("handle", _HANDLE)):
        for m in regex.finditer(text):
            if free(*m.span()):
                spans.append(Span(kind, m.group(), m.group(), m.start(), m.end()))
                taken.append(m.span())
    if glossary is not None:
        for start, end, _hindi, english in glossary.find(text):
            if free(start, end):
                spans.append(Span("term", text[start:end], english, start, end))
                taken.append((start, end))
    for m in _HI_SPAN.finditer(text):
        if free(*m.span()):
            spans.append(_number_span(m))
            taken.append(m.span())
    return sorted(spans, key=lambda span: span.start)


def missing_numbers(spans: list[Span], english: str) -> list[tuple[Span, frozenset[Decimal]]]:
    """``(span, acceptable values)`` for each number of ``spans`` that ``english`` does not contain."""
    present = number_values(english)
    return [(span, choices) for span in spans for choices in span.numbers if not choices & present]


def unexplained_numbers(spans: list[Span], english: str) -> list[Mention]:
    """Numbers written in digits in ``english`` that stand for no number of the source spans."""
    allowed: set[Decimal] = set()
    for span in spans:
        for choices in span.numbers:
            allowed |= choices
    return [mention for mention in english_numbers(english, words=False) if not mention.values & allowed]


@dataclass
class ProtectedText:
    """One sentence ready for the model: ``text`` goes in, ``source`` and ``spans`` check what comes out."""

    source: str
    text: str
    spans: list[Span]
    repairs: list[Warning] = field(default_factory=list)  # filled by Protector.finish, one per repair


class Protector:
    """Prepares Hindi sentences for a translation model and checks-and-repairs what comes back."""

    def __init__(self, glossary: Glossary | None = None):
        self.glossary = glossary

    def prepare(self, sentence: str) -> ProtectedText:
        """Devanagari digits -> ASCII and glossary terms -> their English rendering, in the model's input."""
        spans = find_spans(sentence, self.glossary)
        pieces, position = [], 0
        for span in spans:
            if span.kind == "term":
                pieces += [sentence[position : span.start], span.value]
                position = span.end
        pieces.append(sentence[position:])
        return ProtectedText(sentence, to_ascii_digits("".join(pieces)), spans)

    def finish(self, prepared: ProtectedText, translation: str, segment: int | None = None) -> str:
        """The model's output with digits in ASCII, dandas as full stops, and unambiguous repairs made
        (each a ``number-repaired`` warning pointing at ``segment``, in ``prepared.repairs``)."""
        text = to_ascii_digits(translation).translate(_DANDA)
        prepared.repairs = []
        missing = missing_numbers(prepared.spans, text)
        if not missing:
            return text
        unexplained = unexplained_numbers(prepared.spans, text)
        edits = []
        for kind in ("percent", "ordinal", "amount", "year"):
            lost = [(span, choices) for span, choices in missing if span.repair_class == kind]
            found = [mention for mention in unexplained if mention.kind == kind]
            if len(lost) != 1 or len(found) != 1:
                continue  # nothing to repair, or ambiguous: the checks will report it
            (span, choices), mention = lost[0], found[0]
            raw, scaled = min(choices), max(choices)
            if mention.scale != (scaled / raw if raw else 1):
                continue  # "1 billion" vs "2 million": not the same kind of amount after all
            replacement = raw
            edits.append((mention, span, replacement))
        for mention, span, replacement in sorted(edits, key=lambda e: e[0].number_start, reverse=True):
            old = text[mention.number_start : mention.number_end]
            new = format_number(replacement)
            text = text[: mention.number_start] + new + text[mention.number_end :]
            prepared.repairs.append(warning(
                "number-repaired", segment,
                f"The translation wrote {old} where the source has {span.source}; corrected to {new}.",
                source=span.source, was=old, now=new, kind=span.kind))
        return text
