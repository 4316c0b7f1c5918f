"""Proper names and acronyms: find them in a Hindi sentence, and check that the English keeps them.

News is made of names, and a translation model treats them as words: a person called सूर्य becomes
"the Sun", a surname is dropped, an acronym is spelled out or mangled, and one article writes the
same man "Tirmizi" and "Tirmiji". This module finds the names without a model and checks for them:

* :func:`find_names` -> :class:`Name` records of a Hindi sentence. The signals: glossary entries
  (:class:`~translate.faithful.glossary.Glossary`; their English renderings are the expected forms;
  offices such as प्रधानमंत्री and nationalities such as रूसी are not names), Latin-script tokens
  in the Hindi (``PSM``, ``SCO``, ``G20``: acronyms, to come out verbatim), Devanagari-spelled
  acronyms (एलएनजी = LNG, read letter by letter), the words after a title or honorific
  (राष्ट्रपति, मंत्री, जनरल, डॉ., श्री, ...) or before जी / साहब, and words the Hindi word list of
  :mod:`wordfreq` does not know (see :data:`RARE_ZIPF` and :func:`is_rare`). Adjacent name words
  make one name (सर्गेई लावरोव).
* :func:`check_names` -> ``name-missing`` for a name with no fuzzy match (:mod:`rapidfuzz`) of its
  romanization in the English, ``acronym-missing`` for a Latin acronym not there verbatim. Only
  :attr:`Name.strong` names are checked: one unknown word alone is too often ordinary Hindi.
  :func:`article_names` gives the article's strong name words, so that a later bare mention
  (तिर्मिजी ने कहा) is checked too.
* :func:`names_seen_missing` -> ``name-missing`` for a one-word name (not checked alone) that the
  article's English writes as a name in one sentence and leaves out in another (मार्टेली, "Martelly").
* :func:`harmonize_names` -> one rendering per Hindi name across an article (the majority's; a tie
  goes to the first), each change a ``name-inconsistent`` warning.

Measured (tests/test_names.py): on the hand-labelled seeds (tests/seed_names.py) detection has
precision 0.966 and recall 0.975, and every name checked is a real one; on FLORES-200 devtest's
human references 4 of 1012 sentences (0.4%) get a name warning (newstest2014: 1.4%); of the names
checked in the seeds' honest translations, dropped or replaced by another name or a word, 97% are
reported.

Everything here is pure and cheap (dictionary look-ups and short string comparisons): it runs on
every sentence. The word lists load once.

Hand-written parts, and why (no library does these):

* :func:`romanize`: :mod:`indic_transliteration` gives IAST; IAST is not how English news spells
  Hindi names, so three steps are added around it: Hindi schwa deletion (लावरोव is "Lavrov", not
  "Lāvarova": the final inherent vowel and a medial one between two full syllables are silent,
  written here as a virama before transliterating), ``ॉ``/``ॅ`` (which IAST lacks) read as o/e, and
  IAST letters mapped to plain news spelling (ī -> i, ś/ṣ -> sh, c -> ch, ph -> f, ṃ -> n/m,
  ज्ञ -> gy).
* :func:`match_key`: English and romanized Hindi spell the same sound differently (v/w, j/z, f/ph,
  k/c/q, g/j before e and i, aspirate h, doubled letters, ee/i, oo/u, y/i, -tion/-shan): both sides
  are reduced to one spelling (a final b or d said voiceless, as Turkish writes रजब "Recep") before
  the fuzzy comparison, which also compares them with every vowel alike, the first one too (डेवी,
  "Davey"; इरदुगान, "Erdoğan"), and as consonant skeletons (vowels vary most): तिर्मिजी ≈ "Tirmizi",
  फोमिन ≈ "Fomin", लावरोव ≈ "Lavrov", and a letter-by-letter transliteration ("Laavarova") too.
* :func:`is_rare`: wordfreq's Hindi list is small, so most words it lacks are ordinary Hindi
  (inflected, derived, compounded, misspelled); a little morphology over the list tells them apart.
* The lists of titles, Hindi function words and acronym letter names below: short closed lists.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from .glossary import Glossary, adjective_bases, term_key
from .warnings import Warning, warning

#: A Devanagari word whose Zipf frequency in wordfreq's Hindi list is at most this is "rare": a name
#: candidate. wordfreq's Hindi list (26,653 words) stops at Zipf 3.0 (one per million words), so every
#: word it knows has Zipf >= 3.0 and 0.0 means "unknown". On the hand-labelled seeds
#: (tests/seed_names.py), precision of the non-glossary names found is 0.81 at 0.0, 0.75 at 3.2,
#: 0.62 at 3.5 and 0.42 at 4.0, recall 0.74 at all but the last (0.85): the known-but-rare words are
#: mostly ordinary (इंसुलिन, सेरेमनी, ढुलाई, व्यवधान: 3.2 to 3.5), and the names among them (फैसल,
#: अंजुम, हारून: 3.4 to 3.5) come after a title anyway. So only unknown words count.
RARE_ZIPF = 0.0
#: A name word's English rendering matches when the fuzzy ratio (0-100) of the match keys reaches this
#: (see :func:`name_score`); tuned on FLORES-200 devtest references and on injected faults (see tests).
MATCH_RATIO = 78.0
#: Names after a title: at most this many words.
MAX_NAME_WORDS = 4

# Titles and honorifics: the words after them (up to MAX_NAME_WORDS, see _after_title) are a
# name. A multi-word office (विदेश मंत्री, सेना प्रमुख) ends with one of these words.
TITLES = frozenset("""
राष्ट्रपति उपराष्ट्रपति प्रधानमंत्री मुख्यमंत्री मंत्री राज्यमंत्री उपमंत्री रक्षामंत्री गृहमंत्री विदेशमंत्री
सांसद विधायक राजदूत दूत उच्चायुक्त सचिव महासचिव सेक्रेटरी डायरेक्टर डारेक्टर निदेशक महानिदेशक अध्यक्ष उपाध्यक्ष
चेयरमैन प्रवक्ता गवर्नर राज्यपाल जनरल कर्नल मेजर कैप्टन कप्तान लेफ्टिनेंट ब्रिगेडियर एडमिरल मार्शल कमांडर चीफ
न्यायाधीश जस्टिस न्यायमूर्ति डॉ डॉ. डा डा. डॉक्टर प्रोफेसर प्रोफ़ेसर प्रो. श्री श्रीमती सुश्री कुमारी मिस्टर मिसेज मौलाना
शेख सुल्तान राजकुमार राजकुमारी महाराज महारानी पंडित स्वामी संत सीईओ समकक्ष पीएम महापौर मेयर कमिश्नर आयुक्त
कलेक्टर एडवोकेट अधिवक्ता वकील स्व. स्वर्गीय उद्योगपति अभिनेता अभिनेत्री निर्देशक गायक गायिका लेखक लेखिका कवि पत्रकार कोच खिलाड़ी बल्लेबाज गेंदबाज
""".split())
# Honorifics written after the name (मोदी जी, खान साहब).
AFTER_TITLES = frozenset("जी साहब साहिब".split())
# "The" written in Devanagari: द डॉन, द हिंदू (a newspaper, a film) name what follows.
ARTICLES = frozenset({"द"})

# Hindi function words (postpositions, pronouns, conjunctions, auxiliaries, particles, quantifiers):
# never part of a name, and a name after a title ends before one.
STOPWORDS = frozenset("""
का की के को ने से में पर तक और या व एवं तथा एव भी ही तो है हैं था थे थी हो हुए हुआ हुई होगा होगी होंगे
कि जो जिस जिन जिसे जिन्हें यह वह ये वे इस उस इन उन इसे उसे इसी उसी यहां वहां यहाँ वहाँ एक दो तीन कई
नहीं न ना लिए द्वारा साथ बाद पहले आदि संग बीच ओर तरफ वाले वाली वाला अपने अपनी अपना उनके उनकी उनका
इनके इनकी इसके इसकी उसके उसकी जब तब अब कहा कहते कहती बताया ने कर करके करने करते किया किए की गई गया गए
रहे रहा रही सकते सकता सकती चाहिए लेकिन मगर परंतु किंतु क्योंकि इसलिए अगर यदि समेत सहित बिना अलावा
स्थित नामक नाम ऐसे ऐसा ऐसी कोई कुछ सभी सब हर अन्य वहीं यहीं फिर जैसे जैसा जैसी सबसे बड़े बड़ा बड़ी
सोमवार मंगलवार बुधवार गुरुवार बृहस्पतिवार शुक्रवार शनिवार रविवार जनवरी फरवरी मार्च अप्रैल मई जून जुलाई अगस्त
सितंबर सितम्बर अक्टूबर नवंबर नवम्बर दिसंबर दिसम्बर
""".split())

# Hindi names of the Latin letters, for acronyms spelled out in Devanagari (एलएनजी = LNG).
_LETTER_NAMES = {
    "ए": "A", "बी": "B", "सी": "C", "डी": "D", "ई": "E", "एफ": "F", "जी": "G", "एच": "H", "आई": "I",
    "जे": "J", "के": "K", "एल": "L", "एम": "M", "एन": "N", "ओ": "O", "पी": "P", "क्यू": "Q", "आर": "R",
    "एस": "S", "टी": "T", "यू": "U", "वी": "V", "डब्ल्यू": "W", "डबल्यू": "W", "एक्स": "X", "वाई": "Y",
    "जेड": "Z", "जैड": "Z",
}
# Little words an expansion of an acronym skips ("memorandum of understanding" = MoU).
_ACRONYM_SKIP = frozenset("of and the for on in to de & at".split())

_DEVANAGARI_WORD = re.compile(r"[\u0900-\u0963\u0966-\u097f\u200c\u200d]+")
# Latin tokens of the Hindi: letters and digits, with inner dots or ampersands (U.S., AT&T).
_LATIN_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[.&][A-Za-z0-9]+)*")
_TOKEN = re.compile(rf"{_DEVANAGARI_WORD.pattern}\.?|{_LATIN_TOKEN.pattern}")
_ENGLISH_WORD = re.compile(r"[^\W\d_]+")

_VIRAMA, _NUKTA = "\u094d", "\u093c"
_CONSONANTS = set(map(chr, range(0x0915, 0x093A))) | set(map(chr, range(0x0958, 0x0960)))
_MATRAS = set(map(chr, range(0x093E, 0x094D))) | {"\u0962", "\u0963", "\u094e", "\u094f"}
_MARKS = {"\u0901", "\u0902", "\u0903"}  # chandrabindu, anusvara, visarga


@dataclass(frozen=True)
class Name:
    """A proper name (or acronym) of a Hindi sentence.

    ``source`` is ``sentence[start:end]``. ``kind``: ``"glossary"`` (a glossary entry; ``forms`` is its
    English rendering), ``"acronym"`` (Latin letters in the Hindi, to come out verbatim), ``"initialism"``
    (an acronym spelled in Devanagari: ``forms`` starts with its letters) or ``"name"``. ``forms`` are
    the acceptable English spellings, the likeliest first. ``why`` says which signal found it:
    ``glossary``, ``latin``, ``letters``, ``title``, ``known`` (a name word found elsewhere in the
    article) or ``rare`` (a word wordfreq does not know).
    """

    source: str
    start: int
    end: int
    kind: str
    forms: tuple[str, ...]
    why: str

    @property
    def strong(self) -> bool:
        """Found by a signal precise enough to warn on: not one rare word alone, nor an initialism of
        two letters (एसपी, एसी: English writes "Superintendent", "air-conditioned")."""
        if self.kind == "initialism":
            return len(self.forms[0]) >= 3
        return self.why != "rare" or len(name_words(self)) >= 2


# --- word lists ----------------------------------------------------------------------------------


@functools.cache
def _hindi_frequencies() -> dict[str, float]:
    """wordfreq's Hindi list keyed by :func:`term_key` (no nukta: scraped Hindi drops it at random),
    loaded once."""
    import wordfreq

    table: dict[str, float] = {}
    for word, freq in wordfreq.get_frequency_dict("hi").items():
        key = term_key(word)
        table[key] = max(table.get(key, 0.0), freq)
    return table


@functools.lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """Zipf frequency of a Hindi word in wordfreq's list (0.0 when unknown), nukta or not."""
    freq = _hindi_frequencies().get(term_key(word), 0.0)
    return round(math.log10(freq) + 9, 2) if freq else 0.0


