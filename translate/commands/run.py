"""`hindi-brief run`: translate files, folders or standard input into DIR/<stem>.json, .md and index.jsonl."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any, Iterable

from . import at_least
from .. import batch
from ..article import max_bytes_limit
from ..errors import EXIT_OK, EXIT_SOME_FAILED, UsageError
from ..brief import BRIEF_MODES
from ..pipeline import DEFAULT_BRIEF_WORDS


def add_model_options(parser: argparse.ArgumentParser) -> None:
    """Model and output options shared by `run` and `serve`."""
    from ..registry import DEFAULT_SUMMARIZER, DEFAULT_TRANSLATOR

    group = parser.add_argument_group("models")
    group.add_argument("--translator", default=DEFAULT_TRANSLATOR, metavar="X",
                       help=f"translation model: a preset (see `hindi-brief models list`), a hub id or a local folder "
                            f"(default: {DEFAULT_TRANSLATOR}, licensed CC-BY-NC-4.0: non-commercial use only)")
    group.add_argument("--summarizer", default=DEFAULT_SUMMARIZER, metavar="X",
                       help=f"summarization model: a preset, a hub id, a local folder or 'extractive' (default: {DEFAULT_SUMMARIZER})")
    group.add_argument("--device", default="auto", help="torch device: auto (GPU when present), cpu, cuda, cuda:1 ... (default: auto)")
    group.add_argument("--beams", type=at_least(1), default=4, metavar="N", help="beam size for translation and summarization (default: 4)")
    group.add_argument("--brief-words", type=at_least(10), default=DEFAULT_BRIEF_WORDS, metavar="N",
                       help=f"length of the English brief in words, about (default: {DEFAULT_BRIEF_WORDS})")
    group.add_argument("--brief-mode", default="guarded", choices=BRIEF_MODES,
                       help="guarded (default): the model's brief with unsupported sentences replaced by sentences of the "
                            "translation; abstractive: the model's brief as is; extractive: sentences of the translation, verbatim")
    group.add_argument("--glossary", metavar="FILE", help="TSV of 'Hindi term<TAB>English rendering' lines; overrides the built-in news glossary")
    group.add_argument("--trust-remote-code", action="store_true",
                       help="allow a model folder that needs its own Python code (no preset does); runs code from the folder")
    group.add_argument("--allow-pickle", action="store_true",
                       help="allow loading pickle (.bin) weights from a model folder given by path; by default only safetensors weights are loaded (presets are stored as safetensors)")
    group.add_argument("--backend", default="auto", choices=["auto", "transformers", "ctranslate2"],
                       help="model engine: auto (default) uses CTranslate2 when the model has been converted with "
                            "`hindi-brief models convert` (several times faster on a CPU), else transformers")
    group.add_argument("--threads", type=at_least(1), default=None, metavar="N",
                       help="CPU threads per batch for CTranslate2 (default: every core this process may use)")
    group.add_argument("--no-cache", action="store_true",
                       help="neither read nor write the translation cache (see `hindi-brief cache info`): every "
                            "sentence goes to the model")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "run",
        help="translate articles and write JSON, Markdown and index.jsonl",
        description="Translate Hindi articles (files, folders searched recursively for .txt/.md/.html/.htm, or - for "
                    "standard input) and write DIR/<name>.json, DIR/<name>.md and DIR/index.jsonl. A bad article is "
                    "reported on one line and skipped; exit code 1 if any failed, 2 for usage or set-up errors.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="file, folder, or - for standard input")
    parser.add_argument("-o", "--output", default="out", metavar="DIR", help="output folder (default: out/)")
    add_model_options(parser)
    parser.add_argument("--resume", action="store_true",
                        help="skip articles whose outputs exist and match the input's hash and the options")
    parser.add_argument("--dataset", metavar="DIR", help="also save the results as a Hugging Face datasets dataset in DIR")
    parser.add_argument("--batch-articles", type=at_least(1), default=8, metavar="N",
                        help="articles whose sentences share the model's batches (default: 8)")
    parser.add_argument("--max-bytes", type=at_least(1), default=None, metavar="N",
                        help="refuse input files larger than N bytes (default: 5 MiB, or $HINDI_BRIEF_MAX_BYTES)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    engine = parser.add_argument_group("engine")
    engine.add_argument("--engine", default="local", choices=["local", "ray"],
                        help="local (default): this process; ray: a Ray cluster, one model load per worker "
                             "(needs pip install 'hindi-brief[ray]')")
    engine.add_argument("--ray-address", default=None, metavar="ADDRESS",
                        help="with --engine ray: the cluster to use, 'auto' for the one `ray start` made on this "
                             "machine, or host:port (default: $RAY_ADDRESS, else a new local Ray with this machine's cores)")
    engine.add_argument("--workers", type=at_least(1), default=None, metavar="N",
                        help="with --engine ray: number of workers, each holding the models once "
                             "(default: as many as the cluster's CPUs, or GPUs with --gpus-per-worker, allow)")
    engine.add_argument("--gpus-per-worker", type=float, default=0, metavar="G",
                        help="with --engine ray: GPUs each worker reserves, e.g. 1, or 0.5 for two workers per GPU "
                             "(default: 0, CPU only)")
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    out_dir = Path(args.output)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir}: -o must be a folder, and this is a file")
    if args.dataset and Path(args.dataset).exists() and not Path(args.dataset).is_dir():
        raise UsageError(f"{args.dataset}: --dataset must be a folder, and this is a file")
    started = time.perf_counter()
    # Check what can be checked before loading models: a typo fails in milliseconds.
    max_bytes_limit(args.max_bytes)
    batch.discover(args.paths, out_dir)
    batch.remove_stale_temporaries(out_dir)
    if args.quiet or not sys.stderr.isatty():
        quiet_libraries()
    if args.engine == "ray":
        from ..ray_engine import run_ray

        return finish(run_ray(args, out_dir), out_dir, started, dataset=args.dataset)
    pipeline = load_pipeline(args)
    for info in (pipeline.models["translator"], pipeline.models["summarizer"]):
        if info.get("license_note"):
            print(f"note: {info['license_note']}", file=sys.stderr)
    fingerprint = pipeline_fingerprint(pipeline, args.brief_words)
    tasks = batch.plan(args.paths, out_dir, fingerprint=fingerprint, resume=args.resume,
                       max_bytes=args.max_bytes)
    out_dir.mkdir(parents=True, exist_ok=True)
    records = run_local(pipeline, tasks, out_dir, fingerprint=fingerprint, brief_words=args.brief_words,
                        chunk=args.batch_articles, max_bytes=args.max_bytes, progress=not args.quiet)
    return finish(records, out_dir, started, dataset=args.dataset)


def quiet_libraries() -> None:
    """No download or weight-loading progress bars from huggingface_hub and transformers."""
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()


def pipeline_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of ``Pipeline.from_pretrained`` given on the command line, as plain data."""
    return dict(
        translator=args.translator, summarizer=args.summarizer, device=args.device, beams=args.beams,
        glossary=args.glossary, brief_words=args.brief_words, brief_mode=args.brief_mode,
        trust_remote_code=args.trust_remote_code, allow_pickle=args.allow_pickle,
        backend=args.backend, threads=args.threads, cache=not args.no_cache,
    )


