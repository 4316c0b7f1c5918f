"""CTranslate2: the fast CPU backends for translation and summarization, and the conversion itself.

The backends tokenize with the model's Hugging Face tokenizer and follow the same token conventions
as transformers ``generate`` (source ``[lang] + tokens + [</s>]`` for NLLB, the forced first target
token as ``target_prefix``, stripped from the output), with the decoding settings of
:mod:`translate.backends.generation`, so greedy float32 CTranslate2 output equals the transformers
backend's output (tests/test_ct2.py checks it). Where converted models live is the store's business
(:mod:`translate.store.convert`); :func:`convert_model` only runs CTranslate2's converter.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any

from ..errors import ModelError
from . import indictrans
from .base import Seq2SeqSummarizationBackend, Seq2SeqTranslationBackend, architecture_of, input_prefix
from .generation import Decoding, checkpoint_settings
from .light import JsonConfig, load_light_tokenizer
from .transformers import check_loadable, load_config, load_tokenizer
from .vocabulary import RESTRICTED_BY_DEFAULT, VMAP_FILE, english_token_ids, write_vmap

#: config.json ``model_type`` values CTranslate2's TransformersConverter has a loader for (of the
#: sequence-to-sequence kinds this tool runs).
CONVERTIBLE_MODEL_TYPES = frozenset({"m2m_100", "bart", "marian", "mbart", "pegasus", "t5", "mt5", "indictrans"})


def default_threads() -> int:
    """CPU cores this process may use (the affinity mask, so containers and taskset are respected)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def ct2_device(device: str) -> str:
    """``auto`` -> ``cuda`` when CTranslate2 sees a GPU, else ``cpu``; ``cuda:N`` -> ``cuda``."""
    import ctranslate2

    if device == "auto":
        return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    return device.split(":", 1)[0]


def _converter(model_dir: Path, *, allow_pickle: bool, **kwargs: Any):
    """CTranslate2's TransformersConverter, loading safetensors weights only unless ``allow_pickle``,
    with one fix for transformers 5 BART configs.

    Weights load as float32 whatever the checkpoint stores: HPLT's are float16, from which an ``int8``
    conversion keeps float16 for everything but the matrices (``int8_float16``), which a CPU cannot
    run: CTranslate2 then converts it on every load, with a warning on every run.

    CTranslate2 4.x's BART loader reads ``config.normalize_before``; the fairseq-era hub configs
    (facebook/bart-large-cnn, sshleifer/distilbart-*) carry it, configs written by transformers 5 do
    not. BART in transformers is always post-norm, so a missing value means False.
    """
    from ctranslate2.converters import TransformersConverter

    own = indictrans.is_indictrans(model_dir)
    if own:
        indictrans.register()
        indictrans.register_ct2_loader()
        kwargs["trust_remote_code"] = False  # this tool's own classes, never the repository's code

    class Converter(TransformersConverter):
        def load_tokenizer(self, tokenizer_class, model_name_or_path, **tokenizer_kwargs):
            if own:
                return indictrans.load_tokenizer(model_name_or_path)
            return super().load_tokenizer(tokenizer_class, model_name_or_path, **tokenizer_kwargs)

        def load_model(self, model_class, model_name_or_path, **load_kwargs):
            if not allow_pickle:
                load_kwargs["use_safetensors"] = True
            if not self._load_as_float16:
                load_kwargs["dtype"] = _float32()
            model = super().load_model(model_class, model_name_or_path, **load_kwargs)
            if model.config.model_type == "bart" and not hasattr(model.config, "normalize_before"):
                model.config.normalize_before = False
            return model

    return Converter(str(model_dir), **kwargs)


def _float32() -> Any:
    import torch

    return torch.float32


def convert_model(model_dir: Path, output_dir: Path, quantization: str, *, trust_remote_code: bool = False,
                  allow_pickle: bool = False, vmap: str | None = None) -> Path:
    """Run CTranslate2's converter on the transformers model in ``model_dir``, writing ``output_dir``.

    Errors are a :class:`ModelError` naming the folder and the reason (the converter raises
    ValueError, RuntimeError, OSError, torch errors...). ``vmap``: a vocabulary map file to ship.
    """
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        try:
            if vmap is None:
                vmap = english_vmap(model_dir, Path(scratch) / VMAP_FILE, trust_remote_code=trust_remote_code,
                                    allow_pickle=allow_pickle)
            converter = _converter(model_dir, allow_pickle=allow_pickle, low_cpu_mem_usage=True,
                                   trust_remote_code=trust_remote_code)
            converter.convert(str(output_dir), vmap=str(vmap) if vmap else None, quantization=quantization, force=True)
        except Exception as exc:
            reason = " ".join(str(exc).split())
            raise ModelError(f"{model_dir}: CTranslate2 cannot convert this model: {type(exc).__name__}: {reason}") from exc
    return Path(output_dir)


