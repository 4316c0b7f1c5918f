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
from .errors import ModelError
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
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "vocab.json", "vocab.txt", "*.model", "*.spm")

#: Longest translation, in tokens, when the caller sets none (CTranslate2's default too).
DEFAULT_MAX_NEW_TOKENS = 256

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
    if config.get("auto_map") and not trust_remote_code:
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


def load_tokenizer(resolved: ResolvedModel, *, trust_remote_code: bool, allow_pickle: bool) -> Any:
    """Load the tokenizer of ``resolved`` after the safety checks (see :func:`load_seq2seq`).

    The CTranslate2 backends need only this from the transformers folder.
    """
    _check_loadable(resolved.path, trust_remote_code=trust_remote_code, allow_pickle=allow_pickle)
    from transformers import AutoTokenizer

    try:
        return AutoTokenizer.from_pretrained(resolved.path, trust_remote_code=trust_remote_code)
    except Exception as exc:  # transformers raises many types (OSError, ValueError, KeyError...)
        raise _load_error(resolved.path, exc) from exc


def load_config(resolved: ResolvedModel, *, trust_remote_code: bool) -> Any:
    """The transformers config of ``resolved`` (architecture, window) without loading weights."""
    from transformers import AutoConfig

    try:
        return AutoConfig.from_pretrained(resolved.path, trust_remote_code=trust_remote_code)
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
    ``trust_remote_code``. Any failure is a :class:`ModelError` naming the folder and the reason.
    """
    tokenizer = load_tokenizer(resolved, trust_remote_code=trust_remote_code, allow_pickle=allow_pickle)
    from transformers import AutoModelForSeq2SeqLM

    try:
        model = AutoModelForSeq2SeqLM.from_pretrained(
            resolved.path,
            trust_remote_code=trust_remote_code,
            use_safetensors=None if allow_pickle else True,
        )
        model.to(device).eval()
    except Exception as exc:  # transformers raises many types (OSError, ValueError, KeyError...)
        raise _load_error(resolved.path, exc) from exc
    return tokenizer, model


def take_over_length_limits(model: Any) -> None:
    """Drop the checkpoint's own ``max_length``/``min_length`` (NLLB ships 200, distilbart 142/56):
    the backends pass ``max_new_tokens``/``min_new_tokens`` on every call, and transformers warns
    on every call when both are set."""
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
    and force the target language as first generated token; IndicTrans2 prefixes
    ``"<src> <tgt> "`` to each sentence; Marian needs nothing. Subclasses run the model:
    ``preprocess(texts)`` -> model input, ``forward(inputs)`` -> output token ids.
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
        beams: int = 4,
        max_batch_tokens: int = 4096,
        max_new_tokens: int | None = None,
        src_lang: str | None = None,
        tgt_lang: str | None = None,
    ):
        self.tokenizer = tokenizer
        self.config = config
        self.beams = beams
        self.max_batch_tokens = max_batch_tokens
        self.max_input_tokens = model_window(tokenizer, config)
        # One limit for every sentence (not one per batch), so that a sentence's translation does
        # not depend on the batch it runs in (the translation cache relies on that).
        self.max_new_tokens = max_new_tokens or min(self.max_input_tokens, DEFAULT_MAX_NEW_TOKENS)
        self.architecture = architecture_of(tokenizer, config)
        default_src, default_tgt = DEFAULT_LANGS.get(self.architecture, (None, None))
        self.src_lang = src_lang or default_src
        self.tgt_lang = tgt_lang or default_tgt
        self.forced_bos_token_id = self._language_setup()
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

    def _model_text(self, text: str) -> str:
        if self.architecture == "indictrans2":
            return f"{self.src_lang} {self.tgt_lang} {text}"
        return text

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Model input tokens of each text, special tokens and language tags included."""
        if not texts:
            return []
        # verbose=False: counting over-long texts is the point here, not an error to warn about.
        encoded = self.tokenizer([self._model_text(t) for t in texts], add_special_tokens=True, verbose=False)
        return [len(ids) for ids in encoded["input_ids"]]

    def generation_lengths(self, lengths: list[int]) -> tuple[int, int]:
        """``(min_new_tokens, max_new_tokens)`` for a batch of inputs of ``lengths`` tokens."""
        if self.forced_new_tokens is not None:
            forced = self.forced_new_tokens(lengths)
            return forced, forced
        return 0, self.max_new_tokens

    def preprocess(self, texts: list[str]) -> Any:
        """One batch of texts -> the model's input."""
        raise NotImplementedError

    def forward(self, inputs: Any) -> list[list[int]]:
        """The model's input -> output token ids, one list per text."""
        raise NotImplementedError

    def postprocess(self, token_ids: list[list[int]]) -> list[str]:
        """Decode generated ids to text (special tokens and language codes dropped)."""
        texts = self.tokenizer.batch_decode(token_ids, skip_special_tokens=True)
        return [" ".join(text.split()) for text in texts]

    def translate_batch(self, texts: list[str]) -> list[str]:
        """Translate ``texts`` in length-sorted batches under ``max_batch_tokens``; input order kept."""
        results: list[str] = [""] * len(texts)
        lengths = self.count_tokens(texts)
        for batch in token_budget_batches(lengths, self.max_batch_tokens):
            outputs = self.postprocess(self.forward(self.preprocess([texts[i] for i in batch])))
            for index, output in zip(batch, outputs):
                results[index] = output
        self.translated_count += len(texts)
        return results


class TransformersModel:
    """Loading and holding a transformers checkpoint: what the translation and the summarization
    backends of the transformers kind share. Put it first among the bases, before the backend's
    Seq2Seq class, whose ``__init__(tokenizer, config, **options)`` it calls."""

    backend_name = "transformers"

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
        return cls(tokenizer, model, **options)

    @property
    def device(self) -> str:
        return str(self.model.device)


class TransformersTranslationBackend(TransformersModel, Seq2SeqTranslationBackend):
    """Runs a transformers sequence-to-sequence checkpoint with torch: preprocess -> forward -> postprocess."""

    def preprocess(self, texts: list[str]) -> Any:
        """Tokenize one batch into padded tensors on the model's device (never truncates)."""
        inputs = self.tokenizer(
            [self._model_text(t) for t in texts], padding=True, truncation=False, return_tensors="pt"
        )
        return inputs.to(self.model.device)

    def forward(self, inputs: Any) -> list[list[int]]:
        """Generate (beam search, no sampling: deterministic) and return the output token ids."""
        import torch

        min_new, max_new = self.generation_lengths(inputs["attention_mask"].sum(dim=1).tolist())
        kwargs: dict[str, Any] = {"num_beams": self.beams, "do_sample": False, "max_new_tokens": max_new}
        if min_new:
            kwargs["min_new_tokens"] = min_new
        if self.forced_bos_token_id is not None:
            kwargs["forced_bos_token_id"] = self.forced_bos_token_id
        with torch.inference_mode():
            output = self.model.generate(**inputs, **kwargs)
        return output.tolist()


#: Options recorded in ``model_info`` that change a translation, hence part of every cache key.
CACHE_OPTIONS = ("beams", "max_new_tokens", "src_lang", "tgt_lang", "quantization")


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
        beams: int = 4,
        max_batch_tokens: int = 4096,
        max_new_tokens: int | None = None,
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
            max_new_tokens=max_new_tokens,
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
            "beams": beams,
            "max_new_tokens": engine.max_new_tokens,
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
