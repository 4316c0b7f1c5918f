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
from typing import Any

from ..article.segment import split_sentences
from ..backends import SummarizationBackend, load_backend
from ..backends.ct2 import ct2_device
from ..backends.describe import LazyBackend, describe_summarization
from ..backends.transformers import check_loadable
from ..options import check_brief_words
from ..store import DEFAULT_SUMMARIZER, choose_backend, converted_home, quantization_of, resolve_model
from .cache import TranslationCache, cache_identity, cached_translate
from .clauses import split_to_fit
from .translator import folder_fingerprint

#: Options recorded in ``model_info`` that change a brief, hence part of every brief's cache key.
BRIEF_CACHE_OPTIONS = ("beams", "generation", "quantization")

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


def _split_sentences(text: str) -> list[str]:
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


def brief_token_limits(words: int, window: int) -> tuple[int, int]:
    """``(max_new_tokens, min_new_tokens)`` for a brief of about ``words`` words: 0.6 to 1.5 times
    its length in tokens (:data:`TOKENS_PER_WORD`), the checkpoint's fixed ``min_length``/``max_length``
    replaced (distilbart-cnn's 56/142 tokens are the 60-word default's 51/126, near enough)."""
    max_new = max(8, min(window, math.ceil(words * TOKENS_PER_WORD * 1.5)))
    return max_new, min(max_new, math.ceil(words * TOKENS_PER_WORD * 0.6))


class Summarizer:
    """Abstractive briefs; input longer than the model's window is summarized in chunks."""

    def __init__(self, backend: SummarizationBackend, model_info: dict[str, Any] | None = None, *,
                 cache: TranslationCache | None = None, identity: list[Any] | None = None):
        self.backend = backend
        self.model_info: dict[str, Any] = dict(model_info or {})
        #: Briefs already written, by model, options, length and text (:mod:`translate.engines.cache`):
        #: a rerun of the same articles costs no model time. None: every brief goes to the model.
        self.cache = cache
        self.identity = identity or cache_identity(
            self.model_info, {key: self.model_info.get(key) for key in BRIEF_CACHE_OPTIONS})

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
        cache: bool | TranslationCache = True,
    ) -> "Summarizer | ExtractiveSummarizer":
        """Load a summarizer: ``"extractive"`` (no model), a preset, a hub id or a model folder.

        ``backend``, ``intra_threads``, ``inter_threads``, ``cache``: as for
        :meth:`translate.engines.translator.Translator.from_pretrained` (briefs share the
        translations' cache file).
        """
        if str(name_or_path) == EXTRACTIVE:
            return ExtractiveSummarizer()
        resolved = resolve_model(
            name_or_path, "summarization", allow_pickle=allow_pickle, trust_remote_code=trust_remote_code
        )
        ct2_dir = choose_backend(backend, converted_home(resolved), str(name_or_path))
        options = dict(device=device, trust_remote_code=trust_remote_code, allow_pickle=allow_pickle, beams=beams)
        if ct2_dir is not None:
            options.update(intra_threads=intra_threads, inter_threads=inter_threads)

        def load() -> Any:
            return load_backend("summarization", resolved.path, kind="transformers" if ct2_dir is None else "ctranslate2",
                                ct2_dir=ct2_dir, **options)

        described = None
        if ct2_dir is not None:  # the default path: read from the files (translate/backends/describe.py)
            check_loadable(resolved.path, trust_remote_code=trust_remote_code, allow_pickle=allow_pickle)
            described = describe_summarization(resolved.path, beams=beams)
        if described is not None:
            engine: Any = LazyBackend(load, described)
            facts = {**described, "backend": "ctranslate2", "device": ct2_device(device)}
        else:
            engine = load()
            facts = {"backend": engine.backend_name, "architecture": engine.config.model_type, "beams": engine.beams,
                     "generation": dict(sorted(engine.settings.items())), "device": engine.device}
        preset = resolved.preset
        info = {
            "id": resolved.model_id,
            "revision": resolved.revision,
            "backend": facts["backend"],
            "architecture": facts["architecture"],
            "license": preset.license if preset else None,
            "beams": facts["beams"],
            "generation": facts["generation"],
            "device": facts["device"],
        }
        if ct2_dir is not None:
            info["quantization"] = quantization_of(ct2_dir)
        identity = None
        if resolved.revision is None:  # a local folder: its files stand in for a revision
            fingerprint = folder_fingerprint(resolved.path, *([ct2_dir] if ct2_dir else []))
            identity = cache_identity({**info, "revision": fingerprint}, {k: info.get(k) for k in BRIEF_CACHE_OPTIONS})
        store = TranslationCache() if cache is True else (cache or None)
        return cls(engine, info, cache=store, identity=identity)

    def warm_up(self) -> None:
        """As :meth:`translate.engines.translator.Translator.warm_up`."""
        getattr(self.backend, "warm_up", lambda: None)()

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
        words = check_brief_words(words)
        if sentences is None:
            sentences = _split_sentences(text)
        sentences = [s.strip() for s in sentences if s.strip()]
        if not sentences:
            return ""
        if sum(_word_count(s) for s in sentences) <= words:
            return " ".join(sentences)  # already as short as the brief: nothing to condense
        # The text as the model sees it, one sentence a line, is the cache key (with the length).
        [brief] = cached_translate(self.cache, [*self.identity, "brief", words], ["\n".join(sentences)],
                                   lambda _: [self._summarize(sentences, words)])
        return brief

    def _summarize(self, sentences: list[str], words: int) -> str:
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
