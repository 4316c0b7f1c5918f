"""Sentence-boundary precision / recall / F1 of ``translate.article.segment.split_sentences`` on FLORES-200.

Consecutive lines of the Hindi devtest file (one sentence a line) are joined with a space into
paragraphs of ``--group`` lines; the gold boundaries are the line ends inside each paragraph (the
paragraph's own end is not counted: every splitter gets it for free).  A predicted boundary is the
end of every piece but the last.  Positions are counted in non-space characters, so the score does
not depend on how a splitter treats whitespace.  The naive baseline (split after ``।?!.`` followed
by whitespace) is scored in the same run.

    .venv/bin/python bench/segmentation.py [--data PATH] [--group 5] [--errors 10]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from translate.article.segment import split_sentences  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data" / "hi-en" / "flores200-devtest.hin_Deva"
_NAIVE_RE = re.compile(r"(?<=[।?!.])\s+")


def naive_split(text: str) -> list[str]:
    """The baseline: split after ``।?!.`` followed by whitespace."""
    return [p for p in _NAIVE_RE.split(text) if p.strip()]


def _offsets(pieces: list[str]) -> set[int]:
    """Internal boundaries of *pieces*, as counts of non-space characters before each."""
    ends, total = set(), 0
    for piece in pieces[:-1]:
        total += len("".join(piece.split()))
        ends.add(total)
    return ends


def score(paragraphs: list[list[str]], splitter: Callable[[str], list[str]]) -> tuple[float, float, float, list]:
    """Micro-averaged boundary precision, recall, F1 and the paragraphs with errors."""
    tp = fp = fn = 0
    errors = []
    for lines in paragraphs:
        gold = _offsets(lines)
        pieces = splitter(" ".join(lines))
        pred = _offsets(pieces)
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
        if gold != pred:
            errors.append((lines, pieces))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="one-sentence-a-line Hindi file (default: %(default)s)")
    parser.add_argument("--group", type=int, default=5, help="lines joined into one paragraph (default: 5)")
    parser.add_argument("--errors", type=int, default=0, help="print this many mis-split paragraphs of ours")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        parser.error(f"{args.data}: no such file (pass --data PATH)")
    lines = [ln.strip() for ln in args.data.read_text(encoding="utf-8").splitlines() if ln.strip()]
    paragraphs = [lines[i : i + args.group] for i in range(0, len(lines), args.group)]
    print(f"{args.data.name}: {len(lines)} sentences in {len(paragraphs)} paragraphs of {args.group}")
    print(f"{'splitter':<18}{'precision':>10}{'recall':>10}{'F1':>10}")
    for name, splitter in (("naive [।?!.]\\s", naive_split), ("split_sentences", split_sentences)):
        p, r, f, errors = score(paragraphs, splitter)
        print(f"{name:<18}{p:>10.4f}{r:>10.4f}{f:>10.4f}")
    multi = sum(len(split_sentences(line)) > 1 for line in lines)
    print(f"\n{multi} of {len(lines)} gold lines hold several sentences by split_sentences; every such"
          " split counts as a false positive against line-end gold (--errors N shows them).")
    for lines, pieces in errors[: args.errors]:
        print("\nGOLD:", *lines, sep="\n  ")
        print("OURS:", *pieces, sep="\n  ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
