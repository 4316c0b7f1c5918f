"""Sentence translation: a :class:`Translator` holding a backend that runs the model.

    from translate import Translator
    translator = Translator.from_pretrained("nllb-600m")      # preset, hub id or folder
    translator.translate(["रूस ने पाकिस्तान के साथ समझौता किया।"])

The :class:`Translator` owns what does not depend on the engine: never truncating (a sentence
longer than the model's window is split at clause boundaries, the pieces translated and the
translations joined), the order of results and the translation cache (:mod:`translate.cache`).
A backend owns tokenization, language codes, length-sorted batching and generation, with
``translate_batch(list[str]) -> list[str]``: :class:`TransformersTranslationBackend` (torch) or
:class:`translate.ct2.CT2TranslationBackend` (CTranslate2, several times faster on a CPU). Both
share :class:`Seq2SeqTranslationBackend`, so they tokenize, batch and decode the same way.
``backend="auto"`` picks CTranslate2 when the model has a converted copy
(``hindi-brief models convert``), else transformers.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from .batching import token_budget_batches
from .cache import TranslationCache, cache_identity, cached_translate
from . import indictrans
from .errors import ModelError
from .generation import (
    Decoding,
    checkpoint_settings,
    decoding,
    length_bucket,
    OUTPUT_LIMIT,
    max_batch_sentences,
    translation_max_new_tokens,
)
from .registry import DEFAULT_TRANSLATOR, ResolvedModel, resolve_model

#: Language codes by architecture, used when neither the caller nor a preset gives them.
DEFAULT_LANGS: dict[str, tuple[str | None, str | None]] = {
    "nllb": ("hin_Deva", "eng_Latn"),
    "m2m100": ("hi", "en"),
    "mbart": ("hi_IN", "en_XX"),
    "indictrans2": ("hin_Deva", "eng_Latn"),
    "marian": (None, None),
}

#: Files a tokenizer is read from (one at least must be in a model folder).
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "vocab.json", "vocab.txt", "*.model", "*.spm", "model.SRC")

#: Input windows shorter than the position table, by architecture: NLLB's positions go to 1024 but
#: its model card says it was trained on inputs of at most 512 tokens.
TRAINED_WINDOWS = {"nllb": 512}

#: Where an over-long sentence may be cut, best first: after ``,`` ``;`` ``:``; before a
#: conjunction (Hindi, and English for mixed text); between words. Failing all, between characters.
CLAUSE_BOUNDARIES: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?<=[,;:،])\s+"),
    re.compile(
        r"\s+(?=(?:और|लेकिन|क्योंकि|जबकि|कि|तथा|एवं|परंतु|किंतु|मगर|इसलिए|ताकि|जब|यदि|अगर"
        r"|and|but|because|while|whereas|which|although)\s)"
    ),
    re.compile(r"\s+"),
)


class TranslationBackend(Protocol):
    """What a :class:`Translator` needs from an engine."""

    max_input_tokens: int

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Number of model input tokens of each text, special tokens included."""

    def translate_batch(self, texts: list[str]) -> list[str]:
        """Translate texts that fit the window; same length and order."""


def resolve_device(device: str) -> str:
    """``"auto"`` -> ``"cuda"`` when a GPU is available, else ``"cpu"``; other values unchanged."""
    if device != "auto":
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def _check_loadable(path: Path, *, trust_remote_code: bool, allow_pickle: bool) -> None:
    """Refuse, before transformers runs anything, what the safety flags do not allow."""
    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: cannot read config.json: {exc}") from exc
    # IndicTrans2 folders name their repository code in auto_map, but run on this tool's own classes.
    if config.get("auto_map") and not trust_remote_code and not indictrans.is_indictrans(path):
        raise ModelError(
            f"{path}: this model runs Python code from its folder; pass --trust-remote-code "
            "(trust_remote_code=True) if you trust it"
        )
    # transformers 5 quietly builds an empty tokenizer for a folder without tokenizer files.
    if not any(any(path.glob(pattern)) for pattern in TOKENIZER_FILES):
        raise ModelError(f"{path}: no tokenizer files ({', '.join(TOKENIZER_FILES)})")
    if not allow_pickle and not any(path.glob("*.safetensors")) and any(path.glob("*.bin")):
        raise ModelError(
            f"{path}: only pickle weights (*.bin), which can run code when loaded; convert them to "
            "safetensors, or pass --allow-pickle (allow_pickle=True) if you trust the folder"
        )


