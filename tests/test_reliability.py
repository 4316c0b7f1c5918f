"""Reliability at scale (issue 18): a full disk, a damaged or shared cache, bad configuration; and,
in the `reliability` suite (`make test-reliability`, run by CI), a 200-article batch killed at five
random points and a web server under 50 concurrent users."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_kill_resume import assert_consistent, finished, snapshot

from translate.article import load_article

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def short_articles(folder: Path, count: int) -> list[Path]:
    """``count`` small articles: a seed's headline, two of its sentences, and a line unique to each."""
    folder.mkdir(parents=True)
    pools = []
    for seed in SEEDS:
        article = load_article(seed)
        short = [s for _, s in article.sentences() if 20 < len(s) < 90]
        pools.append((article.title or short[0], short))
    paths = []
    for i in range(count):
        title, sentences = pools[i % len(pools)]
        k = (i // len(pools)) % (len(sentences) - 1)
        path = folder / f"{i:03d}.txt"
        path.write_text(f"{title}\n\n{sentences[k]} {sentences[k + 1]}\n\nयह समाचार संख्या {i} है।\n", encoding="utf-8")
        paths.append(path)
    return paths


def run_command(tiny: Path, inputs: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "translate.cli", "run", str(inputs), "-o", str(out),
            "--translator", str(tiny / "translator"), "--summarizer", "extractive", "--beams", "1",
            "--batch-articles", "4", "-q", *extra]


def environment(**extra: str) -> dict[str, str]:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1", **extra}


def one_error(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("hindi-brief: error:")]
    assert "Traceback" not in stderr and len(errors) == 1, stderr
    return errors[0]


# -- a full disk ----------------------------------------------------------------------------------


@pytest.fixture()
def tiny_disk(tmp_path: Path):
    """A 300 KiB tmpfs mounted for the test (needs root), unmounted after."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root; CI runs as root")
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", str(mount)], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"this machine cannot mount a tmpfs: {proc.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_full_disk_stops_the_run_with_one_line_and_resume_finishes(tiny_models: Path, tmp_path: Path, tiny_disk: Path) -> None:
    inputs = tmp_path / "in"
    short_articles(inputs, 60)
    out = tiny_disk / "out"
    env = environment(HINDI_BRIEF_CACHE=str(tmp_path / "cache.sqlite3"))
    full = subprocess.run(run_command(tiny_models, inputs, out), cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    assert full.returncode == 1, full.stderr
    line = one_error(full.stderr)
    assert "disk full" in line and str(out) in line and "--resume" in line
    assert 0 < finished(out) < 60
    assert not list(out.glob(".*.tmp"))  # nothing half-written
    assert_consistent(out)
    subprocess.run(["mount", "-o", "remount,size=20m", str(tiny_disk)], check=True)
    resumed = subprocess.run(run_command(tiny_models, inputs, out, "--resume"), cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    assert finished(out) == 60
    index = [json.loads(line) for line in (out / "index.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(index) == 60 and all(row["status"] == "ok" for row in index)


# -- the cache: damaged, or shared by two runs at once ---------------------------------------------


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_cache_is_moved_aside_with_one_warning_and_the_run_goes_on(tiny_models: Path, tmp_path: Path,
                                                                            damage: str) -> None:
    inputs = tmp_path / "in"
    short_articles(inputs, 6)
    cache = tmp_path / "cache" / "translations.sqlite3"
    env = environment(HINDI_BRIEF_CACHE=str(cache))
    first = subprocess.run(run_command(tiny_models, inputs, tmp_path / "first"), cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    with sqlite3.connect(cache) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if damage == "garbage":
        cache.write_bytes(b"not a database at all " * 500)
    else:
        cache.write_bytes(cache.read_bytes()[: cache.stat().st_size // 2])
    again = subprocess.run(run_command(tiny_models, inputs, tmp_path / "again"), cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    warnings = [line for line in again.stderr.splitlines() if line.startswith("hindi-brief: warning:")]
    assert len(warnings) == 1 and "moved aside" in warnings[0] and "Traceback" not in again.stderr, again.stderr
    assert list(cache.parent.glob("translations.sqlite3.corrupt-*"))
    assert snapshot(tmp_path / "again") == snapshot(tmp_path / "first")
    with sqlite3.connect(cache) as connection:  # a fresh, healthy cache took its place
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_two_runs_sharing_one_cache_at_once_both_finish(tiny_models: Path, tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    short_articles(inputs, 16)
    env = environment(HINDI_BRIEF_CACHE=str(tmp_path / "shared.sqlite3"))
    runs = [subprocess.Popen(run_command(tiny_models, inputs, tmp_path / f"out{n}"), cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for n in (1, 2)]
    results = [(proc.wait(timeout=600), proc.stderr.read()) for proc in runs]
    assert [code for code, _ in results] == [0, 0], results
    assert snapshot(tmp_path / "out1") == snapshot(tmp_path / "out2")
    with sqlite3.connect(tmp_path / "shared.sqlite3") as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# -- bad configuration: one line naming the file, line and problem, exit 2, before any model loads --


def test_bad_configuration_is_one_line_and_exit_2_before_any_model_loads(tmp_path: Path) -> None:
    """No model exists here at all: reaching a model would be a different error."""
    glossary = tmp_path / "terms.tsv"
    glossary.write_text("रूस\tRussia\nभारत India without a tab\n", encoding="utf-8")
    registry = tmp_path / "registry.toml"
    registry.write_text('[nllb-600m]\ntask = "translation"\nhub_id = "facebook/x"\nrevision = "r"\n'
                        'license = "MIT"\nsize_mb = "big"\narchitecture = "nllb"\n', encoding="utf-8")
    rules = tmp_path / "rules.toml"
    rules.write_text("[drop\nexact = 1\n", encoding="utf-8")
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    cases = [
        (["run", str(SEEDS[0]), "-o", str(tmp_path / "o"), "--glossary", str(glossary)], {}, [str(glossary), "line 2"]),
        (["run", str(SEEDS[0]), "-o", str(tmp_path / "o")], {"HINDI_BRIEF_REGISTRY": str(registry)},
         [str(registry), "line 1", "size_mb"]),
        (["clean", str(SEEDS[0]), "--rules", str(rules)], {}, [str(rules), "line 1"]),
        (["run", str(SEEDS[0]), "-o", str(tmp_path / "o")], {"HINDI_BRIEF_MAX_BYTES": "lots"}, ["HINDI_BRIEF_MAX_BYTES"]),
        (["run", str(SEEDS[0]), "-o", str(tmp_path / "o")], {"HINDI_BRIEF_MODELS": str(a_file)},
         ["HINDI_BRIEF_MODELS", "is a file"]),
    ]
    for argv, env, needles in cases:
        proc = subprocess.run([sys.executable, "-m", "translate.cli", *argv], cwd=ROOT, env=environment(**env),
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2, (argv, env, proc.stderr)
        line = one_error(proc.stderr)
        for needle in needles:
            assert needle in line, (needle, line)
        assert "not installed" not in line  # it stopped before looking for a model
        assert not (tmp_path / "o").exists()


# -- the reliability suite: kill anywhere, several web users -----------------------------------------


@pytest.mark.reliability
def test_a_200_article_batch_killed_at_five_random_points_ends_like_an_uninterrupted_run(tiny_models: Path,
                                                                                        tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    paths = short_articles(inputs, 200)
    clean, out, log = tmp_path / "clean", tmp_path / "out", tmp_path / "stderr.log"
    cache = tmp_path / "cache.sqlite3"
    proc = subprocess.run(run_command(tiny_models, inputs, clean, "--no-cache"), cwd=ROOT, env=environment(),
                          capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stderr
    expected = snapshot(clean)
    chance = random.Random(18)
    env = environment(HINDI_BRIEF_CACHE=str(cache))
    kills = 0
    for _ in range(5):
        done = finished(out)
        target = done + chance.randint(1, 30)
        delay = chance.uniform(0.0, 0.5)  # also kill between writes, not only right after one
        with log.open("ab") as stderr:
            running = subprocess.Popen(run_command(tiny_models, inputs, out, "--resume"), cwd=ROOT, env=env,
                                       stdout=subprocess.DEVNULL, stderr=stderr)
        deadline = time.monotonic() + 600
        while running.poll() is None and finished(out) < target:
            assert time.monotonic() < deadline, "the run made no progress"
            time.sleep(0.02)
        time.sleep(delay)
        if running.poll() is None:
            os.kill(running.pid, signal.SIGKILL)
            kills += 1
        running.wait()
        assert_consistent(out)
        with sqlite3.connect(cache) as connection:  # never corrupted by a kill
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert kills >= 4, "the runs finished before they could be killed"
    final = subprocess.run(run_command(tiny_models, inputs, out, "--resume"), cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=1200)
    assert final.returncode == 0, final.stderr
    assert snapshot(out) == expected
    index = [json.loads(line) for line in (out / "index.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [row["input"] for row in index] == [str(p) for p in paths]
    assert "Traceback" not in log.read_text(encoding="utf-8", errors="replace")
    assert not [p for p in tmp_path.iterdir() if p.name not in ("in", "clean", "out", "stderr.log") and
                not p.name.startswith("cache.sqlite3")]


# --- several web users at once ---------------------------------------------------------------------


def distinct_requests(count: int, chars: int = 600) -> list[str]:
    """``count`` short articles from the seeds, each made distinct by a last sentence naming its
    number, so that an answer handed to the wrong caller would show."""
    texts = [SEEDS[i % len(SEEDS)].read_text(encoding="utf-8") for i in range(count)]
    return [f"{text[:text.rfind(chr(10), 0, chars)]}\n\nयह अनुरोध संख्या {i} है।" for i, text in enumerate(texts)]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@pytest.mark.reliability
def test_fifty_concurrent_web_users_with_concurrency_two_all_get_their_own_answer(tiny_models: Path, tmp_path: Path,
                                                                                  capsys) -> None:
    """50 gradio_client calls at once on `serve --concurrency 2`: every answer matches its own
    request; memory stays bounded (the models are shared, not copied per worker thread); then, on a
    server with a small queue, the calls over it are refused with "queue is full" and the others
    answered. Prints the latency percentiles and the memory."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    import psutil
    from gradio_client import Client
    from test_web_api import source_sentences
    from test_web_security import start_serve, stop_serve

    def call(url: str, text: str) -> tuple[float, dict | str]:
        started = time.monotonic()
        try:
            answer: dict | str = Client(url, verbose=False, analytics_enabled=False).predict(
                text=text, api_name="/translate_article")
        except Exception as exc:  # noqa: BLE001 - a refusal ("queue is full") is the answer under test
            answer = str(exc)
        return time.monotonic() - started, answer

    url, proc = start_serve(tiny_models, tmp_path, "--concurrency", "2", "--max-queue", "64")
    server = psutil.Process(proc.pid)
    rss = lambda: sum(p.memory_info().rss for p in [server, *server.children(recursive=True)])  # noqa: E731
    call(url, distinct_requests(1)[0])  # warm: the first call pays for lazy loading
    baseline, peak, stop = rss(), [0], threading.Event()

    def sample() -> None:
        while not stop.is_set():
            try:
                peak[0] = max(peak[0], rss())
            except psutil.Error:
                pass
            time.sleep(0.1)

    texts = distinct_requests(50)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.monotonic()
    try:
        with ThreadPoolExecutor(max_workers=50) as pool:
            answers = list(pool.map(lambda text: call(url, text), texts, timeout=1200))
    finally:
        stop.set()
        sampler.join()
    seconds = time.monotonic() - started
    stop_serve(proc, tmp_path)
    for text, (_, data) in zip(texts, answers):
        assert isinstance(data, dict), data
        assert [s["hi"] for s in data["segments"]] == source_sentences(text)  # its own answer, not another's
    latencies = [latency for latency, _ in answers]
    growth = (peak[0] - baseline) / 2**20
    assert growth < 1024, f"memory grew by {growth:.0f} MiB under load"

    # A queue of 4: of 20 calls at once, those over the queue are told so; the rest are answered.
    small = tmp_path / "small"
    small.mkdir()
    url, proc = start_serve(tiny_models, small, "--concurrency", "1", "--max-queue", "4")
    try:
        with ThreadPoolExecutor(max_workers=20) as pool:
            crowd = list(pool.map(lambda text: call(url, text)[1], distinct_requests(20), timeout=1200))
    finally:
        stop_serve(proc, small)
    refused = [a for a in crowd if isinstance(a, str)]
    answered = [a for a in crowd if isinstance(a, dict)]
    assert refused and answered and all("queue is full" in a.lower() for a in refused), refused[:3]
    with capsys.disabled():
        print(f"\n[web load] 50 concurrent calls, --concurrency 2: all answered correctly in {seconds:.1f} s; latency "
              f"p50 {percentile(latencies, 0.5):.1f} s, p90 {percentile(latencies, 0.9):.1f} s, "
              f"p99 {percentile(latencies, 0.99):.1f} s, max {max(latencies):.1f} s; serve process RSS "
              f"{baseline / 2**20:.0f} MiB after warm-up, peak {peak[0] / 2**20:.0f} MiB (+{growth:.0f} MiB). "
              f"Queue of 4, 20 calls at once: {len(answered)} answered, {len(refused)} told the queue is full.")
