"""How a checkpoint wants to be decoded, read once from its files, the same for every backend.

Real repositories keep their generation settings in different places: ``generation_config.json``
(facebook/nllb-200-*: only ``max_length 200``; facebook/bart-large-cnn: beam 4, length penalty 2.0,
no-repeat 3, ...), or only as top-level keys of ``config.json`` plus
``task_specific_params.summarization`` (sshleifer/distilbart-cnn-12-6, written before
``generation_config.json`` existed). :func:`checkpoint_settings` reads all three from the folder,
without asking a library to interpret them: ``config.json`` first, then ``generation_config.json``,
then ``task_specific_params[task]`` (as transformers' summarization pipeline applied them).

:class:`Decoding` is what one model call uses. Both backends build it with :func:`decoding` from the
same settings and translate it into their own options (:meth:`Decoding.generate_kwargs` for
transformers ``generate``, :meth:`Decoding.ct2_options` for CTranslate2 ``translate_batch``), so
the two decode a checkpoint the same way; tests/test_replicas.py checks it on every preset's replica.

Lengths are not taken from the checkpoint: its ``min_length``/``max_length`` (NLLB's 200, distilbart's
56/142) are fixed token counts made for one corpus. The caller gives ``min_new_tokens`` and
``max_new_tokens`` for each call: proportional to the input for translation
(:func:`translation_max_new_tokens`, so that no translation is cut), from the brief's word budget for
summaries (see :mod:`translate.engines.summarizer`).
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

#: Keys of config.json / generation_config.json that change how a checkpoint is decoded.
GENERATION_KEYS = (
    "num_beams", "length_penalty", "no_repeat_ngram_size", "repetition_penalty", "early_stopping",
    "forced_bos_token_id", "forced_eos_token_id", "decoder_start_token_id", "eos_token_id", "pad_token_id",
    "bos_token_id", "suppress_tokens", "begin_suppress_tokens", "bad_words_ids", "min_new_tokens",
    "min_length", "max_length",
)

#: Translation output limit: tokens per input token, plus a margin for short inputs. English under
#: NLLB's and Marian's vocabularies takes fewer tokens than the Hindi it translates (FLORES devtest:
#: 0.8x on average, 1.6x at most), so twice the input never cuts a real translation.
OUTPUT_PER_INPUT_TOKEN = 2.0
OUTPUT_MARGIN_TOKENS = 16
#: The rule above as recorded in results and cache keys.
OUTPUT_LIMIT = f"{OUTPUT_PER_INPUT_TOKEN:g} x input (rounded up to 16) + {OUTPUT_MARGIN_TOKENS}"
#: Input lengths are rounded up to a multiple of this before the limit is computed, and a batch only
#: holds sentences of one rounded length: a sentence's limit, hence its translation, never depends
#: on which other sentences share its batch (the translation cache relies on that).
LENGTH_BUCKET = 16


def read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def checkpoint_settings(model_dir: str | Path, task: str | None = None) -> dict[str, Any]:
    """The generation settings the files of ``model_dir`` ask for (see the module docstring).

    ``task``: ``"summarization"`` applies ``config.json``'s ``task_specific_params.summarization``.
    Only :data:`GENERATION_KEYS` are returned; keys the files do not set are absent.
    """
    model_dir = Path(model_dir)
    config = read_json(model_dir / "config.json")
    settings = {key: config[key] for key in GENERATION_KEYS if config.get(key) is not None}
    generation = read_json(model_dir / "generation_config.json")
    settings.update({key: generation[key] for key in GENERATION_KEYS if generation.get(key) is not None})
    if task:
        specific = (config.get("task_specific_params") or {}).get(task) or {}
        settings.update({key: specific[key] for key in GENERATION_KEYS if specific.get(key) is not None})
    return settings


@dataclass(frozen=True)
class Decoding:
    """Everything one generation call needs, backend-neutral. Beam search, never sampling."""

    beams: int
    min_new_tokens: int
    max_new_tokens: int
    length_penalty: float = 1.0
    no_repeat_ngram_size: int = 0
    repetition_penalty: float = 1.0
    early_stopping: bool = False
    forced_bos_token_id: int | None = None  # forced first generated token (NLLB's target language, BART's <s>)
    forced_eos_token_id: int | None = None  # forced last token when the length limit is reached
    suppress_tokens: tuple[int, ...] = ()
    #: Hypotheses returned per input, best first (the n-best of one beam search; at most ``beams``).
    hypotheses: int = 1

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def with_hypotheses(self, count: int) -> "Decoding":
        """The same search returning its ``count`` best hypotheses (no more than the beams)."""
        return replace(self, hypotheses=max(1, min(count, self.beams)))

    def repetition_safe(self) -> "Decoding":
        """The same search, kept out of loops: no 3-gram twice, repeated tokens penalised (1.2)."""
        return replace(self, no_repeat_ngram_size=max(3, self.no_repeat_ngram_size),
                       repetition_penalty=max(1.2, self.repetition_penalty))

    def generate_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for transformers ``generate``; the checkpoint's fixed ``min_length`` /
        ``max_length`` are dropped from the loaded model (:func:`translate.backends.transformers.take_over_length_limits`)."""
        kwargs: dict[str, Any] = {
            "num_beams": self.beams,
            "do_sample": False,
            "min_new_tokens": self.min_new_tokens,
            "max_new_tokens": self.max_new_tokens,
            "length_penalty": self.length_penalty,
            "no_repeat_ngram_size": self.no_repeat_ngram_size,
            "repetition_penalty": self.repetition_penalty,
            "early_stopping": self.early_stopping,
            "forced_bos_token_id": self.forced_bos_token_id,
            "forced_eos_token_id": self.forced_eos_token_id,
            "suppress_tokens": list(self.suppress_tokens) or None,
            "num_return_sequences": self.hypotheses,
        }
        return kwargs

    def ct2_options(self, tokenizer: Any, vocabulary: set[str] | None = None) -> dict[str, Any]:
        """Options for CTranslate2 ``translate_batch`` equal to :meth:`generate_kwargs`.

        CTranslate2 counts a target prefix (the forced first token) in its decoding lengths, as
        transformers counts it among the new tokens; where transformers *forces* the end token as
        the last of ``max_new_tokens`` (``forced_eos_token_id``), CTranslate2 stops one token
        earlier (the end token is not part of the text either way). Suppressed tokens the converted
        model does not have (Marian's ``<pad>``, which the converter drops) are left out:
        CTranslate2 refuses unknown tokens. ``early_stopping`` has no CTranslate2 option: its beam
        search stops once ``beam_size`` hypotheses have ended (``patience`` 1), which is transformers'
        ``early_stopping=True`` (the BART checkpoints' setting); for checkpoints without it (NLLB,
        Marian, IndicTrans2) transformers may search a few steps longer, the one difference left.
        """
        prefix = self.target_prefix(tokenizer)
        max_length = max(1, self.max_new_tokens - (1 if self.forced_eos_token_id is not None else 0))
        min_length = max(self.min_new_tokens, len(prefix or []))
        options: dict[str, Any] = {
            "beam_size": self.beams,
            "max_decoding_length": max_length,
            "min_decoding_length": min(min_length, max_length),
            "length_penalty": float(self.length_penalty),
            "repetition_penalty": float(self.repetition_penalty),
            "no_repeat_ngram_size": int(self.no_repeat_ngram_size),
            "max_input_length": 0,  # never truncate: the Translator and Summarizer split long input
            "num_hypotheses": self.hypotheses,
            "return_scores": True,  # the mean token log-probability, as transformers' sequences_scores
        }
        if self.suppress_tokens:
            tokens = [[token] for token in tokenizer.convert_ids_to_tokens(list(self.suppress_tokens))]
            if vocabulary is not None:
                tokens = [sequence for sequence in tokens if set(sequence) <= vocabulary]
            if tokens:
                options["suppress_sequences"] = tokens
        return options

    def target_prefix(self, tokenizer: Any) -> list[str] | None:
        """The forced first token as a CTranslate2 target prefix, or None."""
        if self.forced_bos_token_id is None:
            return None
        return [tokenizer.convert_ids_to_tokens(self.forced_bos_token_id)]


