"""Backends: the only place torch and ctranslate2 are imported.

A backend runs one model for one task (:mod:`translate.backends.base` says what every backend
offers). :data:`BACKENDS` is the registry, as sacrebleu keeps its metrics: a backend kind, per task,
names the class that loads a model folder; :func:`load_backend` is the one way in. Classes are
imported on first use, so that ``import translate`` does not cost torch.

    load_backend("translation", Path("models/nllb-600m"), kind="ctranslate2",
                 ct2_dir=Path("models/nllb-600m/ct2-int8"), device="cpu", beams=4)
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from ..errors import UsageError
from .base import SummarizationBackend, TranslationBackend

TASKS = ("translation", "summarization")

#: kind -> task -> "module:Class" (relative to this package).
BACKENDS: dict[str, dict[str, str]] = {
    "transformers": {
        "translation": "transformers:TransformersTranslationBackend",
        "summarization": "transformers:TransformersSummarizationBackend",
    },
    "ctranslate2": {
        "translation": "ct2:CT2TranslationBackend",
        "summarization": "ct2:CT2SummarizationBackend",
    },
}


def backend_class(kind: str, task: str) -> type:
    """The class of backend ``kind`` for ``task``; UsageError naming the choices otherwise."""
    if kind not in BACKENDS:
        raise UsageError(f"unknown backend {kind!r}; choose one of {', '.join(BACKENDS)}")
    if task not in BACKENDS[kind]:
        raise UsageError(f"the {kind} backend has no {task} engine")
    module, name = BACKENDS[kind][task].split(":")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def load_backend(task: str, folder: Path, *, kind: str, ct2_dir: Path | None = None, **options: Any) -> Any:
    """Load the model in ``folder`` for ``task`` with backend ``kind``.

    ``ct2_dir``: the converted model (``ctranslate2`` only). ``options``: the backend's loading and
    decoding options (device, beams, trust_remote_code, allow_pickle, languages, threads...).
    """
    cls = backend_class(kind, task)
    if kind == "ctranslate2":
        if ct2_dir is None:
            raise UsageError("the ctranslate2 backend needs a converted model folder")
        return cls.from_pretrained(folder, ct2_dir, **options)
    return cls.from_pretrained(folder, **options)


__all__ = ["BACKENDS", "TASKS", "TranslationBackend", "SummarizationBackend", "backend_class", "load_backend"]
