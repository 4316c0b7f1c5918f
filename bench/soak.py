"""Soak: a day's archive through `hindi-brief run` without drift (issue 18).

Generates an archive of ``--articles`` (2,000) Hindi articles from the seeds, FLORES-200 devtest and
WMT newstest2014 (1 to 20 sentences each, as .txt, .md and .html; ``--bad-share`` 1% bad files mixed
in: empty, binary, English only, over the size limit, a broken Word file, Hindi typed in a legacy
font), runs the real command over it in a child process with the tiny random-weight models
(``--summarizer extractive --beams 1``, a fresh translation cache; output lengths forced and no
retranslation offered, through ``bench/forced_cli.py`` as in ``bench/speed.py``) and watches it from
outside:

* every 100 finished articles (JSON files appearing in the output folder), the throughput of that
  hundred and the child's resident memory (the highest seen in the hundred);
* at the end, ``index.jsonl`` must list every input exactly once, the bad files as errors and the
  others as done;
* memory must stay flat: the median RSS over the last 500 articles within +10% of the median over
  the first 500 (after the first 100, which load the models and fill the caches).

Run: ``.venv/bin/python bench/soak.py`` (about an hour on 2 cores; ``--articles 300`` for a short
run). Exit code 1 if a check fails. Figures: bench/README.md.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from tiny_models import build_tiny_models  # noqa: E402

from translate.article import load_article  # noqa: E402

DATA = REPO.parent / "shared" / "data" / "hi-en"
BAD_KINDS = ("empty.txt", "binary.txt", "english.txt", "huge.txt", "broken.docx", "legacy.txt")


def hindi_pool() -> list[str]:
    """Hindi sentences to build articles from: the seeds', then FLORES-200 and newstest2014 lines."""
    pool = [s for seed in sorted((REPO / "seeds").glob("*.txt")) for _, s in load_article(seed).sentences()]
    for name in ("flores200-devtest.hin_Deva", "newstest2014.hi"):
        path = DATA / name
        if path.exists():
            pool += [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if 20 < len(line.strip()) < 250]
    return pool


def bad_file(kind: str, folder: Path, index: int) -> Path:
    path = folder / f"{index:05d}-bad-{kind}"
    if kind == "empty.txt":
        path.write_bytes(b"")
    elif kind == "binary.txt":
        path.write_bytes(bytes(random.Random(index).randrange(256) for _ in range(4096)))
    elif kind == "english.txt":
        path.write_text("This article is in English only; nothing Hindi to translate.\n" * 5, encoding="utf-8")
    elif kind == "huge.txt":
        path.write_text("भारत और रूस के बीच बातचीत हुई। " * 200_000, encoding="utf-8")  # ~ 8 MiB, over 5 MiB
    elif kind == "broken.docx":
        path.write_bytes(b"PK\x03\x04 this is not really a Word file")
    else:  # Hindi typed in Kruti Dev: Latin letters the font draws as Devanagari
        path.write_text("Hkkjr vkSj :l ds chp O;kikj c<+kus ij lgefr cuh gSA " * 20, encoding="utf-8")
    return path


