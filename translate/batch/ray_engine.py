"""`hindi-brief run --engine ray`: the batch of :mod:`translate.batch` spread over a Ray cluster.

The driver (the process running ``hindi-brief``) does everything the local engine does except the
translating: it plans (``--resume`` marks included), writes each article's files as its batch comes
back, and writes ``index.jsonl`` at the end, so outputs, resume after a kill and error reports are
the local engine's. The translating runs on Ray Data: the tasks become plain rows
(:func:`task_row`), ``map_batches`` sends batches of ``--batch-articles`` rows to an actor pool of
:class:`PipelineWorker`, each of which loads the :class:`~translate.pipeline.Pipeline` once (on
its GPU with ``--gpus-per-worker``) and runs :func:`translate.batch.process`; the results come
back as plain rows (:func:`record_row`).

The driver never loads a model (it may have no GPU, nor the models). The options fingerprint that
``--resume`` compares holds the device the models run on, so it comes from the workers: one Ray
task loads the pipeline as a worker does and reports it before planning, and every batch that comes
back carries its worker's own fingerprint, which must match (nodes with different model revisions
in their stores are an error, not silently mixed outputs).

Input files are read by the workers, by the path given on the command line: on a cluster with
several nodes the inputs must be at the same path on every node (a shared file system).
"""

from __future__ import annotations

import logging
import os
import socket
from pathlib import Path
from typing import Any, Iterator

import pyarrow as pa

from ..errors import HindiBriefError, ModelError, UsageError
from ..options import PipelineOptions
from .output import write_results
from .plan import Task
from .plan import plan as plan_tasks  # the package's __init__ rebinds .plan to this function
from .process import Record, process

INSTALL_HINT = "pip install 'hindi-brief[ray]'"
CONNECT_TIMEOUT_S = 5

# What comes back from a worker for one task; explicit types so that batches holding no error (all
# nulls) and batches holding one still make blocks of the same schema.
RECORD_SCHEMA = pa.schema([
    ("index", pa.int64()),
    ("options", pa.string()),
    ("status", pa.string()),
    ("error", pa.string()),
    ("json_text", pa.string()),
    ("markdown", pa.string()),
    ("sentences", pa.int64()),
    ("warnings", pa.int64()),
])


def import_ray() -> Any:
    """The ``ray`` module with Ray Data, or a :class:`UsageError` saying how to install it."""
    try:
        import ray
        import ray.data  # noqa: F401  (the engine needs the Data library, not only Ray Core)
    except ImportError:
        raise UsageError(f"the Ray engine needs Ray, which is not installed: {INSTALL_HINT}") from None
    return ray


# -- rows: tasks and records as plain data for Ray Data -----------------------------------------


def task_row(index: int, task: Task) -> dict[str, Any]:
    """One task as a Ray Data row; ``index`` is its place in the plan."""
    return {"index": index, "input": task.input, "stem": task.stem, "sha256": task.sha256,
            "data": task.data, "error": task.error, "fetched_url": task.fetched_url}


def row_task(row: dict[str, Any]) -> Task:
    """The task a :func:`task_row` row describes."""
    return Task(input=row["input"], stem=row["stem"], sha256=row["sha256"], data=row["data"], error=row["error"],
                fetched_url=row.get("fetched_url"))


def record_row(index: int, record: Record, options: str) -> dict[str, Any]:
    """One record as a Ray Data row, with the fingerprint of the options it was made with."""
    return {"index": index, "options": options, "status": record.status, "error": record.error,
            "json_text": record.json_text, "markdown": record.markdown,
            "sentences": record.sentences, "warnings": record.warnings}


def row_record(row: dict[str, Any], task: Task) -> Record:
    """The record of ``task`` a :func:`record_row` row describes (timings stay on the worker)."""
    return Record(task, row["status"], error=row["error"], json_text=row["json_text"],
                        markdown=row["markdown"], sentences=row["sentences"], warnings=row["warnings"])


# -- the worker ---------------------------------------------------------------------------------


class PipelineWorker:
    """A Ray Data actor: loads the pipeline once, then translates batches of task rows."""

    def __init__(self, options: PipelineOptions, max_bytes: int | None = None):
        from ..pipeline import Pipeline

        self.pipeline = Pipeline.from_options(options)
        self.brief_words = options.brief_words
        self.max_bytes = max_bytes
        self.fingerprint = options.fingerprint(self.pipeline.models)

    def __call__(self, rows: pa.Table) -> pa.Table:
        """Translate one batch of :func:`task_row` rows into :func:`record_row` rows."""
        items = rows.to_pylist()
        records = process(self.pipeline, [row_task(row) for row in items], fingerprint=self.fingerprint,
                                brief_words=self.brief_words, max_bytes=self.max_bytes)
        return pa.Table.from_pylist(
            [record_row(row["index"], record, self.fingerprint) for row, record in zip(items, records)],
            schema=RECORD_SCHEMA,
        )


