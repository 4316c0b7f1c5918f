"""What every backend shares: the Protocols the engines use, tokenizer conventions, language codes,
windows, length-bucketed batching and decoding settings (:mod:`translate.backends.generation`).

A backend runs one model: ``preprocess(texts)`` -> model input, ``forward(inputs, decoding)`` ->
output token ids, ``postprocess(ids)`` -> texts, as transformers pipelines keep the three apart.
:class:`Seq2SeqTranslationBackend` and :class:`Seq2SeqSummarizationBackend` hold everything but
``preprocess``/``forward``, which the torch backends (:mod:`translate.backends.transformers`) and the
CTranslate2 backends (:mod:`translate.backends.ct2`) implement; so both tokenize, batch and decode
the same way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from ..errors import ModelError
from . import indictrans
from .batching import token_budget_batches
from .generation import (
    Decoding,
    decoding,
    length_bucket,
    max_batch_sentences,
    max_state_tokens,
    read_json,
    translation_max_new_tokens,
)
from .vocabulary import RESTRICTED_BY_DEFAULT, english_token_ids

#: Language codes by architecture, used when neither the caller nor a preset gives them.
DEFAULT_LANGS: dict[str, tuple[str | None, str | None]] = {
    "nllb": ("hin_Deva", "eng_Latn"),
    "m2m100": ("hi", "en"),
    "mbart": ("hi_IN", "en_XX"),
    "indictrans2": ("hin_Deva", "eng_Latn"),
    "marian": (None, None),
}


#: Input windows shorter than the position table, by architecture: NLLB's positions go to 1024 but
#: its model card says it was trained on inputs of at most 512 tokens.
TRAINED_WINDOWS = {"nllb": 512}


#: A summary's minimum length is at most this share of its input's tokens: a checkpoint's or a
#: brief's minimum must not force a model to write more than the text it condenses can support.
MAX_MIN_SHARE = 0.5
#: Input tokens summarized in one model call: two full chunks of a 1,024-token window. Beam search
#: keeps every beam's cross-attention keys and values over its whole input, so a call's memory grows
#: with its input tokens: six ~1,000-token chunks at once took 544 MB beyond the loaded model
#: (distilbart-cnn architecture, CTranslate2 int8, beam 4), two at a time 310 MB for 10% more time,
#: one at a time 147 MB for 30% more (bench/README.md, "Memory").
SUMMARY_BATCH_TOKENS = 2048


#: ``on_batch(positions, found)``: a batch is done; ``found[k]`` holds the hypotheses of text ``positions[k]``.
OnBatch = Callable[[list[int], list[list[tuple[str, float | None]]]], None]


class TranslationBackend(Protocol):
    """What a :class:`Translator` needs from an engine."""

    max_input_tokens: int

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Number of model input tokens of each text, special tokens included."""

    def translate_batch(self, texts: list[str]) -> list[str]:
        """Translate texts that fit the window; same length and order."""

    # Optional: ``translate_hypotheses(texts, *, hypotheses=1, repetition_safe=False, on_batch=None)`` -> per text,
    # its best translations with scores (see Seq2SeqTranslationBackend).  A backend without it still
    # translates; its sentences have no confidence and no n-best or repetition-safe retranslation.


class SummarizationBackend(Protocol):
    """What a :class:`Summarizer` needs from an engine."""

    max_input_tokens: int

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Model input tokens of each text, special tokens included."""

    def summarize_batch(self, texts: list[str], max_new_tokens: int, min_new_tokens: int) -> list[str]:
        """One summary per text (each text fits the window)."""


def model_window(tokenizer: Any, config: Any) -> int:
    """The longest input, in tokens, the model (``config``) takes: its positions, or the tokenizer's limit."""
    return window_of(getattr(config, "max_position_embeddings", None), getattr(tokenizer, "model_max_length", None),
                     config.name_or_path)


