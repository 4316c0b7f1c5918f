"""Batch translation of files and folders: what ``hindi-brief run`` does, as one library call.

    from translate.batch import run_batch
    from translate.options import PipelineOptions
    report = run_batch(["seeds/"], "out", PipelineOptions(translator="nllb-600m"), resume=True)
    report.exit_code, report.summary()

Stages, each usable on its own (the Ray engine reuses them), read top-down:

* :func:`~translate.batch.plan.plan` - find the inputs, name the outputs, mark what ``resume`` skips;
* :func:`~translate.batch.process.process` - a chunk of tasks through one pipeline, their sentences
  sharing the model's batches; one bad article is recorded, the others go on;
* :mod:`~translate.batch.output` - atomic ``<stem>.json`` / ``.md`` / ``.txt`` / ``.docx``,
  ``index.jsonl``, the dataset.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from ..article import max_bytes_limit
from ..errors import EXIT_OK, EXIT_SOME_FAILED, UsageError
from ..options import PipelineOptions, check_brief_words
from .output import (
    atomic_write,
    remove_stale_temporaries,
    write_dataset,
    write_digest,
    write_index,
    write_record,
    write_results,
)
from .plan import (
    DEFAULT_FORMATS,
    INDEX_NAME,
    OUTPUT_FORMATS,
    STDIN,
    Task,
    discover,
    parse_formats,
    plan,
    safe_stem,
    unique_stem,
)
from .process import Record, process

#: Called with each record as its files are written (any order); the CLI prints errors and progress.
OnRecord = Callable[[Record], None]


@dataclass
class BatchReport:
    """What a batch did: one record per input, in input order."""

    records: list[Record]
    out_dir: Path
    seconds: float = 0.0
    dataset_rows: int | None = None
    digest: Any = None  # the translate.digest.Digest of the run, when asked for

    @property
    def ok(self) -> int:
        return sum(r.status == "ok" for r in self.records)

    @property
    def failed(self) -> int:
        return len(self.records) - self.ok

    @property
    def skipped(self) -> int:
        return sum(r.task.skip for r in self.records)

    @property
    def exit_code(self) -> int:
        return EXIT_SOME_FAILED if self.failed else EXIT_OK

    def summary(self) -> str:
        """One line: counts, time and where the outputs are."""
        sentences = sum(r.sentences for r in self.records)
        warnings = sum(r.warnings for r in self.records)
        stories = ""
        if self.digest is not None:
            count = len(self.digest.stories)
            stories = f"; {count} stor{'ies' if count != 1 else 'y'} in digest.md"
        return (f"{self.ok} of {len(self.records)} articles translated ({self.skipped} already done), {self.failed} "
                f"failed; {sentences} sentences, {warnings} warnings{stories}; {self.seconds:.1f} s; outputs in "
                f"{self.out_dir}/")


@dataclass(frozen=True)
class RaySettings:
    """Where and how ``engine="ray"`` runs (see :mod:`translate.batch.ray_engine`)."""

    address: str | None = None
    workers: int | None = None
    gpus_per_worker: float = 0
    extra: dict[str, Any] = field(default_factory=dict)


def check_inputs(paths: Sequence[str | Path], out_dir: str | Path, *, dataset: str | Path | None = None,
                 max_bytes: int | None = None) -> None:
    """What can be checked before any model loads, so that a typo fails in milliseconds: the output
    and dataset folders are not files, the size limit is valid, every path exists."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir}: the output folder is a file")
    if dataset and Path(dataset).exists() and not Path(dataset).is_dir():
        raise UsageError(f"{dataset}: the dataset folder is a file")
    max_bytes_limit(max_bytes)
    discover(paths, out_dir)


def run_local(pipeline: Any, tasks: list[Task], out_dir: Path, *, fingerprint: str, brief_words: int,
              chunk: int = 8, max_bytes: int | None = None, on_record: OnRecord | None = None,
              on_event: Any = None) -> list[Record]:
    """Chunks of articles through one pipeline in this process, outputs written as each chunk ends."""
    todo = [t for t in tasks if not t.skip]
    records = (
        record
        for start in range(0, len(todo), chunk)
        for record in process(pipeline, todo[start:start + chunk], fingerprint=fingerprint,
                              brief_words=brief_words, max_bytes=max_bytes, on_event=on_event)
    )
    return write_results(tasks, out_dir, records, on_record=on_record)