def english_vmap(model_dir: Path, path: Path, *, trust_remote_code: bool = False, allow_pickle: bool = False) -> Path | None:
    """The English output vocabulary of a multilingual model (NLLB) as a vocabulary map file at
    ``path``, shipped with the conversion so that ``use_vmap=True`` scores English pieces only; None
    for other models (see :mod:`translate.backends.vocabulary`)."""
    tokenizer = load_tokenizer(model_dir, trust_remote_code=trust_remote_code, allow_pickle=allow_pickle)
    config = load_config(model_dir, trust_remote_code=trust_remote_code)
    if architecture_of(tokenizer, config) not in RESTRICTED_BY_DEFAULT:
        return None
    ids = english_token_ids(tokenizer, "eng_Latn")
    return write_vmap(path, tokenizer.convert_ids_to_tokens(ids))


def folder_tokenizer(folder: Path, *, trust_remote_code: bool = False, allow_pickle: bool = False) -> tuple[Any, Any]:
    """The tokenizer and config of the transformers folder beside a conversion: read straight from its
    files where :mod:`translate.backends.light` can (Marian, BART with a tokenizer.json: no torch, no
    transformers), else with transformers. The safety checks run first either way."""
    check_loadable(folder, trust_remote_code=trust_remote_code, allow_pickle=allow_pickle)
    tokenizer = load_light_tokenizer(folder)
    if tokenizer is not None:
        return tokenizer, JsonConfig(folder)
    return (load_tokenizer(folder, trust_remote_code=trust_remote_code, allow_pickle=allow_pickle),
            load_config(folder, trust_remote_code=trust_remote_code))


def load_ct2_translator(ct2_dir: Path, *, device: str = "auto", intra_threads: int | None = None,
                        inter_threads: int = 1) -> Any:
    """A ``ctranslate2.Translator`` over ``ct2_dir`` (weights kept in their converted type).

    ``intra_threads``: OpenMP threads per translation (default: every core this process may use);
    ``inter_threads``: translations run in parallel (1: one batch at a time, all cores on it).
    """
    import ctranslate2

    try:
        return ctranslate2.Translator(
            str(ct2_dir),
            device=ct2_device(device),
            compute_type="default",
            intra_threads=intra_threads or default_threads(),
            inter_threads=inter_threads,
        )
    except (RuntimeError, ValueError, OSError) as exc:
        raise ModelError(f"{ct2_dir}: cannot load the CTranslate2 model: {exc}") from exc


class LazyTranslator:
    """A ``ctranslate2.Translator`` loaded on first use, so that a run whose every sentence and brief
    the cache already holds never loads the model (a cached rerun costs no model time at all)."""

    def __init__(self, ct2_dir: Path, *, device: str, intra_threads: int | None, inter_threads: int):
        self.ct2_dir, self.inter_threads = Path(ct2_dir), inter_threads
        self.intra_threads = intra_threads
        self.device = ct2_device(device)
        self._translator: Any = None

    @property
    def loaded(self) -> bool:
        return self._translator is not None

    def get(self) -> Any:
        if self._translator is None:
            _give_back_freed_memory()  # before the model, as before its first batch (_switch_models)
            self._translator = load_ct2_translator(self.ct2_dir, device=self.device, intra_threads=self.intra_threads,
                                                   inter_threads=self.inter_threads)
        return self._translator


def target_vocabulary(ct2_dir: Path) -> set[str]:
    """The tokens a converted model can generate (its target or shared vocabulary file)."""
    for name in ("target_vocabulary", "shared_vocabulary"):
        if (ct2_dir / f"{name}.json").is_file():
            return set(json.loads((ct2_dir / f"{name}.json").read_text(encoding="utf-8")))
        if (ct2_dir / f"{name}.txt").is_file():
            return set((ct2_dir / f"{name}.txt").read_text(encoding="utf-8").splitlines())
    raise ModelError(f"{ct2_dir}: no vocabulary file in the CTranslate2 model")


