"""The one pipeline behind the CLI, the Python API and the web page.

    article  --preprocess-->  Article (loaded, cleaned, split; see translate.article)
             --translate--->  English sentences (protected spans, glossary; one batched model call
                              for all the sentences of all the articles given together)
             --postprocess->  Result (brief in the chosen mode, checks, timings)

Engines are injected: ``Pipeline(translator=..., summarizer=...)`` takes any object with
``translate(list[str]) -> list[str]`` and ``summarize(text, words=60, sentences=None) -> str``
(and optionally a ``model_info`` dict), so the logic around the models is testable with
deterministic stubs; ``Pipeline.from_pretrained`` builds the real ones.
"""

from __future__ import annotations

import hashlib
import json
import queue
import threading
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Protocol, Sequence

from .article import INPUT_SUFFIXES, Article, ensure_hindi, is_url, load_article, parse_article, split_sentences
from .faithful.brief import brief_sources, guard_brief
from .faithful.checks import check_brief, check_english, check_segment
from .faithful.glossary import Glossary
from .faithful.healing import confidence, heal, serious
from .faithful.names import article_names, check_names, harmonize_names, names_seen_missing
from .faithful.protect import ProtectedText, Protector
from .faithful.warnings import Warning, warning
from .options import DEFAULT_BRIEF_WORDS, PipelineOptions, check_brief_words


class TranslationEngine(Protocol):
    def translate(self, sentences: list[str]) -> list[str]: ...


class SummarizationEngine(Protocol):
    def summarize(self, text: str, words: int = DEFAULT_BRIEF_WORDS, sentences: list[str] | None = None) -> str: ...


@dataclass
class Segment:
    """One Hindi sentence and its English; ``block`` is its block in ``Article.blocks``. Reads like
    the dict it is written as (``segment["en"]``)."""

    block: int
    hi: str
    en: str
    #: The model's confidence in ``en``, 0-1: the exponential of its mean token log-probability
    #: (None where the engine gives no score, as stub engines).
    confidence: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"block": self.block, "hi": self.hi, "en": self.en, "confidence": self.confidence}

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)