def _own_code(path: Path, trust_remote_code: bool) -> bool:
    """Whether ``path`` is loaded with this tool's own classes (IndicTrans2); registers them.
    Repository code is then never run, whatever ``trust_remote_code`` says."""
    if indictrans.is_indictrans(path):
        indictrans.register()
        return True
    return False


def load_tokenizer(resolved: ResolvedModel, *, trust_remote_code: bool, allow_pickle: bool) -> Any:
    """Load the tokenizer of ``resolved`` after the safety checks (see :func:`load_seq2seq`).

    The CTranslate2 backends need only this from the transformers folder.
    """
    _check_loadable(resolved.path, trust_remote_code=trust_remote_code, allow_pickle=allow_pickle)
    try:
        if _own_code(resolved.path, trust_remote_code):
            return indictrans.load_tokenizer(resolved.path)
        from transformers import AutoTokenizer

        return AutoTokenizer.from_pretrained(resolved.path, trust_remote_code=trust_remote_code)
    except ModelError:
        raise
    except Exception as exc:  # transformers raises many types (OSError, ValueError, KeyError...)
        raise _load_error(resolved.path, exc) from exc


def load_config(resolved: ResolvedModel, *, trust_remote_code: bool) -> Any:
    """The transformers config of ``resolved`` (architecture, window) without loading weights."""
    from transformers import AutoConfig

    try:
        own = _own_code(resolved.path, trust_remote_code)
        return AutoConfig.from_pretrained(resolved.path, trust_remote_code=trust_remote_code and not own)
    except Exception as exc:  # as above
        raise _load_error(resolved.path, exc) from exc


def _load_error(path: Path, exc: Exception) -> ModelError:
    reason = " ".join(str(exc).split())  # one line: the CLI prints errors on one line
    return ModelError(f"{path}: cannot load the model: {type(exc).__name__}: {reason}")


def load_seq2seq(
    resolved: ResolvedModel, *, device: str, trust_remote_code: bool, allow_pickle: bool
) -> tuple[Any, Any]:
    """Load the tokenizer and sequence-to-sequence model of ``resolved`` (eval mode, on ``device``).

    Weights load from safetensors only unless ``allow_pickle``; repository code runs only with
    ``trust_remote_code`` (and never for IndicTrans2, which runs on :mod:`translate.indictrans`).
    Any failure is a :class:`ModelError` naming the folder and the reason.
    """
    tokenizer = load_tokenizer(resolved, trust_remote_code=trust_remote_code, allow_pickle=allow_pickle)
    from transformers import AutoModelForSeq2SeqLM

    try:
        own = _own_code(resolved.path, trust_remote_code)
        model = AutoModelForSeq2SeqLM.from_pretrained(
            resolved.path,
            trust_remote_code=trust_remote_code and not own,
            use_safetensors=None if allow_pickle else True,
        )
        model.to(device).eval()
    except Exception as exc:  # transformers raises many types (OSError, ValueError, KeyError...)
        raise _load_error(resolved.path, exc) from exc
    return tokenizer, model


def take_over_length_limits(model: Any) -> None:
    """Drop the checkpoint's own ``max_length``/``min_length`` (NLLB ships 200, distilbart 142/56)
    from the loaded model: the backends pass ``min_new_tokens``/``max_new_tokens`` on every call
    (see :mod:`translate.generation`), and transformers warns on every call when both are set."""
    model.generation_config.max_length = None
    model.generation_config.min_length = None


def model_window(tokenizer: Any, config: Any) -> int:
    """The longest input, in tokens, the model (``config``) takes: its positions, or the tokenizer's limit."""
    limits = [getattr(config, "max_position_embeddings", None)]
    tokenizer_limit = getattr(tokenizer, "model_max_length", None)
    if tokenizer_limit and tokenizer_limit < 1_000_000:  # transformers' "no limit" is a huge int
        limits.append(tokenizer_limit)
    limits = [limit for limit in limits if limit]
    if not limits:
        raise ModelError(f"{config.name_or_path}: cannot tell the model's input window")
    return min(limits)


def architecture_of(tokenizer: Any, config: Any) -> str:
    """Which language handling the checkpoint (``config``) needs: nllb, m2m100, mbart, marian, indictrans2, seq2seq."""
    model_type = config.model_type.lower()
    if model_type == "m2m_100":
        return "nllb" if "nllb" in type(tokenizer).__name__.lower() else "m2m100"
    if model_type.startswith("indictrans"):
        return "indictrans2"
    if model_type in ("mbart", "marian"):
        return model_type
    return "seq2seq"


