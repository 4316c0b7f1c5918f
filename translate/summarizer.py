"""English briefs: an abstractive :class:`Summarizer` (BART, Pegasus, T5) or the model-free
:class:`ExtractiveSummarizer`.

    from translate import Summarizer
    Summarizer.from_pretrained("distilbart-cnn").summarize(english_text, words=60)
    Summarizer.from_pretrained("extractive").summarize(english_text, sentences=english_sentences)

Both return a brief of about ``words`` words made of whole sentences. How a brief is ended
(:func:`trim_to_words`): whole sentences are kept while they fit the word budget (the first one
always, unless it alone is over twice the budget); a model output with no complete sentence, such
as the word salad of a random-weight test model, is cut at a word boundary and marked with ``…``
rather than given a period it does not have.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Protocol

from .errors import UsageError
from .generation import Decoding, decoding, read_json
from .registry import DEFAULT_SUMMARIZER, resolve_model
from .translator import TransformersModel, model_window, split_to_fit

EXTRACTIVE = "extractive"
ELLIPSIS = "…"
#: What ends a complete English sentence (closing quotes and brackets may follow).
_SENTENCE_END = re.compile(r"[.!?…।][\"'”’)\]]*$")
_WORD = re.compile(r"\w+")
#: Tokens per English word for BPE tokenizers (BART averages about 1.3); used to ask the model
#: for roughly the right length.
TOKENS_PER_WORD = 1.4
#: Summarize the chunk summaries again at most this many times (each round shrinks the text).
MAX_ROUNDS = 4
#: A summary's minimum length is at most this share of its input's tokens: a checkpoint's or a
#: brief's minimum must not force a model to write more than the text it condenses can support.
MAX_MIN_SHARE = 0.5


def _split_sentences(text: str) -> list[str]:
    from .segment import split_sentences

    return split_sentences(text)


def _word_count(text: str) -> int:
    return len(text.split())


def trim_to_words(summary: str, words: int) -> str:
    """End ``summary`` at a sentence end near ``words`` words.

    Keeps complete sentences (ending in ``.`` ``!`` ``?`` ``…`` ``।``) while the total stays within
    ``words``, the first one always unless it alone is over ``2 * words``; an unfinished last
    sentence is dropped. When no complete sentence can be kept (no terminator at all, or a first
    sentence far too long), keeps the first ``words`` words and ends with ``…`` to show the cut,
    never an invented period.
    """
    kept: list[str] = []
    total = 0
    for sentence in _split_sentences(" ".join(summary.split())):
        count = _word_count(sentence)
        if not _SENTENCE_END.search(sentence) or (kept and total + count > words) or count > 2 * words:
            break
        kept.append(sentence)
        total += count
    if kept:
        return " ".join(kept)
    tokens = summary.split()
    return " ".join(tokens[:words]).rstrip(",;:") + ELLIPSIS if tokens else ""


class ExtractiveSummarizer:
    """Picks the most central sentences, verbatim, in source order. Needs no model.

    Centrality is the cosine between a sentence's TF-IDF vector and the whole text's; ties go to
    the earlier sentence. Hand-written (a dozen lines) because scikit-learn is not a dependency.
    """

    def __init__(self) -> None:
        self.model_info = {"id": EXTRACTIVE, "revision": None, "backend": "extractive", "architecture": EXTRACTIVE}

    def summarize(self, text: str, words: int = 60, sentences: list[str] | None = None) -> str:
        """A brief of about ``words`` words made of whole sentences of ``text`` (or ``sentences``)."""
        if sentences is None:
            sentences = _split_sentences(text)
        sentences = [s.strip() for s in sentences if s.strip()]
        if not sentences:
            return ""
        scores = centrality(sentences)
        ranked = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))
        chosen: list[int] = []
        total = 0
        for index in ranked:
            count = _word_count(sentences[index])
            if chosen and total + count > words:
                continue  # a shorter, less central sentence may still fit
            chosen.append(index)
            total += count
        return " ".join(sentences[i] for i in sorted(chosen))


def centrality(sentences: list[str]) -> list[float]:
    """Cosine similarity of each sentence's TF-IDF vector to the document's (sum of all)."""
    bags = [Counter(w.lower() for w in _WORD.findall(s)) for s in sentences]
    n = len(bags)
    document_frequency = Counter(word for bag in bags for word in bag)
    idf = {word: math.log((1 + n) / (1 + df)) + 1 for word, df in document_frequency.items()}
    vectors = [{w: tf * idf[w] for w, tf in bag.items()} for bag in bags]
    document: Counter[str] = Counter()
    for vector in vectors:
        document.update(vector)
    doc_norm = math.sqrt(sum(v * v for v in document.values())) or 1.0
    scores = []
    for vector in vectors:
        norm = math.sqrt(sum(v * v for v in vector.values()))
        dot = sum(value * document[w] for w, value in vector.items())
        scores.append(dot / (norm * doc_norm) if norm else 0.0)
    return scores


class SummarizationBackend(Protocol):
    """What a :class:`Summarizer` needs from an engine."""

    max_input_tokens: int

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Model input tokens of each text, special tokens included."""

    def summarize_batch(self, texts: list[str], max_new_tokens: int, min_new_tokens: int) -> list[str]:
        """One summary per text (each text fits the window)."""


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