def is_rare(word: str) -> bool:
    """A Devanagari word wordfreq does not know (see :data:`RARE_ZIPF`) and that does not look like
    ordinary Hindi either: not a known word inflected or derived (रिफाइनरियों, बर्फीला, उबालना),
    not two known words run together (भूराजनीतिक, हाइड्रोपावर), not a misspelling of a known word
    (letters swapped, a letter doubled, two vowel signs in a row). wordfreq's Hindi list is small (26,653 words), so
    most of the words it misses are such forms, not names."""
    if len(word) < 2 or zipf(word) > RARE_ZIPF:
        return False
    return not (_garbled(word) or _derived_from_known(word) or _compound_known(word) or _transposed_known(word)
                or _doubled_known(word))


# (suffix, endings the stem may take back): plural and oblique endings, verb forms, derivations.
_SUFFIXES: tuple[tuple[str, tuple[str, ...]], ...] = tuple(sorted((
    ("ियों", ("ी", "ि", "िया")), ("ियाँ", ("ी", "ि", "िया")), ("ियां", ("ी", "ि", "िया")), ("ुओं", ("ू", "ु")),
    ("ाओं", ("ा",)), ("ओं", ("", "ा")), ("ों", ("", "ा", "ो")), ("ें", ("", "ा")), ("एं", ("", "ा")), ("एँ", ("", "ा")),
    ("ाएं", ("ा",)), ("ाएँ", ("ा",)), ("ीं", ("ी",)), ("्स", ("",)), ("्ज़", ("",)), ("्ज", ("",)),
    ("ाना", ("", "ा")), ("ाने", ("", "ा")), ("ना", ("",)), ("ने", ("",)), ("नी", ("",)), ("ता", ("", "ा")),
    ("ते", ("", "ा")), ("ती", ("", "ा")), ("कर", ("",)), ("या", ("", "ा")), ("ये", ("", "ा")), ("ए", ("", "ा")),
    ("ेगा", ("",)), ("ेगी", ("",)), ("ेंगे", ("",)), ("े", ("ा",)), ("ी", ("ा",)),
    ("ीय", ("", "ा")), ("ीला", ("", "ा")), ("ीले", ("", "ा")), ("ीली", ("", "ा")), ("पन", ("",)), ("पूर्ण", ("", "ा")),
    ("हीन", ("", "ा")), ("शील", ("", "ा")), ("शीलता", ("", "ा")), ("मय", ("", "ा")), ("वाद", ("", "ा")),
    ("वादी", ("", "ा")), ("वादियों", ("", "ा")), ("कारी", ("", "ा")), ("ात्मक", ("", "ा")), ("बद्ध", ("", "ा")),
    ("वासी", ("", "ा")), ("दार", ("", "ा")), ("ाई", ("", "ा")), ("ीकरण", ("", "ा")),
    ("वें", ("",)), ("वाँ", ("",)), ("वां", ("",)), ("वीं", ("",)),  # ordinals: ग्यारहवें, तेरहवाँ
), key=lambda item: -len(item[0])))
# Prefixes of Hindi derivation (उपनगरों, अनियोजित, अगम्यता).
_PREFIXES = ("अन", "अ", "उप", "प्र", "सह", "अंतर्", "अंतर", "पुनर्", "पुन", "निर्", "निर", "नि", "दुर्", "सु", "स्व",
             "महा", "अति", "अधि", "अभि", "सम", "वि", "परि", "प्रति")