def split_to_fit(
    text: str, fits: Callable[[str], bool], boundaries: Sequence[re.Pattern[str]] = CLAUSE_BOUNDARIES
) -> list[str]:
    """Cut ``text`` into consecutive pieces that each satisfy ``fits``, losing no word.

    Tries the ``boundaries`` in order (clauses, then words), packing neighbouring parts back
    together while they fit; a single word that does not fit is cut between characters.
    """
    text = text.strip()
    if not text:
        return []
    if fits(text):
        return [text]
    for level, pattern in enumerate(boundaries):
        parts = [part for part in pattern.split(text) if part.strip()]
        if len(parts) > 1:
            return _pack(parts, fits, boundaries[level + 1 :])
    return _split_characters(text, fits)


def _pack(parts: list[str], fits: Callable[[str], bool], finer: Sequence[re.Pattern[str]]) -> list[str]:
    pieces: list[str] = []
    current = ""
    for part in parts:
        candidate = f"{current} {part}" if current else part
        if fits(candidate):
            current = candidate
            continue
        if current:
            pieces.append(current)
        if fits(part):
            current = part
        else:
            pieces.extend(split_to_fit(part, fits, finer))
            current = ""
    if current:
        pieces.append(current)
    return pieces


def _split_characters(text: str, fits: Callable[[str], bool]) -> list[str]:
    pieces = []
    while text:
        # Longest prefix that fits (at least one character, so the loop always advances).
        size = bisect.bisect_right(range(1, len(text) + 1), False, key=lambda n: not fits(text[:n]))
        size = max(size, 1)
        pieces.append(text[:size])
        text = text[size:]
    return pieces