class Seq2SeqSummarizationBackend:
    """What every summarization backend shares: tokenizer conventions, window, decoding.

    Decoding follows the checkpoint's settings (``settings``: its ``task_specific_params.summarization``,
    ``generation_config.json`` and ``config.json`` keys, see :mod:`translate.generation`): beam size,
    length penalty, n-gram blocking, forced tokens; lengths come from the caller. Subclasses run the
    model: ``preprocess(texts)`` -> model input, ``forward(inputs, decoding)`` -> output token ids.
    """

    backend_name = "seq2seq"
    #: For benchmarks with random weights (bench/speed.py): when set, every summary is exactly
    #: ``forced_new_tokens(input lengths)`` tokens long, end token or not.
    forced_new_tokens: Callable[[list[int]], int] | None = None

    def __init__(self, tokenizer: Any, config: Any, *, settings: dict[str, Any] | None = None,
                 beams: int | None = None, prefix: str = ""):
        self.tokenizer = tokenizer
        self.config = config
        self.settings = dict(settings or {})
        self.beams = int(beams or self.settings.get("num_beams") or 4)
        self.max_input_tokens = model_window(tokenizer, config)
        self.prefix = prefix

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Model input tokens of each text, special tokens and task prefix included."""
        if not texts:
            return []
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
        return [" ".join(t.split()) for t in self.tokenizer.batch_decode(token_ids, skip_special_tokens=True)]

    def summarize_batch(self, texts: list[str], max_new_tokens: int, min_new_tokens: int) -> list[str]:
        """Summarize each text (one model call for all ``texts``)."""
        if not texts:
            return []
        plan = self.decoding(self.count_tokens(texts), max_new_tokens, min_new_tokens)
        return self.postprocess(self.forward(self.preprocess(texts), plan))


class TransformersSummarizationBackend(TransformersModel, Seq2SeqSummarizationBackend):
    """Runs a transformers summarization checkpoint with torch: preprocess -> forward -> postprocess."""

    task = "summarization"

    @classmethod
    def from_pretrained(cls, resolved: Any, **options: Any):
        """Load ``resolved`` with the checkpoint's input prefix (see :func:`input_prefix`)."""
        from .translator import load_config

        config = load_config(resolved, trust_remote_code=options.get("trust_remote_code", False))
        return super().from_pretrained(resolved, prefix=input_prefix(resolved.path, config), **options)

    def preprocess(self, texts: list[str]) -> Any:
        """Tokenize into padded tensors on the model's device (never truncates)."""
        inputs = self.tokenizer(
            [self.prefix + t for t in texts], padding=True, truncation=False, return_tensors="pt"
        )
        return inputs.to(self.model.device)

    def forward(self, inputs: Any, decoding: Decoding) -> list[list[int]]:
        """Beam search without sampling (deterministic); returns the output token ids."""
        return self.generate(inputs, decoding)


def brief_token_limits(words: int, window: int) -> tuple[int, int]:
    """``(max_new_tokens, min_new_tokens)`` for a brief of about ``words`` words: 0.6 to 1.5 times
    its length in tokens (:data:`TOKENS_PER_WORD`), the checkpoint's fixed ``min_length``/``max_length``
    replaced (distilbart-cnn's 56/142 tokens are the 60-word default's 51/126, near enough)."""
    max_new = max(8, min(window, math.ceil(words * TOKENS_PER_WORD * 1.5)))
    return max_new, min(max_new, math.ceil(words * TOKENS_PER_WORD * 0.6))