def window_of(positions: int | None, tokenizer_limit: int | None, name: Any) -> int:
    """:func:`model_window` from the two numbers (the model's positions, the tokenizer's limit)."""
    limits = [positions]
    if tokenizer_limit and tokenizer_limit < 1_000_000:  # transformers' "no limit" is a huge int
        limits.append(tokenizer_limit)
    limits = [limit for limit in limits if limit]
    if not limits:
        raise ModelError(f"{name}: cannot tell the model's input window")
    return min(limits)


def input_window(window: int, architecture: str, max_input_tokens: int | None) -> int:
    """The longest input a translation backend sends: the window, or less where the architecture was
    trained on shorter inputs (:data:`TRAINED_WINDOWS`) or the caller asks for less."""
    trained = TRAINED_WINDOWS.get(architecture)
    return min(window, max_input_tokens or trained or window)


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


def input_prefix(model_dir: str | Path, config: Any) -> str:
    """What the checkpoint wants put before each text to summarize: ``task_specific_params.summarization.prefix``
    (T5's ``"summarize: "``), else ``config.prefix`` (the BART CNN checkpoints' ``" "``), else nothing;
    as transformers' summarization pipeline does."""
    raw = read_json(Path(model_dir) / "config.json")
    specific = ((raw.get("task_specific_params") or {}).get("summarization") or {}).get("prefix")
    if specific is not None:
        return specific
    prefix = raw.get("prefix", getattr(config, "prefix", None))
    if prefix is None and getattr(config, "model_type", "") in ("t5", "mt5"):
        return "summarize: "
    return prefix or ""


