"""Brief modes, and the guard that keeps an abstractive brief to what the translation says.

``abstractive``: the summarization model's brief as it comes. ``extractive``: whole sentences of the
translation, chosen by ``translate.engines.summarizer``'s extractive engine (faithful by construction).
``guarded`` (the default): the abstractive brief, with each sentence that states a number or a name
the translation does not contain replaced by the translation's closest sentence.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from ..article.segment import split_sentences
from .checks import check_brief
from .protect import english_numbers
from .warnings import Warning, warning

_WORD = re.compile(r"[^\W_]+")
_LETTERS = re.compile(r"[^\W\d_]+")

# brief_sources: an English word this common (wordfreq's Zipf) says nothing about where a sentence
# comes from ("the", "said", "both", "year", "new" are 5.8 to 7.7; "trade", "president", "met" are
# 5.0 to 5.5); what a number, a name or one rare word adds to a sentence's support; and the least
# that a second, third ... source must add to be cited (two content words, or a number).
SOURCE_COMMON_ZIPF = 5.7
SOURCE_WEIGHTS = {"word": 1.0, "name": 1.5, "number": 2.0}
SOURCE_MIN_EXTRA = 2.0


def guard_brief(brief: str, translation_sentences: list[str]) -> tuple[str, list[Warning]]:
    """Replace every brief sentence failing :func:`check_brief` by the closest supported sentence.

    Closeness is the cosine of word counts (a bag-of-words TF cosine, written out here because it
    is four lines and the project has no scikit-learn). A translation sentence is used once; when
    none is left the failing sentence is dropped. Returns the new brief and one
    ``brief-sentence-replaced`` warning per replaced or dropped sentence.
    """
    translation = " ".join(translation_sentences)
    candidates = [s for s in translation_sentences if s.strip() and not check_brief(s, translation)]
    kept: list[str] = []
    warnings = []
    for sentence in split_sentences(brief):
        problems = check_brief(sentence, translation)
        if not problems:
            kept.append(sentence)
            continue
        unused = [c for c in candidates if c not in kept]
        replacement = max(unused, key=lambda c: _cosine(sentence, c), default=None)
        reasons = "; ".join(p["message"] for p in problems)
        if replacement is None:
            message = f"A brief sentence was dropped: {reasons}"
        else:
            kept.append(replacement)
            message = f"A brief sentence was replaced by the closest sentence of the translation: {reasons}"
        warnings.append(warning(
            "brief-sentence-replaced", None, message,
            replaced=sentence, by=replacement, problems=[p["code"] for p in problems]))
    return " ".join(kept), warnings


def _cosine(a: str, b: str) -> float:
    ca, cb = Counter(_WORD.findall(a.lower())), Counter(_WORD.findall(b.lower()))
    dot = sum(ca[w] * cb[w] for w in ca)
    norm = math.sqrt(sum(v * v for v in ca.values())) * math.sqrt(sum(v * v for v in cb.values()))
    return dot / norm if norm else 0.0


def brief_sources(brief: str, translation_sentences: list[str]) -> list[list[int]]:
    """For each sentence of ``brief`` (:func:`split_sentences`, as :func:`guard_brief` splits it), the
    indexes of the translation sentences that support it, in text order (a reader follows them down
    the article: ``[12, 14]``, never ``[14, 12]``).

    Support is shared content: words other than the commonest English ones (see
    :data:`SOURCE_COMMON_ZIPF`; a plural or possessive ``s`` aside), names (capitalised words) and
    numbers (by value: "five" supports 5). The sources are chosen greedily: first the sentence that
    shares the most (ties: the larger :func:`_cosine`, as the guard uses), then each sentence that
    adds at least :data:`SOURCE_MIN_EXTRA` of what the chosen ones lack. So a brief sentence copied
    from the translation cites that one sentence, one built from two sentences cites both, and one
    that shares nothing cites none (an empty list). At least one is cited where anything is shared.
    """
    facts = [_facts(sentence) for sentence in translation_sentences]
    sources = []
    for sentence in split_sentences(brief):
        wanted = _facts(sentence)
        chosen: list[int] = []
        covered: set = set()
        while True:
            best, best_key = None, None
            for index, have in enumerate(facts):
                if index in chosen:
                    continue
                gain = sum(wanted[fact] for fact in (wanted.keys() & have.keys()) - covered)
                key = (gain, _cosine(sentence, translation_sentences[index]))
                if gain > 0 and (best_key is None or key > best_key):
                    best, best_key = index, key
            if best is None or (chosen and best_key[0] < SOURCE_MIN_EXTRA):
                break
            chosen.append(best)
            covered |= wanted.keys() & facts[best].keys()
        sources.append(sorted(chosen))
    return sources


def _facts(sentence: str) -> dict[tuple[str, object], float]:
    """What a sentence states that another could share: ``(kind, value) -> weight``."""
    facts: dict[tuple[str, object], float] = {}
    for mention in english_numbers(sentence):
        facts[("number", mention.value * mention.scale)] = SOURCE_WEIGHTS["number"]
    for position, match in enumerate(_LETTERS.finditer(sentence)):
        word = match.group()
        stem = re.sub(r"(?:['’]s|(?<=[^s])s)$", "", word.lower()) if len(word) > 3 else word.lower()
        if position and word[0].isupper() and word != "I":
            facts[("word", stem)] = SOURCE_WEIGHTS["name"]
        elif _content_word(word.lower()):
            facts.setdefault(("word", stem), SOURCE_WEIGHTS["word"])
    return facts


def _content_word(word: str) -> bool:
    import wordfreq

    return len(word) > 1 and wordfreq.zipf_frequency(word, "en") < SOURCE_COMMON_ZIPF