class Seq2SeqTranslationBackend:
    """What every backend shares: tokenizer conventions, language codes, batching, decoding.

    Handles each family's language codes: NLLB/M2M100/mBART set the tokenizer's ``src_lang``
    and force the target language as first generated token; IndicTrans2's texts go through
    IndicTransToolkit's processor, which prefixes ``"<src> <tgt> "``; Marian needs nothing. Decoding follows the checkpoint's own
    settings (``settings``, :func:`translate.generation.checkpoint_settings`) with an output limit
    proportional to each input. Subclasses run the model: ``preprocess(texts)`` -> model input,
    ``forward(inputs, decoding)`` -> output token ids.
    """

    backend_name = "seq2seq"
    #: For benchmarks with random weights (bench/speed.py): when set, every output of a batch is
    #: exactly ``forced_new_tokens(input lengths of the batch)`` tokens long, end token or not.
    forced_new_tokens: Callable[[list[int]], int] | None = None

    def __init__(
        self,
        tokenizer: Any,
        config: Any,
        *,
        settings: dict[str, Any] | None = None,
        beams: int | None = None,
        max_batch_tokens: int = 4096,
        max_input_tokens: int | None = None,
        src_lang: str | None = None,
        tgt_lang: str | None = None,
    ):
        self.tokenizer = tokenizer
        self.config = config
        self.settings = dict(settings or {})
        self.beams = int(beams or self.settings.get("num_beams") or 4)
        self.max_batch_tokens = max_batch_tokens
        self.architecture = architecture_of(tokenizer, config)
        window = model_window(tokenizer, config)
        trained = TRAINED_WINDOWS.get(self.architecture)
        self.max_input_tokens = min(window, max_input_tokens or trained or window)
        #: The decoder's positions: no output can be longer.
        self.max_output_tokens = int(getattr(config, "max_target_positions", None) or window)
        vocabulary = getattr(config, "decoder_vocab_size", None) or getattr(config, "vocab_size", None) or len(tokenizer)
        self.max_batch_size = max_batch_sentences(int(vocabulary), self.beams)
        default_src, default_tgt = DEFAULT_LANGS.get(self.architecture, (None, None))
        self.src_lang = src_lang or default_src
        self.tgt_lang = tgt_lang or default_tgt
        self.forced_bos_token_id = self._language_setup()
        #: IndicTrans2's pre- and post-processing (IndicTransToolkit), None for other models.
        self.processor = indictrans.Processor(self.src_lang, self.tgt_lang) if self.architecture == "indictrans2" else None
        #: Texts this backend has translated (sent to the model) so far.
        self.translated_count = 0

    def _token_id(self, code: str) -> int:
        tokenizer = self.tokenizer
        token_id = tokenizer.get_lang_id(code) if hasattr(tokenizer, "get_lang_id") else tokenizer.convert_tokens_to_ids(code)
        if token_id is None or token_id == tokenizer.unk_token_id:
            raise ModelError(f"{self.config.name_or_path}: language code {code!r} is not in the tokenizer")
        return token_id

    def _language_setup(self) -> int | None:
        """Point the tokenizer at the source language; return the forced first target token."""
        if self.architecture not in ("nllb", "m2m100", "mbart"):
            return None
        self._token_id(self.src_lang)  # fails early on an unknown code
        self.tokenizer.src_lang = self.src_lang
        return self._token_id(self.tgt_lang)

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Model input tokens of each text, special tokens and language tags included."""
        if self.processor is not None:
            texts = self.processor.tagged(texts)
        return self._count(texts)

    def _count(self, texts: list[str]) -> list[int]:
        if not texts:
            return []
        # verbose=False: counting over-long texts is the point here, not an error to warn about.
        encoded = self.tokenizer(list(texts), add_special_tokens=True, verbose=False)
        return [len(ids) for ids in encoded["input_ids"]]

    def decoding(self, lengths: list[int]) -> Decoding:
        """How a batch of inputs of ``lengths`` tokens (all of one length bucket) is decoded."""
        if self.forced_new_tokens is not None:
            min_new = max_new = self.forced_new_tokens(lengths)
        else:
            min_new, max_new = 0, translation_max_new_tokens(max(lengths), self.max_output_tokens)
        return decoding(self.settings, beams=self.beams, min_new_tokens=min_new, max_new_tokens=max_new,
                        forced_bos_token_id=self.forced_bos_token_id)

    def preprocess(self, texts: list[str]) -> Any:
        """One batch of texts -> the model's input."""
        raise NotImplementedError

    def forward(self, inputs: Any, decoding: Decoding) -> list[list[int]]:
        """The model's input -> output token ids, one list per text."""
        raise NotImplementedError

    def postprocess(self, token_ids: list[list[int]]) -> list[str]:
        """Decode generated ids to text (special tokens and language codes dropped)."""
        texts = self.tokenizer.batch_decode(token_ids, skip_special_tokens=True)
        return [" ".join(text.split()) for text in texts]

    def batches(self, lengths: list[int]) -> list[list[int]]:
        """Length-sorted batches under the token budget and the sentence cap, each within one length
        bucket (so that every sentence's output limit is its own, whatever else is translated)."""
        buckets: dict[int, list[int]] = {}
        for index, length in enumerate(lengths):
            buckets.setdefault(length_bucket(length), []).append(index)
        batches = []
        for bucket in sorted(buckets, reverse=True):
            members = buckets[bucket]
            for batch in token_budget_batches([lengths[i] for i in members], self.max_batch_tokens, self.max_batch_size):
                batches.append([members[i] for i in batch])
        return batches

    def translate_batch(self, texts: list[str]) -> list[str]:
        """Translate ``texts`` in the batches of :meth:`batches`; input order kept."""
        if self.processor is not None:  # IndicTrans2: normalised, tagged, and detokenised after
            results = self.processor.run(texts, self._translate_batch)
        else:
            results = self._translate_batch(texts)
        self.translated_count += len(texts)
        return results

    def _translate_batch(self, texts: list[str]) -> list[str]:
        results: list[str] = [""] * len(texts)
        lengths = self._count(texts)
        for batch in self.batches(lengths):
            inputs = self.preprocess([texts[i] for i in batch])
            outputs = self.postprocess(self.forward(inputs, self.decoding([lengths[i] for i in batch])))
            for index, output in zip(batch, outputs):
                results[index] = output
        return results