class Seq2SeqTranslationBackend:
    """What every backend shares: tokenizer conventions, language codes, batching, decoding.

    Handles each family's language codes: NLLB/M2M100/mBART set the tokenizer's ``src_lang``
    and force the target language as first generated token; IndicTrans2's texts go through
    IndicTransToolkit's processor, which prefixes ``"<src> <tgt> "``; Marian needs nothing. Decoding follows the checkpoint's own
    settings (``settings``, :func:`translate.backends.generation.checkpoint_settings`) with an output limit
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
        vocabulary: str = "auto",
    ):
        self.tokenizer = tokenizer
        #: Fast tokenizers refuse concurrent calls that change their padding ("Already borrowed"): a
        #: server translating for several users at once tokenizes under this lock (the model runs outside it).
        self.tokenizer_lock = threading.Lock()
        self.config = config
        self.settings = dict(settings or {})
        self.beams = int(beams or self.settings.get("num_beams") or 4)
        self.max_batch_tokens = max_batch_tokens
        self.architecture = architecture_of(tokenizer, config)
        window = model_window(tokenizer, config)
        self.max_input_tokens = input_window(window, self.architecture, max_input_tokens)
        #: The decoder's positions: no output can be longer.
        self.max_output_tokens = int(getattr(config, "max_target_positions", None) or window)
        vocab_size = getattr(config, "decoder_vocab_size", None) or getattr(config, "vocab_size", None) or len(tokenizer)
        self.max_batch_size = max_batch_sentences(int(vocab_size), self.beams)
        #: Padded input tokens per batch that keep the decoder state within its budget (the smaller
        #: of this and ``max_batch_tokens`` is used; :func:`translate.backends.generation.max_state_tokens`).
        self.max_state_tokens = max_state_tokens(config, self.beams)
        default_src, default_tgt = DEFAULT_LANGS.get(self.architecture, (None, None))
        self.src_lang = src_lang or default_src
        self.tgt_lang = tgt_lang or default_tgt
        self.forced_bos_token_id = self._language_setup()
        #: IndicTrans2's pre- and post-processing (IndicTransToolkit), None for other models.
        self.processor = indictrans.Processor(self.src_lang, self.tgt_lang) if self.architecture == "indictrans2" else None
        #: The output pieces decoding may use: the English ones (:mod:`translate.backends.vocabulary`) for
        #: multilingual models writing English unless ``vocabulary="full"``; None for the whole vocabulary.
        self.output_vocabulary = self._output_vocabulary(vocabulary)
        #: Texts this backend has translated (sent to the model) so far.
        self.translated_count = 0

    def _output_vocabulary(self, choice: str) -> list[int] | None:
        if choice not in ("auto", "english", "full"):
            raise ValueError(f"unknown output vocabulary {choice!r}; choose auto, english or full")
        english_target = (self.tgt_lang or "").startswith("eng")
        wanted = choice == "english" or (choice == "auto" and self.architecture in RESTRICTED_BY_DEFAULT)
        if not wanted or not english_target:
            return None
        return english_token_ids(self.tokenizer, self.tgt_lang)

    @property
    def vocabulary_name(self) -> str:
        """``"english"`` when decoding uses the English pieces only, else ``"full"`` (recorded in results)."""
        return "english" if self.output_vocabulary is not None else "full"

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
        with self.tokenizer_lock:
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
        with self.tokenizer_lock:
            texts = self.tokenizer.batch_decode(token_ids, skip_special_tokens=True)
        return [" ".join(text.split()) for text in texts]

    def batches(self, lengths: list[int]) -> list[list[int]]:
        """Length-sorted batches under the token budgets (input and decoder state) and the sentence
        cap, each within one length bucket (so that every sentence's output limit is its own,
        whatever else is translated)."""
        buckets: dict[int, list[int]] = {}
        for index, length in enumerate(lengths):
            buckets.setdefault(length_bucket(length), []).append(index)
        budget = min(self.max_batch_tokens, self.max_state_tokens)
        batches = []
        for bucket in sorted(buckets, reverse=True):
            members = buckets[bucket]
            for batch in token_budget_batches([lengths[i] for i in members], budget, self.max_batch_size):
                batches.append([members[i] for i in batch])
        return batches

    def translate_batch(self, texts: list[str]) -> list[str]:
        """Translate ``texts`` in the batches of :meth:`batches`; input order kept."""
        return [found[0][0] for found in self.translate_hypotheses(texts)]

    def translate_hypotheses(self, texts: list[str], *, hypotheses: int = 1, repetition_safe: bool = False,
                             on_batch: OnBatch | None = None) -> list[list[tuple[str, float | None]]]:
        """Per text, its ``hypotheses`` best translations (best first) with their scores (the mean
        token log-probability, see :meth:`forward_hypotheses`). ``repetition_safe``: decode with
        repetitions blocked (:meth:`translate.backends.generation.Decoding.repetition_safe`), as the
        self-healing retranslation of a sentence caught in a loop does. ``on_batch(positions, found)``
        is called as each batch is done (positions in ``texts``), so that a caller can show the
        sentences as they come; the batches are the same with or without it."""
        def run(model_texts: list[str]) -> list[list[tuple[str, float | None]]]:
            # IndicTrans2's outputs are detokenised only once every batch is done: reported then.
            return self._translate_hypotheses(model_texts, hypotheses, repetition_safe,
                                              on_batch if self.processor is None else None)

        if self.processor is not None:  # IndicTrans2: normalised, tagged, and detokenised after
            found = self.processor.run_hypotheses(texts, run)
            if on_batch is not None and texts:
                on_batch(list(range(len(texts))), found)
        else:
            found = run(texts)
        self.translated_count += len(texts)
        return found

    def _translate_hypotheses(self, texts: list[str], hypotheses: int, repetition_safe: bool,
                              on_batch: OnBatch | None = None) -> list[list[tuple[str, float | None]]]:
        results: list[list[tuple[str, float | None]]] = [[] for _ in texts]
        lengths = self._count(texts)
        for batch in self.batches(lengths):
            inputs = self.preprocess([texts[i] for i in batch])
            plan = self.decoding([lengths[i] for i in batch]).with_hypotheses(hypotheses)
            if repetition_safe:
                plan = plan.repetition_safe()
            found = self.forward_hypotheses(inputs, plan)
            for index, options in zip(batch, found):
                decoded = self.postprocess([ids for ids, _ in options])
                results[index] = [(text, score) for text, (_, score) in zip(decoded, options)]
            if on_batch is not None:
                on_batch(list(batch), [results[i] for i in batch])
        return results

    def forward_hypotheses(self, inputs: Any, decoding: Decoding) -> list[list[tuple[list[int], float | None]]]:
        """The model's input -> per input, its hypotheses as output token ids with scores (best first)."""
        raise NotImplementedError


