"""`hindi-brief watch` and translate.watch(): feeds and sitemaps served from 127.0.0.1, stub engines.

The seeds are served as web pages; an RSS feed, an Atom feed and a sitemap list them. No test
reaches another machine (``only_local_connections``, from test_url).
"""

from __future__ import annotations

import html
import json
import threading
import time
from datetime import datetime, timezone
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from stubs import HonestSummarizer, HonestTranslator
from test_url import QuietHandler, only_local_connections  # noqa: F401 - an autouse fixture

import translate
from translate.article import load_article
from translate.errors import InputError
from translate.pipeline import Pipeline
from translate.watch import read_feed, read_sitemap

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
NOW = datetime(2026, 12, 4, 12, 0, tzinfo=timezone.utc)
DAY = "2026-12-04"


def page_of(seed: Path) -> bytes:
    article = load_article(seed)
    body = "".join(f"<h2>{html.escape(b.text)}</h2>" if b.kind == "heading" else f"<p>{html.escape(b.text)}</p>"
                   for b in article.blocks)
    return ('<!doctype html><html lang="hi"><head><meta charset="utf-8">'
            f"<title>{html.escape(article.title)}</title></head><body><article>"
            f"<h1>{html.escape(article.title)}</h1>{body}</article></body></html>").encode("utf-8")


def rss(base: str, numbers: list[int], title: str = "समाचार दर्पण") -> bytes:
    items = "".join(f"<item><title>खबर {n}</title><link>{base}/news/{n}.html</link>"
                    f"<pubDate>Fri, 04 Dec 2026 0{n}:00:00 GMT</pubDate></item>" for n in numbers)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>{base}/</link>{items}</channel></rss>").encode("utf-8")


def atom(base: str, numbers: list[int]) -> bytes:
    entries = "".join(f'<entry><title>खबर {n}</title><link href="{base}/news/{n}.html"/><id>{base}/news/{n}</id>'
                      f"<updated>2026-12-04T0{n}:30:00Z</updated></entry>" for n in numbers)
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>दैनिक</title><id>{base}/atom</id><updated>2026-12-04T09:00:00Z</updated>{entries}</feed>").encode()


def sitemap(links: list[str]) -> bytes:
    urls = "".join(f"<url><loc>{link}</loc><news:news><news:publication><news:name>नगर समाचार</news:name>"
                   f"</news:publication><news:publication_date>2026-12-04T08:00:00Z</news:publication_date>"
                   f"<news:title>खबर</news:title></news:news></url>" for link in links)
    return ('<?xml version="1.0" encoding="utf-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>').encode()


BOMB = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&lol3;</loc></url></urlset>')


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


@pytest.fixture()
def server():
    """Pages ``/news/<n>.html`` (seed n), and whatever ``state["docs"]`` holds: path -> (type, bytes)."""
    state: dict = {"docs": {}, "requests": [], "sent": 0, "stop": threading.Event()}
    pages = {f"/news/{n}.html": page_of(seed) for n, seed in enumerate(SEEDS)}

    class Handler(QuietHandler):
        def do_GET(self) -> None:  # noqa: N802
            path = self.path
            state["requests"].append((path, dict(self.headers)))
            if path in state["docs"]:
                kind, body = state["docs"][path]
                tag = f'"{hash(body) & 0xffffffff:x}"'
                if self.headers.get("If-None-Match") == tag:
                    self.answer(304, headers={"ETag": tag})
                else:
                    self.answer(200, body, kind, {"ETag": tag, "Last-Modified": "Fri, 04 Dec 2026 09:00:00 GMT"})
            elif path in pages:
                if state.get("pause"):  # a slow outlet: the test sees which article is being fetched
                    state["serving"] = path
                    time.sleep(state["pause"])
                self.answer(200, pages[path])
                state["serving"] = None
            elif path.startswith("/republished/"):
                self.answer(200, pages["/news/" + path.rsplit("/", 1)[1]])
            elif path == "/to-robots-blocked.html":
                self.answer(302, headers={"Location": "/private/4.html"})
            elif path == "/to-private.html":
                self.answer(302, headers={"Location": "http://10.1.2.3/news.html"})
            elif path == "/huge.xml":
                total = 20 * 2**20
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(total))
                self.end_headers()
                chunk = b"<!-- " + b"x" * 65520 + b" -->"
                try:
                    while state["sent"] < total and not state["stop"].is_set():
                        self.wfile.write(chunk)
                        state["sent"] += len(chunk)
                except OSError:
                    pass
            else:
                self.answer(404, b"<html><body>not here</body></html>")

    httpd = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    state["base"] = base = f"http://127.0.0.1:{httpd.server_address[1]}"
    state["docs"].update({
        "/rss.xml": ("application/rss+xml; charset=utf-8", rss(base, [0, 1])),
        "/atom.xml": ("application/atom+xml", atom(base, [2])),
        "/sitemap.xml": ("application/xml", sitemap([f"{base}/news/3.html"])),
    })
    yield state
    state["stop"].set()
    httpd.shutdown()
    httpd.server_close()


