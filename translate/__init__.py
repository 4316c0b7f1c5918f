"""hindi-brief: Hindi news articles to English translations and short English briefs.

    from translate import Pipeline
    pipe = Pipeline.from_pretrained(translator="nllb-600m", summarizer="distilbart-cnn")
    result = pipe("seeds/001_f3c1e9e06d5419c5.txt")
    print(result.brief)

Heavy modules (torch, transformers) load only when a model class is first used.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_LAZY = {
    "Article": "translate.article",
    "Block": "translate.article",
    "load_article": "translate.article",
    "parse_article": "translate.article",
    "split_sentences": "translate.segment",
    "Translator": "translate.translator",
    "Summarizer": "translate.summarizer",
    "Pipeline": "translate.pipeline",
    "Result": "translate.pipeline",
}

__all__ = sorted(_LAZY) + ["__version__"]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'translate' has no attribute {name!r}")