@dataclass
class Result:
    """One translated article. ``to_dict()`` is the JSON written by ``hindi-brief run``."""

    title: str
    translation: list[dict[str, str]]
    segments: list[Segment]
    brief: str
    metadata: dict[str, Any]
    warnings: list[Warning]
    models: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)
    title_hi: str = ""
    brief_mode: str = "guarded"
    removed: list[dict[str, str]] = field(default_factory=list)
    #: Per sentence of the brief, the positions in ``segments`` of the sentences that support it.
    brief_sources: list[list[int]] = field(default_factory=list)
    #: Sentences translated again because their translation failed a serious check: what was tried.
    repairs: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Segments and warnings given as plain data (a result read back from its JSON) become records.
        self.segments = [s if isinstance(s, Segment) else Segment(**s) for s in self.segments]
        self.warnings = [w if isinstance(w, Warning) else Warning(**w) for w in self.warnings]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Result":
        """A result from :meth:`to_dict`'s plain data (the JSON ``hindi-brief run`` writes)."""
        fields = cls.__dataclass_fields__
        return cls(**{key: value for key, value in data.items() if key in fields})

    @property
    def headline(self) -> str:
        """What to call the article: the translated title, else the first subheading, else the
        lede's first sentence; "" only for an empty result (never "Untitled article")."""
        if self.title.strip():
            return self.title.strip()
        for block in self.translation:
            if block.get("kind") == "heading" and block.get("text", "").strip():
                return block["text"].strip()
        for block in self.translation:
            if block.get("text", "").strip():
                sentences = split_sentences(block["text"])
                return (sentences[0] if sentences else block["text"]).strip()
        return ""

    @property
    def translation_text(self) -> str:
        """The English body, blocks separated by blank lines."""
        return "\n\n".join(block["text"] for block in self.translation)

    def to_dict(self, *, timings: bool = True) -> dict[str, Any]:
        """Plain data. ``timings=False`` gives a reproducible record (same input, same output)."""
        data = asdict(self)
        if not timings:
            data.pop("timings")
        return data

    def to_json(self, *, timings: bool = True) -> str:
        return json.dumps(self.to_dict(timings=timings), ensure_ascii=False, indent=2) + "\n"

    def warning_location(self, warning: Warning) -> str:
        """Where a warning points, for a reader: ``sentence 3 ("first words of the Hindi…"): `` or
        ``the headline: ``."""
        index = warning.segment
        if index is None and warning.detail.get("in") == "title":
            return "the headline: "
        if index is None or not 0 <= index < len(self.segments):
            return ""
        hindi = self.segments[index].hi
        shown = hindi if len(hindi) <= 40 else hindi[:40].rstrip() + "…"
        return f'sentence {index + 1} ("{shown}"): '

    def least_confident(self) -> set[int]:
        """Positions of the sentences a reader should check first: the lowest tenth of the article's
        confidences (at least one), among those under :data:`DOUBTFUL_CONFIDENCE`."""
        scored = sorted((s.confidence, i) for i, s in enumerate(self.segments) if s.confidence is not None)
        if not scored:
            return set()
        count = max(1, len(scored) // 10)
        return {i for value, i in scored[:count] if value < DOUBTFUL_CONFIDENCE}

    def cited_brief(self) -> list[tuple[str, list[int]]]:
        """Each sentence of the brief with the indexes of the translation sentences supporting it
        (:attr:`brief_sources`; none for a result made before those were kept)."""
        sentences = split_sentences(self.brief) if self.brief.strip() else []
        return [(sentence, list(self.brief_sources[i]) if i < len(self.brief_sources) else [])
                for i, sentence in enumerate(sentences)]

    def blocks_marked(self, doubtful: set[int], *, numbered: bool = False) -> list[str]:
        """Each block's text rebuilt from its segments, the ``doubtful`` ones followed by ``[?]``; with
        ``numbered``, every sentence followed by its number, ``[s3]`` (``[s3?]`` where doubtful), the
        numbers the brief's citations use."""
        parts: list[list[str]] = [[] for _ in self.translation]
        for index, segment in enumerate(self.segments):
            if segment.en and 0 <= segment.block < len(parts):
                mark = "?" if index in doubtful else ""
                parts[segment.block].append(segment.en + (f" [s{index + 1}{mark}]" if numbered else
                                                          " [?]" if mark else ""))
        return [" ".join(found) if found else block["text"] for block, found in zip(self.translation, parts)]

    def brief_cited(self) -> str:
        """The brief, each sentence followed by the sentences supporting it, ``[s3, s7]`` (the plain
        brief when no sources were kept)."""
        if not self.brief_sources:
            return self.brief
        return " ".join(sentence + (f" [{', '.join(f's{i + 1}' for i in sources)}]" if sources else "")
                        for sentence, sources in self.cited_brief())


#: The title's place among the sentences given to :func:`heal` (its repair record has segment None).
TITLE = -1

#: Confidence under which a sentence of an article's lowest tenth is marked for checking.
DOUBTFUL_CONFIDENCE = 0.5


@dataclass
class Prepared:
    """An article between the stages (:meth:`Pipeline.preprocess` -> :meth:`Pipeline.translate_prepared`):
    cleaned and split, its title (first) and sentences ready for the model."""

    article: Article
    items: list[ProtectedText]
    started: float
    timings: dict[str, float]

    @property
    def sentence_count(self) -> int:
        return len(self.items) - 1


@dataclass(frozen=True)
class SentenceDone:
    """A sentence (``segment``; None for the headline) of article ``article`` back from the model and
    checked: its Hindi, English, confidence and warnings; ``done`` of ``total`` sentences so far."""

    article: int
    segment: int | None
    hi: str
    en: str
    confidence: float | None
    warnings: list[Warning]
    done: int
    total: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class StageStarted:
    """A stage after translation begins for article ``article``: ``"healing"`` or ``"brief"``."""

    article: int
    stage: str


OnEvent = Callable[[SentenceDone | StageStarted], None]


class _Stopped(Exception):
    """Raised in the worker of :meth:`Pipeline.stream_prepared` once its consumer has stopped."""


class _Checks:
    """The checks of one article's sentences (and headline), against the article's names."""

    def __init__(self, pipeline: "Pipeline", prepared: Prepared):
        self.pipeline, self.prepared = pipeline, prepared
        self.pairs = [(block_index, hi) for block_index, hi in prepared.article.sentences()]
        self.known = article_names([hi for _, hi in self.pairs], pipeline.glossary)

    def evaluate(self, index: int, raw: str) -> tuple[str, list[Warning]]:
        """The English of model output ``raw`` for sentence ``index`` (:data:`TITLE` for the headline),
        with its warnings: numbers made ASCII and repaired, then the sentence and name checks."""
        glossary, protector = self.pipeline.glossary, self.pipeline.protector
        if index == TITLE:
            title = self.prepared.items[0]
            text = protector.finish(title, raw) if title.text.strip() else ""
            hi = self.prepared.article.title
            found = [*title.repairs, *check_segment(None, hi, text, glossary),
                     *check_names(None, hi, text, glossary, self.known)]
            return text, [replace(w, detail={**w.detail, "in": "title"}) for w in found]
        item = self.prepared.items[index + 1]
        text = protector.finish(item, raw, segment=index) if item.text.strip() else ""
        hi = self.pairs[index][1]
        return text, [*item.repairs, *check_segment(index, hi, text, glossary),
                      *check_names(index, hi, text, glossary, self.known)]


def _lead(prepared: Prepared) -> set[int]:
    """The items (0: the headline) a reader sees first: the headline and the first block's sentences."""
    pairs = prepared.article.sentences()
    if not pairs:
        return {0}
    first = pairs[0][0]
    return {0} | {index + 1 for index, (block, _) in enumerate(pairs) if block == first}


class Pipeline:
    """Hindi article -> :class:`Result`. Models load once; call it on as many articles as you like."""

    def __init__(
        self,
        translator: TranslationEngine,
        summarizer: SummarizationEngine,
        *,
        glossary: Glossary | str | Path | None = None,
        brief_words: int = DEFAULT_BRIEF_WORDS,
        brief_mode: str = "guarded",
        extractive: SummarizationEngine | None = None,
        min_confidence: float | None = None,
    ):
        options = PipelineOptions(brief_words=brief_words, brief_mode=brief_mode, min_confidence=min_confidence)
        self.min_confidence = options.min_confidence
        self.translator = translator
        self.summarizer = summarizer
        self.glossary = glossary if isinstance(glossary, Glossary) or glossary is None else Glossary.load(glossary)
        if self.glossary is None:
            self.glossary = Glossary.load(None)
        self.protector = Protector(self.glossary)
        self.brief_words = options.brief_words
        # An extractive summarizer writes an extractive brief, whatever the mode: there is no model
        # text to guard, and its sentences must stay verbatim.
        if getattr(summarizer, "model_info", {}).get("backend") == "extractive":
            brief_mode, extractive = "extractive", extractive or summarizer
        self.brief_mode = brief_mode
        if extractive is None and brief_mode == "extractive":
            from .engines.summarizer import Summarizer

            extractive = Summarizer.from_pretrained("extractive")
        self.extractive = extractive

    @classmethod
    def from_options(cls, options: PipelineOptions) -> "Pipeline":
        """Load both models of ``options`` (preset names, hub ids or local folders) once."""
        from .engines.summarizer import Summarizer
        from .engines.translator import Translator

        glossary = Glossary.load(options.glossary)  # a malformed glossary fails before any model loads
        common = dict(device=options.device, beams=options.beams, trust_remote_code=options.trust_remote_code,
                      allow_pickle=options.allow_pickle, backend=options.backend, intra_threads=options.threads)
        engine = Translator.from_pretrained(options.translator, **common, cache=options.cache,
                                            vocabulary="full" if options.full_vocabulary else "auto",
                                            **options.translator_options)
        summarizer = "extractive" if options.brief_mode == "extractive" else options.summarizer
        brief_engine = (Summarizer.from_pretrained(summarizer) if summarizer == "extractive"
                        else Summarizer.from_pretrained(summarizer, **common, cache=options.cache))
        return cls(engine, brief_engine, glossary=glossary, brief_words=options.brief_words,
                   brief_mode=options.brief_mode, min_confidence=options.min_confidence)

    @classmethod
    def from_pretrained(
        cls,
        translator: str | None = None,
        summarizer: str | None = None,
        *,
        glossary: Glossary | str | Path | None = None,
        cache: bool = True,
        **options: Any,
    ) -> "Pipeline":
        """Load both models (preset name, hub id or local folder) once: the keywords are
        :class:`~translate.options.PipelineOptions`' (device, beams, brief_words, brief_mode,
        backend, threads, trust_remote_code, allow_pickle, ...); others (e.g. ``max_batch_tokens``)
        go to :meth:`translate.engines.translator.Translator.from_pretrained`."""
        known = set(PipelineOptions.__dataclass_fields__)
        chosen = {"translator": translator, "summarizer": summarizer}
        settings = PipelineOptions(**{k: v for k, v in chosen.items() if v}, cache=cache,
                                   glossary=None if isinstance(glossary, Glossary) else glossary,
                                   **{k: v for k, v in options.items() if k in known},
                                   translator_options={k: v for k, v in options.items() if k not in known})
        pipeline = cls.from_options(settings)
        if isinstance(glossary, Glossary):
            pipeline.glossary = glossary
            pipeline.protector = Protector(glossary)
        return pipeline

    def warm_up(self) -> "Pipeline":
        """Load now what the engines would load on first use (models a cache hit never needs)."""
        for engine in (self.translator, self.summarizer):
            getattr(engine, "warm_up", lambda: None)()
        return self

    # -- public API ---------------------------------------------------------------------------

    def __call__(self, item: Article | str | Path, *, brief_words: int | None = None) -> Result:
        """Translate one article: an :class:`Article`, a path, a web address (http or https: fetched
        with :func:`translate.article.url.load_url`, public addresses only), or the article's text."""
        return self.run_many([item], brief_words=brief_words)[0]

    def run_many(self, items: Iterable[Article | str | Path], *, brief_words: int | None = None) -> list[Result]:
        """Translate several articles; their sentences share the model's batches.

        Raises the first article's error (InputError for bad input); the batch runner calls
        :meth:`preprocess` per article itself so that one bad file doesn't stop the others.
        """
        prepared = [self.preprocess(item) for item in items]
        return self.translate_prepared(prepared, brief_words=brief_words)

    # -- stages -------------------------------------------------------------------------------

    def preprocess(self, item: Article | str | Path) -> Prepared:
        """Load, clean and split one article; prepare its sentences for the model."""
        started = time.perf_counter()
        article = self._to_article(item)
        ensure_hindi(article)
        texts = [article.title] + [sentence for _, sentence in article.sentences()]
        items = [self.protector.prepare(text) for text in texts]
        return Prepared(article, items, started, {"clean": time.perf_counter() - started})

    def translate_prepared(self, prepared: Sequence[Prepared], *, brief_words: int | None = None,
                           on_event: OnEvent | None = None, lead_first: bool = False) -> list[Result]:
        """One model call for the sentences of every prepared article, then each article's result.

        ``on_event``: called with a :class:`SentenceDone` as each sentence (and headline) comes back
        from the model, checked, and with a :class:`StageStarted` as each later stage begins, so that a
        caller can show progress (it may raise to stop the work, as :meth:`stream` does). What is
        translated, and every output, is the same with or without it. ``lead_first``: translate each
        article's headline and first paragraph in a model call of their own first (what a reader sees
        first comes first; :meth:`stream` asks for it)."""
        check_brief_words(brief_words if brief_words is not None else self.brief_words)
        started = time.perf_counter()
        checks = [_Checks(self, p) for p in prepared]
        owners = [(article, item) for article, p in enumerate(prepared) for item in range(len(p.items))]
        model_input = [prepared[a].items[i].text for a, i in owners]
        checked: list[tuple[str, list[Warning], float | None] | None] = [None] * len(owners)
        total = sum(p.sentence_count for p in prepared)
        done = [0]

        def finished(found: list[tuple[int, tuple[str, float | None]]]) -> None:
            for position, (raw, score) in found:
                article, item = owners[position]
                text, warnings = checks[article].evaluate(TITLE if item == 0 else item - 1, raw)
                checked[position] = (text, warnings, score)
                if on_event is not None:
                    done[0] += item > 0
                    hi = prepared[article].article.title if item == 0 else checks[article].pairs[item - 1][1]
                    on_event(SentenceDone(article, None if item == 0 else item - 1, hi, text, confidence(score),
                                          warnings, done[0], total))

        groups = [list(range(len(owners)))]
        if lead_first:  # the headline and first sentence alone (on screen soonest), the lead's rest, the others
            leads = [_lead(p) for p in prepared]
            lead = {position for position, (article, item) in enumerate(owners) if item in leads[article]}
            first = {position for position in lead if owners[position][1] <= 1}
            groups = [sorted(first), sorted(lead - first),
                      [position for position in range(len(owners)) if position not in lead]]
            groups = [group for group in groups if group]
        for group in groups:
            self._translate_items([model_input[k] for k in group],
                                  lambda found, group=group: finished([(group[k], pair) for k, pair in found]))
        translate_seconds = time.perf_counter() - started
        results, offset = [], 0
        for article, p in enumerate(prepared):
            p.timings["translate"] = translate_seconds * len(p.items) / max(1, len(model_input))
            ours = checked[offset:offset + len(p.items)]
            offset += len(p.items)
            results.append(self._finish(p, checks[article], ours, brief_words=brief_words, on_event=on_event,
                                        article=article))
        return results

    def stream(self, item: Article | str | Path, *, brief_words: int | None = None) -> Iterator[SentenceDone | Result]:
        """Translate one article, yielding each sentence as it is done (:class:`SentenceDone`: the
        headline and first paragraph first, then the others as the model's batches end; then a
        :class:`StageStarted` for the self-healing and the brief), and last the :class:`Result`, the
        same as ``pipe(item)`` gives. A sentence's English may still change before the result: a
        sentence translated again, or a name made consistent across the article. Stopping the
        iteration stops the work at the next batch."""
        for event in self.stream_prepared([self.preprocess(item)], brief_words=brief_words):
            yield event[0] if isinstance(event, list) else event

    def stream_prepared(self, prepared: Sequence[Prepared], *,
                        brief_words: int | None = None) -> Iterator[SentenceDone | StageStarted | list[Result]]:
        """:meth:`stream` for several prepared articles: the events, then the list of results."""
        events: queue.Queue = queue.Queue()
        stop = threading.Event()

        def emit(event: SentenceDone | StageStarted) -> None:
            if stop.is_set():
                raise _Stopped
            events.put(("event", event))

        def work() -> None:
            try:
                events.put(("results", self.translate_prepared(prepared, brief_words=brief_words, on_event=emit,
                                                               lead_first=True)))
            except _Stopped:
                events.put(("stopped", None))
            except BaseException as exc:  # noqa: BLE001 - handed to the consumer's thread
                events.put(("error", exc))

        worker = threading.Thread(target=work, name="hindi-brief-stream", daemon=True)
        worker.start()
        try:
            while True:
                kind, value = events.get()
                if kind == "event":
                    yield value
                elif kind == "results":
                    yield value
                    return
                elif kind == "error":
                    raise value
                else:
                    return
        finally:
            stop.set()

    def _translate_items(self, texts: list[str], on_done: Callable[[list[tuple[int, tuple[str, float | None]]]], None]) -> None:
        """The model's output for ``texts`` (blank ones give ``""``), reported through ``on_done`` as it
        comes: by batch where the engine can tell (``translate_scored(..., on_done=...)``), else at once."""
        non_empty = [i for i, text in enumerate(texts) if text.strip()]
        blank = [(i, ("", None)) for i in range(len(texts)) if not texts[i].strip()]
        if blank:
            on_done(blank)
        if not non_empty:
            return
        wanted = [texts[i] for i in non_empty]
        from .engines.translator import takes_keyword

        scored = getattr(self.translator, "translate_scored", None)
        seen: set[int] = set()

        def forward(found: list[tuple[int, tuple[str, float | None]]]) -> None:
            fresh = [(non_empty[k], pair) for k, pair in found if k not in seen]
            seen.update(k for k, _ in found)
            if fresh:
                on_done(fresh)

        if scored is not None and takes_keyword(scored, "on_done"):
            translated = scored(wanted, on_done=forward)
        elif scored is not None:
            translated = scored(wanted)
        else:
            translated = [(text, None) for text in self.translator.translate(wanted)]
        if len(translated) != len(non_empty):
            raise RuntimeError(f"translator returned {len(translated)} outputs for {len(non_empty)} inputs")
        forward(list(enumerate(translated)))  # whatever was not reported by batch

    def postprocess(self, prepared: Prepared, english: list[str], *, brief_words: int | None = None,
                    scores: list[float | None] | None = None) -> Result:
        """The result of ``prepared`` from the model's outputs ``english`` (the title first, then each
        sentence) and their ``scores``: the stages after translation (see :meth:`_finish`)."""
        checks = _Checks(self, prepared)
        scores = list(scores or [None] * len(english))
        checked = [(*checks.evaluate(TITLE if index == 0 else index - 1, raw), score)
                   for index, (raw, score) in enumerate(zip(english, scores))]
        return self._finish(prepared, checks, checked, brief_words=brief_words)

    def _finish(self, prepared: Prepared, checks: "_Checks", checked: list, *, brief_words: int | None = None,
                on_event: OnEvent | None = None, article: int = 0) -> Result:
        """The stages after translation, in order: each sentence already checked (``checked``: per item,
        title first, its English, warnings and score), :meth:`heal_sentences` (translate again the ones
        that fail a serious check), :meth:`assemble` (names made consistent, segments, blocks), then
        :meth:`write_brief` and :meth:`check_brief`."""
        timings = prepared.timings
        (title_en, title_warnings, title_score), rest = checked[0], checked[1:]
        sentence_en = [text for text, _, _ in rest]
        sentence_warnings = [warnings for _, warnings, _ in rest]
        sentence_scores = [score for _, _, score in rest]
        if on_event is not None:
            on_event(StageStarted(article, "healing"))
        title_en, title_warnings, repairs = self.heal_sentences(prepared, checks, (title_en, title_warnings, title_score),
                                                                sentence_en, sentence_warnings, sentence_scores)
        segments, translation, warnings = self.assemble(prepared, checks, sentence_en, sentence_warnings, sentence_scores)

        if on_event is not None:
            on_event(StageStarted(article, "brief"))
        started = time.perf_counter()
        words = brief_words if brief_words is not None else self.brief_words
        headings = {i for i, block in enumerate(translation) if block.get("kind") == "heading"}
        brief, brief_warnings = self.write_brief(segments, words, headings=headings)
        timings["summarize"] = time.perf_counter() - started

        started = time.perf_counter()
        warnings += brief_warnings + self.check_brief(brief, segments, title_en) + title_warnings
        sources = brief_sources(brief, [s.en for s in segments]) if brief else []
        timings["check"] = time.perf_counter() - started
        timings["total"] = time.perf_counter() - prepared.started

        return Result(
            title=title_en,
            title_hi=prepared.article.title,
            translation=translation,
            segments=segments,
            brief=brief,
            metadata=dict(prepared.article.metadata),
            warnings=warnings,
            models=self.models,
            timings={k: round(v, 4) for k, v in timings.items()},
            brief_mode=self.brief_mode,
            removed=list(prepared.article.removed),
            brief_sources=sources,
            repairs=repairs,
        )

    # -- the stages after translation ---------------------------------------------------------

    def heal_sentences(self, prepared: Prepared, checks: "_Checks", title: tuple[str, list[Warning], float | None],
                       sentence_en: list[str], sentence_warnings: list[list[Warning]],
                       sentence_scores: list[float | None]) -> tuple[str, list[Warning], list[dict[str, Any]]]:
        """Translate again the sentences (and headline) with a serious problem (:mod:`translate.faithful.healing`);
        the lists are updated in place. Returns the headline's English and warnings, and the repairs."""
        title_en, title_warnings, title_score = title
        items = prepared.items[1:]
        failed = {index: (items[index].text, sentence_en[index], sentence_scores[index], found)
                  for index, found in enumerate(sentence_warnings) if serious(found)}
        if serious(title_warnings):
            failed[TITLE] = (prepared.items[0].text, title_en, title_score, title_warnings)
        repairs = []
        for index, outcome in sorted(heal(self.translator, failed, evaluate=checks.evaluate).items()):
            if index == TITLE:
                title_en, title_warnings = outcome.text, outcome.warnings
                outcome.repair.segment = None
            else:
                sentence_en[index], sentence_scores[index] = outcome.text, outcome.score
                sentence_warnings[index] = outcome.warnings
            repairs.append(outcome.repair.to_dict())
        return title_en, title_warnings, repairs

    def assemble(self, prepared: Prepared, checks: "_Checks", sentence_en: list[str],
                 sentence_warnings: list[list[Warning]], sentence_scores: list[float | None],
                 ) -> tuple[list[Segment], list[dict[str, str]], list[Warning]]:
        """Names made consistent across the article, a one-word name that the article's English shows to
        be one looked for in every sentence (:func:`~translate.faithful.names.names_seen_missing`), then
        the segments, the translated blocks and the sentences' warnings (with ``low-confidence`` ones
        under ``min_confidence``)."""
        article, pairs = prepared.article, checks.pairs
        harmonized, name_warnings = harmonize_names(list(zip([hi for _, hi in pairs], sentence_en)), self.glossary)
        name_warnings += names_seen_missing(list(zip([hi for _, hi in pairs], harmonized)), self.glossary)
        segments: list[Segment] = []
        per_block: list[list[str]] = [[] for _ in article.blocks]
        warnings: list[Warning] = []
        for index, ((block_index, hi), en) in enumerate(zip(pairs, harmonized)):
            segments.append(Segment(block_index, hi, en, confidence(sentence_scores[index])))
            per_block[block_index].append(en)
            warnings += sentence_warnings[index]
            if self.min_confidence is not None and segments[-1].confidence is not None \
                    and segments[-1].confidence < self.min_confidence:
                warnings.append(warning(
                    "low-confidence", index,
                    f"The model gave this translation a confidence of {segments[-1].confidence:.2f}, below "
                    f"{self.min_confidence:.2f}: read it against the source.",
                    confidence=segments[-1].confidence, threshold=self.min_confidence))
        warnings += name_warnings
        translation = [
            {"kind": block.kind, "text": " ".join(part for part in parts if part)}
            for block, parts in zip(article.blocks, per_block)
        ]
        return segments, translation, warnings

    def write_brief(self, segments: list[Segment], words: int, *,
                    headings: set[int] = frozenset()) -> tuple[str, list[Warning]]:
        """The brief of ``segments`` in the pipeline's mode, with the guarded mode's warnings. The
        sentences of the ``headings`` blocks are not brief sentences: a subheading is never fused
        with the sentence after it ("...closer to Pakistan Before that, ...")."""
        body = [s for s in segments if s.block not in headings]
        return self._brief(body or segments, words)

    def check_brief(self, brief: str, segments: list[Segment], title_en: str) -> list[Warning]:
        """What the brief says that the translation (or headline) does not, and Devanagari left in it."""
        body = " ".join(s.en for s in segments if s.en)
        return check_brief(brief, body + " " + title_en) + check_english(None, brief, "The brief")

    # -- helpers ------------------------------------------------------------------------------

    @property
    def models(self) -> dict[str, Any]:
        """Ids, revisions and options of the engines, as recorded in every result."""
        summarizer = self.extractive if self.brief_mode == "extractive" else self.summarizer
        return {
            "translator": dict(getattr(self.translator, "model_info", {"id": type(self.translator).__name__})),
            "summarizer": dict(getattr(summarizer, "model_info", {"id": type(summarizer).__name__})),
            "brief_mode": self.brief_mode,
            "glossary_sha256": self.glossary_sha256,
        }

    @property
    def glossary_sha256(self) -> str:
        entries = sorted(self.glossary.entries.items()) if self.glossary else []
        return hashlib.sha256(json.dumps(entries, ensure_ascii=False).encode()).hexdigest()[:16]

    def _brief(self, segments: list[Segment], words: int) -> tuple[str, list[Warning]]:
        sentences = [s.en for s in segments if s.en.strip()]
        if not sentences:
            return "", []
        text = " ".join(sentences)
        if self.brief_mode == "extractive":
            return self.extractive.summarize(text, words=words, sentences=sentences), []
        brief = self.summarizer.summarize(text, words=words, sentences=sentences)
        if self.brief_mode == "abstractive":
            return brief, []
        return guard_brief(brief, sentences)

    @staticmethod
    def _to_article(item: Article | str | Path) -> Article:
        if isinstance(item, Article):
            return item
        if isinstance(item, Path):
            return load_article(item)
        if isinstance(item, str) and is_url(item):  # public addresses only: load_url(allow_private=...) for others
            from .article.url import load_url

            return load_url(item.strip())
        if isinstance(item, str) and "\n" not in item and len(item) < 4096 and Path(item).suffix.lower() in INPUT_SUFFIXES:
            return load_article(item)
        return parse_article(str(item))