class Summarizer:
    """Abstractive briefs; input longer than the model's window is summarized in chunks."""

    def __init__(self, backend: SummarizationBackend, model_info: dict[str, Any] | None = None):
        self.backend = backend
        self.model_info: dict[str, Any] = dict(model_info or {})

    @classmethod
    def from_pretrained(
        cls,
        name_or_path: str | Path = DEFAULT_SUMMARIZER,
        *,
        device: str = "auto",
        beams: int | None = None,
        trust_remote_code: bool = False,
        allow_pickle: bool = False,
        backend: str = "auto",
        intra_threads: int | None = None,
        inter_threads: int = 1,
    ) -> "Summarizer | ExtractiveSummarizer":
        """Load a summarizer: ``"extractive"`` (no model), a preset, a hub id or a model folder.

        ``backend``, ``intra_threads``, ``inter_threads``: as for
        :meth:`translate.translator.Translator.from_pretrained`.
        """
        if str(name_or_path) == EXTRACTIVE:
            return ExtractiveSummarizer()
        from .ct2 import choose_backend, converted_home, quantization_of

        resolved = resolve_model(
            name_or_path, "summarization", allow_pickle=allow_pickle, trust_remote_code=trust_remote_code
        )
        ct2_dir = choose_backend(backend, converted_home(resolved), str(name_or_path))
        options = dict(device=device, trust_remote_code=trust_remote_code, allow_pickle=allow_pickle, beams=beams)
        engine: Seq2SeqSummarizationBackend
        if ct2_dir is None:
            engine = TransformersSummarizationBackend.from_pretrained(resolved, **options)
        else:
            from .ct2 import CT2SummarizationBackend

            engine = CT2SummarizationBackend.from_pretrained(
                resolved, ct2_dir, intra_threads=intra_threads, inter_threads=inter_threads, **options
            )
        preset = resolved.preset
        info = {
            "id": resolved.model_id,
            "revision": resolved.revision,
            "backend": engine.backend_name,
            "architecture": engine.config.model_type,
            "license": preset.license if preset else None,
            "beams": engine.beams,
            "generation": dict(sorted(engine.settings.items())),
            "device": engine.device,
        }
        if ct2_dir is not None:
            info["quantization"] = quantization_of(ct2_dir)
        return cls(engine, info)

    def chunks(self, sentences: list[str]) -> list[str]:
        """Group consecutive sentences into texts that fit the model's window.

        A sentence longer than the window on its own is cut at clause boundaries first.
        """
        window = self.backend.max_input_tokens

        def fits(text: str) -> bool:
            return self.backend.count_tokens([text])[0] <= window

        pieces = [piece for sentence in sentences for piece in split_to_fit(sentence, fits)]
        chunks: list[str] = []
        current = ""
        for piece in pieces:
            candidate = f"{current} {piece}" if current else piece
            if current and not fits(candidate):
                chunks.append(current)
                current = piece
            else:
                current = candidate
        if current:
            chunks.append(current)
        return chunks

    def _generate(self, texts: list[str], words: int) -> list[str]:
        max_new, min_new = brief_token_limits(words, self.backend.max_input_tokens)
        return self.backend.summarize_batch(texts, max_new_tokens=max_new, min_new_tokens=min_new)

    def summarize(self, text: str, words: int = 60, sentences: list[str] | None = None) -> str:
        """A brief of about ``words`` words, ending at a sentence end (see :func:`trim_to_words`).

        Text longer than the window is split into sentence-aligned chunks; each chunk is
        summarized and the joined chunk summaries are summarized again until one chunk remains.
        ``sentences``, when given, are the text's sentences (saves splitting it again).
        """
        if words < 1:
            raise UsageError(f"brief length must be at least 1 word, not {words}")
        if sentences is None:
            sentences = _split_sentences(text)
        sentences = [s.strip() for s in sentences if s.strip()]
        if not sentences:
            return ""
        if sum(_word_count(s) for s in sentences) <= words:
            return " ".join(sentences)  # already as short as the brief: nothing to condense
        chunks = self.chunks(sentences)
        for _ in range(MAX_ROUNDS):
            if len(chunks) == 1:
                break
            summaries = self._generate(chunks, words)
            regrouped = self.chunks([s for summary in summaries for s in _split_sentences(summary)])
            shrinking = len(regrouped) < len(chunks)
            chunks = regrouped
            if not shrinking:  # a degenerate model; keep its chunk summaries as they are
                break
        summary = self._generate(chunks, words)[0] if len(chunks) == 1 else " ".join(chunks)
        return trim_to_words(summary, words)
