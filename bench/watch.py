"""What a watch costs per round: the seeds served as web pages from 127.0.0.1 with an RSS feed, and
`hindi-brief watch --once` run three times into one folder with the tiny random-weight models of
tests/tiny_models.py (their speed says nothing about the real models'; the rounds' shape does):

1. the first round: every article fetched and translated, the index and the digest written;
2. nothing new: the feed answers 304 Not Modified, nothing is translated;
3. one new item: only that article is fetched and translated.

    .venv/bin/python bench/watch.py [--work-dir /tmp/benchwatch] [--json FILE]

Each round is a fresh process (models loaded each time, as a cron-driven `--once` would); the
seconds, requests and articles of each are printed as JSON.
"""

from __future__ import annotations

import argparse
import html
import json
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

SEEDS = sorted((REPO / "seeds").glob("*.txt"))


def _page(seed: Path) -> bytes:
    from translate.article import load_article

    article = load_article(seed)
    body = "".join(f"<p>{html.escape(b.text)}</p>" for b in article.blocks)
    return (f'<!doctype html><html lang="hi"><head><meta charset="utf-8"><title>{html.escape(article.title)}</title>'
            f"</head><body><article><h1>{html.escape(article.title)}</h1>{body}</article></body></html>").encode()


def _feed(base: str, count: int) -> bytes:
    items = "".join(f"<item><title>{n}</title><link>{base}/news/{n}.html</link></item>" for n in range(count))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>bench</title>{items}</channel></rss>'.encode()


def serve(state: dict) -> ThreadingHTTPServer:
    pages = {f"/news/{n}.html": _page(seed) for n, seed in enumerate(SEEDS)}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            state["requests"] += 1
            status, kind, body, extra = 404, "text/html", b"", {}
            if self.path == "/rss.xml":
                body, tag = state["feed"], f'"{len(state["feed"])}"'
                extra = {"ETag": tag}
                status, kind = (304, "application/rss+xml") if self.headers.get("If-None-Match") == tag else (200, "application/rss+xml")
                if status == 304:
                    body = b""
            elif self.path in pages:
                status, kind, body = 200, "text/html; charset=utf-8", pages[self.path]
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for name, value in extra.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work-dir", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(argv)
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="bench-watch-"))
    work.mkdir(parents=True, exist_ok=True)
    from tiny_models import build_tiny_models

    models = build_tiny_models(work / "models")
    state = {"requests": 0}
    httpd = serve(state)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    out = work / "out"
    command = [sys.executable, "-m", "translate.cli", "watch", base + "/rss.xml", "-o", str(out), "--once",
               "--allow-private-urls", "--delay", "0", "--translator", str(models["translator"]),
               "--summarizer", str(models["summarizer"]), "--beams", "1", "-q"]
    rounds = []
    for name, count in (("first", len(SEEDS) - 1), ("unchanged", len(SEEDS) - 1), ("one new item", len(SEEDS))):
        state["feed"], state["requests"] = _feed(base, count), 0
        before = len(list(out.glob("*.json"))) if out.is_dir() else 0
        started = time.perf_counter()
        code = subprocess.run(command, cwd=REPO).returncode
        rounds.append({"round": name, "exit": code, "seconds": round(time.perf_counter() - started, 2),
                       "requests": state["requests"], "new_json": len(list(out.glob("*.json"))) - before})
    httpd.shutdown()
    text = json.dumps({"models": "tests/tiny_models.py (random weights)", "rounds": rounds}, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    return 0 if all(r["exit"] == 0 for r in rounds) else 1


if __name__ == "__main__":
    sys.exit(main())