def make_archive(folder: Path, count: int, bad_share: float, seed: int) -> tuple[list[Path], list[Path]]:
    """(good files, bad files) of a fresh archive in ``folder``."""
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    pool = hindi_pool()
    bad_every = max(1, round(1 / bad_share)) if bad_share > 0 else 0
    good, bad = [], []
    position = 0
    for index in range(count):
        if bad_every and index % bad_every == bad_every - 1:
            bad.append(bad_file(BAD_KINDS[len(bad) % len(BAD_KINDS)], folder, index))
            continue
        size = rng.choice([1, 2, 3, 4, 6, 8, 12, 20])
        # The headline is a sentence of its own (a body that only repeats its headline is refused as
        # "nothing left after cleaning", as a real page of nothing but its headline would be).
        title = " ".join(pool[position % len(pool)].rstrip("।. ").split()[:12])
        sentences = [pool[(position + 1 + k) % len(pool)] for k in range(size)]
        position += size + 1
        body = [" ".join(sentences[k:k + 3]) for k in range(0, size, 3)]
        suffix = (".txt", ".md", ".html")[index % 3]
        path = folder / f"{index:05d}{suffix}"
        if suffix == ".html":
            text = (f"<html><head><title>{html.escape(title)}</title></head><body><article><h1>{html.escape(title)}</h1>"
                    + "".join(f"<p>{html.escape(p)}</p>" for p in body) + "</article></body></html>")
        elif suffix == ".md":
            text = f"# {title}\n\n" + "\n\n".join(body) + "\n"
        else:
            text = f"{title}\n\n" + "\n\n".join(body) + "\n"
        path.write_text(text, encoding="utf-8")
        good.append(path)
    return good, bad


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000, help="articles in the archive (default 2,000)")
    parser.add_argument("--bad-share", type=float, default=0.01, help="share of bad files (default 0.01)")
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/hindi-brief-soak"),
                        help="where the tiny models (kept for the next run), the archive and the outputs go")
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args(argv)
    work = args.work_dir
    tiny = work / "tiny"
    if not (tiny / "translator" / "config.json").exists():
        build_tiny_models(tiny)
    for name in ("archive", "out"):
        if (work / name).exists():
            subprocess.run(["rm", "-rf", str(work / name)], check=True)
    (work / "cache.sqlite3").unlink(missing_ok=True)
    good, bad = make_archive(work / "archive", args.articles, args.bad_share, args.seed)
    print(f"archive: {len(good)} articles and {len(bad)} bad files in {work / 'archive'}", flush=True)

    out = work / "out"
    env = {**os.environ, "HINDI_BRIEF_CACHE": str(work / "cache.sqlite3"), "HF_HUB_OFFLINE": "1",
           "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")}
    # The command's own code path, as bench/speed.py runs it: random weights would decode to the length
    # limit and fail every check (so every sentence would be translated three more times); forced to
    # 1.1x the source and offered no retranslation, they do the work a real model's output causes.
    command = [sys.executable, str(REPO / "bench" / "forced_cli.py"), str(work / "report.json"),
               "run", str(work / "archive"), "-o", str(out),
               "--translator", str(tiny / "translator"), "--summarizer", "extractive", "--beams", "1", "-q"]
    started = time.monotonic()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    process = psutil.Process(child.pid)
    rows: list[tuple[int, float, float, float]] = []  # (articles done, seconds for this hundred, articles/s, peak RSS MiB)
    mark, last_time, peak = 100, started, 0.0
    print(f"{'articles':>8} {'s/100':>7} {'art/s':>6} {'RSS MiB':>8}", flush=True)
    while child.poll() is None:
        try:
            peak = max(peak, process.memory_info().rss / 2**20)
        except psutil.Error:
            pass
        done = sum(1 for _ in out.glob("*.json")) if out.exists() else 0
        while done >= mark:
            now = time.monotonic()
            rows.append((mark, now - last_time, 100 / (now - last_time), peak))
            print(f"{mark:8} {now - last_time:7.1f} {100 / (now - last_time):6.2f} {peak:8.0f}", flush=True)
            mark, last_time, peak = mark + 100, now, 0.0
        time.sleep(0.2)
    seconds = time.monotonic() - started
    errors = child.stderr.read() if child.stderr else ""
    print(f"exit code {child.returncode} after {seconds:.0f} s ({len(good) / seconds:.2f} articles/s overall)")

    failures = []
    index = [json.loads(line) for line in (out / "index.jsonl").read_text(encoding="utf-8").splitlines()]
    inputs = [row["input"] for row in index]
    expected = sorted(str(p) for p in good + bad)
    if sorted(inputs) != expected or len(set(inputs)) != len(inputs):
        failures.append(f"index.jsonl lists {len(inputs)} inputs ({len(set(inputs))} distinct) for {len(expected)} files")
    status = {row["input"]: row["status"] for row in index}
    wrong = [p for p in good if status.get(str(p)) != "ok"] + [p for p in bad if status.get(str(p)) != "error"]
    if wrong:
        failures.append(f"{len(wrong)} inputs with the wrong status, e.g. {wrong[0].name}: {status.get(str(wrong[0]))}")
    error_lines = [line for line in errors.splitlines() if line.startswith("hindi-brief: error:")]
    if len(error_lines) != len(bad) or "Traceback" in errors:
        failures.append(f"{len(error_lines)} error lines for {len(bad)} bad files")
    print(f"index.jsonl: {len(inputs)} inputs, {len(set(inputs))} distinct, {sum(s == 'ok' for s in status.values())} done, "
          f"{sum(s == 'error' for s in status.values())} errors (one line each on stderr: {len(error_lines)})")

    steady = [row for row in rows if row[0] > 100]
    if len(steady) >= 10:
        first = statistics.median(row[3] for row in steady[:5])
        last = statistics.median(row[3] for row in steady[-5:])
        speed_first = statistics.median(row[2] for row in steady[:5])
        speed_last = statistics.median(row[2] for row in steady[-5:])
        print(f"memory: median peak RSS {first:.0f} MiB over articles 101-600, {last:.0f} MiB over the last 500 "
              f"({100 * (last / first - 1):+.1f}%, limit +10%)")
        print(f"throughput: median {speed_first:.2f} articles/s over articles 101-600, {speed_last:.2f} over the last 500")
        if last > first * 1.10:
            failures.append(f"memory grew {100 * (last / first - 1):.1f}% (limit 10%)")
    else:
        print("too few hundreds for the memory check (needs 1,100 articles or more)")
    for failure in failures:
        print(f"FAIL: {failure}")
    print("OK" if not failures else f"{len(failures)} check(s) failed")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
