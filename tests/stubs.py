"""Deterministic stub engines for tests: injected into ``Pipeline(translator=..., summarizer=...)``.

``HonestTranslator`` "translates" by transliterating Devanagari into Latin letters, word by word:
Latin tokens (numbers, URLs, names written in English, glossary renderings the pipeline put into the
source) pass through unchanged and Devanagari digits become ASCII, so it is faithful in every way
the checks look at. ``HonestSummarizer`` returns the first sentences of its input, verbatim.
Lying stubs in the tests derive from these.
"""

from __future__ import annotations

import re

_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")
_VOWELS = {"अ": "a", "आ": "aa", "इ": "i", "ई": "ii", "उ": "u", "ऊ": "uu", "ऋ": "ri", "ए": "e", "ऐ": "ai", "ओ": "o", "औ": "au"}
_SIGNS = {"ा": "aa", "ि": "i", "ी": "ii", "ु": "u", "ू": "uu", "ृ": "ri", "े": "e", "ै": "ai", "ो": "o", "ौ": "au", "ं": "n", "ँ": "n", "ः": "h", "्": "", "़": ""}
_CONSONANTS = dict(zip("कखगघङचछजझञटठडढणतथदधनपफबभमयरलवशषसह", "k kh g gh n ch chh j jh n t th d dh n t th d dh n p ph b bh m y r l v sh sh s h".split()))
_PUNCT = {"।": ".", "॥": ".", "‘": "'", "’": "'", "“": '"', "”": '"'}


def transliterate(text: str) -> str:
    """Devanagari -> plain Latin letters (lossy, deterministic); everything else unchanged."""
    out: list[str] = []
    chars = text.translate(_DIGITS)
    for i, ch in enumerate(chars):
        if ch in _CONSONANTS:
            nxt = chars[i + 1] if i + 1 < len(chars) else ""
            out.append(_CONSONANTS[ch] + ("" if nxt in _SIGNS else "a"))
        elif ch in _VOWELS:
            out.append(_VOWELS[ch])
        elif ch in _SIGNS:
            out.append(_SIGNS[ch])
        elif ch in _PUNCT:
            out.append(_PUNCT[ch])
        elif "\u0900" <= ch <= "\u097f":
            continue
        else:
            out.append(ch)
    return "".join(out)


class HonestTranslator:
    model_info = {"id": "stub-honest", "revision": "1", "backend": "stub"}

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def translate(self, sentences: list[str]) -> list[str]:
        self.calls.append(list(sentences))
        return [self.translate_one(s) for s in sentences]

    def translate_one(self, sentence: str) -> str:
        text = transliterate(sentence).strip()
        return text[:1].upper() + text[1:]


class HonestSummarizer:
    model_info = {"id": "stub-lead", "revision": "1", "backend": "stub"}

    def summarize(self, text: str, words: int = 60, sentences: list[str] | None = None) -> str:
        pieces = sentences or re.split(r"(?<=[.?!])\s+", text)
        brief: list[str] = []
        for piece in pieces:
            if brief and len(" ".join(brief + [piece]).split()) > words:
                break
            brief.append(piece)
        return " ".join(brief)


class SlowTranslator(HonestTranslator):
    """:class:`HonestTranslator` that takes ``delay`` seconds per batch of ``batch`` sentences and says
    when each batch is done (``translate_scored(..., on_done=...)``, as :class:`translate.Translator`
    does): for tests of what is shown while a translation runs."""

    model_info = {"id": "stub-slow", "revision": "1", "backend": "stub"}

    def __init__(self, delay: float = 0.5, batch: int = 3) -> None:
        super().__init__()
        self.delay, self.batch = delay, batch
        self.batches_done = 0

    def before_batch(self) -> None:
        """Called before each batch: waits ``delay`` seconds."""
        import time

        time.sleep(self.delay)

    def translate_scored(self, sentences: list[str], *, on_done=None) -> list[tuple[str, float | None]]:
        results: list[tuple[str, float | None]] = []
        for start in range(0, len(sentences), self.batch):
            self.before_batch()
            chunk = [(self.translate_one(s), -0.1) for s in sentences[start:start + self.batch]]
            self.calls.append(list(sentences[start:start + self.batch]))
            self.batches_done += 1
            results += chunk
            if on_done is not None:
                on_done([(start + k, pair) for k, pair in enumerate(chunk)])
        return results


class DictTranslator(SlowTranslator):
    """A hand translation looked up sentence by sentence: ``english`` maps each text the pipeline hands
    the engine to its English. A text it does not hold falls back to :class:`HonestTranslator`'s
    transliteration and is recorded in ``missing`` (so a test can tell its hand translation was not
    used: the pipeline segmented or prepared the article differently). Reports each batch of
    ``batch`` sentences as it is done (a :class:`SlowTranslator` without the delay); with a ``gate`` (a
    ``threading.Event``) every batch after the first waits for it (at most ``hold`` seconds), so a
    test can look at the page while the work runs."""

    model_info = {"id": "stub-dict", "revision": "1", "backend": "stub"}

    def __init__(self, english: dict[str, str], *, batch: int = 4, gate=None, hold: float = 60.0) -> None:
        super().__init__(delay=0.0, batch=batch)
        self.english, self.gate, self.hold = dict(english), gate, hold
        self.missing: list[str] = []

    def translate_one(self, sentence: str) -> str:
        key = sentence.strip()
        if key in self.english:
            return self.english[key]
        self.missing.append(key)
        return super().translate_one(sentence)

    def before_batch(self) -> None:
        if self.gate is not None and self.batches_done:
            self.gate.wait(self.hold)
