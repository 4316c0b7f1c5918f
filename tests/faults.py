"""Lying stub translators, one per fault translation models are known to make (issue 14), shared by
tests/test_healing.py and bench/faithfulness.py.

A :class:`Liar` translates like :class:`stubs.HonestTranslator` but, for a chosen share of the
sentences where its fault applies, writes the faulty version instead, and records which. Asked for
alternatives (``candidates``, as the self-healing does), it answers as a real model might: each
retranslation repeats the fault, except the strategy ``honest_in`` names (``"n-best"``,
``"no-repeat"``, ``"clauses"``; None: none), which also holds the honest translation.

Faults (:data:`FAULTS`), each applied to the honest English of the sentence:

* ``name-dropped``: a name of the sentence left out (IndicTrans2#15, fairseq#4639);
* ``name-misspelt``: a name transliterated beyond recognition (its consonants swapped for others);
* ``name-as-word``: a name translated as a dictionary word (सूर्य -> "the Sun");
* ``loop``: the end of the sentence repeated (fairseq#5108, LibreTranslate#183);
* ``clause-dropped``: the last clause of the sentence left out.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Callable

from stubs import HonestTranslator

from translate.engines.clauses import clauses
from translate.faithful.glossary import Glossary
from translate.faithful.names import Name, find_names, locate_name

FAULTS = ("name-dropped", "name-misspelt", "name-as-word", "loop", "clause-dropped")
NAME_FAULTS = FAULTS[:3]
WORDS = ("the sun", "a friend", "the victory", "the lion")  # what a name that is also a word becomes
HONEST_SCORE, FAULTY_SCORE = -0.3, -0.9
_GLOSSARY = Glossary.load()
# A fixed permutation of consonants: "Lavrov" -> "Fanqoj", far from any fuzzy match of the name.
_SWAP = str.maketrans("bcdfghjklmnpqrstvwxzBCDFGHJKLMNPQRSTVWXZ", "qxwjzbfvtrdkgmsnlhcpQXWJZBFVTRDKGMSNLHCP")


def misspell(text: str) -> str:
    """``text`` with every consonant swapped for another: unrecognisable as the same name."""
    return text.translate(_SWAP)


def checkable_names(hi: str) -> list[Name]:
    """The names of ``hi`` that the name check looks for (strong, not glossary entries), written in
    Devanagari or as a Latin acronym."""
    return [n for n in find_names(hi, _GLOSSARY) if n.kind != "glossary" and n.strong]


def replace_name(found: Name, en: str, replacement: Callable[[str], str]) -> str:
    """``en`` with every mention of ``found`` taken out and ``replacement(first mention)`` put where
    the first one was (spaces tidied)."""
    first = None
    for _ in range(8):  # blank the mentions found until none is left
        if found.kind == "acronym":
            spans = [m.span() for m in re.finditer(re.escape(found.source), en)]
        else:
            spans = [span for span in locate_name(found, en).values() if span]
        if found.kind == "initialism":
            spans += [m.span() for m in re.finditer(found.forms[0], en, re.IGNORECASE)]
        if not spans:
            break
        for start, end in sorted(set(spans)):
            first = first if first is not None else en[start:end]
            en = en[:start] + "#" * (end - start) + en[end:]
    new = replacement(first or "")
    return re.sub(r" {2,}", " ", re.sub(r"#+", "", re.sub(r"#+", lambda _: new, en, count=1))).strip()


def inject(fault: str, source: str, honest: str, rng: random.Random, translate: Callable[[str], str]) -> str | None:
    """The faulty English for ``source`` (model input) whose honest English is ``honest``, or None
    where ``fault`` cannot happen in this sentence (no name, a single clause, too short to loop)."""
    if fault in NAME_FAULTS:
        names = checkable_names(source)
        if not names:
            return None
        found = rng.choice(names)
        make = {"name-dropped": lambda _: "", "name-misspelt": misspell,
                "name-as-word": lambda _: rng.choice(WORDS)}[fault]
        faulty = replace_name(found, honest, make)
        return faulty if faulty != honest else None
    if fault == "loop":
        words = honest.rstrip(".").split()
        if len(words) < 4:
            return None
        tail = " ".join(words[-3:])
        return " ".join(words) + (" " + tail) * 4 + "."
    if fault == "clause-dropped":
        parts = clauses(source)
        return translate(" ".join(parts[:-1])) if len(parts) > 1 else None
    raise ValueError(f"unknown fault {fault!r}")


class Liar(HonestTranslator):
    """Writes ``fault`` into about ``rate`` of the sentences where it applies (chosen by a hash of the
    sentence and ``seed``: the same sentence always gets the same answer). ``faulty`` maps each
    model input it lied about to its faulty English."""

    def __init__(self, fault: str, rate: float = 1.0, *, seed: int = 0,
                 honest_in: str | None | Callable[[random.Random], str | None] = "n-best") -> None:
        super().__init__()
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}")
        self.fault, self.rate, self.seed, self.honest_in = fault, rate, seed, honest_in
        self.faulty: dict[str, str] = {}
        self.fixable: dict[str, str | None] = {}  # faulty sentence -> the strategy that has it honest
        self.asked: list[tuple[str, list[str]]] = []  # (strategy, sentences) of each candidates call
        self.model_info = {"id": f"stub-liar-{fault}", "revision": "1", "backend": "stub"}

    def _rng(self, sentence: str) -> random.Random:
        digest = hashlib.sha256(f"{self.seed}\0{self.fault}\0{sentence}".encode()).digest()
        return random.Random(int.from_bytes(digest[:8], "big"))

    def lie(self, sentence: str) -> str | None:
        """The faulty English for ``sentence`` if this liar lies about it, else None."""
        if sentence not in self.faulty:
            rng = self._rng(sentence)
            if rng.random() >= self.rate:
                return None
            faulty = inject(self.fault, sentence, self.translate_one(sentence), rng, self.translate_one)
            if faulty is None:
                return None
            self.faulty[sentence] = faulty
            self.fixable[sentence] = self.honest_in(rng) if callable(self.honest_in) else self.honest_in
        return self.faulty[sentence]

    def translate(self, sentences: list[str]) -> list[str]:
        return [text for text, _ in self.translate_scored(sentences)]

    def translate_scored(self, sentences: list[str]) -> list[tuple[str, float | None]]:
        self.calls.append(list(sentences))
        results = []
        for sentence in sentences:
            faulty = self.lie(sentence)
            results.append((faulty, FAULTY_SCORE) if faulty is not None else (self.translate_one(sentence), HONEST_SCORE))
        return results

    def candidates(self, sentences: list[str], strategy: str) -> list[list[tuple[str, float | None]]]:
        self.asked.append((strategy, list(sentences)))
        found = []
        for sentence in sentences:
            honest, faulty = self.translate_one(sentence), self.faulty.get(sentence)
            if faulty is None:  # an honest sentence flagged anyway: the model says the same again
                found.append([(honest, HONEST_SCORE)] if strategy != "clauses" else [])
            elif strategy == "n-best":
                found.append([(faulty, FAULTY_SCORE - 0.1)]
                             + ([(honest, HONEST_SCORE - 0.2)] if self.fixable[sentence] == strategy else []))
            elif strategy == "clauses" and len(clauses(sentence)) < 2:
                found.append([])
            else:
                found.append([(honest, HONEST_SCORE) if self.fixable[sentence] == strategy else (faulty, FAULTY_SCORE)])
        return found
