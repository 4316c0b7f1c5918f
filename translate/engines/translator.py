"""Sentence translation: a :class:`Translator` holding a backend that runs the model.

    from translate import Translator
    translator = Translator.from_pretrained("hplt")           # preset, hub id or folder
    translator.translate(["रूस ने पाकिस्तान के साथ समझौता किया।"])

The :class:`Translator` owns what does not depend on the engine: never truncating (a sentence
longer than the model's window is split at clause boundaries, :mod:`translate.engines.clauses`, the
pieces translated and the translations joined), the order of results and the translation cache
(:mod:`translate.engines.cache`). A backend (:mod:`translate.backends`) owns tokenization, language
codes, length-sorted batching and generation, with ``translate_batch(list[str]) -> list[str]``.
``backend="auto"`` picks CTranslate2 when the model has a converted copy (``hindi-brief models
pull`` makes one), else transformers.
"""

from __future__ import annotations

import hashlib
import inspect
import json
from pathlib import Path
from typing import Any, Callable

from ..backends import TranslationBackend, load_backend
from ..backends.ct2 import ct2_device
from ..backends.describe import LazyBackend, describe_translation
from ..backends.generation import OUTPUT_LIMIT
from ..backends.transformers import check_loadable
from ..store import DEFAULT_TRANSLATOR, choose_backend, converted_home, quantization_of, resolve_model
from .cache import TranslationCache, cache_identity, cached_translate
from .clauses import clauses, split_to_fit