def _garbled(word: str) -> bool:
    """Two vowel signs, two nasal marks or a sign after an independent vowel: a typing slip."""
    for a, b in zip(word, word[1:]):
        if (a in _MATRAS or a in _MARKS or "\u0904" <= a <= "\u0914") and b in _MATRAS:
            return True
        if a in _MARKS and b in _MARKS:
            return True
    return False


def _derived_from_known(word: str, depth: int = 0) -> bool:
    """A known word (of at least two letters) with a suffix or a prefix of Hindi morphology."""
    for suffix, endings in _SUFFIXES:
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            if len(stem) >= 2 and not stem.endswith(_VIRAMA) and any(zipf(stem + e) > 0 for e in endings):
                return True
    if depth == 0:
        for prefix in _PREFIXES:
            rest = word[len(prefix):]
            if word.startswith(prefix) and len(rest) >= 3 and _starts_letter(rest):
                if zipf(rest) >= 3.5 or _derived_from_known(rest, 1):
                    return True
    return False


def _starts_letter(text: str) -> bool:
    return bool(text) and (text[0] in _CONSONANTS or "\u0904" <= text[0] <= "\u0914")


def _aksharas(text: str) -> int:
    return sum(1 for ch in text if ch in _CONSONANTS or "\u0904" <= ch <= "\u0914") - text.count(_VIRAMA)


def _compound_known(word: str) -> bool:
    """Two known words run together: both of two syllables or more (Zipf >= 3.5), or a common
    one-syllable word and a common word of three or more (भू + राजनीतिक, Zipf >= 4)."""
    for cut in range(1, len(word) - 1):
        head, tail = word[:cut], word[cut:]
        if not _starts_letter(tail) or head[-1] == _VIRAMA:
            continue
        sizes = sorted((_aksharas(head), _aksharas(tail)))
        if sizes[0] >= 2 and zipf(head) >= 3.5 and zipf(tail) >= 3.5:
            return True
        if sizes[0] == 1 and sizes[1] >= 3 and zipf(head) >= 4.0 and zipf(tail) >= 4.0:
            return True
    return False


def _transposed_known(word: str) -> bool:
    """Two neighbouring characters swapped in a common word (मजूबत for मजबूत)."""
    for i in range(len(word) - 1):
        swapped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if zipf(swapped) >= 4.0:
            return True
    return False


def _doubled_known(word: str) -> bool:
    """A common word of three syllables or more with a letter typed twice: the letter, or the letter
    and a virama before it, once too many (अधिक्ततर for अधिकतर)."""
    for i in range(len(word) - 1):
        if word[i] != word[i + 1]:
            continue
        cuts = [word[:i] + word[i + 1:]]
        if i > 0 and word[i - 1] == _VIRAMA:
            cuts.append(word[:i - 1] + word[i + 1:])
        if any(_aksharas(shorter) >= 3 and zipf(shorter) >= 4.0 for shorter in cuts):
            return True
    return False


# --- romanization --------------------------------------------------------------------------------

_PRE = str.maketrans({"ॉ": "ो", "ऑ": "ओ", "ॅ": "े", "ऍ": "ए", "\u200c": None, "\u200d": None})
# IAST -> news spelling. Order matters: "ch" (छ) before "c" (च), "jñ" before "ñ".
_IAST_TO_NEWS = [
    ("k͟h", "kh"), ("jñ", "gy"), ("ch", "chh"), ("c", "ch"), ("ā", "a"), ("ī", "i"), ("ū", "u"),
    ("ṝ", "ri"), ("ṛ", "ri"), ("r̤", "r"), ("ḷ", "li"), ("l̤", "l"), ("ṭ", "t"), ("ḍ", "d"),
    ("ṇ", "n"), ("ś", "sh"), ("ṣ", "sh"), ("ṅ", "n"), ("ñ", "n"), ("ḥ", "h"), ("ṁ", "n"), ("~", "n"),
    ("ẏ", "y"), ("ġ", "g"), ("ṟ", "r"), ("ĕ", "e"), ("ŏ", "o"), ("ph", "f"),
]