class TransformersModel:
    """Loading and holding a transformers checkpoint: what the translation and the summarization
    backends of the transformers kind share. Put it first among the bases, before the backend's
    Seq2Seq class, whose ``__init__(tokenizer, config, **options)`` it calls."""

    backend_name = "transformers"
    #: The task whose ``task_specific_params`` apply (None: none).
    task: str | None = None

    def __init__(self, tokenizer: Any, model: Any, **options: Any):
        super().__init__(tokenizer, model.config, **options)
        self.model = model
        take_over_length_limits(model)

    @classmethod
    def from_pretrained(
        cls,
        resolved: ResolvedModel,
        *,
        device: str = "auto",
        trust_remote_code: bool = False,
        allow_pickle: bool = False,
        **options: Any,
    ):
        """Load ``resolved`` (see :func:`load_seq2seq`) and wrap it."""
        tokenizer, model = load_seq2seq(
            resolved, device=resolve_device(device), trust_remote_code=trust_remote_code, allow_pickle=allow_pickle
        )
        return cls(tokenizer, model, settings=checkpoint_settings(resolved.path, cls.task), **options)

    @property
    def device(self) -> str:
        return str(self.model.device)

    def generate(self, inputs: Any, decoding: Decoding) -> list[list[int]]:
        """Beam search with ``decoding``'s settings (deterministic); the output token ids."""
        import torch

        with torch.inference_mode():
            output = self.model.generate(**inputs, **decoding.generate_kwargs())
        return output.tolist()


class TransformersTranslationBackend(TransformersModel, Seq2SeqTranslationBackend):
    """Runs a transformers sequence-to-sequence checkpoint with torch: preprocess -> forward -> postprocess."""

    def preprocess(self, texts: list[str]) -> Any:
        """Tokenize one batch into padded tensors on the model's device (never truncates)."""
        inputs = self.tokenizer(list(texts), padding=True, truncation=False, return_tensors="pt")
        return inputs.to(self.model.device)

    def forward(self, inputs: Any, decoding: Decoding) -> list[list[int]]:
        """Generate (beam search, no sampling: deterministic) and return the output token ids."""
        return self.generate(inputs, decoding)


#: Options recorded in ``model_info`` that change a translation, hence part of every cache key.
CACHE_OPTIONS = ("beams", "max_input_tokens", "output_limit", "generation", "src_lang", "tgt_lang", "quantization")


def folder_fingerprint(*folders: Path) -> str:
    """A short hash of the names, sizes and modification times of the files in ``folders``.

    Stands in for a revision where a model has none (a local folder): rebuilding or replacing the
    model changes it, so the translation cache never serves another model's translations.
    """
    stats = sorted(
        (str(path), path.stat().st_size, path.stat().st_mtime_ns)
        for folder in folders
        for path in Path(folder).iterdir()
        if path.is_file()
    )
    return hashlib.sha256(json.dumps(stats).encode()).hexdigest()[:16]


