"""CTranslate2: converting stored models, and the fast CPU backends for the Translator and Summarizer.

Layout: a converted model lives *inside* the folder of the model it was converted from, as
``<model folder>/ct2-<quantization>/`` (for a preset: ``<store>/<preset>/ct2-int8/``). The
transformers files stay where they are: the tokenizer and the generation settings are still read
from them, and ``--backend transformers`` keeps working. ``--backend auto`` picks CTranslate2 when a
converted folder is there (int8 first), else transformers.

Conversion is CTranslate2's own ``TransformersConverter``, loading safetensors weights only (unless
``allow_pickle``) and filling in a config attribute its BART loader reads that transformers 5
configs no longer carry (see :func:`_converter`). The backends tokenize with the model's Hugging Face tokenizer and follow the
same token conventions as transformers ``generate`` (source ``[lang] + tokens + [</s>]`` for NLLB, the
forced first target token as ``target_prefix``, stripped from the output), so greedy float32
CTranslate2 output equals the transformers backend's output (tests/test_ct2.py checks it).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from . import indictrans
from .errors import ModelError, UsageError
from .generation import Decoding, checkpoint_settings
from .registry import ResolvedModel, preset_dir, store_dir
from .summarizer import Seq2SeqSummarizationBackend, input_prefix
from .translator import Seq2SeqTranslationBackend, load_config, load_tokenizer

BACKENDS = ("auto", "transformers", "ctranslate2")
#: Quantizations `hindi-brief models convert` offers, in the order `--backend auto` prefers them.
QUANTIZATIONS = ("int8", "int8_float32", "float32")
DEFAULT_QUANTIZATION = "int8"
_PREFIX = "ct2-"
#: config.json ``model_type`` values CTranslate2's TransformersConverter has a loader for (of the
#: sequence-to-sequence kinds this tool runs).
CONVERTIBLE_MODEL_TYPES = frozenset({"m2m_100", "bart", "marian", "mbart", "pegasus", "t5", "mt5", "indictrans"})


def converted_dir(model_dir: str | Path, quantization: str = DEFAULT_QUANTIZATION) -> Path:
    """Where the ``quantization`` conversion of the model in ``model_dir`` lives (or would)."""
    return Path(model_dir) / f"{_PREFIX}{quantization}"


def find_converted(model_dir: str | Path) -> Path | None:
    """The converted folder ``--backend auto`` uses for ``model_dir`` (int8 first), or None."""
    for quantization in QUANTIZATIONS:
        path = converted_dir(model_dir, quantization)
        if (path / "model.bin").is_file():
            return path
    return None


def quantization_of(ct2_dir: str | Path) -> str:
    """The quantization a converted folder was made with, from its name (``ct2-int8`` -> ``int8``)."""
    name = Path(ct2_dir).name
    return name[len(_PREFIX):] if name.startswith(_PREFIX) else "default"


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


def choose_backend(backend: str, home: Path, name: str) -> Path | None:
    """The converted folder to use for ``backend`` (``auto`` / ``ctranslate2``), or None for transformers.

    ``home``: where the model's conversions live (:func:`converted_home`); ``name``: the model as
    the user named it, for the message. ``ctranslate2`` with no converted folder raises ModelError
    with the command that makes one.
    """
    if backend not in BACKENDS:
        raise UsageError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    if backend == "transformers":
        return None
    found = find_converted(home)
    if found is None and backend == "ctranslate2":
        raise ModelError(
            f"{name}: no CTranslate2 conversion in {home}; make one with "
            f"`hindi-brief models convert {name}` (or use --backend transformers)"
        )
    return found


def _converter(model_dir: Path, *, allow_pickle: bool, **kwargs: Any):
    """CTranslate2's TransformersConverter, loading safetensors weights only unless ``allow_pickle``,
    with one fix for transformers 5 BART configs.

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
            model = super().load_model(model_class, model_name_or_path, **load_kwargs)
            if model.config.model_type == "bart" and not hasattr(model.config, "normalize_before"):
                model.config.normalize_before = False
            return model

    return Converter(str(model_dir), **kwargs)