def decoding(settings: dict[str, Any], *, beams: int | None, min_new_tokens: int, max_new_tokens: int,
             forced_bos_token_id: int | None = None) -> Decoding:
    """The :class:`Decoding` of one call: the checkpoint's ``settings`` (:func:`checkpoint_settings`),
    the caller's lengths and beam size (None: the checkpoint's ``num_beams``, else 4), and the forced
    first token the language handling needs (overrides the checkpoint's)."""
    suppress = list(settings.get("suppress_tokens") or [])
    suppress += [ids[0] for ids in settings.get("bad_words_ids") or [] if len(ids) == 1]
    forced_bos = forced_bos_token_id if forced_bos_token_id is not None else settings.get("forced_bos_token_id")
    return Decoding(
        beams=int(beams or settings.get("num_beams") or 4),
        # The checkpoint's own min_new_tokens (a floor, unlike its corpus-specific min_length) stays.
        min_new_tokens=max(0, min(max(min_new_tokens, int(settings.get("min_new_tokens") or 0)), max_new_tokens)),
        max_new_tokens=max(1, max_new_tokens),
        length_penalty=float(settings.get("length_penalty", 1.0)),
        no_repeat_ngram_size=int(settings.get("no_repeat_ngram_size") or 0),
        repetition_penalty=float(settings.get("repetition_penalty") or 1.0),
        early_stopping=bool(settings.get("early_stopping") or False),
        forced_bos_token_id=forced_bos,
        forced_eos_token_id=settings.get("forced_eos_token_id"),
        suppress_tokens=tuple(sorted(set(suppress))),
    )


