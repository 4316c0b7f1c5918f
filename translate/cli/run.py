"""`hindi-brief run`: translate files, folders, web pages or standard input into DIR/<stem>.json, .md
(.txt, .docx) and index.jsonl.

Argument parsing and what is printed (progress bars, one error line per bad article, the summary);
the work is :func:`translate.batch.run_batch`.
"""

from __future__ import annotations

import argparse
import sys

from .. import batch
from ..errors import OutputError, UsageError
from ..options import BRIEF_WORDS_RANGE, DEFAULT_STORY_WORDS
from .common import add_model_options, at_least, pipeline_options, quiet_libraries, within


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "run",
        help="translate articles and write JSON, Markdown (or text, Word) and index.jsonl",
        description="Translate Hindi articles (files, folders searched recursively for .txt/.md/.html/.htm/.docx/.pdf, "
                    "web addresses, or - for standard input) and write DIR/<name>.json, DIR/<name>.md (see --format) "
                    "and DIR/index.jsonl. A bad article is reported on one line and skipped; exit code 1 if any "
                    "failed, 2 for usage or set-up errors.",
    )
    add_arguments(parser)
    parser.add_argument("--resume", action="store_true",
                        help="skip articles whose outputs exist and match the input's hash and the options")
    parser.add_argument("--digest", action="store_true",
                        help="also group the articles into stories and write DIR/digest.json and DIR/digest.md "
                             "(see `hindi-brief digest`)")
    parser.set_defaults(func=main)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments `run` and `digest` share."""
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="file, folder, web address (http:// or https://), or - for standard input")
    parser.add_argument("-o", "--output", default="out", metavar="DIR", help="output folder (default: out/)")
    parser.add_argument("--format", default="json,md", metavar="LIST", type=_formats,
                        help="what to write per article, comma-separated from json, md, txt, docx (default: json,md; "
                             "the JSON is always written: --resume reads it)")
    parser.add_argument("--bilingual", action="store_true",
                        help="the .docx also gets a two-column Hindi | English table, one row per sentence")
    parser.add_argument("--allow-private-urls", action="store_true",
                        help="let web addresses reach private, loopback and link-local addresses (a server on your "
                             "own network); by default only public ones are fetched")
    add_model_options(parser)
    parser.add_argument("--digest-words", type=within(*BRIEF_WORDS_RANGE), default=DEFAULT_STORY_WORDS, metavar="N",
                        help=f"length of each story's brief in the digest, in words, about (default: {DEFAULT_STORY_WORDS})")
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


def main(args: argparse.Namespace) -> int:
    options = pipeline_options(args)
    try:  # what can be checked before loading models: a typo fails in milliseconds
        batch.check_inputs(args.paths, args.output, dataset=args.dataset, max_bytes=args.max_bytes)
    except UsageError as exc:
        raise UsageError(_with_flags(str(exc))) from None
    if args.quiet or not sys.stderr.isatty():
        quiet_libraries()
    pipeline = None
    if args.engine == "local":
        from ..pipeline import Pipeline

        pipeline = Pipeline.from_options(options)
        for info in (pipeline.models["translator"], pipeline.models["summarizer"]):
            if info.get("license_note"):
                print(f"note: {info['license_note']}", file=sys.stderr)
    with Progress(enabled=not args.quiet) as progress:
        try:
            report = batch.run_batch(
                args.paths, args.output, options, pipeline=pipeline, resume=args.resume, dataset=args.dataset,
                batch_articles=args.batch_articles, max_bytes=args.max_bytes, on_record=progress.record,
                on_event=progress.event if progress.shown else None, engine=args.engine, ray=batch.RaySettings(args.ray_address, args.workers, args.gpus_per_worker),
                formats=args.format, bilingual=args.bilingual, allow_private_urls=args.allow_private_urls,
                digest_words=args.digest_words if args.digest else None,
            )
        except UsageError as exc:
            raise UsageError(_with_flags(str(exc))) from None
        except OutputError as exc:  # a full disk: the run stops; finished articles are kept
            raise OutputError(exc.path, exc.reason.replace("run again with resume", "run again with --resume")) from None
    print(report.summary(), file=sys.stderr)
    return report.exit_code


def _formats(value: str) -> tuple[str, ...]:
    try:
        return batch.parse_formats(value)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _with_flags(message: str) -> str:
    """The library's message with the option that set the value named, for a command-line user."""
    return (message.replace("the output folder is a file", "-o must be a folder, and this is a file")
            .replace("the dataset folder is a file", "--dataset must be a folder, and this is a file")
            .replace("choose another output folder", "choose another -o folder")
            .replace("Ray address ", "--ray-address "))


class Progress:
    """Progress bars on a terminal (articles, sentences) and one error line per failed article."""

    def __init__(self, *, enabled: bool):
        from tqdm import tqdm

        self._tqdm = tqdm
        show = enabled and sys.stderr.isatty()
        self.articles = tqdm(unit="article", desc="articles", disable=not show, position=0)
        self.sentences = tqdm(unit="sentence", desc="sentences", disable=not show, position=1)
        self._engine_events = False
        self.shown = show

    def record(self, record: batch.Record) -> None:
        if record.status != "ok":
            self._tqdm.write(f"hindi-brief: error: {record.error}", file=sys.stderr)
        self.articles.update(1)
        if self._engine_events:  # counted as they came back from the model
            return
        self.sentences.update(record.sentences)

    def event(self, event) -> None:
        """A sentence back from the model (the local engine's events): one more on the sentences bar."""
        self._engine_events = True
        if getattr(event, "segment", None) is not None:
            self.sentences.update(1)

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        self.articles.close()
        self.sentences.close()