def _delete_schwas(word: str) -> str:
    """The word with a virama written after each consonant whose inherent 'a' Hindi does not say.

    Units are (consonant cluster + vowel) syllables. The last schwa goes (unless the word is one
    syllable, or ends in a cluster closing on र, य or व: मित्र is "mitra"), and, right to left, a
    medial one whose syllable has one consonant and no nasal mark, with a single consonant and a
    vowel after it (लावरोव -> लाव्रोव्; कमल keeps its first 'a', "kamal", as the last one went).
    """
    # {"end": index after the unit's consonants, "cons": how many, "schwa": inherent 'a', "marks": nasal}
    units: list[dict] = []
    i, n = 0, len(word)
    while i < n:
        ch = word[i]
        if ch in _CONSONANTS:
            cons = 0
            while i < n and word[i] in _CONSONANTS:
                cons += 1
                i += 1
                if i < n and word[i] == _NUKTA:
                    i += 1
                if i < n and word[i] == _VIRAMA and i + 1 < n and word[i + 1] in _CONSONANTS:
                    i += 1
                    continue
                break
            end = i
            schwa = not (i < n and (word[i] in _MATRAS or word[i] == _VIRAMA))
            if i < n and (word[i] in _MATRAS or word[i] == _VIRAMA):
                i += 1
            marks = False
            while i < n and word[i] in _MARKS:
                marks = True
                i += 1
            units.append({"end": end, "cons": cons, "schwa": schwa, "marks": marks})
        else:
            i += 1
            marks = False
            while i < n and word[i] in _MARKS:
                marks = True
                i += 1
            units.append({"end": None, "cons": 0, "schwa": False, "marks": marks})
    if len(units) < 2:
        return word
    delete: set[int] = set()
    last = units[-1]
    final_cluster_keeps = last["cons"] > 1 and word[last["end"] - 1] in "रयव"
    if last["schwa"] and not last["marks"] and not final_cluster_keeps:
        delete.add(len(units) - 1)
    for k in range(len(units) - 2, 0, -1):
        unit, after = units[k], units[k + 1]
        if unit["schwa"] and not unit["marks"] and unit["cons"] == 1 and after["cons"] == 1 and (k + 1) not in delete:
            delete.add(k)
    out, cut = [], 0
    for k in sorted(delete):
        end = units[k]["end"]
        out += [word[cut:end], _VIRAMA]
        cut = end
    out.append(word[cut:])
    return "".join(out)


@functools.lru_cache(maxsize=65536)
def romanize(hindi: str, *, schwa_deletion: bool = True) -> str:
    """A Hindi name in Latin letters as English news would likely spell it ("लावरोव" -> "Lavrov").

    Devanagari words go through schwa deletion (``schwa_deletion=False`` keeps every inherent 'a':
    "Lavarova", as a letter-by-letter transliteration writes it), :mod:`indic_transliteration`'s
    IAST and the news spelling table (see the module docstring); anything else is kept.
    """
    from indic_transliteration import sanscript

    def one(match: re.Match[str]) -> str:
        word = unicodedata.normalize("NFC", match.group()).translate(_PRE)
        if schwa_deletion:
            word = _delete_schwas(word)
        text = sanscript.transliterate(word, sanscript.DEVANAGARI, sanscript.IAST)
        text = re.sub(r"ṃ(?=[pbm])", "m", text)
        text = text.replace("ṃ", "n")
        for old, new in _IAST_TO_NEWS:
            text = text.replace(old, new)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if ch.isascii())
        return text[:1].upper() + text[1:]

    return _DEVANAGARI_WORD.sub(one, hindi)


def spell_letters(word: str) -> str | None:
    """The Latin letters of an acronym spelled out in Devanagari (एलएनजी -> "LNG"), or None.

    At least two letter names, the whole word read (longest name first where two fit).
    """
    word = unicodedata.normalize("NFC", word).rstrip(".")
    best: dict[int, str] = {0: ""}
    for i in range(len(word)):
        if i not in best:
            continue
        for name, letter in _LETTER_NAMES.items():
            if word.startswith(name, i):
                j = i + len(name)
                if j not in best or len(best[j]) > len(best[i]) + 1:
                    best[j] = best[i] + letter
    letters = best.get(len(word))
    return letters if letters and len(letters) >= 2 else None


# --- matching ------------------------------------------------------------------------------------

_KEY_RULES = [
    (re.compile(r"ph"), "f"), (re.compile(r"sch"), "sh"), (re.compile(r"ck"), "k"), (re.compile(r"q"), "k"),
    (re.compile(r"x"), "ks"), (re.compile(r"[ao]w(?![aeiou])"), "o"), (re.compile(r"w"), "v"), (re.compile(r"g(?=[ei])"), "j"),
    (re.compile(r"[ts]ion"), "shan"), (re.compile(r"ey$"), "i"), (re.compile(r"z"), "j"), (re.compile(r"ch"), "1"),
    (re.compile(r"c(?=[eiy])"), "s"), (re.compile(r"c"), "k"), (re.compile(r"sh"), "s"),
    (re.compile(r"(?<=[1bcdfgjklmnprstv])h"), ""), (re.compile(r"1"), "c"), (re.compile(r"y"), "i"),
    (re.compile(r"ee|ii|ie"), "i"), (re.compile(r"oo|uu|ou"), "u"), (re.compile(r"au"), "o"),
    (re.compile(r"ai|ei|ay|ey"), "e"), (re.compile(r"(.)\1+"), r"\1"),
    # a voiced stop at the end said voiceless, as Turkish and German write it (रजब Recep, तैयब Tayyip)
    (re.compile(r"b$"), "p"), (re.compile(r"d$"), "t"),
]


