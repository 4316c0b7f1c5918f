"""`hindi-brief clean PATH...`: show what the cleaner keeps of each article (no model needed)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..article import FORMATS, Article, load_article, load_bytes, max_bytes_limit
from ..article.cleaning import load_rules
from ..batch import discover
from ..errors import EXIT_OK, EXIT_SOME_FAILED, InputError, UsageError
from .common import at_least

#: Order of the metadata lines in the plain output; other keys follow alphabetically.
_METADATA_ORDER = ("source", "site", "author", "dateline", "category", "slug", "summary", "sha256")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "clean",
        help="clean articles and print title, metadata and story blocks (no translation)",
        description="Load each article (.txt, .md, .html/.htm, text with a leading JSON header), drop page furniture "
                    "(ads, share labels, widgets, photo credits, cross-links, trailing blocks of other stories, repeated "
                    "paragraphs), split the story into sentences and print the result. A bad file is reported on one "
                    "line naming it and the others are still printed; exit code 1 if any failed.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="article file, folder (its .txt/.md/.html/.htm files, recursively) or - for standard input")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object per article and line (JSON Lines): title, metadata, "
                             "blocks [{kind, text, sentences}] and removed [{line, reason}]")
    parser.add_argument("--sentences", action="store_true",
                        help="plain output: print each block one sentence per line")
    parser.add_argument("--removed", action="store_true",
                        help="plain output: also list every removed line with the reason")
    parser.add_argument("--rules", metavar="FILE",
                        help="extra cleaning rules (TOML, same layout as translate/cleaning_rules.toml), "
                             "tried before the built-in ones")
    parser.add_argument("--input-format", choices=FORMATS, default=None, metavar="FORMAT",
                        help=f"read every PATH as one of {', '.join(FORMATS)} (default: from the extension, "
                             "or html when the file looks like an HTML document, else text)")
    parser.add_argument("--max-bytes", type=at_least(1), default=None, metavar="N",
                        help="refuse input files larger than N bytes (default: 5 MiB, or $HINDI_BRIEF_MAX_BYTES)")
    parser.set_defaults(func=main)


def render_text(article: Article, *, sentences: bool = False, removed: bool = False) -> str:
    """The plain-text view: ``# title``, ``key: value`` metadata lines, then the blocks
    (headings as ``## heading``; paragraphs as text, or one sentence per line with *sentences*)."""
    lines = [f"# {article.title}" if article.title else "# (no title)"]
    keys = [k for k in _METADATA_ORDER if k in article.metadata]
    keys += sorted(k for k in article.metadata if k not in _METADATA_ORDER)
    lines += [f"{key}: {article.metadata[key]}" for key in keys if article.metadata[key] is not None]
    for block in article.blocks:
        lines.append("")
        if block.kind == "heading":
            lines.append(f"## {block.text}")
        elif sentences:
            lines.extend(block.sentences)
        else:
            lines.append(block.text)
    if removed and article.removed:
        lines += ["", "Removed:"]
        lines += [f"- [{r['reason']}] {r['line']}" for r in article.removed]
    return "\n".join(lines)


def _expand(paths: list[str]):
    """(reported, path) for every article under ``paths``; a missing path is kept, so that loading
    reports it ("file not found") in its place while the others are still cleaned."""
    for raw in paths:
        try:
            found = discover([raw])
        except UsageError:
            yield raw, Path(raw)
            continue
        for reported, path, _ in found:
            yield reported, path


def main(args: argparse.Namespace) -> int:
    limit = max_bytes_limit(args.max_bytes)
    rules = load_rules(args.rules)
    failed = 0
    first = True
    for _reported, path in _expand(args.paths):
        try:
            if path is None:  # standard input
                data = sys.stdin.buffer.read(limit + 1)
                article = load_bytes(data, "<stdin>", max_bytes=limit, fmt=args.input_format, rules=rules)
            else:
                article = load_article(path, max_bytes=limit, fmt=args.input_format, rules=rules)
        except InputError as exc:
            failed += 1
            print(f"hindi-brief: error: {exc}", file=sys.stderr)
            continue
        if args.json:
            print(json.dumps(article.to_dict(), ensure_ascii=False))
        else:
            if not first:
                print("\n" + "-" * 72 + "\n")
            print(render_text(article, sentences=args.sentences, removed=args.removed))
        first = False
        sys.stdout.flush()
    return EXIT_SOME_FAILED if failed else EXIT_OK