def sources(server) -> list[str]:
    return [server["base"] + p for p in ("/rss.xml", "/atom.xml", "/sitemap.xml")]


def watch(server, out: Path, pipeline=None, *, srcs=None, **options):
    pipeline = pipeline or Pipeline(HonestTranslator(), HonestSummarizer())
    options.setdefault("allow_private_urls", ["127.0.0.1"])
    return translate.watch(srcs or sources(server), out, pipeline=pipeline, delay=0, now=lambda: NOW, **options)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.startswith((".", "watch.sqlite3"))}


def seed_sentences(n: int) -> set[str]:
    return {s for _, s in load_article(SEEDS[n]).sentences()}


# --- 1. one round: every article, the index, the day's digest --------------------------------------


def test_one_round_writes_each_article_the_index_and_the_days_digest(server, tmp_path):
    out = tmp_path / "out"
    report = watch(server, out)
    assert report.exit_code == 0
    (done,) = report.rounds
    assert done.translated == 4 and done.failed == 0
    assert [s.status for s in done.sources] == ["ok", "ok", "ok"]
    index = [json.loads(line) for line in (out / "index.jsonl").read_text().splitlines()]
    assert sorted(row["input"] for row in index) == [f"{server['base']}/news/{n}.html" for n in range(4)]
    assert all(row["status"] == "ok" for row in index)
    for row in index:
        n = int(row["input"].rsplit("/", 1)[1].split(".")[0])
        data = json.loads((out / row["outputs"]["json"]).read_text())
        assert [s["hi"] for s in data["segments"]] and {s["hi"] for s in data["segments"]} <= seed_sentences(n)
        assert all(s["en"].strip() for s in data["segments"])
        assert (out / row["outputs"]["markdown"]).read_text().strip()
    digest = json.loads((out / f"digest-{DAY}.json").read_text())
    assert (out / f"digest-{DAY}.md").read_text().strip()
    assert sorted(json.dumps(digest, ensure_ascii=False).count(f"/news/{n}.html") > 0 for n in range(4)) == [True] * 4


def test_the_command_line_once(server, tmp_path, monkeypatch, capsys):
    from translate.cli import main

    out = tmp_path / "out"
    real = translate.watch.watch
    asked: dict = {}

    def stubbed(*args, **kwargs):  # the command's options, the stub engines and the test's clock
        asked.update(kwargs)
        kwargs.update(pipeline=Pipeline(HonestTranslator(), HonestSummarizer()), now=lambda: NOW)
        return real(*args, **kwargs)

    monkeypatch.setattr(translate.watch, "watch", stubbed)
    monkeypatch.setattr("translate.pipeline.Pipeline.from_options", classmethod(
        lambda cls, options: Pipeline(HonestTranslator(), HonestSummarizer())))
    code = main(["watch", *sources(server), "-o", str(out), "--once", "--allow-private-urls", "--delay", "0"])
    assert code == 0
    assert (asked["rounds"], asked["delay"], asked["allow_private_urls"], asked["max_items"]) == (1, 0, True, 100)
    assert asked["stop"] is not None and not asked["stop"].is_set()  # what SIGTERM and Ctrl-C set
    assert len(list(out.glob("*.md"))) == 5  # four articles and the digest
    assert (out / f"digest-{DAY}.json").is_file()
    assert "round 1" in capsys.readouterr().err