@functools.lru_cache(maxsize=65536)
def match_key(text: str) -> tuple[str, str, str]:
    """``(spelling, vowels, skeleton)`` of a word for fuzzy comparison: one spelling for the sounds that
    English and romanized Hindi write differently (see the module docstring); the same with every
    vowel written "a" (डेवी "Devi" is "Davey"); its consonants alone (the first letter kept)."""
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in plain if "a" <= ch <= "z")
    for pattern, new in _KEY_RULES:
        plain = pattern.sub(new, plain)
    hard = plain.replace("c", "k")  # "Michael": English ch is k as often as ch
    vowels = re.sub(r"[aeiou]", "a", hard)  # the first letter too: इरदुगान "Erdoğan"
    skeleton = hard[:1] + re.sub(r"[aeiou]", "", hard[1:])
    return plain, vowels, skeleton


def name_score(hindi_word: str, english: str) -> float:
    """How well ``english`` (a word or two) renders the Hindi name word, 0 to 100.

    The Hindi is romanized with and without schwa deletion, and with ज़'s z read as s as well (English
    writes the sound s between vowels: सीज़ियम "caesium", "cesium"); for each, the best of the three
    :func:`match_key` keys' :func:`rapidfuzz.fuzz.ratio` (the looser keys a little discounted); a
    short word (three letters or fewer) must be nearly exact.
    """
    b = match_key(english)
    if not b[0]:
        return 0.0
    forms = {romanize(hindi_word, schwa_deletion=deleted) for deleted in (True, False)}
    forms |= {form.replace("z", "s").replace("Z", "S") for form in forms if "z" in form.lower()}
    return max(_key_score(match_key(form), b) for form in forms)


def _key_score(a: tuple[str, str, str], b: tuple[str, str, str]) -> float:
    from rapidfuzz.fuzz import ratio

    if not a[0]:
        return 0.0
    score = ratio(a[0], b[0])
    if min(len(a[0]), len(b[0])) <= 3:  # short: nearly the same, or the same but for vowels (Jaik, Jack)
        return score if score >= 85 else (MATCH_RATIO + 2 if a[1] == b[1] else min(score, MATCH_RATIO - 1))
    score = max(score, ratio(a[1], b[1]) - (8 if len(a[1]) == len(b[1]) else 15))
    if min(len(a[2]), len(b[2])) >= 3:  # a skeleton of two letters matches too much
        score = max(score, ratio(a[2], b[2]) - 5)
    return score


def _english_candidates(en: str) -> list[tuple[int, int, str]]:
    """Words of the English as ``(start, end, text)``, and each two adjacent words joined by a space
    or a hyphen (a name the English splits: "Aurang Zeb")."""
    words = [(m.start(), m.end(), m.group()) for m in _ENGLISH_WORD.finditer(en)]
    words = [w for w in words if not (w[2].lower() == "s" and w[0] > 0 and en[w[0] - 1] in "'’")]
    pairs = [(a[0], b[1], a[2] + b[2]) for a, b in zip(words, words[1:]) if en[a[1] : b[0]] in (" ", "-")]
    return words + pairs


def find_word(hindi_word: str, en: str, candidates: list[tuple[int, int, str]] | None = None) -> tuple[int, int, float] | None:
    """The English span best rendering one Hindi name word, as ``(start, end, score)``, or None when
    no word of ``en`` reaches :data:`MATCH_RATIO`."""
    best = None
    for start, end, text in candidates if candidates is not None else _english_candidates(en):
        score = name_score(hindi_word, text)
        if score >= MATCH_RATIO and (best is None or score > best[2]):
            best = (start, end, score)
    return best


def _has_acronym(letters: str, en: str) -> bool:
    """The acronym as a word (any case, a plural or possessive allowed), or the initials of an
    expansion ("liquefied natural gas" for LNG)."""
    if re.search(rf"(?<![A-Za-z0-9]){re.escape(letters)}(?:s|es|'s|’s)?(?![A-Za-z0-9])", en, re.IGNORECASE):
        return True
    initials = "".join(w[0].upper() for w in _ENGLISH_WORD.findall(en) if w.lower() not in _ACRONYM_SKIP)
    return letters.upper() in initials


def _has_acronym_verbatim(token: str, en: str) -> bool:
    """The acronym in the same letters and case, a plural or possessive allowed, and a dot or hyphen
    between its characters or none ("G-20" for G20, "P.S.M." for PSM, "AD" for A.D.): "Psm" or "PMS"
    is mangled."""
    pattern = "[.-]?".join(re.escape(ch) for ch in token.replace(".", ""))
    return re.search(rf"(?<![A-Za-z0-9]){pattern}\.?(?:s|es|'s|’s)?(?![A-Za-z0-9])", en) is not None


# --- detection -----------------------------------------------------------------------------------

_TITLE_KEYS = frozenset(term_key(t) for t in TITLES)
_STOP_KEYS = frozenset(term_key(w) for w in STOPWORDS)
# A word after a title this common (Zipf) is taken for a name only where a rare word follows it
# (ली सिएन लूंग) or, after a first name, where the name ends with it (अब्दुल अलीम खान और): बुश,
# सचिन, मुहम्मद are below, and पद, आलोचना, यात्रा (a title word used as a plain noun) above.
_COMMON_AFTER_TITLE = 4.6
# Endings no name after a title has: plurals and oblique plurals, adjectives in -ीय, verb forms.
_NOT_NAME_ENDINGS = ("ों", "ें", "ीं", "ीय")
_VERB_ENDINGS = ("ेंगे", "ेंगी", "ंगे", "ंगी", "ेगा", "ेगी", "ते", "ने", "गे", "गी", "गा", "कर")


def _verb_form(word: str) -> bool:
    """A form of a verb whose infinitive (stem + ना) wordfreq knows: लिखते, बनने, लेंगे. Only endings
    no name has (-ता and -ती have: सीता, भारती)."""
    for ending in _VERB_ENDINGS:
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) >= 2 and zipf(stem + "ना") >= 3.5:
            return True
    return False


# Signals from strongest to weakest: a name's ``why`` is its strongest.
_STRENGTH = ("title", "latin", "letters", "known", "rare")


def _is_acronym(token: str) -> bool:
    letters = [ch for ch in token if ch.isalpha()]
    if not letters:
        return False
    upper = sum(ch.isupper() for ch in letters)
    return (upper >= 2 and upper >= len(letters) - 1) or (upper >= 1 and any(ch.isdigit() for ch in token))


def _is_title(word: str) -> bool:
    return term_key(word) in _TITLE_KEYS or term_key(word.rstrip(".")) in _TITLE_KEYS


def _is_stop(word: str) -> bool:
    return term_key(word) in _STOP_KEYS