def convert(
    model_dir: str | Path,
    quantization: str = DEFAULT_QUANTIZATION,
    *,
    home: str | Path | None = None,
    force: bool = False,
    trust_remote_code: bool = False,
    allow_pickle: bool = False,
) -> Path:
    """Convert the transformers model in ``model_dir`` to ``<home>/ct2-<quantization>/``; return that folder.

    ``home`` defaults to ``model_dir`` itself (see :func:`converted_home`). The conversion is
    written to a temporary folder beside the target and renamed at the end, so an interrupted
    conversion never leaves a half-written model for ``--backend auto`` to pick up. An existing
    conversion is kept unless ``force``. Weights load from safetensors only unless ``allow_pickle``;
    model code runs only with ``trust_remote_code``. Errors: UsageError (bad quantization),
    ModelError naming the folder and the reason.
    """
    if quantization not in QUANTIZATIONS:
        raise UsageError(f"unknown quantization {quantization!r}; choose one of {', '.join(QUANTIZATIONS)}")
    model_dir = Path(model_dir)
    target = converted_dir(home or model_dir, quantization)
    if (target / "model.bin").is_file() and not force:
        return target
    if not (model_dir / "config.json").is_file():
        raise ModelError(f"{model_dir}: not a transformers model folder (no config.json); nothing to convert")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    try:
        _converter(model_dir, allow_pickle=allow_pickle, low_cpu_mem_usage=True, trust_remote_code=trust_remote_code).convert(
            str(partial), quantization=quantization, force=True
        )
    except Exception as exc:  # the converter raises ValueError, RuntimeError, OSError, torch errors...
        shutil.rmtree(partial, ignore_errors=True)
        reason = " ".join(str(exc).split())
        raise ModelError(f"{model_dir}: CTranslate2 cannot convert this model: {type(exc).__name__}: {reason}") from exc
    if target.exists():
        shutil.rmtree(target)
    partial.rename(target)
    return target


def converted_home(resolved: ResolvedModel) -> Path:
    """The folder whose ``ct2-*/`` subfolders hold conversions of ``resolved``.

    A preset: its store folder (even when the model itself was found in the Hugging Face cache,
    which is not ours to write into); a local folder: itself; a hub id:
    ``<store>/converted/<org>--<name>/<revision>``.
    """
    if resolved.preset is not None:
        return preset_dir(resolved.preset.name)
    if Path(resolved.model_id).is_absolute():
        return resolved.path
    return store_dir() / "converted" / resolved.model_id.replace("/", "--") / (resolved.revision or "unversioned")


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


def target_vocabulary(ct2_dir: Path) -> set[str]:
    """The tokens a converted model can generate (its target or shared vocabulary file)."""
    for name in ("target_vocabulary", "shared_vocabulary"):
        if (ct2_dir / f"{name}.json").is_file():
            return set(json.loads((ct2_dir / f"{name}.json").read_text(encoding="utf-8")))
        if (ct2_dir / f"{name}.txt").is_file():
            return set((ct2_dir / f"{name}.txt").read_text(encoding="utf-8").splitlines())
    raise ModelError(f"{ct2_dir}: no vocabulary file in the CTranslate2 model")


def run_ct2(translator: Any, sources: list[list[str]], prefix: list[str] | None, tokenizer: Any,
            options: dict[str, Any]) -> list[list[int]]:
    """Translate token lists with a ``ctranslate2.Translator``; return output ids without the prefix."""
    results = translator.translate_batch(
        sources, target_prefix=[list(prefix) for _ in sources] if prefix else None, **options
    )
    skip = len(prefix or [])
    # IndicTrans2's tokenizer maps target pieces with target_ids (convert_tokens_to_ids is the source's).
    to_ids = getattr(tokenizer, "target_ids", tokenizer.convert_tokens_to_ids)
    return [to_ids(result.hypotheses[0][skip:]) for result in results]