def length_bucket(tokens: int) -> int:
    """``tokens`` rounded up to a multiple of :data:`LENGTH_BUCKET`."""
    return max(LENGTH_BUCKET, math.ceil(tokens / LENGTH_BUCKET) * LENGTH_BUCKET)


def translation_max_new_tokens(input_tokens: int, ceiling: int) -> int:
    """The output limit of a translation of ``input_tokens`` tokens: proportional to its length
    bucket (see :data:`OUTPUT_PER_INPUT_TOKEN`), at most ``ceiling`` (the decoder's positions)."""
    return min(ceiling, math.ceil(length_bucket(input_tokens) * OUTPUT_PER_INPUT_TOKEN) + OUTPUT_MARGIN_TOKENS)


def max_batch_sentences(vocabulary_size: int, beams: int, budget_bytes: int = 256 * 1024 * 1024) -> int:
    """Sentences per batch so that one decoding step's scores (sentences x beams x vocabulary, in
    float32) stay within ``budget_bytes``: NLLB's 256,206-word vocabulary with beam 4 allows 65, where
    a token budget alone would put hundreds of short sentences together (gigabytes of scores)."""
    return max(1, budget_bytes // (4 * max(1, beams) * max(1, vocabulary_size)))


#: Memory for one batch's decoder state: the keys and values beam search keeps for every hypothesis,
#: layer and token. 384 MiB holds NLLB-600M's state for 512 padded source tokens at beam 4 (the ten
#: 44-token sentences of a typical article still go together); batches of 10, 15 or 30 such sentences
#: translate at the same speed, while 30 at once took 1.3 GB (bench/README.md, "Memory").
DECODER_STATE_BUDGET = 384 * 1024 * 1024


def decoder_state_bytes(config: Any) -> int:
    """Bytes of decoder state per hypothesis and source token: keys and values (2) of each decoder
    layer's self- and cross-attention (2) in float32, taking the output as long as its source."""
    layers = next((v for k in ("decoder_layers", "num_decoder_layers", "num_hidden_layers")
                   if isinstance(v := getattr(config, k, None), int)), 6)
    width = next((v for k in ("d_model", "decoder_embed_dim", "hidden_size")
                  if isinstance(v := getattr(config, k, None), int)), 512)
    return 2 * 2 * layers * width * 4


def max_state_tokens(config: Any, beams: int, budget_bytes: int = DECODER_STATE_BUDGET) -> int:
    """Padded source tokens per batch whose decoder state stays within ``budget_bytes``."""
    return max(1, budget_bytes // (max(1, beams) * decoder_state_bytes(config)))