class Seq2SeqSummarizationBackend:
    """What every summarization backend shares: tokenizer conventions, window, decoding.

    Decoding follows the checkpoint's settings (``settings``: its ``task_specific_params.summarization``,
    ``generation_config.json`` and ``config.json`` keys, see :mod:`translate.backends.generation`): beam size,
    length penalty, n-gram blocking, forced tokens; lengths come from the caller. Subclasses run the
    model: ``preprocess(texts)`` -> model input, ``forward(inputs, decoding)`` -> output token ids.
    """

    backend_name = "seq2seq"
    #: For benchmarks with random weights (bench/speed.py): when set, every summary is exactly
    #: ``forced_new_tokens(input lengths)`` tokens long, end token or not.
    forced_new_tokens: Callable[[list[int]], int] | None = None

    def __init__(self, tokenizer: Any, config: Any, *, settings: dict[str, Any] | None = None,
                 beams: int | None = None, prefix: str = "", max_batch_tokens: int = SUMMARY_BATCH_TOKENS):
        self.tokenizer = tokenizer
        #: Fast tokenizers refuse concurrent calls that change their padding ("Already borrowed"): a
        #: server translating for several users at once tokenizes under this lock (the model runs outside it).
        self.tokenizer_lock = threading.Lock()
        self.config = config
        self.settings = dict(settings or {})
        self.beams = int(beams or self.settings.get("num_beams") or 4)
        self.max_input_tokens = model_window(tokenizer, config)
        self.prefix = prefix
        #: Input tokens per model call (:data:`SUMMARY_BATCH_TOKENS`); a longer text gets a call of its own.
        self.max_batch_tokens = max_batch_tokens

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Model input tokens of each text, special tokens and task prefix included."""
        if not texts:
            return []
        with self.tokenizer_lock:
            encoded = self.tokenizer([self.prefix + t for t in texts], add_special_tokens=True, verbose=False)
        return [len(ids) for ids in encoded["input_ids"]]

    def decoding(self, lengths: list[int], max_new_tokens: int, min_new_tokens: int) -> Decoding:
        """How inputs of ``lengths`` tokens are summarized in ``min_new_tokens``..``max_new_tokens``
        tokens; the minimum is capped at :data:`MAX_MIN_SHARE` of the shortest input."""
        if self.forced_new_tokens is not None:
            max_new_tokens = min_new_tokens = self.forced_new_tokens(lengths)
        else:
            min_new_tokens = min(min_new_tokens, int(min(lengths, default=0) * MAX_MIN_SHARE))
        return decoding(self.settings, beams=self.beams, min_new_tokens=min_new_tokens, max_new_tokens=max_new_tokens)

    def preprocess(self, texts: list[str]) -> Any:
        """Texts -> the model's input."""
        raise NotImplementedError

    def forward(self, inputs: Any, decoding: Decoding) -> list[list[int]]:
        """The model's input -> output token ids, one list per text."""
        raise NotImplementedError

    def postprocess(self, token_ids: list[list[int]]) -> list[str]:
        """Decode to text with whitespace normalized."""
        with self.tokenizer_lock:
            texts = self.tokenizer.batch_decode(token_ids, skip_special_tokens=True)
        return [" ".join(t.split()) for t in texts]

    def summarize_batch(self, texts: list[str], max_new_tokens: int, min_new_tokens: int) -> list[str]:
        """Summarize each text, in model calls of at most :attr:`max_batch_tokens` input tokens
        (longest first, results in input order)."""
        if not texts:
            return []
        lengths = self.count_tokens(texts)
        summaries: list[str] = [""] * len(texts)
        for batch in token_budget_batches(lengths, self.max_batch_tokens):
            plan = self.decoding([lengths[i] for i in batch], max_new_tokens, min_new_tokens)
            outputs = self.postprocess(self.forward(self.preprocess([texts[i] for i in batch]), plan))
            for index, summary in zip(batch, outputs):
                summaries[index] = summary
        return summaries