def load_pipeline(args: argparse.Namespace):
    from ..pipeline import Pipeline

    return Pipeline.from_pretrained(**pipeline_options(args))


def pipeline_fingerprint(pipeline, brief_words: int) -> str:
    """The options fingerprint ``--resume`` compares: the loaded models and the brief length."""
    return batch.options_fingerprint({**pipeline.models, "brief_words": brief_words})


def run_local(pipeline, tasks: list[batch.Task], out_dir: Path, *, fingerprint: str, brief_words: int,
              chunk: int, max_bytes: int | None, progress: bool) -> list[batch.Record]:
    """Chunks of articles through one pipeline in this process, outputs written as each chunk ends."""
    todo = [t for t in tasks if not t.skip]
    records = (
        record
        for start in range(0, len(todo), chunk)
        for record in batch.process(pipeline, todo[start:start + chunk], fingerprint=fingerprint,
                                    brief_words=brief_words, max_bytes=max_bytes)
    )
    return write_results(tasks, out_dir, records, progress=progress)


def write_results(tasks: list[batch.Task], out_dir: Path, records: Iterable[batch.Record], *,
                  progress: bool) -> list[batch.Record]:
    """Write each record's files as it arrives (any order), report errors; all records in task order.

    ``records`` holds one record for every task not marked ``skip``, each pointing at its task object.
    """
    from tqdm import tqdm

    show = progress and sys.stderr.isatty()
    articles = tqdm(total=len(tasks), unit="article", desc="articles", disable=not show, position=0)
    sentences = tqdm(unit="sentence", desc="sentences", disable=not show, position=1)
    done = {id(t): batch.skipped_record(out_dir, t) for t in tasks if t.skip}
    articles.update(len(done))
    for record in records:
        batch.write_record(out_dir, record)
        if record.status != "ok":
            tqdm.write(f"hindi-brief: error: {record.error}", file=sys.stderr)
        done[id(record.task)] = record
        articles.update(1)
        sentences.update(record.sentences)
    articles.close()
    sentences.close()
    return [done[id(t)] for t in tasks]


def finish(records: list[batch.Record], out_dir: Path, started: float, *, dataset: str | None) -> int:
    """Write index.jsonl (and the dataset), print the one-line summary, return the exit code."""
    batch.write_index(out_dir, records)
    if dataset:
        try:
            batch.write_dataset(out_dir, Path(dataset), records)
        except OSError as exc:
            raise UsageError(f"{dataset}: cannot save the dataset: {exc.strerror or exc}") from None
    ok = sum(r.status == "ok" for r in records)
    failed = len(records) - ok
    skipped = sum(r.task.skip for r in records)
    sentences = sum(r.sentences for r in records)
    warnings = sum(r.warnings for r in records)
    seconds = time.perf_counter() - started
    print(
        f"{ok} of {len(records)} articles translated ({skipped} already done), {failed} failed; "
        f"{sentences} sentences, {warnings} warnings; {seconds:.1f} s; outputs in {out_dir}/",
        file=sys.stderr,
    )
    return EXIT_SOME_FAILED if failed else EXIT_OK