def _is_initial(word: str) -> bool:
    """An initial of a name: one letter name, with or without its dot ("एस.", "वी.", "डब्ल्यू")."""
    return word.rstrip(".") in _LETTER_NAMES


def _is_office(hindi: str) -> bool:
    """A glossary entry for an office (विदेश मंत्री, सेना प्रमुख), not a name."""
    return _is_title(hindi.split()[-1]) or hindi.split()[-1] == "प्रमुख"


def _is_demonym(hindi: str, keys: set[str]) -> bool:
    """A glossary entry that is the nationality of another (रूसी of रूस, भारतीय of भारत); ``keys``:
    the glossary's terms, :func:`term_key` form."""
    return any(term_key(base) in keys for base in adjective_bases(hindi))


@functools.lru_cache(maxsize=16384)
def _cached_is_rare(word: str) -> bool:
    return is_rare(word)


def find_names(hi: str, glossary: Glossary | None = None, known: frozenset[str] | set[str] = frozenset()) -> list[Name]:
    """The proper names and acronyms of a Hindi sentence, in text order, never overlapping.

    ``known``: Hindi name words (:func:`term_key` form) found by a strong signal elsewhere in the
    article (:func:`article_names`); such a word counts as a name here too (``why="known"``).
    """
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(hi)]
    # A dot belongs to an initial or a title ("एस.", "डॉ."); after any other word it ends a sentence.
    tokens = [(s, e - 1, t[:-1]) if t.endswith(".") and not (_is_initial(t) or _is_title(t)) and _DEVANAGARI_WORD.fullmatch(t[:-1])
              else (s, e, t) for s, e, t in tokens]
    names: list[Name] = []
    taken = [False] * len(tokens)
    if glossary is not None:
        keys: set[str] | None = None
        for start, end, hindi, english in glossary.find(hi):
            for k, (s, e, _) in enumerate(tokens):
                if s >= start and e <= end:
                    taken[k] = True
            keys = keys if keys is not None else {term_key(term) for term in glossary.entries}
            if english[:1].isupper() and not _is_office(hindi) and not _is_demonym(hindi, keys):
                names.append(Name(hi[start:end], start, end, "glossary", glossary.accepted(hindi) or (english,), "glossary"))
    signals: list[set[str]] = [set() for _ in tokens]
    devanagari = [bool(_DEVANAGARI_WORD.match(t)) for _, _, t in tokens]
    for k, (_, _, word) in enumerate(tokens):
        if taken[k]:
            continue
        if not devanagari[k]:
            if _is_acronym(word):
                signals[k].add("acronym")
            elif word[:1].isupper() and len(word) >= 3 and word.isalpha():
                signals[k].add("latin")
        elif spell_letters(word) and zipf(word) < 5.0:
            signals[k].add("letters")  # एलएनजी, आईजीसी, पीएम (a title too)
        elif _is_title(word) or _is_stop(word) or _is_initial(word):
            continue
        elif term_key(word) in known:
            signals[k].add("known")
        elif _cached_is_rare(word):
            signals[k].add("rare")
    for k, (_, _, word) in enumerate(tokens):
        if not devanagari[k]:
            continue
        if _is_title(word) or term_key(word) in ARTICLES:  # a title inside a glossary office counts too
            for j in _after_title(hi, tokens, taken, devanagari, k):
                signals[j].add("title")
        elif term_key(word) in AFTER_TITLES and k > 0 and not taken[k] and not taken[k - 1] and devanagari[k - 1]:
            prev = tokens[k - 1][2]
            if _adjacent(hi, tokens[k - 1], tokens[k]) and not (_is_stop(prev) or _is_title(prev) or signals[k - 1]):
                signals[k - 1].add("title")  # मोदी जी
    k = 0
    while k < len(tokens):
        if not signals[k]:
            k += 1
            continue
        j = k
        single = signals[k] & {"acronym", "letters"}
        while (not single and j + 1 < len(tokens) and signals[j + 1] and not signals[j + 1] & {"acronym", "letters"}
               and devanagari[j + 1] == devanagari[k] and _adjacent(hi, tokens[j], tokens[j + 1])):
            j += 1
        # An initial between two name words belongs to the name (जॉर्ज डब्ल्यू बुश, अलेक्जेंडर वी. फोमिन).
        while (j + 2 < len(tokens) and devanagari[k] and _is_initial(tokens[j + 1][2]) and signals[j + 2]
               and not signals[j + 2] & {"acronym", "letters"} and _adjacent(hi, tokens[j], tokens[j + 1])
               and _adjacent(hi, tokens[j + 1], tokens[j + 2])):
            j += 2
            while (j + 1 < len(tokens) and signals[j + 1] and not signals[j + 1] & {"acronym", "letters"}
                   and devanagari[j + 1] and _adjacent(hi, tokens[j], tokens[j + 1])):
                j += 1
        start, end = tokens[k][0], tokens[j][1]
        source = hi[start:end]
        found = set().union(*signals[k : j + 1])
        if "acronym" in found:
            names.append(Name(source, start, end, "acronym", (source,), "latin"))
        elif "letters" in found:
            names.append(Name(source, start, end, "initialism", (spell_letters(source) or source, romanize(source)), "letters"))
        else:
            why = next(w for w in _STRENGTH if w in found)
            names.append(Name(source, start, end, "name", (romanize(source),), why))
        k = j + 1
    return sorted(names, key=lambda name: name.start)


def _after_title(hi: str, tokens: list[tuple[int, int, str]], taken: list[bool], devanagari: list[bool], k: int) -> list[int]:
    """The tokens of the name after the title at ``k`` (none where a common word follows it)."""
    j = k + 1
    while j < len(tokens) and devanagari[j] and _is_title(tokens[j][2]) and _adjacent(hi, tokens[j - 1], tokens[j]):
        j += 1  # कर्नल जनरल, विदेश मंत्री डॉ.
    name: list[int] = []
    while j < len(tokens) and len(name) < MAX_NAME_WORDS and _adjacent(hi, tokens[j - 1], tokens[j]):
        word = tokens[j][2]
        if taken[j] or not devanagari[j] or _is_stop(word) or _is_title(word):
            break
        if _is_initial(word):
            name.append(j)
            j += 1
            continue
        if word.endswith(_NOT_NAME_ENDINGS) or _garbled(word):
            break
        if _verb_form(word):
            break  # प्रोफ़ेसर पामेला फ़र्ग्यूसन लिखते हैं
        common = zipf(word) >= _COMMON_AFTER_TITLE
        following = tokens[j + 1][2] if j + 1 < len(tokens) and _adjacent(hi, tokens[j], tokens[j + 1]) else ""
        if common and not name and not (following and devanagari[j + 1] and (zipf(following) == 0.0 or following == "ने")):
            break  # राष्ट्रपति पद, लेखक आलोचना: a plain noun (but मंत्री सूर्य ने: the agent of a verb)
        if common and name and following and not (_is_stop(following) or zipf(following) == 0.0):
            break  # ... पोहाम्बा बड़े अंतर: the name ended before
        name.append(j)
        j += 1
    while name and _is_initial(tokens[name[-1]][2]):
        name.pop()
    return name


