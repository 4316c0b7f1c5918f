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
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Protocol, Sequence

from .article import INPUT_SUFFIXES, Article, ensure_hindi, is_url, load_article, parse_article, split_sentences
from .faithful.brief import brief_sources, guard_brief
from .faithful.checks import check_brief, check_english, check_segment
from .faithful.glossary import Glossary
from .faithful.healing import confidence, heal, serious
from .faithful.names import article_names, check_names, harmonize_names
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

    def to_markdown(self) -> str:
        """Headline, brief (each sentence with the numbers of the sentences supporting it), the
        translation with its headings (the least confident sentences marked ``[?]``), then what was
        translated again and any warnings."""
        brief = self.brief
        if self.brief_sources:
            brief = " ".join(sentence + (f" [{', '.join(str(i + 1) for i in sources)}]" if sources else "")
                             for sentence, sources in self.cited_brief())
        lines = [f"# {self.title or 'Untitled article'}", "", f"**Brief.** {brief}", ""]
        doubtful = self.least_confident()
        blocks = self._blocks_marked(doubtful) if doubtful else [block["text"] for block in self.translation]
        for block, text in zip(self.translation, blocks):
            lines += [f"## {text}" if block["kind"] == "heading" else text, ""]
        if doubtful:
            lines += ["*[?] marks the sentences the model was least sure of; the brief's [numbers] are the "
                      "sentences of the translation that support it.*", ""]
        changed = [repair for repair in self.repairs if repair.get("changed")]
        if changed:
            lines += ["---", "", "**Translated again**", ""]
            for repair in changed:
                how = next((t["how"] for t in repair["tried"] if t["text"] == repair["after"]), "another try")
                where = "the headline" if repair["segment"] is None else f"sentence {repair['segment'] + 1}"
                lines.append(f"- {where}: {', '.join(repair['problems_before'])} in "
                             f"\"{repair['before']}\"; kept \"{repair['after']}\" ({how})")
            lines.append("")
        if self.warnings:
            lines += ["---", "", "**Warnings**", ""]
            for warning in self.warnings:
                lines.append(f"- {self.warning_location(warning)}{warning.message}")
            lines.append("")
        source = self.metadata.get("source")
        models = ", ".join(f"{task}: {info.get('id', '?')}" for task, info in self.models.items() if isinstance(info, dict))
        lines += ["---", "", f"*Source: {source or 'pasted text'}. Models: {models}. Machine translation; check before quoting.*", ""]
        return "\n".join(lines)

    def _blocks_marked(self, doubtful: set[int]) -> list[str]:
        """Each block's text rebuilt from its segments, the ``doubtful`` ones followed by ``[?]``."""
        parts: list[list[str]] = [[] for _ in self.translation]
        for index, segment in enumerate(self.segments):
            if segment.en and 0 <= segment.block < len(parts):
                parts[segment.block].append(segment.en + (" [?]" if index in doubtful else ""))
        return [" ".join(found) if found else block["text"] for block, found in zip(self.translation, parts)]


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

    def translate_prepared(self, prepared: Sequence[Prepared], *, brief_words: int | None = None) -> list[Result]:
        """One model call for the sentences of every prepared article, then each article's result."""
        check_brief_words(brief_words if brief_words is not None else self.brief_words)
        started = time.perf_counter()
        model_input = [item.text for p in prepared for item in p.items]
        non_empty = [i for i, text in enumerate(model_input) if text.strip()]
        outputs: list[tuple[str, float | None]] = [("", None)] * len(model_input)
        if non_empty:
            texts = [model_input[i] for i in non_empty]
            scored = getattr(self.translator, "translate_scored", None)
            translated = scored(texts) if scored else [(text, None) for text in self.translator.translate(texts)]
            if len(translated) != len(non_empty):
                raise RuntimeError(f"translator returned {len(translated)} outputs for {len(non_empty)} inputs")
            for i, pair in zip(non_empty, translated):
                outputs[i] = pair
        translate_seconds = time.perf_counter() - started
        total = max(1, len(model_input))
        results, offset = [], 0
        for p in prepared:
            # The title is item 0 (no segment); sentence i is item i + 1.
            english = [self.protector.finish(item, out, segment=index - 1 if index else None) if item.text.strip() else ""
                       for index, (item, (out, _)) in enumerate(zip(p.items, outputs[offset:]))]
            scores = [score for _, score in outputs[offset:offset + len(p.items)]]
            p.timings["translate"] = translate_seconds * len(p.items) / total
            offset += len(p.items)
            results.append(self.postprocess(p, english, brief_words=brief_words, scores=scores))
        return results

    def postprocess(self, prepared: Prepared, english: list[str], *, brief_words: int | None = None,
                    scores: list[float | None] | None = None) -> Result:
        """Check every sentence (numbers, spans, names, loops, ...), translate again the ones that fail
        a serious check (:mod:`translate.faithful.healing`), make names consistent, assemble blocks
        and segments, write the brief with the sources of each of its sentences, check the brief."""
        article, timings = prepared.article, prepared.timings
        scores = list(scores or [None] * len(english))
        title_en, sentence_en, sentence_scores = english[0], list(english[1:]), scores[1:]
        pairs = [(block_index, hi) for block_index, hi in article.sentences()]
        items = prepared.items[1:]
        known = article_names([hi for _, hi in pairs], self.glossary)

        def title_checks(text: str, repairs: list[Warning]) -> list[Warning]:
            """The headline checked like a sentence; its warnings say so (``detail["in"]``)."""
            found = [*repairs, *check_segment(None, article.title, text, self.glossary),
                     *check_names(None, article.title, text, self.glossary, known)]
            return [replace(w, detail={**w.detail, "in": "title"}) for w in found]

        def evaluate(index: int, raw: str) -> tuple[str, list[Warning]]:
            if index == TITLE:
                title = prepared.items[0]
                text = self.protector.finish(title, raw) if title.text.strip() else ""
                return text, title_checks(text, title.repairs)
            text = self.protector.finish(items[index], raw, segment=index) if items[index].text.strip() else ""
            hi = pairs[index][1]
            return text, [*items[index].repairs, *check_segment(index, hi, text, self.glossary),
                          *check_names(index, hi, text, self.glossary, known)]

        sentence_warnings = []
        for index, en in enumerate(sentence_en):
            hi = pairs[index][1]
            sentence_warnings.append([*items[index].repairs, *check_segment(index, hi, en, self.glossary),
                                      *check_names(index, hi, en, self.glossary, known)])
        failed = {index: (items[index].text, sentence_en[index], sentence_scores[index], found)
                  for index, found in enumerate(sentence_warnings) if serious(found)}
        title_warnings = title_checks(title_en, prepared.items[0].repairs)
        if serious(title_warnings):
            failed[TITLE] = (prepared.items[0].text, title_en, scores[0], title_warnings)
        repairs = []
        for index, outcome in sorted(heal(self.translator, failed, evaluate=evaluate).items()):
            if index == TITLE:
                title_en, title_warnings = outcome.text, outcome.warnings
                outcome.repair.segment = None
            else:
                sentence_en[index], sentence_scores[index] = outcome.text, outcome.score
                sentence_warnings[index] = outcome.warnings
            repairs.append(outcome.repair.to_dict())

        harmonized, name_warnings = harmonize_names(list(zip([hi for _, hi in pairs], sentence_en)), self.glossary)
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

        started = time.perf_counter()
        words = brief_words if brief_words is not None else self.brief_words
        brief, brief_warnings = self._brief(segments, words)
        timings["summarize"] = time.perf_counter() - started

        started = time.perf_counter()
        body = " ".join(s.en for s in segments if s.en)
        warnings += brief_warnings + check_brief(brief, body + " " + title_en)
        warnings += check_english(None, brief, "The brief") + title_warnings
        sources = brief_sources(brief, [s.en for s in segments]) if brief else []
        timings["check"] = time.perf_counter() - started
        timings["total"] = time.perf_counter() - prepared.started

        return Result(
            title=title_en,
            title_hi=article.title,
            translation=translation,
            segments=segments,
            brief=brief,
            metadata=dict(article.metadata),
            warnings=warnings,
            models=self.models,
            timings={k: round(v, 4) for k, v in timings.items()},
            brief_mode=self.brief_mode,
            removed=list(article.removed),
            brief_sources=sources,
            repairs=repairs,
        )

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
