"""The engines the pipeline calls: a :class:`Translator` (never truncating, cached) and a
:class:`Summarizer` (abstractive, in chunks) or :class:`ExtractiveSummarizer`, each over a backend
(:mod:`translate.backends`) that runs the model."""

from __future__ import annotations

from .cache import TranslationCache
from .summarizer import ExtractiveSummarizer, Summarizer
from .translator import Translator

__all__ = ["ExtractiveSummarizer", "Summarizer", "TranslationCache", "Translator"]
