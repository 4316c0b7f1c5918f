"""`hindi-brief digest`: translate what is not translated yet, then group the articles into stories
and write DIR/digest.json and DIR/digest.md. The work is :func:`translate.batch.run_batch` with
``resume=True`` and a digest; this module only declares the command."""

from __future__ import annotations

import argparse

from .run import add_arguments
from .run import main as run


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "digest",
        help="group articles into stories: one cited English brief per story, agreements and conflicts",
        description="Translate the articles of PATH (what DIR does not hold yet; the rest is read back, as with "
                    "`run --resume`), group them into stories from their Hindi text, and write DIR/digest.json and "
                    "DIR/digest.md: per story a brief whose every sentence cites its article and sentence, the facts "
                    "several outlets report, where the outlets disagree, who is named and when things happened. "
                    "Also writes each article's outputs and DIR/index.jsonl, as `run` does.",
    )
    add_arguments(parser)
    parser.set_defaults(func=main, resume=True, digest=True)


def main(args: argparse.Namespace) -> int:
    return run(args)