def worker_fingerprint(options: PipelineOptions) -> str:
    """Load the pipeline as a worker does and return its options fingerprint (runs as a Ray task)."""
    return PipelineWorker(options).fingerprint


# -- the driver ---------------------------------------------------------------------------------


def connect(ray: Any, address: str | None) -> bool:
    """Join the Ray cluster at ``address`` (else ``$RAY_ADDRESS``), or start a local Ray with this
    machine's cores. Returns whether this call started Ray (and so should shut it down)."""
    if ray.is_initialized():  # a caller (a notebook, a test) already chose the cluster
        return False
    # An offline tool: Ray's usage statistics are off unless the user turns them on.
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    target = address or os.environ.get("RAY_ADDRESS") or "local"
    host, _, port = target.rpartition(":")
    if "://" not in target and host and port.isdigit():
        # Ray retries an unreachable head node for many minutes, silently but for its own log
        # lines; a quick TCP check turns a typo into an error within seconds.
        try:
            socket.create_connection((host, int(port)), timeout=CONNECT_TIMEOUT_S).close()
        except OSError as exc:
            raise UsageError(f"Ray address {target}: no Ray head node answers there ({exc.strerror or exc})") from None
    try:
        ray.init(address=target, include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING)
    except ConnectionError as exc:
        raise UsageError(f"Ray address {target}: cannot connect to a Ray cluster: {exc}") from None
    return True


def _get(ray: Any, ref: Any) -> Any:
    """``ray.get``, re-raising the tool's own errors from the worker as they are (one line, no trace)."""
    try:
        return ray.get(ref)
    except ray.exceptions.RayTaskError as exc:
        if isinstance(exc.cause, HindiBriefError):
            raise exc.cause from None
        raise


def translate_on_ray(ray: Any, tasks: list[Task], *, options: PipelineOptions, fingerprint: str,
                     max_bytes: int | None, batch_articles: int, workers: int | None,
                     gpus_per_worker: float) -> Iterator[Record]:
    """Records of the tasks not marked ``skip``, in the order the workers finish them."""
    rows = [task_row(i, task) for i, task in enumerate(tasks) if not task.skip]
    if not rows:
        return
    # A fixed pool of ``workers``, else one that grows as far as the cluster's resources allow;
    # never more workers (each loading the models) than there are batches.
    batches = -(-len(rows) // batch_articles)
    if workers:
        pool = ray.data.ActorPoolStrategy(size=min(workers, batches))
    else:
        pool = ray.data.ActorPoolStrategy(min_size=1, max_size=batches)
    results = ray.data.from_items(rows).map_batches(
        PipelineWorker,
        fn_constructor_kwargs={"options": options, "max_bytes": max_bytes},
        batch_size=batch_articles,
        batch_format="pyarrow",
        compute=pool,
        num_cpus=1,
        num_gpus=gpus_per_worker or None,
    )
    for row in results.iter_rows():
        if row["options"] != fingerprint:
            raise ModelError(
                f"a Ray worker loaded other models than the first one (options {row['options']}, not {fingerprint}): "
                "every node must hold the same model revisions"
            )
        yield row_record(row, tasks[row["index"]])


def run_ray(options: PipelineOptions, paths: Any, out_dir: Path, *, settings: Any, resume: bool = False,
            batch_articles: int = 8, max_bytes: int | None = None, on_record: Any = None,
            **outputs: Any) -> list[Record]:
    """``run_batch(..., engine="ray")``: plan, translate on Ray, write every article's files.

    ``settings``: a :class:`translate.batch.RaySettings`; ``outputs``: the output formats and the
    web-address rule, as :func:`translate.batch.plan.plan` takes them. Returns the records in input
    order, as the local engine does; the caller writes the index.
    """
    ray = import_ray()
    if settings.workers is not None and settings.workers < 1:
        raise UsageError("the number of Ray workers must be at least 1")
    if settings.gpus_per_worker < 0:
        raise UsageError("GPUs per Ray worker must not be negative")
    started_here = connect(ray, settings.address)
    # The driver shows its own progress bars, errors and summary: Ray Data's bars, its notice that
    # they are off and its per-run INFO lines would only interleave with them.
    ray.data.DataContext.get_current().enable_progress_bars = False
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    logging.getLogger("ray.data._internal.progress").setLevel(logging.ERROR)
    try:
        probe = ray.remote(num_cpus=1, num_gpus=settings.gpus_per_worker)(worker_fingerprint)
        fingerprint = _get(ray, probe.remote(options))
        tasks = plan_tasks(paths, out_dir, fingerprint=fingerprint, resume=resume, max_bytes=max_bytes, **outputs)
        out_dir.mkdir(parents=True, exist_ok=True)
        records = translate_on_ray(
            ray, tasks, options=options, fingerprint=fingerprint, max_bytes=max_bytes,
            batch_articles=batch_articles, workers=settings.workers, gpus_per_worker=settings.gpus_per_worker,
        )
        return write_results(tasks, out_dir, records, on_record=on_record)
    finally:
        if started_here:
            ray.shutdown()
