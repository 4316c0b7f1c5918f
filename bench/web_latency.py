"""How soon the web page shows a translation: click to the first English sentence on screen, and to the
whole result, in Chromium, for 1 and for 4 users at once.

    .venv/bin/python bench/web_latency.py [--work-dir /tmp/benchwork] [--repeat 3] [--json FILE]

The page is `hindi-brief serve` with the default presets in their pulled layout (the store of
bench/speed.py: random-weight models of the real architectures, CTranslate2 int8) and the bench's
forcing (bench/forced_cli.py: output lengths 1.1x the source, no retranslation), the translation cache
off so that every request does the work. Seed 000 is pasted and Translate pressed; a page polls every
25 ms for its first filled row of the sentence table and for the brief. The server is warm (one request
first). With 4 users, the four pages click within a few milliseconds of each other; the server runs
``--concurrency`` translations at once (default 1, the server's own default: the others wait their
turn). Printed beside: the server's own timings of one article (the API's ``timings``), and, interleaved
with the page's rounds, the same article through the API (``gradio_client``) with the seconds of CPU
the server spent on each (psutil, its process and children) and, for the page, the CPU of the browser
side (Chromium and Playwright's driver), so that what the page adds over the API can be told apart
from what the models cost.

Figures (``--json``): ``first_sentence_seconds`` and ``whole_result_seconds`` (medians, one user),
``users_4`` (per user medians of first sentence and whole result), ``server_timings``,
``api_seconds`` (median wall time of one API request), ``server_cpu_seconds`` (medians for ``page``
and ``api``), ``browser_cpu_seconds`` (median, one user's page).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests"))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-quic", "--no-first-run", "--disable-sync"]
SEED = next((REPO / "seeds").glob("000_*.txt"))
FIRST_ROW = "#segments tr.hb-seg:not(.hb-pending)"
WHOLE = "#brief .hb-brief"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(store: Path, port: int, concurrency: int, tmp: Path) -> subprocess.Popen:
    env = {**os.environ, "HINDI_BRIEF_MODELS": str(store), "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
    server = subprocess.Popen([sys.executable, str(REPO / "bench" / "forced_cli.py"), str(tmp / "server.json"), "serve",
                               "--port", str(port), "--no-cache", "--concurrency", str(concurrency)],
                              env=env, stdout=subprocess.DEVNULL, stderr=open(tmp / "server.log", "w"))
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(f"the server stopped: {(tmp / 'server.log').read_text()[-2000:]}") from None
            time.sleep(0.5)
    raise RuntimeError("the server did not start in 300 s")


def cpu_seconds(process: Any, *, exclude: int | None = None) -> float:
    """CPU seconds (user + system) of ``process`` and its living descendants (all but ``exclude``'s tree)."""
    import psutil

    skip = set()
    if exclude is not None:
        try:
            excluded = psutil.Process(exclude)
            skip = {excluded.pid} | {child.pid for child in excluded.children(recursive=True)}
        except psutil.NoSuchProcess:
            pass
    total = 0.0
    for proc in [process, *process.children(recursive=True)]:
        if proc.pid in skip:
            continue
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def run_users(browser: Any, url: str, users: int, text: str) -> list[dict[str, float]]:
    """``users`` pages paste ``text`` and click at once; seconds from each click to its first sentence
    row and to its brief."""
    pages = []
    for _ in range(users):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(300_000)
        page.goto(url)
        page.locator("#translate-button").wait_for()
        box = page.locator("#article-text textarea")
        if not box.is_visible():
            page.get_by_role("button", name="Article").first.click()
        box.fill(text)
        pages.append((context, page))
    clicked, first, whole = [], [None] * users, [None] * users
    for _, page in pages:
        page.locator("#translate-button").click()
        clicked.append(time.perf_counter())
    while any(w is None for w in whole):
        for k, (_, page) in enumerate(pages):
            if first[k] is None and page.query_selector(FIRST_ROW):
                first[k] = time.perf_counter() - clicked[k]
            if whole[k] is None and page.query_selector(WHOLE):
                whole[k] = time.perf_counter() - clicked[k]
                first[k] = first[k] if first[k] is not None else whole[k]
        time.sleep(0.025)
    for context, _ in pages:
        context.close()
    return [{"first_sentence_seconds": f, "whole_result_seconds": w} for f, w in zip(first, whole)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work-dir", type=Path, default=Path(tempfile.gettempdir()) / "benchwork",
                        help="bench/speed.py's model folder (built there when missing)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of each measurement, medians reported")
    parser.add_argument("--concurrency", type=int, default=1, help="the server's --concurrency (default: 1)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE as JSON")
    args = parser.parse_args(argv)
    import psutil
    import speed

    args.work_dir.mkdir(parents=True, exist_ok=True)
    speed.in_child(speed.build_models, args.work_dir, [speed.DEFAULT, "distilbart-cnn"])
    store = speed.make_store(args.work_dir)
    text = SEED.read_text(encoding="utf-8")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="hindi-brief-web-bench-") as tmp:
        port = free_port()
        server = serve(store, port, args.concurrency, Path(tmp))
        url = f"http://127.0.0.1:{port}/"
        try:
            from gradio_client import Client

            client = Client(url, verbose=False)
            client.predict(text=text, api_name="/translate_article")  # warm: models loaded, first call made
            server_proc, me = psutil.Process(server.pid), psutil.Process()
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                run_users(browser, url, 1, text)  # the page's own first request
                one, four, api = [], [], []
                for _ in range(args.repeat):  # interleaved: API, 1 user, 4 users, API, 1 user, ...
                    cpu, start = cpu_seconds(server_proc), time.perf_counter()
                    timings = client.predict(text=text, api_name="/translate_article")["timings"]
                    api.append({"seconds": time.perf_counter() - start, "server_cpu": cpu_seconds(server_proc) - cpu})
                    cpu, browser_cpu = cpu_seconds(server_proc), cpu_seconds(me, exclude=server.pid)
                    run = run_users(browser, url, 1, text)[0]
                    run["server_cpu"] = cpu_seconds(server_proc) - cpu
                    run["browser_cpu"] = cpu_seconds(me, exclude=server.pid) - browser_cpu
                    one.append(run)
                    four.append(run_users(browser, url, 4, text))
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=60)
    median = statistics.median
    figures = {
        "first_sentence_seconds": median(r["first_sentence_seconds"] for r in one),
        "whole_result_seconds": median(r["whole_result_seconds"] for r in one),
        "one_user_runs": one,
        "users_4": [{key: median(run[k][key] for run in four) for key in ("first_sentence_seconds", "whole_result_seconds")}
                    for k in range(4)],
        "server_timings": timings,
        "api_seconds": median(r["seconds"] for r in api),
        "api_runs": api,
        "server_cpu_seconds": {"page": median(r["server_cpu"] for r in one), "api": median(r["server_cpu"] for r in api)},
        "browser_cpu_seconds": median(r["browser_cpu"] for r in one),
        "concurrency": args.concurrency,
        "repeat": args.repeat,
    }
    print(f"seed 000 pasted, Chromium, warm server (--concurrency {args.concurrency}), medians of {args.repeat}:")
    print(f"  1 user:  first sentence {figures['first_sentence_seconds']:.2f} s, whole result "
          f"{figures['whole_result_seconds']:.2f} s")
    for k, user in enumerate(figures["users_4"], start=1):
        print(f"  4 users, user {k}: first sentence {user['first_sentence_seconds']:.2f} s, whole result "
              f"{user['whole_result_seconds']:.2f} s")
    print("  the server's own timings of one article (API): "
          + ", ".join(f"{k} {v:.2f} s" for k, v in timings.items()))
    print(f"  the same article through the API: {figures['api_seconds']:.2f} s (runs "
          + ", ".join(f"{r['seconds']:.2f}" for r in api) + ")")
    print(f"  server CPU seconds, page vs API: {figures['server_cpu_seconds']['page']:.1f} vs "
          f"{figures['server_cpu_seconds']['api']:.1f}; the browser side's CPU for one page: "
          f"{figures['browser_cpu_seconds']:.1f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