#: ``id`` of the ``ctranslate2.Translator`` that ran last in this process (:func:`_switch_models`).
_last_run = [0]


def _switch_models(translator: Any) -> None:
    """When another model runs than the last one (the summarizer after the translator, the translator
    after a brief), first hand the memory the last one's batches freed back to the system.

    glibc keeps freed heap memory for the next allocation: after an article's translation 200 to 350 MB
    of decoder state stayed with the process, and the summarizer's buffers came on top of it (bench/
    README.md, "Memory"). ``malloc_trim`` gives it back; once per model switch it costs milliseconds
    (and the next batch's pages are mapped again). A no-op where the C library has no ``malloc_trim``
    (not glibc)."""
    if _last_run[0] == id(translator):
        return
    _last_run[0] = id(translator)
    _give_back_freed_memory()


def _give_back_freed_memory() -> None:
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Any:
    import ctypes
    import ctypes.util

    try:
        return getattr(ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6"), "malloc_trim", None)
    except OSError:  # pragma: no cover - no C library to load
        return None


def run_ct2(translator: Any, sources: list[list[str]], prefix: list[str] | None, tokenizer: Any,
            options: dict[str, Any]) -> list[list[tuple[list[int], float | None]]]:
    """Translate token lists with a ``ctranslate2.Translator``; per source, its hypotheses (best
    first) as output ids without the prefix, with their scores (the mean token log-probability where
    the length penalty is 1, as transformers' ``sequences_scores``)."""
    _switch_models(translator)
    results = translator.translate_batch(
        sources, target_prefix=[list(prefix) for _ in sources] if prefix else None, **options
    )
    skip = len(prefix or [])
    # IndicTrans2's tokenizer maps target pieces with target_ids (convert_tokens_to_ids is the source's).
    to_ids = getattr(tokenizer, "target_ids", tokenizer.convert_tokens_to_ids)
    return [[(to_ids(hypothesis[skip:]), float(score) if score is not None else None)
             for hypothesis, score in zip(result.hypotheses, result.scores or [None] * len(result.hypotheses))]
            for result in results]


class CT2TranslationBackend(Seq2SeqTranslationBackend):
    """Runs a converted model with CTranslate2; tokenizer and language codes as the transformers backend.

    Source tokens are the tokenizer's own (``[src_lang] ... </s>`` for NLLB); the forced first
    target token (the target language) is the ``target_prefix``. Decoding settings come from the
    transformers folder's files, as for the transformers backend (:mod:`translate.backends.generation`).
    """

    backend_name = "ctranslate2"

    def __init__(self, tokenizer: Any, config: Any, translator: Any, target_tokens: set[str], *,
                 has_vmap: bool = False, **options: Any):
        super().__init__(tokenizer, config, **options)
        self._translator = translator if isinstance(translator, LazyTranslator) else None
        self._loaded = None if isinstance(translator, LazyTranslator) else translator
        #: The tokens the converted model can generate (CTranslate2 refuses others in its options).
        self.target_tokens = target_tokens
        if self.output_vocabulary is not None and not has_vmap:
            self.output_vocabulary = None  # converted without a vocabulary map: the full one is used

    @classmethod
    def from_pretrained(
        cls,
        folder: Path,
        ct2_dir: Path,
        *,
        device: str = "auto",
        trust_remote_code: bool = False,
        allow_pickle: bool = False,
        intra_threads: int | None = None,
        inter_threads: int = 1,
        **options: Any,
    ) -> "CT2TranslationBackend":
        """Tokenizer and settings from the transformers folder, the model from ``ct2_dir``."""
        tokenizer, config = folder_tokenizer(folder, trust_remote_code=trust_remote_code, allow_pickle=allow_pickle)
        translator = LazyTranslator(ct2_dir, device=device, intra_threads=intra_threads, inter_threads=inter_threads)
        return cls(tokenizer, config, translator, target_vocabulary(ct2_dir),
                   has_vmap=(Path(ct2_dir) / VMAP_FILE).is_file(), settings=checkpoint_settings(folder), **options)

    def warm_up(self) -> None:
        """Load the model now rather than on first use (a server's start-up)."""
        self.translator  # noqa: B018 - the property loads it

    @property
    def translator(self) -> Any:
        """The ``ctranslate2.Translator`` (loaded now if it was not yet)."""
        if self._loaded is None:
            self._loaded = self._translator.get()
        return self._loaded

    @property
    def device(self) -> str:
        return self._translator.device if self._loaded is None else self._loaded.device

    def preprocess(self, texts: list[str]) -> list[list[str]]:
        """Tokenize one batch into token strings, special tokens and language code included."""
        with self.tokenizer_lock:
            encoded = self.tokenizer(list(texts), add_special_tokens=True, verbose=False)
        # IndicTrans2's tokenizer decodes ids as target pieces; its source pieces are asked apart.
        to_token = getattr(self.tokenizer, "source_token", None)
        if to_token is not None:
            return [[to_token(i) for i in ids] for ids in encoded["input_ids"]]
        with self.tokenizer_lock:
            return [self.tokenizer.convert_ids_to_tokens(ids) for ids in encoded["input_ids"]]

    def forward_hypotheses(self, inputs: list[list[str]], decoding: Decoding) -> list[list[tuple[list[int], float | None]]]:
        """Beam search (deterministic) with CTranslate2; output ids without the target prefix, with
        scores. With an English output vocabulary, only the vocabulary map's pieces are scored
        (``use_vmap``)."""
        options = decoding.ct2_options(self.tokenizer, self.target_tokens)
        if self.output_vocabulary is not None:
            options["use_vmap"] = True
        return run_ct2(self.translator, inputs, decoding.target_prefix(self.tokenizer), self.tokenizer, options)


class CT2SummarizationBackend(Seq2SeqSummarizationBackend):
    """Runs a converted summarization model (BART, Pegasus, T5) with CTranslate2.

    Decodes as the transformers backend does, from the same settings (:mod:`translate.backends.generation`):
    the forced first token (BART's ``<s>``) as target prefix, the checkpoint's beam size, length
    penalty and n-gram blocking.
    """

    backend_name = "ctranslate2"

    def __init__(self, tokenizer: Any, config: Any, translator: Any, target_tokens: set[str], **options: Any):
        super().__init__(tokenizer, config, **options)
        self._translator = translator if isinstance(translator, LazyTranslator) else None
        self._loaded = None if isinstance(translator, LazyTranslator) else translator
        #: The tokens the converted model can generate (CTranslate2 refuses others in its options).
        self.target_tokens = target_tokens

    @classmethod
    def from_pretrained(
        cls,
        folder: Path,
        ct2_dir: Path,
        *,
        device: str = "auto",
        trust_remote_code: bool = False,
        allow_pickle: bool = False,
        beams: int | None = None,
        intra_threads: int | None = None,
        inter_threads: int = 1,
    ) -> "CT2SummarizationBackend":
        """Tokenizer and generation settings from the transformers folder, the model from ``ct2_dir``."""
        tokenizer, config = folder_tokenizer(folder, trust_remote_code=trust_remote_code, allow_pickle=allow_pickle)
        translator = LazyTranslator(ct2_dir, device=device, intra_threads=intra_threads, inter_threads=inter_threads)
        return cls(tokenizer, config, translator, target_vocabulary(ct2_dir), beams=beams,
                   settings=checkpoint_settings(folder, "summarization"),
                   prefix=input_prefix(folder, config))

    def warm_up(self) -> None:
        """Load the model now rather than on first use (a server's start-up)."""
        self.translator  # noqa: B018 - the property loads it

    @property
    def translator(self) -> Any:
        """The ``ctranslate2.Translator`` (loaded now if it was not yet)."""
        if self._loaded is None:
            self._loaded = self._translator.get()
        return self._loaded

    @property
    def device(self) -> str:
        return self._translator.device if self._loaded is None else self._loaded.device

    def preprocess(self, texts: list[str]) -> list[list[str]]:
        """Tokenize into token strings, special tokens included (never truncates)."""
        with self.tokenizer_lock:
            encoded = self.tokenizer([self.prefix + t for t in texts], add_special_tokens=True, verbose=False)
            return [self.tokenizer.convert_ids_to_tokens(ids) for ids in encoded["input_ids"]]

    def forward(self, inputs: list[list[str]], decoding: Decoding) -> list[list[int]]:
        """Beam search (deterministic) with CTranslate2; output ids without the target prefix."""
        hypotheses = run_ct2(self.translator, inputs, decoding.target_prefix(self.tokenizer), self.tokenizer,
                             decoding.ct2_options(self.tokenizer, self.target_tokens))
        return [found[0][0] for found in hypotheses]
