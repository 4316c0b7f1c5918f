"""Story grouping (translate.digest.grouping): quality on labelled pools, speed and memory.

    python bench/digest.py [--threshold T] [--sizes 100,1000,5000] [--sweep] [--seed N]

Quality, with labels made without hand work: every article of a pool is cut in two halves, the
halves are shuffled, and a perfect grouping puts the two halves of each article together and apart
from every other half. Printed: pair precision, recall and F1 over all pairs of halves (a pair is
predicted when both halves are in one group, true when they come from one article). Halves take
alternate sentences (odd, even), so both tell the whole story as two outlets' reports of one event
do, and a window that runs past the end of its document still gives two halves alike.

Pools (the test sets in ../shared/data/hi-en/):

* the five seed articles (seeds/), cleaned and split as the pipeline does, title in the first half.
  Four are about Russia and Pakistan, so they are the hard case: one topic, four events;
* news: WMT newstest2014 hi-en (newstest2014.hi) holds whole news documents one after another. A
  document starts at a headline, read off the English side (newstest2014.en: a line under 70
  characters, without final punctuation, after a line that ends one); each document of at least
  ``--news-lines`` lines (16, about a short news article; ``short`` uses 10) gives one article, its
  first lines. A missed headline joins two documents, of which only the first lines are taken; a
  line inside a document taken for a headline can give two articles of one document, which then
  count against precision (Snowden and the NSA, two pieces on Obama's health care law);
* FLORES-200 devtest (flores200-devtest.hin_Deva), printed apart and not in the figure: its 1012
  lines are sentences of Wikinews, Wikijunior and Wikivoyage articles, each source article's in one
  run of consecutive lines, 2 to 5 lines long where the English side was read (lines 1-3 diabetes
  research, 4-5 Bob Dylan's Nobel prize, 6-10 Ring's doorbell); the runs' ends are not marked. An
  "article" is a window of 6 lines, the next one starting 6 lines after it ends, so no run (5
  lines at most, by that reading) reaches two windows; a window mostly holds parts of two or three
  runs, so its halves of three sentences often share nothing but a topic: the figure says how
  far short single sentences go, not how well stories are told apart.

Speed and memory: pools of 100, 1,000 and 5,000 synthetic articles, each 25 lines drawn at random
from all of the Hindi above (about a news article's length), grouped once timed and once under
tracemalloc for the peak of memory allocated (numpy and scipy arrays included). Random articles
share whole sentences now and then (5,000 x 25 lines from about 3,600), so the 5,000 pool has more
near pairs than real news would.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import tracemalloc
from itertools import combinations
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO)]

from translate.article import load_article  # noqa: E402
from translate.digest.grouping import THRESHOLD, group_texts  # noqa: E402

DATA = REPO.parent / "shared" / "data" / "hi-en"
FLORES_WINDOW, FLORES_GAP = 6, 6
NEWS_LINES, SHORT_NEWS_LINES = 16, 10
SWEEP = (0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.12, 0.15)

Article = tuple[str, str, str]  # (name, first half, second half)


def halves(name: str, lines: list[str]) -> Article:
    return name, "\n".join(lines[0::2]), "\n".join(lines[1::2])


def seed_articles() -> list[Article]:
    out = []
    for path in sorted((REPO / "seeds").glob("*.txt")):
        article = load_article(path)
        out.append(halves(f"seed {path.stem}", [article.title] + [s for _, s in article.sentences()]))
    return out


def _is_headline(line: str, before: str) -> bool:
    return (len(line) < 70 and not line.rstrip().endswith((".", "!", "?", '"', "”", "'", ";", ":"))
            and before.rstrip().endswith((".", "!", "?", '"', "”", "'")))


def news_articles(lines: int = NEWS_LINES) -> list[Article]:
    hindi = (DATA / "newstest2014.hi").read_text(encoding="utf-8").splitlines()
    english = (DATA / "newstest2014.en").read_text(encoding="utf-8").splitlines()
    starts = [0] + [k for k in range(1, len(english)) if _is_headline(english[k], english[k - 1])]
    return [halves(f"newstest {start + 1}", hindi[start : start + lines])
            for start, end in zip(starts, starts[1:] + [len(english)]) if end - start >= lines]


def flores_articles() -> list[Article]:
    lines = (DATA / "flores200-devtest.hin_Deva").read_text(encoding="utf-8").splitlines()
    return [halves(f"flores {start + 1}", lines[start : start + FLORES_WINDOW])
            for start in range(0, len(lines) - FLORES_WINDOW + 1, FLORES_WINDOW + FLORES_GAP)]


def shuffled(articles: list[Article], seed: int = 0) -> tuple[list[str], list[str]]:
    """The halves of ``articles`` shuffled: ``(texts, labels)``, halves of one article share a label."""
    items = [(half, name) for name, first, second in articles for half in (first, second)]
    random.Random(seed).shuffle(items)
    return [text for text, _ in items], [name for _, name in items]


def pair_scores(groups: list[list[int]], labels: list[str]) -> tuple[float, float, float]:
    predicted = {pair for members in groups for pair in combinations(sorted(members), 2)}
    truth = {(a, b) for a, b in combinations(range(len(labels)), 2) if labels[a] == labels[b]}
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 1.0
    recall = hits / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def score(articles: list[Article], threshold: float, seed: int = 0) -> tuple[tuple[float, float, float], list[list[str]]]:
    texts, labels = shuffled(articles, seed)
    groups = [group.members for group in group_texts(texts, threshold=threshold)]
    mixed = [sorted(labels[m] for m in group) for group in groups if len({labels[m] for m in group}) > 1]
    return pair_scores(groups, labels), mixed


def quality(threshold: float, seed: int, sweep: bool) -> None:
    seeds = seed_articles()
    pools = [
        (f"seeds + news ({NEWS_LINES} lines)", seeds + news_articles(NEWS_LINES)),
        (f"seeds + short news ({SHORT_NEWS_LINES} lines)", seeds + news_articles(SHORT_NEWS_LINES)),
        ("seeds alone", seeds),
        ("FLORES windows (apart, see above)", flores_articles()),
    ]
    print(f"grouping quality, threshold {threshold} (pair precision / recall / F1):")
    for name, articles in pools:
        (precision, recall, f1), mixed = score(articles, threshold, seed)
        print(f"  {name:36} {len(articles):4} articles: {precision:.3f} / {recall:.3f} / {f1:.3f}")
        for labels in mixed[:3]:
            print(f"      one group holds {len(labels)} halves of {', '.join(sorted(set(labels)))}")
        if sweep:
            cells = [f"{t:g}: {score(articles, t, seed)[0][2]:.3f}" for t in SWEEP]
            print("      F1 by threshold  " + "  ".join(cells))


def synthetic_pool(size: int, seed: int = 0, lines_per_article: int = 25) -> list[str]:
    lines = (DATA / "flores200-devtest.hin_Deva").read_text(encoding="utf-8").splitlines()
    lines += (DATA / "newstest2014.hi").read_text(encoding="utf-8").splitlines()
    for path in sorted((REPO / "seeds").glob("*.txt")):
        lines += [s for _, s in load_article(path).sentences()]
    rng = random.Random(seed)
    return ["\n".join(rng.sample(lines, lines_per_article)) for _ in range(size)]


def speed(sizes: list[int], threshold: float) -> None:
    print("grouping speed and memory (synthetic articles of 25 random lines):")
    for size in sizes:
        texts = synthetic_pool(size)
        started = time.perf_counter()
        groups = group_texts(texts, threshold=threshold)
        seconds = time.perf_counter() - started
        tracemalloc.start()
        group_texts(texts, threshold=threshold)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        characters = sum(map(len, texts))
        print(f"  {size:6,} articles ({characters / 1e6:4.1f} M characters): {seconds:6.2f} s, "
              f"peak {peak / 2**20:6.1f} MiB allocated, {len(groups):,} groups")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--sizes", default="100,1000,5000", help="synthetic pool sizes for speed (comma-separated)")
    parser.add_argument("--seed", type=int, default=0, help="shuffle seed")
    parser.add_argument("--sweep", action="store_true", help="also print F1 at other thresholds")
    args = parser.parse_args()
    quality(args.threshold, args.seed, args.sweep)
    speed([int(size) for size in args.sizes.split(",") if size], args.threshold)


if __name__ == "__main__":
    main()