# --- 2. a second round: 304, one new item -----------------------------------------------------------


def test_a_second_round_sends_validators_and_translates_only_the_new_item(server, tmp_path):
    out = tmp_path / "out"
    translator = HonestTranslator()
    pipeline = Pipeline(translator, HonestSummarizer())
    watch(server, out, pipeline)
    first = snapshot(out)
    calls = len(translator.calls)
    server["docs"]["/atom.xml"] = ("application/atom+xml", atom(server["base"], [2, 4]))
    server["requests"].clear()
    report = watch(server, out, pipeline)
    (done,) = report.rounds
    assert [p for p, _ in server["requests"] if p.startswith("/news/")] == ["/news/4.html"]
    status = {s.address.rsplit("/", 1)[1]: s.status for s in done.sources}
    assert status == {"rss.xml": "not-modified", "atom.xml": "ok", "sitemap.xml": "not-modified"}
    rss_asks = [headers for path, headers in server["requests"] if path == "/rss.xml"]
    assert rss_asks and rss_asks[0].get("If-None-Match")
    assert done.translated == 1 and [r.task.input for r in done.records] == [server["base"] + "/news/4.html"]
    alone = HonestTranslator()  # what translating that one article costs, in a folder of its own
    server["docs"]["/one.xml"] = ("application/atom+xml", atom(server["base"], [4]))
    watch(server, tmp_path / "alone", Pipeline(alone, HonestSummarizer()), srcs=[server["base"] + "/one.xml"])
    assert len(translator.calls) - calls == len(alone.calls) > 0
    server["requests"].clear()
    after = snapshot(out)
    assert all(after[name] == body for name, body in first.items() if not name.startswith(("index", "digest")))
    assert len(after) == len(first) + 2
    assert len((out / "index.jsonl").read_text().splitlines()) == 5


def test_last_modified_is_sent_back_when_there_is_no_etag(server, tmp_path):
    from translate.watch import Fetcher

    fetcher = Fetcher(allow_private=["127.0.0.1"], delay=0)
    url = server["base"] + "/rss.xml"
    first = fetcher.source(url)
    again = fetcher.source(url, last_modified=first.headers["last-modified"])
    sent = [headers for path, headers in server["requests"] if path == "/rss.xml"][-1]
    assert sent.get("If-Modified-Since") == "Fri, 04 Dec 2026 09:00:00 GMT" and again.status == 200


# --- 3. republished -----------------------------------------------------------------------------------


def test_a_republished_url_with_the_same_text_is_skipped(server, tmp_path):
    out = tmp_path / "out"
    translator = HonestTranslator()
    pipeline = Pipeline(translator, HonestSummarizer())
    watch(server, out, pipeline)
    before, calls = snapshot(out), len(translator.calls)
    again = f"{server['base']}/republished/3.html"
    server["docs"]["/sitemap.xml"] = ("application/xml", sitemap([f"{server['base']}/news/3.html", again]))
    (done,) = watch(server, out, pipeline).rounds
    assert done.duplicates == [(again, server["base"] + "/news/3.html")]
    assert done.translated == 0 and len(translator.calls) == calls
    assert snapshot(out).keys() == before.keys()
    assert "1 republished skipped" in done.summary()


# --- 4. bad sources ------------------------------------------------------------------------------------


