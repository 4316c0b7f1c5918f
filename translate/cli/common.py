"""What the sub-commands share: argparse helpers, the model options, argparse <-> PipelineOptions."""

from __future__ import annotations

import argparse
import os
import sys

from ..errors import UsageError
from ..options import (
    BRIEF_MODES,
    BRIEF_WORDS_RANGE,
    DEFAULT_BRIEF_WORDS,
    DEFAULT_SUMMARIZER,
    DEFAULT_TRANSLATOR,
    PipelineOptions,
)


def at_least(minimum: int):
    """An argparse ``type`` for integers >= ``minimum``."""

    def parse(value: str) -> int:
        number = int(value)
        if number < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return number

    parse.__name__ = "integer"  # argparse names the type in its error message
    return parse


def within(low: int, high: int):
    """An argparse ``type`` for integers from ``low`` to ``high``."""

    def parse(value: str) -> int:
        number = int(value)
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"must be {low} to {high}, got {value}")
        return number

    parse.__name__ = "integer"
    return parse


def probability(value: str) -> float:
    """An argparse ``type`` for a number from 0 to 1."""
    number = float(value)
    if not 0 <= number <= 1:
        raise argparse.ArgumentTypeError(f"must be from 0 to 1, got {value}")
    return number


def translator_licences() -> str:
    """The default translator's licence and the presets a user may not use commercially, for ``--help``."""
    from ..store.registry import load_registry

    try:
        presets = load_registry()
    except UsageError:  # a broken HINDI_BRIEF_REGISTRY is reported when a model is chosen, not by --help
        return "see `hindi-brief models list` for licences"
    default = presets.get(DEFAULT_TRANSLATOR)
    closed = [p.name for p in presets.values() if p.task == "translation" and p.non_commercial]
    parts = [f"licensed {default.license}" if default else "", f"non-commercial use only: {', '.join(closed)}" if closed else ""]
    return "; ".join(part for part in parts if part)


def add_model_options(parser: argparse.ArgumentParser) -> None:
    """Model and output options shared by `run` and `serve`."""
    group = parser.add_argument_group("models")
    group.add_argument("--translator", default=DEFAULT_TRANSLATOR, metavar="X",
                       help=f"translation model: a preset (see `hindi-brief models list`), a hub id or a local folder "
                            f"(default: {DEFAULT_TRANSLATOR}, {translator_licences()})")
    group.add_argument("--summarizer", default=DEFAULT_SUMMARIZER, metavar="X",
                       help=f"summarization model: a preset, a hub id, a local folder or 'extractive' (default: {DEFAULT_SUMMARIZER})")
    group.add_argument("--device", default="auto", help="torch device: auto (GPU when present), cpu, cuda, cuda:1 ... (default: auto)")
    group.add_argument("--beams", type=at_least(1), default=4, metavar="N", help="beam size for translation and summarization (default: 4)")
    group.add_argument("--brief-words", type=within(*BRIEF_WORDS_RANGE), default=DEFAULT_BRIEF_WORDS, metavar="N",
                       help=f"length of the English brief in words, about (default: {DEFAULT_BRIEF_WORDS})")
    group.add_argument("--brief-mode", default="guarded", choices=BRIEF_MODES,
                       help="guarded (default): the model's brief with unsupported sentences replaced by sentences of the "
                            "translation; abstractive: the model's brief as is; extractive: sentences of the translation, verbatim")
    group.add_argument("--glossary", metavar="FILE", help="TSV of 'Hindi term<TAB>English rendering' lines; overrides the built-in news glossary")
    group.add_argument("--trust-remote-code", action="store_true",
                       help="allow a model folder that needs its own Python code (no preset does); runs code from the folder")
    group.add_argument("--allow-pickle", action="store_true",
                       help="allow loading pickle (.bin) weights from a model folder given by path; by default only safetensors weights are loaded (presets are stored as safetensors)")
    group.add_argument("--backend", default="auto", choices=["auto", "transformers", "ctranslate2"],
                       help="model engine: auto (default) uses CTranslate2 when the model has been converted with "
                            "`hindi-brief models convert` (several times faster on a CPU), else transformers")
    group.add_argument("--threads", type=at_least(1), default=None, metavar="N",
                       help="CPU threads per batch for CTranslate2 (default: every core this process may use)")
    group.add_argument("--full-vocabulary", action="store_true",
                       help="let NLLB score all 256,206 pieces of its 200-language vocabulary at every step, not only "
                            "the English ones (slower; the English-only default differs only where the full model would write a non-Latin piece)")
    group.add_argument("--min-confidence", type=probability, default=None, metavar="X",
                       help="warn (low-confidence) on every sentence the translation model gave a confidence below X, "
                            "0 to 1 (its mean per-token probability; default: no such warning)")
    group.add_argument("--no-cache", action="store_true",
                       help="neither read nor write the translation cache (see `hindi-brief cache info`): every "
                            "sentence goes to the model")


def pipeline_options(args: argparse.Namespace, **changes) -> PipelineOptions:
    """The :class:`PipelineOptions` the model options of ``args`` ask for (``changes`` on top)."""
    values = dict(
        translator=args.translator, summarizer=args.summarizer, device=args.device, beams=args.beams,
        glossary=args.glossary, brief_words=args.brief_words, brief_mode=args.brief_mode,
        trust_remote_code=args.trust_remote_code, allow_pickle=args.allow_pickle,
        backend=args.backend, threads=args.threads, cache=not args.no_cache, full_vocabulary=args.full_vocabulary,
        min_confidence=args.min_confidence,
    )
    return PipelineOptions(**{**values, **changes})


def quiet_libraries() -> None:
    """No download or weight-loading progress bars from huggingface_hub and transformers (set in the
    environment, which both read when imported: transformers is not imported for it, as the default
    path never needs it)."""
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    if "transformers" in sys.modules:  # already imported: tell it directly
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()