def _adjacent(text: str, a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    """Two tokens separated only by a space or a hyphen (or an initial's dot and a space)."""
    gap = text[a[1] : b[0]]
    return gap in (" ", "-", "", "\u2013") or (a[2].endswith(".") and gap.strip() == "")


def article_names(sentences: list[str], glossary: Glossary | None = None) -> frozenset[str]:
    """The Hindi name words (:func:`term_key` form) that a strong signal finds somewhere in an
    article: pass them as ``known`` to :func:`check_names` so that "तिर्मिजी ने कहा" is checked
    in a later sentence after "राजदूत फैसल नियाज तिर्मिजी" was found in an earlier one."""
    words: set[str] = set()
    for sentence in sentences:
        for name in find_names(sentence, glossary):
            if name.kind == "name" and name.strong:
                words.update(term_key(w) for w in name_words(name) if _DEVANAGARI_WORD.match(w))
    return frozenset(words)


# --- checks --------------------------------------------------------------------------------------


def name_words(name: Name) -> list[str]:
    """The words of a name that must show in the English: initials and function words aside."""
    words = [w for w in re.split(r"[\s\-\u2013]+", name.source) if w]
    return [w for w in words if not _DEVANAGARI_WORD.match(w) or not (_is_initial(w) or _is_stop(w))]


def locate_name(name: Name, en: str, candidates: list[tuple[int, int, str]] | None = None) -> dict[str, tuple[int, int] | None]:
    """Where each word of ``name`` (:func:`name_words`) is rendered in ``en``: word -> span or None."""
    candidates = candidates if candidates is not None else _english_candidates(en)
    words = name_words(name)
    found: dict[str, tuple[int, int] | None] = {}
    for word in words:
        if not _DEVANAGARI_WORD.match(word):
            match = re.search(rf"(?<![A-Za-z0-9]){re.escape(word)}(?![A-Za-z0-9])", en, re.IGNORECASE)
            found[word] = match.span() if match else None
        else:
            hit = find_word(word, en, candidates)
            found[word] = hit[:2] if hit else None
    # Two Hindi words the English writes as one (स्नो डेन, "Snowden").
    for first, second in zip(words, words[1:]):
        if found.get(first) is None and found.get(second) is None and _DEVANAGARI_WORD.match(first + second):
            hit = find_word(first + second, en, candidates)
            if hit:
                found[first] = found[second] = hit[:2]
    return found


def name_present(name: Name, en: str, candidates: list[tuple[int, int, str]] | None = None) -> bool:
    """Whether the English renders ``name`` (the rules are :func:`check_names`')."""
    if name.kind == "glossary":
        return any(_contains_words(en, form) for form in name.forms)
    if name.kind == "acronym":
        return _has_acronym_verbatim(name.source, en)
    if name.kind == "initialism" and _has_acronym(name.forms[0], en):
        return True
    found = locate_name(name, en, candidates)
    if sum(span is not None for span in found.values()) * 2 < len(found):
        return False
    if name.why == "rare":
        return True  # rare words together are often a compound or an English phrase: half will do
    missing = [word for word, span in found.items() if span is None and not _may_be_missing(word)]
    # A name of three words or more keeps its surname and all but one other word: one given name
    # spelled another language's way (रजब तैयब इरदुगान, "Recep Tayyip Erdoğan") is no loss.
    return not missing or (len(found) >= 3 and len(missing) == 1 and found[list(found)[-1]] is not None)


def _may_be_missing(word: str) -> bool:
    """A word of a name whose absence alone is no fault: a common Hindi word (a title's name may run
    on into one: "जॉर्ज डब्ल्यू बुश एशिया के"), or Latin letters (checked as acronyms)."""
    return (not _DEVANAGARI_WORD.match(word) or zipf(word) >= _COMMON_AFTER_TITLE
            or len(romanize(word)) <= 2)  # डि गॉल: "de Gaulle"


def _contains_words(text: str, phrase: str) -> bool:
    words = [re.escape(word) for word in phrase.split()]
    return re.search(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", text, re.IGNORECASE) is not None


def check_names(index: int | None, hi: str, en: str, glossary: Glossary | None = None,
                known: frozenset[str] | set[str] = frozenset()) -> list[Warning]:
    """``name-missing`` and ``acronym-missing`` warnings for one translated sentence.

    A Latin acronym of the source (``PSM``) must be in the English verbatim (a plural or possessive
    allowed). A Devanagari-spelled one (एलएनजी) may come out as its letters in any case ("LNG",
    "MoU"), as the initials of an expansion ("liquefied natural gas") or transliterated. Another
    name is there when at least half of its words (initials aside) have a fuzzy match among the
    English words (:func:`name_score` >= :data:`MATCH_RATIO`): "Lavrov" renders सेर्गेई लावरोव.

    Only names found by a strong signal are checked (:attr:`Name.strong`): a title, Latin letters,
    spelled letters, two rare words together, or a word of ``known`` (:func:`article_names`). A
    single word wordfreq does not know is left alone: on FLORES-200 most such words are ordinary
    Hindi (a compound, a rare inflection, an English loanword) whose English is another word, and
    warning on them would cry wolf in one sentence in five. Glossary names are left to
    ``check_segment``'s ``glossary-missed``, which already checks them, so that one fault is not
    reported twice. An empty English gets none of these (``check_segment`` reports it).
    """
    if not en.strip():
        return []
    warnings = []
    candidates = _english_candidates(en)
    for name in find_names(hi, glossary, known):
        if name.kind == "glossary" or not name.strong or name_present(name, en, candidates):
            continue
        if name.kind == "acronym":
            warnings.append(warning(
                "acronym-missing", index, f"The acronym {name.source!r} of the source is not in the translation.",
                source=name.source, expected=list(name.forms)))
        else:
            missing = [w for w, span in locate_name(name, en, candidates).items() if span is None]
            shown = " or ".join(repr(f) for f in name.forms)
            warnings.append(warning(
                "name-missing", index,
                f"The name '{name.source}' (something like {shown}) is not in the translation: "
                "it may have been dropped or translated as a word.",
                source=name.source, expected=list(name.forms), missing=missing, kind=name.kind, why=name.why))
    return warnings


def names_seen_missing(segments: list[tuple[str, str]], glossary: Glossary | None = None) -> list[Warning]:
    """``name-missing`` for a one-word name that the article's own English shows to be a name, in the
    sentences whose English leaves it out.

    :func:`check_names` leaves a single word wordfreq does not know alone (most are ordinary Hindi).
    But where the English of one sentence renders it as a capitalised word that is not the sentence's
    first, nor a common English word (मार्टेली as "Martelly"), the article has said it is a name, and
    a sentence that has the same word (nukta or not) and no rendering of it has lost it. ``segments``
    are the article's ``(hi, en)`` pairs (positions are the warnings' segments); checked after the
    self-healing, so such a sentence is reported, not translated again.
    """
    from wordfreq import zipf_frequency

    found: list[list[tuple[Name, bool]]] = []
    confirmed: dict[str, str] = {}  # Hindi word key -> the English that showed it is a name
    for hi, en in segments:
        candidates = _english_candidates(en) if en.strip() else []
        row = []
        for name in find_names(hi, glossary):
            if name.kind != "name" or name.strong or not _DEVANAGARI_WORD.fullmatch(name.source):
                continue
            hit = find_word(name.source, en, candidates) if candidates else None
            row.append((name, hit is not None))
            if hit is None or hit[2] < 85:
                continue
            word = en[hit[0]:hit[1]]
            first = not en[:hit[0]].strip(" \"'“‘(")
            if word[:1].isupper() and not first and zipf_frequency(word.lower(), "en") < 4.0:
                confirmed.setdefault(term_key(name.source), word)
        found.append(row)
    warnings = []
    for position, ((_, en), row) in enumerate(zip(segments, found)):
        for name, present in row:
            shown = confirmed.get(term_key(name.source))
            if shown is None or present or not en.strip():
                continue
            warnings.append(warning(
                "name-missing", position,
                f"The name '{name.source}' (written {shown!r} elsewhere in the article) is not in the "
                "translation: it may have been dropped or translated as a word.",
                source=name.source, expected=[shown], missing=[name.source], kind="name", why="seen"))
    return warnings


def harmonize_names(segments: list[tuple[str, str]], glossary: Glossary | None = None) -> tuple[list[str], list[Warning]]:
    """One English rendering for each Hindi name word across an article.

    ``segments`` are the article's ``(hi, en)`` pairs in order (their positions are the warnings'
    segments). For each Hindi name word (nukta or not) of a strong name (see :func:`check_names`,
    with the article's own :func:`article_names`), the renderings :func:`locate_name` finds are
    compared, ignoring case, a possessive and a plural s; where they differ, the most frequent wins
    (a tie: the one met first) and the others are replaced by it, only those words, the rest of each
    sentence untouched. Returns the new English texts and one ``name-inconsistent`` warning per
    replaced word (``detail``: ``source``, ``was``, ``now``, ``renderings``). Glossary names and
    acronyms are not touched (the glossary fixes the first, the second are verbatim).
    """
    known = article_names([hi for hi, _ in segments], glossary)
    seen: dict[str, list[tuple[int, int, int, str]]] = {}  # Hindi word key -> (segment, start, end, text)
    sources: dict[str, str] = {}
    for position, (hi, en) in enumerate(segments):
        if not en.strip():
            continue
        candidates = _english_candidates(en)
        for name in find_names(hi, glossary, known):
            if name.kind != "name" or not name.strong:
                continue
            for word, span in locate_name(name, en, candidates).items():
                if span is None or not _DEVANAGARI_WORD.match(word):
                    continue
                key = term_key(word)
                sources.setdefault(key, word)
                mentions = seen.setdefault(key, [])
                if all(m[:3] != (position, *span) for m in mentions):
                    mentions.append((position, span[0], span[1], en[span[0] : span[1]]))
    edits: dict[int, list[tuple[int, int, str, str, str]]] = {}
    for key, mentions in seen.items():
        order = list(dict.fromkeys(_fold(text) for *_, text in mentions))
        if len(order) < 2:
            continue
        counts = Counter(_fold(text) for *_, text in mentions)
        winner_fold = max(order, key=lambda f: (counts[f], -order.index(f)))
        winner = next(text for *_, text in mentions if _fold(text) == winner_fold)
        for position, start, end, text in mentions:
            if _fold(text) != winner_fold and _similar(text, winner):
                edits.setdefault(position, []).append((start, end, text, _keep_suffix(text, winner), key))
    texts = [en for _, en in segments]
    warnings: list[Warning] = []
    for position in sorted(edits):
        text, done = texts[position], []
        for start, end, was, now, key in sorted(edits[position], reverse=True):
            if any(start < e and end > s for s, e in done):
                continue  # two name words matched overlapping English (a name written as one word)
            done.append((start, end))
            text = text[:start] + now + text[end:]
            renderings = dict(Counter(_strip_suffix(t) for *_, t in seen[key]))
            warnings.append(warning(
                "name-inconsistent", position,
                f"The name '{sources[key]}' is written {was!r} here but {_strip_suffix(now)!r} elsewhere in the "
                f"article; made {now!r}.",
                source=sources[key], was=was, now=now, renderings=renderings))
        texts[position] = text
    warnings.sort(key=lambda w: (w.segment, w.detail["was"]))
    return texts, warnings


_SUFFIX = re.compile(r"(?:['’]s|['’])$")


def _strip_suffix(text: str) -> str:
    return _SUFFIX.sub("", text)


def _fold(text: str) -> str:
    """A rendering compared: any case, a possessive or a plural s aside."""
    text = _strip_suffix(text).lower()
    return text[:-1] if text.endswith("s") and len(text) > 3 else text


def _keep_suffix(was: str, winner: str) -> str:
    """The winning rendering with the replaced one's possessive ("Tirmiji's" -> "Tirmizi's")."""
    suffix = _SUFFIX.search(was)
    return _strip_suffix(winner) + (suffix.group() if suffix else "")


def _similar(a: str, b: str) -> bool:
    """Two renderings of the same name, not a name and some other word matched by chance."""
    from rapidfuzz.fuzz import ratio

    ka, kb = match_key(a), match_key(b)
    return ratio(ka[0], kb[0]) >= 60 or ka[2] == kb[2]