def test_bad_sources_each_get_one_line_and_the_others_go_on(server, tmp_path):
    base = server["base"]
    server["docs"].update({
        "/broken.xml": ("application/rss+xml", b"<rss><channel><item><title>x</item></channel>"),
        "/bomb.xml": ("application/xml", BOMB),
        "/redirecting.xml": ("application/rss+xml", rss(base, [], "x").replace(
            b"</channel>", f"<item><link>{base}/to-private.html</link></item></channel>".encode())),
        "/robots.txt": ("text/plain", b"User-agent: *\nDisallow: /private/\n"),
        "/private/feed.xml": ("application/rss+xml", rss(base, [4])),
    })
    bad = [base + p for p in ("/broken.xml", "/huge.xml", "/bomb.xml", "/private/feed.xml")]
    report = watch(server, tmp_path / "out", srcs=[*sources(server), *bad, base + "/redirecting.xml"])
    assert report.exit_code == 1
    (done,) = report.rounds
    errors = {s.address: s.error for s in done.sources if s.status == "error"}
    assert set(errors) == set(bad)
    assert all("\n" not in e and e.startswith(a + ": ") for a, e in errors.items())
    assert "malformed XML" in errors[base + "/broken.xml"]
    assert "over the 5 MiB limit" in errors[base + "/huge.xml"]
    assert server["sent"] < 10 * 2**20  # refused from its length, not read
    assert "entities" in errors[base + "/bomb.xml"]
    assert "robots.txt" in errors[base + "/private/feed.xml"]
    assert not [p for p, _ in server["requests"] if p.startswith("/private/")]
    assert done.translated == 4
    (failed,) = done.records[-1:] if done.failed else [None]
    assert failed is not None and "10.1.2.3" in failed.error and "private address" in failed.error
    # Every request counted was sent (the refused host's robots.txt and page never were), and no more.
    assert done.requests == len(server["requests"])


def test_the_command_prints_one_line_per_bad_source_and_exits_1(server, tmp_path, monkeypatch, capsys):
    from translate.cli import main

    monkeypatch.setattr("translate.pipeline.Pipeline.from_options", classmethod(
        lambda cls, options: Pipeline(HonestTranslator(), HonestSummarizer())))
    server["docs"]["/broken.xml"] = ("application/rss+xml", b"<rss><channel>")
    code = main(["watch", server["base"] + "/broken.xml", server["base"] + "/sitemap.xml", "-o", str(tmp_path / "o"),
                 "--once", "--allow-private-urls", "--delay", "0", "--since", "10000d"])
    err = capsys.readouterr().err
    assert code == 1
    assert [line for line in err.splitlines() if "error" in line] == \
        [line for line in err.splitlines() if line.startswith(f"hindi-brief: error: {server['base']}/broken.xml: ")]
    assert len(list((tmp_path / "o").glob("*.json"))) == 2  # the article and the digest


# --- 5. interrupted, resumed ------------------------------------------------------------------------------


class Killed(BaseException):
    """What a kill looks like to the code: nothing after it runs (batch.process catches Exception)."""


def test_a_watch_killed_mid_round_resumes_to_the_same_outputs(server, tmp_path):
    watch(server, tmp_path / "whole")

    class Dying(HonestTranslator):
        def translate(self, sentences):
            if any(s in seed_sentences(1) for s in sentences):
                raise Killed
            return super().translate(sentences)

    with pytest.raises(Killed):
        watch(server, tmp_path / "cut", Pipeline(Dying(), HonestSummarizer()))
    assert len(list((tmp_path / "cut").glob("*.json"))) < 4
    translator = HonestTranslator()
    (done,) = watch(server, tmp_path / "cut", Pipeline(translator, HonestSummarizer())).rounds
    assert 0 < done.translated < 4
    assert snapshot(tmp_path / "cut") == snapshot(tmp_path / "whole")


# --- 6. the Python API, the readers alone --------------------------------------------------------------------


def test_the_api_reports_each_round(server, tmp_path):
    out = tmp_path / "out"
    report = watch(server, out, rounds=2, every=0.01)
    assert [r.number for r in report.rounds] == [1, 2]
    assert [r.translated for r in report.rounds] == [4, 0]
    assert [s.status for s in report.rounds[1].sources] == ["not-modified"] * 3
    assert report.rounds[0].digests == [out / f"digest-{DAY}.json", out / f"digest-{DAY}.md"]
    assert report.rounds[1].requests == 3 and report.exit_code == 0


def test_since_leaves_old_items_and_max_items_keeps_the_newest(server, tmp_path):
    report = watch(server, tmp_path / "out", since="4h", max_items=1)
    (done,) = report.rounds
    # Items are dated 00:00 to 08:00 UTC, the clock says 12:00: within 4 hours only the sitemap's 08:00 one.
    assert [item.link.rsplit("/", 1)[1] for item in done.items] == ["3.html"]
    assert done.too_old == 3 and done.left_for_later == 0


