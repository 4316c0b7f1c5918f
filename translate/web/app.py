"""The web page: paste or drop Hindi articles, read the English headline and brief, the translation,
every sentence beside its Hindi original, what cleaning removed, and the warnings.

A Gradio Blocks app over :class:`translate.pipeline.Pipeline` (the same one behind the CLI and the
Python API). ``hindi-brief serve`` (translate/cli/serve.py) and ``python app.py`` start it:

    app = WebApp(load, translator="hplt", summarizer="distilbart-cnn")       # loads the models now
    app.launch(host="127.0.0.1", port=7860)                                 # blocks; Ctrl-C stops it
    app.close()                                                             # removes its temp files

It also has a named API endpoint, ``/translate_article`` (text -> the result's JSON), for
``gradio_client``. Every string that comes from an article (titles, sentences, removed lines,
warnings, file names) is HTML-escaped before it reaches the page, and each user's error is shown to
that user only: expected errors (bad input) as their one-line message, anything else as a generic
message while the traceback goes to the server's log.
"""

from __future__ import annotations

import functools
import html
import itertools
import logging
import os
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

from ..article import DEFAULT_MAX_BYTES, INPUT_SUFFIXES, Article, format_size, load_article, parse_article, web_address
from ..errors import HindiBriefError, InputError, UsageError
from ..faithful.glossary import Glossary
from ..options import BRIEF_WORDS_RANGE, DEFAULT_BRIEF_WORDS, check_brief_words
from ..pipeline import Pipeline, SentenceDone
from .render import (
    CSS,
    PASTED,
    SCRIPT,
    InProgress,
    Translated,
    render_briefs,
    render_digest,
    render_done,
    render_error,
    render_partial,
    render_progress,
    render_removed,
    render_segments,
    render_translation,
    render_warnings,
    write_downloads,
)

if TYPE_CHECKING:
    import gradio as gr

logger = logging.getLogger(__name__)


API_NAME = "translate_article"


#: The sample articles offered as examples: package data (translate/samples/, which a wheel carries;
#: the checkout's seeds/*.txt link to them).
SEEDS_DIR = Path(__file__).resolve().parents[1] / "samples"


#: Downloads and Gradio's cached copies of uploads and results live this long (seconds).
KEEP_SECONDS = 3600


BEAMS_RANGE = (1, 8)


GENERIC_ERROR = "Something went wrong on the server while translating this article. It has been logged; please try again."


LoadPipeline = Callable[[str, str, int], Pipeline]


Progress = Callable[..., Any]


