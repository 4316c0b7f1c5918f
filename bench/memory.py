"""Where the memory of a `hindi-brief run` goes: resident memory before and after each model load and
each model call, and the peak during each, for the default path (hplt and distilbart-cnn, CTranslate2 int8).

    .venv/bin/python bench/memory.py [--work-dir /tmp/benchwork] [--seeds] [-- extra run options]

The models are bench/speed.py's random-weight models of the default architectures (built into
``--work-dir`` when missing, as bench/speed.py builds them), run through bench/forced_cli.py (output
lengths forced as in the speed bench). Seed 000 alone by default; ``--seeds`` runs the five seeds in
one command (batches shared across articles). A sampler thread reads the resident memory every 20 ms, so
a peak shorter than that may be missed; the process's own peak (``ru_maxrss``) is printed beside it.
Linux only.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))


def rss_mb() -> int:
    """This process's resident memory now, in MiB."""
    return psutil.Process().memory_info().rss // 2**20


class Watch:
    """Samples resident memory and keeps, per step (a model load or call), the memory before and
    after it and the peak during it."""

    def __init__(self) -> None:
        self.steps: list[dict[str, Any]] = []
        self.current: dict[str, Any] | None = None
        self.lock = threading.Lock()
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while True:
            now = rss_mb()
            with self.lock:
                if self.current is not None:
                    self.current["peak"] = max(self.current["peak"], now)
            time.sleep(0.02)

    def step(self, name: str, function: Any, *args: Any, **kwargs: Any) -> Any:
        before = rss_mb()
        with self.lock:
            self.current = {"step": name, "before": before, "peak": before}
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            after = rss_mb()
            with self.lock:
                self.current.update(after=after, peak=max(self.current["peak"], after),
                                    seconds=time.perf_counter() - started)
                self.steps.append(self.current)
                self.current = None


def child(report: Path, argv: list[str]) -> int:
    """In the measured process: wrap CTranslate2's loads and calls, then run bench/forced_cli.py."""
    import forced_cli

    from translate.backends import ct2

    watch = Watch()
    load, run = ct2.load_ct2_translator, ct2.run_ct2
    names: dict[int, str] = {}

    def watched_load(path: Any, *args: Any, **kwargs: Any) -> Any:
        name = Path(path).parent.name
        translator = watch.step(f"load {name}", load, path, *args, **kwargs)
        names[id(translator)] = name
        return translator

    def watched_run(translator: Any, sources: list[list[str]], *args: Any, **kwargs: Any) -> Any:
        step = f"{names.get(id(translator), 'model')}: {len(sources)} x {max(len(s) for s in sources)} tokens"
        return watch.step(step, run, translator, sources, *args, **kwargs)

    ct2.load_ct2_translator, ct2.run_ct2 = watched_load, watched_run
    start = rss_mb()
    code = forced_cli.main([str(report.with_suffix(".cli.json")), *argv])
    report.write_text(json.dumps({"exit_code": code, "start_mb": start, "steps": watch.steps,
                                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work-dir", type=Path, default=Path(tempfile.gettempdir()) / "hindi-brief-bench",
                        help="bench/speed.py's model folder (built there when missing)")
    parser.add_argument("--seeds", action="store_true", help="the five seeds in one run, not seed 000 alone")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args, extra = parser.parse_known_args(argv)
    extra = [a for a in extra if a != "--"]
    if args.child:
        return child(args.child, extra)

    import speed

    args.work_dir.mkdir(parents=True, exist_ok=True)
    speed.build_models(args.work_dir, [speed.DEFAULT, "distilbart-cnn"])
    store = speed.make_store(args.work_dir)
    source = str(speed.SEEDS) if args.seeds else str(next(speed.SEEDS.glob(f"{speed.ARTICLE_SEED}_*.txt")))
    with tempfile.TemporaryDirectory(prefix="hindi-brief-memory-") as tmp:
        report = Path(tmp) / "memory.json"
        env = {**os.environ, "HINDI_BRIEF_MODELS": str(store), "HINDI_BRIEF_CACHE": str(Path(tmp) / "cache.sqlite3"),
               "HF_HUB_OFFLINE": "1"}
        command = [sys.executable, __file__, "--child", str(report), "run", source, "-o", str(Path(tmp) / "out"),
                   "--no-cache", "-q", *extra]
        proc = subprocess.run(command, env=env, capture_output=True, text=True)
        if proc.returncode != 0 or not report.is_file():
            print(proc.stderr[-2000:], file=sys.stderr)
            return 1
        figures = json.loads(report.read_text())
    print(f"hindi-brief run {'seeds/' if args.seeds else Path(source).name} {' '.join(extra)} (default path, random "
          "weights, lengths forced); resident memory in MiB")
    print(f"{'step':42} {'before':>7} {'peak':>7} {'after':>7} {'seconds':>8}")
    print(f"{'Python started':42} {figures['start_mb']:7d}")
    first = figures["steps"][0]["before"]
    print(f"{'+ the libraries, tokenizers, checks':42} {first:7d}   (before the first model: {first} MiB)")
    for step in figures["steps"]:
        print(f"{step['step']:42} {step['before']:7d} {step['peak']:7d} {step['after']:7d} {step['seconds']:8.1f}")
    peak = max(figures["steps"], key=lambda step: step["peak"])
    print(f"peak {peak['peak']} MiB during {peak['step']!r}; the process's own peak (ru_maxrss) {figures['maxrss_mb']} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
