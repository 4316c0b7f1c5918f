"""One set of run options, validated once: :class:`PipelineOptions`.

The command line (``hindi-brief run`` / ``serve``), the Python API
(``Pipeline.from_options(PipelineOptions(...))``), the web page and the Ray workers all carry the same
frozen object, so an option means the same everywhere and is checked in one place. Rules that
several places need (the brief's length) live here too.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from .errors import UsageError

DEFAULT_TRANSLATOR = "hplt"
DEFAULT_SUMMARIZER = "distilbart-cnn"
DEFAULT_BRIEF_WORDS = 60
#: Length of a story's brief in a digest (``--digest-words``), in words.
DEFAULT_STORY_WORDS = 100
#: A brief's length in words, everywhere (command line, API, web page): shorter says nothing, longer
#: is no brief.
BRIEF_WORDS_RANGE = (10, 300)
BRIEF_MODES = ("guarded", "abstractive", "extractive")
BACKEND_CHOICES = ("auto", "transformers", "ctranslate2")


def check_brief_words(words: Any) -> int:
    """``words`` as an int within :data:`BRIEF_WORDS_RANGE`, else a UsageError saying the rule."""
    low, high = BRIEF_WORDS_RANGE
    try:
        number = int(words)
    except (TypeError, ValueError):
        raise UsageError(f"brief length must be a whole number of words, got {words!r}") from None
    if not low <= number <= high:
        why = f"a brief needs at least {low} words" if number < low else f"a brief has at most {high} words"
        raise UsageError(f"brief length must be {low} to {high} words, got {number}: {why}")
    return number


@dataclass(frozen=True)
class PipelineOptions:
    """What a run is asked to do, before any model loads. Invalid values raise UsageError here."""

    translator: str = DEFAULT_TRANSLATOR
    summarizer: str = DEFAULT_SUMMARIZER
    device: str = "auto"
    beams: int = 4
    brief_words: int = DEFAULT_BRIEF_WORDS
    brief_mode: str = "guarded"
    glossary: str | None = None
    trust_remote_code: bool = False
    allow_pickle: bool = False
    backend: str = "auto"
    threads: int | None = None
    cache: bool = True
    #: Score every piece of a multilingual model's vocabulary, not only the English ones (slower, the
    #: same translations a reader would see; see translate.backends.vocabulary).
    full_vocabulary: bool = False
    #: Sentences the model is less confident of than this (0-1) get a ``low-confidence`` warning.
    min_confidence: float | None = None
    #: Options of the translation engine beyond these (e.g. ``max_batch_tokens``), for the API.
    translator_options: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "brief_words", check_brief_words(self.brief_words))
        if self.brief_mode not in BRIEF_MODES:
            raise UsageError(f"unknown brief mode {self.brief_mode!r}; choose one of {', '.join(BRIEF_MODES)}")
        if self.backend not in BACKEND_CHOICES:
            raise UsageError(f"unknown backend {self.backend!r}; choose one of {', '.join(BACKEND_CHOICES)}")
        if int(self.beams) < 1:
            raise UsageError(f"beam size must be at least 1, got {self.beams}")
        if self.threads is not None and int(self.threads) < 1:
            raise UsageError(f"threads must be at least 1, got {self.threads}")
        if self.glossary is not None:
            object.__setattr__(self, "glossary", str(self.glossary))
        if self.min_confidence is not None and not 0 <= float(self.min_confidence) <= 1:
            raise UsageError(f"minimum confidence must be between 0 and 1, got {self.min_confidence}")

    def replace(self, **changes: Any) -> "PipelineOptions":
        """A copy with ``changes``, validated again."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def fingerprint(self, models: dict[str, Any]) -> str:
        """What ``--resume`` compares: a short hash of the loaded ``models`` (ids, revisions, the options
        they were loaded with, from ``Pipeline.models``), the brief length and the confidence threshold."""
        payload = {**models, "brief_words": self.brief_words}
        if self.min_confidence is not None:  # absent by default: outputs of older runs still count as done
            payload["min_confidence"] = self.min_confidence
        return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()[:16]