def test_read_feed_and_read_sitemap_alone():
    base = "https://news.example"
    items = read_feed(rss(base, [0, 1]), base + "/rss.xml")
    assert [(i.link, i.title, i.outlet) for i in items] == [(f"{base}/news/0.html", "खबर 0", "समाचार दर्पण"),
                                                             (f"{base}/news/1.html", "खबर 1", "समाचार दर्पण")]
    assert items[1].published == datetime(2026, 12, 4, 1, 0, tzinfo=timezone.utc)
    (entry,) = read_feed(atom(base, [2]), base + "/atom.xml")
    assert entry.link == f"{base}/news/2.html" and entry.published == datetime(2026, 12, 4, 2, 30, tzinfo=timezone.utc)
    found = read_sitemap(sitemap([f"{base}/a.html#top"]), base + "/sitemap.xml")
    assert [(i.link, i.outlet, i.title) for i in found.items] == [(f"{base}/a.html", "नगर समाचार", "खबर")]
    index = read_sitemap(b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap>'
                         b"<loc>/news-1.xml</loc><lastmod>2026-12-04</lastmod></sitemap></sitemapindex>",
                         base + "/index.xml")
    assert index.items == [] and index.sitemaps == [(f"{base}/news-1.xml", datetime(2026, 12, 4, tzinfo=timezone.utc))]
    with pytest.raises(InputError, match="entities"):
        read_sitemap(BOMB, base + "/bomb.xml")
    with pytest.raises(InputError, match="not a sitemap"):
        read_sitemap(rss(base, [0]), base + "/rss.xml")


def test_a_sitemap_index_finds_the_articles_left_for_the_next_round(server, tmp_path):
    """An index that has not changed still leads to its sitemaps: the article max_items left out is done next."""
    base = server["base"]
    server["docs"].update({
        "/index.xml": ("application/xml", (
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{base}/news-sitemap.xml</loc><lastmod>2026-12-04T09:00:00Z</lastmod></sitemap>"
            "</sitemapindex>").encode()),
        "/news-sitemap.xml": ("application/xml", sitemap([f"{base}/news/0.html", f"{base}/news/1.html"])),
    })
    out = tmp_path / "out"
    first = watch(server, out, srcs=[base + "/index.xml"], max_items=1).rounds[0]
    assert first.translated == 1 and first.left_for_later == 1
    second = watch(server, out, srcs=[base + "/index.xml"], max_items=1).rounds[0]
    assert second.translated == 1
    assert len((out / "index.jsonl").read_text().splitlines()) == 2


def test_a_redirect_to_a_path_robots_txt_disallows_is_not_followed(server, tmp_path):
    base = server["base"]
    server["docs"].update({
        "/robots.txt": ("text/plain", b"User-agent: *\nDisallow: /private/\n"),
        "/moved.xml": ("application/rss+xml", rss(base, [], "x").replace(
            b"</channel>", f"<item><link>{base}/to-robots-blocked.html</link></item></channel>".encode())),
    })
    report = watch(server, tmp_path / "out", srcs=[base + "/moved.xml"])
    (record,) = report.rounds[0].records
    assert record.status == "error" and record.error.endswith(
        "redirected to " + base + "/private/4.html: blocked by the site's robots.txt")
    assert not [p for p, _ in server["requests"] if p.startswith("/private/")]
    assert report.rounds[0].requests == len(server["requests"]) == 3  # robots.txt, the feed, the 302
    assert report.exit_code == 1


def test_stopping_ends_the_round_after_the_current_article_and_the_next_watch_goes_on(server, tmp_path):
    out, stop = tmp_path / "out", threading.Event()
    report = watch(server, out, stop=stop, rounds=None, on_record=lambda record: stop.set())
    (done,) = report.rounds
    assert done.stopped and done.translated == 1
    assert len((out / "index.jsonl").read_text().splitlines()) == 1 and (out / f"digest-{DAY}.md").is_file()
    assert watch(server, out).rounds[0].translated == 3