class Translator:
    """Translates sentences with a backend, splitting any sentence longer than the model's window.

    ``cache``: a :class:`~translate.cache.TranslationCache` asked before the model and filled after
    it (None: every sentence goes to the model). Its keys hold ``identity``, by default
    ``[id, revision, backend, options]`` from ``model_info``.
    """

    def __init__(
        self,
        backend: TranslationBackend,
        model_info: dict[str, Any] | None = None,
        *,
        cache: TranslationCache | None = None,
        identity: list[Any] | None = None,
    ):
        self.backend = backend
        self.model_info: dict[str, Any] = dict(model_info or {})
        self.cache = cache
        self.identity = identity or cache_identity(
            self.model_info, {key: self.model_info.get(key) for key in CACHE_OPTIONS}
        )

    @property
    def max_input_tokens(self) -> int:
        """The model's window in tokens: longer sentences are translated in pieces."""
        return self.backend.max_input_tokens

    @classmethod
    def from_pretrained(
        cls,
        name_or_path: str | Path = DEFAULT_TRANSLATOR,
        *,
        device: str = "auto",
        beams: int | None = None,
        max_batch_tokens: int = 4096,
        max_input_tokens: int | None = None,
        src_lang: str | None = None,
        tgt_lang: str | None = None,
        trust_remote_code: bool = False,
        allow_pickle: bool = False,
        backend: str = "auto",
        cache: bool | TranslationCache = True,
        intra_threads: int | None = None,
        inter_threads: int = 1,
    ) -> "Translator":
        """Load a translation model: a preset (``models list``), a hub id or a model folder.

        ``backend``: ``"auto"`` (CTranslate2 when the model has been converted with
        ``hindi-brief models convert``, else transformers), ``"transformers"`` or ``"ctranslate2"``.
        ``beams``: beam size (None: the checkpoint's own, else 4). ``max_input_tokens``: a window
        smaller than the model's (default: the preset's, else what the architecture was trained on,
        see :data:`TRAINED_WINDOWS`); longer sentences are translated in clauses.
        ``cache``: True for the on-disk cache in the store (:mod:`translate.cache`), False for none,
        or a :class:`~translate.cache.TranslationCache`. ``intra_threads`` / ``inter_threads``:
        CTranslate2's threads per batch (default: all cores) and batches in parallel.

        Raises :class:`~translate.errors.ModelNotFoundError` (within seconds when offline) with
        the commands that get the model, or :class:`~translate.errors.ModelError` if it does
        not load.
        """
        from .ct2 import choose_backend, converted_home, quantization_of

        resolved = resolve_model(
            name_or_path, "translation", allow_pickle=allow_pickle, trust_remote_code=trust_remote_code
        )
        preset = resolved.preset
        ct2_dir = choose_backend(backend, converted_home(resolved), str(name_or_path))
        options = dict(
            device=device,
            trust_remote_code=trust_remote_code,
            allow_pickle=allow_pickle,
            beams=beams,
            max_batch_tokens=max_batch_tokens,
            max_input_tokens=max_input_tokens or (preset.max_input_tokens if preset else None),
            src_lang=src_lang or (preset.src_lang if preset else None),
            tgt_lang=tgt_lang or (preset.tgt_lang if preset else None),
        )
        engine: Seq2SeqTranslationBackend
        if ct2_dir is None:
            engine = TransformersTranslationBackend.from_pretrained(resolved, **options)
        else:
            from .ct2 import CT2TranslationBackend

            engine = CT2TranslationBackend.from_pretrained(
                resolved, ct2_dir, intra_threads=intra_threads, inter_threads=inter_threads, **options
            )
        info = {
            "id": resolved.model_id,
            "revision": resolved.revision,
            "backend": engine.backend_name,
            "architecture": engine.architecture,
            "license": preset.license if preset else None,
            "beams": engine.beams,
            "max_input_tokens": engine.max_input_tokens,
            "output_limit": OUTPUT_LIMIT,
            "generation": dict(sorted(engine.settings.items())),
            "src_lang": engine.src_lang,
            "tgt_lang": engine.tgt_lang,
            "device": engine.device,
        }
        if ct2_dir is not None:
            info["quantization"] = quantization_of(ct2_dir)
        if preset and preset.license_note:
            info["license_note"] = preset.license_note
        identity = None
        if resolved.revision is None:  # a local folder: its files stand in for a revision
            fingerprint = folder_fingerprint(resolved.path, *([ct2_dir] if ct2_dir else []))
            identity = cache_identity({**info, "revision": fingerprint}, {k: info.get(k) for k in CACHE_OPTIONS})
        store = TranslationCache() if cache is True else (cache or None)
        return cls(engine, info, cache=store, identity=identity)

    def split(self, sentence: str) -> list[str]:
        """The pieces ``sentence`` is translated in: itself if it fits the window, else clauses."""
        window = self.max_input_tokens
        return split_to_fit(sentence, lambda text: self.backend.count_tokens([text])[0] <= window)

    def translate(self, sentences: list[str]) -> list[str]:
        """Translate each sentence; same length and order, ``""`` (or blank) gives ``""``.

        Sentences the cache knows cost nothing, a sentence repeated in the call is translated
        once. Sentences longer than the model's window are translated piece by piece (see
        :meth:`split`) and the pieces' translations joined with a space: nothing is cut off.
        """
        wanted = [i for i, sentence in enumerate(sentences) if sentence.strip()]
        results = [""] * len(sentences)
        translated = cached_translate(self.cache, self.identity, [sentences[i].strip() for i in wanted], self._translate)
        for index, translation in zip(wanted, translated):
            results[index] = translation
        return results

    def _translate(self, sentences: list[str]) -> list[str]:
        """Translate non-blank, stripped sentences with the backend, splitting the over-long ones."""
        window = self.max_input_tokens
        lengths = self.backend.count_tokens(sentences)
        pieces: list[str] = []
        owners: list[int] = []
        for index, length in enumerate(lengths):
            parts = [sentences[index]] if length <= window else self.split(sentences[index])
            pieces += parts
            owners += [index] * len(parts)
        results: list[list[str]] = [[] for _ in sentences]
        for owner, translation in zip(owners, self.backend.translate_batch(pieces)):
            if translation:
                results[owner].append(translation)
        return [" ".join(parts) for parts in results]
