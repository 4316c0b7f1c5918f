"""What a loaded backend would say about itself, read from the model's files without loading it.

A Translator's or Summarizer's ``model_info`` (the id, revision, backend and the options that change
an output) is the translation cache's key. Read from the files, it lets a run whose every sentence
and brief the cache holds load no tokenizer, no model and no ML library (:class:`LazyBackend` loads
the backend on the first cache miss). Only the folders :mod:`translate.backends.light` reads are
described (Marian, BART with a ``tokenizer.json``, on CTranslate2: the default path); for the others
this returns None and the backend is loaded at once, as before. A backend loaded later must agree
with its description (:meth:`LazyBackend.get` checks), so a cache key never names other settings than
those a translation was made with.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from ..errors import ModelError
from .base import DEFAULT_LANGS, input_window, window_of
from .generation import checkpoint_settings, read_json
from .light import JsonConfig, light_tokenizer_kind, tokenizer_limit


def describe_translation(folder: Path, *, beams: int | None, max_input_tokens: int | None, src_lang: str | None,
                         tgt_lang: str | None) -> dict[str, Any] | None:
    """``backend_name``-free facts of a Marian translation folder (architecture, beams, input window,
    generation settings, languages), or None where only loading can tell."""
    if light_tokenizer_kind(folder) != "marian":
        return None
    config = JsonConfig(folder)
    settings = checkpoint_settings(folder)
    window = window_of(config.max_position_embeddings, tokenizer_limit(folder), folder)
    default_src, default_tgt = DEFAULT_LANGS["marian"]
    return {
        "architecture": "marian",
        "beams": int(beams or settings.get("num_beams") or 4),
        "max_input_tokens": input_window(window, "marian", max_input_tokens),
        "generation": dict(sorted(settings.items())),
        "src_lang": src_lang or default_src,
        "tgt_lang": tgt_lang or default_tgt,
    }


def describe_summarization(folder: Path, *, beams: int | None) -> dict[str, Any] | None:
    """The same for a summarization folder (architecture, beams, generation settings), or None."""
    if light_tokenizer_kind(folder) != "json":
        return None
    settings = checkpoint_settings(folder, "summarization")
    return {
        "architecture": str(read_json(folder / "config.json").get("model_type", "")),
        "beams": int(beams or settings.get("num_beams") or 4),
        "generation": dict(sorted(settings.items())),
    }


class LazyBackend:
    """A backend loaded on first use (any attribute asked for), then checked against ``expected``: the
    facts its :func:`describe_translation` / :func:`describe_summarization` gave."""

    def __init__(self, load: Callable[[], Any], expected: dict[str, Any]):
        self._load, self._expected, self._backend = load, expected, None

    @property
    def loaded(self) -> bool:
        return self._backend is not None

    def get(self) -> Any:
        if self._backend is None:
            backend = self._load()
            found = {"architecture": getattr(backend, "architecture", None) or backend.config.model_type,
                     "beams": backend.beams, "generation": dict(sorted(backend.settings.items()))}
            if "max_input_tokens" in self._expected:
                found.update(max_input_tokens=backend.max_input_tokens, src_lang=backend.src_lang,
                             tgt_lang=backend.tgt_lang)
            wrong = {k: (v, found[k]) for k, v in self._expected.items() if k in found and found[k] != v}
            if wrong:  # a bug: the cache would have named other settings than the model's
                raise ModelError(f"{getattr(backend.config, 'name_or_path', '?')}: the model loaded with other settings "
                                 f"than its files say: {wrong}")
            self._backend = backend
        return self._backend

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.get(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_"):
            object.__setattr__(self, name, value)
        else:
            setattr(self.get(), name, value)