def run_batch(
    paths: Sequence[str | Path],
    out_dir: str | Path,
    options: PipelineOptions | None = None,
    *,
    pipeline: Any = None,
    resume: bool = False,
    dataset: str | Path | None = None,
    batch_articles: int = 8,
    max_bytes: int | None = None,
    stdin: Callable[[int], bytes | str] | None = None,
    on_record: OnRecord | None = None,
    on_event: Any = None,
    engine: str = "local",
    ray: RaySettings | None = None,
    formats: str | Sequence[str] = DEFAULT_FORMATS,
    bilingual: bool = False,
    allow_private_urls: bool | Sequence[str] = False,
    digest_words: int | None = None,
) -> BatchReport:
    """Translate ``paths`` (files, folders, web addresses, ``-``) into ``out_dir``: ``<stem>.json`` and
    the other ``formats`` per article (``md``, ``txt``, ``docx``; default JSON and Markdown) and
    ``index.jsonl``.

    ``options`` say which models and how (default: :class:`PipelineOptions`' defaults); a loaded
    ``pipeline`` may be given instead (or as well: then ``options`` only give the brief length).
    ``resume`` skips articles whose outputs exist and match the input's hash and the options.
    ``dataset``: also save the results as a Hugging Face ``datasets`` dataset there.
    ``engine="ray"`` runs the translating on a Ray cluster (``ray``: where and how).
    ``bilingual``: the ``.docx`` also gets a Hindi | English table. ``allow_private_urls``: web
    addresses may lead to private, loopback and link-local addresses (a server of this network;
    True for all, or a list of the networks allowed). ``digest_words``: also group the finished
    articles into stories and write ``digest.json`` and ``digest.md`` (:mod:`translate.digest`),
    each story's brief about that many words (on the Ray engine too: the digest is made here, from
    the workers' results).
    ``on_event``: the pipeline's events as each sentence comes back from the model (local engine only;
    :meth:`translate.pipeline.Pipeline.translate_prepared`), for a progress bar counting sentences.
    A bad article is a record with its one-line error; a bad option or path is a UsageError.
    """
    started = time.perf_counter()
    out_dir = Path(out_dir)
    if options is None:
        options = PipelineOptions(brief_words=pipeline.brief_words) if pipeline is not None else PipelineOptions()
    if batch_articles < 1:
        raise UsageError(f"articles per batch must be at least 1, got {batch_articles}")
    check_inputs(paths, out_dir, dataset=dataset, max_bytes=max_bytes)
    if digest_words is not None:
        check_brief_words(digest_words)
    outputs = {"formats": parse_formats(formats), "bilingual": bilingual, "allow_private_urls": allow_private_urls}
    remove_stale_temporaries(out_dir)
    if engine == "ray":
        from .ray_engine import run_ray

        records = run_ray(options, paths, out_dir, settings=ray or RaySettings(), resume=resume,
                          batch_articles=batch_articles, max_bytes=max_bytes, on_record=on_record, **outputs)
    elif engine == "local":
        if pipeline is None:
            from ..pipeline import Pipeline

            pipeline = Pipeline.from_options(options)
        fingerprint = options.fingerprint(pipeline.models)
        tasks = plan(paths, out_dir, fingerprint=fingerprint, resume=resume, stdin=stdin, max_bytes=max_bytes, **outputs)
        out_dir.mkdir(parents=True, exist_ok=True)
        records = run_local(pipeline, tasks, out_dir, fingerprint=fingerprint, brief_words=options.brief_words,
                            chunk=batch_articles, max_bytes=max_bytes, on_record=on_record, on_event=on_event)
    else:
        raise UsageError(f"unknown engine {engine!r}; choose local or ray")
    report = BatchReport(records, out_dir)
    write_index(out_dir, records)
    if digest_words is not None:
        report.digest = write_digest(out_dir, records, words=digest_words)
    if dataset:
        try:
            report.dataset_rows = write_dataset(out_dir, Path(dataset), records)
        except OSError as exc:
            raise UsageError(f"{dataset}: cannot save the dataset: {exc.strerror or exc}") from None
    report.seconds = time.perf_counter() - started
    return report


__all__ = [
    "BatchReport", "DEFAULT_FORMATS", "INDEX_NAME", "OUTPUT_FORMATS", "OnRecord", "RaySettings", "Record", "STDIN", "Task", "atomic_write", "check_inputs",
    "discover", "parse_formats", "plan", "process", "run_batch", "run_local", "safe_stem", "unique_stem", "write_dataset",
    "write_digest", "write_index", "write_record", "write_results",
]
