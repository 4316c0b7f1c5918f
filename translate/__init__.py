"""hindi-brief: Hindi news articles to English translations and short English briefs.

    from translate import Pipeline
    pipe = Pipeline.from_pretrained(translator="hplt", summarizer="distilbart-cnn")
    result = pipe("seeds/001_f3c1e9e06d5419c5.txt")
    print(result.brief)

Heavy modules (torch, transformers) load only when a model class is first used. The package reads
top-down, and imports only go down: ``cli``/``web`` -> ``watch`` -> ``batch`` -> ``pipeline`` -> ``faithful`` ->
``engines`` -> ``store`` -> ``backends`` -> ``article`` -> ``options`` -> ``errors``
(tests/test_architecture.py checks it).
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_LAZY = {
    "Article": "translate.article",
    "Block": "translate.article",
    "load_article": "translate.article",
    "parse_article": "translate.article",
    "split_sentences": "translate.article",
    "Translator": "translate.engines",
    "Summarizer": "translate.engines",
    "Pipeline": "translate.pipeline",
    "Prepared": "translate.pipeline",
    "Result": "translate.pipeline",
    "Segment": "translate.pipeline",
    "PipelineOptions": "translate.options",
    "Warning": "translate.faithful",
    "run_batch": "translate.batch",
    "digest": "translate.digest",
    "Digest": "translate.digest",
    "watch": "translate.watch",
}

__all__ = sorted(_LAZY) + ["__version__"]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'translate' has no attribute {name!r}")
