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
turn). Printed beside: the server's own timings of one article (the API's ``timings``).

Figures (``--json``): ``first_sentence_seconds`` and ``whole_result_seconds`` (medians, one user),
``users_4`` (per user medians of first sentence and whole result), ``server_timings``.
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
            timings = client.predict(text=text, api_name="/translate_article")["timings"]
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                run_users(browser, url, 1, text)  # the page's own first request
                one, four = [], []
                for _ in range(args.repeat):  # interleaved: 1 user, 4 users, 1 user, ...
                    one += run_users(browser, url, 1, text)
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
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