class CT2TranslationBackend(Seq2SeqTranslationBackend):
    """Runs a converted model with CTranslate2; tokenizer and language codes as the transformers backend.

    Source tokens are the tokenizer's own (``[src_lang] ... </s>`` for NLLB); the forced first
    target token (the target language) is the ``target_prefix``. Decoding settings come from the
    transformers folder's files, as for the transformers backend (:mod:`translate.generation`).
    """

    backend_name = "ctranslate2"

    def __init__(self, tokenizer: Any, config: Any, translator: Any, vocabulary: set[str], **options: Any):
        super().__init__(tokenizer, config, **options)
        self.translator = translator
        self.vocabulary = vocabulary

    @classmethod
    def from_pretrained(
        cls,
        resolved: ResolvedModel,
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
        tokenizer = load_tokenizer(resolved, trust_remote_code=trust_remote_code, allow_pickle=allow_pickle)
        config = load_config(resolved, trust_remote_code=trust_remote_code)
        translator = load_ct2_translator(ct2_dir, device=device, intra_threads=intra_threads, inter_threads=inter_threads)
        return cls(tokenizer, config, translator, target_vocabulary(ct2_dir),
                   settings=checkpoint_settings(resolved.path), **options)

    @property
    def device(self) -> str:
        return self.translator.device

    def preprocess(self, texts: list[str]) -> list[list[str]]:
        """Tokenize one batch into token strings, special tokens and language code included."""
        encoded = self.tokenizer(list(texts), add_special_tokens=True, verbose=False)
        # IndicTrans2's tokenizer decodes ids as target pieces; its source pieces are asked apart.
        to_token = getattr(self.tokenizer, "source_token", None)
        if to_token is not None:
            return [[to_token(i) for i in ids] for ids in encoded["input_ids"]]
        return [self.tokenizer.convert_ids_to_tokens(ids) for ids in encoded["input_ids"]]

    def forward(self, inputs: list[list[str]], decoding: Decoding) -> list[list[int]]:
        """Beam search (deterministic) with CTranslate2; output ids without the target prefix."""
        return run_ct2(self.translator, inputs, decoding.target_prefix(self.tokenizer), self.tokenizer,
                       decoding.ct2_options(self.tokenizer, self.vocabulary))


class CT2SummarizationBackend(Seq2SeqSummarizationBackend):
    """Runs a converted summarization model (BART, Pegasus, T5) with CTranslate2.

    Decodes as the transformers backend does, from the same settings (:mod:`translate.generation`):
    the forced first token (BART's ``<s>``) as target prefix, the checkpoint's beam size, length
    penalty and n-gram blocking.
    """

    backend_name = "ctranslate2"

    def __init__(self, tokenizer: Any, config: Any, translator: Any, vocabulary: set[str], **options: Any):
        super().__init__(tokenizer, config, **options)
        self.translator = translator
        self.vocabulary = vocabulary

    @classmethod
    def from_pretrained(
        cls,
        resolved: ResolvedModel,
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
        tokenizer = load_tokenizer(resolved, trust_remote_code=trust_remote_code, allow_pickle=allow_pickle)
        config = load_config(resolved, trust_remote_code=trust_remote_code)
        translator = load_ct2_translator(ct2_dir, device=device, intra_threads=intra_threads, inter_threads=inter_threads)
        return cls(tokenizer, config, translator, target_vocabulary(ct2_dir), beams=beams,
                   settings=checkpoint_settings(resolved.path, "summarization"),
                   prefix=input_prefix(resolved.path, config))

    @property
    def device(self) -> str:
        return self.translator.device

    def preprocess(self, texts: list[str]) -> list[list[str]]:
        """Tokenize into token strings, special tokens included (never truncates)."""
        encoded = self.tokenizer([self.prefix + t for t in texts], add_special_tokens=True, verbose=False)
        return [self.tokenizer.convert_ids_to_tokens(ids) for ids in encoded["input_ids"]]

    def forward(self, inputs: list[list[str]], decoding: Decoding) -> list[list[int]]:
        """Beam search (deterministic) with CTranslate2; output ids without the target prefix."""
        return run_ct2(self.translator, inputs, decoding.target_prefix(self.tokenizer), self.tokenizer,
                       decoding.ct2_options(self.tokenizer, self.vocabulary))
