"""Kill and resume (issue 7, item 2): `hindi-brief run` killed with SIGKILL mid-batch, then resumed
with --resume, ends with exactly the files of an uninterrupted run (byte for byte), an index.jsonl
with one line per input, no temporary files, untouched inputs and nothing outside -o."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from translate.article import load_article

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
ARTICLES = 40


def write_inputs(folder: Path) -> list[Path]:
    """40 short articles: a seed's headline and two of its sentences, and a line unique to each."""
    folder.mkdir()
    pools = []
    for seed in SEEDS:
        article = load_article(seed)
        short = [s for _, s in article.sentences() if 20 < len(s) < 90]
        pools.append((article.title or short[0], short[1:]))
    paths = []
    for i in range(ARTICLES):
        title, sentences = pools[i % len(pools)]
        k = (i // len(pools)) % (len(sentences) - 1)
        path = folder / f"{i:02d}_{SEEDS[i % len(SEEDS)].stem[4:]}.txt"
        path.write_text(f"{title}\n\n{sentences[k]} {sentences[k + 1]}\n\nयह समाचार संख्या {i} है।\n", encoding="utf-8")
        paths.append(path)
    return paths


def command(tiny: Path, inputs: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "translate.cli", "run", str(inputs), "-o", str(out),
            "--translator", str(tiny / "translator"), "--summarizer", str(tiny / "summarizer"),
            "--beams", "1", "--batch-articles", "4", "-q", *extra]


def environment() -> dict[str, str]:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1"}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def finished(out: Path) -> int:
    return len(list(out.glob("*.json"))) if out.is_dir() else 0


def kill_when(cmd: list[str], log: Path, ready, *, limit: float = 240.0) -> int:
    """Start ``cmd``, SIGKILL it as soon as ``ready()`` holds; return its exit status."""
    with log.open("ab") as stderr:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=environment(), stdout=subprocess.DEVNULL, stderr=stderr)
    deadline = time.monotonic() + limit
    while proc.poll() is None and not ready():
        assert time.monotonic() < deadline, "the run made no progress"
        time.sleep(0.02)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    return proc.wait()


def assert_consistent(out: Path) -> None:
    """What a kill may leave: finished articles (JSON and Markdown), maybe a Markdown without JSON."""
    for path in out.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))  # written whole or not at all
        assert data["segments"] and path.with_suffix(".md").is_file()


def test_killed_runs_resumed_end_exactly_like_an_uninterrupted_run(tiny_models, tmp_path):
    inputs = tmp_path / "in"
    paths = write_inputs(inputs)
    before = snapshot(inputs)
    clean, out = tmp_path / "clean", tmp_path / "out"
    log = tmp_path / "stderr.log"

    proc = subprocess.run(command(tiny_models, inputs, clean), cwd=ROOT, env=environment(),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    expected = snapshot(clean)
    assert len([name for name in expected if name.endswith(".json")]) == ARTICLES

    # Kill 1: as soon as the first article is written.
    status = kill_when(command(tiny_models, inputs, out), log, lambda: finished(out) > 0)
    assert status == -signal.SIGKILL
    first = finished(out)
    assert 0 < first < ARTICLES
    assert not (out / "index.jsonl").exists()
    assert_consistent(out)

    # Kill 2: resumed, then killed once it has written a few more.
    status = kill_when(command(tiny_models, inputs, out, "--resume"), log, lambda: finished(out) >= first + 3)
    second = finished(out)
    assert second >= first
    assert_consistent(out)

    # What a kill at a worse moment leaves: a temporary file mid-write, and a Markdown file whose
    # JSON was never written.
    victim = sorted(out.glob("*.json"))[0]
    (out / f".{victim.name}.k1ll3d.tmp").write_text('{"title": "half', encoding="utf-8")
    victim.unlink()

    proc = subprocess.run(command(tiny_models, inputs, out, "--resume"), cwd=ROOT, env=environment(),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert f"({second - 1} already done)" in proc.stderr, proc.stderr

    result = snapshot(out)
    extra, missing = sorted(set(result) - set(expected)), sorted(set(expected) - set(result))
    assert not extra and not missing, f"left over: {extra}; missing: {missing}"
    for name, data in expected.items():
        assert result[name] == data, f"{name} differs from the uninterrupted run"
    assert not list(out.glob(".*.tmp"))
    index = [json.loads(line) for line in (out / "index.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [row["input"] for row in index] == [str(p) for p in paths]
    assert all(row["status"] == "ok" for row in index)

    assert snapshot(inputs) == before, "inputs are never modified"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean", "in", "out", "stderr.log"]
    assert "Traceback" not in log.read_text(encoding="utf-8", errors="replace")
