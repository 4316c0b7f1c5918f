"""Cutting a sentence too long for a model's window into pieces that fit, losing no word."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence

#: Where an over-long sentence may be cut, best first: after ``,`` ``;`` ``:``; before a
#: conjunction (Hindi, and English for mixed text); between words. Failing all, between characters.
CLAUSE_BOUNDARIES: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?<=[,;:،])\s+"),
    re.compile(
        r"\s+(?=(?:और|लेकिन|क्योंकि|जबकि|कि|तथा|एवं|परंतु|किंतु|मगर|इसलिए|ताकि|जब|यदि|अगर"
        r"|and|but|because|while|whereas|which|although)\s)"
    ),
    re.compile(r"\s+"),
)


def split_to_fit(
    text: str, fits: Callable[[str], bool], boundaries: Sequence[re.Pattern[str]] = CLAUSE_BOUNDARIES
) -> list[str]:
    """Cut ``text`` into consecutive pieces that each satisfy ``fits``, losing no word.

    Tries the ``boundaries`` in order (clauses, then words), packing neighbouring parts back
    together while they fit; a single word that does not fit is cut between characters.
    """
    text = text.strip()
    if not text:
        return []
    if fits(text):
        return [text]
    for level, pattern in enumerate(boundaries):
        parts = [part for part in pattern.split(text) if part.strip()]
        if len(parts) > 1:
            return _pack(parts, fits, boundaries[level + 1 :])
    return _split_characters(text, fits)


def _pack(parts: list[str], fits: Callable[[str], bool], finer: Sequence[re.Pattern[str]]) -> list[str]:
    pieces: list[str] = []
    current = ""
    for part in parts:
        candidate = f"{current} {part}" if current else part
        if fits(candidate):
            current = candidate
            continue
        if current:
            pieces.append(current)
        if fits(part):
            current = part
        else:
            pieces.extend(split_to_fit(part, fits, finer))
            current = ""
    if current:
        pieces.append(current)
    return pieces


def _split_characters(text: str, fits: Callable[[str], bool]) -> list[str]:
    pieces = []
    while text:
        # Longest prefix that fits (at least one character, so the loop always advances).
        size = bisect.bisect_right(range(1, len(text) + 1), False, key=lambda n: not fits(text[:n]))
        size = max(size, 1)
        pieces.append(text[:size])
        text = text[size:]
    return pieces


def clauses(text: str) -> list[str]:
    """``text`` cut at every clause boundary (punctuation, then conjunctions; never between plain
    words): the pieces a sentence is retranslated in when translating it whole went wrong."""
    pieces = [text.strip()]
    for pattern in CLAUSE_BOUNDARIES[:2]:
        pieces = [part for piece in pieces for part in pattern.split(piece) if part.strip()]
    return pieces