#: Options recorded in ``model_info`` that change a translation, hence part of every cache key.
CACHE_OPTIONS = ("beams", "max_input_tokens", "output_limit", "generation", "src_lang", "tgt_lang", "quantization",
                 "vocabulary")


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

    ``cache``: a :class:`~translate.engines.cache.TranslationCache` asked before the model and filled after
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
        known = self.model_info.get("max_input_tokens")
        return int(known) if known else self.backend.max_input_tokens

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
        vocabulary: str = "auto",
    ) -> "Translator":
        """Load a translation model: a preset (``models list``), a hub id or a model folder.

        ``backend``: ``"auto"`` (CTranslate2 when the model has a converted copy, which ``hindi-brief
        models pull`` makes, else transformers), ``"transformers"`` or ``"ctranslate2"``.
        ``beams``: beam size (None: the checkpoint's own, else 4). ``max_input_tokens``: a window
        smaller than the model's (default: the preset's, else what the architecture was trained on,
        see :data:`translate.backends.base.TRAINED_WINDOWS`); longer sentences are translated in clauses.
        ``vocabulary``: ``"auto"`` (NLLB writing English scores English pieces only, see
        :mod:`translate.backends.vocabulary`), ``"english"`` or ``"full"``.
        ``cache``: True for the on-disk cache in the store (:mod:`translate.engines.cache`), False for
        none, or a :class:`~translate.engines.cache.TranslationCache`. ``intra_threads`` / ``inter_threads``:
        CTranslate2's threads per batch (default: all cores) and batches in parallel.

        Raises :class:`~translate.errors.ModelNotFoundError` (within seconds when offline) with
        the commands that get the model, or :class:`~translate.errors.ModelError` if it does
        not load.
        """
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
            vocabulary=vocabulary,
        )
        if ct2_dir is not None:
            options.update(intra_threads=intra_threads, inter_threads=inter_threads)

        def load() -> Any:
            return load_backend("translation", resolved.path, kind="transformers" if ct2_dir is None else "ctranslate2",
                                ct2_dir=ct2_dir, **options)

        described = None
        if ct2_dir is not None and vocabulary != "english":  # the default path: read from the files (describe.py)
            check_loadable(resolved.path, trust_remote_code=trust_remote_code, allow_pickle=allow_pickle)
            described = describe_translation(resolved.path, beams=beams, max_input_tokens=options["max_input_tokens"],
                                             src_lang=options["src_lang"], tgt_lang=options["tgt_lang"])
        if described is not None:
            engine: Any = LazyBackend(load, described)
            facts = {**described, "backend": "ctranslate2", "device": ct2_device(device)}
        else:
            engine = load()
            facts = {"backend": engine.backend_name, "architecture": engine.architecture, "beams": engine.beams,
                     "max_input_tokens": engine.max_input_tokens, "generation": dict(sorted(engine.settings.items())),
                     "src_lang": engine.src_lang, "tgt_lang": engine.tgt_lang, "device": engine.device}
        info = {
            "id": resolved.model_id,
            "revision": resolved.revision,
            "backend": facts["backend"],
            "architecture": facts["architecture"],
            "license": preset.license if preset else None,
            "beams": facts["beams"],
            "max_input_tokens": facts["max_input_tokens"],
            "output_limit": OUTPUT_LIMIT,
            "generation": facts["generation"],
            "src_lang": facts["src_lang"],
            "tgt_lang": facts["tgt_lang"],
            "device": facts["device"],
        }
        if described is None and engine.output_vocabulary is not None:  # recorded only where it applies
            info["vocabulary"] = f"english ({len(engine.output_vocabulary)} pieces)"
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

    def warm_up(self) -> None:
        """Load whatever the backend loads lazily (CTranslate2 loads its model on first use, so that a
        run the cache fully serves never loads it); a server calls this at start-up."""
        getattr(self.backend, "warm_up", lambda: None)()

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
        return [text for text, _ in self.translate_scored(sentences)]

    def translate_scored(self, sentences: list[str], *, on_done: OnDone | None = None) -> list[tuple[str, float | None]]:
        """As :meth:`translate`, each translation with the model's score for it: the mean log-probability
        of its tokens (None where the backend gives none; ``""`` gives ``("", None)``). The cache keeps
        both.

        ``on_done(done)``: called as translations are ready, ``done`` a list of ``(position, (text,
        score))``: the blank and cached sentences first, then the others as each of the model's batches
        ends (a sentence cut in pieces when its last piece is done). What is translated, and how it is
        batched, is the same with or without it."""
        wanted = [i for i, sentence in enumerate(sentences) if sentence.strip()]
        results: list[tuple[str, float | None]] = [("", None)] * len(sentences)
        if on_done is not None and len(wanted) < len(sentences):
            blank = set(range(len(sentences))) - set(wanted)
            on_done([(i, results[i]) for i in sorted(blank)])
        stripped = [sentences[i].strip() for i in wanted]
        positions: dict[str, list[int]] = {}
        for index, text in zip(wanted, stripped):
            positions.setdefault(text, []).append(index)

        def report(texts: list[str], pairs: list[tuple[str, float | None]]) -> None:
            if on_done is not None and texts:
                on_done(sorted((index, pair) for text, pair in zip(texts, pairs) for index in positions[text]))

        def translate(batch: list[str]) -> list[str]:
            progress = None if on_done is None else (lambda done: report([batch[i] for i, _ in done], [p for _, p in done]))
            return [json.dumps(pair, ensure_ascii=False) for pair in self._translate_scored(batch, on_done=progress)]

        def known(texts: list[str], values: list[str]) -> None:
            report(texts, [_unpack(value) for value in values])

        packed = cached_translate(self.cache, [*self.identity, "scored"], stripped, translate,
                                  on_known=known if on_done is not None else None)
        for index, value in zip(wanted, packed):
            results[index] = _unpack(value)
        return results

    def candidates(self, sentences: list[str], strategy: str) -> list[list[tuple[str, float | None]]]:
        """Other translations of each sentence, for the self-healing of a sentence whose translation
        failed a check (cached like translations, so that a rerun asks the model nothing).
        ``strategy``, cheapest first:

        * ``"n-best"``: the other hypotheses of the same beam search (as many as the beams);
        * ``"no-repeat"``: a search that cannot repeat a 3-gram and penalises repeated tokens;
        * ``"clauses"``: the sentence cut at its clause boundaries, each clause translated alone
          (no candidate for a sentence with a single clause).
        """
        if strategy not in CANDIDATE_STRATEGIES:
            raise ValueError(f"unknown strategy {strategy!r}; choose one of {', '.join(CANDIDATE_STRATEGIES)}")
        wanted = [i for i, sentence in enumerate(sentences) if sentence.strip()]
        results: list[list[tuple[str, float | None]]] = [[] for _ in sentences]

        def find(batch: list[str]) -> list[str]:
            return [json.dumps(found, ensure_ascii=False) for found in self._candidates(batch, strategy)]

        packed = cached_translate(self.cache, [*self.identity, "candidates", strategy],
                                  [sentences[i].strip() for i in wanted], find)
        for index, value in zip(wanted, packed):
            try:
                results[index] = [(text, score) for text, score in json.loads(value)]
            except (ValueError, TypeError):
                results[index] = []  # not written by this version: no alternative rather than a wrong one
        return results

    def _candidates(self, sentences: list[str], strategy: str) -> list[list[tuple[str, float | None]]]:
        if strategy == "clauses":
            parts = [clauses(sentence) for sentence in sentences]
            wanted = [i for i, found in enumerate(parts) if len(found) > 1]
            joined = self._translate_scored([piece for i in wanted for piece in parts[i]])
            results: list[list[tuple[str, float | None]]] = [[] for _ in sentences]
            position = 0
            for i in wanted:
                pieces = joined[position:position + len(parts[i])]
                position += len(parts[i])
                results[i] = [_join(pieces)]
            return results
        if not hasattr(self.backend, "translate_hypotheses"):
            return [[] for _ in sentences]  # a translate_batch-only backend offers no other search
        if strategy == "n-best":
            beams = int(getattr(self.backend, "beams", 1))
            if beams < 2:
                return [[] for _ in sentences]  # one beam has no other hypothesis than the first
            return [self._pieces_hypotheses(sentence, hypotheses=beams)[1:] for sentence in sentences]
        return [self._pieces_hypotheses(sentence, repetition_safe=True) for sentence in sentences]

    def _pieces_hypotheses(self, sentence: str, **options: Any) -> list[tuple[str, float | None]]:
        pieces = self.split(sentence)
        found = self.backend.translate_hypotheses(pieces, **options)
        count = min(len(options_) for options_ in found)
        return [_join([hypotheses[k] for hypotheses in found]) for k in range(count)]

    def _best(self, pieces: list[str], on_batch: Any = None) -> list[tuple[str, float | None]]:
        """Each piece's best translation with its score; without a score from a backend that only
        has the protocol's ``translate_batch``. ``on_batch(positions, found)`` as the backend's
        batches end, where the backend can say so (else once, at the end)."""
        if hasattr(self.backend, "translate_hypotheses"):
            if on_batch is not None and takes_keyword(self.backend.translate_hypotheses, "on_batch"):
                return [found[0] for found in self.backend.translate_hypotheses(pieces, on_batch=on_batch)]
            found = [options[0] for options in self.backend.translate_hypotheses(pieces)]
        else:
            found = [(text, None) for text in self.backend.translate_batch(pieces)]
        if on_batch is not None and pieces:
            on_batch(list(range(len(pieces))), [[pair] for pair in found])
        return found

    def _translate_scored(self, sentences: list[str], on_done: OnDone | None = None) -> list[tuple[str, float | None]]:
        """Translate non-blank, stripped sentences with the backend, splitting the over-long ones;
        ``on_done`` as :meth:`translate_scored`'s, positions in ``sentences``."""
        window = self.max_input_tokens
        lengths = self.backend.count_tokens(sentences)
        pieces: list[str] = []
        owners: list[int] = []
        for index, length in enumerate(lengths):
            parts = [sentences[index]] if length <= window else self.split(sentences[index])
            pieces += parts
            owners += [index] * len(parts)
        results: list[list[tuple[str, float | None]] | None] = [None] * len(pieces)
        on_batch = None
        if on_done is not None:
            waiting = {owner: owners.count(owner) for owner in set(owners)}

            def on_batch(positions: list[int], found: list[list[tuple[str, float | None]]]) -> None:
                done = []
                for position, options in zip(positions, found):
                    results[position] = options[0]
                    waiting[owners[position]] -= 1
                    if not waiting[owners[position]]:
                        owner = owners[position]
                        done.append((owner, _join([results[k] for k, o in enumerate(owners) if o == owner])))
                if done:
                    on_done(done)

        joined: list[list[tuple[str, float | None]]] = [[] for _ in sentences]
        for owner, found in zip(owners, self._best(pieces, on_batch)):
            joined[owner].append(found)
        return [_join(parts) for parts in joined]


#: ``on_done(done)``: translations ready, ``done`` a list of ``(position, (text, score))``.
OnDone = Callable[[list[tuple[int, tuple[str, float | None]]]], None]


def takes_keyword(function: Callable[..., Any], name: str) -> bool:
    """Whether ``function`` has a parameter ``name`` (a third party's engine or backend may not)."""
    try:
        return name in inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False


#: The self-healing retranslations, in order of cost (see :meth:`Translator.candidates`).
CANDIDATE_STRATEGIES = ("n-best", "no-repeat", "clauses")


def _unpack(value: str) -> tuple[str, float | None]:
    """A cached ``[text, score]``; a value written otherwise (by hand, by an older version) is a
    translation without a score."""
    try:
        text, score = json.loads(value)
    except (ValueError, TypeError):
        return value, None
    if not isinstance(text, str) or not (score is None or isinstance(score, (int, float))):
        return value, None
    return text, score


def _join(parts: list[tuple[str, float | None]]) -> tuple[str, float | None]:
    """Pieces' translations joined with a space, their scores averaged (None if none has one)."""
    text = " ".join(text for text, _ in parts if text)
    scores = [score for _, score in parts if score is not None]
    return text, (sum(scores) / len(scores) if scores else None)
