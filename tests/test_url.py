"""Fetching links (translate.article.url) from a local HTTP server on 127.0.0.1.

No test reaches another machine: every connection is checked (the ``only_local_connections``
fixture) and host names other than localhost are answered by a fake resolver.
"""

from __future__ import annotations

import html
import ipaddress
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from translate.article import load_article, parse_article
from translate.article.url import address_problem, fetch, page_metadata
from translate.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
SEED = sorted((ROOT / "seeds").glob("*.txt"))[4]
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def seed_page() -> bytes:
    article = load_article(SEED)
    body = "".join(f"<h2>{html.escape(b.text)}</h2>" if b.kind == "heading" else f"<p>{html.escape(b.text)}</p>"
                   for b in article.blocks)
    return (
        '<!doctype html><html lang="hi"><head><meta charset="utf-8">'
        f"<title>{html.escape(article.title)} | समाचार</title>"
        '<meta property="og:site_name" content="समाचार दर्पण">'
        '<meta name="author" content="राम कुमार शर्मा">'
        '<meta property="article:published_time" content="2025-11-19T10:00:00+05:30">'
        f"</head><body><article><h1>{html.escape(article.title)}</h1>{body}</article></body></html>"
    ).encode("utf-8")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class QuietHandler(BaseHTTPRequestHandler):
    """A test server's request handler: HTTP/1.1, no log lines, and ``answer()`` to reply in one call."""
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # quiet
        pass

    def answer(self, status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8",
               headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    page = seed_page()
    state = {"paths": [], "hosts": [], "sent": 0, "stop": threading.Event()}

    class Handler(QuietHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            state["paths"].append(self.path)
            state["hosts"].append(self.headers.get("Host"))
            path = self.path
            if path == "/article.html":
                self.answer(200, page)
            elif path == "/octet":
                self.answer(200, page, "application/octet-stream")
            elif path == "/redirect":
                self.answer(302, headers={"Location": "/article.html"})
            elif path.startswith("/loop/"):
                self.answer(302, headers={"Location": f"/loop/{int(path.rsplit('/', 1)[1]) + 1}"})
            elif path == "/to-private":
                self.answer(302, headers={"Location": "http://10.1.2.3/news.html"})
            elif path == "/to-metadata":
                self.answer(301, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
            elif path == "/to-file":
                self.answer(302, headers={"Location": "file:///etc/passwd"})
            elif path == "/slow":
                state["stop"].wait(3)
                self.answer(200, page)
            elif path == "/drip":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "1000")
                self.end_headers()
                for _ in range(1000):
                    if state["stop"].wait(0.1):
                        return
                    self.wfile.write(b" ")
                    self.wfile.flush()
            elif path == "/huge":
                self.answer_stream(50 * 2**20, declare=True)
            elif path == "/endless":
                self.answer_stream(50 * 2**20, declare=False)
            elif path == "/paper.pdf":
                self.answer(200, PDF, "application/pdf")
            elif path == "/photo.png":
                self.answer(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image/png")
            else:
                self.answer(404, b"<html><body>not here</body></html>")

        def answer_stream(self, total: int, *, declare: bool) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            if declare:
                self.send_header("Content-Length", str(total))
            else:
                self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"<p>" + b"x" * 65530 + b"</p>"
            state["sent"] = 0
            try:
                while state["sent"] < total:
                    self.wfile.write(chunk)
                    state["sent"] += len(chunk)
            except OSError:  # the client hung up: what the size limit should make it do
                pass

    httpd = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    state["base"] = f"http://127.0.0.1:{httpd.server_address[1]}"
    state["port"] = httpd.server_address[1]
    state["page"] = page
    yield state
    state["stop"].set()
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def only_local_connections(monkeypatch: pytest.MonkeyPatch):
    """Fail any attempt to connect anywhere but this machine (a refusal that came too late)."""
    real = socket.create_connection

    def guarded(address, *args, **kwargs):
        host = address[0]
        if not ipaddress.ip_address(host).is_loopback:
            raise AssertionError(f"connection attempted to {host}")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch):
    """Names under .test resolve to the addresses the test sets; others as usual."""
    real = socket.getaddrinfo
    names: dict[str, list[str]] = {}

    def resolve(host, port, *args, **kwargs):
        if host in names:
            return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
                    for a in names[host]]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    return names


def refused(url: str, **options) -> str:
    with pytest.raises(InputError) as caught:
        fetch(url, **options)
    message = str(caught.value)
    assert message.startswith(f"{url}: ") and "\n" not in message
    return message[len(url) + 2:]


# --- what gets through ---------------------------------------------------------------------------


def test_the_local_page_is_fetched_when_private_addresses_are_allowed(server) -> None:
    url = server["base"] + "/article.html"
    page = fetch(url, allow_private=True)
    assert (page.url, page.final_url, page.content_type, page.kind, page.charset) == (url, url, "text/html", "html", "utf-8")
    assert page.data == server["page"]
    article, seed = parse_article(page.data.decode(page.charset), url), load_article(SEED)
    assert [(b.kind, b.text) for b in article.blocks] == [(b.kind, b.text) for b in seed.blocks]
    meta = page_metadata(page.data, page.final_url)
    assert meta["url"] == url and meta["site"] == "समाचार दर्पण" and meta["author"] == "राम कुमार शर्मा"
    assert meta["dateline"] == "2025-11-19"


def test_redirects_are_followed_and_the_final_address_kept(server) -> None:
    page = fetch(server["base"] + "/redirect", allow_private=True)
    assert page.final_url == server["base"] + "/article.html" and page.data == server["page"]


def test_an_answer_without_a_type_is_read_when_its_bytes_are_a_web_page(server) -> None:
    assert fetch(server["base"] + "/octet", allow_private=True).kind == "html"


def test_a_host_name_is_resolved_here_and_the_request_goes_to_the_checked_address(server, fake_dns) -> None:
    """The request is sent to the address that was checked, with the link's own host in ``Host``."""
    fake_dns["hindi.test"] = ["127.0.0.1"]
    page = fetch(f"http://hindi.test:{server['port']}/article.html", allow_private=True)
    assert page.data == server["page"]
    assert server["hosts"][-1] == f"hindi.test:{server['port']}"


# --- what is refused -----------------------------------------------------------------------------


def test_without_permission_even_the_first_request_to_this_machine_is_refused(server) -> None:
    before = len(server["paths"])
    assert refused(server["base"] + "/article.html") == \
        "refused: 127.0.0.1 is a loopback address; only public addresses are fetched"
    assert refused(f"http://localhost:{server['port']}/article.html").startswith("refused: localhost (")
    assert len(server["paths"]) == before  # nothing was sent


def test_a_name_with_one_private_address_among_public_ones_is_refused(fake_dns) -> None:
    fake_dns["news.test"] = ["93.184.216.34", "10.0.0.5"]
    assert refused("https://news.test/story.html") == \
        "refused: news.test (10.0.0.5) is a private address; only public addresses are fetched"


def test_a_redirect_to_a_private_address_is_refused_before_it_is_followed(server) -> None:
    url = server["base"] + "/to-private"
    assert refused(url, allow_private=["127.0.0.1"]) == ("redirected to http://10.1.2.3/news.html: refused: "
                                                         "10.1.2.3 is a private address; only public addresses are fetched")


def test_a_redirect_to_the_cloud_metadata_address_is_refused_even_when_private_ones_are_allowed(server) -> None:
    assert refused(server["base"] + "/to-metadata", allow_private=True).endswith(
        "refused: 169.254.169.254 is a cloud metadata address; only public addresses are fetched")


def test_a_redirect_to_a_file_is_refused(server) -> None:
    assert refused(server["base"] + "/to-file", allow_private=True) == \
        "redirected to file:///etc/passwd: only http and https links can be fetched, not file:"


def test_redirects_are_followed_a_bounded_number_of_times(server) -> None:
    before = len(server["paths"])
    message = refused(server["base"] + "/loop/0", allow_private=True, max_redirects=3)
    assert message.endswith("more than 3 redirects")
    assert len(server["paths"]) - before == 4


def test_a_slow_server_is_given_up_on(server) -> None:
    started = time.monotonic()
    assert refused(server["base"] + "/slow", allow_private=True, timeout=0.5) == "no complete answer within 0.5 s"
    assert time.monotonic() - started < 2


def test_a_server_that_drips_its_answer_is_given_up_on_at_the_deadline(server) -> None:
    started = time.monotonic()
    assert refused(server["base"] + "/drip", allow_private=True, timeout=0.8) == "no complete answer within 0.8 s"
    assert time.monotonic() - started < 2


def test_a_huge_answer_is_refused_from_its_length_before_it_is_read(server) -> None:
    assert refused(server["base"] + "/huge", allow_private=True) == "the answer is 50 MiB, over the 5 MiB limit"


def test_a_huge_answer_of_unknown_length_is_cut_off_at_the_limit(server) -> None:
    assert refused(server["base"] + "/endless", allow_private=True, max_bytes=2**20) == \
        "the answer is over the 1 MiB limit"
    time.sleep(0.2)
    assert server["sent"] < 40 * 2**20  # the server was stopped long before its 50 MiB


def test_a_pdf_is_refused_unless_documents_are_accepted(server) -> None:
    url = server["base"] + "/paper.pdf"
    assert refused(url, allow_private=True) == "not a web page: the server sent a PDF document (application/pdf)"
    page = fetch(url, allow_private=True, kinds=("html", "pdf"))
    assert (page.kind, page.data) == ("pdf", PDF)


def test_an_image_is_refused(server) -> None:
    assert refused(server["base"] + "/photo.png", allow_private=True) == "not a web page: the server sent image/png"


def test_an_http_error_is_one_line(server) -> None:
    assert refused(server["base"] + "/missing", allow_private=True) == "the server answered HTTP 404 Not Found"


@pytest.mark.parametrize("url, reason", [
    ("ftp://example.com/news.html", "only http and https links can be fetched, not ftp:"),
    ("javascript:alert(1)", "only http and https links can be fetched, not javascript:"),
    ("www.example.com/news.html", "not a web address: it does not start with http:// or https://"),
    ("http:///news.html", "not a web address: no host name"),
])
def test_links_that_are_not_web_addresses_are_refused(url: str, reason: str) -> None:
    assert refused(url) == reason


@pytest.mark.parametrize("address, problem", [
    ("8.8.8.8", None),
    ("2001:4860:4860::8888", None),
    ("127.0.0.1", "a loopback address"),
    ("::1", "a loopback address"),
    ("::ffff:127.0.0.1", "a loopback address"),
    ("2002:7f00:1::1", "a loopback address"),  # 6to4 carrying 127.0.0.1
    ("10.1.2.3", "a private address"),
    ("192.168.1.1", "a private address"),
    ("fd12:3456::1", "a private address"),
    ("169.254.1.1", "a link-local address"),
    ("fe80::1", "a link-local address"),
    ("224.0.0.251", "a multicast address"),
    ("0.0.0.0", "a private address"),
    ("100.64.0.1", "not a public address"),  # shared address space (carrier-grade NAT)
    ("169.254.169.254", "a cloud metadata address"),
    ("fd00:ec2::254", "a cloud metadata address"),
])
def test_which_addresses_are_refused(address: str, problem: str | None) -> None:
    assert address_problem(ipaddress.ip_address(address)) == problem


def test_allowing_private_addresses_never_allows_the_metadata_ones() -> None:
    assert address_problem(ipaddress.ip_address("10.1.2.3"), True) is None
    assert address_problem(ipaddress.ip_address("169.254.169.254"), True) == "a cloud metadata address"
    networks = (ipaddress.ip_network("10.1.2.0/24"),)
    assert address_problem(ipaddress.ip_address("10.1.2.3"), networks) is None
    assert address_problem(ipaddress.ip_address("10.9.9.9"), networks) == "a private address"


def test_a_bare_host_gets_https_and_other_text_is_not_an_address():
    from translate.article import web_address

    assert web_address("www.bhaskar.com/national/story-1.html") == "https://www.bhaskar.com/national/story-1.html"
    assert web_address("  bhaskar.com/news/x ") == "https://bhaskar.com/news/x"
    assert web_address("www.bhaskar.com") == "https://www.bhaskar.com"
    assert web_address("http://www.bhaskar.com/x") == "http://www.bhaskar.com/x"
    assert web_address("article.txt") is None  # a file name, not a host
    assert web_address("seeds/001.txt") is None
    assert web_address("भारत और पाकिस्तान") is None


def test_the_cli_takes_an_address_typed_without_https(fake_dns, tiny_models, tmp_path, capsys) -> None:
    """`hindi-brief run www.site/...` fetches https://www.site/... under the usual rules (here refused:
    the name resolves to a private address), one line naming the completed address, nothing written."""
    from translate.cli import main

    fake_dns["www.hindi-news.test"] = ["10.20.30.40"]
    out = tmp_path / "out"
    code = main(["run", "www.hindi-news.test/national/story-1.html", "-o", str(out),
                 "--translator", str(tiny_models / "translator"), "--summarizer", "extractive", "--beams", "1", "-q"])
    err = capsys.readouterr().err
    assert code != 0
    line = next(line for line in err.splitlines() if "hindi-news.test" in line)
    assert "https://www.hindi-news.test/national/story-1.html" in line and "private" in line, err
    assert "Traceback" not in err and not list(out.glob("*.json"))