def _gradio() -> ModuleType:
    """Gradio, imported on first use: it costs seconds, and `hindi-brief serve --help` (whose
    defaults come from :class:`Limits`) or any other command must not pay for it."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no telemetry from an offline machine
    import gradio

    return gradio


@dataclass(frozen=True)
class Limits:
    """What one request may hold, and how many requests the server takes at once."""

    max_chars: int = 100_000  # pasted characters
    max_file_bytes: int = DEFAULT_MAX_BYTES  # per uploaded file (5 MiB)
    max_files: int = 10  # files per request
    accept: tuple[str, ...] = INPUT_SUFFIXES  # accepted file name endings
    max_queue: int = 32  # requests waiting; more are refused with "queue is full"
    concurrency: int = 1  # translations running at once (CPU: one uses every core already)
    allow_private_urls: bool = False  # web addresses may reach private, loopback, link-local addresses

    def __post_init__(self) -> None:
        for name in ("max_chars", "max_file_bytes", "max_files", "max_queue", "concurrency"):
            if getattr(self, name) < 1:
                raise UsageError(f"--{name.replace('_', '-')} must be at least 1, got {getattr(self, name)}")
        unknown = [suffix for suffix in self.accept if suffix not in INPUT_SUFFIXES]
        if unknown or not self.accept:
            raise UsageError(
                f"accepted file types must be some of {' '.join(INPUT_SUFFIXES)}, got {' '.join(self.accept) or 'none'}"
            )


class PipelineCache:
    """One loaded :class:`Pipeline` per (translator, summarizer, beams).

    Beam size is fixed when a model loads, so another beam size or model is another pipeline. The
    start-up pipeline stays; at most ``size`` others are kept, least recently used dropped first.
    Hand-written rather than ``functools.lru_cache`` because loading must happen under a lock: two
    requests asking for the same new model at once must load it once, not twice.
    """

    def __init__(self, load: LoadPipeline, default: tuple[str, str, int], size: int = 1):
        self._load = load
        self._lock = threading.Lock()
        self.default = default
        self._pinned = load(*default)
        self._others: OrderedDict[tuple[str, str, int], Pipeline] = OrderedDict()
        self._size = size

    def get(self, translator: str, summarizer: str, beams: int) -> Pipeline:
        """The pipeline for these models and beam size, loading it on first use."""
        key = (translator, summarizer, beams)
        if key == self.default:
            return self._pinned
        with self._lock:
            if key not in self._others:
                self._others[key] = self._load(*key)
                while len(self._others) > self._size:
                    self._others.popitem(last=False)
            self._others.move_to_end(key)
            return self._others[key]


# -- rendering: article text is always escaped ------------------------------------------------------


class WebApp:
    """The page's state: the loaded pipelines, the limits, a private temp folder for downloads."""

    def __init__(
        self,
        load: LoadPipeline,
        *,
        translator: str,
        summarizer: str,
        beams: int = 4,
        brief_words: int = DEFAULT_BRIEF_WORDS,
        translators: Sequence[tuple[str, str]] = (),
        summarizers: Sequence[tuple[str, str]] = (),
        limits: Limits = Limits(),
        seeds_dir: Path | None = SEEDS_DIR,
    ):
        """Load the start-up models now (once). ``translators``/``summarizers`` are the other
        (label, model) choices offered in the page: only those can be picked, by page or API."""
        self.limits = limits
        self.brief_words = _brief_words(brief_words)
        self.pipelines = PipelineCache(load, (translator, summarizer, _beams(beams)))
        self.translators = _choices(translator, translators)
        self.summarizers = _choices(summarizer, summarizers)
        self.seeds_dir = seeds_dir
        self.temp_dir = Path(tempfile.mkdtemp(prefix="hindi-brief-web-"))
        self.demo: gr.Blocks | None = None
        self._requests = itertools.count(1)

    # -- request handlers ---------------------------------------------------------------------

    def translate_page(
        self,
        text: str | None,
        files: list[str] | None,
        translator: str,
        summarizer: str,
        brief_words: float,
        beams: float,
        glossary_file: str | None,
        progress: Progress = lambda *args, **kwargs: None,
        urls: str | None = None,
    ) -> Iterator[tuple[Any, ...]]:
        """The page's button: pasted text, dropped files and/or web addresses (one per line) -> every
        output of the page (with several articles, the digest of their stories first).

        A generator (Gradio streams what it yields): first the sentence table filling in as the model's
        batches end, headline and first paragraph first, with a line saying how many sentences are done;
        then everything. Leaving it early (the Stop button) stops the work at the next batch."""
        gr = _gradio()
        started = time.perf_counter()
        try:
            progress(0.0, desc="Reading the articles")
            pipeline = self._pipeline(translator, summarizer, int(beams), glossary_file)
            prepared, failed = [], []
            for name, load in self._sources(text, files, urls):
                try:
                    prepared.append((name, pipeline.preprocess(load())))
                except InputError as exc:
                    failed.append(f"{name}: {exc.reason}")
            if not prepared:
                raise UsageError("; ".join(failed))
            words = _brief_words(brief_words)
            shown = [InProgress(name, p.article.title, [hi for _, hi in p.article.sentences()], {}) for name, p in prepared]
            total = sum(p.sentence_count for _, p in prepared)
            done, results = 0, None
            yield self._partial(shown, render_progress(shown, 0, total))
            for event in pipeline.stream_prepared([p for _, p in prepared], brief_words=words):
                if isinstance(event, list):
                    results = event
                elif isinstance(event, SentenceDone):
                    done = event.done
                    shown[event.article].done[event.segment] = (event.en, event.confidence,
                                                                [w.message for w in event.warnings])
                    progress(0.9 * done / max(1, total), desc=f"{done} of {total} sentences translated")
                    yield self._partial(shown, render_progress(shown, done, total))
                else:
                    stage = "Checking and translating again what failed a check" if event.stage == "healing" else "Writing the brief"
                    progress(0.9, desc=stage)
                    yield self._partial(shown, render_progress(shown, done, total, stage + "…"))
            items = [Translated(name, result) for (name, _), result in zip(prepared, results)]
            stories = None
            if len(items) > 1:
                progress(0.95, desc="Grouping the articles into stories")
                from ..digest import digest

                stories = digest([item.result for item in items], [item.name for item in items])
            files = write_downloads(items, self._request_dir(), stories)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a message for this user only
            raise _user_error(exc) from exc
        if failed:
            gr.Warning(html.escape("Not translated: " + "; ".join(failed), quote=False))
        yield (
            gr.Accordion(open=False),
            render_done(total, time.perf_counter() - started, next(self._requests)),
            gr.Accordion(visible=stories is not None, open=True),
            render_digest(stories) if stories is not None else "",
            render_briefs(items, failed),
            render_translation(items),
            render_segments(items),
            render_removed(items),
            render_warnings(items),
            gr.DownloadButton(value=files.json, visible=files.json is not None),
            gr.DownloadButton(value=files.markdown, visible=files.markdown is not None),
            gr.DownloadButton(value=files.docx, visible=files.docx is not None),
            gr.DownloadButton(value=files.bilingual, visible=files.bilingual is not None),
            gr.DownloadButton(value=files.zip, visible=files.zip is not None),
        )

    @staticmethod
    def _partial(shown: Sequence[InProgress], status: str) -> tuple[Any, ...]:
        """The page's outputs while the work runs: the status line and the sentence table filling in;
        the rest emptied (no result of an earlier request stays beside a new article)."""
        gr = _gradio()
        hidden = gr.DownloadButton(visible=False)
        return (gr.skip(), status, gr.Accordion(visible=False), "", "", "", render_partial(shown), "", "",
                hidden, hidden, hidden, hidden, hidden)

    def _failed(self, message: str) -> tuple[Any, ...]:
        """The page's outputs after a failed request: the message beside the button, the article box
        open to fix the input, every part of an earlier result emptied (never an old article beside
        a new error)."""
        gr = _gradio()
        hidden = gr.DownloadButton(visible=False)
        return (gr.Accordion(open=True), render_error(message, next(self._requests)), gr.Accordion(visible=False),
                "", "", "", "", "", "", hidden, hidden, hidden, hidden, hidden)

    def translate_article(self, text: str, brief_words: int = DEFAULT_BRIEF_WORDS) -> dict:
        """Translate one Hindi article (plain text, Markdown or HTML, or a web address to fetch it
        from) into English.

        Returns the result as JSON: title, title_hi, brief, translation [{kind, text}],
        segments [{block, hi, en, confidence}] (one per Hindi sentence), warnings, repairs,
        brief_sources, removed, metadata, models.
        """
        try:
            self._check_text(text)
            translator, summarizer, beams = self.pipelines.default
            pipeline = self.pipelines.get(translator, summarizer, beams)
            link = web_address(text)
            article = self._load_url(link) if link else parse_article(text)
            return pipeline(article, brief_words=_brief_words(brief_words)).to_dict()
        except Exception as exc:  # noqa: BLE001 - every failure becomes a message for this caller only
            raise _user_error(exc) from exc

    # -- helpers ------------------------------------------------------------------------------

    def _pipeline(self, translator: str, summarizer: str, beams: int, glossary_file: str | None) -> Pipeline:
        if translator not in dict(self.translators).values():
            raise UsageError(f"translation model {translator!r} is not offered here")
        if summarizer not in dict(self.summarizers).values():
            raise UsageError(f"summarization model {summarizer!r} is not offered here")
        base = self.pipelines.get(translator, summarizer, _beams(beams))
        if not glossary_file:
            return base
        name = Path(glossary_file).name
        self._check_file_size(glossary_file, name)
        try:
            tsv = Path(glossary_file).read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UsageError(f"{name}: the glossary is not UTF-8 text") from None
        # A new Pipeline over the loaded engines: cheap, and the upload affects this request only.
        # The upload goes on top of the server's glossary (built-in news terms and --glossary).
        uploaded = Glossary.from_text(tsv, source=name, include_default=False)
        glossary = Glossary({**base.glossary.entries, **uploaded.entries})
        return Pipeline(base.translator, base.summarizer, glossary=glossary,
                        brief_words=base.brief_words, brief_mode=base.brief_mode, extractive=base.extractive,
                        min_confidence=base.min_confidence)

    def _sources(self, text: str | None, files: list[str] | None,
                 urls: str | None = None) -> list[tuple[str, Callable[[], Article]]]:
        """(shown name, loader) for the pasted text (a web address pasted alone is fetched), each
        file and each web address; the limits are checked first, so a refused request costs nothing."""
        files = files or []
        links = [web_address(line) or line.strip() for line in (urls or "").splitlines() if line.strip()]
        sources: list[tuple[str, Callable[[], Article]]] = []
        if text and text.strip():
            self._check_text(text)
            pasted_link = web_address(text)
            if pasted_link:
                links.insert(0, pasted_link)
            else:
                sources.append((PASTED, lambda: parse_article(text)))
        for link in links:
            if not web_address(link):
                raise UsageError(f"{link[:200]}: not a web address (http:// or https://)")
        if len(files) + len(links) > self.limits.max_files:
            what = f"{len(files) + len(links)} files and web addresses" if links else f"{len(files)} files dropped"
            raise UsageError(f"{what}; at most {self.limits.max_files} at once (--max-files)")
        sources += [(link, functools.partial(self._load_url, link)) for link in links]
        for path in files:
            name = Path(path).name
            if Path(name).suffix.lower() not in self.limits.accept:
                raise UsageError(f"{name}: not an accepted file type; accepted: {' '.join(self.limits.accept)}")
            self._check_file_size(path, name)
            sources.append((name, functools.partial(self._load_file, path)))
        if not sources:
            raise UsageError(f"paste a Hindi article, drop a file ({' '.join(self.limits.accept)}) or give a web "
                             "address first")
        return sources

    def _load_url(self, link: str) -> Article:
        """A web page, fetched under the rules of :mod:`translate.article.url` and this server's limits."""
        from ..article.url import load_url

        return load_url(link, allow_private=self.limits.allow_private_urls, max_bytes=self.limits.max_file_bytes)

    def _load_file(self, path: str) -> Article:
        """An uploaded file, known by its own name (not the server's temp path) in errors and results."""
        name = Path(path).name
        try:
            article = load_article(path, max_bytes=self.limits.max_file_bytes)
        except InputError as exc:
            raise InputError(name, exc.reason) from None
        article.metadata["source"] = name
        return article

    def _check_text(self, text: str) -> None:
        if len(text) > self.limits.max_chars:
            raise UsageError(f"the pasted text is {len(text):,} characters; the limit is {self.limits.max_chars:,} (--max-chars)")

    def _check_file_size(self, path: str, name: str) -> None:
        size = os.path.getsize(path)
        if size > self.limits.max_file_bytes:
            raise UsageError(f"{name}: file is {format_size(size)}, over the {format_size(self.limits.max_file_bytes)} limit (--max-file-bytes)")

    def _request_dir(self) -> Path:
        """A fresh folder for one request's downloads; folders older than KEEP_SECONDS go."""
        cutoff = time.time() - KEEP_SECONDS
        for old in self.temp_dir.iterdir():
            if old.stat().st_mtime < cutoff:
                shutil.rmtree(old, ignore_errors=True)
        return Path(tempfile.mkdtemp(dir=self.temp_dir))

    # -- the page -----------------------------------------------------------------------------

    def build(self) -> gr.Blocks:
        """The Blocks page and its named API endpoint."""
        gr = _gradio()
        translator, summarizer, beams = self.pipelines.default

        def on_click(text: str | None, files: list[str] | None, urls: str | None, translator: str, summarizer: str,
                     brief_words: float, beams: float, glossary_file: str | None,
                     progress: gr.Progress = gr.Progress()) -> Iterator[tuple[Any, ...]]:
            try:
                yield from self.translate_page(text, files, translator, summarizer, brief_words, beams,
                                               glossary_file, progress, urls=urls)
            except gr.Error as exc:  # shown in the page, kept until the next request, the old result cleared
                yield self._failed(html.unescape(str(exc.message)))

        with gr.Blocks(title="Hindi → English brief", analytics_enabled=False,
                       delete_cache=(KEEP_SECONDS, KEEP_SECONDS)) as demo:
            gr.Markdown("# Hindi news → English brief\nPaste a Hindi article, drop files (text, HTML, Word, PDF) or "
                        "give web addresses; read the headline and brief first, then the full translation and every "
                        "sentence beside its Hindi original. Several articles also get a digest of their stories.")
            with gr.Accordion("Article", open=True) as article_box:
                with gr.Row():
                    with gr.Column(scale=3):
                        text = gr.Textbox(label="Paste a Hindi article (text, Markdown or HTML)", lines=10,
                                          max_lines=20, elem_id="article-text",
                                          placeholder="Paste the article here, or drop files on the right")
                    with gr.Column(scale=2):
                        files = gr.File(label=f"…or drop files ({' '.join(self.limits.accept)}; up to "
                                              f"{self.limits.max_files}, {format_size(self.limits.max_file_bytes)} each)",
                                        file_count="multiple", file_types=list(self.limits.accept), elem_id="article-files")
                        urls = gr.Textbox(label="…or web addresses of articles (one per line)", lines=2, max_lines=10,
                                          elem_id="article-url", placeholder="https://www.example-news.in/…")
                        glossary = gr.File(label="Glossary (optional, TSV: Hindi term<TAB>English)",
                                           file_types=[".tsv", ".txt"], height=140, elem_id="glossary-file")
                with gr.Accordion("Advanced: models, brief length, beam size", open=False, elem_id="advanced"), gr.Row():
                    translator_box = gr.Dropdown(self.translators, value=translator, label="Translation model")
                    summarizer_box = gr.Dropdown(self.summarizers, value=summarizer, label="Summarization model")
                    words_box = gr.Slider(*BRIEF_WORDS_RANGE, value=self.brief_words, step=5, label="Brief length (words)")
                    beams_box = gr.Slider(*BEAMS_RANGE, value=beams, step=1, label="Beam size",
                                          info="Another beam size loads the models again")
                self._examples(text)
            # The button, Stop and the one progress line stay outside the article box, which folds away
            # with the result: what the page is doing is always in view beside the button that started it.
            with gr.Row(equal_height=True):
                button = gr.Button("Translate", variant="primary", elem_id="translate-button", scale=2)
                stop = gr.Button("Stop", variant="stop", elem_id="stop-button", scale=1)
                status = gr.HTML(elem_id="status", container=False)
            with gr.Accordion("Digest: the stories these articles tell", open=True, visible=False) as digest_box:
                digest_html = gr.HTML(elem_id="digest")
            brief = gr.HTML(elem_id="brief")
            # The deliverables right under the card, not below the sentence table.
            with gr.Row():
                json_button = gr.DownloadButton("Download JSON", visible=False, elem_id="download-json")
                md_button = gr.DownloadButton("Download Markdown", visible=False, elem_id="download-md")
                docx_button = gr.DownloadButton("Download Word", visible=False, elem_id="download-docx")
                bilingual_button = gr.DownloadButton("Download Word, Hindi | English", visible=False,
                                                     elem_id="download-bilingual")
                zip_button = gr.DownloadButton("Download all (zip)", visible=False, elem_id="download-zip")
            with gr.Accordion("Full translation", open=True):
                translation = gr.HTML(elem_id="translation")
            with gr.Accordion("Sentence by sentence", open=True):
                segments = gr.HTML(elem_id="segments")
            with gr.Accordion("Removed by cleaning", open=False):
                removed = gr.HTML(elem_id="removed")
            with gr.Accordion("Warnings", open=True):
                warnings = gr.HTML(elem_id="warnings")
            # While one request runs its button is disabled and the status line (the page's only progress
            # display: show_progress="hidden" keeps Gradio's overlays off the four panels) says how far it is.
            busy = button.click(lambda: (gr.Button(interactive=False), render_progress([], 0, 0, "Starting…")),
                                None, [button, status], api_visibility="private", queue=False)
            work = busy.then(
                on_click,
                [text, files, urls, translator_box, summarizer_box, words_box, beams_box, glossary],
                [article_box, status, digest_box, digest_html, brief, translation, segments, removed, warnings,
                 json_button, md_button, docx_button, bilingual_button, zip_button],
                api_visibility="private", concurrency_id="translate", show_progress="hidden",
            )
            ready = lambda: gr.Button(interactive=True)  # noqa: E731
            work.success(ready, None, [button], api_visibility="private", queue=False)
            work.failure(ready, None, [button], api_visibility="private", queue=False)  # an unexpected failure too
            stop.click(lambda: ("Stopped.", gr.Button(interactive=True)), None, [status, button], cancels=[work],
                       api_visibility="private", queue=False)
            gr.api(self.translate_article, api_name=API_NAME, concurrency_id="translate")
        demo.queue(max_size=self.limits.max_queue, default_concurrency_limit=self.limits.concurrency)
        self.demo = demo
        return demo

    def _examples(self, text: gr.Textbox) -> None:
        gr = _gradio()
        seeds = sorted(self.seeds_dir.glob("*.txt")) if self.seeds_dir and self.seeds_dir.is_dir() else []
        if not seeds:
            return
        texts = [seed.read_text(encoding="utf-8") for seed in seeds]
        articles = [parse_article(t, source=seed.name) for seed, t in zip(seeds, texts)]
        labels = [f"{seed.name[:3]} · {(a.title or a.sentences()[0][1])[:60]}" for seed, a in zip(seeds, articles)]
        gr.Examples([[t] for t in texts], inputs=[text], example_labels=labels, label="Sample articles (click one)")

    def launch(self, *, host: str = "127.0.0.1", port: int = 7860, auth: list[tuple[str, str]] | None = None,
               share: bool = False, block: bool = True, quiet: bool = False) -> str:
        """Serve the page; return its local URL. ``block=False`` returns at once (tests)."""
        demo = self.demo or self.build()
        _, url, _ = demo.launch(
            server_name=host, server_port=port, share=share, auth=auth or None,
            auth_message="Hindi → English brief: sign in", max_file_size=self.limits.max_file_bytes,
            prevent_thread_lock=not block, quiet=quiet, show_error=False, enable_monitoring=False,
            ssr_mode=False, mcp_server=False, footer_links=["api"], css=CSS, head=SCRIPT,
        )
        return url

    def close(self) -> None:
        """Stop the server (if running) and remove this app's temporary files."""
        if self.demo is not None:
            self.demo.close()
        shutil.rmtree(self.temp_dir, ignore_errors=True)


def _choices(default: str, others: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """(label, model) pairs, the start-up model first, no model twice."""
    label = default if not Path(default).is_dir() else f"{Path(default).name} (local folder)"
    choices = [(label, default)]
    choices += [(lab, value) for lab, value in others if value != default]
    return choices


def _beams(value: float) -> int:
    beams = int(value)
    if not BEAMS_RANGE[0] <= beams <= BEAMS_RANGE[1]:
        raise UsageError(f"beam size must be {BEAMS_RANGE[0]} to {BEAMS_RANGE[1]}, got {beams}")
    return beams


def _brief_words(value: float) -> int:
    return check_brief_words(int(value))


def _user_error(exc: Exception) -> gr.Error:
    """What the user sees: an expected error's message, or a generic one (the traceback is logged)."""
    gr = _gradio()
    if isinstance(exc, gr.Error):
        return exc
    if isinstance(exc, HindiBriefError):
        return gr.Error(html.escape(str(exc), quote=False), print_exception=False)
    logger.exception("translation failed")
    return gr.Error(GENERIC_ERROR, print_exception=False)
