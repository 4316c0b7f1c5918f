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
from .warnings import Warning, warning

_WORD = re.compile(r"[^\W_]+")


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