def test_the_digest_day_is_the_utc_day_of_the_items_date(server, tmp_path):
    base = server["base"]
    server["docs"]["/late.xml"] = ("application/rss+xml", rss(base, [0]).replace(
        b"Fri, 04 Dec 2026 00:00:00 GMT", b"Fri, 04 Dec 2026 02:00:00 +0530"))  # 20:30 UTC on the 3rd
    out = tmp_path / "out"
    watch(server, out, srcs=[base + "/late.xml"])
    assert (out / "digest-2026-12-03.json").is_file() and not (out / f"digest-{DAY}.json").exists()


_DRIVER = """
import sys, time
from datetime import datetime, timezone
sys.path.insert(0, sys.argv[1])
from stubs import HonestSummarizer, HonestTranslator
import translate
from translate.pipeline import Pipeline

class Slow(HonestTranslator):
    def translate(self, sentences):
        time.sleep(float(sys.argv[3]))
        return super().translate(sentences)

translate.watch(sys.argv[4:], sys.argv[2], pipeline=Pipeline(Slow(), HonestSummarizer()), delay=0,
                allow_private_urls=["127.0.0.1"], now=lambda: datetime(2026, 12, 4, 12, tzinfo=timezone.utc))
"""


def test_a_watch_killed_with_sigkill_resumes_to_the_same_outputs(server, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    def start(out: Path, pause: float) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-c", _DRIVER, str(Path(__file__).parent), str(out), str(pause),
                                 *sources(server)], cwd=ROOT, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})

    assert start(tmp_path / "whole", 0).wait(120) == 0
    proc = start(tmp_path / "cut", 0.3)
    deadline = time.monotonic() + 120
    while not list((tmp_path / "cut").glob("*.md")) and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert len(list((tmp_path / "cut").glob("*.md"))) < 4  # killed mid-round
    assert start(tmp_path / "cut", 0).wait(120) == 0
    assert snapshot(tmp_path / "cut") == snapshot(tmp_path / "whole")


@pytest.mark.parametrize("name", ["SIGTERM", "SIGINT"])
def test_sigterm_or_ctrl_c_ends_the_command_after_the_current_article(server, tmp_path, tiny_models, name):
    """`hindi-brief watch` (polling, the tiny models) signalled while an article's page is being fetched:
    that article is finished, the index and digest written, exit 0 with no traceback; --once then does the rest."""
    import os
    import signal
    import subprocess
    import sys

    out = tmp_path / "out"
    command = [sys.executable, "-m", "translate.cli", "watch", *sources(server), "-o", str(out), "--every", "1h",
               "--allow-private-urls", "--delay", "0", "--since", "100000d", "--translator",
               str(tiny_models / "translator"), "--summarizer", str(tiny_models / "summarizer"), "--beams", "1"]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1"}

    def articles() -> list[Path]:
        return [p for p in out.glob("*.json") if not p.name.startswith("digest-")]

    server["pause"] = 0.4
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 180
    while not (articles() and server.get("serving")) and proc.poll() is None:
        assert time.monotonic() < deadline, "the watch made no progress"
        time.sleep(0.01)
    done = len(articles())  # and the next article's page is being served now
    assert 0 < done < 3
    proc.send_signal(getattr(signal, name))
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    assert "Traceback" not in stderr and "stopping after the current article" in stderr
    assert "stopped early" in stderr  # the round's line
    assert len(articles()) == done + 1  # the article being fetched was finished, no other begun
    assert not list(out.glob(".*.tmp"))
    index = [json.loads(line) for line in (out / "index.jsonl").read_text().splitlines()]
    assert len(index) == done + 1 and all(row["status"] == "ok" for row in index)
    for row in index:
        assert json.loads((out / row["outputs"]["json"]).read_text())["segments"]
        assert (out / row["outputs"]["markdown"]).read_text().strip()
    assert (out / f"digest-{DAY}.md").is_file()

    server["pause"] = 0
    rest = subprocess.run([*command, "--once"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert rest.returncode == 0, rest.stderr
    assert f"{4 - done - 1} new articles translated" in rest.stderr
    assert len(articles()) == 4 and len((out / "index.jsonl").read_text().splitlines()) == 4
